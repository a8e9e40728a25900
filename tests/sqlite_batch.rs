//! The table-rebuild cases of `tests/fixtures/sqlite/batch`, one revision at a
//! time on a database with rows, on both SQLites: change nullability, change a
//! type, drop an indexed column, add a foreign key, add and drop a check, rename a
//! column a foreign key points at, add a NOT NULL column with a default.

mod support;

use migc::dialect::sqlite::Sqlite;
use rusqlite::types::Value;
use std::path::Path;
use support::compile::Project;
use support::sqlite as sq;

const FIXTURE: &str = "tests/fixtures/sqlite/batch";

/// The fixture compiled for SQLite by the real command (`support::compile`).
fn project() -> Project {
    Project::fixture(Path::new(FIXTURE), "sqlite")
}

fn up(p: &Project, engine: sq::Engine, db: &Path, from: Option<&str>, to: &str) {
    let script = p.upgrade(&match from {
        Some(f) => format!("{f}:{to}"),
        None => to.to_string(),
    });
    if let Err(e) = sq::run(engine, db, &script) {
        panic!("{engine:?} upgrade to {to}: {e}\n{script}");
    }
    sq::assert_healthy(db);
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

fn int(i: i64) -> Value {
    Value::Integer(i)
}

fn column_names(db: &Path, table: &str) -> Vec<Value> {
    sq::rows(
        db,
        &format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid"),
    )
    .into_iter()
    .flatten()
    .collect()
}

fn fails(db: &Path, sql: &str) -> bool {
    sq::open(db)
        .execute_batch(&format!("PRAGMA foreign_keys = ON; {sql}"))
        .is_err()
}

#[test]
fn rebuild_cases_keep_data_one_revision_at_a_time() {
    let p = project();
    for engine in sq::engines() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("t.db");
        up(&p, engine, &db, None, "b0000000001");
        sq::open(&db)
            .execute_batch(
                "INSERT INTO users (id, email, name, score, legacy) VALUES
                    (1, 'ann@example.com', 'Ann', 10, 'x'),
                    (2, 'bob@example.com', NULL, NULL, NULL),
                    (3, 'cy@example.com', 'Cy 😀', 9223372036854775807, 'y');
                 INSERT INTO orders (id, user_id, note) VALUES (1, 1, 'first'), (2, 3, NULL), (3, 3, 'third');",
            )
            .unwrap();

        up(&p, engine, &db, Some("b0000000001"), "b0000000002");
        assert_eq!(
            sq::rows(
                &db,
                "SELECT name, score, typeof(score) FROM users ORDER BY id"
            ),
            vec![
                vec![text("Ann"), text("10"), text("text")],
                vec![text("anon"), Value::Null, text("null")],
                vec![text("Cy 😀"), text("9223372036854775807"), text("text")],
            ],
            "{engine:?}: NULL name became the default, scores became text"
        );
        assert!(fails(
            &db,
            "INSERT INTO users (email, name) VALUES ('d@example.com', NULL)"
        ));

        up(&p, engine, &db, Some("b0000000002"), "b0000000003");
        assert!(!column_names(&db, "users").contains(&text("legacy")));
        assert_eq!(
            sq::scalar(
                &db,
                "SELECT count(*) FROM sqlite_master WHERE name = 'ix_users_legacy'"
            ),
            int(0)
        );
        assert_eq!(
            sq::scalar(&db, "SELECT count(*) FROM orders"),
            int(3),
            "{engine:?}: no cascade"
        );

        up(&p, engine, &db, Some("b0000000003"), "b0000000004");
        assert!(
            fails(&db, "UPDATE users SET team_id = 42 WHERE id = 1"),
            "{engine:?}: FK enforced"
        );
        sq::open(&db)
            .execute_batch(
                "INSERT INTO teams (id) VALUES (7); UPDATE users SET team_id = 7 WHERE id = 1;",
            )
            .unwrap();

        up(&p, engine, &db, Some("b0000000004"), "b0000000005");
        assert!(
            fails(&db, "INSERT INTO users (email) VALUES ('a')"),
            "{engine:?}: check enforced"
        );
        up(&p, engine, &db, Some("b0000000005"), "b0000000006");
        assert!(
            !fails(&db, "INSERT INTO users (id, email) VALUES (99, 'a')"),
            "{engine:?}: check dropped"
        );
        sq::open(&db)
            .execute("DELETE FROM users WHERE id = 99", [])
            .unwrap();

        up(&p, engine, &db, Some("b0000000006"), "b0000000007");
        assert_eq!(
            sq::rows(
                &db,
                "SELECT \"table\", \"to\" FROM pragma_foreign_key_list('orders')"
            ),
            vec![vec![text("users"), text("uid")]],
            "{engine:?}: orders follows the renamed column"
        );

        up(&p, engine, &db, Some("b0000000007"), "b0000000008");
        assert_eq!(
            sq::rows(&db, "SELECT id, user_id, note, qty FROM orders ORDER BY id"),
            vec![
                vec![int(1), int(1), text("first"), int(1)],
                vec![int(2), int(3), Value::Null, int(1)],
                vec![int(3), int(3), text("third"), int(1)],
            ]
        );
        assert_eq!(
            sq::rows(
                &db,
                "SELECT \"table\", \"to\", on_delete FROM pragma_foreign_key_list('orders')"
            ),
            vec![vec![text("users"), text("uid"), text("CASCADE")]],
            "{engine:?}: the rebuilt orders references users(uid)"
        );
        sq::open(&db)
            .execute_batch("PRAGMA foreign_keys = ON; DELETE FROM users WHERE uid = 3;")
            .unwrap();
        assert_eq!(
            sq::scalar(&db, "SELECT count(*) FROM orders"),
            int(1),
            "{engine:?}: cascade"
        );
        assert_eq!(
            sq::scalar(&db, "SELECT team_id FROM users WHERE uid = 1"),
            int(7)
        );

        up(&p, engine, &db, Some("b0000000008"), "b0000000009");
        assert_eq!(
            sq::rows(&db, "SELECT status FROM orders"),
            vec![vec![text("new")]]
        );
        assert!(
            fails(&db, "INSERT INTO orders (id, user_id) VALUES (9, 1)"),
            "{engine:?}: no default left"
        );
    }
}

