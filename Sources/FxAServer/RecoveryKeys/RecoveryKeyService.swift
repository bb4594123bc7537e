import FxACore
import FxAStore
import Foundation

/// Account recovery keys: kB encrypted by the user's browser under a key
/// only the user keeps, so a password reset with it keeps kB, and with it
/// every key derived from kB (Sync's, each relying party's). The server
/// stores the encrypted blob and the hash of the key's fingerprint; it can
/// open neither. The user is emailed when a key is added, changed, removed
/// or used.
struct RecoveryKeyService: Sendable {
    let keys: any RecoveryKeyStore
    let mailer: any Mailer
    let clock: any WallClock

    /// Stores a key. An enabled key is replaced only with `replaceKey`.
    ///
    /// - Throws: errno 161 when one exists and was not to be replaced; 107
    ///   for recovery data longer than FxA takes (1024 characters) or empty.
    func create(_ request: RecoveryKeyCreateRequest, account: AccountRecord) async throws {
        guard !request.recoveryData.isEmpty, request.recoveryData.count <= 1024,
              request.recoveryData.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) })
        else { throw FxAError.invalidParameter(["recoveryData"]) }
        let enabled = request.enabled ?? true
        let existing = try await keys.recoveryKey(uid: account.uid)
        let key = RecoveryKeyRecord(
            uid: account.uid, idHash: request.recoveryKeyId.hash, recoveryData: request.recoveryData,
            createdAt: clock.now(), enabled: enabled)
        guard try await keys.save(key, replacing: request.replaceKey ?? false) else { throw FxAError.recoveryKeyExists() }
        let hadKey = existing?.enabled == true
        let now = clock.now()
        switch (hadKey, enabled) {
        case (true, true): try await mailer.send(AccountMails.recoveryKeyChanged(to: account.primaryEmail, uid: account.uid, at: now))
        case (false, true): try await mailer.send(AccountMails.recoveryKeyAdded(to: account.primaryEmail, uid: account.uid, at: now))
        // The usable key gave way to one not yet confirmed: for now the
        // account has none, and the user hears so.
        case (true, false): try await mailer.send(AccountMails.recoveryKeyRemoved(to: account.primaryEmail, uid: account.uid, at: now))
        case (false, false): break
        }
    }

    /// `POST /recoveryKey/verify`: enables a key stored disabled, once the
    /// user shows they hold it.
    func verify(_ id: RecoveryKeyID, account: AccountRecord) async throws {
        let key = try await matching(id, uid: account.uid)
        guard !key.enabled else { return }
        guard try await keys.enable(uid: account.uid, idHash: key.idHash) else { throw FxAError.recoveryKeyNotFound() }
        try await mailer.send(AccountMails.recoveryKeyAdded(to: account.primaryEmail, uid: account.uid, at: clock.now()))
    }

    /// `GET /recoveryKey/{id}` with an account-reset token: the encrypted
    /// keys, for the browser to open with the key the user typed.
    ///
    /// - Throws: as ``matching(_:uid:)``, and 158 for a key stored disabled
    ///   and never confirmed (`exists` does not offer it either).
    func recoveryData(_ id: RecoveryKeyID, uid: AccountUID) async throws -> String {
        try await usableKey(id, uid: uid).recoveryData
    }

    /// The account's confirmed key, when `id` is its fingerprint: what a
    /// reset may use (158 for an unconfirmed one, as for none).
    func usableKey(_ id: RecoveryKeyID, uid: AccountUID) async throws -> RecoveryKeyRecord {
        let key = try await matching(id, uid: uid)
        guard key.enabled else { throw FxAError.recoveryKeyNotFound() }
        return key
    }

    /// Whether the account has a usable key, with its hint.
    func existence(uid: AccountUID) async throws -> RecoveryKeyExistsResponse {
        guard let key = try await keys.recoveryKey(uid: uid), key.enabled else {
            return RecoveryKeyExistsResponse(exists: false, hint: nil)
        }
        return RecoveryKeyExistsResponse(exists: true, hint: key.hint)
    }

    /// Sets (or clears, with `nil` or blank) the hint of the enabled key.
    ///
    /// - Throws: 107 for a hint over 255 characters or with characters that
    ///   are not display-safe; 158 without an enabled key.
    func setHint(_ hint: String?, uid: AccountUID) async throws {
        let trimmed = hint?.trimmingCharacters(in: .whitespacesAndNewlines)
        let stored = trimmed?.isEmpty == false ? trimmed : nil
        if let stored, stored.count > 255 || !DisplaySafeText.allows(stored) { throw FxAError.invalidParameter(["hint"]) }
        guard try await keys.setHint(stored, uid: uid) else { throw FxAError.recoveryKeyNotFound() }
    }

    /// Removes the key; the user is emailed when there was one.
    func delete(account: AccountRecord) async throws {
        guard try await keys.delete(uid: account.uid) else { return }
        try await mailer.send(AccountMails.recoveryKeyRemoved(to: account.primaryEmail, uid: account.uid, at: clock.now()))
    }

    /// The account's key, when `id` is its fingerprint (compared by hash,
    /// in constant time).
    ///
    /// - Throws: 158 without a key, 159 for another fingerprint.
    func matching(_ id: RecoveryKeyID, uid: AccountUID) async throws -> RecoveryKeyRecord {
        guard let key = try await keys.recoveryKey(uid: uid) else { throw FxAError.recoveryKeyNotFound() }
        guard key.idHash.bytes.constantTimeEquals(id.hash.bytes) else { throw FxAError.recoveryKeyInvalid() }
        return key
    }
}
