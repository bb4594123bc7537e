import Foundation

/// A user's profile from FxA's `/v1/profile` (or a generic provider's
/// userinfo endpoint, whose `sub` stands in for `uid`).
///
/// Key your records by ``uid``, never by ``email``: the email can change,
/// and a changed email can later belong to someone else.
public struct FxAProfile: Sendable, Equatable, Codable {
    /// The account's stable id.
    public var uid: String
    /// The primary email: contact data, which can change (never a key).
    public var email: String?
    /// The name the user chose (`name` at generic providers).
    public var displayName: String?
    /// The avatar image URL.
    public var avatar: URL?
    /// Whether the avatar is the generated default.
    public var avatarDefault: Bool?
    /// The browser locale at sign-up.
    public var locale: String?
    /// How the user authenticated (`pwd`, `email`, `otp`).
    public var amrValues: [String]?
    /// Whether two-step authentication is on.
    public var twoFactorAuthentication: Bool?
    /// `false` when the user opted out of metrics: collect none tied to them.
    public var metricsEnabled: Bool?

    enum CodingKeys: String, CodingKey {
        case uid, sub, email, displayName, name, avatar, avatarDefault, locale, amrValues, twoFactorAuthentication, metricsEnabled
    }

    /// A profile from its parts (stores, tests).
    public init(uid: String, email: String? = nil, displayName: String? = nil, avatar: URL? = nil, locale: String? = nil) {
        self.uid = uid
        self.email = email
        self.displayName = displayName
        self.avatar = avatar
        self.locale = locale
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let uid = try container.decodeIfPresent(String.self, forKey: .uid)
            ?? container.decodeIfPresent(String.self, forKey: .sub)
        else {
            throw DecodingError.keyNotFound(CodingKeys.uid, .init(codingPath: [], debugDescription: "no uid or sub"))
        }
        self.uid = uid
        email = try container.decodeIfPresent(String.self, forKey: .email)
        displayName = try container.decodeIfPresent(String.self, forKey: .displayName)
            ?? container.decodeIfPresent(String.self, forKey: .name)
        avatar = try container.decodeIfPresent(String.self, forKey: .avatar).flatMap(URL.init(string:))
        avatarDefault = try container.decodeIfPresent(Bool.self, forKey: .avatarDefault)
        locale = try container.decodeIfPresent(String.self, forKey: .locale)
        amrValues = try container.decodeIfPresent([String].self, forKey: .amrValues)
        twoFactorAuthentication = try container.decodeIfPresent(Bool.self, forKey: .twoFactorAuthentication)
        metricsEnabled = try container.decodeIfPresent(Bool.self, forKey: .metricsEnabled)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(uid, forKey: .uid)
        try container.encodeIfPresent(email, forKey: .email)
        try container.encodeIfPresent(displayName, forKey: .displayName)
        try container.encodeIfPresent(avatar?.absoluteString, forKey: .avatar)
        try container.encodeIfPresent(avatarDefault, forKey: .avatarDefault)
        try container.encodeIfPresent(locale, forKey: .locale)
        try container.encodeIfPresent(amrValues, forKey: .amrValues)
        try container.encodeIfPresent(twoFactorAuthentication, forKey: .twoFactorAuthentication)
        try container.encodeIfPresent(metricsEnabled, forKey: .metricsEnabled)
    }
}
