import FxACore
import FxAStore
import Foundation

extension StoreConformance {
    /// An account, and clients: `a` and `b` authorized with webhooks, `c`
    /// authorized without one, `d` with a webhook the account never used.
    static func deliveryFixture(_ stores: Stores) async throws -> (
        account: AccountRecord, a: OAuthClientRecord, b: OAuthClientRecord, c: OAuthClientRecord, d: OAuthClientRecord
    ) {
        let account = sampleAccount("events-\(AccountUID.random().hex.prefix(6))@example.org")
        try await stores.accounts.create(account)
        var clients: [OAuthClientRecord] = []
        for name in ["a", "b", "c", "d"] {
            var client = sampleClient(name: name)
            if name == "c" { client.webhookURL = nil }
            try await stores.oauthClients.create(client)
            clients.append(client)
        }
        // a: through a code exchange; b and c: a token without a code (fxa-credentials).
        let code = sampleCode(client: clients[0].id, uid: account.uid)
        try await stores.oauthGrants.insertCode(code)
        _ = try await stores.oauthGrants.redeemCode(hash: code.codeHash, at: Date(timeIntervalSince1970: 1_700_000_020)) { record in
            [sampleOAuthToken(.access, client: record.clientID, uid: record.uid, grant: record.codeHash)]
        }
        for client in clients[1...2] {
            try await stores.oauthGrants.insertToken(sampleOAuthToken(.access, client: client.id, uid: account.uid))
        }
        return (account, clients[0], clients[1], clients[2], clients[3])
    }

    /// The clients `event` was fanned out to.
    static func recipients(of event: OutboxEvent, _ stores: Stores) async throws -> Set<OAuthClientID> {
        Set(try await stores.outbox.deliveries(status: nil, clientID: nil, limit: 1000)
            .filter { $0.eventID == event.id }.map(\.clientID))
    }

