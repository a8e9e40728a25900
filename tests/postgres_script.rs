//! Script assembly for PostgreSQL with hand-made plans: the layout (snapshots) and
//! its behaviour on a real server (guard, transactions, non-transactional steps).

mod support;

use indexmap::IndexMap;
use migc::dialect::postgres::Postgres;
use migc::dialect::{Backend, SessionSettings, Statement};
use migc::ir::{CreateIndex, IndexElement, OpKind};
use migc::model::Schema;
use migc::plan::{Command, Direction, Plan, Step, VersionChange};
use migc::script::{assemble, RevisionInfo, ScriptInput, ScriptOptions};
use support::ir_builder::NONE;
use support::pg::PgDb;

fn up(rev: &str, changes: Vec<VersionChange>) -> Step {
    Step {
        revision: rev.into(),
        direction: Direction::Up,
        version_changes: changes,
    }
}

fn infos() -> IndexMap<String, RevisionInfo> {
    let mut m = IndexMap::new();
    let mut add = |id: &str, msg: &str, parents: &[&str]| {
        m.insert(
            id.to_string(),
            RevisionInfo {
                message: msg.into(),
                parents: parents.iter().map(|p| p.to_string()).collect(),
            },
        );
    };
    add("a1", "create things", &[]);
    add("b2", "index things\nconcurrently", &["a1"]);
    add("c3", "break", &["b2"]);
    m
}

fn script(plan: &Plan, statements: Vec<Vec<Statement>>, options: &ScriptOptions) -> String {
    let revisions = infos();
    let input = ScriptInput {
        plan,
        statements,
        revisions: &revisions,
        options,
    };
    assemble(&Postgres, &input).unwrap_or_else(|d| panic!("{d:#?}"))
}

fn options() -> ScriptOptions {
    ScriptOptions {
        project_name: "shop".into(),
        database_name: Some("main".into()),
        ..Default::default()
    }
}

fn plan_a1() -> Plan {
    Plan {
        command: Command::Upgrade,
        start: vec![],
        end: vec!["a1".into()],
        steps: vec![up("a1", vec![VersionChange::Insert("a1".into())])],
    }
}

fn create_things() -> Vec<Statement> {
    vec![Statement::new(
        "CREATE TABLE things (id integer PRIMARY KEY, name text)",
    )]
}

fn concurrent_index() -> Vec<Statement> {
    let ci = NONE.op(OpKind::CreateIndex(CreateIndex {
        name: NONE.id("ix_things_name"),
        table: NONE.qn("things"),
        unique: false,
        elements: vec![IndexElement::Column {
            name: NONE.id("name"),
            descending: false,
        }],
        where_clause: None,
        concurrently: true,
        if_not_exists: false,
    }));
    let mut stmts = vec![Statement::new("INSERT INTO things VALUES (1, 'x')")];
    stmts.extend(Postgres.lower_op(&ci, &Schema::default()).unwrap());
    stmts
}

