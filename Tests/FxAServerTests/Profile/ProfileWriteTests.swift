import FxACore
import FxAStore
import Foundation
import Testing
import Vapor

@Suite("Profile API: display name and avatar")
struct ProfileWriteTests {
    @Test func aDisplayNameIsSetReadAndClearedEachTimeWithAProfileChangeEvent() async throws {
        try await withTestServer { server in
            let user = try await server.profileToken(scope: "profile profile:display_name:write")
            let unset = try await server.profileCall(.GET, "/v1/display_name", token: user.accessToken)
            #expect(unset.status == .noContent)
            #expect(unset.bytes.isEmpty)

            let set = try await server.profileCall(.POST, "/v1/display_name", token: user.accessToken, json: ["displayName": "Ada Lovelace 🚀"])
            #expect(set.status == .ok, "\(set.raw)")
            #expect(set.json.isEmpty)
            let read = try await server.profileCall(.GET, "/v1/display_name", token: user.accessToken)
            #expect(read.json as NSDictionary == ["displayName": "Ada Lovelace 🚀"] as NSDictionary)

            let cleared = try await server.profileCall(.POST, "/v1/display_name", token: user.accessToken, json: ["displayName": ""])
            #expect(cleared.status == .ok)
            #expect(try await server.profileCall(.GET, "/v1/display_name", token: user.accessToken).status == .noContent)

            let uid = try #require(AccountUID(hex: user.uid))
            let events = try await server.dependencies.stores.outbox.events(uid: uid)
            #expect(events.map(\.kind) == [.profileChange, .profileChange])
        }
    }

    @Test func badDisplayNamesAreRefusedWithErrno101AndChangeNothing() async throws {
        try await withTestServer { server in
            let user = try await server.profileToken(scope: "profile:write")
            let bodies: [(String, [String: Any]?, String?)] = [
                ("too long", ["displayName": String(repeating: "a", count: 257)], nil),
                ("control character", ["displayName": "Ada\u{0007}"], nil),
                ("line break", ["displayName": "Ada\nLovelace"], nil),
                ("line separator", ["displayName": "Ada\u{2028}"], nil),
                ("private use", ["displayName": "Ada\u{E000}"], nil),
                ("not a string", ["displayName": 42], nil),
                ("missing", ["name": "Ada"], nil),
                ("not JSON", nil, "displayName=Ada"),
            ]
            for (label, json, raw) in bodies {
                let response = try await server.call(
                    .POST, "/v1/display_name", json: json, auth: .header("Bearer \(user.accessToken)"), rawBody: raw)
                expectProfileError(response, .badRequest, errno: 101)
                #expect(response.status == .badRequest, "\(label)")
            }
            // FxA counts JavaScript's UTF-16 length: 128 rockets are 256 units, 129 too many.
            let rockets = try await server.profileCall(
                .POST, "/v1/display_name", token: user.accessToken, json: ["displayName": String(repeating: "🚀", count: 129)])
            expectProfileError(rockets, .badRequest, errno: 101)
            let replacement = try await server.profileCall(
                .POST, "/v1/display_name", token: user.accessToken, json: ["displayName": "Ada\u{FFFD}"])
            expectProfileError(replacement, .badRequest, errno: 101)
            for name in [String(repeating: "é", count: 256), String(repeating: "🚀", count: 128)] {
                let ok = try await server.profileCall(.POST, "/v1/display_name", token: user.accessToken, json: ["displayName": name])
                #expect(ok.status == .ok, "\(ok.raw)")
            }
            let uid = try #require(AccountUID(hex: user.uid))
            #expect(try await server.dependencies.stores.outbox.events(uid: uid).count == 2)

            // The default avatar follows the display name's first character.
            _ = try await server.profileCall(.POST, "/v1/display_name", token: user.accessToken, json: ["displayName": "zoë"])
            let avatarToken = try await server.accessToken(user.client, session: user.session, scope: "profile")
            let profile = try await server.profileCall(.GET, "/v1/profile", token: avatarToken)
            #expect(profile.string("avatar") == "https://accounts.example.test/v1/avatar/Z")
        }
    }

