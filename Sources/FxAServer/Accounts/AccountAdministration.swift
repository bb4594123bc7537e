import FxACore
import FxAStore
import Foundation
import NIOPosix

/// What the operator does to accounts from the command line
/// (`fxa-server account …`), for instances whose sign-up is closed or
/// whose mail does not work. It goes through the same stores and
/// credential code as the API, so an account made here is
/// indistinguishable from one made by a client.
public struct AccountAdministration: Sendable {
    let accounts: any AccountStore
    let tokens: any TokenStore
    let clock: any WallClock
    let credentials: CredentialVerifier

    /// Creates an account for `email` with `password`, stretched here as a
    /// client would (both v1 and v2, so every client can sign in), with a
    /// fresh random kB.
    ///
    /// - Throws: errno 101 when the email is taken.
    public func create(email: EmailAddress, password: String, verified: Bool) async throws -> AccountRecord {
        if try await accounts.account(normalizedEmail: email.normalized) != nil {
            throw FxAError.accountExists(email.value)
        }
        let kB = SecureRandom.bytes(32)
        let v1Stretch = try StretchedPassword.v1(password: password, email: email.value)
        let salt = ClientSalt.random()
        let v2Stretch = try StretchedPassword.v2(password: password, clientSalt: salt)
        let v1 = try await credentials.credentials(
            authPW: Hex32(uncheckedBytes: v1Stretch.authPW), wrapKb: kB.xor(v1Stretch.unwrapBKey))
        let v2 = AccountRecord.CredentialsV2(clientSalt: salt, credentials: try await credentials.credentials(
            authPW: Hex32(uncheckedBytes: v2Stretch.authPW), wrapKb: kB.xor(v2Stretch.unwrapBKey)))
        let now = clock.now()
        let account = AccountRecord(
            uid: .random(), email: email.value, emailVerified: verified, kA: SecureRandom.bytes(32),
            v1: v1, v2: v2, createdAt: now, verifierSetAt: now)
        do {
            try await accounts.create(account)
        } catch FxAStoreError.conflict {
            throw FxAError.accountExists(email.value)
        }
        return account
    }

    /// Every account, in email order.
    public func list() async throws -> [AccountRecord] {
        var all: [AccountRecord] = []
        var after: String?
        while true {
            let page = try await accounts.accounts(afterEmail: after, limit: 500)
            guard let last = page.last else { return all }
            all += page
            after = last.normalizedEmail
        }
    }

    /// Marks the account's email verified, with its open sessions. An
    /// account already verified is left alone: its unconfirmed sessions
    /// wait for a sign-in code or the app's, which the operator does not
    /// stand in for.
    public func verify(email: EmailAddress) async throws -> AccountRecord {
        let account = try await find(email)
        guard !account.emailVerified else { return account }
        try await accounts.markEmailVerified(uid: account.uid)
        try await tokens.markAllVerified(uid: account.uid)
        return account
    }

    /// Deletes the account, recording the `delete-user` event relying
    /// parties receive.
    public func delete(email: EmailAddress) async throws -> AccountRecord {
        let account = try await find(email)
        try await accounts.delete(
            uid: account.uid, recording: OutboxEvent(uid: account.uid, kind: .deleteUser, occurredAt: clock.now()))
        return account
    }

    /// The account's subscription capabilities.
    public func capabilities(email: EmailAddress) async throws -> (AccountRecord, [String]) {
        let account = try await find(email)
        return (account, try await accounts.capabilities(uid: account.uid))
    }

    /// Replaces the account's subscription capabilities (swift-fxa has no
    /// payments: the operator grants them) and tells the RPs as FxA does:
    /// a `subscription-state-change` event with the capabilities that
    /// became active (`isActive: true`) and one with those that ended
    /// (`isActive: false`). Returns the new list.
    public func setCapabilities(_ capabilities: [String], email: EmailAddress) async throws -> (AccountRecord, [String]) {
        for capability in capabilities {
            guard !capability.isEmpty, capability.count <= 64,
                  capability.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.:".contains($0)) })
            else { throw FxAError.invalidParameter(["capabilities"]) }
        }
        let account = try await find(email)
        let after = Set(capabilities)
        let now = clock.now()
        let changeTime = JSONValue.int(Int(now.timeIntervalSince1970 * 1000))
        // The events are made from the list the write replaces, read in its
        // transaction: concurrent runs cannot both announce one change.
        try await accounts.setCapabilities(Array(after), uid: account.uid) { previous in
            let before = Set(previous)
            return [(after.subtracting(before), true), (before.subtracting(after), false)].compactMap { changed, active in
                changed.isEmpty ? nil : OutboxEvent(
                    uid: account.uid, kind: .subscriptionStateChange,
                    payload: ["capabilities": .array(changed.sorted().map(JSONValue.string)), "isActive": .bool(active),
                              "changeTime": changeTime],
                    occurredAt: now)
            }
        }
        return (account, after.sorted())
    }

    private func find(_ email: EmailAddress) async throws -> AccountRecord {
        guard let account = try await accounts.account(normalizedEmail: email.normalized) else {
            throw FxAError.unknownAccount()
        }
        return account
    }
}
