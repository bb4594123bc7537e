import Leaf
import Vapor

/// A server-rendered page: the Leaf template it fills, the values it fills
/// it with, and the Content-Security-Policy it is sent with.
///
/// Every value in `Context` is escaped by Leaf's `#(…)`; the only unescaped
/// output is the script data block (`#unsafeHTML(scriptData)`), which
/// ``ScriptJSON`` has made safe for a `<script>` element. Pages build their
/// contexts from typed values, so the templates hold no logic beyond
/// showing or hiding a part.
protocol RenderedPage: Sendable {
    associatedtype Context: Encodable & Sendable
    static var template: PageTemplate { get }
    var contentSecurityPolicy: ContentSecurityPolicy { get }
    func context() throws -> Context
}

extension Request {
    /// `page` rendered with its template, as `text/html` with its CSP.
    func render(_ page: some RenderedPage, status: HTTPResponseStatus = .ok) async throws -> Response {
        let html = try await leaf.render(path: type(of: page).template.rawValue, context: try page.context()).get()
        let response = Response(status: status, body: .init(buffer: html))
        response.headers.contentType = .html
        response.headers.replaceOrAdd(name: .contentSecurityPolicy, value: page.contentSecurityPolicy.headerValue)
        return response
    }
}
