@testable import FxAStore
import Testing

@Suite("Row property to column names")
struct ColumnNameTests {
    /// The names the row types actually use, abbreviations and version
    /// suffixes included: a wrong one would only show on PostgreSQL, whose
    /// quoted column names are case-sensitive where SQLite's are not.
    @Test(arguments: [
        ("idHash", "id_hash"), ("parentIDHash", "parent_id_hash"), ("sessionIDHash", "session_id_hash"),
        ("clientID", "client_id"), ("ownerUID", "owner_uid"), ("avatarID", "avatar_id"), ("keysJWE", "keys_jwe"),
        ("authSaltV2", "auth_salt_v2"), ("wrapWrapKbV2", "wrap_wrap_kb_v2"), ("ka", "ka"), ("imageURI", "image_uri"),
        ("webhookURL", "webhook_url"), ("jwtAccessTokens", "jwt_access_tokens"), ("redirectUris", "redirect_uris"),
        ("URLPath", "url_path"), ("idx", "idx"),
    ])
    func propertiesNameTheirColumns(property: String, column: String) {
        #expect(ColumnName.column(for: property) == column)
    }
}
