import AsyncHTTPClient
import Fluent
import FluentSQLiteDriver
import FxAVapor
import Vapor

/// The example relying party: a notes app that signs in with FxA through
/// FxAVapor, keys everything by `uid`, and keeps its data clean when FxA
/// reports a change. ``configure(_:settings:)`` sets up an `Application`;
/// the `fxa-notes-example` executable and the end-to-end tests both use it.
public enum NotesApp {
    /// Configures `app`: database and migrations, sessions (server-side, in
    /// the database), security headers, the FxA routes, the pages and the
    /// JSON API. The returned client is the app's `HTTPClient`, which the
    /// caller shuts down after the app.
    public static func configure(_ app: Application, settings: NotesSettings) async throws -> HTTPClient {
        if let path = settings.databasePath {
            app.databases.use(.sqlite(.file(path)), as: .sqlite)
        } else {
            app.databases.use(.sqlite(.memory), as: .sqlite)
        }
        app.migrations.add(CreateNotesSchema())
        app.migrations.add(CreateEventHistory())
        app.migrations.add(SessionRecord.migration)
        try await app.autoMigrate()

        app.http.server.configuration.hostname = settings.host
        app.http.server.configuration.port = settings.port
        let secureCookies = settings.publicURL.scheme == "https"
        app.sessions.configuration = SessionsConfiguration(cookieName: "notes-session") { id in
            HTTPCookies.Value(
                string: id.string, maxAge: 7 * 24 * 3600, path: "/", isSecure: secureCookies, isHTTPOnly: true, sameSite: .lax)
        }
        app.sessions.use(.fluent)

        let httpClient = AsyncHTTPClientTransport.makeHTTPClient(readTimeout: settings.providerTimeout)
        let client = FxAClient(
            configuration: settings.fxa, transport: AsyncHTTPClientTransport(client: httpClient, timeout: settings.providerTimeout))
        let users = FluentUserStore(database: app.db)
        let events = RecordingEventHandler(
            standard: StandardFxAEventHandler(users: users, client: client, logger: app.logger), database: app.db)

        app.middleware.use(SecurityHeadersMiddleware(providerOrigin: SecurityHeadersMiddleware.origin(of: settings.fxa.provider.issuer)))
        app.middleware.use(app.sessions.middleware)
        app.middleware.use(FxAUserMiddleware(users: users))

        var routes = FxARouteConfiguration(entrypoint: "fxa-notes-example")
        routes.secureCookies = secureCookies
        try app.register(collection: FxARoutes(
            client: client, users: users, events: events, seen: FluentSeenTokenStore(database: app.db),
            configuration: routes))
        try app.register(collection: NotesController(
            database: app.db, accountSettings: settings.fxa.provider.issuer.appendingPathComponent("settings")))
        app.get("healthz") { _ in "ok" }
        return httpClient
    }
}

/// Headers every page gets: no framing, no sniffing, a strict CSP (the
/// pages have no script at all and no inline style), no referrer leaking
/// tokens in URLs.
/// Images may come from https, `data:`, and the FxA provider itself, whose
/// avatars a local provider serves over plain http.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    /// `scheme://host[:port]` of the provider's issuer.
    let providerOrigin: String?

    static func origin(of url: URL) -> String? {
        guard let scheme = url.scheme, let host = url.host else { return nil }
        return "\(scheme)://\(host)" + (url.port.map { ":\($0)" } ?? "")
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let images = ["https:", "data:"] + (providerOrigin.map { [$0] } ?? [])
        response.headers.replaceOrAdd(
            name: "Content-Security-Policy",
            value: "default-src 'none'; style-src 'self'; img-src \(images.joined(separator: " ")); "
                + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "no-referrer")
        return response
    }
}
