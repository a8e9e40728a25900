//! Every `tests/fixtures/ok/*` project compiled for SQLite (snapshots
//! `sqlite__<fixture>.snap`: the upgrade script, or the diagnostics when SQLite
//! cannot express the project), then run on real SQLite — the `sqlite3` CLI and
//! rusqlite's bundled library: upgrade to the heads, downgrade to base, upgrade
//! again with the same `sqlite_master`; and each revision up, down, up. Scripts
//! come from the real command (`migc::cli::run`, see `support::compile`).

mod support;

use std::path::{Path, PathBuf};
use support::compile::{graph, Project};
use support::sqlite as sq;

fn fixtures() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("tests/fixtures/ok")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn name(dir: &Path) -> String {
    dir.file_name().unwrap().to_string_lossy().to_string()
}

/// Whether the fixture targets SQLite: a `DIALECTS` file (one name a line)
/// that leaves `sqlite` out marks a PostgreSQL-only project.
fn targets_sqlite(dir: &Path) -> bool {
    match std::fs::read_to_string(dir.join("DIALECTS")) {
        Ok(text) => text.lines().any(|l| l.trim() == "sqlite"),
        Err(_) => true,
    }
}

/// The fixtures that target SQLite; every one of them must compile.
fn sqlite_fixtures() -> Vec<(PathBuf, Project, String)> {
    fixtures()
        .into_iter()
        .filter(|d| targets_sqlite(d))
        .map(|d| match compile_heads(&d) {
            Ok((project, up)) => (d, project, up),
            Err(e) => panic!("{} does not compile for SQLite:\n{e}", name(&d)),
        })
        .collect()
}

/// The upgrade script from base to the heads, or the rendered diagnostics.
fn compile_heads(dir: &Path) -> Result<(Project, String), String> {
    let project = Project::fixture(dir, "sqlite");
    let script = project.try_compile(&["upgrade", "heads", "--sql"])?;
    Ok((project, script))
}

/// A fixture that targets SQLite compiles; a PostgreSQL-only one (schemas)
/// must fail with E0551, and its diagnostics are the snapshot.
#[test]
fn every_ok_fixture_compiles_for_sqlite() {
    for dir in fixtures() {
        let text = match (compile_heads(&dir), targets_sqlite(&dir)) {
            (Ok((_, script)), true) => script,
            (Err(diags), true) => panic!("{} does not compile for SQLite:\n{diags}", name(&dir)),
            (Ok(_), false) => panic!("{} is PostgreSQL-only but compiles for SQLite", name(&dir)),
            (Err(diags), false) => {
                assert!(
                    diags.contains("error[E0551]"),
                    "{}: expected E0551 (no schemas on SQLite):\n{diags}",
                    name(&dir)
                );
                format!("-- does not compile for SQLite:\n{diags}")
            }
        };
        insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(format!("sqlite__{}", name(&dir)), text);
        });
    }
}