    @Test func anAvatarIsUploadedServedFromTheServerAndDeleted() async throws {
        try await withTestServer { server in
            let user = try await server.profileToken(scope: "profile profile:avatar:write")
            let initial = try await server.profileCall(.GET, "/v1/avatar", token: user.accessToken)
            #expect(initial.json as NSDictionary == [
                "id": String(repeating: "0", count: 32), "avatarDefault": true,
                "avatar": "https://accounts.example.test/v1/avatar/U", "url": "https://accounts.example.test/v1/avatar/U",
            ] as NSDictionary, "\(initial.raw)")
            let monogram = try await server.call(.GET, "/v1/avatar/U")
            #expect(monogram.status == .ok)
            #expect(monogram.headers.first(name: .contentType) == "image/svg+xml")
            #expect(monogram.raw.hasPrefix("<svg") && monogram.raw.contains(">U</text>"))
            #expect(try await server.call(.GET, "/v1/avatar/%3Cscript%3E").raw.contains(">?</text>"))
            let silhouette = try await server.call(.GET, "/a/\(String(repeating: "0", count: 32))")
            #expect(silhouette.headers.first(name: .contentType) == "image/svg+xml")
            // Deleting the default avatar's id is a no-op, as in FxA.
            #expect(try await server.profileCall(.DELETE, "/v1/avatar/\(String(repeating: "0", count: 32))", token: user.accessToken).status == .ok)
            expectProfileError(try await server.profileCall(.DELETE, "/v1/avatar", token: user.accessToken), .notFound, errno: 999)

            // Declared as a JPEG; it is a PNG, and is served as one.
            let upload = try await server.profileCall(
                .POST, "/v1/avatar/upload", token: user.accessToken, headers: [("Content-Type", "image/jpeg")], data: onePixelPNG)
            #expect(upload.status == .created, "\(upload.raw)")
            let url = try #require(upload.string("url"))
            let uploadedID = try #require(upload.string("id"))
            #expect(url.hasSuffix("/a/\(uploadedID)"))
            #expect(url.hasPrefix("https://accounts.example.test/a/"))
            let path = String(url.dropFirst("https://accounts.example.test".count))

            let served = try await server.call(.GET, path)
            #expect(served.status == .ok)
            #expect(served.bytes == onePixelPNG)
            #expect(served.headers.first(name: .contentType) == "image/png")
            #expect(served.headers.first(name: .cacheControl) == "public, max-age=31536000, immutable")
            #expect(served.headers.first(name: .contentSecurityPolicy) == "default-src 'none'; sandbox")
            #expect(served.headers.first(name: .xContentTypeOptions) == "nosniff")
            let etag = try #require(served.headers.first(name: .eTag))
            #expect(try await server.call(.GET, path, headers: [("If-None-Match", etag)]).status == .notModified)

            let current = try await server.profileCall(.GET, "/v1/avatar", token: user.accessToken)
            let id = try #require(current.string("id"))
            #expect(current.json["avatarDefault"] as? Bool == false)
            #expect(current.string("avatar") == url)
            #expect(path == "/a/\(id)")
            let profile = try await server.profileCall(.GET, "/v1/profile", token: user.accessToken)
            #expect(profile.string("avatar") == url)
            #expect(profile.json["avatarDefault"] as? Bool == false)

            // Another account cannot delete it (FxA: 401, "Avatar not owned by user").
            let other = try await server.profileToken(scope: "profile:avatar:write")
            let foreign = try await server.profileCall(.DELETE, "/v1/avatar/\(id)", token: other.accessToken)
            expectProfileError(foreign, .unauthorized, errno: 100, reason: "Avatar not owned by user")
            #expect(try await server.call(.GET, path).status == .ok)

