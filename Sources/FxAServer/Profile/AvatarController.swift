import FxACore
import FxAStore
import Foundation
import Vapor

/// Avatars: reading the current one, uploading, deleting (`/v1/avatar*`,
/// with access tokens) and serving the images themselves (`/a/*`, public,
/// as FxA serves them from its content domain).
struct AvatarController: RouteCollection {
    let authenticator: ProfileAuthenticator
    let service: ProfileService
    let profiles: any ProfileStore
    let avatars: AvatarURLs

    static let read = OAuthScope("profile:avatar")!
    static let write = OAuthScope("profile:avatar:write")!
    func boot(routes: any RoutesBuilder) throws {
        routes.get("v1", "avatar", use: current)
        routes.on(.POST, "v1", "avatar", "upload", body: .stream, use: upload)
        routes.delete("v1", "avatar", ":id", use: delete)
        routes.delete("v1", "avatar", use: deleteCurrent)
        routes.get("v1", "avatar", ":character", use: serveMonogram)
        routes.get("a", ":id", use: serve)
    }

    @Sendable func current(_ request: Request) async throws -> Response {
        let authorized = try await authenticator.authenticate(request)
        try authorized.require(Self.read)
        let id = authorized.profile.avatarID?.hex ?? DefaultAvatar.id
        let url = avatars.url(for: authorized.profile)
        let response = try await AvatarResponse(
            id: id, avatar: url, avatarDefault: authorized.profile.avatarID == nil, url: url
        ).encodeResponse(for: request)
        response.headers.replaceOrAdd(name: .eTag, value: "\"\(id)\"")
        return response
    }

    /// The raw image is the body. Its type comes from its bytes; the size
    /// is checked while it streams in, so an oversize upload is refused
    /// without being held in memory.
    @Sendable func upload(_ request: Request) async throws -> Response {
        let authorized = try await authenticator.authenticate(request)
        try authorized.require(Self.write)
        let limit = ProfileService.avatarMaxBytes
        if let declared = request.headers.first(name: .contentLength).flatMap(Int.init), declared > limit {
            throw FxAError.avatarTooLarge(limit: limit)
        }
        var bytes = Data()
        for try await chunk in request.body {
            guard bytes.count + chunk.readableBytes <= limit else { throw FxAError.avatarTooLarge(limit: limit) }
            bytes.append(contentsOf: chunk.readableBytesView)
        }
        let id = try await service.uploadAvatar(bytes, for: authorized.profile.uid)
        return try await AvatarUploadResponse(url: avatars.publicURL.appending(AvatarURLs.path(id)), id: id.hex)
            .encodeResponse(status: .created, for: request)
    }

    /// Deleting the default avatar's id is a no-op, as in FxA.
    @Sendable func delete(_ request: Request) async throws -> EmptyJSON {
        let authorized = try await authenticator.authenticate(request)
        try authorized.require(Self.write)
        guard let text = request.parameters.get("id"), let id = AvatarID(lowercaseHex: text) else {
            throw FxAError.invalidProfileParameter("id")
        }
        if text != DefaultAvatar.id {
            try await service.deleteAvatar(id, for: authorized.profile.uid)
        }
        return EmptyJSON()
    }

    /// The current avatar; 404 when there is none.
    @Sendable func deleteCurrent(_ request: Request) async throws -> EmptyJSON {
        let authorized = try await authenticator.authenticate(request)
        try authorized.require(Self.write)
        guard let id = authorized.profile.avatarID else { throw FxAError.avatarNotFound() }
        try await service.deleteAvatar(id, for: authorized.profile.uid)
        return EmptyJSON()
    }

    /// An uploaded image. Its id changes with every upload, so it can be
    /// cached for a year; it is served with the type sniffed at upload, under
    /// a CSP that runs nothing, so no upload can act as a page or a script.
    @Sendable func serve(_ request: Request) async throws -> Response {
        if request.parameters.get("id") == DefaultAvatar.id {
            return Self.imageResponse(
                DefaultAvatar.silhouette, type: DefaultAvatar.mimeType, etag: "silhouette-1", maxAge: 604_800, immutable: true)
        }
        guard let text = request.parameters.get("id"), let id = AvatarID(lowercaseHex: text),
              let image = try await profiles.avatar(id: id)
        else { throw FxAError.unknownEndpoint() }
        if EntityTag.requestMatches(request.headers, "\"\(id.hex)\"") {
            return Response(status: .notModified, headers: ["ETag": "\"\(id.hex)\""])
        }
        return Self.imageResponse(image.bytes, type: image.type.mimeType, etag: id.hex, maxAge: 31_536_000, immutable: true)
    }

    /// A default avatar: public, like every avatar URL, and unchanging.
    @Sendable func serveMonogram(_ request: Request) async throws -> Response {
        let character = DefaultAvatar.drawnCharacter(request.parameters.get("character") ?? "?")
        return Self.imageResponse(
            DefaultAvatar.monogram(character), type: DefaultAvatar.mimeType,
            etag: "monogram-1-\(character.unicodeScalars.first?.value ?? 0)", maxAge: 604_800, immutable: true)
    }

    static func imageResponse(_ bytes: Data, type: String, etag: String, maxAge: Int, immutable: Bool) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: type)
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=\(maxAge)" + (immutable ? ", immutable" : ""))
        headers.replaceOrAdd(name: .eTag, value: "\"\(etag)\"")
        headers.replaceOrAdd(name: .contentSecurityPolicy, value: "default-src 'none'; sandbox")
        // RPs show avatars on their own pages.
        headers.replaceOrAdd(name: "Cross-Origin-Resource-Policy", value: "cross-origin")
        return Response(status: .ok, headers: headers, body: .init(data: bytes))
    }
}

/// FxA's current fields (`id`, `avatar`, `avatarDefault`) and the older
/// `url`, which PyFxA's `get_avatar_url` still reads.
struct AvatarResponse: Content {
    var id: String
    var avatar: String
    var avatarDefault: Bool
    var url: String
}

struct AvatarUploadResponse: Content {
    var url: String
    var id: String
}
