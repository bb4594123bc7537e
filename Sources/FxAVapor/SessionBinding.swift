import Crypto
import Foundation
import Vapor

/// The second half of a signed-in session: a random value in its own
/// cookie, whose hash the session keeps (see ``FxAUserMiddleware``).
enum SessionBinding {
    /// Binds the session to a fresh value and sets its cookie on `response`.
    /// Over https the cookie is `__Host-` prefixed, so that a sibling
    /// subdomain cannot set or shadow it.
    static func bind(_ request: Request, _ response: Response, secure: Bool) {
        let value = [UInt8].random(count: 32).base64URLEncoded
        request.session.data[FxASessionKey.binding] = hash(value)
        response.cookies[cookieName(secure: secure)] = HTTPCookies.Value(
            string: value, path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }

    static func cookieName(secure: Bool) -> String {
        secure ? "__Host-" + FxASessionKey.bindingCookie : FxASessionKey.bindingCookie
    }

    /// Whether the request carries the binding cookie of its session.
    static func matches(_ request: Request) -> Bool {
        guard let expected = request.session.data[FxASessionKey.binding],
              let presented = (request.cookies[cookieName(secure: true)] ?? request.cookies[cookieName(secure: false)])?.string
        else { return false }
        let a = Array(expected.utf8), b = Array(hash(presented).utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Expires the cookie (sign-out).
    static func clear(_ response: Response, secure: Bool) {
        response.cookies[cookieName(secure: secure)] = .expired
    }

    private static func hash(_ value: String) -> String {
        SHA256.hash(data: Data(value.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
