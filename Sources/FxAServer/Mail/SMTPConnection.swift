import FxACore
import NIOCore
import NIOPosix
import NIOSSL

/// One SMTP session over NIO: sends command lines and reads replies
/// (possibly multi-line, `250-…` then `250 …`), and can switch to TLS in
/// place for STARTTLS. Everything is bounded by a deadline so a stuck relay
/// cannot hold a request forever.
final class SMTPConnection: Sendable {
    private let channel: any Channel
    private let lines: AsyncThrowingStream<String, any Error>
    private let host: String

    private init(channel: any Channel, lines: AsyncThrowingStream<String, any Error>, host: String) {
        self.channel = channel
        self.lines = lines
        self.host = host
    }

    /// Connects, with TLS from the first byte when `implicitTLS`.
    static func open(host: String, port: Int, implicitTLS: Bool, group: any EventLoopGroup) async throws -> SMTPConnection {
        let (stream, continuation) = AsyncThrowingStream<String, any Error>.makeStream()
        let tls = implicitTLS ? try NIOSSLContext(configuration: .makeClientConfiguration()) : nil
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: tls, serverHostname: host))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPLineDecoder()))
                    try channel.pipeline.syncOperations.addHandler(SMTPLineForwarder(continuation: continuation))
                }
            }
            .connect(host: host, port: port)
            .get()
        return SMTPConnection(channel: channel, lines: stream, host: host)
    }

    /// Reads one reply: its code and the text of its lines.
    func readReply() async throws -> (code: Int, text: String) {
        var text: [String] = []
        var iterator = lines.makeAsyncIterator()
        while let line = try await iterator.next() {
            guard line.count >= 3, let code = Int(line.prefix(3)) else { throw SMTPFailure("malformed reply") }
            text.append(String(line.dropFirst(4)))
            if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] == " " {
                return (code, text.joined(separator: "\n"))
            }
        }
        throw SMTPFailure("connection closed by the relay")
    }

    /// Sends `line` with CRLF and expects a reply with one of `codes`.
    @discardableResult
    func command(_ line: String, expect codes: Set<Int>, redacted: String? = nil) async throws -> String {
        try await write(line + "\r\n")
        let reply = try await readReply()
        guard codes.contains(reply.code) else {
            throw SMTPFailure(
                "\(redacted ?? line.split(separator: " ").first.map(String.init) ?? line) answered \(reply.code)", relayText: reply.text)
        }
        return reply.text
    }

    func write(_ text: String) async throws {
        var buffer = channel.allocator.buffer(capacity: text.utf8.count)
        buffer.writeString(text)
        try await channel.writeAndFlush(buffer)
    }

    /// Puts TLS in front of the plain connection after a `220` to STARTTLS.
    func startTLS() async throws {
        let context = try NIOSSLContext(configuration: .makeClientConfiguration())
        let host = self.host
        let channel = self.channel
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHandler(
                try NIOSSLClientHandler(context: context, serverHostname: host), position: .first)
        }.get()
    }

    func close() async {
        try? await channel.close()
    }
}

/// An SMTP transport error, kept free of message content and credentials.
struct SMTPFailure: Error, CustomStringConvertible {
    /// What failed, by SMTP verb and reply code: what the log gets.
    let description: String
    /// The relay's own words, which often repeat the recipient's address:
    /// shown to the operator by `fxa-server mail test`, never logged.
    let relayText: String?
    init(_ description: String, relayText: String? = nil) {
        self.description = description
        self.relayText = relayText
    }

    /// The summary with the relay's words, for the operator's terminal.
    var detail: String { relayText.map { "\(description) \($0)" } ?? description }
}

/// Splits the byte stream into CRLF-terminated lines (bare LF tolerated).
private struct SMTPLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > 4096 { throw SMTPFailure("reply line too long") }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        guard var line = buffer.readString(length: length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        context.fireChannelRead(Self.wrapInboundOut(line))
        return .continue
    }
}

/// Hands decoded lines to the async side.
private final class SMTPLineForwarder: ChannelInboundHandler, Sendable {
    typealias InboundIn = String
    let continuation: AsyncThrowingStream<String, any Error>.Continuation

    init(continuation: AsyncThrowingStream<String, any Error>.Continuation) {
        self.continuation = continuation
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        continuation.yield(Self.unwrapInboundIn(data))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        continuation.finish(throwing: error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
    }
}
