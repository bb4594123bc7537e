import Crypto
import FxACore
import Foundation

/// A device's name as FxA accepts it: at most 255 characters, all of them
/// display-safe (``DisplaySafeText``).
/// Invalid names are refused (errno 107), never silently cleaned.
struct DeviceName: ValidatedText, Equatable {
    let value: String

    init?(_ text: String) {
        guard text.count <= 255, DisplaySafeText.allows(text) else { return nil }
        value = text
    }
}

/// A device's type: at most 16 characters (`desktop`, `mobile`, `tablet`,
/// `vr`, `tv` in practice; FxA stores what the device says).
struct DeviceType: Codable, Sendable, Equatable {
    let value: String

    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard !text.isEmpty, text.count <= 16, DisplaySafeText.allows(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "1-16 characters"))
        }
        value = text
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// A Web Push subscription's endpoint: an http(s) URL of at most 255
/// characters, or empty for none. Which hosts may receive pushes is the
/// server's policy (``PushEndpointPolicy``), checked by ``DeviceService``.
struct PushCallback: Codable, Sendable, Equatable {
    let value: String?

    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        if text.isEmpty { value = nil; return }
        guard text.utf8.count <= 255, let url = URLComponents(string: text), ["http", "https"].contains(url.scheme ?? ""),
              url.host?.isEmpty == false
        else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an allowed push endpoint"))
        }
        value = text
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value ?? "")
    }
}

/// A push key in unpadded base64url: the subscription's P-256 public key
/// (`pushPublicKey`, 65 bytes uncompressed, checked to be a point on the
/// curve) or its 16-byte auth secret (`pushAuthKey`). Empty means none.
struct PushKey: Codable, Sendable, Equatable {
    enum Kind { case publicKey, authSecret }
    let value: String?

    static func isValid(_ text: String, _ kind: Kind) -> Bool {
        guard text.utf8.allSatisfy({ $0 == 45 || $0 == 95 || (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) }),
              let bytes = Data(base64URLEncoded: text)
        else { return false }
        switch kind {
        case .publicKey:
            return text.count <= 88 && (try? P256.KeyAgreement.PublicKey(x963Representation: bytes)) != nil
        case .authSecret:
            return text.count <= 24 && bytes.count == 16
        }
    }

    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        if text.isEmpty { value = nil; return }
        let kind: Kind = decoder.codingPath.last?.stringValue == "pushAuthKey" ? .authSecret : .publicKey
        guard Self.isValid(text, kind) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a valid push key"))
        }
        value = text
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value ?? "")
    }
}

/// The commands a device accepts: names of 1–100 characters from
/// `[a-zA-Z0-9._/\-:]`, each with a string of at most 2048 characters (the
/// keys another device needs to send it that command).
struct AvailableCommands: Codable, Sendable, Equatable {
    let value: [String: String]

    static func isCommandName(_ name: String) -> Bool {
        (1...100).contains(name.utf8.count)
            && name.utf8.allSatisfy { (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) || "._/-:".utf8.contains($0) }
    }

    init(from decoder: any Decoder) throws {
        let commands = try decoder.singleValueContainer().decode([String: String].self)
        guard commands.count <= 32, commands.allSatisfy({ Self.isCommandName($0.key) && $0.value.count <= 2048 }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid commands"))
        }
        value = commands
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
