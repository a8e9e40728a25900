//! Column operations: add_column, drop_column (only columns nothing names),
//! alter_column (rename, widen the type, nullability with a fill first, defaults).

use super::*;
use crate::gen::model::{Col, Kind, World};
use crate::gen::rng::Rng;
use crate::gen::values::{default_clause, fill_expr};

pub fn add_column(w: &mut World, rng: &mut Rng, out: &mut Vec<String>) -> bool {
    let name = w.fresh("c", rng);
    let fk = if rng.chance(20) {
        w.tables.first().map(|t| t.name.clone())
    } else {
        None
    };
    let Some(t) = pick_table(w, rng).filter(|t| t.cols.len() < MAX_COLUMNS) else {
        return false;
    };
    if let Some(target) = fk.filter(|f| *f != t.name) {
        out.push(format!(
            "add_column {}.{name} integer null references {target}.id on delete set null",
            t.name
        ));
        t.constraints
            .push(unnamed(&[&name], false, Some(target.clone())));
        t.cols.push(Col {
            name,
            kind: Kind::Int,
            nullable: true,
            has_default: false,
            distinct: true,
            fk: Some(target),
        });
        return true;
    }
    let kind = Kind::random(rng);
    let default = default_clause(kind, false).filter(|_| rng.chance(40));
    let line = match &default {
        Some(d) => format!(
            "add_column {}.{name} {} not null {d}",
            t.name,
            kind.syntax()
        ),
        None => format!("add_column {}.{name} {} null", t.name, kind.syntax()),
    };
    out.push(line);
    let distinct = default.is_none() || !t.has_rows;
    t.cols.push(Col {
        name,
        kind,
        nullable: default.is_none(),
        has_default: default.is_some(),
        distinct,
        fk: None,
    });
    true
}

pub fn drop_column(w: &mut World, rng: &mut Rng, out: &mut Vec<String>) -> bool {
    let Some(t) = pick_table(w, rng) else {
        return false;
    };
    let Some(col) =
        pick_col(t, rng, |t, c| !t.is_used(&c.name) && c.fk.is_none()).map(|c| c.name.clone())
    else {
        return false;
    };
    out.push(format!("drop_column {}.{col}", t.name));
    t.cols.retain(|c| c.name != col);
    true
}

pub fn alter_column(w: &mut World, rng: &mut Rng, out: &mut Vec<String>) -> bool {
    let fresh = w.fresh("c", rng);
    let Some(t) = pick_table(w, rng) else {
        return false;
    };
    let Some(col) = pick_col(t, rng, |_, _| true).cloned() else {
        return false;
    };
    let target = format!("{}.{}", t.name, col.name);
    let free = !t.in_sql(&col.name);
    match rng.below(6) {
        0 if free => {
            out.push(format!("alter_column {target} rename to {fresh}"));
            t.rename_col(&col.name, &fresh);
        }
        1 if free && col.fk.is_none() && col.kind.widened().is_some() => {
            let wide = col.kind.widened().unwrap_or(col.kind);
            out.push(format!("alter_column {target} type {}", wide.syntax()));
            set(t, &col.name, |c| c.kind = wide);
        }
        2 if col.nullable && col.fk.is_none() && fill_expr(col.kind).is_some() => {
            let fill = fill_expr(col.kind).unwrap_or("id");
            out.push(format!(
                "execute \"UPDATE {} SET {} = {fill} WHERE {} IS NULL\" reverse none",
                t.name, col.name, col.name
            ));
            let extra = default_clause(col.kind, false).filter(|_| rng.chance(40));
            let extra_text = extra
                .as_ref()
                .map(|d| format!(", set {d}"))
                .unwrap_or_default();
            out.push(format!("alter_column {target} set not null{extra_text}"));
            let distinct = col.kind.distinct_values();
            set(t, &col.name, |c| {
                c.nullable = false;
                c.distinct &= distinct;
                c.has_default |= extra.is_some();
            });
        }
        3 if !col.nullable => {
            let also = if col.has_default && rng.chance(30) {
                ", drop default"
            } else {
                ""
            };
            out.push(format!("alter_column {target} drop not null{also}"));
            set(t, &col.name, |c| {
                c.nullable = true;
                c.has_default &= also.is_empty();
            });
        }
        4 if default_clause(col.kind, false).is_some() => {
            let d = default_clause(col.kind, false).unwrap_or_default();
            out.push(format!("alter_column {target} set {d}"));
            set(t, &col.name, |c| c.has_default = true);
        }
        5 if col.has_default => {
            out.push(format!("alter_column {target} drop default"));
            set(t, &col.name, |c| c.has_default = false);
        }
        _ => return false,
    }
    true
}
