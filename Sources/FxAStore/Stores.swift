/// Every store the server uses, built on one ``StoreDatabase``.
///
/// Handed to the server at app assembly; tests build it on an in-memory
/// SQLite database. Later areas (accounts, OAuth, events) add their store
/// here.
public struct Stores: Sendable {
    public let database: StoreDatabase
    public let signingKeys: any SigningKeyStore
    public let accounts: any AccountStore
    public let tokens: any TokenStore
    public let codes: any CodeStore
    public let outbox: any OutboxStore
    public let mailbox: any MailboxStore
    public let oauthClients: any OAuthClientStore
    public let oauthGrants: any OAuthGrantStore
    public let profiles: any ProfileStore
    public let secondaryEmails: any SecondaryEmailStore
    public let webSessions: any WebSessionStore
    public let devices: any DeviceStore
    public let totp: any TOTPStore
    public let recoveryCodes: any RecoveryCodeStore
    public let recoveryKeys: any RecoveryKeyStore
    public let syncUsers: any SyncUserStore
    public let syncStorage: any SyncStorageStore

    /// The SQL implementation of every store on `database`.
    public init(database: StoreDatabase) {
        self.database = database
        signingKeys = SQLSigningKeyStore(database: database)
        accounts = SQLAccountStore(database: database)
        tokens = SQLTokenStore(database: database)
        codes = SQLCodeStore(database: database)
        outbox = SQLOutboxStore(database: database)
        mailbox = SQLMailboxStore(database: database)
        oauthClients = SQLOAuthClientStore(database: database)
        oauthGrants = SQLOAuthGrantStore(database: database)
        profiles = SQLProfileStore(database: database)
        secondaryEmails = SQLSecondaryEmailStore(database: database)
        webSessions = SQLWebSessionStore(database: database)
        devices = SQLDeviceStore(database: database)
        totp = SQLTOTPStore(database: database)
        recoveryCodes = SQLRecoveryCodeStore(database: database)
        recoveryKeys = SQLRecoveryKeyStore(database: database)
        syncUsers = SQLSyncUserStore(database: database)
        syncStorage = SQLSyncStorageStore(database: database)
    }
}
