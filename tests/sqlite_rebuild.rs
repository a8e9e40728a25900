//! SQLite table rebuilds on hand-made schema models, run on real SQLite (the
//! `sqlite3` CLI and rusqlite's bundled library): rows survive value by value,
//! constraints and cascades keep working, and a rebuild that would break a
//! foreign key stops the script and leaves the database as it was.

mod support;

use indexmap::IndexMap;
use migc::dialect::sqlite::rebuild::{Rebuild, Sources};
use migc::dialect::sqlite::{ddl, Sqlite};
use migc::dialect::{Backend, Statement};
use migc::ir::{ColumnType, Default, FkAction, Identity, Literal};
use migc::model::{
    Column, Constraint, ConstraintKind, Index, IndexElement, PrimaryKey, Schema, Table,
};
use migc::source::Span;
use rusqlite::types::Value;
use sq::Engine;
use support::sqlite as sq;

fn col(name: &str, ty: ColumnType, nullable: bool) -> Column {
    Column {
        name: name.into(),
        ty,
        nullable,
        default: None,
        identity: None,
        comment: None,
    }
}

fn table(name: &str, cols: Vec<Column>, pk: &[&str]) -> Table {
    Table {
        schema: None,
        name: name.into(),
        columns: cols
            .into_iter()
            .map(|c| (c.name.clone(), c))
            .collect::<IndexMap<_, _, _>>()
            .into(),
        primary_key: Some(PrimaryKey {
            name: format!("{name}_pkey"),
            columns: pk.iter().map(|s| s.to_string()).collect(),
        }),
        constraints: std::default::Default::default(),
        indexes: std::default::Default::default(),
        comment: None,
    }
}

fn add_constraint(t: &mut Table, name: &str, kind: ConstraintKind) {
    t.constraints_mut().insert(
        name.into(),
        Constraint {
            name: name.into(),
            kind,
        },
    );
}

fn users() -> Table {
    let mut id = col("id", ColumnType::Integer, false);
    id.identity = Some(Identity::ByDefault);
    let mut t = table(
        "users",
        vec![
            id,
            col("email", ColumnType::String { length: Some(255) }, false),
            col("name", ColumnType::Text, true),
            col("score", ColumnType::Double, true),
            col("big", ColumnType::BigInt, true),
            col("data", ColumnType::Binary, true),
        ],
        &["id"],
    );
    add_constraint(
        &mut t,
        "users_email_key",
        ConstraintKind::Unique {
            columns: vec!["email".into()],
        },
    );
    t.indexes_mut().insert(
        "ix_users_name".into(),
        Index {
            name: "ix_users_name".into(),
            unique: false,
            elements: vec![IndexElement::Column {
                name: "name".into(),
                descending: false,
            }],
            where_clause: Some("name IS NOT NULL".into()),
        },
    );
    t
}

fn orders(with_fk: bool) -> Table {
    let mut t = table(
        "orders",
        vec![
            col("id", ColumnType::Integer, false),
            col("user_id", ColumnType::Integer, true),
            col(
                "amount",
                ColumnType::Numeric {
                    precision: Some(10),
                    scale: Some(2),
                },
                true,
            ),
        ],
        &["id"],
    );
    if with_fk {
        add_constraint(&mut t, "orders_user_id_fkey", fk_to_users());
    }
    t
}

fn fk_to_users() -> ConstraintKind {
    ConstraintKind::ForeignKey {
        columns: vec!["user_id".into()],
        ref_schema: None,
        ref_table: "users".into(),
        ref_columns: vec!["id".into()],
        on_delete: Some(FkAction::Cascade),
        on_update: None,
        deferrable: None,
    }
}

fn schema(tables: Vec<Table>) -> Schema {
    let mut s = Schema::default();
    for t in tables {
        s.tables.insert((None, t.name.clone()), t.into());
    }
    // The tables were put in directly: the name index must follow.
    s.reindex();
    s
}

/// CREATE TABLE + CREATE INDEX for every table of the model.
fn create_all(s: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    for t in s.tables.values() {
        out.push(ddl::create_table(t, &t.name, s, false, Span::default()).unwrap());
        for i in t.indexes.values() {
            out.push(ddl::create_index(i, &t.name, false).unwrap());
        }
    }
    out
}

fn sql(stmts: Vec<Statement>) -> Vec<String> {
    stmts.into_iter().map(|s| s.sql).collect()
}

const LONG: usize = 100_000;