fn plan_a1_b2() -> Plan {
    Plan {
        command: Command::Upgrade,
        start: vec!["a1".into()],
        end: vec!["b2".into()],
        steps: vec![up(
            "b2",
            vec![VersionChange::Update {
                from: "a1".into(),
                to: "b2".into(),
            }],
        )],
    }
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn script_from_base_layout() {
    let mut opts = options();
    opts.session = SessionSettings {
        lock_timeout: Some("5s".into()),
        statement_timeout: Some("10min".into()),
    };
    snapshot(
        "postgres_script__from_base",
        &script(&plan_a1(), vec![create_things()], &opts),
    );
}

#[test]
fn script_with_non_transactional_step_layout() {
    let text = script(&plan_a1_b2(), vec![concurrent_index()], &options());
    snapshot("postgres_script__concurrently", &text);
}

#[test]
fn same_input_same_bytes() {
    let a = script(&plan_a1_b2(), vec![concurrent_index()], &options());
    let b = script(&plan_a1_b2(), vec![concurrent_index()], &options());
    assert_eq!(a, b);
}

#[test]
fn applying_twice_aborts_the_second_time_without_changes() {
    let db = PgDb::new();
    let text = script(&plan_a1(), vec![create_things()], &options());
    let first = db.run_script(&text);
    assert!(first.success, "{}", first.stderr);
    assert_eq!(db.versions(), vec!["a1"]);
    db.exec("INSERT INTO things VALUES (7, 'kept')");
    let dump = db.dump_schema();
    let second = db.run_script(&text);
    assert!(!second.success);
    assert!(
        second
            .stderr
            .contains("expects the version table alembic_version to hold (none); it holds a1"),
        "{}",
        second.stderr
    );
    assert_eq!(db.versions(), vec!["a1"]);
    assert_eq!(db.dump_schema(), dump);
    assert_eq!(db.value("SELECT count(*) FROM things"), "1");
}

#[test]
fn wrong_start_revision_aborts_before_any_change() {
    let db = PgDb::new();
    let text = script(&plan_a1_b2(), vec![concurrent_index()], &options());
    // No version table at all.
    let run = db.run_script(&text);
    assert!(!run.success);
    assert!(
        run.stderr
            .contains("but the version table alembic_version does not exist"),
        "{}",
        run.stderr
    );
    assert_eq!(db.value("SELECT to_regclass('things') IS NULL"), "t");
    // A version table at another revision.
    db.exec("CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY); INSERT INTO alembic_version VALUES ('zz')");
    db.exec("CREATE TABLE things (id integer PRIMARY KEY, name text)");
    let run = db.run_script(&text);
    assert!(!run.success);
    assert!(
        run.stderr.contains("to hold a1; it holds zz"),
        "{}",
        run.stderr
    );
    assert_eq!(db.value("SELECT count(*) FROM things"), "0");
    assert_eq!(db.versions(), vec!["zz"]);
}

#[test]
fn concurrent_index_runs_between_transactions_and_is_valid() {
    let db = PgDb::new();
    let run = db.run_script(&script(&plan_a1(), vec![create_things()], &options()));
    assert!(run.success, "{}", run.stderr);
    let run = db.run_script(&script(&plan_a1_b2(), vec![concurrent_index()], &options()));
    assert!(run.success, "{}", run.stderr);
    assert_eq!(db.versions(), vec!["b2"]);
    assert_eq!(
        db.value("SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_things_name'::regclass"),
        "t"
    );
}

#[test]
fn transaction_per_migration_keeps_the_revisions_that_succeeded() {
    let db = PgDb::new();
    let plan = Plan {
        command: Command::Upgrade,
        start: vec![],
        end: vec!["c3".into()],
        steps: vec![
            up("a1", vec![VersionChange::Insert("a1".into())]),
            up(
                "b2",
                vec![VersionChange::Update {
                    from: "a1".into(),
                    to: "b2".into(),
                }],
            ),
            up(
                "c3",
                vec![VersionChange::Update {
                    from: "b2".into(),
                    to: "c3".into(),
                }],
            ),
        ],
    };
    let broken = vec![
        Statement::new("INSERT INTO things VALUES (2, 'y')"),
        Statement::new("SELECT 1/0"),
    ];
    let statements = vec![create_things(), concurrent_index(), broken];
    let mut opts = options();
    opts.transaction_per_migration = true;
    let text = script(&plan, statements.clone(), &opts);
    snapshot("postgres_script__per_migration", &text);
    let run = db.run_script(&text);
    assert!(!run.success);
    assert!(run.stderr.contains("division by zero"), "{}", run.stderr);
    assert_eq!(db.versions(), vec!["b2"]);
    assert_eq!(db.value("SELECT count(*) FROM things"), "1");
    // One transaction for the whole script: a failure leaves nothing behind
    // but what ran between transactions.
    let db = PgDb::new();
    let run = db.run_script(&script(
        &plan,
        vec![create_things(), vec![], statements[2].clone()],
        &options(),
    ));
    assert!(!run.success);
    assert_eq!(
        db.value("SELECT to_regclass('alembic_version') IS NULL"),
        "t"
    );
}

#[test]
fn custom_version_table_and_downgrade_to_base() {
    let db = PgDb::new();
    db.exec("CREATE SCHEMA \"Meta\"");
    let mut opts = options();
    opts.version_table = migc::dialect::VersionTable {
        schema: Some("Meta".into()),
        name: "order".into(),
        column: "Rev".into(),
    };
    let run = db.run_script(&script(&plan_a1(), vec![create_things()], &opts));
    assert!(run.success, "{}", run.stderr);
    assert_eq!(
        db.value("SELECT string_agg(\"Rev\", ',') FROM \"Meta\".\"order\""),
        "a1"
    );
    assert_eq!(
        db.value(
            "SELECT conname FROM pg_constraint WHERE conrelid = '\"Meta\".\"order\"'::regclass"
        ),
        "order_pkc"
    );
    let down = Plan {
        command: Command::Downgrade,
        start: vec!["a1".into()],
        end: vec![],
        steps: vec![Step {
            revision: "a1".into(),
            direction: Direction::Down,
            version_changes: vec![VersionChange::Delete("a1".into())],
        }],
    };
    let text = script(
        &down,
        vec![vec![Statement::new("DROP TABLE things").destructive()]],
        &opts,
    );
    snapshot("postgres_script__downgrade_custom_table", &text);
    let run = db.run_script(&text);
    assert!(run.success, "{}", run.stderr);
    assert_eq!(db.value("SELECT count(*) FROM \"Meta\".\"order\""), "0");
    assert_eq!(db.value("SELECT to_regclass('things') IS NULL"), "t");
    // The same downgrade again: the guard sees no row.
    let run = db.run_script(&text);
    assert!(!run.success);
    assert!(
        run.stderr.contains("to hold a1; it holds (none)"),
        "{}",
        run.stderr
    );
}

#[test]
fn stamp_changes_only_the_version_table() {
    let db = PgDb::new();
    let mut plan = plan_a1();
    plan.command = Command::Stamp;
    let text = script(&plan, vec![], &options());
    assert!(text.contains("-- Running stamp  -> a1"), "{text}");
    let run = db.run_script(&text);
    assert!(run.success, "{}", run.stderr);
    assert_eq!(db.versions(), vec!["a1"]);
    assert_eq!(db.value("SELECT to_regclass('things') IS NULL"), "t");
}

#[test]
fn revision_ids_longer_than_the_version_column_are_errors() {
    let long = "a".repeat(33);
    let plan = Plan {
        command: Command::Upgrade,
        start: vec![],
        end: vec![long.clone()],
        steps: vec![up(&long, vec![VersionChange::Insert(long.clone())])],
    };
    let revisions = infos();
    let options = options();
    let input = ScriptInput {
        plan: &plan,
        statements: vec![vec![]],
        revisions: &revisions,
        options: &options,
    };
    let err = assemble(&Postgres, &input).unwrap_err();
    assert_eq!(err[0].code, "E0510");
}

#[test]
fn two_runs_at_once_apply_the_script_once() {
    let db = PgDb::new();
    let run = db.run_script(&script(&plan_a1(), vec![create_things()], &options()));
    assert!(run.success, "{}", run.stderr);
    let slow = vec![
        Statement::new("SELECT pg_sleep(1)"),
        Statement::new("INSERT INTO things VALUES (2, 'once')"),
    ];
    let text = script(&plan_a1_b2(), vec![slow], &options());
    let runs: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2).map(|_| s.spawn(|| db.run_script(&text))).collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    let ok = runs.iter().filter(|r| r.success).count();
    assert_eq!(ok, 1, "{runs:#?}");
    let failed = runs.iter().find(|r| !r.success).expect("one failed");
    assert!(
        failed.stderr.contains("to hold a1; it holds b2"),
        "{}",
        failed.stderr
    );
    assert_eq!(
        db.value("SELECT count(*) FROM things WHERE name = 'once'"),
        "1"
    );
}

