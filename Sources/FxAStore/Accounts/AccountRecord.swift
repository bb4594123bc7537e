import FxACore
import Foundation

/// An account as stored. Holds no password and nothing from which one could
/// be recovered: the verifier is an scrypt-derived hash of the client's
/// already-stretched authPW, and kB exists only wrapped twice (by the
/// client's unwrapBKey and by the server's wrapWrapKey).
public struct AccountRecord: Sendable, Equatable {
    public var uid: AccountUID
    /// As the user typed it at sign-up. The v1 password salt depends on it,
    /// so it never changes, even when another address becomes the primary
    /// one (FxA's "email to hash with").
    public var email: String
    /// Where mail goes and what RPs are told: the sign-up address until a
    /// verified secondary address is made primary.
    public var primaryEmail: String
    /// The primary address as a lookup key (``EmailAddress/normalize(_:)``), unique.
    public var normalizedEmail: String
    public var emailVerified: Bool
    /// Class-A key, random per account, known to the server by design.
    public var kA: Data
    /// The v1 (PBKDF2 1,000 rounds) credentials. Every account has them: a
    /// v2 account still accepts a v1 login, as FxA's does.
    public var v1: Credentials
    /// The v2 (PBKDF2 650,000 rounds) credentials, once the client set them.
    public var v2: CredentialsV2?
    public var createdAt: Date
    /// When the password last changed; tokens older than this are invalid.
    public var verifierSetAt: Date
    /// When kB last changed: the account's creation, then each password
    /// reset (a change keeps kB). FxA's `keysChangedAt`: the scoped keys'
    /// `keyRotationTimestamp`, so a relying party sees a new `kid` exactly
    /// when the keys it holds stopped being the user's.
    public var keysChangedAt: Date
    /// The browser's `Accept-Language` at sign-up, as FxA keeps it; the
    /// profile API reports it to RPs granted `profile:locale`.
    public var locale: String?

    /// One stretch version's verifier and wrapped key.
    public struct Credentials: Sendable, Equatable {
        public var authSalt: Data
        public var verifyHash: Data
        public var wrapWrapKb: Data
        public init(authSalt: Data, verifyHash: Data, wrapWrapKb: Data) {
            self.authSalt = authSalt
            self.verifyHash = verifyHash
            self.wrapWrapKb = wrapWrapKb
        }
    }

    /// v2 credentials with the salt the client stretches with.
    public struct CredentialsV2: Sendable, Equatable {
        public var clientSalt: ClientSalt
        public var credentials: Credentials
        public init(clientSalt: ClientSalt, credentials: Credentials) {
            self.clientSalt = clientSalt
            self.credentials = credentials
        }
    }

    public init(
        uid: AccountUID, email: String, emailVerified: Bool, kA: Data, v1: Credentials, v2: CredentialsV2?,
        createdAt: Date, verifierSetAt: Date, locale: String? = nil, keysChangedAt: Date? = nil
    ) {
        self.uid = uid
        self.email = email
        primaryEmail = email
        normalizedEmail = EmailAddress.normalize(email)
        self.emailVerified = emailVerified
        self.kA = kA
        self.v1 = v1
        self.v2 = v2
        self.createdAt = createdAt
        self.verifierSetAt = verifierSetAt
        self.keysChangedAt = keysChangedAt ?? createdAt
        self.locale = locale
    }

    /// The stretch version clients should use now.
    public var currentStretchVersion: KeyStretchVersion { v2 == nil ? .v1 : .v2 }
}
