import FxACore
import Vapor

/// Adds `Timestamp: <server seconds>` to every response, as FxA's auth
/// server does: Hawk clients (Firefox, PyFxA 0.8) read it to correct their
/// clock skew before their next signed request.
struct TimestampHeaderMiddleware: AsyncMiddleware {
    let clock: any WallClock

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: "Timestamp", value: String(Int64(clock.now().timeIntervalSince1970)))
        return response
    }
}
