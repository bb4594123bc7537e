import FxACore
import FxAServer
import Testing
import Vapor
import VaporTesting

/// A request body shaped like the auth API's: two required fields.
private struct LoginLike: Content {
    var email: String
    var verified: Bool
}

/// An error whose text must never reach a client.
private struct InternalFailure: Error, CustomStringConvertible {
    var description: String { "SELECT * FROM accounts WHERE authPW = 'secret-material'" }
}

/// Test-only routes: no production route takes a body yet, and the error
/// middleware must be proven on one. Later areas add their own cases.
private func errorRoutes(_ app: Application) throws {
    app.post("v1", "test", "echo") { req async throws -> LoginLike in
        try req.content.decode(LoginLike.self)
    }
    app.get("v1", "test", "boom") { _ async throws -> String in
        throw InternalFailure()
    }
    app.get("v1", "test", "throttled") { _ async throws -> String in
        throw FxAError.throttled(retryAfter: 17)
    }
}

@Suite("Error responses")
struct ErrorResponseTests {
    func expectFxAError(
        _ res: TestingHTTPResponse, status: HTTPStatus, errno: Int, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ErrorBody {
        #expect(res.status == status, sourceLocation: sourceLocation)
        #expect(res.headers.contentType == .json, sourceLocation: sourceLocation)
        let body = try res.content.decode(ErrorBody.self)
        #expect(body.code == Int(status.code), sourceLocation: sourceLocation)
        #expect(body.errno == errno, sourceLocation: sourceLocation)
        #expect(body.error == HTTPReasonPhrase.for(status: Int(status.code)), sourceLocation: sourceLocation)
        #expect(body.info == FxAError.defaultInfo, sourceLocation: sourceLocation)
        return body
    }

    @Test(arguments: [
        (HTTPMethod.GET, "/nope"), (.GET, "/v1/account/unknown"), (.POST, "/v1/no/such/route"),
        (.DELETE, "/__heartbeat__"), (.GET, "/index.html"),
    ])
    func unknownPathsGetA404InFxAShape(method: HTTPMethod, path: String) async throws {
        try await withTestServer { server in
            try await server.app.testing().test(method, path) { res async throws in
                let body = try expectFxAError(res, status: .notFound, errno: 999)
                #expect(body.message == "Not Found")
                #expect(!res.body.string.contains("<html"))
            }
        }
    }

    @Test func malformedJSONGetsErrno106() async throws {
        try await withTestServer(routes: errorRoutes) { server in
            try await server.app.testing().test(.POST, "/v1/test/echo", beforeRequest: { req in
                req.headers.contentType = .json
                req.body = ByteBuffer(string: #"{"email": "a@b.c", "verified": tru"#)
            }) { res async throws in
                let body = try expectFxAError(res, status: .badRequest, errno: 106)
                #expect(body.message == "Invalid JSON in request body")
            }
        }
    }

    @Test func aMissingFieldGetsErrno108NamingIt() async throws {
        try await withTestServer(routes: errorRoutes) { server in
            try await server.app.testing().test(.POST, "/v1/test/echo", beforeRequest: { req in
                req.headers.contentType = .json
                req.body = ByteBuffer(string: #"{"email": "a@b.c"}"#)
            }) { res async throws in
                let body = try expectFxAError(res, status: .badRequest, errno: 108)
                #expect(body.message == "Missing parameter in request body: verified")
            }
        }
    }

    @Test func aFieldOfTheWrongTypeGetsErrno107() async throws {
        try await withTestServer(routes: errorRoutes) { server in
            try await server.app.testing().test(.POST, "/v1/test/echo", beforeRequest: { req in
                req.headers.contentType = .json
                req.body = ByteBuffer(string: #"{"email": "a@b.c", "verified": "yes"}"#)
            }) { res async throws in
                _ = try expectFxAError(res, status: .badRequest, errno: 107)
                #expect(res.body.string.contains(#""keys":["verified"]"#))
            }
        }
    }

    @Test func aWellFormedBodyPassesThrough() async throws {
        try await withTestServer(routes: errorRoutes) { server in
            try await server.app.testing().test(.POST, "/v1/test/echo", beforeRequest: { req in
                try req.content.encode(LoginLike(email: "a@b.c", verified: true))
            }) { res async throws in
                #expect(res.status == .ok)
                #expect(try res.content.decode(LoginLike.self).email == "a@b.c")
            }
        }
    }

    @Test func anOversizedBodyGetsErrno113() async throws {
        try await withTestServer(configure: { $0.maxBodySize = 1024 }, routes: errorRoutes) { server in
            try await server.app.testing(method: .running(port: 0)).test(.POST, "/v1/test/echo", beforeRequest: { req in
                req.headers.contentType = .json
                req.body = ByteBuffer(string: #"{"email": ""# + String(repeating: "a", count: 4096) + #"", "verified": true}"#)
            }) { res async throws in
                _ = try expectFxAError(res, status: .payloadTooLarge, errno: 113)
            }
        }
    }

    @Test func anUnsupportedMediaTypeGetsA415InFxAShape() async throws {
        try await withTestServer(routes: errorRoutes) { server in
            try await server.app.testing().test(.POST, "/v1/test/echo", beforeRequest: { req in
                req.headers.replaceOrAdd(name: .contentType, value: "application/x-fxa-unknown")
                req.body = ByteBuffer(string: "email=a")
            }) { res async throws in
                _ = try expectFxAError(res, status: .unsupportedMediaType, errno: 999)
            }
        }
    }

    @Test func anUnexpectedErrorIsA500ThatRevealsNothingInternal() async throws {
        try await withTestServer(routes: errorRoutes) { server in
            try await server.app.testing().test(.GET, "/v1/test/boom") { res async throws in
                let body = try expectFxAError(res, status: .internalServerError, errno: 999)
                #expect(body.message == "Unspecified error")
                #expect(!res.body.string.contains("SELECT"))
                #expect(!res.body.string.contains("secret-material"))
            }
        }
    }

    @Test func throttlingSetsTheRetryAfterHeaderAndField() async throws {
        try await withTestServer(routes: errorRoutes) { server in
            try await server.app.testing().test(.GET, "/v1/test/throttled") { res async throws in
                let body = try expectFxAError(res, status: .tooManyRequests, errno: 114)
                #expect(body.retryAfter == 17)
                #expect(res.headers.first(name: .retryAfter) == "17")
            }
        }
    }
}
