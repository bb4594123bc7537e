import FxACore
import Foundation

/// A browser or app that registered itself on one of the account's
/// sessions (`POST /v1/account/device`): what Devices & apps lists, what
/// Send Tab targets, and where push notifications go.
///
/// A device stands on its session token, as in FxA: signing that session
/// out, a password change or reset (which end every session) or deleting
/// the account ends the device with it. The store never returns a device
/// whose session is gone, so there is no second place to forget.
public struct DeviceRecord: Sendable, Equatable {
    public var id: DeviceID
    public var uid: AccountUID
    /// The id hash of the session token it registered on.
    public var sessionIDHash: TokenHash
    /// As the device named itself (FxA's display-safe text, at most 255).
    public var name: String?
    /// `desktop`, `mobile`, `tablet`, `vr`, `tv`, or what the device said.
    public var type: String?
    public var createdAt: Date
    /// When the device last used the device API; shown as its last activity.
    public var lastAccessAt: Date
    /// Its Web Push subscription, when it has one: the endpoint URL and the
    /// keys (RFC 8291) a notification is encrypted to.
    public var pushCallback: String?
    public var pushPublicKey: String?
    public var pushAuthKey: String?
    /// The push service said the endpoint is gone; the device is asked to
    /// subscribe again (`pushEndpointExpired` in the device list).
    public var pushEndpointExpired: Bool
    /// The commands the device accepts (Send Tab's
    /// `https://identity.mozilla.com/cmd/open-uri`), each with the data
    /// another device needs to send it one (its public keys, as JSON text).
    public var availableCommands: [String: String]

    public init(
        id: DeviceID, uid: AccountUID, sessionIDHash: TokenHash, name: String?, type: String?, createdAt: Date,
        lastAccessAt: Date, pushCallback: String? = nil, pushPublicKey: String? = nil, pushAuthKey: String? = nil,
        pushEndpointExpired: Bool = false, availableCommands: [String: String] = [:]
    ) {
        self.id = id
        self.uid = uid
        self.sessionIDHash = sessionIDHash
        self.name = name
        self.type = type
        self.createdAt = createdAt
        self.lastAccessAt = lastAccessAt
        self.pushCallback = pushCallback
        self.pushPublicKey = pushPublicKey
        self.pushAuthKey = pushAuthKey
        self.pushEndpointExpired = pushEndpointExpired
        self.availableCommands = availableCommands
    }
}

/// A command one device sent another (`invoke_command`), queued until the
/// target fetches it (`GET /v1/account/device/commands`), as FxA's pushbox
/// keeps them. The payload is end-to-end encrypted by the sender (Send
/// Tab encrypts to the target's keys): the server stores it as given.
public struct DeviceCommand: Sendable, Equatable {
    /// Position in the target's queue; increases with every command.
    public var index: Int64
    public var uid: AccountUID
    public var target: DeviceID
    /// The command's name, one of the target's `availableCommands`.
    public var command: String
    /// The sender's payload, as JSON text.
    public var payload: String
    /// The sending device, when the sender's session has one.
    public var sender: DeviceID?
    public var createdAt: Date
    /// After this the command is dropped unread.
    public var expiresAt: Date

    public init(
        index: Int64 = 0, uid: AccountUID, target: DeviceID, command: String, payload: String, sender: DeviceID?,
        createdAt: Date, expiresAt: Date
    ) {
        self.index = index
        self.uid = uid
        self.target = target
        self.command = command
        self.payload = payload
        self.sender = sender
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// Persistence of devices and their command queues.
public protocol DeviceStore: Sendable {
    /// Registers a device. Throws ``FxAStoreError/conflict`` when its
    /// session already has a device (FxA's errno 124), so two racing
    /// registrations of one session cannot both win.
    func insert(_ device: DeviceRecord) async throws

    /// Replaces the stored fields of the device with `device.id` that
    /// stands on `device.sessionIDHash`; `false` when there is none (the
    /// device is unknown, or it is another session's: FxA's errno 123).
    func update(_ device: DeviceRecord) async throws -> Bool

    /// The device registered on a session, if any.
    func device(sessionIDHash: TokenHash) async throws -> DeviceRecord?

    /// The account's device with `id`, if it exists.
    func device(uid: AccountUID, id: DeviceID) async throws -> DeviceRecord?

    /// The account's devices, oldest first.
    func devices(uid: AccountUID) async throws -> [DeviceRecord]

    /// Marks the device's push endpoint gone (the push service said 404
    /// or 410): listed with `pushEndpointExpired`, Firefox subscribes again.
    func markPushEndpointExpired(uid: AccountUID, id: DeviceID) async throws

    /// Notes the device's activity.
    func touch(uid: AccountUID, id: DeviceID, at date: Date) async throws

    /// Deletes the device, its queued commands, and the session it stands
    /// on (with the tokens under that session), in one transaction; returns
    /// the device, or `nil` when the account has none with `id`.
    func delete(uid: AccountUID, id: DeviceID) async throws -> DeviceRecord?

    /// How many unexpired commands wait for `target`.
    func pendingCommandCount(uid: AccountUID, target: DeviceID, now: Date) async throws -> Int

    /// Queues a command; returns its index.
    func enqueue(_ command: DeviceCommand) async throws -> Int64

    /// The target's unexpired commands with an index of at least `index`,
    /// in order, at most `limit`; and whether none come after them.
    func commands(uid: AccountUID, target: DeviceID, from index: Int64, limit: Int, now: Date) async throws
        -> (commands: [DeviceCommand], last: Bool)

    /// Deletes devices whose session is gone and commands past their
    /// expiry or whose device is gone; returns how many rows went.
    @discardableResult
    func sweep(now: Date) async throws -> Int
}
