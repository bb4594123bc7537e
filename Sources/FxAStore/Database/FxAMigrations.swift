import FluentKit

/// Every migration, in the order they run. Append only: a migration that has
/// shipped is never edited, because existing databases have already run it.
enum FxAMigrations {
    static let all: [any Migration] = [
        CreateSigningKeys(),
        CreateAccounts(),
        CreateAuthTokens(),
        CreateVerificationCodes(),
        CreateEventOutbox(),
        CreateDevMail(),
        CreateOAuthClients(),
        CreateOAuthGrants(),
        AddAccountProfileFields(),
        CreateAvatars(),
        CreateAccountClients(),
        CreateEventDeliveries(),
        AddAccountCapabilities(),
        CreateAccountEmails(),
        AddAccountPrimaryEmail(),
        AddEventRetentionIndexes(),
        AddAccountKeysChangedAt(),
        CreateWebSessions(),
        AddOAuthClientOwner(),
        AddAccountClientDisconnectedAt(),
        RenormalizeEmailKeys(),
        AddOAuthClientRegisteredInConsole(),
        AddOAuthClientDisabled(),
        CreateFirstPartyClients(),
        CreateDevices(),
        AddWebSessionSharesToken(),
        AddOAuthTokenSession(),
        AddSessionVerificationMethod(),
        CreateTOTPSecrets(),
        CreateRecoveryCodes(),
        CreateRecoveryKeys(),
        AddTOTPSetupSession(),
        AddTOTPFailedCodes(),
        CreateSyncUsers(),
        CreateSyncStorage(),
        CreateSyncBatches(),
    ]
}
