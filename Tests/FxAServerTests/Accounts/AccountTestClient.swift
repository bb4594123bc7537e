import FxACore
import FxAServer
import FxAStore
import Foundation
import Testing
import Vapor
import VaporTesting

/// How a test authenticates a request.
enum TestAuth {
    case none
    /// `Authorization: Bearer <prefix>_<token id>`; `prefix` overrides the kind's own.
    case bearer(FxATokenKind, token: String, prefix: String? = nil)
    /// A raw `Authorization` header.
    case header(String)
}

/// A JSON API response as a test reads it.
struct APIResponse {
    let status: HTTPStatus
    let headers: HTTPHeaders
    let json: [String: Any]
    let raw: String
    /// The body as bytes, for responses that are not JSON (images).
    var bytes = Data()

    var errno: Int? { json["errno"] as? Int }
    func string(_ key: String) -> String? { json[key] as? String }
}

/// A password and the keys a client derives from it, for one account.
struct TestUser {
    let email: String
    let password: String

    init(_ email: String = "user-\(UUID().uuidString.prefix(8).lowercased())@example.test", password: String = "correct horse battery") {
        self.email = email
        self.password = password
    }

    func v1() throws -> StretchedPassword { try .v1(password: password, email: email) }
    func v2(_ salt: ClientSalt) throws -> StretchedPassword { try .v2(password: password, clientSalt: salt) }
}

/// What a sign-up returned.
struct SignedUp {
    let uid: String
    let sessionToken: String
    let kB: Data
    let salt: ClientSalt?
}

extension TestServer {
    /// Sends one request to the app in memory.
    func call(
        _ method: HTTPMethod, _ path: String, json body: [String: Any]? = nil, auth: TestAuth = .none,
        headers extra: [(String, String)] = [], rawBody: String? = nil, data: Data? = nil
    ) async throws -> APIResponse {
        var result: APIResponse?
        try await app.testing().test(method, path, beforeRequest: { req in
            req.headers.replaceOrAdd(name: .host, value: "accounts.example.test")
            if let body {
                req.headers.contentType = .json
                req.body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: body))
            }
            if let rawBody { req.body = ByteBuffer(string: rawBody) }
            if let data { req.body = ByteBuffer(data: data) }
            switch auth {
            case .none: break
            case let .bearer(kind, token, prefix):
                let id = DerivedToken(token: Data(hex: token)!, kind: kind).id.hexString
                req.headers.replaceOrAdd(name: .authorization, value: "Bearer \(prefix ?? kind.bearerPrefix)_\(id)")
            case let .header(value):
                req.headers.replaceOrAdd(name: .authorization, value: value)
            }
            for (name, value) in extra { req.headers.replaceOrAdd(name: name, value: value) }
        }) { res async throws in
            let text = res.body.string
            let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
            result = APIResponse(
                status: res.status, headers: res.headers, json: object, raw: text, bytes: Data(buffer: res.body))
        }
        return try #require(result)
    }

    /// The newest message to `email` carrying `header`, if any.
    func mailHeader(_ header: String, to email: String) async throws -> String? {
        let mailbox = String(email.lowercased().split(separator: "@").first ?? "")
        let messages = try await dependencies.stores.mailbox.messages(mailbox: mailbox)
        return messages.compactMap { $0.headers[header] }.first
    }

    /// Creates an account as PyFxA would (v1 only, or v1 + v2 fields), and
    /// verifies it with the emailed code unless `verify` is false.
    func signUp(_ user: TestUser, v2: Bool = false, verify: Bool = true) async throws -> SignedUp {
        let kB = SecureRandom.bytes(32)
        let v1 = try user.v1()
        var body: [String: Any] = ["email": user.email, "authPW": v1.authPW.hexString]
        var salt: ClientSalt?
        if v2 {
            let clientSalt = ClientSalt.random()
            let stretched = try user.v2(clientSalt)
            salt = clientSalt
            body["wrapKb"] = kB.xor(v1.unwrapBKey).hexString
            body["authPWVersion2"] = stretched.authPW.hexString
            body["wrapKbVersion2"] = kB.xor(stretched.unwrapBKey).hexString
            body["clientSalt"] = clientSalt.rawValue
        }
        let created = try await call(.POST, "/v1/account/create", json: body)
        try #require(created.status == .ok, "create: \(created.raw)")
        let uid = try #require(created.string("uid"))
        if verify {
            let code = try #require(try await mailHeader("X-Verify-Code", to: user.email))
            let verified = try await call(.POST, "/v1/recovery_email/verify_code", json: ["uid": uid, "code": code])
            try #require(verified.status == .ok, "verify: \(verified.raw)")
        }
        // A v1 sign-up lets the server pick kB; read it back through a login.
        var realKB = kB
        if !v2, verify {
            realKB = try await login(user, keys: true).kB!
        }
        return SignedUp(uid: uid, sessionToken: try #require(created.string("sessionToken")), kB: realKB, salt: salt)
    }

    /// Logs in with the v1 (or, given the salt, v2) password and fetches
    /// and unwraps kB when `keys`.
    func login(_ user: TestUser, salt: ClientSalt? = nil, keys: Bool = false) async throws -> (response: APIResponse, kB: Data?) {
        let stretched = try salt.map(user.v2) ?? user.v1()
        let response = try await call(
            .POST, "/v1/account/login" + (keys ? "?keys=true" : ""),
            json: ["email": user.email, "authPW": stretched.authPW.hexString, "reason": "login"])
        guard keys, response.status == .ok else { return (response, nil) }
        let keyFetch = try #require(response.string(salt == nil ? "keyFetchToken" : "keyFetchTokenVersion2"))
        return (response, try await fetchKB(keyFetchToken: keyFetch, stretched: stretched))
    }

    /// `GET /account/keys` and the unwrapping a client does.
    func fetchKB(keyFetchToken: String, stretched: StretchedPassword) async throws -> Data {
        let keys = try await call(.GET, "/v1/account/keys", auth: .bearer(.keyFetchToken, token: keyFetchToken))
        try #require(keys.status == .ok, "keys: \(keys.raw)")
        let bundleHex = try #require(keys.string("bundle"))
        let bundle = try #require(Data(hex: bundleHex))
        let bundleKey = DerivedToken(token: Data(hex: keyFetchToken)!, kind: .keyFetchToken).extraKey
        let opened = try #require(KeyBundle.open(bundle, bundleKey: bundleKey))
        return opened.wrapKb.xor(stretched.unwrapBKey)
    }
}

