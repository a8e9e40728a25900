//! (to be written)

/// What `upgrade`, `downgrade` and `stamp` were asked.
#[derive(Debug, Clone)]
pub struct MigrateRequest {
    pub target: String,
    pub sql: bool,
    pub transaction_per_migration: bool,
}
