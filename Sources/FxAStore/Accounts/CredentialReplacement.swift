import FxACore
import Foundation

/// How a password is being replaced, which decides what else ends with the
/// old one. FxA's rule (`routes/password.ts` on a change, `account.ts` on a
/// reset), kept here because relying parties depend on both halves of it:
///
/// - A **change** proves the old password, so kB is kept. Sessions end, and
///   so do the OAuth tokens of *public* clients (FxA's
///   `removePublicAndCanGrantTokens`): their tokens live on the user's
///   devices, where a thief would hold them, and nothing else would ever end
///   them. Confidential clients keep theirs: the tokens sit on the relying
///   party's server, which receives the `password-change` event and decides
///   for itself. Codes not yet exchanged end for every client, so a code
///   minted by the old password's session cannot outlive it.
/// - A **reset** does not prove the old password (someone may hold it), so
///   kB and kA are new and every session, OAuth token and code ends.
/// - A reset **with the account recovery key** ends everything a reset
///   ends, but the client recovered kB with the key and wraps the same kB
///   under the new password: kA, kB and `keys_changed_at` stay, so the keys
///   derived from kB (Sync's, every relying party's) are unchanged. The key
///   itself is spent.
public enum CredentialReplacement: Sendable, Equatable {
    /// The old password was proven: kB stays.
    case change
    /// With the account's new kA.
    case reset(kA: Data)
    /// kB recovered with the account recovery key whose fingerprint hashes
    /// to `keyIDHash`: the keys stay, and that key is spent. If it is no
    /// longer the account's key when the reset commits (replaced or removed
    /// meanwhile), nothing changes.
    case recoveredReset(keyIDHash: TokenHash)
}
