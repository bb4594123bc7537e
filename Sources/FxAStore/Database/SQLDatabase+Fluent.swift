import FluentKit
import SQLKit

/// Both supported drivers (SQLite, PostgreSQL) are SQL databases; this is the
/// one place that relies on it.
func sqlDatabase(_ database: any Database) -> any SQLDatabase {
    database as! any SQLDatabase
}
