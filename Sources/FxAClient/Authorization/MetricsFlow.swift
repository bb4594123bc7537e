import Foundation

/// A metrics flow begun at FxA's `/metrics-flow` by an RP that hosts its
/// own email-first form: the provider ties the later sign-in to the page
/// view that started it. Pass it to ``AuthorizationRequest/metricsFlow``
/// together with the email the user typed (``AuthorizationRequest/email``
/// and `action = .email`).
public struct MetricsFlow: Sendable, Equatable, Codable {
    /// FxA's signed flow id (64 hex), sent as `flow_id`.
    public var flowID: String
    /// Milliseconds since the epoch, as FxA writes it.
    public var flowBeginTime: Int64
    /// FxA's `deviceId`, sent as `device_id` when present.
    public var deviceID: String?

    /// A flow from its parts (e.g. one the page fetched itself).
    public init(flowID: String, flowBeginTime: Int64, deviceID: String? = nil) {
        self.flowID = flowID
        self.flowBeginTime = flowBeginTime
        self.deviceID = deviceID
    }

    enum CodingKeys: String, CodingKey {
        case flowID = "flowId"
        case flowBeginTime
        case deviceID = "deviceId"
    }
}
