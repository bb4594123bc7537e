import FxACore
import FxAStore
import Foundation

/// Mints auth-API tokens and stores what the server keeps of them.
struct TokenIssuer: Sendable {
    let tokens: any TokenStore
    let clock: any WallClock

    /// A new token of `kind` for `uid`. For a key-fetch token, `keys` is the
    /// `kA`/`wrapKb` pair its bundle will carry, sealed now under the token's
    /// bundle key.
    func issue(
        _ kind: FxATokenKind, uid: AccountUID, verified: Bool, verificationMethod: SessionVerificationMethod? = nil,
        stretchVersion: KeyStretchVersion? = nil, keys: (kA: Data, wrapKb: Data)? = nil, parentIDHash: TokenHash? = nil
    ) async throws -> IssuedToken {
        let token = IssuedToken(kind: kind)
        let sealed = keys.map { KeyBundle.seal(kA: $0.kA, wrapKb: $0.wrapKb, bundleKey: token.derived.extraKey) }
        try await tokens.insert(StoredToken(
            idHash: TokenHash(of: token.derived.id), kind: kind, uid: uid,
            wrappedKeys: TokenAtRest.wrapKeys(of: token.derived), createdAt: clock.now(), verified: verified,
            verificationMethod: verificationMethod, stretchVersion: stretchVersion, parentIDHash: parentIDHash, sealedKeyBundle: sealed))
        return token
    }
}
