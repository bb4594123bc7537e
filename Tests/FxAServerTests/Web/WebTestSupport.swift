import FxACore
import FxAServer
import Foundation
import Testing
import Vapor

// The web suites run their tests one at a time (`.serialized`): each one
// signs accounts up through scrypt, and running all of them at once with
// the rest of the suite starved SQLite's single writer on a 2-core CI
// machine past its 30 s connection wait.

/// A browser signed in to the server's own pages: what the sign-in page
/// leaves behind (the web-session cookie).
struct WebBrowser {
    /// The test server's public URL is https, so the cookie has the prefix.
    static let cookieName = "__Host-fxa_session"
    static let origin = "https://accounts.example.test"

    let cookie: String
    var header: (String, String) { ("Cookie", "\(Self.cookieName)=\(cookie)") }
}

extension TestServer {
    /// What the sign-in page does after the password (and code) step.
    func webSignIn(session: String) async throws -> WebBrowser {
        let started = try await call(.POST, "/v1/web/session", json: [:], auth: Auth.session(session),
                                     headers: [("Origin", WebBrowser.origin)])
        try #require(started.status == .ok, "\(started.raw)")
        let setCookie = try #require(started.headers.first(name: .setCookie))
        let value = try #require(setCookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last)
        return WebBrowser(cookie: String(value))
    }

    func page(_ path: String, _ browser: WebBrowser?) async throws -> APIResponse {
        try await call(.GET, path, headers: browser.map { [$0.header] } ?? [])
    }

    /// A form post as a browser sends it (urlencoded).
    func post(_ path: String, _ browser: WebBrowser, _ form: [String: String]) async throws -> APIResponse {
        let body = form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
            .joined(separator: "&")
        return try await call(.POST, path, headers: [browser.header, ("Content-Type", "application/x-www-form-urlencoded")],
                              rawBody: body)
    }

    /// A call of a page's script on the web session: our origin, the cookie,
    /// and the CSRF token in its header.
    func scriptCall(_ path: String, _ browser: WebBrowser, csrf: String?, json: [String: Any],
                    origin: String? = WebBrowser.origin) async throws -> APIResponse {
        var headers = [browser.header]
        if let origin { headers.append(("Origin", origin)) }
        if let csrf { headers.append(("X-CSRF-Token", csrf)) }
        return try await call(.POST, path, json: json, headers: headers)
    }
}

/// The CSRF token in a page's forms.
func csrfToken(_ response: APIResponse) throws -> String {
    let marker = #"name="csrf_token" value=""#
    let start = try #require(response.raw.range(of: marker), "no CSRF token: \(response.raw)")
    return String(response.raw[start.upperBound...].prefix { $0 != "\"" })
}
