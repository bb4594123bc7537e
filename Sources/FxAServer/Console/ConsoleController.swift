import FxACore
import FxAStore
import Foundation
import Vapor

/// The developer console at `/console`: a signed-in user registers OAuth
/// clients and manages their own (edit, rotate or forget a secret, delete,
/// see recent webhook deliveries). Another account's client, or the
/// operator's, answers 404 as if it did not exist.
///
/// Plain forms with the session's CSRF token, as the settings pages; the
/// page that shows a new secret is the answer to the post itself (never a
/// page that can be loaded again) and is not cached.
struct ConsoleController: RouteCollection {
    let gate: WebPageGate
    let administration: ClientAdministration
    let outbox: any OutboxStore
    let publicURL: PublicBaseURL

    /// How many recent deliveries a client's page lists.
    static let deliveriesShown = 20

    func boot(routes: any RoutesBuilder) throws {
        let console = routes.grouped("console")
        console.get(use: list)
        console.get("new", use: newClient)
        console.post("new", use: create)
        let client = console.grouped("clients", ":client_id")
        client.get(use: show)
        client.post(use: update)
        client.post("rotate", use: rotate)
        client.post("forget-previous", use: forgetPrevious)
        client.post("delete", use: delete)
    }

    @Sendable func list(_ request: Request) async throws -> Response {
        guard let current = try await gate.signedIn(request) else { return gate.toSignin(request, next: WebPagePaths.console) }
        let notice: String? = request.query[String.self, at: "done"] == "deleted" ? "The app is deleted." : nil
        let page = ConsoleListPage(
            clients: try await administration.list(ownedBy: current.account.uid), publicURL: publicURL, notice: notice)
        return try await request.render(page)
    }

    @Sendable func newClient(_ request: Request) async throws -> Response {
        guard let current = try await gate.signedIn(request) else { return gate.toSignin(request, next: WebPagePaths.console) }
        return try await newClientPage(request, .blank, current, registrationNonce: Self.newNonce(), message: nil, status: .ok)
    }

    @Sendable func create(_ request: Request) async throws -> Response {
        let (current, fields): (WebSessions.Current, [String: String])
        switch try await gate.formPost(request) {
        case .signedOut: return gate.toSignin(request, next: WebPagePaths.console)
        case .expired: return try await WebPageGate.expiredForm(request, backTo: WebPagePaths.console)
        case let .accepted(session, posted): (current, fields) = (session, posted)
        }
        let form = ConsoleClientForm(fields: fields)
        let owner = current.account.uid
        // The id is derived from the form's nonce and this session's CSRF
        // secret: the same form sent twice makes one app, and nobody can
        // choose an id (a deleted client's, a built-in one's).
        let registrationNonce = fields["registration_nonce"].flatMap { $0.count == 32 && $0.allSatisfy(\.isHexDigit) ? $0 : nil }
            ?? Self.newNonce()
        let registrationID = Self.clientID(nonce: registrationNonce, csrfToken: current.csrfToken)
        if let existing = try await administration.list(ownedBy: owner).first(where: { $0.id == registrationID }) {
            // The same form again (a reload of the page that showed the
            // secret): the app exists; its secret is not shown twice.
            return gate.redirect(request, to: Self.path(existing) + "?done=registered")
        }
        do {
            guard try await administration.list(ownedBy: owner).count < ConsoleClientForm.maximumClientsPerOwner else {
                throw FxAError(
                    status: 400, errno: .auth(.invalidParameter),
                    message: "You have \(ConsoleClientForm.maximumClientsPerOwner) apps, the most one account may register. Delete one first.")
            }
            try form.check(serverIsLoopback: publicURL.isLoopback)
            let (client, secret) = try await administration.create(form.registration(owner: owner, id: registrationID))
            request.logger.info("console: client registered", metadata: ["client_id": .string(client.id.hex), "owner": .string(owner.hex)])
            return try await secretPage(request, ConsoleSecretPage(client: client, secret: secret, rotated: false))
        } catch let error as FxAError where error.status == 400 {
            return try await newClientPage(
                request, form, current, registrationNonce: registrationNonce, message: error.message, status: .badRequest)
        } catch FxAStoreError.conflict {
            // Two sends at once: the other one made it.
            return gate.redirect(request, to: Self.path(clientID: registrationID) + "?done=registered")
        }
    }

    @Sendable func show(_ request: Request) async throws -> Response {
        guard let current = try await gate.signedIn(request) else { return gate.toSignin(request, next: WebPagePaths.console) }
        guard let client = try await owned(request, by: current) else { return try await Self.notFound(request) }
        let notice: String? = switch request.query[String.self, at: "done"] {
        case "saved": "Your changes are saved."
        case "forgot": "The previous secret no longer works."
        case "registered": "This app was already registered by that form; nothing new was made. Its secret is shown only "
            + "once: if you did not copy it, make a new one with \"Make a new secret\"."
        default: nil
        }
        return try await clientPage(request, client, form: ConsoleClientForm(client), current, notice: notice, isError: false, status: .ok)
    }

