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

/// The tokenserver's error body, as syncstorage-rs writes it: a `status`
/// word and one entry saying where the problem was.
public struct TokenserverErrorBody: Sendable, Equatable, Encodable {
    /// The word clients branch on: `invalid-credentials`,
    /// `invalid-client-state`, `invalid-generation`,
    /// `invalid-keysChangedAt`, `invalid-key-id`, `error` or `internal-error`.
    public var status: String
    /// Where the problem was: `body`, `header`, `url` or `internal`.
    public var location: String
    /// The header or parameter at fault, or empty.
    public var name: String
    /// Text for people; never secrets or internal details.
    public var description: String

    /// A body with every part given.
    public init(status: String, location: String, name: String = "", description: String) {
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