#[test]
fn two_runs_from_base_at_once_apply_the_script_once() {
    let db = PgDb::new();
    let mut slow = create_things();
    slow.push(Statement::new("SELECT pg_sleep(1)"));
    let text = script(&plan_a1(), vec![slow], &options());
    let runs: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2).map(|_| s.spawn(|| db.run_script(&text))).collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    assert_eq!(runs.iter().filter(|r| r.success).count(), 1, "{runs:#?}");
    let failed = runs.iter().find(|r| !r.success).expect("one failed");
    assert!(
        failed.stderr.contains("to hold (none); it holds a1"),
        "{}",
        failed.stderr
    );
    assert_eq!(db.versions(), vec!["a1"]);
}

/// Messages, names and ids end up in `--` comments: a line break in them must not
/// turn the rest into SQL.
#[test]
fn text_in_comments_cannot_escape_them() {
    let mut revisions = infos();
    revisions.insert(
        "a1".into(),
        RevisionInfo {
            message: "evil\nDROP TABLE things;\r\nDROP TABLE x; --\u{2028}".into(),
            parents: vec![],
        },
    );
    let mut opts = options();
    opts.project_name = "p\nDROP TABLE things;".into();
    opts.database_name = Some("d\rDROP TABLE things;".into());
    let plan = plan_a1();
    let input = ScriptInput {
        plan: &plan,
        statements: vec![create_things()],
        revisions: &revisions,
        options: &opts,
    };
    let text = assemble(&Postgres, &input).unwrap();
    for line in text.lines() {
        assert!(
            !line.trim_start().starts_with("DROP TABLE"),
            "{line:?} in\n{text}"
        );
    }
    assert!(!text.contains('\r'));
    let db = PgDb::new();
    let run = db.run_script(&text);
    assert!(run.success, "{}", run.stderr);
    assert_eq!(db.versions(), vec!["a1"]);
}

