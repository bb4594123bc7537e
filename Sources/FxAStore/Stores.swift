/// Every store the server uses, built on one ``StoreDatabase``.
///
/// Handed to the server at app assembly; tests build it on an in-memory
/// SQLite database. Later areas (accounts, OAuth, events) add their store
/// here.
public struct Stores: Sendable {
    public let database: StoreDatabase
    public let signingKeys: any SigningKeyStore

    /// The Fluent implementation of every store on `database`.
    public init(database: StoreDatabase) {
        self.database = database
        signingKeys = FluentSigningKeyStore(database: database)
    }
}
