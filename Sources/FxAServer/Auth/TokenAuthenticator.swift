import FxACore
import FxAStore
import Foundation
import Vapor

/// Checks the `Authorization` header of an auth-API request, in either of
/// the schemes FxA clients use:
///
/// - `Bearer <prefix>_<tokenId>` (PyFxA 0.9, current FxA clients): the
///   prefix must name the kind of the token found;
/// - `Hawk id=…, ts=…, nonce=…, hash=…, mac=…` (Firefox, PyFxA ≤ 0.8): the
///   MAC and payload hash must verify under the token's derived key, the
///   timestamp must be within ±60 s (else errno 111 with `serverTime`), and
///   the nonce must be new (else errno 115).
///
/// Tokens are found by `SHA-256(tokenId)`; unknown, wrong-kind and
/// malformed credentials all answer errno 110 without saying which.
struct TokenAuthenticator: Sendable {
    let tokens: any TokenStore
    let accounts: any AccountStore
    let clock: any WallClock
    let nonces: HawkNonceCache
    let publicURL: PublicBaseURL
    /// What a verified session is (``authenticateVerifiedSession(_:)``).
    let sessionRule: VerifiedSessionRule
    /// Allowed clock difference for Hawk timestamps, in seconds.
    var skew: Int64 = 60

    /// How long each kind of token lives (FxA's defaults); session tokens
    /// live until destroyed or until the password changes.
    static func lifetime(of kind: FxATokenKind) -> TimeInterval? {
        switch kind {
        case .sessionToken: nil
        case .keyFetchToken: 3600
        case .passwordChangeToken, .accountResetToken: 15 * 60
        case .passwordForgotToken: 60 * 60
        }
    }

