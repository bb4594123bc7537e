import FxACore

/// Profile-server errors (`fxa-profile-server/lib/error.js`), with the
/// profile errno table.
extension FxAError {
    /// 401 errno 100 with FxA's `reason`: a malformed, unknown or expired
    /// token, challenged as RFC 6750 §3.1 asks (`error="invalid_token"`).
    static func profileUnauthorized(_ reason: String) -> FxAError {
        FxAError(
            status: 401, errno: .profile(.unauthorized), message: "Unauthorized", extra: ["reason": .string(reason)],
            challenge: #"Bearer error="invalid_token", error_description="\#(reason)""#)
    }

    /// 401 errno 100 for a request with no Bearer token at all: the
    /// challenge names the scheme and no error (RFC 6750 §3.1).
    static func profileTokenMissing(_ reason: String) -> FxAError {
        FxAError(
            status: 401, errno: .profile(.unauthorized), message: "Unauthorized", extra: ["reason": .string(reason)],
            challenge: "Bearer")
    }

    /// 401 errno 100 as FxA answers a valid token acting on another
    /// account's avatar; challenged as lacking authority, not as invalid,
    /// so a client does not throw a good token away.
    static func profileNotOwned(_ reason: String) -> FxAError {
        FxAError(
            status: 401, errno: .profile(.unauthorized), message: "Unauthorized", extra: ["reason": .string(reason)],
            challenge: #"Bearer error="insufficient_scope""#)
    }

    /// A valid token without the scope the route needs.
    static func insufficientProfileScope(_ scope: OAuthScope) -> FxAError {
        FxAError(
            status: 403, errno: .profile(.unauthorized), error: "Forbidden", message: "Insufficient scope",
            extra: ["reason": .string("Token lacks the \(scope) scope")],
            challenge: #"Bearer error="insufficient_scope", scope="\#(scope)""#)
    }

    /// A body or path parameter that is not valid, naming it (`validation`
    /// as hapi reports it).
    static func invalidProfileParameter(_ key: String) -> FxAError {
        FxAError(
            status: 400, errno: .profile(.invalidRequestParameter), message: "Invalid request parameter",
            extra: ["validation": .object(["source": .string(key == "id" ? "params" : "payload"), "keys": .array([.string(key)])])])
    }

    /// No such avatar (FxA: 404, errno 999, "Not Found").
    static func avatarNotFound() -> FxAError {
        FxAError(status: 404, errno: .profile(.unexpectedError), message: "Not Found")
    }

    /// An upload that is not a PNG, JPEG, GIF or WebP image.
    static func unsupportedAvatarImage() -> FxAError {
        FxAError(status: 415, errno: .profile(.invalidRequestParameter), message: "Unsupported image: send PNG, JPEG, GIF or WebP")
    }

    /// An upload whose structure is broken or truncated.
    static func unreadableAvatarImage() -> FxAError {
        FxAError(status: 400, errno: .profile(.invalidRequestParameter), message: "The image is damaged or incomplete")
    }

    /// An upload with more pixels a side than an avatar needs.
    static func avatarDimensionsTooLarge(limit: Int) -> FxAError {
        FxAError(status: 400, errno: .profile(.invalidRequestParameter), message: "Image larger than \(limit)x\(limit) pixels")
    }

    /// An upload over the size limit.
    static func avatarTooLarge(limit: Int) -> FxAError {
        FxAError(status: 413, errno: .profile(.invalidRequestParameter), message: "Image larger than \(limit) bytes")
    }
}
