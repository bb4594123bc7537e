import FxACore
import FxAStore
import Foundation
import JWTKit
import Testing
import Vapor
@testable import FxAServer

/// The event broker end to end: changes made through the API reach the
/// webhooks of the RPs the user authorized, as SETs signed with the JWKS key.
@Suite("Event broker: webhook deliveries", .serialized)
struct EventDeliveryTests {
    /// A quick policy for tests: fast polls, a one-second timeout.
    static func configure(_ configuration: inout ServerConfiguration) {
        configuration.eventDelivery.pollInterval = 0.02
        configuration.eventDelivery.timeout = 1
        // The tests fast-forward the clock past backoffs; a long lease keeps
        // that from also expiring claims in flight (lease takeover is a
        // store conformance case).
        configuration.eventDelivery.lease = 3600
        configuration.eventDelivery.initialBackoff = 1
        configuration.eventDelivery.maxBackoff = 8
    }

    /// Verifies a SET with the server's published keys; returns its claims.
    static func verify(_ token: String, on server: TestServer) async throws -> SecurityEventTokenClaims {
        let keys = JWTKeyCollection()
        for key in try await server.dependencies.keyRing.published() {
            await keys.add(rsa: key.privateKey.publicKey, digestAlgorithm: .sha256, kid: JWKIdentifier(string: key.kid))
        }
        let header = try JSONDecoder().decode(JWTHeader.self, from: try #require(Data(base64URLEncoded: token.split(separator: ".")[0])))
        #expect(header.typ == "secevent+jwt")
        #expect(header.alg == "RS256")
        return try await keys.verify(token, as: SETPayload.self).claims
    }

    /// JWTKit's view of a SET, to verify the signature independently of the signer.
    struct SETPayload: JWTPayload {
        let claims: SecurityEventTokenClaims
        init(from decoder: any Decoder) throws { claims = try SecurityEventTokenClaims(from: decoder) }
        func encode(to encoder: any Encoder) throws { try claims.encode(to: encoder) }
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    @Test func everyEventReachesEveryAuthorizedRPAndOnlyThose() async throws {
        let first = try await WebhookReceiver.start()
        let second = try await WebhookReceiver.start()
        let stranger = try await WebhookReceiver.start()
        defer { Task { for receiver in [first, second, stranger] { await receiver.stop() } } }
        try await withTestServer(configure: Self.configure) { server in
            let one = try await server.registerClient(scopes: ["profile", "profile:write"], webhookURL: first.url)
            let two = try await server.registerClient(scopes: ["profile"], webhookURL: second.url)
            let other = try await server.registerClient(scopes: ["profile"], webhookURL: stranger.url)
            let silent = try await server.registerClient(scopes: ["profile"])
            let user = try await server.verifiedSession()
            let writer = try await server.accessToken(one, session: user.session, scope: "profile:write")
            _ = try await server.accessToken(two, session: user.session, scope: "profile")
            _ = try await server.accessToken(silent, session: user.session, scope: "profile")
            // Another account authorized `other`; our user never did.
            let someoneElse = try await server.verifiedSession()
            _ = try await server.accessToken(other, session: someoneElse.session, scope: "profile")

            _ = try await server.profileCall(.POST, "/v1/display_name", token: writer, json: ["displayName": "Ada"])
            let uid = try #require(AccountUID(hex: user.uid))
            let now = server.clock.now()
            try await server.dependencies.stores.accounts.replaceCredentials(
                uid: uid, v1: .init(authSalt: SecureRandom.bytes(32), verifyHash: SecureRandom.bytes(32), wrapWrapKb: SecureRandom.bytes(32)),
                v2: nil, .change, at: now,
                recording: OutboxEvent(uid: uid, kind: .passwordChange, payload: ["changeTime": .int(Int(now.timeIntervalSince1970 * 1000))], occurredAt: now))
            try await server.dependencies.stores.accounts.delete(uid: uid, recording: OutboxEvent(uid: uid, kind: .deleteUser, occurredAt: now))

            #expect(try await eventually { first.accepted.count == 3 && second.accepted.count == 3 })
            try await Task.sleep(for: .milliseconds(200))
            #expect(stranger.received.isEmpty, "an RP the user never authorized heard nothing")
            for (receiver, client) in [(first, one), (second, two)] {
                #expect(receiver.received.count == 3)
                var kinds: [String: [String: JSONValue]] = [:]
                var jtis = Set<String>()
                for token in receiver.accepted {
                    let claims = try await Self.verify(token, on: server)
                    #expect(claims.iss == "https://accounts.example.test")
                    #expect(claims.aud == client.id)
                    #expect(claims.sub == user.uid)
                    #expect(claims.events.count == 1)
                    jtis.insert(claims.jti)
                    kinds.merge(claims.events) { $1 }
                }
                #expect(jtis.count == 3)
                #expect(Set(kinds.keys) == [SecurityEventURI.profileChange, SecurityEventURI.passwordChange, SecurityEventURI.deleteUser])
                #expect(kinds[SecurityEventURI.passwordChange]?["changeTime"] == .int(Int(now.timeIntervalSince1970 * 1000)))
            }
            // Recorded after each receiver's answer: wait for the last.
            let outbox = server.dependencies.stores.outbox
            #expect(try await eventually { try await outbox.deliveries(status: .delivered, clientID: nil, limit: 100).count == 6 })
            let delivered = try await outbox.deliveries(status: .delivered, clientID: nil, limit: 100)
            #expect(delivered.count == 6)
            #expect(delivered.allSatisfy { $0.attempts == 1 && $0.lastStatus == 200 })
        }
    }

    /// `FXA_EVENT_DELIVERY=off`: the change still queues its delivery in
    /// the same transaction, nothing is sent, and an instance with delivery
    /// on (here the same database, started again) sends it.
    @Test func withDeliveryOffEventsQueueUntilAnInstanceDeliversThem() async throws {
        let receiver = try await WebhookReceiver.start()
        defer { Task { await receiver.stop() } }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fxa-delivery-off-\(SecureRandom.bytes(6).hexString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = DatabaseLocation.sqliteFile(path: folder.appendingPathComponent("fxa.sqlite").path)
        try await withTestServer(configure: {
            Self.configure(&$0)
            $0.database = database
            $0.eventDelivery.enabled = false
        }) { server in
            let client = try await server.registerClient(scopes: ["profile", "profile:write"], webhookURL: receiver.url)
            let user = try await server.verifiedSession()
            let writer = try await server.accessToken(client, session: user.session, scope: "profile:write")
            _ = try await server.profileCall(.POST, "/v1/display_name", token: writer, json: ["displayName": "Ada"])
            // Many poll intervals of an enabled worker.
            try await Task.sleep(for: .milliseconds(500))
            #expect(receiver.received.isEmpty)
            let pending = try await server.dependencies.stores.outbox.deliveries(status: .pending, clientID: nil, limit: 10)
            #expect(pending.count == 1)
        }
        try await withTestServer(configure: {
            Self.configure(&$0)
            $0.database = database
        }) { server in
            // Booting starts the worker (a request would too).
            try await server.app.asyncBoot()
            #expect(try await eventually { receiver.accepted.count == 1 })
            // The worker records the outcome after the receiver's answer, so
            // the row may still be pending for a moment after it arrived.
            let outbox = server.dependencies.stores.outbox
            #expect(try await eventually {
                try await outbox.deliveries(status: .delivered, clientID: nil, limit: 10).count == 1
            })
        }
    }

    /// swift-fxa has no payments: the operator grants capabilities, and RPs
    /// hear about each change as FxA's subscription-state-change.
    @Test func capabilitiesSetByTheOperatorReachRPsAsSubscriptionStateChanges() async throws {
        let hook = try await WebhookReceiver.start()
        defer { Task { await hook.stop() } }
        try await withTestServer(configure: Self.configure) { server in
            let client = try await server.registerClient(scopes: ["profile"], webhookURL: hook.url)
            let user = TestUser()
            let account = try await server.signUp(user)
            _ = try await server.accessToken(client, session: account.sessionToken, scope: "profile")
            let admin = server.dependencies.accountAdministration()
            let email = try #require(EmailAddress(user.email))
            let (_, granted) = try await admin.setCapabilities(["vpn", "relay"], email: email)
            #expect(granted == ["relay", "vpn"])
            _ = try await admin.setCapabilities(["relay", "monitor"], email: email)
            #expect(try await admin.capabilities(email: email).1 == ["monitor", "relay"])
            await #expect(throws: FxAError.self) { try await admin.setCapabilities(["bad value"], email: email) }

            #expect(try await eventually { hook.accepted.count == 3 })
            var states: [[String: JSONValue]] = []
            for token in hook.accepted {
                let claims = try await Self.verify(token, on: server)
                #expect(claims.sub == account.uid)
                states.append(try #require(claims.events[SecurityEventURI.subscriptionStateChange]))
            }
            let summary = Set(states.map { "\($0["isActive"] == .bool(true) ? "+" : "-")\($0["capabilities"].map { "\($0)" } ?? "")" })
            #expect(summary == [
                "+\(JSONValue.array([.string("relay"), .string("vpn")]))", "+\(JSONValue.array([.string("monitor")]))",
                "-\(JSONValue.array([.string("vpn")]))",
            ])
            #expect(states.allSatisfy { if case .int = $0["changeTime"] { true } else { false } })
        }
    }

