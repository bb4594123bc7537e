import Foundation

/// The one error type of swift-fxa, rendered as FxA's JSON error body:
/// `{"code", "errno", "error", "message", "info", ...extra}`.
///
/// Handlers throw these and nothing else; a middleware turns any other error
/// into ``unexpected()`` so that no stack trace, SQL text or library message
/// ever reaches a client. FxA clients (PyFxA, Firefox) branch on `errno`, so
/// each constructor mirrors the one in Mozilla's `lib/error.js` with the same
/// status, errno, `error` phrase and message.
public struct FxAError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which errno table the number comes from. The auth, OAuth and profile
    /// servers reuse numbers with different meanings, so a bare `Int` would be ambiguous.
    public enum Number: Sendable, Equatable {
        case auth(AuthErrno)
        case oauth(OAuthErrno)
        case profile(ProfileErrno)

        /// The integer that goes on the wire.
        public var rawValue: Int {
            switch self {
            case .auth(let errno): errno.rawValue
            case .oauth(let errno): errno.rawValue
            case .profile(let errno): errno.rawValue
            }
        }
    }

    /// The documentation link FxA puts in `info`; the errnos are FxA's, so its
    /// documentation describes them.
    public static let defaultInfo = "https://github.com/mozilla/fxa-auth-server/blob/master/docs/api.md#response-format"

    /// HTTP status code, also sent as `code` in the body.
    public var status: Int
    /// FxA's stable error number.
    public var errno: Number
    /// FxA's `error` field: usually the HTTP reason phrase.
    public var error: String
    /// Human-readable text; never contains secrets or internal details.
    public var message: String
    /// Documentation URL.
    public var info: String
    /// Seconds until a retry makes sense; also sent as a `Retry-After` header.
    public var retryAfter: Int?
    /// Extra top-level fields FxA adds for some errors (`validation`,
    /// `serverTime`, `invalidScopes`, ...).
    public var extra: [String: JSONValue]
    /// The `WWW-Authenticate` challenge of a 401 (RFC 7235 §4.1: a 401
    /// must carry one), such as `Bearer error="invalid_token"` (RFC 6750
    /// §3) or `Basic realm="…"` (RFC 6749 §5.2); sent as a header only.
    public var challenge: String?
    /// How Sync's two services word this error, for the Sync routes, whose
    /// clients read other bodies than FxA's (see ``SyncErrorDetail``);
    /// `nil` lets those routes derive one from the status.
    public var sync: SyncErrorDetail?

    /// Creates an error. Prefer the named constructors, which keep FxA's
    /// status/errno/message triples together.
    public init(
        status: Int,
        errno: Number,
        error: String? = nil,
        message: String,
        info: String = FxAError.defaultInfo,
        retryAfter: Int? = nil,
        extra: [String: JSONValue] = [:],
        challenge: String? = nil,
        sync: SyncErrorDetail? = nil
    ) {
        self.status = status
        self.errno = errno
        self.error = error ?? HTTPReasonPhrase.for(status: status)
        self.message = message
        self.info = info
        self.retryAfter = retryAfter
        self.extra = extra
        self.challenge = challenge
        self.sync = sync
    }

    public var description: String {
        "FxAError(\(status), errno \(errno.rawValue): \(message))"
    }
}

extension FxAError: Encodable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Encodes FxA's error body. Extra fields never overwrite the five
    /// standard ones, so a careless `extra` cannot change the error's meaning.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(status, forKey: Key("code"))
        try container.encode(errno.rawValue, forKey: Key("errno"))
        try container.encode(error, forKey: Key("error"))
        try container.encode(message, forKey: Key("message"))
        try container.encode(info, forKey: Key("info"))
        if let retryAfter {
            try container.encode(retryAfter, forKey: Key("retryAfter"))
        }
        let reserved: Set = ["code", "errno", "error", "message", "info", "retryAfter"]
        for (key, value) in extra where !reserved.contains(key) {
            try container.encode(value, forKey: Key(key))
        }
    }
}
