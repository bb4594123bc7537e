import FxACore

/// The auth server's errors for OAuth checks made on its own routes
/// (`/account/scoped-key-data`): FxA turns the OAuth errnos 101, 114 and
/// 119 into these auth errnos there (`appErrorFromOauthError`).
extension FxAError {
    /// OAuth's "unknown client" (101) as the auth server says it.
    static func unknownClientID(_ id: String) -> FxAError {
        FxAError(status: 400, errno: .auth(.unknownClientID), message: "Unknown client_id", extra: ["clientId": .string(id)])
    }

    /// OAuth's "invalid scopes" (114) as the auth server says it.
    static func scopesNotAllowed(_ scopes: [OAuthScope]) -> FxAError {
        FxAError(
            status: 400, errno: .auth(.invalidScopes), message: "Requested scopes are not allowed",
            extra: ["invalidScopes": .array(scopes.distinctSortedValues.map(JSONValue.string))])
    }

    /// The keys changed after this session signed in (a reset elsewhere):
    /// what it would derive is no longer the user's key.
    static func staleAuthAt(_ authAt: Int64) -> FxAError {
        FxAError(status: 400, errno: .auth(.staleAuthAt), message: "Stale auth timestamp", extra: ["authAt": .int(Int(authAt))])
    }
}