type UserRow<'a> = (
    i64,
    &'a str,
    Option<&'a str>,
    Option<f64>,
    Option<i64>,
    Option<Vec<u8>>,
);

/// Users with every kind of value, orders pointing at them.
fn seed(db: &std::path::Path) {
    let conn = sq::open(db);
    let long = "x".repeat(LONG);
    let rows: Vec<UserRow> = vec![
        (1, "a@example.com", None, None, None, None),
        (
            2,
            "b@example.com",
            Some("Zoë 😀 'quoted' \"dq\"\n\t"),
            Some(3.5),
            Some(i64::MAX),
            Some(vec![0, 1, 255]),
        ),
        (
            3,
            "c@example.com",
            Some(&long),
            Some(-0.0001),
            Some(i64::MIN),
            Some(vec![]),
        ),
        (
            4,
            "d@example.com",
            Some("plain"),
            Some(1e300),
            Some(0),
            Some(vec![0; 1000]),
        ),
    ];
    for r in rows {
        conn.execute(
            "INSERT INTO users (id, email, name, score, big, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![r.0, r.1, r.2, r.3, r.4, r.5],
        )
        .unwrap();
    }
    // A high-water mark above the current rows: AUTOINCREMENT must not reuse 50.
    conn.execute_batch(
        "INSERT INTO users (id, email) VALUES (50, 'gone@example.com'); DELETE FROM users WHERE id = 50;
         INSERT INTO orders (id, user_id, amount) VALUES (10, 1, 9.99), (11, 2, NULL), (12, 2, 1);",
    )
    .unwrap();
}

fn fresh(engine: Engine, s: &Schema) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    sq::run(engine, &db, &sq::transaction_script(&create_all(s))).unwrap();
    (dir, db)
}

/// users.name becomes NOT NULL with a default, users.score becomes numeric.
fn users_after() -> Table {
    let mut t = users();
    let name = t.columns_mut().get_mut("name").unwrap();
    name.nullable = false;
    name.default = Some(Default::Literal(Literal::String("anon".into())));
    t.columns_mut().get_mut("score").unwrap().ty = ColumnType::Numeric {
        precision: None,
        scale: None,
    };
    t
}

fn rebuild_users(before: &Schema, after: &Schema) -> Vec<String> {
    let b = before.tables.get(&(None, "users".into())).unwrap();
    let sources = Sources::new(b);
    sql(Rebuild {
        before: b,
        after_schema: after,
        after: after.tables.get(&(None, "users".into())).unwrap(),
        sources: &sources,
        reason: "alter column name (set not null, set default)".into(),
        destructive: false,
        span: Span::default(),
    }
    .statements()
    .unwrap())
}

