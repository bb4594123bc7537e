/// How hard SQLite works to keep a commit across a power loss (`PRAGMA
/// synchronous` on the writer connection, in WAL mode).
///
/// Both settings keep every committed transaction when the *process* dies
/// (kill -9, a crash) and neither can corrupt the database. They differ only
/// when the machine loses power or the kernel crashes.
public enum SQLiteDurability: String, Sendable, CaseIterable {
    /// Every commit is fsynced before it is acknowledged: nothing a client
    /// was told succeeded is ever lost. The default. Throughput of writes
    /// is bounded by the disk's fsync rate.
    case full
    /// Commits reach the OS at once and the disk at each checkpoint: after
    /// a power loss the last moments of commits may be missing (users sign
    /// in again; a just-changed password may revert). Worth it only where
    /// writes are bound by the disk: the code flow gained about a fifth
    /// on the 2-core build machine (docs/benchmarks.md).
    case normal
}
