import Foundation
import FxACore
import PropertyBased
import Testing
import Vapor

/// Random and half-valid requests at the server's request parsers: the
/// `/authorization` query and form, the token endpoints' bodies, Hawk
/// headers, and `keys_jwe`. Whatever arrives, the answer is a 2xx, 3xx or
/// 4xx with FxA's error body, never a 5xx: a 5xx here is a parser that let
/// an input through to code that did not expect it.
@Suite("Request parser fuzzing", .serialized)
struct RequestParserFuzzTests {
    /// Pieces of the real formats, so generated inputs get past the first
    /// check, mixed with arbitrary Unicode and broken escapes.
    static let pieces = [
        "https://rp.example/cb", "S256", "plain", "code", "token", "openid", "profile", "profile:write",
        "https://identity.mozilla.com/apps/oldsync", "offline", "online", "none", "login", "consent", "force_auth",
        "a@example.test", "0", "-1", "99999999999999999999", "eyJ", ".", "%", "%ZZ", "%00", "%E2%28%A1", "+", "&",
        "=", " ", "\u{0}", "\u{202E}", "\u{301}", "Hawk id=\"", "\", ts=\"", "\", nonce=\"", "\", mac=\"", "\\\"",
        String(repeating: "a", count: 300), String(repeating: "ab", count: 32),
    ]
    static let scalar = Gen<UInt32>.oneOf(Gen<UInt32>.value(in: 0...0xD7FF), Gen<UInt32>.value(in: 0xE000...0x10FFFF))
        .map { String(UnicodeScalar($0)!) }
    static let token = Gen<String>.oneOf(
        Gen<String?>.element(of: pieces).map { $0! }, Gen<Character>.letterOrNumber.string(of: 0...16), scalar)
    static let text = token.array(of: 0...12).map { $0.joined() }

    static let authorizationNames = [
        "client_id", "redirect_uri", "state", "scope", "response_type", "response_mode", "code_challenge",
        "code_challenge_method", "prompt", "max_age", "keys_jwk", "request", "request_uri", "action", "email",
        "login_hint", "nonce", "acr_values", "access_type", "flow_id", "flow_begin_time", "entrypoint", "utm_source",
    ]
    static let tokenNames = [
        "grant_type", "client_id", "client_secret", "code", "code_verifier", "redirect_uri", "refresh_token", "scope",
        "ttl", "access_type", "token", "token_type_hint", "keys_jwe", "state", "response_type",
    ]

    /// Percent-encodes for a query or form, or (sometimes) sends it raw.
    static func encoded(_ text: String, raw: Bool) -> String {
        raw ? text : text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    /// A JSON value of any type, as text.
    static let jsonValue = Gen<String>.oneOf(
        text.map { String(decoding: try! JSONEncoder().encode($0), as: UTF8.self) },
        Gen<Int>.int().map { String($0) },
        Gen<String?>.element(of: ["true", "false", "null", "[]", "{}", "1e400", "-0", "[\"profile\"]", "{\"a\":1}"]).map { $0! }
    )

    /// `count` fields drawn from `names` (repeats allowed) as `name=value`.
    static func fields(_ names: [String]) -> Generator<[(String, String, Bool)], some Sequence & SendableMetatype> {
        zip(Gen<String>.oneOf(Gen<String?>.element(of: names).map { $0! }, text), text, Gen<Bool>.bool(0.2))
            .map { ($0, $1, $2) }
            .array(of: 0...12)
    }

    static func expectNo5xx(_ response: APIResponse, _ input: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status.code < 500, "\(response.status) for \(input.debugDescription): \(response.raw)",
                sourceLocation: sourceLocation)
    }

