import FxACore
import FxAStore
import Foundation

extension StoreConformance {
    /// An account with a session token, and a device record on it (not stored).
    static func deviceFixture(_ stores: Stores, name: String = "Firefox on Linux", at seconds: TimeInterval = 1_700_000_000)
        async throws -> (AccountRecord, StoredToken, DeviceRecord) {
        let account = sampleAccount("device-\(AccountUID.random().hex.prefix(8))@example.org")
        try await stores.accounts.create(account)
        let session = sampleToken(account.uid)
        try await stores.tokens.insert(session)
        let device = DeviceRecord(
            id: .random(), uid: account.uid, sessionIDHash: session.idHash, name: name, type: "desktop",
            createdAt: Date(timeIntervalSince1970: seconds), lastAccessAt: Date(timeIntervalSince1970: seconds),
            availableCommands: ["https://identity.mozilla.com/cmd/open-uri": #"{"kid":"k1"}"#])
        return (account, session, device)
    }

    static func sampleCommand(_ device: DeviceRecord, sender: DeviceID? = nil, expiresAt: TimeInterval = 1_800_000_000) -> DeviceCommand {
        DeviceCommand(
            uid: device.uid, target: device.id, command: "https://identity.mozilla.com/cmd/open-uri",
            payload: #"{"encrypted":"abc"}"#, sender: sender, createdAt: Date(timeIntervalSince1970: 1_700_000_000),
            expiresAt: Date(timeIntervalSince1970: expiresAt))
    }

    /// ``DeviceStore``.
    static let deviceCases: [ConformanceCase] = [
        ConformanceCase("devices: registered, found by session and by id, listed for their account only") { stores in
            let (account, session, device) = try await deviceFixture(stores)
            try await stores.devices.insert(device)
            try requireEqual(try await stores.devices.device(sessionIDHash: session.idHash), device, "by session")
            try requireEqual(try await stores.devices.device(uid: account.uid, id: device.id), device, "by id")
            try requireEqual(try await stores.devices.device(uid: .random(), id: device.id), nil, "another account's id")
            let (_, _, other) = try await deviceFixture(stores)
            try await stores.devices.insert(other)
            try requireEqual(try await stores.devices.devices(uid: account.uid), [device], "the account's devices only")
        },
        ConformanceCase("devices: a session has one device; a second registration is a conflict") { stores in
            let (_, _, device) = try await deviceFixture(stores)
            try await stores.devices.insert(device)
            var second = device
            second.id = .random()
            do {
                try await stores.devices.insert(second)
                throw ConformanceFailure(description: "second device on one session was stored")
            } catch FxAStoreError.conflict {}
        },
        ConformanceCase("devices: an update changes only the session's own device") { stores in
            let (account, _, device) = try await deviceFixture(stores)
            try await stores.devices.insert(device)
            var renamed = device
            renamed.name = "Work laptop"
            renamed.pushCallback = "https://push.example/v1/abc"
            renamed.availableCommands = [:]
            let updated = try await stores.devices.update(renamed)
            try require(updated, "updated")
            try requireEqual(try await stores.devices.device(uid: account.uid, id: device.id), renamed, "stored")
            try await stores.devices.markPushEndpointExpired(uid: .random(), id: device.id)
            try requireEqual(try await stores.devices.device(uid: account.uid, id: device.id)?.pushEndpointExpired, false,
                             "not by another account")
            try await stores.devices.markPushEndpointExpired(uid: account.uid, id: device.id)
            try requireEqual(try await stores.devices.device(uid: account.uid, id: device.id)?.pushEndpointExpired, true,
                             "expired endpoint")
            var stranger = renamed
            stranger.sessionIDHash = TokenHash.random()
            let strangerUpdated = try await stores.devices.update(stranger)
            try require(!strangerUpdated, "another session cannot update it")
            var unknown = renamed
            unknown.id = .random()
            let unknownUpdated = try await stores.devices.update(unknown)
            try require(!unknownUpdated, "unknown id")
        },
        ConformanceCase("devices: end with their session (sign-out, password change, account deletion)") { stores in
            let (account, session, device) = try await deviceFixture(stores)
            try await stores.devices.insert(device)
            try await stores.tokens.delete(idHash: session.idHash)
            try requireEqual(try await stores.devices.devices(uid: account.uid), [], "session gone, device gone")
            let swept = try await stores.devices.sweep(now: Date(timeIntervalSince1970: 1_700_000_000))
            try require(swept >= 1, "swept")

            let (changed, _, second) = try await deviceFixture(stores)
            try await stores.devices.insert(second)
            try await stores.accounts.replaceCredentials(
                uid: changed.uid, v1: changed.v1, v2: nil, .change, at: Date(),
                recording: OutboxEvent(uid: changed.uid, kind: .passwordChange, occurredAt: Date()))
            try requireEqual(try await stores.devices.devices(uid: changed.uid), [], "password change")

            let (deleted, _, third) = try await deviceFixture(stores)
            try await stores.devices.insert(third)
            _ = try await stores.devices.enqueue(sampleCommand(third))
            try await stores.accounts.delete(uid: deleted.uid, recording: OutboxEvent(uid: deleted.uid, kind: .deleteUser, occurredAt: Date()))
            try requireEqual(try await stores.devices.device(uid: deleted.uid, id: third.id), nil, "account deleted")
            let left = try await stores.devices.commands(
                uid: deleted.uid, target: third.id, from: 0, limit: 10, now: Date(timeIntervalSince1970: 1_700_000_000))
            try requireEqual(left.commands, [], "its commands too")
        },
        ConformanceCase("devices: deleting one ends its session and the tokens under it, and nothing else") { stores in
            let (account, session, device) = try await deviceFixture(stores)
            try await stores.devices.insert(device)
            let keyFetch = StoredToken(
                idHash: TokenHash.random(), kind: .keyFetchToken, uid: account.uid, wrappedKeys: SecureRandom.bytes(64),
                createdAt: Date(), verified: true, stretchVersion: .v1, parentIDHash: session.idHash)
            try await stores.tokens.insert(keyFetch)
            let otherSession = sampleToken(account.uid)
            try await stores.tokens.insert(otherSession)
            _ = try await stores.devices.enqueue(sampleCommand(device))
            try requireEqual(try await stores.devices.delete(uid: .random(), id: device.id), nil, "not another account's")
            try requireEqual(try await stores.devices.delete(uid: account.uid, id: device.id), device, "deleted")
            try requireEqual(try await stores.tokens.token(idHash: session.idHash), nil, "its session")
            try requireEqual(try await stores.tokens.token(idHash: keyFetch.idHash), nil, "a token under it")
            let stays = try await stores.tokens.token(idHash: otherSession.idHash)
            try require(stays != nil, "another session stays")
            try requireEqual(try await stores.devices.delete(uid: account.uid, id: device.id), nil, "only once")
        },
        ConformanceCase("devices: commands queue in order, page by index, and expire") { stores in
            let (account, _, device) = try await deviceFixture(stores)
            try await stores.devices.insert(device)
            let sender = DeviceID.random()
            var indexes: [Int64] = []
            for _ in 0..<3 { indexes.append(try await stores.devices.enqueue(sampleCommand(device, sender: sender))) }
            _ = try await stores.devices.enqueue(sampleCommand(device, expiresAt: 1_600_000_000))
            try require(indexes == indexes.sorted() && Set(indexes).count == 3, "increasing indexes")
            let now = Date(timeIntervalSince1970: 1_700_000_000)
            let firstPage = try await stores.devices.commands(uid: account.uid, target: device.id, from: 0, limit: 2, now: now)
            try requireEqual(firstPage.commands.map(\.index), Array(indexes.prefix(2)), "first page")
            try require(!firstPage.last, "more to come")
            try requireEqual(firstPage.commands.first?.sender, sender, "sender")
            try requireEqual(firstPage.commands.first?.payload, #"{"encrypted":"abc"}"#, "payload as given")
            let rest = try await stores.devices.commands(uid: account.uid, target: device.id, from: indexes[2], limit: 2, now: now)
            try requireEqual(rest.commands.map(\.index), [indexes[2]], "from an index on, the expired one left out")
            try require(rest.last, "last page")
            try requireEqual(try await stores.devices.pendingCommandCount(uid: account.uid, target: device.id, now: now), 3,
                             "three wait, the expired one does not count")
            try requireEqual(try await stores.devices.pendingCommandCount(uid: .random(), target: device.id, now: now), 0,
                             "another account's count")
            let stranger = try await stores.devices.commands(uid: .random(), target: device.id, from: 0, limit: 10, now: now)
            try requireEqual(stranger.commands, [], "another account reads nothing")
            let sweptCommands = try await stores.devices.sweep(now: now)
            try require(sweptCommands >= 1, "the expired command is swept")
            let kept = try await stores.devices.commands(uid: account.uid, target: device.id, from: 0, limit: 10, now: now)
            try requireEqual(kept.commands.map(\.index), indexes, "the live ones stay")
        },
    ]
}

extension StoreConformance {
    /// A token of the `fxa-credentials` grant minted on `session`.
    static func mintedToken(_ account: AccountRecord, session: StoredToken, kind: OAuthTokenRecord.Kind = .access,
                            parent: TokenHash? = nil) -> OAuthTokenRecord {
        OAuthTokenRecord(
            tokenHash: TokenHash.random(), kind: kind, clientID: FirstPartyClients.firefoxDesktop.id, uid: account.uid,
            scope: OAuthScopeSet(parsing: "profile")!, createdAt: Date(), expiresAt: kind == .access ? Date().addingTimeInterval(3600) : nil,
            lastUsedAt: Date(), parentHash: parent, sessionIDHash: parent == nil ? session.idHash : nil)
    }

    /// Firefox's tokens end with the session that minted them, however it ends.
    static let sessionMintedTokenCases: [ConformanceCase] = [
        ConformanceCase("sessions: signing one out ends the fxa-credentials tokens it minted, and only those") { stores in
            // By the session API, by a device's sign-out, by the pages' sign-out.
            for ending in 0..<3 {
                let (account, session, device) = try await deviceFixture(stores)
                try await stores.devices.insert(device)
                let access = mintedToken(account, session: session)
                let refresh = mintedToken(account, session: session, kind: .refresh)
                let refreshed = mintedToken(account, session: session, parent: refresh.tokenHash)
                let otherSession = sampleToken(account.uid)
                try await stores.tokens.insert(otherSession)
                let unrelated = mintedToken(account, session: otherSession)
                for token in [access, refresh, refreshed, unrelated] { try await stores.oauthGrants.insertToken(token) }
                switch ending {
                case 0: try await stores.tokens.delete(idHash: session.idHash)
                case 1: _ = try await stores.devices.delete(uid: account.uid, id: device.id)
                default:
                    let web = WebSession(idHash: TokenHash.random(), tokenIDHash: session.idHash, uid: account.uid, createdAt: Date())
                    try await stores.webSessions.insert(web)
                    try await stores.webSessions.signOut(idHash: web.idHash)
                }
                for token in [access, refresh, refreshed] {
                    try requireEqual(try await stores.oauthGrants.token(hash: token.tokenHash), nil, "ending \(ending): minted token gone")
                }
                try requireEqual(try await stores.oauthGrants.token(hash: unrelated.tokenHash)?.tokenHash, unrelated.tokenHash, "ending \(ending): another session's stays")
            }
        },
    ]
}
