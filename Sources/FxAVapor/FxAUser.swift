import FxAClient
import Foundation
import Vapor

/// The signed-in user of a request, set by ``FxAUserMiddleware``. Identity
/// is ``uid``; the email is contact data that can change.
public struct FxAUser: Authenticatable, Sendable, Equatable {
    /// The account's stable id: key the app's data by it.
    public var uid: String
    /// The current primary email, as last stored.
    public var email: String?
    /// As last stored.
    public var displayName: String?
    /// As last stored.
    public var avatar: URL?
    /// When this browser session signed in.
    public var signedInAt: Date
}

/// The session keys FxAVapor uses, in one place.
enum FxASessionKey {
    static let pending = "fxa.pending"
    static let uid = "fxa.uid"
    static let signedInAt = "fxa.signed_in_at"
    static let tokens = "fxa.tokens"
    static let csrf = "fxa.csrf"
    /// SHA-256 (hex) of the binding cookie's value set at sign-in.
    static let binding = "fxa.binding"
    /// The cookie that, with the session cookie, makes a session signed in.
    static let bindingCookie = "fxa-signin"
}

extension Session {
    /// Removes everything FxAVapor keeps about a signed-in user.
    func signOutOfFxA() {
        for key in [FxASessionKey.uid, FxASessionKey.signedInAt, FxASessionKey.tokens, FxASessionKey.binding, FxASessionKey.csrf] {
            data[key] = nil
        }
    }
}

extension Request {
    /// This session's FxA tokens (kept server-side in the session store,
    /// never in a cookie), for calling the provider on the user's behalf.
    public var fxaTokens: TokenSet? {
        session.data[FxASessionKey.tokens].flatMap { try? JSONDecoder().decode(TokenSet.self, from: Data($0.utf8)) }
    }

    /// A per-session token to put in every form as `csrf_token`; FxAVapor's
    /// logout checks it, and apps can check theirs with ``verifyCSRFToken(_:)``.
    public var fxaCSRFToken: String {
        if let token = session.data[FxASessionKey.csrf] { return token }
        let token = [UInt8].random(count: 32).base64URLEncoded
        session.data[FxASessionKey.csrf] = token
        return token
    }

    /// Checks a submitted form's `csrf_token` against the session's in
    /// constant time.
    public func verifyCSRFToken(_ submitted: String?) -> Bool {
        guard let expected = session.data[FxASessionKey.csrf], let submitted else { return false }
        let a = Array(expected.utf8), b = Array(submitted.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension [UInt8] {
    static func random(count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    var base64URLEncoded: String {
        Data(self).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
