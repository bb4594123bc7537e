import Crypto
import CryptoExtras
@testable import FxAClient
import FxACore
import Foundation
import NIOConcurrencyHelpers

/// A scripted OIDC provider behind ``FxAHTTPTransport``: discovery, a JWKS
/// it can rotate, a token endpoint whose answer a test sets, and a record
/// of every request. It signs tokens with real RSA keys so that the kit's
/// checks run exactly as against a server.
final class FakeProvider: FxAHTTPTransport, Sendable {
    static let issuer = "https://accounts.example.test"
    static let clientID = "0123456789abcdef"

    struct SigningKey: Sendable {
        let kid: String
        let key: _RSA.Signing.PrivateKey
    }

    private struct State {
        var published: [SigningKey]
        /// JSON bodies, kept serialized so the state stays Sendable.
        var tokenResponse: Data?
        var profile = Data(#"{"uid":"u1","email":"user@example.test"}"#.utf8)
        var requests: [FxAHTTPRequest] = []
        var discoveryIssuer = FakeProvider.issuer
        /// Answer the JWKS with 503.
        var jwksDown = false
        /// Tokens `/v1/destroy` no longer knows (answers errno 108).
        var deadTokens: Set<String> = []
    }

    /// What kind of provider to imitate: fxa-server / a standard OIDC
    /// provider, or Mozilla's FxA, whose discovery document lists neither
    /// PKCE methods nor a revocation endpoint, whose ID tokens carry no
    /// `nonce`, and whose `/v1/destroy` takes `access_token` / `refresh_token`.
    enum Shape: Sendable { case standard, mozilla }
    let shape: Shape

    private let state: NIOLockedValueBox<State>
    let clock: ManualWallClock

    init(clock: ManualWallClock = ManualWallClock(Date()), shape: Shape = .standard) throws {
        self.clock = clock
        self.shape = shape
        state = NIOLockedValueBox(State(published: [try Self.makeKey("key-1")]))
    }

    static func makeKey(_ kid: String) throws -> SigningKey {
        SigningKey(kid: kid, key: try _RSA.Signing.PrivateKey(keySize: .bits2048))
    }

    var requests: [FxAHTTPRequest] { state.withLockedValue { $0.requests } }
    func requests(to path: String) -> [FxAHTTPRequest] { requests.filter { $0.url.path == path } }
    var currentKey: SigningKey { state.withLockedValue { $0.published[0] } }

    func publish(_ keys: [SigningKey]) { state.withLockedValue { $0.published = keys } }
    func answerToken(_ body: [String: Any]?) {
        let data = body.map { try! JSONSerialization.data(withJSONObject: $0) }
        state.withLockedValue { $0.tokenResponse = data }
    }
    func setDiscoveryIssuer(_ issuer: String) { state.withLockedValue { $0.discoveryIssuer = issuer } }
    func setJWKSDown(_ down: Bool) { state.withLockedValue { $0.jwksDown = down } }
    func kill(token: String) { state.withLockedValue { _ = $0.deadTokens.insert(token) } }

    func client(secret: String? = "s3cret-value", scope: String = "profile openid") throws -> FxAClient {
        var configuration = FxAClientConfiguration(
            provider: FxAProvider(issuer: URL(string: Self.issuer)!),
            credentials: try FxAClientCredentials(clientID: Self.clientID, secret: try secret.map(ClientSecret.init)),
            redirectURI: URL(string: "https://rp.example.test/auth/callback")!)
        configuration.scope = OAuthScopeSet(parsing: scope)!
        if shape == .mozilla { configuration.requireIDTokenNonce = false }  // as the Mozilla presets do
        return FxAClient(configuration: configuration, transport: self, clock: clock)
    }

    /// Signs `claims` as a compact JWS with `key` (default: the published one).
    func sign(_ claims: [String: Any], key: SigningKey? = nil, alg: String = "RS256", kid: String?? = .none) throws -> String {
        let key = key ?? currentKey
        var header: [String: Any] = ["alg": alg, "typ": "JWT"]
        switch kid {
        case .none: header["kid"] = key.kid
        case .some(.some(let value)): header["kid"] = value
        case .some(.none): break
        }
        let input = try Self.part(header) + "." + Self.part(claims)
        let signature = try key.key.signature(for: Data(input.utf8), padding: .insecurePKCS1v1_5)
        return input + "." + signature.rawRepresentation.base64URLEncodedString
    }

