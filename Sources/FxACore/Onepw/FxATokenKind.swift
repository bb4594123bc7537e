import Foundation

/// The kinds of token the auth API issues. Each derives its id and keys
/// under its own HKDF context, and travels with its own Bearer prefix, so a
/// token of one kind can never be used where another is expected.
public enum FxATokenKind: String, Sendable, CaseIterable, Codable {
    case sessionToken
    case keyFetchToken
    case accountResetToken
    case passwordForgotToken
    case passwordChangeToken

    /// The prefix of the prefixed Bearer scheme (`Bearer fxs_<tokenId>`).
    public var bearerPrefix: String {
        switch self {
        case .sessionToken: "fxs"
        case .keyFetchToken: "fxk"
        case .accountResetToken: "fxar"
        case .passwordForgotToken: "fxpf"
        case .passwordChangeToken: "fxpc"
        }
    }

    /// The kind a Bearer prefix names, if any.
    public init?(bearerPrefix: some StringProtocol) {
        guard let kind = Self.allCases.first(where: { $0.bearerPrefix == bearerPrefix }) else { return nil }
        self = kind
    }
}

/// The three values both sides derive from a raw 32-byte token:
/// `HKDF(token, "<kind>", 96)` split into id, Hawk key and a third part
/// (the key-bundle key for keyFetchToken).
///
/// The server stores tokens by ``id`` and keeps the Hawk key to check MACs;
/// it never needs the raw token again after handing it out.
public struct DerivedToken: Sendable, Equatable {
    public let kind: FxATokenKind
    /// 32 bytes: the token's public identifier, sent in Bearer/Hawk headers.
    public let id: Data
    /// 32 bytes: the HMAC key of Hawk signatures.
    public let hawkKey: Data
    /// 32 bytes: for keyFetchToken, the key that encrypts `/account/keys`.
    public let extraKey: Data

    public init(token: Data, kind: FxATokenKind) {
        let material = OnepwKDF.derive(token, name: kind.rawValue, length: 96)
        self.kind = kind
        id = material.prefix(32)
        hawkKey = material.dropFirst(32).prefix(32)
        extraKey = material.suffix(32)
    }
}
