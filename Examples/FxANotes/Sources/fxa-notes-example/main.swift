import FxANotesApp
import Vapor

// The example relying party. See Examples/FxANotes/README.md.
var environment = try Environment.detect(arguments: ["fxa-notes-example"])
try LoggingSystem.bootstrap(from: &environment)
let settings = try NotesSettings.fromEnvironment()
let app = try await Application.make(environment)
do {
    let httpClient = try await NotesApp.configure(app, settings: settings)
    app.logger.notice("notes example on \(settings.publicURL.absoluteString), provider \(settings.fxa.provider.issuer.absoluteString)")
    do {
        try await app.execute()
    } catch {
        app.logger.report(error: error)
    }
    try await app.asyncShutdown()
    try await httpClient.shutdown().get()
} catch {
    app.logger.report(error: error)
    try await app.asyncShutdown()
    exit(1)
}
