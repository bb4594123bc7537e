import FxACore
import Vapor

/// The Sync tokenserver, `GET /token/1.0/sync/1.5`: Firefox trades an
/// OAuth access token of Sync's scope, and the fingerprint of the keys it
/// holds (`X-KeyID`), for Hawk credentials to its Sync storage.
///
/// The request is read in syncstorage-rs's order: the path, then
/// `Authorization`, then `X-KeyID` and the legacy `X-Client-State`, each
/// failure with the tokenserver's status and body (``SyncServiceMiddleware``
/// renders them).
struct TokenserverController: RouteCollection {
    let issuer: SyncTokenIssuer

    /// Where the tokenserver is mounted; `sync_tokenserver_base_url` in
    /// `/.well-known/fxa-client-configuration` is the public URL plus this,
    /// and Firefox appends `/1.0/sync/1.5`.
    static let mountPath = "token"

    func boot(routes: any RoutesBuilder) throws {
        routes.get(PathComponent(stringLiteral: Self.mountPath), "1.0", ":application", ":version", use: token)
    }

    @Sendable
    func token(request: Request) async throws -> SyncTokenGrant {
        guard request.parameters.get("application") == "sync" else {
            throw FxAError.tokenserverUnsupported(name: "application", description: "Unsupported application")
        }
        guard request.parameters.get("version") == "1.5" else {
            throw FxAError.tokenserverUnsupported(name: "version", description: "Unsupported application version")
        }
        let accessToken = try Self.bearerToken(request.headers)
        let keyID = try Self.keyID(request.headers)
        // A `duration` that is not a whole number is ignored, as the tokenserver ignores it.
        let duration = request.query[String.self, at: "duration"].flatMap { Int($0) }
        return try await issuer.issue(accessToken: accessToken, keyID: keyID, duration: duration)
    }

    /// The Bearer token; the scheme is matched without regard to case.
    static func bearerToken(_ headers: HTTPHeaders) throws -> String {
        guard let header = headers.first(name: .authorization) else {
            throw FxAError.tokenserverAuthorizationHeader("Unauthorized")
        }
        guard let space = header.firstIndex(of: " "), space != header.startIndex else {
            throw FxAError.tokenserverAuthorizationHeader("Unauthorized")
        }
        guard header[..<space].lowercased() == "bearer" else {
            throw FxAError.tokenserverAuthorizationHeader("Unsupported")
        }
        let token = header[header.index(after: space)...].trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty else { throw FxAError.tokenserverAuthorizationHeader("Unauthorized") }
        return token
    }

    /// `X-KeyID`, checked against `X-Client-State` when an older client
    /// sends that too.
    static func keyID(_ headers: HTTPHeaders) throws -> SyncKeyID {
        guard let header = headers.first(name: "X-KeyID") else {
            throw FxAError.tokenserverInvalidKeyID("Missing X-KeyID header")
        }
        guard header.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else {
            throw FxAError.tokenserverInvalidKeyID("Invalid X-KeyID header")
        }
        guard let keyID = SyncKeyID(header: header) else { throw FxAError.tokenserverInvalidCredentials() }
        if let clientState = headers.first(name: "X-Client-State") {
            guard (1...32).contains(clientState.utf8.count),
                  clientState.utf8.allSatisfy({ byte in
                      (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                          || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                  })
            else { throw FxAError.tokenserverMalformedClientState() }
            guard clientState == keyID.clientState else { throw FxAError.tokenserverClientStateMismatch() }
        }
        return keyID
    }
}
