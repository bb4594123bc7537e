import FxACore
import Foundation

/// Firefox's own OAuth clients, built into every database with the ids and
/// redirect URIs the browsers have compiled in, so that an unmodified
/// Firefox can sign in to this server. They are public (PKCE, no secret)
/// and trusted, and may use the `fxa-credentials` grant (FxA's `canGrant`).
///
/// Their redirect URIs are ones no other client may register (a `urn:` for
/// the desktop WebChannel): ``ClientRegistration`` refuses them, so only
/// this list can hold them. The operator cannot delete them, only disable
/// them (``OAuthClientRecord/disabled``); an update keeps their redirect URIs.
public enum FirstPartyClients {
    /// The scope whose key encrypts Sync data.
    static let sync = "https://identity.mozilla.com/apps/oldsync"

    /// The redirect URI of Firefox's WebChannel sign-in: not a place but
    /// the name the page sends back in `fxaccounts:oauth_login`.
    public static let webChannelRedirect = "urn:ietf:wg:oauth:2.0:oob:oauth-redirect-webchannel"

    /// Firefox for desktop: signs in through the WebChannel page at the
    /// server's root (FxAccountsCommon.sys.mjs: `FX_OAUTH_CLIENT_ID`).
    public static let firefoxDesktop = OAuthClientRecord(
        id: OAuthClientID(hex: "5882386c6d801776")!, name: "Firefox",
        redirectURIs: [webChannelRedirect], trusted: true, publicClient: true,
        allowedScopes: ["profile", "profile:write", sync], createdAt: Date(timeIntervalSince1970: 0))

    /// Firefox for Android (Fenix) and Firefox for iOS: the ids their apps
    /// compile in (Fenix `FxaServer.kt`, iOS `RustFirefoxAccounts.swift`),
    /// with the same WebChannel redirect. Registered so that the ids are
    /// Firefox's on every server; their sign-in also asks for
    /// `https://identity.mozilla.com/tokens/session`, which this server
    /// does not serve yet, and is refused as `invalid_scope` until it does.
    public static let firefoxAndroid = mobile(id: "a2270f727f45f648", name: "Firefox for Android")
    public static let firefoxIOS = mobile(id: "1b1a3e44c54fbb58", name: "Firefox for iOS")

    /// Every built-in client.
    public static let all: [OAuthClientRecord] = [firefoxDesktop, firefoxAndroid, firefoxIOS]

    private static func mobile(id: String, name: String) -> OAuthClientRecord {
        OAuthClientRecord(
            id: OAuthClientID(hex: id)!, name: name, redirectURIs: firefoxDesktop.redirectURIs, trusted: true,
            publicClient: true, allowedScopes: ["profile", "profile:write", sync], createdAt: Date(timeIntervalSince1970: 0))
    }

    /// Whether `id` is a built-in client's.
    public static func contains(_ id: OAuthClientID) -> Bool {
        all.contains { $0.id == id }
    }

    /// The built-in client with `id`, as shipped.
    public static func client(_ id: OAuthClientID) -> OAuthClientRecord? {
        all.first { $0.id == id }
    }
}
