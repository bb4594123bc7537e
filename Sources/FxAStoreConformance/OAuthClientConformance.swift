import FxACore
import FxAStore
import Foundation

extension StoreConformance {
    static func sampleClient(name: String = "Example RP", publicClient: Bool = false) -> OAuthClientRecord {
        OAuthClientRecord(
            id: .random(), name: name, redirectURIs: ["https://rp.example/callback", "http://127.0.0.1:8000/cb"],
            imageURI: "https://rp.example/logo.png", trusted: true, publicClient: publicClient,
            allowedScopes: ["profile", "openid"], webhookURL: "https://rp.example/events", jwtAccessTokens: false,
            secretHash: publicClient ? nil : TokenHash.random(), createdAt: Date(timeIntervalSince1970: 1_700_000_000))
    }

    /// ``OAuthClientStore``.
    static let oauthClientCases: [ConformanceCase] = [
        ConformanceCase("oauth clients: a created client reads back with every field, lists in name order") { stores in
            let zed = sampleClient(name: "Zed \(UUID().uuidString.prefix(4))")
            let alpha = sampleClient(name: "Alpha \(UUID().uuidString.prefix(4))", publicClient: true)
            try await stores.oauthClients.create(zed)
            try await stores.oauthClients.create(alpha)
            try requireEqual(try await stores.oauthClients.client(id: zed.id), zed, "zed")
            try requireEqual(try await stores.oauthClients.client(id: alpha.id), alpha, "alpha")
            try requireEqual(try await stores.oauthClients.client(id: .random()), nil, "unknown")
            let listed = try await stores.oauthClients.clients().filter { [zed.id, alpha.id].contains($0.id) }
            try requireEqual(listed.map(\.id), [alpha.id, zed.id], "order")
        },
        ConformanceCase("oauth clients: the console's clients list by owner; deleting the owner leaves them ownerless") { stores in
            let owner = sampleAccount("owner-\(UUID().uuidString.prefix(8))@example.org")
            let other = sampleAccount("other-\(UUID().uuidString.prefix(8))@example.org")
            try await stores.accounts.create(owner)
            try await stores.accounts.create(other)
            var second = sampleClient(name: "B \(UUID().uuidString.prefix(4))")
            second.ownerUID = owner.uid
            second.registeredInConsole = true
            var first = sampleClient(name: "A \(UUID().uuidString.prefix(4))")
            first.ownerUID = owner.uid
            first.registeredInConsole = true
            var others = sampleClient()
            others.ownerUID = other.uid
            others.registeredInConsole = true
            for client in [second, first, others, sampleClient()] { try await stores.oauthClients.create(client) }
            try requireEqual(try await stores.oauthClients.client(id: first.id), first, "owner reads back")
            try requireEqual(try await stores.oauthClients.clients(ownedBy: owner.uid).map(\.id), [first.id, second.id], "owner's, by name")
            // An update never moves a client to another owner.
            var moved = first
            moved.ownerUID = other.uid
            try await stores.oauthClients.update(moved)
            try requireEqual(try await stores.oauthClients.client(id: first.id)?.ownerUID, owner.uid, "owner kept by update")
            try await stores.accounts.delete(
                uid: owner.uid, recording: OutboxEvent(uid: owner.uid, kind: .deleteUser, occurredAt: Date()))
            try requireEqual(try await stores.oauthClients.clients(ownedBy: owner.uid).count, 0, "none owned after deletion")
            let kept = try await stores.oauthClients.client(id: first.id)
            try requireEqual(kept?.ownerUID, nil, "ownerless")
            try requireEqual(kept?.registeredInConsole, true, "still a console client")
            try requireEqual(try await stores.oauthClients.client(id: others.id)?.registeredInConsole, true, "console client")
            try requireEqual(sampleClient().registeredInConsole, false, "an operator's client")
            try requireEqual(kept?.name, first.name, "client kept")
            try requireEqual(try await stores.oauthClients.clients(ownedBy: other.uid).map(\.id), [others.id], "other owner untouched")
        },
        ConformanceCase("oauth clients: Firefox's built-in clients are in every database; a client can be disabled") { stores in
            for shipped in FirstPartyClients.all {
                let stored = try await stores.oauthClients.client(id: shipped.id)
                try requireEqual(stored?.redirectURIs, shipped.redirectURIs, "\(shipped.name) redirect URIs")
                try requireEqual(stored?.allowedScopes, shipped.allowedScopes, "\(shipped.name) scopes")
                try requireEqual(stored.map { $0.publicClient && $0.trusted && !$0.disabled }, true, "\(shipped.name) public, trusted, on")
            }
            var client = sampleClient()
            try await stores.oauthClients.create(client)
            client.disabled = true
            try await stores.oauthClients.update(client)
            try requireEqual(try await stores.oauthClients.client(id: client.id)?.disabled, true, "disabled reads back")
        },
        ConformanceCase("oauth clients: a duplicate id is a conflict") { stores in
            let client = sampleClient()
            try await stores.oauthClients.create(client)
            do {
                try await stores.oauthClients.create(client)
                throw ConformanceFailure(description: "second create succeeded")
            } catch FxAStoreError.conflict {}
        },
        ConformanceCase("oauth clients: update changes fields but never the secret hashes") { stores in
            var client = sampleClient()
            try await stores.oauthClients.create(client)
            client.name = "Renamed"
            client.redirectURIs = ["https://new.example/cb"]
            client.trusted = false
            client.allowedScopes = ["profile:email"]
            client.webhookURL = nil
            client.jwtAccessTokens = true
            let original = client.secretHash
            client.secretHash = TokenHash.random()
            try await stores.oauthClients.update(client)
            var expected = client
            expected.secretHash = original
            try requireEqual(try await stores.oauthClients.client(id: client.id), expected, "after update")
            do {
                try await stores.oauthClients.update(sampleClient())
                throw ConformanceFailure(description: "update of an unknown client succeeded")
            } catch FxAStoreError.notFound {}
        },
        ConformanceCase("oauth clients: rotation keeps exactly one previous secret") { stores in
            let client = sampleClient()
            try await stores.oauthClients.create(client)
            let second = TokenHash.random()
            let third = TokenHash.random()
            try await stores.oauthClients.rotateSecret(id: client.id, to: second)
            var stored = try await stores.oauthClients.client(id: client.id)
            try requireEqual(stored?.secretHash, second, "current after one rotation")
            try requireEqual(stored?.previousSecretHash, client.secretHash, "previous after one rotation")
            try await stores.oauthClients.rotateSecret(id: client.id, to: third)
            stored = try await stores.oauthClients.client(id: client.id)
            try requireEqual(stored?.previousSecretHash, second, "previous after two rotations")
            try await stores.oauthClients.dropPreviousSecret(id: client.id)
            try requireEqual(try await stores.oauthClients.client(id: client.id)?.previousSecretHash, nil, "dropped")
        },
        ConformanceCase("oauth clients: delete removes the client once") { stores in
            let client = sampleClient()
            try await stores.oauthClients.create(client)
            try requireEqual(try await stores.oauthClients.delete(id: client.id), true, "first delete")
            try requireEqual(try await stores.oauthClients.delete(id: client.id), false, "second delete")
            try requireEqual(try await stores.oauthClients.client(id: client.id), nil, "gone")
        },
        ConformanceCase("oauth clients: deleting a client revokes its codes and tokens and fails its pending deliveries") { stores in
            let (account, a, b, _, _) = try await deliveryFixture(stores)
            try await stores.profiles.setDisplayName(
                "x", uid: account.uid, at: Date(timeIntervalSince1970: 1_700_000_100), recording: profileChange(account.uid, at: 1_700_000_100))
            let code = sampleCode(client: a.id, uid: account.uid)
            try await stores.oauthGrants.insertCode(code)
            try await stores.oauthClients.delete(id: a.id)
            try requireEqual(try await stores.oauthGrants.tokens(uid: account.uid).filter { $0.clientID == a.id }.count, 0, "tokens")
            try requireEqual(try await stores.oauthGrants.redeemCode(hash: code.codeHash, at: Date()), .unknown, "code")
            try requireEqual(try await stores.outbox.deliveries(status: .pending, clientID: a.id, limit: 10).count, 0, "no pending")
            try requireEqual(try await stores.outbox.deliveries(status: .failed, clientID: a.id, limit: 10).count, 1, "failed, kept")
            try requireEqual(try await stores.outbox.deliveries(status: .pending, clientID: b.id, limit: 10).count, 1, "b untouched")
        },
    ]
}