/// Checks an FxA error body.
func expectError(
    _ response: APIResponse, _ status: HTTPStatus, errno: Int, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status == status, "\(response.raw)", sourceLocation: sourceLocation)
    #expect(response.errno == errno, "\(response.raw)", sourceLocation: sourceLocation)
    #expect(response.json["code"] as? Int == Int(status.code), sourceLocation: sourceLocation)
}

extension TestServer {
    /// The forgot-password flow up to its password-forgot token, as the
    /// pages run it: the emailed OTP exchanged for the token and the code
    /// `verify_code` takes.
    func passwordForgotToken(_ user: TestUser) async throws -> (token: String, code: String) {
        let sent = try await call(.POST, "/v1/password/forgot/send_otp", json: ["email": user.email])
        try #require(sent.status == .ok, "send_otp: \(sent.raw)")
        let otp = try #require(try await mailHeader("X-Password-Forgot-Otp", to: user.email))
        let verified = try await call(.POST, "/v1/password/forgot/verify_otp", json: ["email": user.email, "code": otp])
        return (try #require(verified.string("token"), "verify_otp: \(verified.raw)"), try #require(verified.string("code")))
    }

    /// `verify_code`: the password-forgot token (spent) for an account-reset token.
    func accountResetToken(forgot: (token: String, code: String), withRecoveryKey: Bool = false) async throws -> String {
        var body: [String: Any] = ["code": forgot.code]
        if withRecoveryKey { body["accountResetWithRecoveryKey"] = true }
        let reset = try await call(
            .POST, "/v1/password/forgot/verify_code", json: body, auth: .bearer(.passwordForgotToken, token: forgot.token))
        return try #require(reset.string("accountResetToken"), "verify_code: \(reset.raw)")
    }

    /// Resets `user`'s password to `newUser`'s by emailed OTP, as a client
    /// that forgot it does (v1 body: the server picks the new kB).
    func resetPassword(_ user: TestUser, to newUser: TestUser) async throws {
        let resetToken = try await accountResetToken(forgot: try await passwordForgotToken(user))
        let done = try await call(
            .POST, "/v1/account/reset", json: ["authPW": try newUser.v1().authPW.hexString],
            auth: .bearer(.accountResetToken, token: resetToken))
        try #require(done.status == .ok, "reset: \(done.raw)")
    }
}
