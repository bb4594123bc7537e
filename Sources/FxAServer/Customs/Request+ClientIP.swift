import Vapor

extension Request {
    /// The peer's IP address, which customs counts against. Forwarded
    /// headers are not trusted: behind a proxy every request shares the
    /// proxy's address (the README's `FXA_RATE_LIMIT_IP` row says how to size the IP limit).
    var clientIP: String? {
        remoteAddress?.ipAddress
    }
}
