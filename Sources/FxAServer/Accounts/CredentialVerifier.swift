import FxACore
import FxAStore
import Foundation

/// Turns a client's authPW into stored credentials and checks it against
/// them, for every flow that touches the password (sign-up, sign-in,
/// deletion, change, reset).
struct CredentialVerifier: Sendable {
    let hasher: PasswordHasher

    /// Fresh credentials for `authPW` that wrap `wrapKb`.
    func credentials(authPW: Hex32, wrapKb: Data) async throws -> AccountRecord.Credentials {
        let authSalt = SecureRandom.bytes(32)
        let verifier = try await hasher.verifier(authPW: authPW, authSalt: authSalt)
        return .init(authSalt: authSalt, verifyHash: verifier.verifyHash, wrapWrapKb: wrapKb.xor(verifier.wrapWrapKey))
    }

    /// Which credentials `authPW` matches, and the wrapKb it unlocks. A v2
    /// account accepts its v2 authPW and its v1 authPW.
    ///
    /// - Throws: errno 120 when the client stretched with the email in
    ///   another case or Unicode form than the account's (the v1 salt is
    ///   made from its bytes), else errno 103.
    func check(account: AccountRecord, authPW: Hex32, typedEmail: EmailAddress) async throws -> (KeyStretchVersion, Data) {
        if let v2 = account.v2 {
            let verifier = try await hasher.verifier(authPW: authPW, authSalt: v2.credentials.authSalt)
            if verifier.matches(v2.credentials.verifyHash) {
                return (.v2, v2.credentials.wrapWrapKb.xor(verifier.wrapWrapKey))
            }
        }
        let verifier = try await hasher.verifier(authPW: authPW, authSalt: account.v1.authSalt)
        if verifier.matches(account.v1.verifyHash) {
            return (.v1, account.v1.wrapWrapKb.xor(verifier.wrapWrapKey))
        }
        // Byte for byte: Swift's `==` calls the composed and decomposed
        // spellings of an address equal, but the salt is made from bytes.
        if !typedEmail.value.utf8.elementsEqual(account.email.utf8) {
            throw FxAError.incorrectEmailCase(account.email)
        }
        throw FxAError.incorrectPassword()
    }
}
