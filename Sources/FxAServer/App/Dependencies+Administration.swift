import Foundation

extension Dependencies {
    /// The operator's account commands on these stores, with the same
    /// password hashing pool as the server's own sign-ups.
    public func accountAdministration() -> AccountAdministration {
        AccountAdministration(
            accounts: stores.accounts, tokens: stores.tokens, clock: clock,
            credentials: CredentialVerifier(hasher: PasswordHasher(threadPool: hashingPool, cost: passwordStretchCost)))
    }

    /// The client registry's commands (the CLI's and the console's).
    public func clientAdministration() -> ClientAdministration {
        ClientAdministration(clients: stores.oauthClients, clock: clock)
    }
}
