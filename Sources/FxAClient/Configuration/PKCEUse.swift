/// When the kit sends PKCE (RFC 7636, S256).
///
/// Mozilla's FxA accepts PKCE from public clients only: a confidential
/// client (one with a secret) that sends `code_challenge` gets errno 116,
/// and its token endpoint refuses `code_verifier` next to `client_secret`.
/// Standard providers (and fxa-server) take PKCE from every client, which
/// OAuth 2.1 recommends.
public enum PKCEUse: Sendable, Equatable {
    /// Public clients always; confidential clients when the provider's
    /// discovery document lists `S256` in `code_challenge_methods_supported`
    /// (fxa-server and standard providers do; Mozilla's FxA does not).
    case automatic
    /// Every client.
    case always
    /// Public clients only (FxA's rule).
    case publicClientsOnly

    func applies(publicClient: Bool, metadata: ProviderMetadata) -> Bool {
        if publicClient { return true }
        switch self {
        case .always: return true
        case .publicClientsOnly: return false
        case .automatic: return metadata.codeChallengeMethodsSupported?.contains("S256") ?? false
        }
    }
}