            let deleted = try await server.profileCall(.DELETE, "/v1/avatar/\(id)", token: user.accessToken)
            #expect(deleted.status == .ok, "\(deleted.raw)")
            #expect(try await server.call(.GET, path).status == .notFound)
            let after = try await server.profileCall(.GET, "/v1/avatar", token: user.accessToken)
            #expect(after.json["avatarDefault"] as? Bool == true)
            expectProfileError(
                try await server.profileCall(.DELETE, "/v1/avatar/\(id)", token: user.accessToken), .notFound, errno: 999)

            let uid = try #require(AccountUID(hex: user.uid))
            #expect(try await server.dependencies.stores.outbox.events(uid: uid).map(\.kind) == [.profileChange, .profileChange])
        }
    }

    @Test func aNewUploadReplacesTheOldImageAndDeleteWithoutIDRemovesTheCurrentOne() async throws {
        try await withTestServer { server in
            let user = try await server.profileToken(scope: "profile:avatar profile:avatar:write")
            let first = try await server.profileCall(.POST, "/v1/avatar/upload", token: user.accessToken, data: onePixelPNG)
            let gif = Data("GIF89a".utf8) + Data([1, 0, 1, 0, 0, 0, 0, 0x3B])
            let second = try await server.profileCall(.POST, "/v1/avatar/upload", token: user.accessToken, data: gif)
            let firstPath = String(try #require(first.string("url")).dropFirst("https://accounts.example.test".count))
            let secondPath = String(try #require(second.string("url")).dropFirst("https://accounts.example.test".count))
            #expect(try await server.call(.GET, firstPath).status == .notFound)
            #expect(try await server.call(.GET, secondPath).headers.first(name: .contentType) == "image/gif")
            #expect(try await server.profileCall(.DELETE, "/v1/avatar", token: user.accessToken).status == .ok)
            #expect(try await server.call(.GET, secondPath).status == .notFound)
        }
    }

    @Test func uploadsThatAreNotImagesOrTooLargeOrUnauthorizedAreRefused() async throws {
        try await withTestServer { server in
            let user = try await server.profileToken(scope: "profile profile:avatar:write")
            let html = Data("<html><script>alert(1)</script></html>".utf8)
            let notImage = try await server.profileCall(
                .POST, "/v1/avatar/upload", token: user.accessToken, headers: [("Content-Type", "image/png")], data: html)
            expectProfileError(notImage, .unsupportedMediaType, errno: 101)
            let empty = try await server.profileCall(.POST, "/v1/avatar/upload", token: user.accessToken, data: Data())
            expectProfileError(empty, .unsupportedMediaType, errno: 101)
            let svg = try await server.profileCall(
                .POST, "/v1/avatar/upload", token: user.accessToken, headers: [("Content-Type", "image/svg+xml")],
                data: Data("<svg xmlns='http://www.w3.org/2000/svg'/>".utf8))
            expectProfileError(svg, .unsupportedMediaType, errno: 101)
            let huge = onePixelPNG + Data(count: (1 << 20) + 1 - onePixelPNG.count)
            let tooLarge = try await server.profileCall(.POST, "/v1/avatar/upload", token: user.accessToken, data: huge)
            expectProfileError(tooLarge, .payloadTooLarge, errno: 101)
            let atLimit = onePixelPNG + Data(count: (1 << 20) - onePixelPNG.count)
            #expect(try await server.profileCall(.POST, "/v1/avatar/upload", token: user.accessToken, data: atLimit).status == .created)

            let reader = try await server.accessToken(user.client, session: user.session, scope: "profile")
            expectProfileError(
                try await server.profileCall(.POST, "/v1/avatar/upload", token: reader, data: onePixelPNG), .forbidden, errno: 100)
            expectProfileError(
                try await server.profileCall(.POST, "/v1/avatar/upload", token: nil, data: onePixelPNG), .unauthorized, errno: 100)
            expectProfileError(
                try await server.profileCall(.DELETE, "/v1/avatar/not-an-id", token: user.accessToken), .badRequest, errno: 101)
            #expect(try await server.call(.GET, "/a/\(String(repeating: "ab", count: 16))").status == .notFound)
            #expect(try await server.call(.GET, "/a/nothex").status == .notFound)
        }
    }
}
