//! Every `tests/fixtures/ok/*` project compiled for SQLite (snapshots
//! `sqlite__<fixture>.snap`: the upgrade script, or the diagnostics when SQLite
//! cannot express the project), then run on real SQLite — the `sqlite3` CLI and
//! rusqlite's bundled library: upgrade to the heads, downgrade to base, upgrade
//! again with the same `sqlite_master`; and each revision up, down, up.

mod support;

use migc::dialect::sqlite::Sqlite;
use migc::plan::Command;
use sq::project::{rendered, Project};
use std::path::{Path, PathBuf};
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

/// The upgrade script from base to the heads, or the rendered diagnostics.
fn compile_heads(dir: &Path) -> Result<(Project, String), String> {
    let project = Project::load(dir).map_err(|(s, d)| rendered(&s, &d))?;
    let plan = project.plan(Command::Upgrade, "heads");
    match project.script(&Sqlite::default(), &plan) {
        Ok(script) => Ok((project, script)),
        Err(d) => Err(rendered(&project.sources, &d)),
    }
}

#[test]
fn every_ok_fixture_compiles_for_sqlite() {
    for dir in fixtures() {
        let text = match compile_heads(&dir) {
            Ok((_, script)) => script,
            Err(diags) => format!("-- does not compile for SQLite:\n{diags}"),
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

fn script(project: &Project, plan: &migc::plan::Plan) -> String {
    project
        .script(&Sqlite::default(), plan)
        .unwrap_or_else(|d| panic!("{}", rendered(&project.sources, &d)))
}

/// A downgrade script, or `None` when the project has no downgrade for it (a
/// derived downgrade the model refuses, e.g. of a `bulk_insert`).
fn down_script(project: &Project, plan: &migc::plan::Plan) -> Option<String> {
    project.script(&Sqlite::default(), plan).ok()
}

#[test]
fn fixtures_upgrade_downgrade_upgrade() {
    for dir in fixtures() {
        let Ok((project, up)) = compile_heads(&dir) else {
            continue;
        };
        let down = down_script(&project, &project.plan(Command::Downgrade, "heads:base"));
        for engine in sq::engines() {
            let tmp = tempfile::tempdir().unwrap();
            let db = tmp.path().join("t.db");
            let what = format!("{} upgrade", name(&dir));
            run_ok(engine, &db, &up, &what);
            let at_head = schema(&db);
            let Some(down) = &down else {
                continue;
            };
            run_ok(engine, &db, down, &format!("{} downgrade", name(&dir)));
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
/// again the schema of the first up.
#[test]
fn each_revision_up_down_up() {
    for dir in fixtures() {
        let Ok((project, _)) = compile_heads(&dir) else {
            continue;
        };
        for rev in project.order() {
            let parents: Vec<String> = project
                .graph
                .parents(&rev)
                .into_iter()
                .map(String::from)
                .collect();
            if parents.len() > 1 {
                continue;
            }
            let parent = parents.first().cloned();
            let g = &project.graph;
            let up = script(&project, &g.plan_upgrade(None, &rev).unwrap());
            let down_plan = g
                .plan_downgrade(&rev, parent.as_deref().unwrap_or("base"))
                .unwrap();
            let Some(down) = down_script(&project, &down_plan) else {
                continue;
            };
            let reup = script(&project, &g.plan_upgrade(parent.as_deref(), &rev).unwrap());
            let to_parent = parent
                .as_deref()
                .map(|p| script(&project, &g.plan_upgrade(None, p).unwrap()));
            for engine in sq::engines() {
                let what = format!("{} {rev}", name(&dir));
                let tmp = tempfile::tempdir().unwrap();
                let (db, fresh) = (tmp.path().join("t.db"), tmp.path().join("p.db"));
                run_ok(engine, &db, &up, &format!("{what} up"));
                let at_rev = schema(&db);
                run_ok(engine, &db, &down, &format!("{what} down"));
                if let Some(s) = &to_parent {
                    run_ok(engine, &fresh, s, &format!("{what} fresh up to parent"));
                    if schema(&db) != schema(&fresh) {
                        // Only a written downgrade may differ (e.g. `downgrade { }`).
                        let written = project.revisions[&rev].downgrade.is_some();
                        assert!(written, "{what}: derived down differs from the parent");
                        continue;
                    }
                }
                run_ok(engine, &db, &reup, &format!("{what} up again"));
                assert_eq!(schema(&db), at_rev, "{what}: up again differs");
            }
        }
    }
}

/// The guide's shop project (`examples/shop`, `schema = "main"` as its SQLite
/// config says) runs on SQLite: up, down to base, up again.
#[test]
#[ignore = "the model refuses use_alter foreign keys to tables created later in the revision (E0220)"]
fn shop_example_runs_on_sqlite() {
    let vars = [("schema".to_string(), "main".to_string())]
        .into_iter()
        .collect();
    let project = Project::load_with(Path::new("examples/shop/versions"), vars)
        .unwrap_or_else(|(s, d)| panic!("{}", rendered(&s, &d)));
    let up = script(&project, &project.plan(Command::Upgrade, "heads"));
    let down = down_script(&project, &project.plan(Command::Downgrade, "heads:base"));
    for engine in sq::engines() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("app.db");
        run_ok(engine, &db, &up, "shop upgrade");
        let at_head = schema(&db);
        if let Some(down) = &down {
            run_ok(engine, &db, down, "shop downgrade");
            run_ok(engine, &db, &up, "shop upgrade again");
            assert_eq!(schema(&db), at_head);
        }
    }
}
