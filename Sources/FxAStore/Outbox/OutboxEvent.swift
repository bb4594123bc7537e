import FxACore
import Foundation

/// A change that relying parties must hear about, recorded in the same
/// transaction as the change itself. The event broker delivers them.
public struct OutboxEvent: Sendable, Equatable {
    /// What happened, in FxA's event vocabulary.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case passwordChange = "password-change"
        case profileChange = "profile-change"
        case deleteUser = "delete-user"
        case subscriptionStateChange = "subscription-state-change"
    }

    public var id: UUID
    public var uid: AccountUID
    public var kind: Kind
    /// Event-specific fields (`changeTime`, new `email`, ...), as JSON.
    public var payload: [String: JSONValue]
    public var occurredAt: Date

    public init(id: UUID = UUID(), uid: AccountUID, kind: Kind, payload: [String: JSONValue] = [:], occurredAt: Date) {
        self.id = id
        self.uid = uid
        self.kind = kind
        self.payload = payload
        self.occurredAt = occurredAt
    }
}

/// Reading the outbox (writing happens inside other stores' transactions).
public protocol OutboxStore: Sendable {
    /// Every recorded event for `uid`, oldest first.
    func events(uid: AccountUID) async throws -> [OutboxEvent]
}
