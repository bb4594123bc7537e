import FxACore
import Vapor

/// Wraps the routes of one of Sync's two services, whose clients read
/// other error bodies and timestamp headers than FxA's: every error,
/// whoever threw it (a refusal, an outage, an unknown path), is rendered in
/// the service's words from its ``FxAError``, and every answer carries the
/// service's clock header.
struct SyncServiceMiddleware: AsyncMiddleware {
    /// Which of the two services the routes are.
    enum Service: Sendable {
        /// `/1.0/sync/1.5`: JSON error bodies (``TokenserverErrorBody``)
        /// and `X-Timestamp` in whole seconds, which Firefox reads to
        /// correct its clock before it signs storage requests.
        case tokenserver
    }

    let service: Service
    let clock: any WallClock

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            let fxaError = FxAErrorMiddleware.translate(error)
            FxAErrorMiddleware.log(fxaError, cause: error, on: request)
            response = render(fxaError)
        }
        switch service {
        case .tokenserver:
            response.headers.replaceOrAdd(name: "X-Timestamp", value: String(Int64(clock.now().timeIntervalSince1970)))
        }
        return response
    }

    private func render(_ error: FxAError) -> Response {
        switch service {
        case .tokenserver:
            let body: TokenserverErrorBody
            if case .tokenserver(let own) = error.sync {
                body = own
            } else {
                body = .derived(from: error)
            }
            return FxAErrorMiddleware.response(for: error, body: body)
        }
    }
}
