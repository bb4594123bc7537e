import Crypto
import FxACore
import Foundation
import Vapor

/// The cookie that carries a browser's web session, and the CSRF token
/// derived from it.
///
/// The value is 32 random bytes (base64url); the server stores only its
/// SHA-256. It is `HttpOnly` (no script reads it), `SameSite=Lax` (not sent
/// on cross-site form posts), `Path=/`, and over https `Secure` with the
/// `__Host-` prefix, which browsers only accept from that exact host, so a
/// sibling subdomain cannot plant or overwrite it.
struct WebSessionCookie: Sendable {
    let secure: Bool
    /// How long a web session lasts (the cookie's `Max-Age` and the
    /// server-side limit on its row).
    static let lifetime: TimeInterval = 7 * 24 * 3600

    init(publicURL: PublicBaseURL) { secure = publicURL.isHTTPS }

    var name: String { secure ? "__Host-fxa_session" : "fxa_session" }

    /// A fresh cookie value.
    static func newValue() -> Data { SecureRandom.bytes(32) }

    /// The value this request carries, if well formed.
    func value(in request: Request) -> Data? {
        guard let text = request.cookies[name]?.string, text.count == 43,
              let bytes = Data(base64URLEncoded: text), bytes.count == 32
        else { return nil }
        return bytes
    }

    /// Sets the cookie on `response`.
    func set(_ value: Data, on response: Response) {
        response.cookies[name] = HTTPCookies.Value(
            string: value.base64URLEncodedString, maxAge: Int(Self.lifetime), path: "/", isSecure: secure,
            isHTTPOnly: true, sameSite: .lax)
    }

    /// Removes the cookie from the browser.
    func clear(on response: Response) {
        response.cookies[name] = HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/", isSecure: secure,
            isHTTPOnly: true, sameSite: .lax)
    }

    /// The CSRF token of the session with this cookie value: an HMAC of a
    /// fixed label under the value, so it needs no storage, differs per
    /// session, and reveals nothing about the cookie.
    static func csrfToken(for value: Data) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data("swift-fxa web csrf v1".utf8), using: SymmetricKey(data: value)))
            .base64URLEncodedString
    }

    /// Whether `presented` is this session's CSRF token (constant time).
    static func checkCSRF(_ presented: String?, for value: Data) -> Bool {
        guard let presented else { return false }
        return Data(presented.utf8).constantTimeEquals(Data(csrfToken(for: value).utf8))
    }
}