    @Test func flakyAndLateReceiversGetEveryEventOnceAfterDeduplication() async throws {
        let flaky = try await WebhookReceiver.start(.flaky)
        // A receiver that is down at first: a port with nothing listening yet.
        let placeholder = try await WebhookReceiver.start()
        let downPort = placeholder.port
        await placeholder.stop()
        defer { Task { await flaky.stop() } }
        try await withTestServer(configure: Self.configure) { server in
            let flakyClient = try await server.registerClient(scopes: ["profile", "profile:write"], webhookURL: flaky.url)
            let downClient = try await server.registerClient(scopes: ["profile"], webhookURL: "http://127.0.0.1:\(downPort)/events")
            let user = try await server.verifiedSession()
            let writer = try await server.accessToken(flakyClient, session: user.session, scope: "profile:write")
            _ = try await server.accessToken(downClient, session: user.session, scope: "profile")
            let started = server.clock.now()
            for index in 0..<10 {
                _ = try await server.profileCall(.POST, "/v1/display_name", token: writer, json: ["displayName": "name \(index)"])
            }
            // The flaky one fails half its requests and the other is down: both
            // are retried after backoffs, which the test fast-forwards; the
            // second receiver comes up a while in.
            var late: WebhookReceiver?
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                try await Task.sleep(for: .milliseconds(50))
                server.clock.advance(by: 1)
                if late == nil, server.clock.now().timeIntervalSince(started) > 60 {
                    late = try await WebhookReceiver.start(port: downPort)
                }
                if let late, flaky.acceptedJTIs.count == 10, late.acceptedJTIs.count == 10 { break }
            }
            let up = try #require(late)
            defer { Task { await up.stop() } }
            for receiver in [flaky, up] {
                var jtis = Set<String>()
                for token in receiver.accepted { jtis.insert(try await Self.verify(token, on: server).jti) }
                #expect(jtis.count == 10, "every event exactly once after de-duplication by jti")
            }
            #expect(flaky.received.count > 10, "the flaky receiver saw retries")
            // A receiver counts a request before its answer reaches the worker,
            // which then marks the delivery: wait for that, bounded.
            var pending = try await server.dependencies.stores.outbox.pendingCount()
            let settled = Date().addingTimeInterval(10)
            while pending > 0, Date() < settled {
                try await Task.sleep(for: .milliseconds(50))
                server.clock.advance(by: 1)
                pending = try await server.dependencies.stores.outbox.pendingCount()
            }
            #expect(pending == 0)
        }
    }

    @Test func aReceiverThatHangsDoesNotHoldUpTheOthers() async throws {
        let slow = try await WebhookReceiver.start(.sleep(3))
        let trickle = try await WebhookReceiver.start(.trickle)
        let fast = try await WebhookReceiver.start()
        defer { Task { await slow.stop(); await trickle.stop(); await fast.stop() } }
        try await withTestServer(configure: Self.configure) { server in
            let slowClient = try await server.registerClient(scopes: ["profile", "profile:write"], webhookURL: slow.url)
            let fastClient = try await server.registerClient(scopes: ["profile"], webhookURL: fast.url)
            let trickleClient = try await server.registerClient(scopes: ["profile"], webhookURL: trickle.url)
            let user = try await server.verifiedSession()
            let writer = try await server.accessToken(slowClient, session: user.session, scope: "profile:write")
            _ = try await server.accessToken(fastClient, session: user.session, scope: "profile")
            _ = try await server.accessToken(trickleClient, session: user.session, scope: "profile")
            let started = Date()
            for index in 0..<8 {
                _ = try await server.profileCall(.POST, "/v1/display_name", token: writer, json: ["displayName": "n\(index)"])
            }
            #expect(try await eventually(timeout: 5) { fast.accepted.count == 8 })
            #expect(Date().timeIntervalSince(started) < 1.5, "the fast RP is not queued behind the slow one's timeouts")
            let slowDeliveries = try await server.dependencies.stores.outbox.deliveries(status: nil, clientID: OAuthClientID(hex: slowClient.id), limit: 20)
            #expect(try await eventually(timeout: 5) {
                let now = try await server.dependencies.stores.outbox.deliveries(status: .pending, clientID: OAuthClientID(hex: slowClient.id), limit: 20)
                return now.contains { $0.lastError?.contains("timed out") == true }
            }, "the slow RP's attempts time out and are retried")
            // One that answers 200 and then trickles its body is cut off at the deadline too.
            #expect(try await eventually(timeout: 5) {
                let now = try await server.dependencies.stores.outbox.deliveries(
                    status: .pending, clientID: OAuthClientID(hex: trickleClient.id), limit: 20)
                return now.contains { $0.lastError?.contains("did not finish") == true }
            }, "a trickled body does not hold the slot")
            #expect(slowDeliveries.count == 8)
        }
    }

    @Test func gone410TurnsTheWebhookOffAndRedirectsAreNotFollowed() async throws {
        let gone = try await WebhookReceiver.start(.answer(410))
        let target = try await WebhookReceiver.start()
        let redirecting = try await WebhookReceiver.start(.redirect(target.url))
        defer { Task { for receiver in [gone, target, redirecting] { await receiver.stop() } } }
        try await withTestServer(configure: Self.configure) { server in
            let goneClient = try await server.registerClient(scopes: ["profile", "profile:write"], webhookURL: gone.url)
            let redirectClient = try await server.registerClient(scopes: ["profile"], webhookURL: redirecting.url)
            let user = try await server.verifiedSession()
            let writer = try await server.accessToken(goneClient, session: user.session, scope: "profile:write")
            _ = try await server.accessToken(redirectClient, session: user.session, scope: "profile")
            _ = try await server.profileCall(.POST, "/v1/display_name", token: writer, json: ["displayName": "x"])

            let goneID = try #require(OAuthClientID(hex: goneClient.id))
            #expect(try await eventually { try await server.dependencies.stores.oauthClients.client(id: goneID)?.webhookURL == nil })
            let failed = try await server.dependencies.stores.outbox.deliveries(status: .failed, clientID: goneID, limit: 5)
            #expect(failed.first?.lastStatus == 410)

            let redirectID = try #require(OAuthClientID(hex: redirectClient.id))
            #expect(try await eventually {
                try await server.dependencies.stores.outbox.deliveries(status: .pending, clientID: redirectID, limit: 5).first?.lastStatus == 307
            })
            #expect(target.received.isEmpty, "the redirect target never saw the token")
        }
    }
}
