import FxACore
@testable import FxAServer
import FxAStore
import Foundation
import Testing

/// The tokenserver's rules, case by case, with syncstorage-rs's outcomes.
@Suite("Tokenserver rules")
struct TokenserverRulesTests {
    let uid = AccountUID.random()

    func user(_ id: Int64, generation: Int64, keysChangedAt: Int64?, state: String, created: TimeInterval,
              replaced: TimeInterval? = nil) -> SyncUserRecord {
        SyncUserRecord(id: id, uid: uid, generation: generation, keysChangedAt: keysChangedAt, clientState: state,
                       createdAt: Date(timeIntervalSince1970: created), replacedAt: replaced.map(Date.init(timeIntervalSince1970:)))
    }

    func decide(_ generation: Int64?, _ keysChangedAt: Int64?, _ state: String, _ users: [SyncUserRecord]) throws(TokenserverRefusal)
        -> SyncUserDecision {
        try TokenserverRules.decide(SyncTokenClaim(generation: generation, keysChangedAt: keysChangedAt, clientState: state), users: users)
    }

    @Test func theFirstRequestCreatesAUserWithWhatTheClientSent() throws {
        #expect(try decide(100, 90, "aa", []) == .create(generation: 100, keysChangedAt: 90, clientState: "aa"))
        #expect(try decide(0, 0, "aa", []) == .create(generation: 0, keysChangedAt: nil, clientState: "aa"), "0 is unknown")
    }

    @Test func theSameKeysReuseTheUserAndMoveItForward() throws {
        let current = user(1, generation: 100, keysChangedAt: 90, state: "aa", created: 10)
        #expect(try decide(100, 90, "aa", [current]) == .use(current))
        #expect(try decide(200, 90, "aa", [current]) == .update(id: 1, generation: 200, keysChangedAt: 90), "a password change")
    }

    @Test func newKeysWithANewerKeysChangedAtMakeANewUser() throws {
        let current = user(1, generation: 100, keysChangedAt: 90, state: "aa", created: 10)
        #expect(try decide(300, 300, "bb", [current]) == .create(generation: 300, keysChangedAt: 300, clientState: "bb"))
    }

    @Test func aClientStillHoldingOldKeysIsRefused() {
        let old = user(1, generation: 100, keysChangedAt: 90, state: "aa", created: 10, replaced: 20)
        let current = user(2, generation: 300, keysChangedAt: 300, state: "bb", created: 20)
        // The old fingerprint again: what a device not yet reconnected after a reset sends.
        #expect(throws: TokenserverRefusal.invalidClientState("Unacceptable client-state value stale value")) {
            try decide(300, 300, "aa", [current, old])
        }
        // A new fingerprint without a newer key time, or without a newer generation.
        #expect(throws: TokenserverRefusal.invalidClientState("Unacceptable client-state value new value with no keys_changed_at change")) {
            try decide(400, 300, "cc", [current, old])
        }
        #expect(throws: TokenserverRefusal.invalidClientState("Unacceptable client-state value new value with no generation change")) {
            try decide(300, 300, "cc", [current, old])
        }
        #expect(throws: TokenserverRefusal.invalidClientState("Unacceptable client-state value empty string")) {
            try decide(300, 300, "", [current, old])
        }
    }

    @Test func nothingMovesBackwards() {
        let current = user(1, generation: 100, keysChangedAt: 90, state: "aa", created: 10)
        #expect(throws: TokenserverRefusal.invalidGeneration) { try decide(50, 90, "aa", [current]) }
        #expect(throws: TokenserverRefusal.invalidKeysChangedAt) { try decide(100, 80, "aa", [current]) }
        #expect(throws: TokenserverRefusal.invalidKeysChangedAt, "a key time once seen may not go missing") {
            try decide(100, nil, "aa", [current])
        }
        #expect(throws: TokenserverRefusal.invalidKeysChangedAt, "keys cannot change after the generation") {
            try decide(100, 150, "aa", [current])
        }
    }

    @Test func withoutAGenerationANewerKeyTimeBecomesIt() throws {
        let current = user(1, generation: 100, keysChangedAt: 90, state: "aa", created: 10)
        #expect(try decide(nil, 120, "aa", [current]) == .update(id: 1, generation: 120, keysChangedAt: 120))
        #expect(try decide(nil, 95, "aa", [current]) == .update(id: 1, generation: 100, keysChangedAt: 95))
    }

    @Test func theCurrentUserIsTheOneNotReplacedWhateverTheClocksSay() throws {
        // Another instance's clock was behind: the replaced row looks newer.
        let replaced = user(1, generation: 100, keysChangedAt: 90, state: "aa", created: 50, replaced: 40)
        let current = user(2, generation: 100, keysChangedAt: 120, state: "bb", created: 40)
        #expect(try decide(100, 120, "bb", [replaced, current]) == .use(current))
        #expect(try decide(100, 120, "bb", [current, replaced]) == .use(current))
    }

    @Test func unknownValuesSkipTheirRules() throws {
        // No generation: a key change is judged by the key time alone.
        let current = user(1, generation: 100, keysChangedAt: 90, state: "aa", created: 10)
        #expect(try decide(nil, 150, "bb", [current]) == .create(generation: 150, keysChangedAt: 150, clientState: "bb"))
        // No key time stored yet: the first one a client sends is taken.
        let legacy = user(1, generation: 100, keysChangedAt: nil, state: "aa", created: 10)
        #expect(try decide(100, 100, "aa", [legacy]) == .update(id: 1, generation: 100, keysChangedAt: 100))
    }

    @Test func refusalsCarryTheTokenserversStatus() {
        #expect(TokenserverRefusal.invalidGeneration.status.rawValue == "invalid-generation")
        #expect(TokenserverRefusal.invalidKeysChangedAt.status.rawValue == "invalid-keysChangedAt")
        #expect(TokenserverRefusal.invalidClientState("x").status.rawValue == "invalid-client-state")
    }
}
