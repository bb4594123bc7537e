import Foundation

/// The relying party's identity at the provider: its client id and, for a
/// backend (confidential client), its secret.
///
/// The secret is wrapped so that printing, logging or interpolating the
/// credentials never shows it; only the token exchange reads it.
public struct FxAClientCredentials: Sendable, Equatable, CustomStringConvertible {
    /// The client id the provider assigned (FxA: 16 hex digits; other
    /// providers: any non-empty string without spaces).
    public let clientID: String
    /// `nil` for a public client, which proves itself with PKCE alone.
    public let secret: ClientSecret?

    /// Checks the id's shape; throws ``FxAClientError/invalidConfiguration(_:)``.
    public init(clientID: String, secret: ClientSecret? = nil) throws {
        guard !clientID.isEmpty, clientID.count <= 256,
              clientID.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else { throw FxAClientError.invalidConfiguration("client id must be non-empty printable ASCII without spaces") }
        self.clientID = clientID
        self.secret = secret
    }

    /// A public client (native app, single-page app) proves itself with PKCE alone.
    public var isPublicClient: Bool { secret == nil }

    public var description: String { "client \(clientID) (\(secret == nil ? "public" : "confidential"))" }
}

/// A client secret. Its `description` is redacted, so it cannot reach a log
/// by accident; ``reveal()`` is the one deliberate read.
public struct ClientSecret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    private let value: String

    /// Wraps a secret; an empty one is refused.
    public init(_ value: String) throws {
        guard !value.isEmpty else { throw FxAClientError.invalidConfiguration("client secret is empty") }
        self.value = value
    }

    /// The secret itself, for the token request body only.
    public func reveal() -> String { value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}