#[test]
fn rebuild_keeps_every_row_and_constraint() {
    let before = schema(vec![users(), orders(true)]);
    let after = schema(vec![users_after(), orders(true)]);
    for engine in sq::engines() {
        let (_dir, db) = fresh(engine, &before);
        seed(&db);
        let old_rows = sq::rows(
            &db,
            "SELECT id, email, name, score, big, data FROM users ORDER BY id",
        );
        let orders_sql = sq::rows(&db, "SELECT sql FROM sqlite_master WHERE name = 'orders'");

        sq::run(
            engine,
            &db,
            &sq::transaction_script(&rebuild_users(&before, &after)),
        )
        .unwrap_or_else(|e| panic!("{engine:?}: {e}"));

        let new_rows = sq::rows(
            &db,
            "SELECT id, email, name, score, big, data FROM users ORDER BY id",
        );
        assert_eq!(new_rows.len(), old_rows.len());
        for (old, new) in old_rows.iter().zip(&new_rows) {
            for (i, (o, n)) in old.iter().zip(new).enumerate() {
                match (i, o) {
                    (2, Value::Null) => assert_eq!(n, &Value::Text("anon".into())),
                    _ => assert_eq!(o, n, "{engine:?}: column {i} of row {old:?}"),
                }
            }
        }
        // Other tables' REFERENCES are untouched and still work.
        assert_eq!(
            sq::rows(&db, "SELECT sql FROM sqlite_master WHERE name = 'orders'"),
            orders_sql
        );
        sq::assert_healthy(&db);
        let conn = sq::open(&db);
        conn.execute_batch("PRAGMA foreign_keys = ON; DELETE FROM users WHERE id = 2;")
            .unwrap();
        let left: i64 = conn
            .query_row("SELECT count(*) FROM orders", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 1, "{engine:?}: ON DELETE CASCADE must still cascade");
        let dup = conn.execute(
            "INSERT INTO users (email, name) VALUES ('a@example.com', 'x')",
            [],
        );
        assert!(
            dup.is_err(),
            "{engine:?}: UNIQUE must still reject duplicates"
        );
        let id: i64 = conn
            .query_row(
                "INSERT INTO users (email) VALUES ('new@example.com') RETURNING id",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            id, 51,
            "{engine:?}: AUTOINCREMENT keeps its high-water mark"
        );
        let indexes = sq::rows(&db, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'users' ORDER BY name");
        assert_eq!(
            indexes,
            vec![
                vec![Value::Text("ix_users_name".into())],
                vec![Value::Text("sqlite_autoindex_users_1".into())]
            ]
        );
    }
}

#[test]
fn rebuild_that_breaks_a_foreign_key_stops_and_changes_nothing() {
    // orders gets a foreign key to users while it holds a row pointing nowhere.
    let before = schema(vec![users(), orders(false)]);
    let after = schema(vec![users(), orders(true)]);
    for engine in sq::engines() {
        let (_dir, db) = fresh(engine, &before);
        seed(&db);
        sq::open(&db)
            .execute("INSERT INTO orders (id, user_id) VALUES (13, 999)", [])
            .unwrap();
        let dump = sq::schema_dump(&db);
        let data = sq::rows(&db, "SELECT * FROM orders ORDER BY id");
        let b = before.tables.get(&(None, "orders".into())).unwrap();
        let stmts = sql(Rebuild {
            before: b,
            after_schema: &after,
            after: after.tables.get(&(None, "orders".into())).unwrap(),
            sources: &Sources::new(b),
            reason: "add constraint orders_user_id_fkey".into(),
            destructive: false,
            span: Span::default(),
        }
        .statements()
        .unwrap());
        let err = sq::run(engine, &db, &sq::transaction_script(&stmts)).unwrap_err();
        assert!(
            err.contains("foreign key violations after rebuilding orders"),
            "{engine:?}: {err}"
        );
        assert_eq!(sq::schema_dump(&db), dump, "{engine:?}: schema changed");
        assert_eq!(sq::rows(&db, "SELECT * FROM orders ORDER BY id"), data);
    }
}

#[test]
fn rebuild_refuses_to_drop_unknown_triggers() {
    let before = schema(vec![users(), orders(true)]);
    let after = schema(vec![users_after(), orders(true)]);
    for engine in sq::engines() {
        let (_dir, db) = fresh(engine, &before);
        sq::open(&db)
            .execute_batch("CREATE TRIGGER tr AFTER INSERT ON users BEGIN SELECT 1; END;")
            .unwrap();
        let dump = sq::schema_dump(&db);
        let err = sq::run(
            engine,
            &db,
            &sq::transaction_script(&rebuild_users(&before, &after)),
        )
        .unwrap_err();
        assert!(
            err.contains("indexes or triggers the migrations do not know"),
            "{engine:?}: {err}"
        );
        assert_eq!(sq::schema_dump(&db), dump);
    }
}

#[test]
fn views_on_a_rebuilt_table_keep_working() {
    let before = schema(vec![users(), orders(true)]);
    let after = schema(vec![users_after(), orders(true)]);
    for engine in sq::engines() {
        let (_dir, db) = fresh(engine, &before);
        seed(&db);
        sq::open(&db)
            .execute_batch("CREATE VIEW v AS SELECT email FROM users;")
            .unwrap();
        sq::run(
            engine,
            &db,
            &sq::transaction_script(&rebuild_users(&before, &after)),
        )
        .unwrap_or_else(|e| panic!("{engine:?}: {e}"));
        assert_eq!(
            sq::rows(&db, "SELECT count(*) FROM v"),
            vec![vec![Value::Integer(4)]]
        );
    }
}

#[test]
fn preamble_switches_foreign_keys_off_before_the_transaction() {
    let s = Sqlite::default();
    let pre = s
        .preamble(&migc::dialect::SessionSettings::default())
        .unwrap();
    assert!(
        pre.lines().any(|l| l == "PRAGMA foreign_keys = OFF;"),
        "{pre}"
    );
    assert_eq!(s.begin(), "BEGIN IMMEDIATE;");
}

#[test]
fn rebuild_script_snapshot() {
    let before = schema(vec![users(), orders(true)]);
    let after = schema(vec![users_after(), orders(true)]);
    let script = rebuild_users(&before, &after).join(";\n") + ";\n";
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("sqlite__rebuild_users", script);
    });
}
