/// What Firefox's Sync client reads from an error of the tokenserver or a
/// storage node, which is not FxA's JSON error body.
///
/// The tokenserver answers `{"status": …, "errors": [{"location", "name",
/// "description"}]}`, and Firefox acts on `status` (`invalid-client-state`
/// makes it fetch new keys). A storage node answers a bare integer, a
/// "weave error code". An ``FxAError`` thrown on those routes carries this
/// detail so that the one error type still describes every failure; the
/// routes' middleware renders it.
public enum SyncErrorDetail: Sendable, Equatable {
    /// The tokenserver's body.
    case tokenserver(TokenserverErrorBody)
    /// A storage node's body: one of the weave error codes.
    case storage(weaveCode: Int)
}

/// The word a tokenserver error starts with, which clients branch on.
public enum TokenserverStatus: String, Sendable, Equatable, Encodable {
    /// No usable access token or key id.
    case invalidCredentials = "invalid-credentials"
    /// The key fingerprint is one replaced by newer keys, or changed
    /// without the keys' change time moving.
    case invalidClientState = "invalid-client-state"
    /// The token predates the account's current password.
    case invalidGeneration = "invalid-generation"
    /// The keys' change time is not the account's.
    case invalidKeysChangedAt = "invalid-keysChangedAt"
    /// `X-KeyID` is missing or not printable.
    case invalidKeyID = "invalid-key-id"
    /// Anything else the client did wrong (a malformed header, a path).
    case error
    /// The server failed; nothing more is said.
    case internalError = "internal-error"
}

/// The tokenserver's error body, as syncstorage-rs writes it: a `status`
/// word and one entry saying where the problem was.
public struct TokenserverErrorBody: Sendable, Equatable, Encodable {
    /// Where the problem was.
    public enum Location: String, Sendable, Equatable, Encodable {
        case body, header, url, `internal`
    }

    /// The word clients branch on.
    public var status: TokenserverStatus
    /// Where the problem was.
    public var location: Location
    /// The header or parameter at fault, or empty.
    public var name: String
    /// Text for people; never secrets or internal details.
    public var description: String

    /// A body with every part given.
    public init(status: TokenserverStatus, location: Location, name: String = "", description: String) {
        self.status = status
        self.location = location
        self.name = name
        self.description = description
    }

    private enum Keys: String, CodingKey { case status, errors }
    private enum EntryKeys: String, CodingKey { case location, name, description }

    /// `{"status": …, "errors": [{"location": …, "name": …, "description": …}]}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(status, forKey: .status)
        var errors = container.nestedUnkeyedContainer(forKey: .errors)
        var entry = errors.nestedContainer(keyedBy: EntryKeys.self)
        try entry.encode(location, forKey: .location)
        try entry.encode(name, forKey: .name)
        try entry.encode(description, forKey: .description)
    }
}
