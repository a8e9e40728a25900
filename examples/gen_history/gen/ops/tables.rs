//! Table-level operations: create_table (columns with inline constraints, named
//! table constraints), drop_table (only tables no foreign key points at), rename_table.

use super::*;
use crate::gen::model::{Col, Kind, Object, Table, World};
use crate::gen::rng::Rng;
use crate::gen::values::{check_expr, default_clause};

pub fn create_table(w: &mut World, rng: &mut Rng, out: &mut Vec<String>) -> bool {
    let name = w.fresh("t", rng);
    let id = Col {
        name: "id".into(),
        kind: Kind::Int,
        nullable: false,
        has_default: false,
        distinct: true,
        fk: None,
    };
    let mut t = Table {
        name: name.clone(),
        cols: vec![id],
        indexes: vec![],
        constraints: vec![],
        has_rows: false,
    };
    let mut lines = vec!["id integer primary_key autoincrement".to_string()];
    for _ in 0..rng.range(3, 7) {
        lines.push(column_line(w, rng, &mut t));
    }
    table_constraints(w, rng, &mut t, &mut lines);
    if rng.chance(20) {
        lines.push(format!(
            "comment \"{} rows; it's \\\"generated\\\"\"",
            t.name
        ));
    }
    let body: Vec<String> = lines.iter().map(|l| format!("    {l}")).collect();
    out.push(format!("create_table {name} {{\n{}\n}}", body.join("\n")));
    w.tables.push(t);
    true
}

/// One column of a new table, with column-level options; updates `t`.
fn column_line(w: &mut World, rng: &mut Rng, t: &mut Table) -> String {
    let name = w.fresh("c", rng);
    if rng.chance(15) {
        if let Some(target) = other_table(w, rng, &t.name) {
            t.constraints
                .push(unnamed(&[&name], false, Some(target.clone())));
            t.cols.push(Col {
                name: name.clone(),
                kind: Kind::Int,
                nullable: true,
                has_default: false,
                distinct: true,
                fk: Some(target.clone()),
            });
            return format!(
                "{name} integer null references {target}.id on delete {}",
                fk_action(rng)
            );
        }
    }
    let kind = Kind::random(rng);
    let nullable = rng.chance(60);
    let mut line = format!(
        "{name} {} {}",
        kind.syntax(),
        if nullable { "null" } else { "not null" }
    );
    let default = default_clause(kind, true).filter(|_| rng.chance(40));
    if let Some(d) = &default {
        line = format!("{line} {d}");
    }
    if kind.distinct_values() && rng.chance(12) {
        line.push_str(" unique");
        t.constraints.push(unnamed(&[&name], false, None));
    } else if let Some(expr) = check_expr(kind, &name).filter(|_| rng.chance(10)) {
        line = format!("{line} check \"{expr}\"");
        t.constraints.push(unnamed(&[&name], true, None));
    }
    t.cols.push(Col {
        name,
        kind,
        nullable,
        has_default: default.is_some(),
        distinct: true,
        fk: None,
    });
    line
}

/// Named table-level constraints in a `create_table` body.
fn table_constraints(w: &mut World, rng: &mut Rng, t: &mut Table, lines: &mut Vec<String>) {
    let distinct: Vec<String> = t
        .data_cols()
        .filter(|c| c.kind.distinct_values() && c.fk.is_none())
        .map(|c| c.name.clone())
        .collect();
    if distinct.len() >= 2 && rng.chance(25) {
        let name = w.fresh_plain("uq_");
        lines.push(format!("unique {name} ({}, {})", distinct[0], distinct[1]));
        t.constraints.push(Object {
            name: Some(name),
            cols: distinct[..2].to_vec(),
            sql_cols: vec![],
            references: None,
        });
    }
    let checkable = t
        .data_cols()
        .find_map(|c| check_expr(c.kind, &c.name).map(|e| (c.name.clone(), e)));
    if let Some((col, expr)) = checkable.filter(|_| rng.chance(20)) {
        let name = w.fresh_plain("ck_");
        lines.push(format!("check {name} \"{expr}\""));
        t.constraints.push(Object {
            name: Some(name),
            cols: vec![col.clone()],
            sql_cols: vec![col],
            references: None,
        });
    }
    if rng.chance(15) {
        if let Some(target) = other_table(w, rng, &t.name) {
            let col = w.fresh_plain("ref_");
            let name = w.fresh_plain("fk_");
            lines.insert(t.cols.len(), format!("{col} integer null"));
            lines.push(format!(
                "foreign_key {name} ({col}) references {target} (id) on delete {}",
                fk_action(rng)
            ));
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
        }
    }
}

pub fn drop_table(w: &mut World, rng: &mut Rng, out: &mut Vec<String>) -> bool {
    let referenced = w.referenced();
    let cands: Vec<usize> = (0..w.tables.len())
        .filter(|&i| !referenced.contains(w.tables[i].name.as_str()))
        .collect();
    if cands.is_empty() {
        return false;
    }
    let t = w.tables.remove(*rng.pick(&cands));
    out.push(format!("drop_table {}", t.name));
    true
}

pub fn rename_table(w: &mut World, rng: &mut Rng, out: &mut Vec<String>) -> bool {
    let Some(from) = pick_table(w, rng).map(|t| t.name.clone()) else {
        return false;
    };
    let to = w.fresh("t", rng);
    w.rename_table(&from, &to);
    out.push(format!("rename_table {from} to {to}"));
    true
}
