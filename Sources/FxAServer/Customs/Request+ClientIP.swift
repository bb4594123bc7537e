import Vapor

extension Request {
    /// The peer's IP address, which customs counts against. Forwarded
    /// headers are not trusted: behind a proxy every request shares the
    /// proxy's address (docs/operations.md says how to size the IP limit).
    var clientIP: String? {
        remoteAddress?.ipAddress
    }
}
