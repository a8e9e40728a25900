//! The pest parser generated from `grammar/migration.pest`.
//!
//! Only this module knows pest's generated `Rule` enum exists; the rest of
//! `crate::syntax` walks the pairs it produces.

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/migration.pest"]
pub struct MigrationParser;