/// A failed concurrent build leaves an INVALID index that `IF NOT EXISTS` would
/// silently keep: the script stops instead, before recording the revision.
#[test]
fn an_invalid_index_left_by_a_failed_concurrent_build_stops_the_script() {
    let db = PgDb::new();
    let run = db.run_script(&script(&plan_a1(), vec![create_things()], &options()));
    assert!(run.success, "{}", run.stderr);
    db.exec("INSERT INTO things VALUES (1, 'dup'), (2, 'dup')");
    let ci = |if_not_exists: bool| {
        NONE.op(OpKind::CreateIndex(CreateIndex {
            name: NONE.id("ux_things_name"),
            table: NONE.qn("things"),
            unique: true,
            elements: vec![IndexElement::Column {
                name: NONE.id("name"),
                descending: false,
            }],
            where_clause: None,
            concurrently: true,
            if_not_exists,
        }))
    };
    let lower = |o| Postgres.lower_op(&o, &Schema::default()).unwrap();
    // The first attempt fails on the duplicates and leaves the index invalid.
    let run = db.run_script(&script(&plan_a1_b2(), vec![lower(ci(false))], &options()));
    assert!(!run.success);
    assert_eq!(
        db.value("SELECT indisvalid FROM pg_index WHERE indexrelid = 'ux_things_name'::regclass"),
        "f"
    );
    db.exec("DELETE FROM things WHERE id = 2");
    let run = db.run_script(&script(&plan_a1_b2(), vec![lower(ci(true))], &options()));
    assert!(!run.success);
    assert!(
        run.stderr.contains("index ux_things_name is invalid"),
        "{}",
        run.stderr
    );
    assert_eq!(db.versions(), vec!["a1"]);
}
