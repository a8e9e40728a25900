//! One generator per operation. Each looks at the model, returns `false` when the
//! operation has nothing valid to act on, and otherwise appends its statement(s)
//! (in the migration language, unindented) and updates the model.

mod columns;
mod data;
mod indexes;
mod tables;

use super::model::{Col, Object, Table, World};
use super::rng::Rng;
use columns::*;
use data::*;
use indexes::*;
use tables::*;

/// Most columns a table gets from `add_column` and `create_foreign_key`.
pub const MAX_COLUMNS: usize = 15;

pub type Gen = fn(&mut World, &mut Rng, &mut Vec<String>) -> bool;

/// The operations and their weights, given the size of the schema: the number of
/// live tables hovers around `TABLES` so the schema stays realistic in size.
pub fn menu(w: &World) -> Vec<(Gen, u32)> {
    const TABLES: usize = 150;
    let n = w.tables.len();
    let (create, drop) = match n {
        0..=2 => (100, 0),
        _ if n < TABLES => (10, 2),
        _ => (4, 8),
    };
    vec![
        (create_table as Gen, create),
        (drop_table, drop),
        (add_column, 14),
        (drop_column, 5),
        (alter_column, 16),
        (create_index, 10),
        (drop_index, 4),
        (create_unique_constraint, 3),
        (create_foreign_key, 4),
        (create_check_constraint, 4),
        (drop_constraint, 3),
        (rename_table, 2),
        (execute_update, 8),
        (execute_per_dialect, 1),
        (bulk_insert, 6),
        (backfill, 2),
    ]
}

pub(super) fn pick_table<'a>(w: &'a mut World, rng: &mut Rng) -> Option<&'a mut Table> {
    let n = w.tables.len();
    if n == 0 {
        return None;
    }
    let i = rng.below(n);
    w.tables.get_mut(i)
}

pub(super) fn pick_col<'a>(
    t: &'a Table,
    rng: &mut Rng,
    ok: impl Fn(&Table, &Col) -> bool,
) -> Option<&'a Col> {
    let cands: Vec<&Col> = t.data_cols().filter(|c| ok(t, c)).collect();
    (!cands.is_empty()).then(|| *rng.pick(&cands))
}

pub(super) fn other_table(w: &World, rng: &mut Rng, not: &str) -> Option<String> {
    let names: Vec<&str> = w
        .tables
        .iter()
        .map(|t| t.name.as_str())
        .filter(|n| *n != not)
        .collect();
    (!names.is_empty()).then(|| rng.pick(&names).to_string())
}

pub(super) fn fk_action(rng: &mut Rng) -> &'static str {
    if rng.chance(50) {
        "cascade"
    } else {
        "set null"
    }
}

pub(super) fn unnamed(cols: &[&str], sql: bool, references: Option<String>) -> Object {
    let cols: Vec<String> = cols.iter().map(|c| c.to_string()).collect();
    Object {
        name: None,
        sql_cols: if sql { cols.clone() } else { vec![] },
        cols,
        references,
    }
}

pub(super) fn set(t: &mut Table, col: &str, f: impl FnOnce(&mut Col)) {
    if let Some(c) = t.col_mut(col) {
        f(c);
    }
}
