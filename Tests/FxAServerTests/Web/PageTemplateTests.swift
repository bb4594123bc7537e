@testable import FxAServer
import FxAStore
import Foundation
import LeafKit
import Vapor
import Testing

/// The pages' templates are compiled into the binary: every one is there,
/// nothing else can be asked for, and what they print is escaped.
@Suite("Page templates")
struct PageTemplateTests {
    let eventLoop = MultiThreadedEventLoopGroup.singleton.any()

    @Test func everyTemplateFileIsEmbeddedAndServedByItsName() async throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../Sources/FxAServer/Templates").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".leaf") }.map { String($0.dropLast(".leaf".count)) }
        #expect(Set(files) == Set(PageTemplate.allCases.map(\.rawValue)), "one case per template file")
        for template in PageTemplate.allCases {
            let served = try await EmbeddedTemplateSource().file(template: template.rawValue, escape: true, on: eventLoop).get()
            let onDisk = try Data(contentsOf: directory.appendingPathComponent(template.rawValue + ".leaf"))
            #expect(Array(served.readableBytesView) == Array(onDisk), "\(template) is the file as built")
        }
    }

    @Test(arguments: ["../Package.swift", "/etc/passwd", "layout.leaf", "Templates/layout", "", "LAYOUT"])
    func aNameThatIsNotATemplateIsNeverLookedUpOnDisk(name: String) async throws {
        await #expect {
            _ = try await EmbeddedTemplateSource().file(template: name, escape: true, on: eventLoop).get()
        } throws: { error in
            guard let leafError = error as? LeafError, case .noTemplateExists(let missing) = leafError.reason else { return false }
            return missing == name
        }
    }

    @Test func theDevelopmentMailboxEscapesWhatTheMailSays() async throws {
        try await withTestServer { server in
            try await server.dependencies.stores.mailbox.deliver(MailMessage(
                to: "x\"<b>@example.test", subject: "<script>alert(1)</script>",
                headers: ["X-Verify-Code": "\"><img src=x>"], text: "</pre><a href=\"javascript:x\">", sentAt: Date()))
            let page = try await server.call(.GET, "/__mail__")
            #expect(page.status == .ok)
            #expect(page.headers.first(name: .contentType)?.hasPrefix("text/html") == true)
            #expect(page.raw.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(page.raw)")
            for raw in ["<script>alert", "<b>@", "<img", "</pre><a", "\"javascript"] {
                #expect(!page.raw.contains(raw), "\(raw) is printed as text")
            }
            #expect(page.headers.first(name: .contentSecurityPolicy)
                == "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'")
        }
    }

    @Test func theEmptyMailboxSaysSo() async throws {
        try await withTestServer { server in
            let page = try await server.call(.GET, "/__mail__")
            #expect(page.status == .ok && page.raw.contains("No mail yet."))
        }
    }
}
