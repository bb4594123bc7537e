import FxACore
import FxAStore
import Foundation
import Vapor

/// FxA's profile API under `/v1`, beside the auth and OAuth routes (so
/// PyFxA's profile client works when handed this server's base URL), and
/// the OIDC `userinfo_endpoint`.
struct ProfileController: RouteCollection {
    let authenticator: ProfileAuthenticator
    let service: ProfileService
    let avatars: AvatarURLs

    static let uid = OAuthScope("profile:uid")!
    static let email = OAuthScope("profile:email")!
    static let displayName = OAuthScope("profile:display_name")!
    static let displayNameWrite = OAuthScope("profile:display_name:write")!
    static let avatar = OAuthScope("profile:avatar")!

    func boot(routes: any RoutesBuilder) throws {
        routes.get("v1", "profile", use: profile)
        // The OIDC UserInfo endpoint must take POST too (OIDC Core §5.3.1);
        // the token still comes in the Authorization header.
        routes.post("v1", "profile", use: profile)
        routes.get("v1", "uid", use: uid)
        routes.get("v1", "email", use: email)
        routes.get("v1", "display_name", use: displayName)
        routes.post("v1", "display_name", use: setDisplayName)
    }

    /// The whole profile, filtered by scope, with an ETag: an RP polling
    /// with `If-None-Match` gets 304 and no body until something changes.
    @Sendable func profile(_ request: Request) async throws -> Response {
        let authorized = try await authenticator.authenticate(request)
        guard ProfileDocument.readable(with: authorized.token.scope) else {
            throw FxAError.insufficientProfileScope(.profile)
        }
        let document = authorized.document
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .eTag, value: document.etag)
        headers.replaceOrAdd(name: .lastModified, value: IMFFixdate.string(from: authorized.profile.changedAt))
        // Personal data: stored by no cache (FxA's header); RPs poll with If-None-Match.
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-cache, no-store, must-revalidate")
        headers.replaceOrAdd(name: .pragma, value: "no-cache")
        headers.replaceOrAdd(name: .vary, value: "Authorization")
        if EntityTag.requestMatches(request.headers, document.etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: document.body))
    }

    @Sendable func uid(_ request: Request) async throws -> UIDResponse {
        let authorized = try await authenticator.authenticate(request)
        try authorized.require(Self.uid)
        return UIDResponse(uid: authorized.profile.uid.hex)
    }

    @Sendable func email(_ request: Request) async throws -> EmailResponse {
        let authorized = try await authenticator.authenticate(request)
        try authorized.require(Self.email)
        return EmailResponse(email: authorized.profile.email)
    }

    /// 204 with no body when no name is set, as FxA answers.
    @Sendable func displayName(_ request: Request) async throws -> Response {
        let authorized = try await authenticator.authenticate(request)
        try authorized.require(Self.displayName)
        guard let name = authorized.profile.displayName else { return Response(status: .noContent) }
        return try await DisplayNameBody(displayName: name).encodeResponse(for: request)
    }

    @Sendable func setDisplayName(_ request: Request) async throws -> EmptyJSON {
        let authorized = try await authenticator.authenticate(request)
        try authorized.require(Self.displayNameWrite)
        let body: DisplayNameBody
        do {
            body = try request.content.decode(DisplayNameBody.self)
        } catch {
            throw FxAError.invalidProfileParameter("displayName")
        }
        try await service.setDisplayName(body.displayName, for: authorized.profile.uid)
        return EmptyJSON()
    }
}

struct UIDResponse: Content {
    var uid: String
}

struct EmailResponse: Content {
    var email: String
}

/// `{"displayName": "..."}`, read and written.
struct DisplayNameBody: Content {
    var displayName: String
}
