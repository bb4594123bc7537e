import Crypto
import FxACore
import Foundation
import Testing
import Vapor

/// Send Tab's command name, as Firefox registers it.
let openURICommand = "https://identity.mozilla.com/cmd/open-uri"

/// A P-256 public key and auth secret as a push subscription has them.
let samplePushPublicKey = P256.KeyAgreement.PrivateKey().publicKey.x963Representation.base64URLEncodedString
let samplePushAuthKey = "yQRH2bY_GCD6i5QmDovOQA"

extension TestServer {
    /// One account signed in on two sessions: two Firefoxes.
    func twoSessions() async throws -> (uid: String, first: String, second: String, user: TestUser) {
        let user = TestUser()
        let account = try await signUp(user)
        let login = try await login(user).response
        return (account.uid, account.sessionToken, try #require(login.string("sessionToken")), user)
    }

    /// Registers the session's device as Firefox does, with Send Tab.
    func registerDevice(_ session: String, name: String = "Firefox on Linux", commands: [String: String] = [openURICommand: "{}"])
        async throws -> String {
        let registered = try await call(.POST, "/v1/account/device", json: [
            "name": name, "type": "desktop", "availableCommands": commands,
        ], auth: Auth.session(session))
        try #require(registered.status == .ok, "\(registered.raw)")
        return try #require(registered.string("id"))
    }

    /// A JSON array response's entries.
    func list(_ path: String, session: String) async throws -> [[String: Any]] {
        let response = try await call(.GET, path, auth: Auth.session(session))
        try #require(response.status == .ok, "\(response.raw)")
        return try #require(try JSONSerialization.jsonObject(with: Data(response.raw.utf8)) as? [[String: Any]])
    }
}
