import FxACore

/// Failures of the storage layer that callers handle by kind.
///
/// Database driver errors are not wrapped: the server's error middleware turns
/// anything unexpected into a generic 500 and logs the cause, so only the
/// failures a caller can act on get a case here.
public enum FxAStoreError: Error, Sendable, Equatable {
    /// `--database-url` has a scheme this server does not speak.
    case invalidDatabaseURL
    /// The database could not be opened or reached.
    case unavailable(String)
    /// A row that must exist does not (for example, no current signing key).
    case notFound
    /// A unique value is taken (an email address at sign-up).
    case conflict
    /// A row of this table exists but this version cannot read it (written
    /// by a newer version, or damaged). Where treating it as absent would
    /// weaken security (a two-step secret read as "off"), the read fails.
    case unreadableRow(table: String)
    /// SQLite refused a statement on one of the server's own connections
    /// (``DirectSQLiteConnection``): its extended result code and message,
    /// which name a constraint or column, never a bound value. Like any
    /// driver error, callers need not handle it by kind.
    case sqlite(code: Int32, message: String)
    /// A Sync write's `X-If-Unmodified-Since` did not hold: the resource
    /// was written at this later time (``SyncStorageStore``).
    case preconditionFailed(SyncTimestamp)
}
