import FxACore
import FxAStore
import Vapor

/// FxA's `/v1/recoveryKey` routes: create (with the session, or today's
/// MFA token for `recovery_key`), verify, read back for a reset (with the
/// account-reset token), exists (with a session or a password-forgot
/// token), hint, delete.
struct RecoveryKeyController: RouteCollection {
    let service: RecoveryKeyService
    let changes: SecurityChangeAuthenticator
    let authenticator: TokenAuthenticator
    let customs: Customs

    func boot(routes: any RoutesBuilder) throws {
        let v1 = routes.grouped("v1")
        for (group, authorization) in [
            (v1.grouped("recoveryKey"), SecurityChangeAuthenticator.Authorization.sessionToken),
            (v1.grouped("mfa", "recoveryKey"), .mfaToken(.recoveryKey)),
        ] {
            group.post { try await self.create($0, session: try await self.changes.session($0, by: authorization)) }
            group.delete { try await self.delete(try await self.changes.session($0, by: authorization)) }
        }
        v1.post("recoveryKey", "verify", use: verify)
        v1.post("recoveryKey", "exists", use: exists)
        v1.post("recoveryKey", "hint", use: hint)
        v1.get("recoveryKey", ":recoveryKeyId", use: recoveryData)
    }

    func create(_ request: Request, session: SignedInSession) async throws -> EmptyJSON {
        try await service.create(try request.content.decode(RecoveryKeyCreateRequest.self), account: session.account)
        return EmptyJSON()
    }

    func delete(_ session: SignedInSession) async throws -> EmptyJSON {
        try await service.delete(account: session.account)
        return EmptyJSON()
    }

    @Sendable func verify(_ request: Request) async throws -> EmptyJSON {
        let session = try await changes.session(request, by: .sessionToken)
        let body = try request.content.decode(RecoveryKeyVerifyRequest.self)
        try await customs.check(.codeCheck, subject: session.uid.hex, ip: request.clientIP)
        try await service.verify(body.recoveryKeyId, account: session.account)
        return EmptyJSON()
    }

    /// With a session (settings), or a password-forgot token (the reset
    /// page asking whether to offer the key).
    @Sendable func exists(_ request: Request) async throws -> RecoveryKeyExistsResponse {
        let token = try await authenticator.authenticateSessionOrProvenForgotToken(request)
        return try await service.existence(uid: token.uid)
    }

    @Sendable func hint(_ request: Request) async throws -> EmptyJSON {
        let session = try await changes.session(request, by: .sessionToken)
        try await service.setHint(try request.content.decode(RecoveryKeyHintRequest.self).hint, uid: session.uid)
        return EmptyJSON()
    }

    /// The encrypted keys, for a reset: only with an account-reset token.
    @Sendable func recoveryData(_ request: Request) async throws -> RecoveryDataResponse {
        let token = try await authenticator.authenticate(request, as: [.accountResetToken])
        guard let id = request.parameters.get("recoveryKeyId").flatMap({ RecoveryKeyID(hex: $0) }) else {
            throw FxAError.invalidParameter(["recoveryKeyId"], source: "params")
        }
        try await customs.check(.codeCheck, subject: token.uid.hex, ip: request.clientIP)
        return RecoveryDataResponse(recoveryData: try await service.recoveryData(id, uid: token.uid))
    }
}
