import FxACore
import FxAStore
import Vapor

/// `/v1/account/*`: sign-up, sign-in, existence checks, key fetch, deletion.
struct AccountController: RouteCollection {
    let service: AccountService
    let authenticator: TokenAuthenticator
    let customs: Customs

    func boot(routes: any RoutesBuilder) throws {
        let account = routes.grouped("v1", "account")
        account.post("create", use: create)
        account.post("login", use: login)
        account.get("status", use: statusByUID)
        account.post("status", use: statusByEmail)
        account.post("credentials", "status", use: credentialsStatus)
        account.get("keys", use: keys)
        account.post("destroy", use: destroy)
        account.get("profile", use: profile)
        routes.post("v1", "get_random_bytes", use: randomBytes)
    }

    @Sendable func create(_ request: Request) async throws -> SessionResponse {
        let body = try request.content.decode(CreateAccountRequest.self)
        try await customs.check(.passwordCheck, subject: body.email.normalized, ip: request.clientIP)
        return try await service.create(
            body, wantKeys: try KeysQuery.wantsKeys(request), locale: AcceptLanguage.locale(in: request.headers))
    }

    @Sendable func login(_ request: Request) async throws -> SessionResponse {
        let body = try request.content.decode(LoginRequest.self)
        try await customs.check(.passwordCheck, subject: body.email.normalized, ip: request.clientIP)
        // The account is the one `originalLoginEmail` names: its guesses
        // count there too, so varying `email` buys no extra attempts.
        if let named = body.originalLoginEmail, named.normalized != body.email.normalized {
            try await customs.check(.passwordCheck, subject: named.normalized, ip: nil)
        }
        return try await service.login(body, wantKeys: try KeysQuery.wantsKeys(request))
    }

    /// `GET /account/status?uid=` (FxA answers `exists` only).
    @Sendable func statusByUID(_ request: Request) async throws -> AccountExistsResponse {
        guard let raw = request.query[String.self, at: "uid"] else { throw FxAError.missingParameter("uid") }
        guard let uid = AccountUID(hex: raw) else { throw FxAError.invalidParameter(["uid"], source: "query") }
        return AccountExistsResponse(exists: try await service.exists(uid: uid))
    }

    @Sendable func statusByEmail(_ request: Request) async throws -> AccountExistsResponse {
        let body = try request.content.decode(EmailRequest.self)
        try await customs.check(.passwordCheck, subject: nil, ip: request.clientIP)
        return AccountExistsResponse(exists: try await service.exists(email: body.email))
    }

    /// Which stretching the client must use for this account, and the v2 salt.
    @Sendable func credentialsStatus(_ request: Request) async throws -> CredentialsStatusResponse {
        let body = try request.content.decode(EmailRequest.self)
        try await customs.check(.passwordCheck, subject: nil, ip: request.clientIP)
        return try await service.credentialsStatus(email: body.email)
    }

    /// The encrypted `kA || wrapKb` (``AccountService/keys(_:)``).
    @Sendable func keys(_ request: Request) async throws -> KeyBundleResponse {
        try await service.keys(try await authenticator.authenticateWithAccount(request, as: [.keyFetchToken]))
    }

    @Sendable func destroy(_ request: Request) async throws -> EmptyJSON {
        let session = try await authenticator.authenticate(request, as: [.sessionToken])
        let body = try request.content.decode(DestroyAccountRequest.self)
        try await customs.check(.passwordCheck, subject: body.email.normalized, ip: request.clientIP)
        try await service.destroy(body, session: session.stored)
        return EmptyJSON()
    }

    /// What the profile server reads about the account (``AccountService/profile(_:)``).
    @Sendable func profile(_ request: Request) async throws -> AccountProfileResponse {
        try await service.profile(try await authenticator.authenticateWithAccount(request, as: [.sessionToken]))
    }

    /// 32 bytes from the server's CSPRNG; takes an empty POST, as PyFxA sends.
    @Sendable func randomBytes(_ request: Request) async throws -> RandomBytesResponse {
        RandomBytesResponse(data: SecureRandom.bytes(32).hexString)
    }
}
