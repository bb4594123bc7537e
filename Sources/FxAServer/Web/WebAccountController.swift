import FxACore
import FxAStore
import Foundation
import Vapor

/// The two account changes the settings page's script makes on its web
/// session: starting a password change and deleting the account.
///
/// Both need the password, which the page stretches itself (the server
/// sees only authPW, as with every other client). They act on the session
/// token behind the HttpOnly cookie, which the script never sees, so they
/// are calls of their own rather than the `/v1` routes with a Bearer token.
/// Each one needs our origin and the session's CSRF token (see
/// ``WebPageGate/scriptCall(_:)``), and counts against the same password
/// rate limit as the `/v1` routes.
struct WebAccountController: RouteCollection {
    let gate: WebPageGate
    let passwords: PasswordService
    let accounts: AccountService
    let recoveryKeys: RecoveryKeyService
    let customs: Customs

    func boot(routes: any RoutesBuilder) throws {
        let web = routes.grouped("v1", "web")
        web.post("password", "change", "start", use: startPasswordChange)
        web.post("account", "destroy", use: destroyAccount)
        web.post("account", "keys", use: keyFetchToken)
        web.post("recovery-key", use: createRecoveryKey)
    }

    /// `POST /v1/web/account/keys` `{authPW}`: a key-fetch token for the
    /// page to read kB with, after the password (making a recovery key).
    @Sendable func keyFetchToken(_ request: Request) async throws -> KeyFetchTokenResponse {
        let current = try await gate.scriptCall(request)
        let proof = try request.content.decode(PasswordProof.self)
        try await customs.check(.passwordCheck, subject: try primaryEmail(current.account).normalized, ip: request.clientIP)
        return KeyFetchTokenResponse(keyFetchToken: try await Self.wrongPasswordAs103 {
            try await accounts.keyFetchToken(authPW: proof.authPW, account: current.account, session: current.token)
        })
    }

    /// The body of `POST /v1/web/recovery-key`: the key the page sealed kB
    /// with, and the user's hint.
    struct RecoveryKeyForm: Content {
        var recoveryKeyId: RecoveryKeyID
        var recoveryData: String
        var hint: String?
    }

    /// Stores (or replaces) the account recovery key the page made.
    @Sendable func createRecoveryKey(_ request: Request) async throws -> EmptyJSON {
        let current = try await gate.scriptCall(request)
        let form = try request.content.decode(RecoveryKeyForm.self)
        try await recoveryKeys.create(
            RecoveryKeyCreateRequest(
                recoveryKeyId: form.recoveryKeyId, recoveryData: form.recoveryData, enabled: true, replaceKey: true),
            account: current.account)
        if let hint = form.hint, !hint.trimmingCharacters(in: .whitespaces).isEmpty {
            try await recoveryKeys.setHint(hint, uid: current.account.uid)
        }
        return EmptyJSON()
    }

    /// The body of both calls: the current password, stretched.
    struct PasswordProof: Content {
        var authPW: Hex32
    }

    /// `POST /v1/web/password/change/start` `{authPW}`: as
    /// `/v1/password/change/start` on the web session. The page then
    /// fetches kB, rewraps it under the new password and finishes with
    /// `/v1/password/change/finish`, whose new session replaces the cookie.
    @Sendable func startPasswordChange(_ request: Request) async throws -> PasswordChangeStartResponse {
        let current = try await gate.scriptCall(request)
        let proof = try request.content.decode(PasswordProof.self)
        let email = try primaryEmail(current.account)
        try await customs.check(.passwordCheck, subject: email.normalized, ip: request.clientIP)
        return try await Self.wrongPasswordAs103 {
            try await passwords.startChange(
                PasswordChangeStartRequest(email: email, oldAuthPW: proof.authPW), session: current.token)
        }
    }

    /// `POST /v1/web/account/destroy` `{authPW}`: deletes the account (and
    /// so every session, web sessions included), and clears the cookie.
    @Sendable func destroyAccount(_ request: Request) async throws -> Response {
        let current = try await gate.scriptCall(request)
        let proof = try request.content.decode(PasswordProof.self)
        let email = try primaryEmail(current.account)
        try await customs.check(.passwordCheck, subject: email.normalized, ip: request.clientIP)
        try await Self.wrongPasswordAs103 {
            try await accounts.destroy(DestroyAccountRequest(email: email, authPW: proof.authPW), session: current.token)
        }
        let response = try await EmptyJSON().encodeResponse(for: request)
        gate.sessions.cookie.clear(on: response)
        return response
    }

    /// The page stretched with the sign-up address itself, so a refusal
    /// that asks for another address (errno 120, which a primary address
    /// other than the sign-up one would cause) only means a wrong password.
    private static func wrongPasswordAs103<T>(_ call: () async throws -> T) async throws -> T {
        do {
            return try await call()
        } catch let error as FxAError where error.errno == .auth(.incorrectEmailCase) {
            throw FxAError.incorrectPassword()
        }
    }

    /// The address the account is found by. (The page stretches the
    /// password with the sign-up address, FxA's "email to hash with", which
    /// may no longer be one of the account's addresses.)
    private func primaryEmail(_ account: AccountRecord) throws -> EmailAddress {
        guard let email = EmailAddress(account.primaryEmail) else { throw FxAError.unknownAccount() }
        return email
    }
}

/// `POST /v1/web/account/keys`'s answer.
struct KeyFetchTokenResponse: Content {
    var keyFetchToken: String
}
