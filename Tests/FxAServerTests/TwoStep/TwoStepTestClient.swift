import FxACore
import FxAServer
import Foundation
import Testing

/// The calls a client makes to turn two-step authentication on, for the
/// two-step tests.
extension TestServer {
    /// `/mfa/otp/request` then `/mfa/otp/verify` with the emailed code: the
    /// MFA token for `action`.
    func mfaToken(_ user: TestUser, session: String, action: String = "2fa") async throws -> String {
        // A second apart from any earlier code mail, so the newest is this one.
        clock.advance(by: 1)
        let requested = try await call(
            .POST, "/v1/mfa/otp/request", json: ["action": action], auth: .bearer(.sessionToken, token: session))
        try #require(requested.status == .ok, "request: \(requested.raw)")
        #expect(requested.string("status") == "success")
        let code = try #require(try await mailHeader("X-Account-Change-Verify-Code", to: user.email))
        let verified = try await call(
            .POST, "/v1/mfa/otp/verify", json: ["code": code, "action": action], auth: .bearer(.sessionToken, token: session))
        try #require(verified.status == .ok, "verify: \(verified.raw)")
        return try #require(verified.string("accessToken"))
    }

    /// The template names of every message to `email`, newest first.
    func mailTemplates(to email: String) async throws -> [String] {
        let mailbox = String(email.lowercased().split(separator: "@").first ?? "")
        return try await dependencies.stores.mailbox.messages(mailbox: mailbox).compactMap { $0.headers["X-Template-Name"] }
    }

    /// A call authorized by an MFA token.
    func callWithMFA(_ path: String, token: String, json: [String: Any] = [:]) async throws -> APIResponse {
        try await call(.POST, path, json: json, auth: .header("Bearer \(token)"))
    }

    /// The app's code for `secret` (base32) at the server's time, `steps`
    /// periods away.
    func authenticatorCode(_ secret: String, steps: Int64 = 0) throws -> String {
        let bytes = try #require(Base32.decode(secret))
        return TOTP(secret: bytes).code(step: TOTP.step(at: clock.now()) + steps)
    }

    /// Turns two-step authentication on for a signed-up user the way
    /// today's clients do; returns the secret.
    func enableTwoStep(_ user: TestUser, session: String) async throws -> String {
        let token = try await mfaToken(user, session: session)
        let created = try await callWithMFA("/v1/mfa/totp/create", token: token)
        let secret = try #require(created.string("secret"), "create: \(created.raw)")
        let verified = try await callWithMFA(
            "/v1/mfa/totp/setup/verify", token: token, json: ["code": try authenticatorCode(secret)])
        try #require(verified.json["success"] as? Bool == true, "setup/verify: \(verified.raw)")
        let completed = try await callWithMFA("/v1/mfa/totp/setup/complete", token: token)
        try #require(completed.json["success"] as? Bool == true, "setup/complete: \(completed.raw)")
        // The setup's code is spent; the next sign-in uses the next step.
        clock.advance(by: 30)
        return secret
    }
}
