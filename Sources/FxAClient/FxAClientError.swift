import Foundation

/// Everything that can go wrong in the relying-party kit, as one typed
/// error. Each case names the check that failed, so an RP can log it,
/// count it, and decide (for example) that a `stateMismatch` means "start
/// the sign-in again" while an `invalidIDToken` means "alert someone".
///
/// No case carries a token, a secret or a code: errors end up in logs.
public enum FxAClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The provider's discovery document could not be fetched or lacks a
    /// required endpoint.
    case discoveryFailed(String)
    /// The provider does not offer what was asked (e.g. `/v1/verify` on a
    /// generic OIDC provider, or revocation when none is advertised).
    case unsupportedByProvider(String)
    /// A configuration value is missing or malformed.
    case invalidConfiguration(String)
    /// The callback's `state` is not the one bound to this browser session.
    case stateMismatch
    /// There is no pending authorization to complete: the session has none,
    /// it was already used (a replayed callback), or it expired.
    case noPendingAuthorization
    /// The provider redirected back with an OAuth error (`access_denied`,
    /// `login_required`, ...).
    case authorizationDenied(error: String, description: String?)
    /// The callback carries neither a `code` nor an `error`.
    case missingAuthorizationCode
    /// The provider answered an HTTP call with an error. `errno` is FxA's
    /// when the body is FxA's error shape; `error` the OAuth error code.
    case providerError(status: Int, errno: Int?, error: String?, message: String?)
    /// The provider's answer could not be read.
    case malformedResponse(String)
    /// The ID token failed a check; the reason names which one.
    case invalidIDToken(TokenRejection)
    /// A Security Event Token failed a check; the reason names which one.
    case invalidSecurityEventToken(TokenRejection)
    /// The transport failed (connection refused, timeout, ...).
    case transport(String)
    /// `keys_jwe` could not be opened or held malformed keys.
    case invalidScopedKeys(String)

    public var description: String {
        switch self {
        case .discoveryFailed(let why): "provider discovery failed: \(why)"
        case .unsupportedByProvider(let what): "the provider does not support \(what)"
        case .invalidConfiguration(let why): "invalid configuration: \(why)"
        case .stateMismatch: "the callback state does not match this session's"
        case .noPendingAuthorization: "no pending authorization in this session (replayed or expired callback)"
        case .authorizationDenied(let error, let description):
            "the provider refused the authorization: \(error)" + (description.map { " (\($0))" } ?? "")
        case .missingAuthorizationCode: "the callback has no code"
        case .providerError(let status, let errno, let error, let message):
            "provider answered \(status)" + (errno.map { " errno \($0)" } ?? "") + (error.map { " \($0)" } ?? "")
                + (message.map { ": \($0)" } ?? "")
        case .malformedResponse(let why): "malformed provider response: \(why)"
        case .invalidIDToken(let reason): "invalid ID token: \(reason)"
        case .invalidSecurityEventToken(let reason): "invalid security event token: \(reason)"
        case .transport(let why): "transport error: \(why)"
        case .invalidScopedKeys(let why): "invalid scoped keys: \(why)"
        }
    }
}

/// Why a signed token (ID token or SET) was refused.
public enum TokenRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not three base64url parts, or undecodable header or claims.
    case malformed
    /// A header `alg` other than RS256 (this includes `none` and HS256).
    case unsupportedAlgorithm(String)
    /// The `kid` is not in the provider's JWKS, even after refetching it.
    case unknownKey(String?)
    /// The signature does not verify with the provider's key.
    case badSignature
    /// `iss` is not the configured provider's issuer.
    case wrongIssuer
    /// `aud` does not contain this client's id.
    case wrongAudience
    /// `exp` is in the past (beyond the allowed clock skew).
    case expired
    /// `iat` is too far from now: in the future, or (for SETs) too old.
    case issuedAtOutOfRange
    /// The `nonce` is not the one sent with the authorization request.
    case nonceMismatch
    /// `at_hash` does not match the access token issued with it.
    case accessTokenHashMismatch
    /// The SET's `jti` was seen before: a replay.
    case replayed
    /// A required claim is missing.
    case missingClaim(String)
    /// The `Authorization` header is absent or not `Bearer <token>`.
    case missingBearer
    /// The profile is about another user than the ID token's `sub`.
    case subjectMismatch

    public var description: String {
        switch self {
        case .malformed: "malformed token"
        case .unsupportedAlgorithm(let alg): "unsupported algorithm \(alg)"
        case .unknownKey(let kid): "unknown signing key \(kid ?? "(no kid)")"
        case .badSignature: "bad signature"
        case .wrongIssuer: "wrong issuer"
        case .wrongAudience: "wrong audience"
        case .expired: "expired"
        case .issuedAtOutOfRange: "issued-at out of range"
        case .nonceMismatch: "nonce mismatch"
        case .accessTokenHashMismatch: "at_hash mismatch"
        case .replayed: "replayed jti"
        case .missingClaim(let name): "missing claim \(name)"
        case .missingBearer: "missing Bearer authorization"
        case .subjectMismatch: "profile and ID token name different users"
        }
    }
}
