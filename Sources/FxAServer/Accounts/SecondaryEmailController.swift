import FxACore
import FxAStore
import Vapor

/// `/v1/recovery_emails` and `/v1/recovery_email/*` (FxA's secondary-email
/// routes). Every route needs a verified session of a verified account:
/// adding or promoting an address is as sensitive as a password change.
struct SecondaryEmailController: RouteCollection {
    let service: SecondaryEmailService
    let authenticator: TokenAuthenticator
    let customs: Customs

    func boot(routes: any RoutesBuilder) throws {
        routes.get("v1", "recovery_emails", use: list)
        let email = routes.grouped("v1", "recovery_email")
        email.post(use: add)
        email.post("secondary", "verify_code", use: verifyCode)
        email.post("secondary", "resend_code", use: resendCode)
        email.post("set_primary", use: setPrimary)
        email.post("destroy", use: destroy)
    }

    struct CodeRequest: Content {
        var email: EmailAddress
        var code: SigninCode
    }

    @Sendable func list(_ request: Request) async throws -> [RecoveryEmailResponse] {
        let account = try await verifiedAccount(request)
        return try await service.list(account: account)
    }

    @Sendable func add(_ request: Request) async throws -> EmptyJSON {
        let account = try await verifiedAccount(request)
        let body = try request.content.decode(EmailRequest.self)
        try await customs.check(.emailSend, subject: account.uid.hex, ip: request.clientIP)
        try await service.add(body.email, account: account)
        return EmptyJSON()
    }

    @Sendable func verifyCode(_ request: Request) async throws -> EmptyJSON {
        let account = try await verifiedAccount(request)
        let body = try request.content.decode(CodeRequest.self)
        try await customs.check(.codeCheck, subject: account.uid.hex, ip: request.clientIP)
        try await service.verify(body.email, code: body.code, account: account)
        return EmptyJSON()
    }

    @Sendable func resendCode(_ request: Request) async throws -> EmptyJSON {
        let account = try await verifiedAccount(request)
        let body = try request.content.decode(EmailRequest.self)
        try await customs.check(.emailSend, subject: account.uid.hex, ip: request.clientIP)
        try await service.resend(body.email, account: account)
        return EmptyJSON()
    }

    @Sendable func setPrimary(_ request: Request) async throws -> EmptyJSON {
        let account = try await verifiedAccount(request)
        let body = try request.content.decode(EmailRequest.self)
        try await service.makePrimary(body.email, account: account)
        return EmptyJSON()
    }

    @Sendable func destroy(_ request: Request) async throws -> EmptyJSON {
        let account = try await verifiedAccount(request)
        let body = try request.content.decode(EmailRequest.self)
        try await service.remove(body.email, account: account)
        return EmptyJSON()
    }

    /// The session's account, read once with the session, which must be
    /// verified (``VerifiedSessionRule``: 104, 138, 222).
    private func verifiedAccount(_ request: Request) async throws -> AccountRecord {
        try await authenticator.authenticateVerifiedSession(request).account
    }
}

/// One entry of `GET /v1/recovery_emails`.
struct RecoveryEmailResponse: Content, Equatable {
    var email: String
    var isPrimary: Bool
    var verified: Bool
}
