import FxACore
import Vapor

/// `GET /metrics-flow`: the start of the email-first flow. An RP that hosts
/// its own email form calls it when the form is shown and passes the answer
/// on to `/authorization` as `flow_id` and `flow_begin_time`, so that the
/// sign-in is attributed to the entrypoint and campaign that began it.
struct MetricsFlowController: RouteCollection {
    let keys: MetricsFlowKeys
    let clock: any WallClock

    func boot(routes: any RoutesBuilder) throws {
        routes.get("metrics-flow", use: begin)
    }

    /// FxA's response: a fresh device id, the flow's begin time (ms) and
    /// its signed id. Invalid parameters are refused (errno 107, naming
    /// them) so an RP sees its mistake during integration.
    @Sendable func begin(_ request: Request) async throws -> MetricsFlowResponse {
        let query = try request.query.decode([String: String].self)
        let (context, invalid) = FlowMetricsContext.parse(query)
        var badKeys = invalid
        if let formType = query["form_type"], !["email", "button", "subscribe"].contains(formType) { badKeys.append("form_type") }
        for name in ["context", "service", "product_id"] {
            if let value = query[name], value.utf8.count > 128 || value.isEmpty { badKeys.append(name) }
        }
        guard badKeys.isEmpty else { throw FxAError.invalidParameter(badKeys.sorted(), source: "query") }

        let flow = MetricsFlowID.begin(at: clock.now(), key: try await keys.current())
        var metadata = context.logMetadata(doNotTrack: request.headers.first(name: "DNT") == "1")
        metadata["flow_id"] = .string(flow.id)
        if let formType = query["form_type"] { metadata["form_type"] = .string(formType) }
        request.logger.info("flow.begin", metadata: metadata)
        return MetricsFlowResponse(
            deviceId: UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased(), flowBeginTime: flow.beginTime, flowId: flow.id)
    }
}

/// FxA's `/metrics-flow` body.
struct MetricsFlowResponse: Content {
    var deviceId: String
    var flowBeginTime: Int64
    var flowId: String
}