#[test]
fn rebuild_cases_go_down_to_base_and_up_again() {
    let p = project();
    let down = p.downgrade("heads:base");
    for engine in sq::engines() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("t.db");
        up(&p, engine, &db, None, "heads");
        let at_head = sq::schema_dump(&db);
        sq::run(engine, &db, &down).unwrap_or_else(|e| panic!("{engine:?}: {e}\n{down}"));
        assert_eq!(
            sq::scalar(
                &db,
                "SELECT count(*) FROM sqlite_master WHERE name IN ('users', 'orders', 'teams')"
            ),
            int(0)
        );
        up(&p, engine, &db, None, "heads");
        assert_eq!(sq::schema_dump(&db), at_head);
    }
}

#[test]
fn rebuild_cases_snapshot() {
    let p = project();
    let script = p.upgrade("heads");
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("sqlite__batch_cases", script);
    });
}

/// A script meant for another revision stops at its guard and changes nothing:
/// the version table is missing, or holds another row.
#[test]
fn guard_stops_a_script_for_another_revision() {
    let p = project();
    let step = p.upgrade("b0000000001:b0000000002");
    for engine in sq::engines() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("t.db");
        sq::open(&db)
            .execute_batch("CREATE TABLE keep (x)")
            .unwrap();
        let err = sq::run(engine, &db, &step).unwrap_err();
        assert!(err.contains("no such table"), "{engine:?}: {err}");

        up(&p, engine, &db, None, "b0000000003");
        let before = sq::schema_dump(&db);
        let err = sq::run(engine, &db, &step).unwrap_err();
        assert!(
            err.contains("alembic_version must hold exactly: b0000000001"),
            "{engine:?}: {err}"
        );
        assert_eq!(sq::schema_dump(&db), before);
        assert_eq!(
            sq::scalar(&db, "SELECT version_num FROM alembic_version"),
            text("b0000000003")
        );
    }
}

/// `DROP COLUMN` is native from SQLite 3.35 on; an older `sqlite_min_version`
/// gets a rebuild.
#[test]
fn drop_column_is_native_only_from_3_35() {
    use migc::dialect::Backend;
    use migc::ir::{Ident, Op, OpKind, QualifiedName};
    use migc::source::Span;
    let first = support::compile::revisions(Path::new(FIXTURE))
        .into_iter()
        .find(|r| r.header.id.value == "b0000000001")
        .expect("revision b0000000001");
    let mut model = migc::model::Schema::default();
    for op in &first.upgrade {
        model
            .apply(
                op,
                &migc::model::Limits::for_dialect(migc::ir::Dialect::Sqlite),
            )
            .unwrap();
    }
    let drop = Op {
        kind: OpKind::DropColumn {
            table: QualifiedName {
                schema: None,
                name: Ident::new("orders", Span::default()),
            },
            column: Ident::new("note", Span::default()),
        },
        span: Span::default(),
    };
    let new = Sqlite {
        min_version: (3, 35, 0),
    }
    .lower_op(&drop, &model)
    .unwrap();
    assert_eq!(new.len(), 1);
    assert_eq!(new[0].sql, "ALTER TABLE \"orders\" DROP COLUMN \"note\"");
    assert!(new[0].destructive);
    let old = Sqlite {
        min_version: (3, 34, 1),
    }
    .lower_op(&drop, &model)
    .unwrap();
    assert!(old
        .iter()
        .any(|s| s.sql.starts_with("CREATE TABLE \"_migc_tmp_orders\"")));
}

/// An operation of a batch that is not a schema alteration (the parser allows
/// none today, the model does) runs where it is written, between rebuilds.
#[test]
fn non_alterations_in_a_batch_are_not_lost() {
    use migc::dialect::Backend;
    use migc::ir::{ColumnChange, ColumnType, Execute, OpKind};
    use support::ir_builder::{col_typed, schema_with, NONE};
    let mut model = schema_with("t", &[("id", ColumnType::Integer)]);
    model.reindex();
    let batch = NONE.op(OpKind::BatchAlterTable {
        table: NONE.qn("t"),
        ops: vec![
            NONE.op(OpKind::AddColumn {
                table: NONE.qn("t"),
                column: col_typed(&NONE, "flag", ColumnType::Integer),
            }),
            NONE.op(OpKind::Execute(Execute {
                sql: Some(NONE.sql("UPDATE t SET flag = 5")),
                per_dialect: vec![],
                reverse: None,
            })),
            NONE.op(OpKind::AlterColumn {
                table: NONE.qn("t"),
                column: NONE.id("flag"),
                changes: vec![ColumnChange::SetNotNull],
            }),
        ],
    });
    let stmts = Sqlite::default().lower_op(&batch, &model).unwrap();
    let sqls: Vec<&str> = stmts.iter().map(|s| s.sql.as_str()).collect();
    let at = |needle: &str| sqls.iter().position(|s| s.starts_with(needle)).unwrap();
    assert!(at("ALTER TABLE \"t\" ADD COLUMN") < at("UPDATE t SET flag = 5"));
    assert!(at("UPDATE t SET flag = 5") < at("CREATE TABLE \"_migc_tmp_t\""));
}
