import Crypto
import CryptoExtras
import Foundation

/// The client half of onepw: a password stretched with PBKDF2 so the server
/// only ever sees `authPW`, while `unwrapBKey` (which unlocks kB) stays on
/// the client.
///
/// The server does not stretch passwords; this type exists for the RP kit,
/// the tests (known-answer vectors from PyFxA and FxA) and the operator CLI.
public struct StretchedPassword: Sendable, Equatable {
    /// Which stretching produced the value.
    public let version: KeyStretchVersion
    /// The 32-byte PBKDF2 output.
    public let stretched: Data

    /// v1: 1,000 rounds salted with the email exactly as typed.
    public static func v1(password: String, email: String) throws -> StretchedPassword {
        let salt = Data(("identity.mozilla.com/picl/v1/quickStretch:" + email).utf8)
        return StretchedPassword(version: .v1, stretched: try pbkdf2(password, salt: salt, rounds: 1000))
    }

    /// v2: 650,000 rounds salted with the account's `clientSalt`.
    public static func v2(password: String, clientSalt: ClientSalt) throws -> StretchedPassword {
        StretchedPassword(
            version: .v2, stretched: try pbkdf2(password, salt: Data(clientSalt.rawValue.utf8), rounds: 650_000))
    }

    /// What the client sends as `authPW`.
    public var authPW: Data { OnepwKDF.derive(stretched, name: "authPW", length: 32) }
    /// What the client keeps to unwrap kB.
    public var unwrapBKey: Data { OnepwKDF.derive(stretched, name: "unwrapBkey", length: 32) }

    private static func pbkdf2(_ password: String, salt: Data, rounds: Int) throws -> Data {
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Data(password.utf8), salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: rounds)
        return key.withUnsafeBytes { Data($0) }
    }
}

/// The two key-stretching versions FxA supports.
public enum KeyStretchVersion: Int, Sendable, Codable, Equatable {
    case v1 = 1
    case v2 = 2

    /// As `/account/credentials/status` reports it: `"v1"` or `"v2"`.
    public var label: String { "v\(rawValue)" }
}

/// A v2 client salt: `identity.mozilla.com/picl/v1/quickStretchV2:` followed
/// by 32 hex characters, validated so no other string can be stored as one.
public struct ClientSalt: Sendable, Equatable, Codable, RawRepresentable {
    public static let prefix = "identity.mozilla.com/picl/v1/quickStretchV2:"
    public let rawValue: String

    public init?(rawValue: String) {
        guard rawValue.hasPrefix(Self.prefix) else { return nil }
        let core = rawValue.dropFirst(Self.prefix.count)
        guard core.count == 32, core.allSatisfy(\.isHexDigit) else { return nil }
        self.rawValue = rawValue
    }

    /// A fresh random salt, as clients make them.
    public static func random() -> ClientSalt {
        ClientSalt(rawValue: prefix + SecureRandom.bytes(16).hexString)!
    }
}
