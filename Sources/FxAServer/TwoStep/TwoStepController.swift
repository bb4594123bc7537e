import FxACore
import FxAStore
import Vapor

/// Two-step authentication's routes, in both of FxA's API generations:
///
/// - today's (PyFxA 0.9, FxA's settings): `/mfa/otp/request` and
///   `/mfa/otp/verify` trade an emailed code for a 10-minute MFA token, which
///   authorizes `/mfa/totp/create`, `setup/verify`, `setup/complete` and
///   `destroy`;
/// - the session-token routes older clients call (PyFxA 0.8.2):
///   `/totp/create`, whose first code at `/session/verify/totp` turns it
///   on, `/totp/destroy`, and `/totp/setup/verify|complete`;
/// - and for both: `/totp/exists` and `/session/verify/totp`, the code that
///   confirms a sign-in, and `/totp/verify` (`/recoveryCode`), the code
///   that a password reset of a two-step account needs.
struct TwoStepController: RouteCollection {
    let service: TwoStepService
    let backupCodes: BackupCodeService
    let changes: SecurityChangeAuthenticator
    let authenticator: TokenAuthenticator
    let customs: Customs

    /// How a setup route is authorized.
    typealias Authorization = SecurityChangeAuthenticator.Authorization

    func boot(routes: any RoutesBuilder) throws {
        let v1 = routes.grouped("v1")
        v1.post("mfa", "otp", "request", use: requestStepUpCode)
        v1.post("mfa", "otp", "verify", use: verifyStepUpCode)
        for (group, authorization) in [(v1.grouped("mfa", "totp"), Authorization.mfaToken(.twoStep)), (v1.grouped("totp"), .sessionToken)] {
            group.post("create") { try await self.create($0, by: authorization) }
            group.post("setup", "verify") { try await self.setupVerify($0, by: authorization) }
            group.post("setup", "complete") { try await self.setupComplete($0, by: authorization) }
            group.post("destroy") { try await self.destroy($0, by: authorization) }
        }
        v1.get("totp", "exists", use: exists)
        v1.post("session", "verify", "totp", use: verifySession)
        // The second factor in a password reset, with the password-forgot token.
        v1.post("totp", "verify", use: verifyReset)
        v1.post("totp", "verify", "recoveryCode", use: verifyResetWithBackupCode)
        // Backup authentication codes.
        v1.get("recoveryCodes", use: generateBackupCodes)
        for (group, authorization) in [(v1.grouped("mfa", "recoveryCodes"), Authorization.mfaToken(.twoStep)), (v1.grouped("recoveryCodes"), .sessionToken)] {
            group.post { try await self.storeBackupCodes($0, by: authorization, whileSettingUp: true) }
            group.put { try await self.storeBackupCodes($0, by: authorization, whileSettingUp: false) }
        }
        v1.get("recoveryCodes", "exists", use: backupCodesExist)
        v1.post("session", "verify", "recoveryCode", use: verifySessionWithBackupCode)
    }

    // MARK: Step-up

    @Sendable func requestStepUpCode(_ request: Request) async throws -> StatusResponse {
        let session = try await session(request, by: .sessionToken)
        let body = try request.content.decode(MFACodeRequest.self)
        try await customs.check(.emailSend, subject: session.uid.hex, ip: request.clientIP)
        try await service.sendStepUpCode(for: body.action, session: session)
        return StatusResponse(status: "success")
    }

    @Sendable func verifyStepUpCode(_ request: Request) async throws -> MFATokenResponse {
        let session = try await session(request, by: .sessionToken)
        let body = try request.content.decode(MFACodeVerifyRequest.self)
        try await customs.check(.codeCheck, subject: session.uid.hex, ip: request.clientIP)
        return MFATokenResponse(accessToken: try await service.verifyStepUpCode(body.code, for: body.action, session: session))
    }

    // MARK: Setup

    func create(_ request: Request, by authorization: Authorization) async throws -> TOTPSecretResponse {
        let session = try await self.session(request, by: authorization)
        // A setup begun with the session token follows the old API, whose
        // first sign-in code turns it on.
        let enrollment: TOTPEnrollment = if case .sessionToken = authorization { .firstCode } else { .setup }
        return try await service.startSetup(for: session, enrollment: enrollment)
    }

    func setupVerify(_ request: Request, by authorization: Authorization) async throws -> SuccessResponse {
        let session = try await self.session(request, by: authorization)
        let body = try request.content.decode(AuthenticatorCodeRequest.self)
        try await customs.check(.codeCheck, subject: session.uid.hex, ip: request.clientIP)
        try await service.verifySetup(body.code, session: session)
        return SuccessResponse(success: true)
    }