    /// Event fan-out and the delivery queue.
    static let eventDeliveryCases: [ConformanceCase] = [
        ConformanceCase("events: a client the user disconnected hears only the deletion, until authorized again") { stores in
            let (account, a, b, _, _) = try await deliveryFixture(stores)
            var second: TimeInterval = 1_700_000_100
            func change() async throws -> Set<OAuthClientID> {
                second += 1
                let event = profileChange(account.uid, at: second)
                try await stores.profiles.setDisplayName("Ada \(second)", uid: account.uid, at: event.occurredAt, recording: event)
                return try await recipients(of: event, stores)
            }
            try await stores.oauthGrants.disconnect(uid: account.uid, clientID: a.id, refreshTokenHash: nil, at: Date(timeIntervalSince1970: second))
            try requireEqual(try await change(), [b.id], "disconnected: no profile change")

            // Signing in to it again reconnects it; disconnecting one of two
            // devices leaves it connected, the last one does not.
            let laptop = sampleOAuthToken(.refresh, client: a.id, uid: account.uid)
            let phone = sampleOAuthToken(.refresh, client: a.id, uid: account.uid)
            try await stores.oauthGrants.insertToken(laptop)
            try await stores.oauthGrants.insertToken(phone)
            try requireEqual(try await change(), [a.id, b.id], "authorized again")
            try await stores.oauthGrants.disconnect(
                uid: account.uid, clientID: a.id, refreshTokenHash: laptop.tokenHash, at: Date(timeIntervalSince1970: second))
            try requireEqual(try await stores.oauthGrants.token(hash: laptop.tokenHash), nil, "that device's token")
            try requireEqual(try await change(), [a.id, b.id], "another device still signed in")
            try await stores.oauthGrants.disconnect(
                uid: account.uid, clientID: a.id, refreshTokenHash: phone.tokenHash, at: Date(timeIntervalSince1970: second))
            try requireEqual(try await change(), [b.id], "the last device disconnected")

            let deletion = OutboxEvent(uid: account.uid, kind: .deleteUser, occurredAt: Date(timeIntervalSince1970: second + 1))
            try await stores.accounts.delete(uid: account.uid, recording: deletion)
            try requireEqual(try await recipients(of: deletion, stores), [a.id, b.id], "both hear of the deletion, to erase what they hold")
        },
        ConformanceCase("events: a change fans out to each authorized client with a webhook, and only those") { stores in
            let (account, a, b, _, _) = try await deliveryFixture(stores)
            let at = Date(timeIntervalSince1970: 1_700_000_100)
            try await stores.profiles.setDisplayName("Ada", uid: account.uid, at: at, recording: profileChange(account.uid, at: 1_700_000_100))
            let deliveries = try await stores.outbox.deliveries(status: .pending, clientID: nil, limit: 100)
                .filter { $0.uid == account.uid }
            try requireEqual(Set(deliveries.map(\.clientID)), [a.id, b.id], "recipients")
            try requireEqual(Set(deliveries.map(\.jti)).count, 2, "distinct jti")
            try require(deliveries.allSatisfy { $0.kind == .profileChange && $0.nextAttemptAt == at && $0.attempts == 0 }, "due now")
            try requireEqual(try await stores.outbox.pendingCount() >= 2, true, "queue depth")
        },
        ConformanceCase("events: capabilities are replaced with their events, atomically") { stores in
            let (account, a, b, _, _) = try await deliveryFixture(stores)
            try requireEqual(try await stores.accounts.capabilities(uid: account.uid), [], "none at first")
            let event = OutboxEvent(
                uid: account.uid, kind: .subscriptionStateChange,
                payload: ["capabilities": .array([.string("vpn")]), "isActive": .bool(true)], occurredAt: Date(timeIntervalSince1970: 1_700_000_300))
            let first = try await stores.accounts.setCapabilities(["vpn", "sync", "vpn"], uid: account.uid) { previous in
                previous.isEmpty ? [event] : []
            }
            try requireEqual(first, [], "replaced nothing")
            try requireEqual(try await stores.accounts.capabilities(uid: account.uid), ["sync", "vpn"], "sorted, unique")
            let deliveries = try await stores.outbox.deliveries(status: .pending, clientID: nil, limit: 100).filter { $0.uid == account.uid }
            try requireEqual(Set(deliveries.map(\.clientID)), [a.id, b.id], "recipients")
            try require(deliveries.allSatisfy { $0.kind == .subscriptionStateChange && $0.payload == event.payload }, "payload")
            let second = try await stores.accounts.setCapabilities(["relay"], uid: account.uid) { _ in [] }
            try requireEqual(second, ["sync", "vpn"], "the replaced list, as the write saw it")
            let stranger = AccountUID.random()
            var refused = false
            do { try await stores.accounts.setCapabilities(["x"], uid: stranger) { _ in [] } } catch FxAStoreError.notFound { refused = true }
            try require(refused, "unknown uid")
        },
        ConformanceCase("events: concurrent capability changes announce a grant once") { stores in
            let (account, _, _, _, _) = try await deliveryFixture(stores)
            let grant = OutboxEvent(
                uid: account.uid, kind: .subscriptionStateChange,
                payload: ["capabilities": .array([.string("vpn")]), "isActive": .bool(true)], occurredAt: Date())
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        try await stores.accounts.setCapabilities(["vpn"], uid: account.uid) { previous in
                            previous.contains("vpn") ? [] : [grant]
                        }
                    }
                }
                try await group.waitForAll()
            }
            let events = try await stores.outbox.events(uid: account.uid).filter { $0.kind == .subscriptionStateChange }
            try requireEqual(events.count, 1, "one grant, whoever won")
        },
        ConformanceCase("events: deleting an account fans out delete-user, then forgets its clients") { stores in
            let (account, a, b, _, _) = try await deliveryFixture(stores)
            try await stores.accounts.delete(
                uid: account.uid, recording: OutboxEvent(uid: account.uid, kind: .deleteUser, occurredAt: Date(timeIntervalSince1970: 1_700_000_200)))
            let deliveries = try await stores.outbox.deliveries(status: nil, clientID: nil, limit: 100).filter { $0.uid == account.uid }
            try requireEqual(Set(deliveries.map(\.clientID)), [a.id, b.id], "recipients")
            try require(deliveries.allSatisfy { $0.kind == .deleteUser }, "kind")
        },
        ConformanceCase("events: claims lease deliveries once; outcomes need the lease; retry and 410") { stores in
            let (account, a, b, _, _) = try await deliveryFixture(stores)
            let at = Date(timeIntervalSince1970: 1_700_000_100)
            for second in 0..<3 {
                let when = at.addingTimeInterval(TimeInterval(second))
                try await stores.profiles.setDisplayName(
                    "v\(second)", uid: account.uid, at: when, recording: OutboxEvent(uid: account.uid, kind: .profileChange, occurredAt: when))
            }
            let now = at.addingTimeInterval(10)
            let early = try await stores.outbox.claimDeliveries(owner: "w0", now: at.addingTimeInterval(-1), leaseUntil: now, limit: 10, excluding: [])
            try requireEqual(early.count, 0, "nothing due before it happened")
            let first = try await stores.outbox.claimDeliveries(owner: "w1", now: now, leaseUntil: now.addingTimeInterval(30), limit: 4, excluding: [])
            try requireEqual(first.count, 4, "limit")
            try require(first.allSatisfy { $0.leaseOwner == "w1" }, "leased to w1")
            let second = try await stores.outbox.claimDeliveries(owner: "w2", now: now, leaseUntil: now.addingTimeInterval(30), limit: 10, excluding: [])
            try requireEqual(second.count, 2, "the rest")
            try requireEqual(Set(first.map(\.id)).intersection(second.map(\.id)).count, 0, "no delivery twice")
            let none = try await stores.outbox.claimDeliveries(owner: "w3", now: now.addingTimeInterval(29), leaseUntil: now.addingTimeInterval(60), limit: 10, excluding: [])
            try requireEqual(none.count, 0, "all leased")

            let done = first[0]
            let byStranger = try await stores.outbox.finish(deliveryID: done.id, owner: "w2", attempts: 1, outcome: .delivered(status: 200, at: now))
            try require(!byStranger, "wrong owner")
            let byOwner = try await stores.outbox.finish(deliveryID: done.id, owner: "w1", attempts: 1, outcome: .delivered(status: 200, at: now))
            try require(byOwner, "owner")
            let retried = first[1]
            try await stores.outbox.finish(
                deliveryID: retried.id, owner: "w1", attempts: 1, outcome: .retry(status: 503, error: "HTTP 503", next: now.addingTimeInterval(5)))

            // w2 crashed: its leases lapse and w3 takes those deliveries over,
            // skipping the clients it has no free slot for.
            let later = now.addingTimeInterval(31)
            let full = try await stores.outbox.claimDeliveries(
                owner: "w3", now: later, leaseUntil: later.addingTimeInterval(60), limit: 10, excluding: [a.id, b.id])
            try requireEqual(full.count, 0, "both clients excluded")
            let onlyA = try await stores.outbox.claimDeliveries(
                owner: "w3", now: later, leaseUntil: later.addingTimeInterval(60), limit: 10, excluding: [b.id])
            try require(onlyA.allSatisfy { $0.clientID == a.id }, "b excluded")
            let onlyB = try await stores.outbox.claimDeliveries(
                owner: "w3", now: later, leaseUntil: later.addingTimeInterval(60), limit: 10, excluding: [])
            let takeover = onlyA + onlyB
            let expected = Set(second.map(\.id) + first[2...].map(\.id) + [retried.id])
            try requireEqual(Set(takeover.map(\.id)), expected, "lapsed leases and the due retry")
            let again = takeover.first { $0.id == retried.id }
            try requireEqual(again?.attempts, 1, "attempts kept")
            try requireEqual(again?.lastStatus, 503, "last status kept")

            // 410 Gone from b: b's webhook is turned off and its pending deliveries fail with it.
            let fromB = try requireValue(onlyB.first { $0.clientID == b.id })
            try await stores.outbox.finish(
                deliveryID: fromB.id, owner: "w3", attempts: 1, outcome: .failed(status: 410, error: "HTTP 410", disableWebhook: true))
            try requireEqual(try await stores.oauthClients.client(id: b.id)?.webhookURL, nil, "b's webhook off")
            let bPending = try await stores.outbox.deliveries(status: .pending, clientID: b.id, limit: 10)
            try requireEqual(bPending.count, 0, "b has nothing pending")
            let bFailed = try await stores.outbox.deliveries(status: .failed, clientID: b.id, limit: 10)
            try require(bFailed.count >= 1, "b's deliveries kept as failed")
            try requireEqual(try await stores.outbox.deliveries(status: .delivered, clientID: nil, limit: 10).filter { $0.uid == account.uid }.map(\.id), [done.id], "delivered")

            let revived = try await stores.outbox.retry(id: nil, clientID: b.id, now: now.addingTimeInterval(100))
            try requireEqual(revived, bFailed.count, "failed ones retried")
            try requireEqual(try await stores.outbox.retry(id: done.id, clientID: nil, now: now), 0, "a delivered one stays delivered")
            if let leased = onlyA.first {
                try requireEqual(try await stores.outbox.retry(id: leased.id, clientID: nil, now: later), 0, "one being sent is left alone")
            }
        },
        ConformanceCase("events: history past its retention is pruned in batches; owed and failed deliveries stay") { stores in
            let (account, _, _, _, _) = try await deliveryFixture(stores)
            let old = Date(timeIntervalSince1970: 1_700_000_100)
            for second in 0..<3 {
                let at = old.addingTimeInterval(TimeInterval(second))
                try await stores.profiles.setDisplayName("v\(second)", uid: account.uid, at: at, recording: OutboxEvent(uid: account.uid, kind: .profileChange, occurredAt: at))
            }
            let claimed = try await stores.outbox.claimDeliveries(
                owner: "w", now: old.addingTimeInterval(5), leaseUntil: old.addingTimeInterval(60), limit: 100, excluding: [])
                .filter { $0.uid == account.uid }.sorted { ($0.occurredAt, $0.clientID.hex) < ($1.occurredAt, $1.clientID.hex) }
            try requireEqual(claimed.count, 6, "claimed")
            let done = old.addingTimeInterval(10)
            for delivery in claimed[0..<3] {
                try await stores.outbox.finish(deliveryID: delivery.id, owner: "w", attempts: 1, outcome: .delivered(status: 200, at: done))
            }
            try await stores.outbox.finish(
                deliveryID: claimed[3].id, owner: "w", attempts: 9, outcome: .failed(status: 500, error: "HTTP 500", disableWebhook: false))
            // claimed[4...5] stay pending (their lease lapses).
            let recent = old.addingTimeInterval(100 * 24 * 3600)
            try await stores.profiles.setDisplayName("new", uid: account.uid, at: recent, recording: OutboxEvent(uid: account.uid, kind: .profileChange, occurredAt: recent))
            let fresh = try await stores.outbox.claimDeliveries(
                owner: "w", now: recent, leaseUntil: recent.addingTimeInterval(60), limit: 100, excluding: [])
                .filter { $0.uid == account.uid && $0.occurredAt == recent }
            for delivery in fresh {
                try await stores.outbox.finish(deliveryID: delivery.id, owner: "w", attempts: 1, outcome: .delivered(status: 200, at: recent))
            }
            var pruned = (deliveries: 0, events: 0)
            while true {
                let round = try await stores.outbox.prune(before: old.addingTimeInterval(50 * 24 * 3600), batch: 2)
                pruned.deliveries += round.deliveries
                pruned.events += round.events
                if round == (0, 0) { break }
            }
            try requireEqual(pruned.deliveries, 3, "old delivered deliveries")
            try requireEqual(pruned.events, 3, "old events")
            let left = try await stores.outbox.deliveries(status: nil, clientID: nil, limit: 100).filter { $0.uid == account.uid }
            try requireEqual(left.filter { $0.status == .failed }.count, 1, "failed kept")
            try requireEqual(left.filter { $0.status == .pending }.count, 2, "owed kept")
            try requireEqual(left.filter { $0.status == .delivered }.count, 2, "recent delivered kept")
            try requireEqual(try await stores.outbox.events(uid: account.uid).map(\.occurredAt), [recent], "recent event kept")
        },
    ]
}

/// Unwraps or fails the case.
func requireValue<T>(_ value: T?, _ what: String = "value", file: StaticString = #fileID, line: UInt = #line) throws -> T {
    guard let value else { throw ConformanceFailure(description: "\(file):\(line): \(what) missing") }
    return value
}