    /// ID-token claims that pass every check for `nonce` (Mozilla's shape:
    /// no `nonce`, but `amr` and `fxa-aal`).
    func idTokenClaims(nonce: String, sub: String = "u1") -> [String: Any] {
        let now = Int(clock.now().timeIntervalSince1970)
        var claims: [String: Any] = ["iss": Self.issuer, "aud": Self.clientID, "sub": sub, "iat": now, "exp": now + 300]
        switch shape {
        case .standard: claims["nonce"] = nonce
        case .mozilla: claims["amr"] = ["pwd", "email"]; claims["fxa-aal"] = 1; claims["acr"] = "AAL1"
        }
        return claims
    }

    private static func part(_ object: [String: Any]) throws -> String {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).base64URLEncodedString
    }

    func send(_ request: FxAHTTPRequest) async throws -> FxAHTTPResponse {
        let snapshot = state.withLockedValue { state -> State in
            state.requests.append(request)
            return state
        }
        func json(_ object: Any, status: Int = 200) throws -> FxAHTTPResponse {
            FxAHTTPResponse(status: status, body: try JSONSerialization.data(withJSONObject: object))
        }
        switch request.url.path {
        case "/.well-known/openid-configuration":
            var document: [String: Any] = [
                "issuer": snapshot.discoveryIssuer,
                "authorization_endpoint": Self.issuer + "/authorization",
                "token_endpoint": Self.issuer + "/v1/token",
                "jwks_uri": Self.issuer + "/v1/jwks",
                "userinfo_endpoint": Self.issuer + "/v1/profile",
            ]
            if shape == .standard {
                document["revocation_endpoint"] = Self.issuer + "/v1/oauth/destroy"
                document["code_challenge_methods_supported"] = ["S256"]
            }
            return try json(document)
        case "/v1/jwks":
            if snapshot.jwksDown { return try json(["error": "down"], status: 503) }
            let keys = try snapshot.published.map { key -> [String: Any] in
                let primitives = try key.key.publicKey.getKeyPrimitives()
                return ["kty": "RSA", "alg": "RS256", "use": "sig", "kid": key.kid,
                        "n": primitives.modulus.base64URLEncodedString, "e": primitives.publicExponent.base64URLEncodedString]
            }
            return try json(["keys": keys])
        case "/v1/token":
            guard let body = snapshot.tokenResponse else {
                return try json(["code": 400, "errno": 105, "error": "Bad Request", "message": "Unknown code"], status: 400)
            }
            return FxAHTTPResponse(status: 200, body: body)
        case "/v1/profile":
            return FxAHTTPResponse(status: 200, body: snapshot.profile)
        case "/v1/oauth/destroy":
            return try json([String: Any]())
        case "/v1/destroy":
            // FxA's own: exactly one of access_token / refresh_token.
            let form = String(decoding: request.body ?? Data(), as: UTF8.self)
            let fields = Dictionary(uniqueKeysWithValues: form.split(separator: "&").map {
                let pair = $0.split(separator: "=", maxSplits: 1).map(String.init)
                return (pair[0], pair.count > 1 ? pair[1] : "")
            })
            guard (fields["access_token"] == nil) != (fields["refresh_token"] == nil), fields["token"] == nil else {
                return try json(["code": 400, "errno": 109, "error": "Bad Request", "message": "Invalid request parameter"], status: 400)
            }
            if let token = fields["access_token"] ?? fields["refresh_token"], snapshot.deadTokens.contains(token) {
                return try json(["code": 400, "errno": 108, "error": "Bad Request", "message": "Invalid token"], status: 400)
            }
            return try json([String: Any]())
        case "/metrics-flow":
            return try json(["flowId": String(repeating: "ab", count: 32), "flowBeginTime": 1_700_000_000_123])
        default:
            return try json(["code": 404, "errno": 999, "error": "Not Found"], status: 404)
        }
    }
}
