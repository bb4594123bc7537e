import FxACore

/// The device API's errors, as FxA's `lib/error.js` has them.
extension FxAError {
    /// 400 errno 123: no such device for this account, or not this
    /// session's to change. Firefox clears its stored device id on it and
    /// registers afresh.
    static func unknownDevice() -> FxAError {
        FxAError(status: 400, errno: .auth(.deviceUnknown), message: "Unknown device")
    }

    /// 400 errno 124: the session already has another device; the body
    /// names it (`deviceId`) so the client can adopt it.
    static func deviceSessionConflict(_ id: DeviceID) -> FxAError {
        FxAError(
            status: 400, errno: .auth(.deviceConflict), message: "Session already registered by another device",
            extra: ["deviceId": .string(id.hex)])
    }

    /// 429 errno 114: the target device has ``DeviceService/maximumQueuedCommands``
    /// waiting; it fetches them when it next connects, and room is made then.
    static func deviceQueueFull() -> FxAError {
        FxAError(
            status: 429, errno: .auth(.throttled), message: "The device has too many commands waiting",
            retryAfter: 3600, extra: ["retryAfter": .int(3600)])
    }

    /// 400 errno 157: the target device does not accept that command.
    static func unavailableDeviceCommand() -> FxAError {
        FxAError(status: 400, errno: .auth(.deviceCommandUnavailable), message: "Unavailable device command.")
    }
}