    @Test func authorizationRequestsNeverFail() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient(publicClient: true)
            await propertyCheck(count: 300, input: Self.fields(Self.authorizationNames), Gen<Bool>.bool, Gen<Bool>.bool) { fields, post, named in
                // Half the time, start from a request that names the real
                // client, so the fuzz reaches the checks behind client_id.
                var parts = fields.map { "\(Self.encoded($0.0, raw: $0.2))=\(Self.encoded($0.1, raw: $0.2))" }
                if named { parts.insert("client_id=\(client.id)", at: 0) }
                let query = parts.joined(separator: "&")
                let response = post
                    ? try await server.call(.POST, "/authorization", headers: [("Content-Type", "application/x-www-form-urlencoded")], rawBody: query)
                    : try await server.call(.GET, "/authorization?" + query.replacingOccurrences(of: " ", with: "%20"))
                Self.expectNo5xx(response, query)
            }
        }
    }

    @Test func tokenEndpointBodiesNeverFail() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let (session, _) = try await server.verifiedSession()
            let values = zip(Gen<String>.oneOf(Gen<String?>.element(of: Self.tokenNames).map { $0! }, Self.text), Self.jsonValue)
                .map { ($0, $1) }.array(of: 0...10)
            let routes = ["/v1/token", "/v1/oauth/token", "/v1/oauth/authorization", "/v1/verify", "/v1/introspect",
                          "/v1/destroy", "/v1/oauth/destroy", "/v1/authorized-clients/destroy"]
            await propertyCheck(count: 400, input: values, Gen<String?>.element(of: routes).map { $0! }, Gen<Int>.int(in: 0...3)) { pairs, route, shape in
                let json = "{" + pairs.map { name, value in
                    String(decoding: try! JSONEncoder().encode(name), as: UTF8.self) + ":" + value
                }.joined(separator: ",") + "}"
                let body: String
                let type: String
                switch shape {
                case 0: (body, type) = (json.replacingOccurrences(of: "{}", with: "{\"client_id\":\"\(client.id)\"}"), "application/json")
                case 1: (body, type) = (pairs.map { "\(Self.encoded($0.0, raw: false))=\(Self.encoded($0.1, raw: false))" }.joined(separator: "&"),
                                        "application/x-www-form-urlencoded")
                case 2: (body, type) = (String(json.dropLast(pairs.count % 3)), "application/json")
                default: (body, type) = (json, "text/plain")
                }
                let auth: TestAuth = shape == 0 ? Auth.session(session) : .none
                let response = try await server.call(.POST, route, auth: auth, headers: [("Content-Type", type)], rawBody: body)
                Self.expectNo5xx(response, "\(route) \(type) \(body)")
            }
        }
    }

    @Test func hawkHeadersNeverFail() async throws {
        try await withTestServer { server in
            // Half the headers name a real session's token id with a forged
            // MAC, timestamp and nonce: none may authenticate.
            let (session, _) = try await server.verifiedSession()
            let realID = DerivedToken(token: try #require(Data(hex: session)), kind: .sessionToken).id.hexString
            let forged = zip(Self.text, Self.text, Self.text).map { parts in
                #"Hawk id="\#(realID)", ts="\#(parts.0)", nonce="\#(parts.1)", mac="\#(parts.2)""#
            }
            let random = Self.token.array(of: 0...24).map { "Hawk " + $0.joined() }
            let paths = ["/v1/session/status", "/v1/account/keys", "/v1/recovery_email/status"]
            await propertyCheck(count: 500, input: Gen<String>.oneOf(forged, random), Gen<String?>.element(of: paths).map { $0! }) { header, path in
                let response = try await server.call(.GET, path, auth: .header(header))
                Self.expectNo5xx(response, header)
                #expect(response.status == .unauthorized || response.status == .badRequest, "\(response.status) for \(header)")
            }
        }
    }

    @Test func keysJWEsFromASessionNeverFail() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient(scopes: ["profile", "https://identity.mozilla.com/apps/oldsync"])
            let (session, _) = try await server.verifiedSession()
            let jwe = Self.token.array(of: 0...20).map { $0.joined(separator: ".") }
            await propertyCheck(count: 300, input: jwe) { keysJWE in
                let response = try await server.authorize(client, session: session, [
                    "scope": "profile https://identity.mozilla.com/apps/oldsync", "keys_jwe": keysJWE,
                ])
                Self.expectNo5xx(response, keysJWE)
            }
        }
    }
}
