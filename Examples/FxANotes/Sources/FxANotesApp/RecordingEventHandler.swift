import FluentKit
import FxAVapor
import Vapor

/// FxAVapor's standard handling of every FxA event, plus a line in the
/// user's event history saying what arrived and what the app did, which
/// the home page shows. A real app would keep the handling and might drop
/// the history; it is here so a developer sees each webhook land.
struct RecordingEventHandler: FxAEventHandler {
    let standard: StandardFxAEventHandler
    let database: any Database

    var users: any FxAUserStore { standard.users }
    var client: FxAClient { standard.client }
    var logger: Logger { standard.logger }

    func profileChanged(uid: String, change: FxAEvent.ProfileChange) async throws {
        try await standard.profileChanged(uid: uid, change: change)
        try await record(uid, "Profile changed", "Fetched your profile again with the stored refresh token.")
    }

    func passwordChanged(uid: String, at date: Date) async throws {
        try await standard.passwordChanged(uid: uid, at: date)
        try await record(uid, "Password changed", "Signed out every session of this app that began before the change.")
    }

    /// Nothing is recorded: the user, their notes and this history are
    /// erased together.
    func userDeleted(uid: String) async throws {
        try await standard.userDeleted(uid: uid)
    }

    func subscriptionChanged(uid: String, capabilities: [String], isActive: Bool) async throws {
        try await standard.subscriptionChanged(uid: uid, capabilities: capabilities, isActive: isActive)
        try await record(uid, "Subscription changed", isActive ? "Capabilities now: \(capabilities.joined(separator: ", "))." : "Capabilities ended.")
    }

    func metricsPreferenceChanged(uid: String, enabled: Bool) async throws {
        try await standard.metricsPreferenceChanged(uid: uid, enabled: enabled)
        try await record(uid, enabled ? "Metrics turned on" : "Metrics turned off",
                         enabled ? "This app may count your use again." : "This app keeps no metrics about you.")
    }

    /// Only for a user this app knows: an event about anyone else is handled
    /// (ignored) by the standard handler and leaves nothing behind.
    private func record(_ uid: String, _ title: String, _ outcome: String) async throws {
        guard try await UserRecord.find(uid, on: database) != nil else { return }
        try await EventRecord(uid: uid, title: title, outcome: outcome, receivedAt: Date()).create(on: database)
    }
}
