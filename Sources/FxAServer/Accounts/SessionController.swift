import FxACore
import FxAStore
import Vapor

/// `/v1/session/*` and `/v1/recovery_email/*`: what a session token can ask
/// about itself and its account's email.
struct SessionController: RouteCollection {
    let service: AccountService
    let authenticator: TokenAuthenticator
    let customs: Customs

    func boot(routes: any RoutesBuilder) throws {
        routes.get("v1", "session", "status", use: status)
        routes.post("v1", "session", "destroy", use: destroy)
        routes.post("v1", "session", "verify_code", use: verifySessionCode)
        routes.post("v1", "session", "resend_code", use: resendSessionCode)
        let email = routes.grouped("v1", "recovery_email")
        email.get("status", use: emailStatus)
        email.post("verify_code", use: verifyCode)
        email.post("resend_code", use: resendCode)
    }

    @Sendable func status(_ request: Request) async throws -> SessionStatusResponse {
        try await service.sessionStatus(try await authenticator.authenticateWithAccount(request, as: [.sessionToken]))
    }

    @Sendable func destroy(_ request: Request) async throws -> EmptyJSON {
        let session = try await authenticator.authenticate(request, as: [.sessionToken])
        try await service.destroySession(session)
        return EmptyJSON()
    }

    /// Confirms a sign-in with the emailed 6-digit code.
    @Sendable func verifySessionCode(_ request: Request) async throws -> EmptyJSON {
        let session = try await authenticator.authenticateWithAccount(request, as: [.sessionToken])
        let body = try request.content.decode(SessionVerifyCodeRequest.self)
        try await customs.check(.codeCheck, subject: session.uid.hex, ip: request.clientIP)
        // Also per address: deleting and re-creating an unconfirmed account
        // gives a new uid, never a new budget of guesses at its six digits.
        try await customs.check(.codeCheck, subject: session.account.normalizedEmail, ip: nil)
        try await service.verifySigninCode(body.code, session: session)
        return EmptyJSON()
    }

    @Sendable func resendSessionCode(_ request: Request) async throws -> EmptyJSON {
        let session = try await authenticator.authenticateWithAccount(request, as: [.sessionToken])
        try await customs.check(.emailSend, subject: session.uid.hex, ip: request.clientIP)
        try await service.resendSessionCode(session: session)
        return EmptyJSON()
    }

    @Sendable func emailStatus(_ request: Request) async throws -> EmailStatusResponse {
        let authenticated = try await authenticator.authenticateWithAccount(request, as: [.sessionToken])
        let (session, account) = (authenticated.token, authenticated.account)
        return EmailStatusResponse(
            email: account.primaryEmail, verified: account.emailVerified && session.stored.verified,
            sessionVerified: session.stored.verified, emailVerified: account.emailVerified)
    }

    /// Confirms the email with the emailed code. Needs no token: the link or
    /// code may be opened on another device than the one that signed up.
    @Sendable func verifyCode(_ request: Request) async throws -> EmptyJSON {
        let body = try request.content.decode(VerifyEmailCodeRequest.self)
        try await customs.check(.codeCheck, subject: body.uid.hex, ip: request.clientIP)
        try await service.verifySignupCode(uid: body.uid, code: body.code)
        return EmptyJSON()
    }

    @Sendable func resendCode(_ request: Request) async throws -> EmptyJSON {
        let authenticated = try await authenticator.authenticateWithAccount(request, as: [.sessionToken])
        let (session, account) = (authenticated.token, authenticated.account)
        try await customs.check(.emailSend, subject: session.uid.hex, ip: request.clientIP)
        if !account.emailVerified {
            try await service.sendSignupCode(to: account)
        }
        return EmptyJSON()
    }
}
