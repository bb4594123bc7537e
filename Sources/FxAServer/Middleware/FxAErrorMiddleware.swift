import FxACore
import Vapor

/// Turns every error into FxA's JSON error body, so no path, not even an
/// unknown one, answers with an HTML page, a stack trace or SQL text.
///
/// ``FxAError`` passes through unchanged. Vapor's own errors (no route, body
/// too large, undecodable body) are mapped to the errno FxA's hapi server
/// gives them. Anything else is a bug or an outage: the client gets errno 999
/// and the cause is logged with the request id, where an operator can find it.
struct FxAErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let fxaError = Self.translate(error)
            Self.log(fxaError, cause: error, on: request)
            return Self.response(for: fxaError)
        }
    }

    /// Logs a failed request: a 5xx with its cause (for the operator, never
    /// the client), a refusal at debug level with its errno only.
    static func log(_ fxaError: FxAError, cause: any Error, on request: Request) {
        if fxaError.status >= 500 {
            request.logger.error("request failed", metadata: [
                "errno": .stringConvertible(fxaError.errno.rawValue),
                "cause": .string(String(reflecting: cause)),
            ])
        } else {
            request.logger.debug("request refused", metadata: ["errno": .stringConvertible(fxaError.errno.rawValue)])
        }
    }

    /// Maps any error to the FxA error a client should see.
    static func translate(_ error: any Error) -> FxAError {
        switch error {
        case let error as FxAError:
            return error
        case let error as DecodingError:
            return translate(decoding: error)
        case let error as any AbortError:
            switch error.status {
            case .notFound: return .unknownEndpoint()
            case .methodNotAllowed: return .methodNotAllowed()
            case .payloadTooLarge: return .requestTooLarge()
            case .unsupportedMediaType: return .unsupportedMediaType()
            case .badRequest: return .invalidJSON()
            default:
                let status = Int(error.status.code)
                return status >= 500
                    ? .unexpected()
                    : FxAError(status: status, errno: .auth(.unexpectedError), message: error.status.reasonPhrase)
            }
        default:
            return .unexpected()
        }
    }

    /// A body that is JSON but of the wrong shape gets FxA's validation
    /// errnos: 108 for a missing field, 107 for a wrong type; a body that is
    /// not JSON at all gets 106.
    private static func translate(decoding error: DecodingError) -> FxAError {
        switch error {
        case .keyNotFound(let key, _):
            return .missingParameter(key.stringValue)
        case .valueNotFound(_, let context):
            return .missingParameter(context.codingPath.last?.stringValue ?? "body")
        case .typeMismatch(_, let context):
            return .invalidParameter([context.codingPath.last?.stringValue ?? "body"])
        case .dataCorrupted(let context):
            if let key = context.codingPath.last {
                return .invalidParameter([key.stringValue])
            }
            return .invalidJSON()
        @unknown default:
            return .invalidJSON()
        }
    }

    /// Renders `error` with FxA's headers: JSON content type, `Retry-After`
    /// when the client should wait, `WWW-Authenticate` on a challenge.
    static func response(for error: FxAError) -> Response {
        response(for: error, body: error)
    }

    /// Renders `error`'s status and headers with another `body`: the Sync
    /// routes' own error bodies (``SyncServiceMiddleware``).
    static func response(for error: FxAError, body encodable: some Encodable) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        if let retryAfter = error.retryAfter {
            headers.replaceOrAdd(name: .retryAfter, value: String(retryAfter))
        }
        if let challenge = error.challenge {
            headers.replaceOrAdd(name: .wwwAuthenticate, value: challenge)
        }
        let body: ByteBuffer
        do {
            body = ByteBuffer(data: try JSONEncoder().encode(encodable))
        } catch {
            // Encoding a struct of strings and numbers cannot fail; if it
            // ever did, still answer with valid JSON.
            body = ByteBuffer(string: #"{"code":500,"errno":999,"error":"Internal Server Error","message":"Unspecified error"}"#)
        }
        return Response(status: HTTPResponseStatus(statusCode: error.status), headers: headers, body: .init(buffer: body))
    }
}
