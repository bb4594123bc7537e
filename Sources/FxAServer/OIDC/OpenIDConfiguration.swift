import Vapor

/// The OpenID Provider metadata (`/.well-known/openid-configuration`).
///
/// It lists only what the server actually implements: a standard OIDC
/// client trusts this document, so advertising an endpoint that does not
/// exist would break it later rather than now. The OAuth and profile areas
/// fill in their endpoints as they land.
struct OpenIDConfiguration: Content, Equatable {
    var issuer: String
    var jwksURI: String
    var authorizationEndpoint: String?
    var tokenEndpoint: String?
    var userinfoEndpoint: String?
    var introspectionEndpoint: String?
    var revocationEndpoint: String?
    var responseTypesSupported: [String]
    var subjectTypesSupported: [String]
    var idTokenSigningAlgValuesSupported: [String]
    var scopesSupported: [String]?
    var codeChallengeMethodsSupported: [String]?

    enum CodingKeys: String, CodingKey {
        case issuer
        case jwksURI = "jwks_uri"
        case authorizationEndpoint = "authorization_endpoint"
        case tokenEndpoint = "token_endpoint"
        case userinfoEndpoint = "userinfo_endpoint"
        case introspectionEndpoint = "introspection_endpoint"
        case revocationEndpoint = "revocation_endpoint"
        case responseTypesSupported = "response_types_supported"
        case subjectTypesSupported = "subject_types_supported"
        case idTokenSigningAlgValuesSupported = "id_token_signing_alg_values_supported"
        case scopesSupported = "scopes_supported"
        case codeChallengeMethodsSupported = "code_challenge_methods_supported"
    }

    /// The document for a server whose public base URL is `publicURL`.
    static func current(publicURL: PublicBaseURL) -> OpenIDConfiguration {
        OpenIDConfiguration(
            issuer: publicURL.string,
            jwksURI: publicURL.appending("/v1/jwks"),
            responseTypesSupported: ["code"],
            subjectTypesSupported: ["public"],
            idTokenSigningAlgValuesSupported: ["RS256"])
    }
}
