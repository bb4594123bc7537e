import FxACore
import Testing

@Suite("OAuth scopes")
struct OAuthScopeTests {
    func scope(_ text: String) -> OAuthScope { OAuthScope(text)! }

    @Test(arguments: [
        ("profile", "profile:email", true), ("profile", "profile:email:write", false), ("profile", "profile:write", false),
        ("profile:write", "profile", true), ("profile:write", "profile:email:write", true), ("profile:write", "profile:email", true),
        ("profile:email:write", "profile:email", true), ("profile:email", "profile", false), ("profile", "basket", false),
        ("profile", "profilex", false), ("openid", "openid", true),
        ("https://identity.mozilla.com/apps/oldsync", "https://identity.mozilla.com/apps/oldsync/bookmarks", true),
        ("https://identity.mozilla.com/apps/oldsync", "https://identity.mozilla.com/apps/oldsync/bookmarks#read", true),
        ("https://identity.mozilla.com/apps/oldsync#read", "https://identity.mozilla.com/apps/oldsync/bookmarks#read", true),
        ("https://identity.mozilla.com/apps/oldsync#read", "https://identity.mozilla.com/apps/oldsync/bookmarks", false),
        ("https://identity.mozilla.com/apps/oldsync#read", "https://identity.mozilla.com/apps/oldsync", false),
        ("https://identity.mozilla.com/apps/old", "https://identity.mozilla.com/apps/oldsync", false),
        ("https://identity.mozilla.com/apps/oldsync/bookmarks", "https://identity.mozilla.com/apps/oldsync", false),
        ("https://other.example/apps/oldsync", "https://identity.mozilla.com/apps/oldsync", false),
        ("profile", "https://identity.mozilla.com/apps/oldsync", false),
    ])
    func implicationFollowsFxA(holder: String, wanted: String, implied: Bool) {
        #expect(scope(holder).implies(scope(wanted)) == implied)
    }

    @Test(arguments: [
        "", "write", "profile:", ":profile", "pro file", "profile:e-mail", "http://identity.mozilla.com/apps/oldsync",
        "https://identity.mozilla.com/", "https://identity.mozilla.com/apps/", "https://u@identity.mozilla.com/apps",
        "https://identity.mozilla.com/apps?x=1", "https://identity.mozilla.com/apps#", "https://identity.mozilla.com/apps#a-b",
        "https://IDENTITY.mozilla.com/apps", "https://identity.mozilla.com", "profile\"", "é",
    ])
    func invalidScopesAreRefused(text: String) {
        #expect(OAuthScope(text) == nil)
    }

    @Test func setsStayMinimalAndCompare() throws {
        let set = try #require(OAuthScopeSet(parsing: "profile:email  profile openid profile:write"))
        #expect(set.description == "openid profile:write")
        #expect(set.contains(try #require(OAuthScopeSet(parsing: "profile:email openid"))))
        #expect(!set.contains(try #require(OAuthScopeSet(parsing: "https://identity.mozilla.com/apps/oldsync"))))
        let requested = try #require(OAuthScopeSet(parsing: "profile openid https://identity.mozilla.com/apps/oldsync"))
        let allowed = try #require(OAuthScopeSet(parsing: "profile openid"))
        #expect(requested.filtered(by: allowed).description == "openid profile")
        #expect(requested.subtracting(allowed).description == "https://identity.mozilla.com/apps/oldsync")
        #expect(OAuthScopeSet(parsing: "profile bad scope!\"") == nil)
        #expect(OAuthScopeSet(parsing: String(repeating: "a ", count: 200)) == nil)
        #expect(OAuthScopeSet(parsing: "")?.isEmpty == true)
    }
}
