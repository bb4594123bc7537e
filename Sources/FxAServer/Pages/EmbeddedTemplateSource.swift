import LeafKit
import NIOCore

/// Leaf's source for the templates compiled into the binary
/// (``PageTemplate``). Leaf asks it for a template by the name a page or an
/// `#extend` gives; a name that is not one of ours is Leaf's "no template"
/// error, never a file lookup, so no request can make Leaf read the disk.
struct EmbeddedTemplateSource: LeafSource, Sendable {
    func file(template: String, escape: Bool, on eventLoop: any EventLoop) throws -> EventLoopFuture<ByteBuffer> {
        guard let page = PageTemplate(rawValue: template) else {
            return eventLoop.makeFailedFuture(LeafError(.noTemplateExists(template)))
        }
        return eventLoop.makeSucceededFuture(ByteBuffer(bytes: page.source))
    }
}
