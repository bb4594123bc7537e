import Crypto
import FxACore
import FxAStore
import Foundation

/// The body of `GET /v1/profile`: each field only when the token's scopes
/// grant it, as FxA's profile server assembles it, and `sub` for OIDC
/// userinfo clients when the token has `openid`.
///
/// Encoded with sorted keys so equal profiles give equal bytes, which is
/// what makes the ETag (a hash of those bytes) stable across requests and
/// server instances.
struct ProfileDocument: Sendable {
    let fields: [String: JSONValue]
    /// The encoded body.
    let body: Data
    /// A strong validator: the first 16 bytes of SHA-256 of `body`, quoted.
    let etag: String

    /// What each field needs: a scope that implies one of these.
    static let gates: [(scopes: [OAuthScope], fields: [String])] = [
        ([OAuthScope("profile:uid")!], ["uid"]),
        ([OAuthScope("profile:email")!, .email], ["email"]),
        ([OAuthScope("profile:locale")!], ["locale"]),
        ([OAuthScope("profile:amr")!], ["amrValues", "twoFactorAuthentication"]),
        ([OAuthScope("profile:display_name")!], ["displayName"]),
        ([OAuthScope("profile:avatar")!], ["avatar", "avatarDefault"]),
    ]

    /// Whether a token with `scope` may call `GET /v1/profile` at all: it
    /// must grant some field (or be an OIDC token, which gets `sub`).
    static func readable(with scope: OAuthScopeSet) -> Bool {
        scope.implies(.openid) || gates.contains { gate in gate.scopes.contains(where: scope.implies) }
    }

    init(profile: ProfileRecord, scope: OAuthScopeSet, avatars: AvatarURLs) throws {
        var all: [String: JSONValue] = [
            "uid": .string(profile.uid.hex),
            "email": .string(profile.email),
            "locale": profile.locale.map(JSONValue.string) ?? .null,
            // Every sign-in here is password + email confirmation; no
            // second factor exists yet.
            "amrValues": .array([.string("pwd"), .string("email")]),
            "twoFactorAuthentication": .bool(false),
            "displayName": profile.displayName.map(JSONValue.string) ?? .null,
            "avatar": .string(avatars.url(for: profile)),
            "avatarDefault": .bool(profile.avatarID == nil),
        ]
        var granted: [String: JSONValue] = [:]
        for gate in Self.gates where gate.scopes.contains(where: scope.implies) {
            for field in gate.fields { granted[field] = all.removeValue(forKey: field) }
        }
        if scope.implies(.openid) { granted["sub"] = .string(profile.uid.hex) }
        fields = granted
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        body = try encoder.encode(granted)
        etag = "\"" + Data(SHA256.hash(data: body).prefix(16)).hexString + "\""
    }
}

/// Where avatars are served: uploaded ones at `/a/<id>` (immutable: a new
/// upload gets a new id), everyone else's as a monogram at
/// `/v1/avatar/<character>`, as FxA serves its defaults.
struct AvatarURLs: Sendable {
    let publicURL: PublicBaseURL

    /// The path an uploaded avatar is served at.
    static func path(_ id: AvatarID) -> String { "/a/\(id.hex)" }

    func url(for profile: ProfileRecord) -> String {
        publicURL.appending(Self.path(for: profile))
    }

    /// The uploaded avatar's path, or the default monogram's.
    static func path(for profile: ProfileRecord) -> String {
        if let id = profile.avatarID { return path(id) }
        let character = DefaultAvatar.character(displayName: profile.displayName, email: profile.email)
        return "/v1/avatar/" + (character == "?" ? "%3F" : String(character))
    }
}
