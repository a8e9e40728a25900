//! Indexes and constraints: unique only on columns whose data is distinct, checks
//! every generated value satisfies, foreign keys on fresh nullable columns.

use super::*;

/// Caps that keep long-lived tables realistic (and the generator linear).
const MAX_INDEXES: usize = 6;
const MAX_CONSTRAINTS: usize = 8;
use crate::gen::model::{Col, Kind, Object, World};
use crate::gen::rng::Rng;
use crate::gen::values::check_expr;

pub fn create_index(w: &mut World, rng: &mut Rng, out: &mut Vec<String>) -> bool {
    let name = w.fresh_plain("ix_");
    let Some(t) = pick_table(w, rng).filter(|t| t.indexes.len() < MAX_INDEXES) else {
        return false;
    };
    let Some(first) = pick_col(t, rng, |_, c| c.kind != Kind::Json).cloned() else {
        return false;
    };
    if first.kind.is_text() && rng.chance(20) {
        out.push(format!(
            "create_index {name} on {} (sql \"lower({})\")",
            t.name, first.name
        ));
        t.indexes.push(Object {
            name: Some(name),
            cols: vec![first.name.clone()],
            sql_cols: vec![first.name],
            references: None,
        });
        return true;
    }
    let unique =
        first.kind.distinct_values() && first.distinct && first.fk.is_none() && rng.chance(35);
    let mut cols = vec![first.name.clone()];
    let mut elems = first.name.clone();
    if let Some(second) = pick_col(t, rng, |_, c| c.kind != Kind::Json && c.name != first.name)
        .filter(|_| rng.chance(40))
    {
        elems = format!(
            "{elems}, {}{}",
            second.name,
            if rng.chance(50) { " desc" } else { "" }
        );
        cols.push(second.name.clone());
    }
    let mut line = format!(
        "create_index {}{name} on {} ({elems})",
        if unique { "unique " } else { "" },
        t.name
    );
    let mut sql_cols = vec![];
    if let Some(p) = pick_col(t, rng, |_, c| c.nullable).filter(|_| rng.chance(25)) {
        line = format!("{line} where \"{} IS NOT NULL\"", p.name);
        sql_cols.push(p.name.clone());
        cols.push(p.name.clone());
    }
    out.push(line);
    t.indexes.push(Object {
        name: Some(name),
        cols,
        sql_cols,
        references: None,
    });
    true
}

pub fn drop_index(w: &mut World, rng: &mut Rng, out: &mut Vec<String>) -> bool {
    let Some(t) = pick_table(w, rng).filter(|t| !t.indexes.is_empty()) else {
        return false;
    };
    let ix = t.indexes.remove(rng.below(t.indexes.len()));
    let name = ix.name.unwrap_or_default();
    let on = if rng.chance(50) {
        format!(" on {}", t.name)
    } else {
        String::new()
    };
    out.push(format!("drop_index {name}{on}"));
    true
}

pub fn create_unique_constraint(w: &mut World, rng: &mut Rng, out: &mut Vec<String>) -> bool {
    let name = w.fresh_plain("uq_");
    let Some(t) = pick_table(w, rng).filter(|t| t.constraints.len() < MAX_CONSTRAINTS) else {
        return false;
    };
    let Some(col) = pick_col(t, rng, |_, c| {
        c.kind.distinct_values() && c.distinct && c.fk.is_none()
    })
    .map(|c| c.name.clone()) else {
        return false;
    };
    out.push(format!(
        "create_unique_constraint {name} on {} ({col})",
        t.name
    ));
    t.constraints.push(Object {
        name: Some(name),
        cols: vec![col],
        sql_cols: vec![],
        references: None,
    });
    true
}

/// A new nullable column, then a named foreign key on it (two operations).
pub fn create_foreign_key(w: &mut World, rng: &mut Rng, out: &mut Vec<String>) -> bool {
    let (col, name) = (w.fresh_plain("ref_"), w.fresh_plain("fk_"));
    let Some(t) = pick_table(w, rng)
        .filter(|t| t.cols.len() < MAX_COLUMNS && t.constraints.len() < MAX_CONSTRAINTS)
        .map(|t| t.name.clone())
    else {
        return false;
    };
    let Some(target) = other_table(w, rng, &t) else {
        return false;
    };
    out.push(format!("add_column {t}.{col} integer null"));
    out.push(format!(
        "create_foreign_key {name} on {t} ({col}) references {target} (id) on delete {}",
        fk_action(rng)
    ));
    let Some(t) = w.tables.iter_mut().find(|x| x.name == t) else {
        return false;
    };
    t.cols.push(Col {
        name: col.clone(),
        kind: Kind::Int,
        nullable: true,
        has_default: false,
        distinct: true,
        fk: Some(target.clone()),
    });
    t.constraints.push(Object {
        name: Some(name),
        cols: vec![col],
        sql_cols: vec![],
        references: Some(target),
    });
    true
}

pub fn create_check_constraint(w: &mut World, rng: &mut Rng, out: &mut Vec<String>) -> bool {
    let name = w.fresh_plain("ck_");
    let Some(t) = pick_table(w, rng).filter(|t| t.constraints.len() < MAX_CONSTRAINTS) else {
        return false;
    };
    let Some(col) = pick_col(t, rng, |_, c| {
        c.fk.is_none() && check_expr(c.kind, "").is_some()
    })
    .cloned() else {
        return false;
    };
    let expr = check_expr(col.kind, &col.name).unwrap_or_default();
    out.push(format!(
        "create_check_constraint {name} on {} \"{expr}\"",
        t.name
    ));
    t.constraints.push(Object {
        name: Some(name),
        cols: vec![col.name.clone()],
        sql_cols: vec![col.name],
        references: None,
    });
    true
}

pub fn drop_constraint(w: &mut World, rng: &mut Rng, out: &mut Vec<String>) -> bool {
    let Some(t) = pick_table(w, rng) else {
        return false;
    };
    let named: Vec<usize> = (0..t.constraints.len())
        .filter(|&i| t.constraints[i].name.is_some())
        .collect();
    if named.is_empty() {
        return false;
    }
    let o = t.constraints.remove(*rng.pick(&named));
    if o.references.is_some() {
        for c in &o.cols {
            set(t, c, |c| c.fk = None);
        }
    }
    out.push(format!(
        "drop_constraint {} on {}",
        o.name.unwrap_or_default(),
        t.name
    ));
    true
}
