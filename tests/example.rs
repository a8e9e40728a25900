//! The example project (`examples/shop`, the migrations of our user guide) as the
//! README tells a user to run it: compiled by the `compile` binary, applied to a real
//! PostgreSQL 15 and to real SQLite (the `sqlite3` CLI with `-bail` and the bundled
//! SQLite), with data in the tables; a second run stops at the guard and changes
//! nothing; the downgrade to base leaves an empty schema.

mod support;

use std::path::{Path, PathBuf};
use support::pg::PgDb;
use support::sqlite as lite;

fn shop() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/shop")
}

fn compile(config: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_compile"))
        .arg("-c")
        .arg(shop().join(config))
        .args(args)
        .args(["--color", "never"])
        .env_remove("APP_DATABASE_URL")
        .output()
        .expect("run compile");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "compile {args:?} failed:\n{stderr}");
    String::from_utf8(out.stdout).expect("the script is UTF-8")
}

const USERS: &str = "INSERT INTO users (email, full_name, hashed_password) VALUES \
    ('Ada@Example.com', 'Ada Lovelace', 'x'), ('grace@example.com', 'Grace O''Hopper', 'y');";

#[test]
fn postgres_upgrade_with_data_guard_and_downgrade() {
    let db = PgDb::new();
    let empty = db.dump_schema();
    // Up to the role column, then add users, then the rest: the backfills meet real rows.
    let first = compile("migrations.toml", &["upgrade", "b2c3d4e5f6a7", "--sql"]);
    assert!(db.run_script(&first).success);
    db.exec(USERS);
    let rest = compile(
        "migrations.toml",
        &["upgrade", "b2c3d4e5f6a7:head", "--sql"],
    );
    let r = db.run_script(&rest);
    assert!(r.success, "{}", r.stderr);
    assert_eq!(db.versions(), vec!["e1f2a3b4c5d6".to_string()]);
    let rows = db.query("SELECT email, role, slug, username FROM users ORDER BY id");
    assert_eq!(
        rows,
        vec![
            vec![
                "ada@example.com",
                "member",
                "ada-lovelace-1",
                "ada_lovelace"
            ],
            vec![
                "grace@example.com",
                "member",
                "grace-o'hopper-2",
                "grace_o'hopper"
            ],
        ]
    );
    // Orders cascade from users, order items from orders, through the cycle.
    db.exec(
        "INSERT INTO orders (user_id) VALUES (1); \
         INSERT INTO order_items (order_id, product) VALUES (1, 'book'); \
         UPDATE orders SET last_item_id = 1 WHERE id = 1;",
    );

    // The whole script on a database already at head: the guard stops it, nothing changes.
    let full = compile("migrations.toml", &["upgrade", "head", "--sql"]);
    let before = db.dump_schema();
    let r = db.run_script(&full);
    assert!(!r.success);
    assert!(
        r.stderr
            .contains("expects the version table alembic_version to hold (none)")
            && r.stderr.contains("e1f2a3b4c5d6"),
        "{}",
        r.stderr
    );
    assert_eq!(db.dump_schema(), before);
    assert_eq!(db.versions(), vec!["e1f2a3b4c5d6".to_string()]);

    let down = compile("migrations.toml", &["downgrade", "head:base", "--sql"]);
    let r = db.run_script(&down);
    assert!(r.success, "{}", r.stderr);
    assert!(db.versions().is_empty());
    db.exec("DROP TABLE alembic_version");
    assert_eq!(db.dump_schema(), empty);
}

#[test]
fn postgres_per_tenant_schema_and_second_database() {
    let tenant = compile(
        "migrations.toml",
        &["upgrade", "head", "--sql", "-x", "schema=tenant_acme"],
    );
    assert!(tenant.contains("CREATE SCHEMA IF NOT EXISTS tenant_acme"));
    let db = PgDb::new();
    let r = db.run_script(&tenant);
    assert!(r.success, "{}", r.stderr);
    assert_eq!(
        db.value(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'tenant_acme'"
        ),
        "1"
    );

    let analytics = compile(
        "migrations.toml",
        &["--name", "analytics", "upgrade", "head", "--sql"],
    );
    let db = PgDb::new();
    let r = db.run_script(&analytics);
    assert!(r.success, "{}", r.stderr);
    assert_eq!(db.versions(), vec!["a3b4c5d6e7f8".to_string()]);
}

#[test]
fn sqlite_upgrade_with_data_guard_and_downgrade() {
    for engine in lite::engines() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("app.db");
        let first = compile(
            "migrations.sqlite.toml",
            &["upgrade", "b2c3d4e5f6a7", "--sql"],
        );
        lite::run(engine, &db, &first).unwrap();
        lite::run(engine, &db, USERS).unwrap();
        let rest = compile(
            "migrations.sqlite.toml",
            &["upgrade", "b2c3d4e5f6a7:head", "--sql"],
        );
        lite::run(engine, &db, &rest).unwrap_or_else(|e| panic!("{engine:?}: {e}"));
        let rows = lite::rows(
            &db,
            "SELECT email, role, slug, username FROM users ORDER BY id",
        );
        let text: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|v| format!("{v:?}")).collect())
            .collect();
        assert_eq!(text.len(), 2, "{text:?}");
        assert!(text[0][0].contains("ada@example.com"), "{text:?}");
        assert!(text[1][2].contains("grace-o'hopper-2"), "{text:?}");
        lite::assert_healthy(&db);

        let full = compile("migrations.sqlite.toml", &["upgrade", "head", "--sql"]);
        let before = lite::schema_dump(&db);
        let err = lite::run(engine, &db, &full).expect_err("the guard stops a second run");
        assert!(err.contains("alembic_version"), "{engine:?}: {err}");
        assert_eq!(lite::schema_dump(&db), before);

        let down = compile(
            "migrations.sqlite.toml",
            &["downgrade", "head:base", "--sql"],
        );
        lite::run(engine, &db, &down).unwrap_or_else(|e| panic!("{engine:?}: {e}"));
        let left = lite::rows(
            &db,
            "SELECT name FROM sqlite_master WHERE name NOT IN ('alembic_version', 'sqlite_sequence') \
             AND name NOT LIKE 'sqlite_autoindex%'",
        );
        assert!(left.is_empty(), "{engine:?}: left behind {left:?}");
    }
}
