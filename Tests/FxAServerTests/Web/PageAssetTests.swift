@testable import FxAServer
import Foundation
import Testing
import Vapor

/// The pages' scripts and stylesheet are files in `Sources/FxAServer/Assets`,
/// compiled in and served by name only.
@Suite("Page assets")
struct PageAssetTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/FxAServer/Assets")

    @Test func everyAssetIsServedAsItsFileWithItsTypeAndACacheLifetime() async throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).sorted()
        #expect(files == PageAsset.allCases.map(\.rawValue).sorted(), "one case per file, no file left out")
        try await withTestServer { server in
            for asset in PageAsset.allCases {
                let answer = try await server.call(.GET, "/assets/\(asset.rawValue)")
                #expect(answer.status == .ok)
                let file = try String(contentsOf: Self.folder.appendingPathComponent(asset.rawValue), encoding: .utf8)
                #expect(answer.raw == file, "\(asset.rawValue) is the file as it is on disk")
                #expect(answer.headers.first(name: .contentType) == asset.contentType)
                #expect(answer.headers.first(name: .cacheControl) == "public, max-age=3600")
            }
        }
    }

    @Test func otherNamesAreFxAs404AndNothingIsReadFromDisk() async throws {
        try await withTestServer { server in
            for path in ["/assets/nope.js", "/assets/..%2FPackage.swift", "/assets/signin.leaf", "/assets/"] {
                let answer = try await server.call(.GET, path)
                #expect(answer.status == .notFound, "\(path)")
                #expect(answer.errno == 999, "\(path): \(answer.raw)")
            }
        }
    }
}
