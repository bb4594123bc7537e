import AsyncHTTPClient
import FxACore
import FxAStore
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// Sends Web Push messages to devices (RFC 8030), as FxA's auth server
/// does (`lib/push.js`): encrypted to the device's subscription (RFC 8291),
/// signed with VAPID (RFC 8292), with a `TTL`. A push service that says the
/// endpoint is gone (404, 410) marks the device `pushEndpointExpired`, so
/// Firefox subscribes again at its next device-list fetch.
///
/// Never in the way of a request: each push runs in the background with a
/// deadline of its own, and a device without a subscription, or a push
/// service that fails, only means the device learns later (when it polls).
final class PushNotifier: LifecycleHandler, Sendable {
    let devices: any DeviceStore
    let vapid: VAPIDKey
    let policy: PushEndpointPolicy
    let clock: any WallClock
    private let state = NIOLockedValueBox<(client: HTTPClient?, logger: Logger?)>((nil, nil))
    /// Pushes under way; past ``maximumInFlight`` new ones are dropped (the
    /// devices still find their commands when they poll).
    private let inFlight = NIOLockedValueBox(0)

    /// The longest a push may take, from connecting to the answer.
    static let timeout: TimeAmount = .seconds(10)
    /// The most pushes under way at once, in this process.
    static let maximumInFlight = 64

    init(devices: any DeviceStore, vapid: VAPIDKey, policy: PushEndpointPolicy, clock: any WallClock) {
        self.devices = devices
        self.vapid = vapid
        self.policy = policy
        self.clock = clock
    }

    func didBoot(_ application: Application) throws {
        let client = WebhookSender.makeClient(eventLoopGroup: application.eventLoopGroup)
        state.withLockedValue { $0 = (client, application.logger) }
    }

    func shutdownAsync(_ application: Application) async {
        let client = state.withLockedValue { state in
            defer { state.client = nil }
            return state.client
        }
        try? await client?.shutdown()
    }

    /// Why a device was not pushed to (FxA's `notifyError` words).
    enum Skipped: String, Sendable {
        case noCallback
        case noKeys
        case expiredCallback
        case notAllowed
    }

    /// Whether `device` can be pushed to now, or why not.
    func reachability(of device: DeviceRecord) -> Skipped? {
        guard let callback = device.pushCallback else { return .noCallback }
        guard device.pushPublicKey != nil, device.pushAuthKey != nil else { return .noKeys }
        if device.pushEndpointExpired { return .expiredCallback }
        return policy.allows(callback) ? nil : .notAllowed
    }

    /// Pushes `payload` (FxA's `{version, command, data}`) to each of
    /// `targets` that can be reached, in the background.
    func push(_ payload: JSONValue, to targets: [DeviceRecord], ttl: Int) {
        guard let (client, configuredLogger) = state.withLockedValue({ state in state.client.map { ($0, state.logger) } })
        else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        guard let plaintext = try? encoder.encode(payload) else { return }
        let logger = configuredLogger ?? Logger(label: "push")
        for device in targets where reachability(of: device) == nil {
            let admitted = inFlight.withLockedValue { count in
                guard count < Self.maximumInFlight else { return false }
                count += 1
                return true
            }
            guard admitted else {
                logger.warning("push.dropped", metadata: ["device": .string(device.id.hex), "reason": "too many pushes under way"])
                continue
            }
            Task { [self] in
                defer { inFlight.withLockedValue { $0 -= 1 } }
                await send(plaintext, to: device, ttl: ttl, client: client, logger: logger)
            }
        }
    }

    private func send(_ plaintext: Data, to device: DeviceRecord, ttl: Int, client: HTTPClient, logger: Logger) async {
        guard let callback = device.pushCallback, let url = URL(string: callback),
              let publicKey = device.pushPublicKey.flatMap({ Data(base64URLEncoded: $0) }),
              let auth = device.pushAuthKey.flatMap({ Data(base64URLEncoded: $0) })
        else { return }
        do {
            var request = HTTPClientRequest(url: callback)
            request.method = .POST
            request.headers.add(name: "TTL", value: String(max(0, ttl)))
            request.headers.add(name: "Content-Encoding", value: "aes128gcm")
            request.headers.add(name: "Content-Type", value: "application/octet-stream")
            request.headers.add(name: "Authorization", value: try vapid.authorization(for: url, now: clock.now()))
            request.body = .bytes(ByteBuffer(data: try WebPushEncryption.encrypt(plaintext, to: publicKey, authSecret: auth)))
            let response = try await client.execute(request, deadline: .now() + Self.timeout)
            _ = try? await response.body.collect(upTo: 64 * 1024)
            switch response.status.code {
            case 200..<300: break
            case 404, 410:
                try await devices.markPushEndpointExpired(uid: device.uid, id: device.id)
                logger.info("push.endpoint_expired", metadata: ["device": .string(device.id.hex)])
            default:
                logger.warning("push.refused", metadata: ["device": .string(device.id.hex), "status": .stringConvertible(response.status.code)])
            }
        } catch {
            logger.warning("push.failed", metadata: ["device": .string(device.id.hex), "cause": .string(String(String(describing: error).prefix(200)))])
        }
    }
}

/// FxA's push payloads (`pushpayloads.schema.json`), version 1.
enum PushPayload {
    static func commandReceived(command: String, index: Int64, sender: DeviceID?, url: String) -> JSONValue {
        var data: [String: JSONValue] = ["command": .string(command), "index": .int(Int(index)), "url": .string(url)]
        if let sender { data["sender"] = .string(sender.hex) }
        return message("fxaccounts:command_received", data)
    }

    static func deviceConnected(name: String) -> JSONValue {
        message("fxaccounts:device_connected", ["deviceName": .string(name)])
    }

    static func deviceDisconnected(_ id: DeviceID) -> JSONValue {
        message("fxaccounts:device_disconnected", ["id": .string(id.hex)])
    }

    private static func message(_ command: String, _ data: [String: JSONValue]) -> JSONValue {
        .object(["version": .int(1), "command": .string(command), "data": .object(data)])
    }
}
