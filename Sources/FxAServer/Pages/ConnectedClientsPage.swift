import FxACore
import Foundation

/// `/settings/clients`, "Devices & apps": the account's devices (each
/// Firefox that signed in and registered itself), with its name, kind and
/// last activity and a sign-out that ends its session; then every relying
/// party that holds tokens for the account, with the icon it registered, what it may do and
/// when it last used its access, and a button that destroys its tokens.
///
/// One row per app: signing out of an app here deletes every token it
/// holds for the account (its refresh tokens and the access tokens issued
/// with them), so no leftover access token keeps it listed or working.
struct ConnectedClientsPage: RenderedPage {
    /// One row to show.
    struct Entry {
        var clientID: String
        var name: String
        var imageURI: String?
        var scopes: [String]
        var lastUsed: Date
    }

    /// One device to show.
    struct Device {
        var id: DeviceID
        var name: String?
        var type: String?
        var lastActive: Date
        /// The device whose session this browser's pages stand on.
        var isThisBrowser: Bool
    }

    var devices: [Device] = []
    /// The server's clock, for "last active … ago".
    var now = Date()
    let entries: [Entry]
    let csrfToken: String
    let notice: String?

    /// Our style, and icons from the https origins the listed clients registered.
    var contentSecurityPolicy: ContentSecurityPolicy {
        .formPage(imageOrigins: Set(entries.compactMap { SigninPage.imageOrigin($0.imageURI) }).sorted())
    }

    static let template = PageTemplate.clients

    struct Context: Encodable, Sendable {
        let title = "Devices & apps"
        let hasDevices: Bool
        let devices: [DeviceRow]
        let hasEntries: Bool
        let entries: [Row]
        let csrfToken: String
        let notice: String?
        let noticeIsError = false
    }

    struct DeviceRow: Encodable, Sendable {
        let id: String
        let name: String
        /// "Computer", "Phone"…
        let kind: String
        /// "5 minutes ago".
        let lastActive: String
        let isThisBrowser: Bool
    }

    struct Row: Encodable, Sendable {
        let clientID: String
        let name: String
        /// Only an https icon.
        let iconURL: String?
        /// In plain words.
        let scopes: [String]
        /// The day, as `2026-12-02`.
        let lastUsed: String
    }

    func context() -> Context {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        let rows = entries.map { entry in
            Row(
                clientID: entry.clientID, name: entry.name,
                iconURL: SigninPage.imageOrigin(entry.imageURI) != nil ? entry.imageURI : nil,
                scopes: entry.scopes.map(SigninPage.describe), lastUsed: formatter.string(from: entry.lastUsed))
        }
        let deviceRows = devices.map { device in
            DeviceRow(
                id: device.id.hex, name: device.name.flatMap { $0.isEmpty ? nil : $0 } ?? "Unnamed device",
                kind: Self.kind(device.type), lastActive: RelativeTime.describe(device.lastActive, now: now),
                isThisBrowser: device.isThisBrowser)
        }
        return Context(
            hasDevices: !deviceRows.isEmpty, devices: deviceRows, hasEntries: !rows.isEmpty, entries: rows,
            csrfToken: csrfToken, notice: notice)
    }

    /// A device type in words.
    static func kind(_ type: String?) -> String {
        switch type {
        case "mobile": "Phone"
        case "tablet": "Tablet"
        case "vr": "Headset"
        case "tv": "TV"
        default: "Computer"
        }
    }
}
