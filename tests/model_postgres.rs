//! PostgreSQL is the oracle for default constraint names: the same tables are made
//! with hand-written SQL on a real server and with IR operations on the model, and
//! the constraint names must agree. Run with `scripts/test --test model_postgres`.
#![allow(dead_code)]

#[path = "support/ir_builder.rs"]
mod b;
#[path = "support/pg.rs"]
mod pg;

use b::*;
use migc::ir::Op;
use migc::model::{Limits, Schema};

/// `(table, constraint)` pairs of every table, sorted.
fn model_names(s: &Schema) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = s
        .tables
        .values()
        .flat_map(|t| {
            let pk = t.primary_key.iter().map(|p| p.name.clone());
            pk.chain(t.constraints.keys().cloned())
                .map(|c| (t.name.clone(), c))
                .collect::<Vec<_>>()
        })
        .collect();
    out.sort();
    out
}

fn pg_names(db: &pg::PgDb) -> Vec<(String, String)> {
    let rows = db.query(
        "SELECT c.relname, k.conname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid \
         WHERE k.connamespace = 'public'::regnamespace ORDER BY 1, 2",
    );
    let mut out: Vec<(String, String)> = rows
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    out.sort();
    out
}

fn same_names(sql: &str, ops: Vec<Op>) {
    let db = pg::PgDb::new();
    db.exec(sql);
    let mut s = Schema::default();
    for op in &ops {
        s.apply(op, &Limits::POSTGRESQL)
            .unwrap_or_else(|e| panic!("{e:#?}"));
    }
    assert_eq!(model_names(&s), pg_names(&db), "for SQL:\n{sql}");
}

#[test]
fn create_table_default_names() {
    let n = Src::none();
    same_names(
        "CREATE TABLE users (id integer PRIMARY KEY, email text UNIQUE, a int, b int,
             CHECK (a < b), CHECK (a > 0), CHECK (a > 1 AND b > 1), UNIQUE (a, b), CHECK (b > 0 OR b IS NULL));
         CREATE TABLE orders (id int, line int, user_id int REFERENCES users (id),
             amount int CHECK (amount > 0), note text CHECK (note <> '' OR amount > 1),
             PRIMARY KEY (id, line), FOREIGN KEY (a, b) REFERENCES users (a, b), a int, b int);",
        vec![
            create_table(
                &n,
                "users",
                vec![col(&n, "id", "integer").pk(), col(&n, "email", "text").unique(), col(&n, "a", "integer"), col(&n, "b", "integer")],
                vec![
                    check_c(&n, None, "a < b"),
                    check_c(&n, None, "a > 0"),
                    check_c(&n, None, "a > 1 AND b > 1"),
                    unique_c(&n, None, &["a", "b"]),
                    check_c(&n, None, "b > 0 OR b IS NULL"),
                ],
            ),
            create_table(
                &n,
                "orders",
                vec![
                    col(&n, "id", "integer"),
                    col(&n, "line", "integer"),
                    col(&n, "user_id", "integer").references(&n, "users", &["id"]),
                    col(&n, "amount", "integer").check(&n, "amount > 0"),
                    col(&n, "note", "text").check(&n, "note <> '' OR amount > 1"),
                    col(&n, "a", "integer"),
                    col(&n, "b", "integer"),
                ],
                vec![pk_c(&n, None, &["id", "line"]), fk_c(&n, None, &["a", "b"], "users", &["a", "b"])],
            ),
        ],
    );
}

#[test]
fn long_and_clashing_names() {
    let n = Src::none();
    let t = "t".repeat(40);
    let c = "c".repeat(40);
    let long = "l".repeat(60);
    same_names(
        &format!(
            "CREATE TABLE {t} ({c} int UNIQUE, d int REFERENCES {t} ({c}), CHECK ({c} > 0));
             CREATE TABLE other (x int, CONSTRAINT t_check CHECK (x > 0), CONSTRAINT u_pkey UNIQUE (x));
             CREATE TABLE t (a int, b int, CHECK (a < b), CHECK (a > b));
             CREATE TABLE u (id int PRIMARY KEY);
             CREATE TABLE {long} (id int PRIMARY KEY, k int UNIQUE);"
        ),
        vec![
            create_table(
                &n,
                &t,
                vec![col(&n, &c, "integer").unique(), col(&n, "d", "integer").references(&n, &t, &[&c])],
                vec![check_c(&n, None, &format!("{c} > 0"))],
            ),
            create_table(
                &n,
                "other",
                vec![col(&n, "x", "integer")],
                vec![check_c(&n, Some("t_check"), "x > 0"), unique_c(&n, Some("u_pkey"), &["x"])],
            ),
            create_table(
                &n,
                "t",
                vec![col(&n, "a", "integer"), col(&n, "b", "integer")],
                vec![check_c(&n, None, "a < b"), check_c(&n, None, "a > b")],
            ),
            create_table(&n, "u", vec![col(&n, "id", "integer").pk()], vec![]),
            create_table(&n, &long, vec![col(&n, "id", "integer").pk(), col(&n, "k", "integer").unique()], vec![]),
        ],
    );
}

#[test]
fn alter_table_default_names() {
    let n = Src::none();
    same_names(
        "CREATE TABLE p (id int PRIMARY KEY, code text);
         CREATE TABLE c (id int, p_id int, qty int);
         ALTER TABLE c ADD PRIMARY KEY (id);
         ALTER TABLE c ADD UNIQUE (p_id, qty);
         ALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p (id);
         ALTER TABLE c ADD CHECK (qty > 0);
         ALTER TABLE c ADD CHECK (qty < 100);
         ALTER TABLE c ADD COLUMN note text UNIQUE CHECK (note <> '');
         ALTER TABLE c RENAME COLUMN qty TO quantity;
         ALTER TABLE c ADD CHECK (quantity < 1000);",
        vec![
            create_table(
                &n,
                "p",
                vec![col(&n, "id", "integer").pk(), col(&n, "code", "text")],
                vec![],
            ),
            create_table(
                &n,
                "c",
                vec![
                    col(&n, "id", "integer"),
                    col(&n, "p_id", "integer"),
                    col(&n, "qty", "integer"),
                ],
                vec![],
            ),
            add_constraint(&n, "c", pk_c(&n, None, &["id"])),
            add_constraint(&n, "c", unique_c(&n, None, &["p_id", "qty"])),
            add_constraint(&n, "c", fk_c(&n, None, &["p_id"], "p", &["id"])),
            add_constraint(&n, "c", check_c(&n, None, "qty > 0")),
            add_constraint(&n, "c", check_c(&n, None, "qty < 100")),
            add_column(
                &n,
                "c",
                col(&n, "note", "text").unique().check(&n, "note <> ''"),
            ),
            alter_column(
                &n,
                "c",
                "qty",
                vec![migc::ir::ColumnChange::Rename(n.id("quantity"))],
            ),
            add_constraint(&n, "c", check_c(&n, None, "quantity < 1000")),
        ],
    );
}
