import Foundation

/// One HTTP request the kit makes to the provider. Kept this small so a
/// test (or an app with its own HTTP stack) can stand in for the network.
public struct FxAHTTPRequest: Sendable, Equatable {
    /// The two methods the kit uses.
    public enum Method: String, Sendable { case get = "GET", post = "POST" }

    /// GET or POST.
    public var method: Method
    /// The endpoint, with its query.
    public var url: URL
    /// Extra headers (the transport adds `Accept: application/json`).
    public var headers: [(name: String, value: String)]
    /// The encoded body of a POST.
    public var body: Data?

    /// A request from its parts.
    public init(method: Method, url: URL, headers: [(name: String, value: String)] = [], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    public static func == (lhs: FxAHTTPRequest, rhs: FxAHTTPRequest) -> Bool {
        lhs.method == rhs.method && lhs.url == rhs.url && lhs.body == rhs.body
            && lhs.headers.map { "\($0.name):\($0.value)" } == rhs.headers.map { "\($0.name):\($0.value)" }
    }
}

/// The answer to an ``FxAHTTPRequest``.
public struct FxAHTTPResponse: Sendable {
    /// The HTTP status.
    public var status: Int
    /// The whole body (bounded by the transport).
    public var body: Data

    /// A response from its parts (scripted transports).
    public init(status: Int, body: Data) {
        self.status = status
        self.body = body
    }
}

/// Sends requests to the provider. ``AsyncHTTPClientTransport`` is the one
/// the kit uses by default; tests substitute a scripted one.
public protocol FxAHTTPTransport: Sendable {
    func send(_ request: FxAHTTPRequest) async throws -> FxAHTTPResponse
}
