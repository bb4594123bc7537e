import FluentKit
import FxACore
import FxAVapor
import Vapor

/// The app itself: a home page with the signed-in user's profile, notes
/// and the events FxA sent about them, adding a note, the stylesheet, and a
/// small JSON API the tests read.
struct NotesController: RouteCollection {
    let database: any Database
    /// The provider's settings page, linked from the event history.
    let accountSettings: URL

    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: home)
        routes.get("style.css", use: stylesheet)
        routes.post("notes", use: addNote)
        routes.get("api", "me", use: me)
        routes.get("api", "notes", use: notes)
    }

    struct MeResponse: Content {
        var uid: String
        var email: String?
        var display_name: String?
        var avatar: String?
    }

    @Sendable func me(_ request: Request) async throws -> MeResponse {
        let user = try request.auth.require(FxAUser.self)
        return MeResponse(uid: user.uid, email: user.email, display_name: user.displayName, avatar: user.avatar?.absoluteString)
    }

    @Sendable func notes(_ request: Request) async throws -> [String] {
        let user = try request.auth.require(FxAUser.self)
        return try await NoteRecord.query(on: database).filter(\.$uid == user.uid).sort(\.$createdAt).all().map(\.text)
    }

    struct NewNote: Content {
        var text: String
        var csrf_token: String?
    }

    @Sendable func addNote(_ request: Request) async throws -> Response {
        let user = try request.auth.require(FxAUser.self)
        let form = try request.content.decode(NewNote.self)
        guard request.verifyCSRFToken(form.csrf_token) else { throw Abort(.forbidden, reason: "Reload the page and try again.") }
        let text = form.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...2000).contains(text.count) else { throw Abort(.badRequest, reason: "A note is 1 to 2000 characters.") }
        try await NoteRecord(uid: user.uid, text: text, createdAt: Date()).create(on: database)
        return request.redirect(to: "/", redirectType: .normal)
    }

    @Sendable func home(_ request: Request) async throws -> Response {
        let html: String
        if let user = request.auth.get(FxAUser.self) {
            let notes = try await NoteRecord.query(on: database).filter(\.$uid == user.uid).sort(\.$createdAt).all()
            let events = try await EventRecord.query(on: database).filter(\.$uid == user.uid)
                .sort(\.$receivedAt, .descending).limit(10).all()
            html = NotesPages.home(
                user: user, notes: notes, events: events, csrfToken: request.fxaCSRFToken,
                accountSettings: accountSettings)
        } else {
            html = NotesPages.welcome()
        }
        let response = Response(status: .ok, body: .init(string: html))
        response.headers.contentType = .html
        response.headers.cacheControl = .init(noStore: true)
        return response
    }

    @Sendable func stylesheet(_ request: Request) -> Response {
        let response = Response(status: .ok, body: .init(string: NotesStylesheet.css))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "css", parameters: ["charset": "utf-8"])
        response.headers.cacheControl = .init(isPublic: true, maxAge: 3600)
        return response
    }
}

