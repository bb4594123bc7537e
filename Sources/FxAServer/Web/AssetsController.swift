import FxACore
import Vapor

/// `GET /assets/<name>`: the pages' embedded scripts and stylesheet
/// (``PageAsset``), cacheable for an hour. Any other name is FxA's 404.
struct AssetsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("assets", ":name", use: serve)
        // Browsers ask for it on every site without reading the pages.
        routes.get("favicon.ico") { request in
            request.redirect(to: "/assets/\(PageAsset.icon.rawValue)", redirectType: .permanent)
        }
    }

    @Sendable func serve(_ request: Request) async throws -> Response {
        guard let asset = request.parameters.get("name").flatMap(PageAsset.init(rawValue:)) else {
            throw FxAError.unknownEndpoint()
        }
        let response = Response(status: .ok, body: .init(buffer: ByteBuffer(bytes: asset.bytes)))
        response.headers.replaceOrAdd(name: .contentType, value: asset.contentType)
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return response
    }
}
