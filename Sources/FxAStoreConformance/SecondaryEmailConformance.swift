import FxACore
import FxAStore
import Foundation

extension StoreConformance {
    private static func refusal(_ expected: SecondaryEmailRefusal, _ what: String, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let refusal as SecondaryEmailRefusal {
            try requireEqual(refusal, expected, what)
            return
        }
        throw ConformanceFailure(description: "\(what): expected \(expected), nothing thrown")
    }

    /// ``SecondaryEmailStore``.
    static let secondaryEmailCases: [ConformanceCase] = [
        ConformanceCase("secondary emails: added unverified, refused when primary, duplicated, verified elsewhere or over the limit") { stores in
            let alice = sampleAccount("alice@example.org")
            let bob = sampleAccount("bob@example.org")
            try await stores.accounts.create(alice)
            try await stores.accounts.create(bob)
            let at = Date(timeIntervalSince1970: 1_700_000_100)
            try await stores.secondaryEmails.addSecondaryEmail("Alice.Work@Example.org", uid: alice.uid, at: at, limit: 3)
            try requireEqual(
                try await stores.secondaryEmails.secondaryEmails(uid: alice.uid),
                [SecondaryEmail(email: "Alice.Work@Example.org", verified: false, createdAt: at)], "listed")
            try await refusal(.isOwnPrimary, "own primary") {
                try await stores.secondaryEmails.addSecondaryEmail("ALICE@example.org", uid: alice.uid, at: at, limit: 3)
            }
            try await refusal(.isAnotherPrimary, "another's primary") {
                try await stores.secondaryEmails.addSecondaryEmail("bob@example.org", uid: alice.uid, at: at, limit: 3)
            }
            try await refusal(.alreadyAdded, "twice") {
                try await stores.secondaryEmails.addSecondaryEmail("alice.work@example.org", uid: alice.uid, at: at, limit: 3)
            }
            // An unverified claim does not block another account...
            try await stores.secondaryEmails.addSecondaryEmail("alice.work@example.org", uid: bob.uid, at: at, limit: 3)
            // ...and verifying removes the other claims.
            try await stores.secondaryEmails.markSecondaryEmailVerified(normalizedEmail: "alice.work@example.org", uid: alice.uid)
            try requireEqual(try await stores.secondaryEmails.secondaryEmails(uid: bob.uid), [], "bob's claim dropped")
            try await refusal(.verifiedElsewhere, "verified by alice") {
                try await stores.secondaryEmails.addSecondaryEmail("alice.work@example.org", uid: bob.uid, at: at, limit: 3)
            }
            let verified = try await stores.secondaryEmails.isVerifiedSecondaryEmail(normalizedEmail: "alice.work@example.org")
            try require(verified, "verified")
            try await stores.secondaryEmails.addSecondaryEmail("b1@example.org", uid: bob.uid, at: at, limit: 1)
            try await refusal(.tooMany, "limit") {
                try await stores.secondaryEmails.addSecondaryEmail("b2@example.org", uid: bob.uid, at: at, limit: 1)
            }
            try await refusal(.notFound, "verify unknown") {
                try await stores.secondaryEmails.markSecondaryEmailVerified(normalizedEmail: "nobody@example.org", uid: bob.uid)
            }
            try await stores.secondaryEmails.removeSecondaryEmail(normalizedEmail: "b1@example.org", uid: bob.uid)
            try await refusal(.notFound, "remove twice") {
                try await stores.secondaryEmails.removeSecondaryEmail(normalizedEmail: "b1@example.org", uid: bob.uid)
            }
        },
        ConformanceCase("secondary emails: only one account can verify an address, even racing") { stores in
            let accounts = (0..<4).map { sampleAccount("racer\($0)@example.org") }
            for account in accounts {
                try await stores.accounts.create(account)
                try await stores.secondaryEmails.addSecondaryEmail("prize@example.org", uid: account.uid, at: Date(), limit: 3)
            }
            let outcomes = await withTaskGroup(of: String.self) { group in
                for account in accounts {
                    group.addTask {
                        do {
                            try await stores.secondaryEmails.markSecondaryEmailVerified(normalizedEmail: "prize@example.org", uid: account.uid)
                            return "won"
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            try requireEqual(outcomes.filter { $0 == "won" }.count, 1, "one winner: \(outcomes)")
            try requireEqual(outcomes.filter { $0 == "\(SecondaryEmailRefusal.verifiedElsewhere)" }.count, 3, "losers told why: \(outcomes)")
            var verifiedBy = 0
            for account in accounts where try await stores.secondaryEmails.secondaryEmails(uid: account.uid).contains(where: \.verified) {
                verifiedBy += 1
            }
            try requireEqual(verifiedBy, 1, "verified by exactly one account")
        },
        ConformanceCase("secondary emails: making one primary swaps the addresses, keeps the hash email, records the event") { stores in
            let alice = sampleAccount("Alice@Example.org")
            try await stores.accounts.create(alice)
            let at = Date(timeIntervalSince1970: 1_700_000_100)
            try await stores.secondaryEmails.addSecondaryEmail("new@example.org", uid: alice.uid, at: at, limit: 3)
            let change = OutboxEvent(
                uid: alice.uid, kind: .profileChange, payload: ["email": .string("new@example.org")],
                occurredAt: Date(timeIntervalSince1970: 1_700_000_500))
            try await refusal(.unverified, "unverified") {
                try await stores.secondaryEmails.makePrimary(normalizedEmail: "new@example.org", uid: alice.uid, recording: change)
            }
            try requireEqual(try await stores.outbox.events(uid: alice.uid), [], "no event for a refused change")
            try await stores.secondaryEmails.markSecondaryEmailVerified(normalizedEmail: "new@example.org", uid: alice.uid)
            try await stores.secondaryEmails.makePrimary(normalizedEmail: "new@example.org", uid: alice.uid, recording: change)
            let account = try await stores.accounts.account(uid: alice.uid)
            try requireEqual(account?.email, "Alice@Example.org", "hash email kept")
            try requireEqual(account?.primaryEmail, "new@example.org", "primary")
            try requireEqual(try await stores.accounts.account(normalizedEmail: "new@example.org")?.uid, alice.uid, "found by the new primary")
            try requireEqual(try await stores.accounts.account(normalizedEmail: "alice@example.org")?.uid, nil, "not by the old one")
            try requireEqual(try await stores.accounts.account(anyVerifiedEmail: "alice@example.org")?.uid, alice.uid, "old one is a verified secondary")
            try requireEqual(
                try await stores.secondaryEmails.secondaryEmails(uid: alice.uid).map { [$0.email, String($0.verified)] },
                [["Alice@Example.org", "true"]], "old primary listed as a verified secondary")
            try requireEqual(try await stores.outbox.events(uid: alice.uid), [change], "event")
            let profile = try await stores.profiles.profile(uid: alice.uid)
            try requireEqual(profile?.email, "new@example.org", "profile email")
            try requireEqual(profile?.changedAt, change.occurredAt, "profile changed at")
            // Deleting the account removes its addresses.
            try await stores.accounts.delete(uid: alice.uid, recording: OutboxEvent(uid: alice.uid, kind: .deleteUser, occurredAt: Date()))
            let stillThere = try await stores.secondaryEmails.isVerifiedSecondaryEmail(normalizedEmail: "alice@example.org")
            try require(!stillThere, "gone with the account")
        },
    ]
}