    @Sendable func update(_ request: Request) async throws -> Response {
        try await ownedFormPost(request) { current, client, fields in
            let form = ConsoleClientForm(fields: fields)
            do {
                try form.check(serverIsLoopback: publicURL.isLoopback)
                _ = try await administration.update(client.id) { form.apply(to: &$0) }
            } catch let error as FxAError where error.status == 400 {
                return try await clientPage(request, client, form: form, current, notice: error.message, isError: true, status: .badRequest)
            }
            return gate.redirect(request, to: Self.path(client) + "?done=saved")
        }
    }

    @Sendable func rotate(_ request: Request) async throws -> Response {
        try await ownedFormPost(request) { current, client, _ in
            guard !client.publicClient else {
                return try await clientPage(
                    request, client, form: ConsoleClientForm(client), current, notice: "A public client has no secret.",
                    isError: true, status: .badRequest)
            }
            let secret = try await administration.rotateSecret(client.id)
            request.logger.info("console: client secret rotated", metadata: ["client_id": .string(client.id.hex)])
            return try await secretPage(request, ConsoleSecretPage(client: client, secret: secret, rotated: true))
        }
    }

    @Sendable func forgetPrevious(_ request: Request) async throws -> Response {
        try await ownedFormPost(request) { _, client, _ in
            try await administration.forgetPreviousSecret(client.id)
            return gate.redirect(request, to: Self.path(client) + "?done=forgot")
        }
    }

    @Sendable func delete(_ request: Request) async throws -> Response {
        try await ownedFormPost(request) { current, client, fields in
            guard fields["confirm"] == "yes" else {
                return try await clientPage(
                    request, client, form: ConsoleClientForm(client), current,
                    notice: "Tick the box to confirm the deletion.", isError: true, status: .badRequest)
            }
            try await administration.delete(client.id)
            request.logger.info("console: client deleted", metadata: ["client_id": .string(client.id.hex)])
            return gate.redirect(request, to: WebPagePaths.console + "?done=deleted")
        }
    }

    /// A form post about one of the user's clients: signed in, with the
    /// CSRF token, and the client theirs; then `action`.
    private func ownedFormPost(
        _ request: Request,
        _ action: (WebSessions.Current, OAuthClientRecord, [String: String]) async throws -> Response
    ) async throws -> Response {
        switch try await gate.formPost(request) {
        case .signedOut: return gate.toSignin(request, next: WebPagePaths.console)
        case .expired: return try await WebPageGate.expiredForm(request, backTo: WebPagePaths.console)
        case let .accepted(current, fields):
            guard let client = try await owned(request, by: current) else { return try await Self.notFound(request) }
            return try await action(current, client, fields)
        }
    }

    /// The client of the path, if the signed-in user owns it.
    private func owned(_ request: Request, by current: WebSessions.Current) async throws -> OAuthClientRecord? {
        guard let text = request.parameters.get("client_id"), let id = OAuthClientID(hex: text),
              let client = try? await administration.show(id), client.ownerUID == current.account.uid
        else { return nil }
        return client
    }

    private static func path(_ client: OAuthClientRecord) -> String {
        path(clientID: client.id)
    }

    private static func path(clientID: OAuthClientID) -> String {
        "\(WebPagePaths.console)/clients/\(clientID.hex)"
    }

    /// A new registration form's nonce: 16 random bytes in hex.
    private static func newNonce() -> String {
        SecureRandom.bytes(16).hexString
    }

    /// The client id a registration form makes: the first 8 bytes of
    /// SHA-256 over the session's CSRF token and the form's nonce.
    static func clientID(nonce: String, csrfToken: String) -> OAuthClientID {
        let digest = TokenHash(of: Data("\(csrfToken):\(nonce)".utf8)).bytes
        return OAuthClientID(hex: digest.prefix(8).hexString) ?? .random()
    }

    private func newClientPage(
        _ request: Request, _ form: ConsoleClientForm, _ current: WebSessions.Current, registrationNonce: String,
        message: String?, status: HTTPResponseStatus
    ) async throws -> Response {
        try await request.render(
            ConsoleNewClientPage(form: form, csrfToken: current.csrfToken, registrationNonce: registrationNonce, message: message),
            status: status)
    }

    private func clientPage(
        _ request: Request, _ client: OAuthClientRecord, form: ConsoleClientForm, _ current: WebSessions.Current,
        notice: String?, isError: Bool, status: HTTPResponseStatus
    ) async throws -> Response {
        let page = ConsoleClientPage(
            client: client, form: form,
            deliveries: try await outbox.deliveries(status: nil, clientID: client.id, limit: Self.deliveriesShown),
            csrfToken: current.csrfToken, notice: notice, noticeIsError: isError)
        return try await request.render(page, status: status)
    }

    private func secretPage(_ request: Request, _ page: ConsoleSecretPage) async throws -> Response {
        let response = try await request.render(page)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    private static func notFound(_ request: Request) async throws -> Response {
        try await request.render(
            MessagePage(
                title: "No such app", text: "It does not exist, or it is not yours.", linkPath: WebPagePaths.console,
                linkText: "Back to your apps"),
            status: .notFound)
    }
}
