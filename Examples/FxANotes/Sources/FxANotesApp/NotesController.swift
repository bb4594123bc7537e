import FluentKit
import FxACore
import FxAVapor
import Vapor

/// The app itself: a home page with the signed-in user's profile and notes,
/// adding a note, and a small JSON API the tests read.
struct NotesController: RouteCollection {
    let database: any Database

    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: home)
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
        let body: String
        if let user = request.auth.get(FxAUser.self) {
            let notes = try await NoteRecord.query(on: database).filter(\.$uid == user.uid).sort(\.$createdAt).all()
            let csrf = request.fxaCSRFToken
            let avatar = user.avatar.map { #"<img src="\#(htmlEscape($0.absoluteString))" alt="" width="48" height="48">"# } ?? ""
            body = """
            <header>\(avatar)<p>Signed in as <strong>\(htmlEscape(user.displayName ?? user.email ?? user.uid))</strong>
            (\(htmlEscape(user.email ?? "no email")))</p>
            <form id="logout" method="post" action="/auth/logout"><input type="hidden" name="csrf_token" value="\(csrf)"><button>Sign out</button></form></header>
            <h2>Your notes</h2>
            <ul>\(notes.map { "<li>\(htmlEscape($0.text))</li>" }.joined())</ul>
            <form id="new-note" method="post" action="/notes"><input type="hidden" name="csrf_token" value="\(csrf)">
            <label for="text">New note</label> <input id="text" name="text" required maxlength="2000"> <button>Add</button></form>
            """
        } else {
            body = """
            <p>Keep notes that only you can read. Sign in with your account to start.</p>
            <p><a href="/auth/login">Sign in</a></p>
            """
        }
        let page = """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Notes — swift-fxa example</title></head><body><h1>Notes</h1>\(body)</body></html>
        """
        let response = Response(status: .ok, body: .init(string: page))
        response.headers.contentType = .html
        response.headers.cacheControl = .init(noStore: true)
        return response
    }
}

/// Escapes a value this app did not write (profile fields, notes) for HTML.
private func htmlEscape(_ text: String) -> String { text.htmlEscaped }
