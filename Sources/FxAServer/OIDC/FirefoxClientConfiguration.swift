import Vapor

/// `/.well-known/fxa-client-configuration`, the document of FxA's content
/// server (`get-fxa-client-configuration.js`) that Firefox's autoconfig
/// reads to find its auth, OAuth, profile, pairing and Sync servers.
struct FirefoxClientConfiguration: Content, Equatable {
    var auth_server_base_url: String
    var oauth_server_base_url: String
    var profile_server_base_url: String
    /// The pairing channel relay. swift-fxa has no pairing flow of its own
    /// (Firefox's "connect another device" QR code). Firefox reads the key
    /// only if present and otherwise keeps its default, which is this same
    /// public relay of Mozilla's; it only ever carries end-to-end encrypted
    /// messages. Named so that FxA clients that do expect it find it.
    var pairing_server_base_uri: String
    /// Left out unless the operator configured a tokenserver. Firefox then
    /// builds the tokenserver URL `undefined/1.0/sync/1.5` (FIREFOX.md §7):
    /// it stays signed in with its Sync key and Sync reports a network
    /// error, instead of syncing to Mozilla's servers (docs/firefox.md).
    var sync_tokenserver_base_url: String?

    static let mozillaPairingRelay = "wss://channelserver.services.mozilla.com"

    init(publicURL: PublicBaseURL, syncTokenserverURL: String?) {
        auth_server_base_url = publicURL.string
        oauth_server_base_url = publicURL.string
        profile_server_base_url = publicURL.string
        pairing_server_base_uri = Self.mozillaPairingRelay
        sync_tokenserver_base_url = syncTokenserverURL
    }
}