    func setupComplete(_ request: Request, by authorization: Authorization) async throws -> SuccessResponse {
        try await service.completeSetup(session: try await session(request, by: authorization))
        return SuccessResponse(success: true)
    }

    func destroy(_ request: Request, by authorization: Authorization) async throws -> EmptyJSON {
        try await service.disable(session: try await session(request, by: authorization))
        return EmptyJSON()
    }

    // MARK: Both

    /// With a session, or with the password-forgot token of a reset, which
    /// asks whether to ask for the code.
    @Sendable func exists(_ request: Request) async throws -> TOTPExistsResponse {
        let token = try await authenticator.authenticateSessionOrProvenForgotToken(request)
        return try await service.existence(uid: token.uid)
    }

    /// Confirms a sign-in with a code from the app. Works on an unconfirmed
    /// session: that is what it is for.
    @Sendable func verifySession(_ request: Request) async throws -> SuccessResponse {
        let session = SignedInSession(try await authenticator.authenticateWithAccount(request, as: [.sessionToken]))
        let body = try request.content.decode(AuthenticatorCodeRequest.self)
        try await customs.check(.codeCheck, subject: session.uid.hex, ip: request.clientIP)
        return SuccessResponse(success: try await service.verifySession(body.code, session: session))
    }

    /// A code from the app in a password reset (FxA's newest flow asks for
    /// it after the emailed code, before `verify_code`).
    @Sendable func verifyReset(_ request: Request) async throws -> SuccessResponse {
        let forgot = try await authenticator.authenticateProvenForgotToken(request)
        let body = try request.content.decode(AuthenticatorCodeRequest.self)
        try await customs.check(.codeCheck, subject: forgot.uid.hex, ip: request.clientIP)
        return SuccessResponse(success: try await service.verifyReset(body.code, account: forgot.account, forgotToken: forgot.token.idHash))
    }

    /// A backup code in place of the app's in a password reset; it is spent.
    @Sendable func verifyResetWithBackupCode(_ request: Request) async throws -> BackupCodeVerifiedResponse {
        let forgot = try await authenticator.authenticateProvenForgotToken(request)
        let body = try request.content.decode(BackupCodeRequest.self)
        try await customs.check(.codeCheck, subject: forgot.uid.hex, ip: request.clientIP)
        return BackupCodeVerifiedResponse(
            remaining: try await backupCodes.redeem(body.code.value, account: forgot.account, confirming: forgot.token.idHash))
    }

    // MARK: Backup codes

    /// `GET /recoveryCodes`: a new set made by the server, replacing the old.
    @Sendable func generateBackupCodes(_ request: Request) async throws -> BackupCodesResponse {
        BackupCodesResponse(recoveryCodes: try await backupCodes.generate(for: try await session(request, by: .sessionToken)))
    }

    /// `POST`/`PUT /recoveryCodes` (and `/mfa/recoveryCodes`): a set the
    /// client made.
    func storeBackupCodes(_ request: Request, by authorization: Authorization, whileSettingUp: Bool) async throws -> SuccessResponse {
        let session = try await session(request, by: authorization)
        let body = try request.content.decode(BackupCodesRequest.self)
        try await backupCodes.store(body.recoveryCodes, for: session, whileSettingUp: whileSettingUp)
        return SuccessResponse(success: true)
    }

    /// With a session, or with the password-forgot token of a reset.
    @Sendable func backupCodesExist(_ request: Request) async throws -> BackupCodesExistResponse {
        let token = try await authenticator.authenticateSessionOrProvenForgotToken(request)
        let count = try await backupCodes.count(uid: token.uid)
        return BackupCodesExistResponse(hasBackupCodes: count > 0, count: count)
    }

    /// A backup code in place of the app's: works on an unconfirmed session.
    @Sendable func verifySessionWithBackupCode(_ request: Request) async throws -> BackupCodeVerifiedResponse {
        let session = SignedInSession(try await authenticator.authenticateWithAccount(request, as: [.sessionToken]))
        let body = try request.content.decode(BackupCodeRequest.self)
        try await customs.check(.codeCheck, subject: session.uid.hex, ip: request.clientIP)
        return BackupCodeVerifiedResponse(remaining: try await backupCodes.verifySession(body.code.value, session: session))
    }

    // MARK: Authentication

    private func session(_ request: Request, by authorization: Authorization) async throws -> SignedInSession {
        try await changes.session(request, by: authorization)
    }
}
