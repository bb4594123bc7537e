import FxACore
import Foundation

/// How an authenticator-app secret is turned on, which FxA's two API
/// generations do differently and clients of each still rely on.
public enum TOTPEnrollment: String, Sendable, Equatable {
    /// `/mfa/totp/create` → `setup/verify` → `setup/complete` (PyFxA 0.9,
    /// today's FxA): a pending secret does not count as existing.
    case setup
    /// `/totp/create`, then the first `/session/verify/totp` turns it on
    /// (PyFxA 0.8.2): a pending secret already counts as existing.
    case firstCode
}

/// An account's authenticator-app (TOTP) secret and how far its setup has
/// gone. One per account: a new setup replaces a pending one, never an
/// enabled one.
public struct TOTPRecord: Sendable, Equatable {
    public var uid: AccountUID
    /// The shared secret's bytes (the app holds them as base32). Never
    /// logged; shown to the user only while the setup is pending.
    public var secret: Data
    public var enrollment: TOTPEnrollment
    public var createdAt: Date
    /// When a code from the pending secret was checked (`setup/verify`).
    public var setupVerifiedAt: Date?
    /// When it was turned on; `nil` while pending.
    public var enabledAt: Date?
    /// The last time step whose code was accepted: that code, and every
    /// older one, is refused from then on.
    public var lastUsedStep: Int64?
    /// The session that began a pending setup: only it sees the secret and
    /// finishes the setup, so another signed-in session cannot learn a
    /// secret the user is about to rely on.
    public var setupSessionHash: TokenHash?
    /// Wrong codes for the enabled secret since its last accepted one:
    /// kept in the database, so neither a restart nor another instance
    /// gives a guesser a fresh start.
    public var failedCodes: Int
    /// Until when codes are not checked at all, after too many wrong ones.
    public var lockedUntil: Date?

    public init(
        uid: AccountUID, secret: Data, enrollment: TOTPEnrollment, createdAt: Date, setupVerifiedAt: Date? = nil,
        enabledAt: Date? = nil, lastUsedStep: Int64? = nil, setupSessionHash: TokenHash? = nil, failedCodes: Int = 0,
        lockedUntil: Date? = nil
    ) {
        self.setupSessionHash = setupSessionHash
        self.failedCodes = failedCodes
        self.lockedUntil = lockedUntil
        self.uid = uid
        self.secret = secret
        self.enrollment = enrollment
        self.createdAt = createdAt
        self.setupVerifiedAt = setupVerifiedAt
        self.enabledAt = enabledAt
        self.lastUsedStep = lastUsedStep
    }

    /// Whether the account signs in with it.
    public var isEnabled: Bool { enabledAt != nil }
}

/// Persistence of authenticator-app secrets. Every change that must not
/// race (a pending setup against its enabling, a code against its reuse)
/// is one conditional statement.
public protocol TOTPStore: Sendable {
    /// The account's secret, pending or enabled.
    func totp(uid: AccountUID) async throws -> TOTPRecord?
    /// Stores a pending secret in place of any pending one; `false` (and
    /// nothing written) when the account's secret is already enabled.
    func savePending(_ record: TOTPRecord) async throws -> Bool
    /// Notes that the code of `step` of the pending secret was checked, and
    /// spends it; `false` when there is no pending secret with these bytes.
    func markSetupVerified(uid: AccountUID, secret: Data, step: Int64, at date: Date) async throws -> Bool
    /// Turns the pending secret with these bytes on, its code at `usedStep`
    /// spent (`nil`: the step spent at setup stays), recording `event` for relying parties in the same
    /// transaction; `false` (and no event) when there is none (already
    /// enabled, or replaced).
    func enable(uid: AccountUID, secret: Data, at date: Date, usedStep: Int64?, recording event: OutboxEvent?) async throws -> Bool
    /// Spends the code of `step` of the enabled secret, clearing its count
    /// of attempts and any lock; `false` when that step or a later one was
    /// already spent (a replay) or none is enabled. Called only after
    /// ``reserveCodeAttempt(uid:at:lockEvery:lockEnds:)`` let the code be
    /// checked.
    func spend(uid: AccountUID, step: Int64, at date: Date) async throws -> Bool
    /// Counts one attempt at a code of the enabled secret, in one statement,
    /// before the code is looked at: `nil` (nothing counted) when none is
    /// enabled or it is locked at `date`, else the attempts since the last
    /// good code. The attempt that makes the count a multiple of
    /// `lockEvery` also locks the secret, until `lockEnds[n - 1]` for the
    /// n-th such multiple (the last entry beyond). So concurrent guesses
    /// cannot slip past a lock: each must take a count first.
    func reserveCodeAttempt(uid: AccountUID, at date: Date, lockEvery: Int, lockEnds: [Date]) async throws -> Int?
    /// Removes the secret, pending or enabled, recording `event` in the
    /// same transaction when an enabled one was removed; whether there was
    /// an enabled one.
    func delete(uid: AccountUID, recording event: OutboxEvent?) async throws -> Bool
}

extension TOTPStore {
    /// Whether the account signs in with an authenticator app: what sign-in
    /// and every check of a session's assurance ask.
    public func isEnabled(uid: AccountUID) async throws -> Bool {
        try await totp(uid: uid)?.isEnabled ?? false
    }
}
