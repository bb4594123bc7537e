import FxACore
import Vapor

/// `POST /v1/account/device`: a registration (no `id`) or an update of the
/// session's own device. Every field is optional; the three push fields
/// come together or not at all (FxA's `.and()`); `capabilities` is an old
/// field accepted only empty.
struct DeviceRegistrationRequest: Content {
    var id: DeviceID?
    var name: DeviceName?
    var type: DeviceType?
    var availableCommands: AvailableCommands?
    var pushCallback: PushCallback?
    var pushPublicKey: PushKey?
    var pushAuthKey: PushKey?
    var capabilities: [String]?

    /// Errno 107 for a half-given push subscription or capabilities.
    func checked() throws(FxAError) -> Self {
        let push = [pushCallback != nil, pushPublicKey != nil, pushAuthKey != nil]
        if push.contains(true), push.contains(false) {
            throw FxAError.invalidParameter(["pushCallback", "pushPublicKey", "pushAuthKey"].enumerated().filter { !push[$0.offset] }.map(\.element))
        }
        if let capabilities, !capabilities.isEmpty { throw FxAError.invalidParameter(["capabilities"]) }
        return self
    }
}

/// `POST /v1/account/device/destroy`.
struct DeviceDestroyRequest: Content {
    var id: DeviceID
}

/// `POST /v1/account/devices/invoke_command`: a command for one device,
/// queued for it. The payload is the sender's (Send Tab encrypts it to
/// the target's keys) and is stored as given, at most 64 KiB of JSON.
struct InvokeCommandRequest: Content {
    var target: DeviceID
    var command: String
    var payload: JSONValue
    /// Seconds the command waits; capped at ``DeviceService/maximumCommandLifetime``.
    var ttl: Int?

    func checked() throws(FxAError) -> Self {
        guard AvailableCommands.isCommandName(command) else { throw FxAError.invalidParameter(["command"]) }
        guard case .object = payload else { throw FxAError.invalidParameter(["payload"]) }
        if let ttl, !(0...10_000_000).contains(ttl) { throw FxAError.invalidParameter(["ttl"]) }
        return self
    }
}

/// `POST /v1/account/devices/notify`: a push message to the account's
/// other devices (`to: "all"`, minus `excluded`) or to some of them.
struct NotifyDevicesRequest: Content {
    enum Recipients: Codable, Equatable {
        case all
        case devices([DeviceID])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let word = try? container.decode(String.self) {
                guard word == "all" else {
                    throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\"all\" or ids"))
                }
                self = .all
            } else {
                self = .devices(try container.decode([DeviceID].self))
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .all: try container.encode("all")
            case .devices(let ids): try container.encode(ids)
            }
        }
    }

    var to: Recipients
    var excluded: [DeviceID]?
    var payload: JSONValue
    var TTL: Int?

    /// The push payloads FxA's schema (`pushpayloads.schema.json`) allows.
    static let commands: Set<String> = [
        "fxaccounts:device_connected", "fxaccounts:device_disconnected", "fxaccounts:profile_updated",
        "sync:collection_changed", "fxaccounts:password_changed", "fxaccounts:password_reset",
        "fxaccounts:account_destroyed", "fxaccounts:command_received",
    ]

    /// Errno 107 `payload` unless it is `{version: <int>, command: <known>, data?: {…}}`.
    func checked() throws(FxAError) -> Self {
        guard case .object(let fields) = payload, case .int? = fields["version"],
              case .string(let command)? = fields["command"], Self.commands.contains(command),
              Set(fields.keys).isSubset(of: ["version", "command", "data"])
        else { throw FxAError.invalidParameter(["payload"]) }
        if let data = fields["data"], case .object = data {} else if fields["data"] != nil {
            throw FxAError.invalidParameter(["payload"])
        }
        if let TTL, TTL < 0 { throw FxAError.invalidParameter(["TTL"]) }
        return self
    }
}

/// `POST /v1/account/attached_client/destroy`: at least one of the ids
/// that `attached_clients` gave (FxA's rules: `refreshTokenId` needs
/// `clientId`; `sessionTokenId` goes with neither).
struct AttachedClientDestroyRequest: Content {
    var clientId: OAuthClientID?
    var deviceId: DeviceID?
    var sessionTokenId: TokenHash?
    var refreshTokenId: TokenHash?

    func checked() throws(FxAError) -> Self {
        if clientId == nil, deviceId == nil, sessionTokenId == nil, refreshTokenId == nil {
            throw FxAError.invalidParameter(["clientId"])
        }
        if refreshTokenId != nil, clientId == nil { throw FxAError.invalidParameter(["clientId"]) }
        if sessionTokenId != nil, clientId != nil || refreshTokenId != nil { throw FxAError.invalidParameter(["sessionTokenId"]) }
        return self
    }
}
