import Foundation

/// The `X-KeyID` header Firefox sends to the tokenserver:
/// `<keys_changed_at>-<base64url(first 16 bytes of SHA-256(kB))>`.
///
/// The tokenserver keeps a user's storage only while this client state is
/// unchanged: new keys (a password reset without a recovery key) must start
/// on empty storage, or every device fails to decrypt the old `crypto/keys`.
public struct SyncKeyID: Sendable, Equatable {
    /// When the account's keys last changed, in milliseconds (FxA's
    /// `keysChangedAt`); 0 means "not known".
    public let keysChangedAt: Int64
    /// The key fingerprint as lowercase hex (the legacy `X-Client-State`).
    public let clientState: String

    /// A key id from its parts; `clientState` is lowercase hex.
    public init(keysChangedAt: Int64, clientState: String) {
        self.keysChangedAt = keysChangedAt
        self.clientState = clientState
    }

    /// Parses the header, split at its first `-` as syncstorage-rs does.
    /// `nil` when there is no `-`, the left part is not a non-negative
    /// integer, or the right part is not 1 to 32 bytes of unpadded
    /// base64url (the standard alphabet's `+` and `/` are refused).
    public init?(header: some StringProtocol) {
        guard let dash = header.firstIndex(of: "-") else { return nil }
        let left = header[..<dash], right = header[header.index(after: dash)...]
        guard !left.isEmpty, left.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let keysChangedAt = Int64(left),
              !right.contains("="), !right.contains("+"), !right.contains("/"),
              let state = Data(base64URLEncoded: right), (1...32).contains(state.count)
        else { return nil }
        self.init(keysChangedAt: keysChangedAt, clientState: state.hexString)
    }

    /// The header form: the time zero-padded to 13 digits, as FxA and the
    /// tokenserver's `fxa_kid` write it.
    public var header: String {
        let time = String(keysChangedAt)
        let padded = String(repeating: "0", count: max(0, 13 - time.count)) + time
        return padded + "-" + (Data(hex: clientState) ?? Data()).base64URLEncodedString
    }
}
