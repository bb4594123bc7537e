import Foundation

/// A parsed `Authorization: Hawk id="…", ts="…", nonce="…", hash="…", mac="…"`
/// header, as Firefox and PyFxA ≤ 0.8 send it. Attribute order is free;
/// `ext` is optional, `hash` is present when the request has a body.
public struct HawkAuthorization: Sendable, Equatable {
    /// The token id, hex.
    public let id: String
    /// Seconds since the epoch, as the client's clock saw them.
    public let timestamp: Int64
    public let nonce: String
    /// Base64 SHA-256 of the payload, if the client sent one.
    public let hash: String?
    public let ext: String?
    /// Base64 HMAC-SHA256 of the normalised request.
    public let mac: String

    /// Parses the header value; `nil` for anything that is not a well-formed
    /// Hawk header (unknown or repeated attributes, unquoted values, missing
    /// id/ts/nonce/mac, a non-numeric ts).
    public init?(header: String) {
        var rest = Substring(header)
        guard rest.count <= 4096, rest.lowercased().hasPrefix("hawk ") else { return nil }
        rest = rest.dropFirst(5)
        let allowed: Set = ["id", "ts", "nonce", "hash", "ext", "mac", "app", "dlg"]
        var values: [String: String] = [:]
        while true {
            rest = rest.drop(while: { $0 == " " || $0 == "," })
            if rest.isEmpty { break }
            guard let equals = rest.firstIndex(of: "=") else { return nil }
            let name = rest[..<equals].trimmingCharacters(in: .whitespaces)
            rest = rest[rest.index(after: equals)...]
            guard rest.first == "\"", let close = rest.dropFirst().firstIndex(of: "\"") else { return nil }
            let value = String(rest[rest.index(after: rest.startIndex)..<close])
            guard allowed.contains(name), values[name] == nil, !value.contains("\\") else { return nil }
            values[name] = value
            rest = rest[rest.index(after: close)...]
        }
        guard let id = values["id"], let ts = values["ts"].flatMap({ Int64($0) }),
              let nonce = values["nonce"], let mac = values["mac"], !id.isEmpty, !nonce.isEmpty
        else { return nil }
        self.id = id
        timestamp = ts
        self.nonce = nonce
        hash = values["hash"]
        ext = values["ext"]
        self.mac = mac
    }

    /// Builds a header value (used by tests and by the RP kit's client).
    public init(id: String, timestamp: Int64, nonce: String, hash: String?, ext: String? = nil, mac: String) {
        self.id = id
        self.timestamp = timestamp
        self.nonce = nonce
        self.hash = hash
        self.ext = ext
        self.mac = mac
    }

    /// The header value in the form PyFxA 0.8 sends.
    public var headerValue: String {
        var parts = [#"id="\#(id)""#, #"ts="\#(timestamp)""#, #"nonce="\#(nonce)""#]
        if let hash { parts.append(#"hash="\#(hash)""#) }
        if let ext { parts.append(#"ext="\#(ext)""#) }
        parts.append(#"mac="\#(mac)""#)
        return "Hawk " + parts.joined(separator: ", ")
    }
}
