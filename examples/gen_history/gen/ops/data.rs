//! Data operations: one-row updates, per-dialect SQL, bulk inserts of awkward
//! values, batched backfills.

use super::*;
use crate::gen::model::{Col, Kind, World};
use crate::gen::rng::Rng;
use crate::gen::values::{fill_expr, value};

/// A one-row data fix: `UPDATE t SET c = <distinct value> WHERE id = k`.
pub fn execute_update(w: &mut World, rng: &mut Rng, out: &mut Vec<String>) -> bool {
    let seq = w.value_seq();
    let Some(t) = pick_table(w, rng) else {
        return false;
    };
    let Some(col) = pick_col(t, rng, |_, c| {
        c.fk.is_none() && (c.kind.is_text() || c.kind == Kind::Int || c.kind == Kind::BigInt)
    }) else {
        return false;
    };
    let v = if col.kind.is_text() {
        format!("'upd-{seq} it''s 100%'")
    } else {
        seq.to_string()
    };
    out.push(format!(
        "execute \"UPDATE {} SET {} = {v} WHERE id = {}\" reverse none",
        t.name,
        col.name,
        seq % 50
    ));
    true
}

pub fn execute_per_dialect(w: &mut World, rng: &mut Rng, out: &mut Vec<String>) -> bool {
    let Some(t) = pick_table(w, rng) else {
        return false;
    };
    out.push(format!(
        "execute {{ postgresql \"ANALYZE {0}\" sqlite \"ANALYZE {0}\" }} reverse none",
        t.name
    ));
    true
}

pub fn bulk_insert(w: &mut World, rng: &mut Rng, out: &mut Vec<String>) -> bool {
    let Some(i) = (!w.tables.is_empty()).then(|| rng.below(w.tables.len())) else {
        return false;
    };
    // Every column that would otherwise get a default (or fail NOT NULL), and some
    // of the rest: a shared default would break a unique index, NULL never does.
    let cols: Vec<Col> = w.tables[i]
        .data_cols()
        .filter(|c| !c.nullable || c.has_default || rng.chance(50))
        .cloned()
        .collect();
    if cols.is_empty() {
        return false;
    }
    let mut rows = Vec::new();
    for _ in 0..rng.range(1, 3) {
        let vals: Vec<String> = cols.iter().map(|c| cell(w, rng, c)).collect();
        rows.push(format!("    ({})", vals.join(", ")));
    }
    let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
    let t = &mut w.tables[i];
    out.push(format!(
        "bulk_insert {} ({}) {{\n{}\n}}",
        t.name,
        names.join(", "),
        rows.join("\n")
    ));
    t.has_rows = true;
    true
}

fn cell(w: &mut World, rng: &mut Rng, c: &Col) -> String {
    if c.fk.is_some() || (c.nullable && rng.chance(10)) {
        return "null".into();
    }
    let seq = w.value_seq();
    value(c.kind, seq, rng)
}

pub fn backfill(w: &mut World, rng: &mut Rng, out: &mut Vec<String>) -> bool {
    let Some(t) = pick_table(w, rng) else {
        return false;
    };
    let Some(col) = pick_col(t, rng, |_, c| {
        c.nullable && c.fk.is_none() && c.kind.distinct_values() && c.kind != Kind::Uuid
    }) else {
        return false;
    };
    let fill = fill_expr(col.kind).unwrap_or("id");
    out.push(format!(
        "backfill {} set \"{1} = {fill}\" where \"{1} IS NULL\" batch {2} reverse none",
        t.name,
        col.name,
        *rng.pick(&[500, 1000, 5000])
    ));
    true
}