    /// The token of `request`, which must be one of `kinds`.
    func authenticate(_ request: Request, as kinds: Set<FxATokenKind>) async throws -> AuthenticatedToken {
        guard let header = request.headers.first(name: .authorization) else {
            throw FxAError.invalidToken("Missing authentication")
        }
        let token: AuthenticatedToken
        if header.lowercased().hasPrefix("bearer ") {
            token = try await bearer(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces), kinds: kinds)
        } else if let hawk = HawkAuthorization(header: header) {
            token = try await self.hawk(hawk, request: request, kinds: kinds)
        } else {
            throw FxAError.invalidToken()
        }
        if let lifetime = Self.lifetime(of: token.kind), clock.now().timeIntervalSince(token.stored.createdAt) > lifetime {
            try await tokens.delete(idHash: token.idHash)
            throw FxAError.invalidToken("Expired authentication token")
        }
        return token
    }

    /// The token of `request` (one of `kinds`) and its account.
    func authenticateWithAccount(_ request: Request, as kinds: Set<FxATokenKind>) async throws -> AuthenticatedAccount {
        let token = try await authenticate(request, as: kinds)
        guard let account = try await accounts.account(uid: token.uid) else { throw FxAError.invalidToken() }
        return AuthenticatedAccount(token: token, account: account)
    }

    /// The request's session token with its account, meeting
    /// ``VerifiedSessionRule`` (errno 104, 138 or 222 otherwise).
    func authenticateVerifiedSession(_ request: Request) async throws -> AuthenticatedAccount {
        let session = try await authenticateWithAccount(request, as: [.sessionToken])
        try await sessionRule.check(session.token.stored, account: session.account)
        return session
    }

    /// A password-forgot token whose emailed code was proven (the OTP flow
    /// issues it after the code), with its account. The older flow hands
    /// one out for an address alone, so it may not ask about the account's
    /// second factor or give one: errno 138.
    func authenticateProvenForgotToken(_ request: Request) async throws -> AuthenticatedAccount {
        let forgot = try await authenticateWithAccount(request, as: [.passwordForgotToken])
        guard forgot.token.stored.verified else { throw FxAError.unverifiedSession() }
        return forgot
    }

    /// A session token, or a password-forgot token as
    /// ``authenticateProvenForgotToken(_:)`` requires it: the `exists`
    /// routes a reset page asks.
    func authenticateSessionOrProvenForgotToken(_ request: Request) async throws -> AuthenticatedToken {
        let token = try await authenticate(request, as: [.sessionToken, .passwordForgotToken])
        if token.kind == .passwordForgotToken, !token.stored.verified { throw FxAError.unverifiedSession() }
        return token
    }

    private func bearer(_ credential: String, kinds: Set<FxATokenKind>) async throws -> AuthenticatedToken {
        guard let separator = credential.firstIndex(of: "_"),
              let kind = FxATokenKind(bearerPrefix: credential[..<separator]), kinds.contains(kind),
              let id = Hex32(hex: credential[credential.index(after: separator)...])
        else { throw FxAError.invalidToken() }
        return try await load(id: id.bytes, kind: kind)
    }

    private func hawk(_ header: HawkAuthorization, request: Request, kinds: Set<FxATokenKind>) async throws -> AuthenticatedToken {
        guard let id = Hex32(hex: header.id),
              let stored = try await tokens.token(idHash: TokenHash(of: id.bytes)), kinds.contains(stored.kind),
              let keys = TokenAtRest.unwrapKeys(stored.wrappedKeys, id: id.bytes)
        else { throw FxAError.invalidToken() }

        let now = Int64(clock.now().timeIntervalSince1970)
        guard abs(header.timestamp - now) <= skew else {
            throw FxAError.invalidTimestamp(serverTime: now)
        }

        let body = request.body.data.map { Data(buffer: $0) } ?? Data()
        if let claimed = header.hash {
            let contentType = request.headers.first(name: .contentType) ?? ""
            let actual = HawkSignature.payloadHash(contentType: contentType, body: body)
            guard Data(actual.utf8).constantTimeEquals(Data(claimed.utf8)) else {
                throw FxAError.invalidSignature("Bad payload hash")
            }
        } else if !body.isEmpty {
            throw FxAError.invalidSignature("Missing required payload hash")
        }

        let (host, port) = hostAndPort(of: request)
        let expected = HawkSignature.mac(
            key: keys.hawkKey, timestamp: header.timestamp, nonce: header.nonce, method: request.method.rawValue,
            resource: request.url.string, host: host, port: port, hash: header.hash, ext: header.ext)
        guard Data(expected.utf8).constantTimeEquals(Data(header.mac.utf8)) else {
            throw FxAError.invalidSignature("Bad mac")
        }
        guard await nonces.insertIfNew(tokenID: header.id, nonce: header.nonce, now: clock.now()) else {
            throw FxAError.invalidNonce()
        }
        return AuthenticatedToken(id: id.bytes, stored: stored, extraKey: keys.extraKey)
    }

    private func load(id: Data, kind: FxATokenKind) async throws -> AuthenticatedToken {
        guard let stored = try await tokens.token(idHash: TokenHash(of: id)), stored.kind == kind,
              let keys = TokenAtRest.unwrapKeys(stored.wrappedKeys, id: id)
        else { throw FxAError.invalidToken() }
        return AuthenticatedToken(id: id, stored: stored, extraKey: keys.extraKey)
    }

    /// The host and port the client signed: from the `Host` header, with the
    /// public URL's scheme deciding the default port.
    private func hostAndPort(of request: Request) -> (String, Int) {
        let defaultPort = publicURL.isHTTPS ? 443 : 80
        guard let host = request.headers.first(name: .host), !host.isEmpty else {
            return ("", defaultPort)
        }
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            let name = String(host[...close])
            let rest = host[host.index(after: close)...]
            return (name, rest.hasPrefix(":") ? Int(rest.dropFirst()) ?? defaultPort : defaultPort)
        }
        let parts = host.split(separator: ":", maxSplits: 1)
        return (String(parts[0]), parts.count > 1 ? Int(parts[1]) ?? defaultPort : defaultPort)
    }
}
