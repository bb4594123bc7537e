import Vapor

/// The OpenID Provider metadata (`/.well-known/openid-configuration`), also
/// served as RFC 8414 authorization-server metadata
/// (`/.well-known/oauth-authorization-server`).
///
/// It lists only what the server actually implements: a standard OIDC
/// client trusts this document, so advertising an endpoint or a value that
/// does not work would break it later rather than now. The profile API
/// answers as `userinfo_endpoint`.
struct OpenIDConfiguration: Content, Equatable {
    var issuer: String
    var jwksURI: String
    var authorizationEndpoint: String
    var tokenEndpoint: String
    var userinfoEndpoint: String?
    var introspectionEndpoint: String
    var revocationEndpoint: String
    var responseTypesSupported: [String]
    var responseModesSupported: [String]
    var grantTypesSupported: [String]
    var subjectTypesSupported: [String]
    var idTokenSigningAlgValuesSupported: [String]
    var scopesSupported: [String]
    var claimsSupported: [String]
    var tokenEndpointAuthMethodsSupported: [String]
    var revocationEndpointAuthMethodsSupported: [String]
    var codeChallengeMethodsSupported: [String]
    var promptValuesSupported: [String]
    var acrValuesSupported: [String]
    var claimsParameterSupported: Bool
    var requestParameterSupported: Bool
    /// OIDC Discovery makes this default to true, so it is stated.
    var requestURIParameterSupported: Bool

    enum CodingKeys: String, CodingKey {
        case issuer
        case jwksURI = "jwks_uri"
        case authorizationEndpoint = "authorization_endpoint"
        case tokenEndpoint = "token_endpoint"
        case userinfoEndpoint = "userinfo_endpoint"
        case introspectionEndpoint = "introspection_endpoint"
        case revocationEndpoint = "revocation_endpoint"
        case responseTypesSupported = "response_types_supported"
        case responseModesSupported = "response_modes_supported"
        case grantTypesSupported = "grant_types_supported"
        case subjectTypesSupported = "subject_types_supported"
        case idTokenSigningAlgValuesSupported = "id_token_signing_alg_values_supported"
        case scopesSupported = "scopes_supported"
        case claimsSupported = "claims_supported"
        case tokenEndpointAuthMethodsSupported = "token_endpoint_auth_methods_supported"
        case revocationEndpointAuthMethodsSupported = "revocation_endpoint_auth_methods_supported"
        case codeChallengeMethodsSupported = "code_challenge_methods_supported"
        case promptValuesSupported = "prompt_values_supported"
        case acrValuesSupported = "acr_values_supported"
        case claimsParameterSupported = "claims_parameter_supported"
        case requestParameterSupported = "request_parameter_supported"
        case requestURIParameterSupported = "request_uri_parameter_supported"
    }

    /// The document for a server whose public base URL is `publicURL`.
    static func current(publicURL: PublicBaseURL) -> OpenIDConfiguration {
        OpenIDConfiguration(
            issuer: publicURL.string,
            jwksURI: publicURL.appending("/v1/jwks"),
            authorizationEndpoint: publicURL.appending("/authorization"),
            tokenEndpoint: publicURL.appending("/v1/token"),
            userinfoEndpoint: publicURL.appending("/v1/profile"),
            introspectionEndpoint: publicURL.appending("/v1/introspect"),
            revocationEndpoint: publicURL.appending("/v1/oauth/destroy"),
            responseTypesSupported: ["code"],
            responseModesSupported: ["query"],
            grantTypesSupported: ["authorization_code", "refresh_token", "fxa-credentials"],
            subjectTypesSupported: ["public"],
            idTokenSigningAlgValuesSupported: ["RS256"],
            scopesSupported: [
                "openid", "profile", "email", "profile:uid", "profile:email", "profile:display_name", "profile:avatar",
                "profile:locale", "profile:amr", "profile:write", "profile:display_name:write", "profile:avatar:write",
                "https://identity.mozilla.com/apps/oldsync", "https://identity.mozilla.com/account/subscriptions",
            ],
            claimsSupported: [
                "acr", "amr", "at_hash", "aud", "auth_time", "email", "exp", "fxa-aal", "iat", "iss", "locale", "nonce", "sub",
            ],
            tokenEndpointAuthMethodsSupported: ["client_secret_basic", "client_secret_post", "none"],
            revocationEndpointAuthMethodsSupported: ["client_secret_basic", "client_secret_post", "none"],
            codeChallengeMethodsSupported: ["S256"],
            promptValuesSupported: ["none", "login", "consent"],
            acrValuesSupported: ["AAL1", "AAL2"],
            claimsParameterSupported: false,
            requestParameterSupported: false,
            requestURIParameterSupported: false)
    }
}
