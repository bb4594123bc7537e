import FxACore
import FxAStore
import Vapor

/// `/v1/password/*` and `/v1/account/reset`: change with the old password,
/// and the forgot-password flow (OTP → forgot token → reset token → reset).
struct PasswordController: RouteCollection {
    let service: PasswordService
    let authenticator: TokenAuthenticator
    let customs: Customs

    func boot(routes: any RoutesBuilder) throws {
        let password = routes.grouped("v1", "password")
        password.post("change", "start", use: changeStart)
        password.post("change", "finish", use: changeFinish)
        password.post("forgot", "send_otp", use: forgotSendOTP)
        password.post("forgot", "verify_otp", use: forgotVerifyOTP)
        password.post("forgot", "verify_code", use: forgotVerifyCode)
        password.post("forgot", "send_code", use: legacySendCode)
        password.post("forgot", "resend_code", use: legacyResendCode)
        password.get("forgot", "status", use: legacyStatus)
        routes.post("v1", "account", "reset", use: reset)
    }

    /// Current clients authenticate with their session; PyFxA 0.8 and older
    /// Firefox send no token at all, and the old password alone is the
    /// proof, as it was in FxA before sessions were required here.
    @Sendable func changeStart(_ request: Request) async throws -> PasswordChangeStartResponse {
        let session: StoredToken? = request.headers.first(name: .authorization) == nil
            ? nil : try await authenticator.authenticate(request, as: [.sessionToken]).stored
        let body = try request.content.decode(PasswordChangeStartRequest.self)
        try await customs.check(.passwordCheck, subject: body.email.normalized, ip: request.clientIP)
        return try await service.startChange(body, session: session)
    }

    @Sendable func changeFinish(_ request: Request) async throws -> PasswordChangeFinishResponse {
        let token = try await authenticator.authenticate(request, as: [.passwordChangeToken])
        let body = try request.content.decode(PasswordChangeFinishRequest.self)
        return try await service.finishChange(body, token: token, wantKeys: try KeysQuery.wantsKeys(request))
    }

    @Sendable func forgotSendOTP(_ request: Request) async throws -> EmptyJSON {
        let body = try request.content.decode(ForgotSendRequest.self)
        try await customs.check(.emailSend, subject: body.email.normalized, ip: request.clientIP)
        try await service.sendForgotOTP(body)
        return EmptyJSON()
    }

    @Sendable func forgotVerifyOTP(_ request: Request) async throws -> ForgotVerifyOTPResponse {
        let body = try request.content.decode(ForgotVerifyOTPRequest.self)
        try await customs.check(.codeCheck, subject: body.email.normalized, ip: request.clientIP)
        return try await service.verifyForgotOTP(body)
    }

    @Sendable func forgotVerifyCode(_ request: Request) async throws -> AccountResetTokenResponse {
        let token = try await authenticator.authenticate(request, as: [.passwordForgotToken])
        let body = try request.content.decode(ForgotVerifyCodeRequest.self)
        try await customs.check(.codeCheck, subject: token.uid.hex, ip: request.clientIP)
        return try await service.verifyForgotCode(body, token: token)
    }

    @Sendable func legacySendCode(_ request: Request) async throws -> LegacyForgotCodeResponse {
        let body = try request.content.decode(ForgotSendRequest.self)
        try await customs.check(.emailSend, subject: body.email.normalized, ip: request.clientIP)
        return try await service.sendForgotCodeLegacy(body)
    }

    @Sendable func legacyResendCode(_ request: Request) async throws -> LegacyForgotCodeResponse {
        let token = try await authenticator.authenticate(request, as: [.passwordForgotToken])
        try await customs.check(.emailSend, subject: token.uid.hex, ip: request.clientIP)
        return try await service.resendForgotCodeLegacy(token: token)
    }

    @Sendable func legacyStatus(_ request: Request) async throws -> LegacyForgotStatusResponse {
        let token = try await authenticator.authenticate(request, as: [.passwordForgotToken])
        return try await service.forgotStatusLegacy(token: token)
    }

    @Sendable func reset(_ request: Request) async throws -> AccountResetResponse {
        let token = try await authenticator.authenticate(request, as: [.accountResetToken])
        return try await service.reset(
            try request.content.decode(AccountResetRequest.self), token: token, wantKeys: try KeysQuery.wantsKeys(request))
    }
}
