import FxACore
import FxAStore
import Foundation
import Vapor

/// A device as FxA's API shows it, with FxA's defaults filled in (an
/// empty name, `desktop`): the answer of `POST /v1/account/device`
/// (``registered(_:created:)``), and each entry of `GET /v1/account/devices`
/// (``listed(_:current:now:)``), which adds where the caller stands and
/// when the device was last active. Firefox reads `id`, `isCurrentDevice`,
/// `pushCallback`, `pushEndpointExpired` and `availableCommands` (to find
/// itself, re-subscribe push, and send tabs), and `name`, `type` and
/// `lastAccessTime` for its device list. Fields a form does not carry are
/// left out of its JSON.
struct DeviceResponse: Content {
    var id: String
    /// Only in the answer to a registration.
    var createdAt: Int64?
    /// Only in the list.
    var isCurrentDevice: Bool?
    var lastAccessTime: Int64?
    var lastAccessTimeFormatted: String?
    /// Where the device was last seen; this server does no IP geolocation,
    /// so the list always says `{}`.
    var location: [String: String]?
    var name: String
    var type: String
    @NullEncoded var pushCallback: String?
    @NullEncoded var pushPublicKey: String?
    @NullEncoded var pushAuthKey: String?
    var pushEndpointExpired: Bool
    var availableCommands: [String: String]

    private init(_ device: DeviceRecord) {
        id = device.id.hex
        name = device.name ?? ""
        type = device.type ?? "desktop"
        pushCallback = device.pushCallback
        pushPublicKey = device.pushPublicKey
        pushAuthKey = device.pushAuthKey
        pushEndpointExpired = device.pushEndpointExpired
        availableCommands = device.availableCommands
    }

    /// The answer to a registration (`createdAt` when it made the device).
    static func registered(_ device: DeviceRecord, created: Bool) -> DeviceResponse {
        var response = DeviceResponse(device)
        response.createdAt = created ? device.createdAt.millisecondsSince1970 : nil
        return response
    }

    /// An entry of the device list.
    static func listed(_ device: DeviceRecord, current: Bool, now: Date) -> DeviceResponse {
        var response = DeviceResponse(device)
        response.isCurrentDevice = current
        response.lastAccessTime = device.lastAccessAt.millisecondsSince1970
        response.lastAccessTimeFormatted = RelativeTime.describe(device.lastAccessAt, now: now)
        response.location = [:]
        return response
    }
}

/// `GET /v1/account/device/commands`: the page of the device's queue from
/// `index` on. `index` is the last message's, which the device asks
/// after next time (plus one); `last` says nothing follows.
struct DeviceCommandsResponse: Content {
    struct Message: Content {
        var index: Int64
        var data: MessageData
    }

    struct MessageData: Content {
        var command: String
        var payload: JSONValue
        /// The sending device; absent when the sender's session had none.
        var sender: String?
    }

    var index: Int64
    var last: Bool
    var messages: [Message]
}

/// `POST /v1/account/devices/invoke_command`: queued, and whether the
/// target was woken by a push (`notifyError` says why not).
struct InvokeCommandResponse: Content {
    var enqueued: Bool
    var notified: Bool
    var notifyError: String?
}

/// One entry of `GET /v1/account/attached_clients`: a device with its
/// session, a session without a device, or an OAuth client's tokens,
/// with FxA's field names. `sessionTokenId` is an opaque handle for the
/// session (the server keeps only a hash of the token's id), good for
/// `attached_client/destroy`.
struct AttachedClientEntry: Content {
    @NullEncoded var clientId: String?
    @NullEncoded var deviceId: String?
    @NullEncoded var sessionTokenId: String?
    @NullEncoded var refreshTokenId: String?
    var isCurrentSession: Bool
    @NullEncoded var deviceType: String?
    @NullEncoded var name: String?
    var createdTime: Int64
    var createdTimeFormatted: String
    var lastAccessTime: Int64
    var lastAccessTimeFormatted: String
    @NullEncoded var scope: [String]?
    var location: [String: String]
    var userAgent: String
    @NullEncoded var os: String?
}

/// "5 minutes ago", as FxA's `lastAccessTimeFormatted` says it (English).
enum RelativeTime {
    static func describe(_ date: Date, now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        func plural(_ count: Int, _ unit: String) -> String { count == 1 ? "a\(unit == "hour" ? "n" : "") \(unit) ago" : "\(count) \(unit)s ago" }
        switch seconds {
        case ..<45: return "a few seconds ago"
        case ..<3600: return plural(max(1, seconds / 60), "minute")
        case ..<86_400: return plural(seconds / 3600, "hour")
        case ..<(86_400 * 30): return plural(seconds / 86_400, "day")
        case ..<(86_400 * 365): return plural(seconds / (86_400 * 30), "month")
        default: return plural(seconds / (86_400 * 365), "year")
        }
    }
}