/// `sqlite_master` with whitespace normalized (SQLite edits the stored text of a
/// table in place on `ADD`/`DROP COLUMN`), without `sqlite_sequence`, which
/// SQLite creates for AUTOINCREMENT and never drops.
fn schema(db: &Path) -> String {
    let rows = sq::rows(
        db,
        "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master \
         WHERE name <> 'sqlite_sequence' ORDER BY type, name",
    );
    rows.iter()
        .map(|r| match r.first() {
            Some(rusqlite::types::Value::Text(t)) => normalize(t),
            other => format!("{other:?}"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn normalize(sql: &str) -> String {
    let one_space = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    one_space
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(" ,", ",")
}

fn run_ok(engine: sq::Engine, db: &Path, script: &str, what: &str) {
    if let Err(e) = sq::run(engine, db, script) {
        panic!("{what} failed on {engine:?}: {e}\n--- script ---\n{script}");
    }
    sq::assert_healthy(db);
}

#[test]
fn fixtures_upgrade_downgrade_upgrade() {
    for (dir, project, up) in sqlite_fixtures() {
        let down = project.downgrade("heads:base");
        for engine in sq::engines() {
            let tmp = tempfile::tempdir().unwrap();
            let db = tmp.path().join("t.db");
            let what = format!("{} upgrade", name(&dir));
            run_ok(engine, &db, &up, &what);
            let at_head = schema(&db);
            run_ok(engine, &db, &down, &format!("{} downgrade", name(&dir)));
            assert_eq!(
                schema(&db),
                "index sqlite_autoindex_alembic_version_1:\ntable alembic_version: CREATE TABLE \"alembic_version\" (\"version_num\" VARCHAR(32) NOT NULL, CONSTRAINT \"alembic_version_pkc\" PRIMARY KEY (\"version_num\"))",
                "{}: downgrade to base leaves only the version table",
                name(&dir)
            );
            run_ok(engine, &db, &up, &format!("{} upgrade again", name(&dir)));
            assert_eq!(
                schema(&db),
                at_head,
                "{}: upgrade after downgrade",
                name(&dir)
            );
        }
    }
}

/// For every revision with at most one parent: up to it, down to its parent, up
/// again. Down must give the schema a fresh upgrade to the parent gives, and up
/// again the schema of the first up. A merge revision goes down to its parents
/// (all heads again); upgrading from several heads has no plan, so its up again
/// is covered by `fixtures_upgrade_downgrade_upgrade`.
#[test]
fn each_revision_up_down_up() {
    for (dir, project, _) in sqlite_fixtures() {
        let g = graph(&dir);
        for rev in g.topological_order() {
            let rev = rev.to_string();
            let parents: Vec<String> = g.parents(&rev).into_iter().map(String::from).collect();
            if parents.len() > 1 {
                merge_downgrades_to_its_parents(&project, &rev, &parents);
                continue;
            }
            let parent = parents.first().cloned();
            let up = project.upgrade(&rev);
            let down = project.downgrade(&format!("{rev}:{}", parent.as_deref().unwrap_or("base")));
            let reup = project.upgrade(&match &parent {
                Some(p) => format!("{p}:{rev}"),
                None => rev.clone(),
            });
            let to_parent = parent.as_deref().map(|p| project.upgrade(p));
            for engine in sq::engines() {
                let what = format!("{} {rev}", name(&dir));
                let tmp = tempfile::tempdir().unwrap();
                let (db, fresh) = (tmp.path().join("t.db"), tmp.path().join("p.db"));
                run_ok(engine, &db, &up, &format!("{what} up"));
                let at_rev = schema(&db);
                run_ok(engine, &db, &down, &format!("{what} down"));
                if let Some(s) = &to_parent {
                    run_ok(engine, &fresh, s, &format!("{what} fresh up to parent"));
                    assert_eq!(
                        schema(&db),
                        schema(&fresh),
                        "{what}: down differs from a fresh upgrade to the parent"
                    );
                }
                run_ok(engine, &db, &reup, &format!("{what} up again"));
                assert_eq!(schema(&db), at_rev, "{what}: up again differs");
            }
        }
    }
}

/// Up to the merge `rev`, down to its first parent: the version table then
/// holds every parent.
fn merge_downgrades_to_its_parents(project: &Project, rev: &str, parents: &[String]) {
    let up = project.upgrade(rev);
    let down = project.downgrade(&format!("{rev}:{}", parents[0]));
    let mut expected = parents.to_vec();
    expected.sort();
    for engine in sq::engines() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("t.db");
        run_ok(engine, &db, &up, &format!("{rev} up"));
        run_ok(engine, &db, &down, &format!("{rev} down to its parents"));
        let versions: Vec<String> =
            sq::rows(&db, "SELECT version_num FROM alembic_version ORDER BY 1")
                .into_iter()
                .map(|r| match r.first() {
                    Some(rusqlite::types::Value::Text(t)) => t.clone(),
                    other => format!("{other:?}"),
                })
                .collect();
        assert_eq!(
            versions, expected,
            "{rev}: version rows after down ({engine:?})"
        );
    }
}

/// The guide's shop project compiled with its SQLite config
/// (`examples/shop/migrations.sqlite.toml`, `schema = "main"`) runs on SQLite:
/// up, down to base, up again.
#[test]
fn shop_example_runs_on_sqlite() {
    let project = Project::config(Path::new("examples/shop/migrations.sqlite.toml"));
    let up = project.upgrade("heads");
    let down = project.downgrade("heads:base");
    for engine in sq::engines() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("app.db");
        run_ok(engine, &db, &up, "shop upgrade");
        let at_head = schema(&db);
        run_ok(engine, &db, &down, "shop downgrade");
        run_ok(engine, &db, &up, "shop upgrade again");
        assert_eq!(schema(&db), at_head);
    }
}
