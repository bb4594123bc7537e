import Vapor

/// RFC 9110 `If-None-Match` evaluation for GET: the weak comparison (a
/// `W/` prefix on either side is ignored), `*` matching any current
/// representation.
enum EntityTag {
    /// Whether the request's `If-None-Match` matches `etag`, i.e. the client
    /// already has this representation and should get 304.
    static func requestMatches(_ headers: HTTPHeaders, _ etag: String) -> Bool {
        let values = headers[.ifNoneMatch]
        guard !values.isEmpty else { return false }
        let opaque = strip(etag)
        for value in values {
            for candidate in value.split(separator: ",") {
                let tag = candidate.trimmingCharacters(in: .whitespaces)
                if tag == "*" || strip(tag) == opaque { return true }
            }
        }
        return false
    }

    private static func strip(_ tag: String) -> Substring {
        tag.hasPrefix("W/") ? tag.dropFirst(2) : Substring(tag)
    }
}
