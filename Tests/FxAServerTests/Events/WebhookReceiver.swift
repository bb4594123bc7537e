import Foundation
import FxACore
import Logging
import NIOConcurrencyHelpers
import Vapor

/// A relying party's webhook on loopback: a real HTTP server that records
/// every Security Event Token it is sent and answers as told.
final class WebhookReceiver: Sendable {
    enum Behaviour: Sendable {
        case accept
        /// Answers this status.
        case answer(Int)
        /// Fails every other request with 503, starting with the first.
        case flaky
        /// Waits this long, then accepts.
        case sleep(TimeInterval)
        /// Redirects to another URL.
        case redirect(String)
        /// Answers 200 at once, then sends its body a byte every half second.
        case trickle
    }

    struct Received: Sendable {
        let token: String
        let at: Date
        let accepted: Bool
    }

    let port: Int
    private let app: Application
    private let state: NIOLockedValueBox<(behaviour: Behaviour, received: [Received], requests: Int)>

    var url: String { "http://127.0.0.1:\(port)/events" }

    /// Every token received, accepted or not.
    var received: [Received] { state.withLockedValue { $0.received } }
    /// The tokens it answered 2xx to.
    var accepted: [String] { received.filter(\.accepted).map(\.token) }
    /// The distinct `jti`s among the accepted tokens, read without checking
    /// signatures (tests verify those separately). A retry re-signs its event
    /// with a new `iat`, so two accepted tokens can carry one event: waiting
    /// for N distinct tokens is not waiting for N events.
    var acceptedJTIs: Set<String> {
        Set(accepted.compactMap { token in
            let parts = token.split(separator: ".")
            guard parts.count == 3, let payload = Data(base64URLEncoded: String(parts[1])),
                  let object = try? JSONSerialization.jsonObject(with: payload) as? [String: Any] else { return nil }
            return object["jti"] as? String
        })
    }

    func behave(_ behaviour: Behaviour) { state.withLockedValue { $0.behaviour = behaviour } }

    private init(app: Application, port: Int, behaviour: Behaviour) {
        self.app = app
        self.port = port
        state = NIOLockedValueBox((behaviour, [], 0))
    }

    /// Starts listening on `port` (0: any free port).
    static func start(_ behaviour: Behaviour = .accept, port: Int = 0) async throws -> WebhookReceiver {
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .critical
        let app = try await Application.make(.testing, logger: logger)
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = port
        let box = NIOLockedValueBox<WebhookReceiver?>(nil)
        app.post("events") { request async throws -> Response in
            guard let receiver = box.withLockedValue({ $0 }) else { return Response(status: .serviceUnavailable) }
            return try await receiver.handle(request)
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: port))
        let bound = app.http.server.shared.localAddress?.port ?? port
        let receiver = WebhookReceiver(app: app, port: bound, behaviour: behaviour)
        box.withLockedValue { $0 = receiver }
        return receiver
    }

    private func handle(_ request: Request) async throws -> Response {
        let header = request.headers.first(name: .authorization) ?? ""
        let token = header.hasPrefix("Bearer ") ? String(header.dropFirst(7)) : ""
        let (behaviour, count) = state.withLockedValue { state -> (Behaviour, Int) in
            state.requests += 1
            return (state.behaviour, state.requests)
        }
        var status: HTTPStatus = .ok
        var headers = HTTPHeaders()
        switch behaviour {
        case .accept: break
        case .answer(let code): status = HTTPStatus(statusCode: code)
        case .flaky: status = count % 2 == 1 ? .serviceUnavailable : .ok
        case .sleep(let seconds): try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
        case .redirect(let location):
            status = .temporaryRedirect
            headers.add(name: .location, value: location)
        case .trickle:
            state.withLockedValue { $0.received.append(Received(token: token, at: Date(), accepted: false)) }
            return Response(status: .ok, body: .init(managedAsyncStream: { writer in
                for _ in 0..<20 {
                    try await writer.write(.buffer(ByteBuffer(string: ".")))
                    try await Task.sleep(for: .milliseconds(500))
                }
            }))
        }
        let accepted = (200..<300).contains(status.code)
        state.withLockedValue { $0.received.append(Received(token: token, at: Date(), accepted: accepted)) }
        return Response(status: status, headers: headers)
    }

    func stop() async {
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }
}

/// Waits (polling, up to `timeout` seconds) until `condition` holds.
func eventually(timeout: TimeInterval = 10, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
