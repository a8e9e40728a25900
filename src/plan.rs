//! A plan: which revisions run, in which direction and order, and how the version
//! table changes after each. Computed by `crate::graph` from a command and its
//! targets; turned into SQL by a dialect and `crate::script`.
//!
//! The version-table rules are Alembic's: the table holds one row per head that is
//! applied; upgrading a revision whose parent row is present updates that row,
//! a new root or branch inserts a row, a merge deletes all but one parent row and
//! updates the last; `depends_on` never adds or removes rows on its own.

/// Which command produced the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Upgrade,
    Downgrade,
    /// Only the version table changes; no operation runs. The plan then has at
    /// most one pseudo-step holding every row change, whose `revision` is the
    /// first stamp target (or `base`); see `RevisionGraph::plan_stamp`.
    Stamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// One change to the version table, in the order it must be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionChange {
    /// `INSERT INTO alembic_version (version_num) VALUES ('id')`
    Insert(String),
    /// `DELETE FROM alembic_version WHERE version_num = 'id'`
    Delete(String),
    /// `UPDATE alembic_version SET version_num = 'to' WHERE version_num = 'from'`
    Update { from: String, to: String },
}

/// One revision run in one direction, then its version-table changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The revision's full id.
    pub revision: String,
    pub direction: Direction,
    pub version_changes: Vec<VersionChange>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub command: Command,
    /// The rows the version table must hold before the script runs (sorted);
    /// empty for a script that starts from base. The script's guard checks this.
    pub start: Vec<String>,
    /// The rows it holds afterwards (sorted).
    pub end: Vec<String>,
    pub steps: Vec<Step>,
}
