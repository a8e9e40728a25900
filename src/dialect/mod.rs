//! Dialect backends: lowering IR operations to SQL statements for one database.
//!
//! A [`Backend`] turns the operations of one revision into [`Statement`]s, keeping
//! the schema model up to date as it goes (a dialect may group operations, as
//! SQLite does to share one table rebuild between several alterations).
//! Quoting and literal binding happen in Rust, in one module per dialect; the
//! templates in `dialects/<name>/` only decide how statements read.

/// One SQL statement of the output script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The SQL, without a trailing `;`.
    pub sql: String,
    /// `false` for statements the database refuses inside a transaction
    /// (`CREATE INDEX CONCURRENTLY`): the script runs them between transactions.
    pub transactional: bool,
    /// Drops and type changes: listed in the script header for the DBA.
    pub destructive: bool,
}
