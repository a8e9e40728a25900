//! The benchmark's synthetic histories (`examples/gen_history`) are what the
//! benchmark claims: deterministic, and valid — every revision compiles, and the
//! whole script runs on real PostgreSQL and SQLite, rows and all.

#[path = "../examples/gen_history/gen/mod.rs"]
#[allow(dead_code)]
mod gen;
mod support;

use std::path::Path;
use support::pg::PgDb;
use support::sqlite as lite;

fn write_project(dir: &Path, revisions: usize, chain: bool) -> gen::Stats {
    let versions = dir.join("versions");
    std::fs::create_dir_all(&versions).expect("create versions");
    for dialect in ["postgresql", "sqlite"] {
        let config =
            format!("project = \"bench\"\ndialect = \"{dialect}\"\nversions = \"versions\"\n");
        std::fs::write(dir.join(format!("{dialect}.toml")), config).expect("write config");
    }
    let params = gen::Params {
        revisions,
        chain,
        seed: 42,
    };
    gen::generate(&params, |f| std::fs::write(versions.join(&f.name), f.text))
        .expect("write revisions")
}

fn compile(dir: &Path, dialect: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_compile"))
        .arg("-c")
        .arg(dir.join(format!("{dialect}.toml")))
        .args(args)
        .args(["--color", "never"])
        .output()
        .expect("run compile");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "compile {args:?} failed:\n{stderr}");
    String::from_utf8(out.stdout).expect("the script is UTF-8")
}

fn texts(p: &gen::Params) -> Vec<(String, String)> {
    let mut v = Vec::new();
    let done = gen::generate(p, |f| {
        v.push((f.name, f.text));
        Ok::<(), ()>(())
    });
    assert!(done.is_ok());
    v
}

#[test]
fn same_parameters_same_files() {
    let p = gen::Params {
        revisions: 60,
        chain: false,
        seed: 7,
    };
    assert_eq!(texts(&p), texts(&p));
    assert_ne!(
        texts(&p),
        texts(&gen::Params {
            seed: 8,
            ..p.clone()
        })
    );
}

#[test]
fn mix_has_branches_merges_and_about_seven_operations_per_revision() {
    let dir = tempfile::tempdir().expect("tempdir");
    let stats = write_project(dir.path(), 300, false);
    assert_eq!(stats.revisions, 300);
    assert_eq!(stats.merges, 33);
    let per_revision = stats.operations as f64 / stats.revisions as f64;
    assert!(
        (6.0..8.0).contains(&per_revision),
        "{per_revision} operations per revision"
    );
    let heads = compile(dir.path(), "postgresql", &["heads"]);
    assert_eq!(heads.lines().count(), 1, "one head: {heads}");
    let chain = tempfile::tempdir().expect("tempdir");
    assert_eq!(write_project(chain.path(), 50, true).merges, 0);
}

#[test]
fn sqlite_script_runs_on_real_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_project(dir.path(), 150, false);
    let script = compile(dir.path(), "sqlite", &["upgrade", "head", "--sql"]);
    for engine in lite::engines() {
        let db = dir.path().join(format!("{engine:?}.db"));
        lite::run(engine, &db, &script).unwrap_or_else(|e| panic!("{engine:?}: {e}"));
        lite::assert_healthy(&db);
    }
}

#[test]
fn postgres_script_runs_on_real_postgres() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_project(dir.path(), 150, false);
    let script = compile(dir.path(), "postgresql", &["upgrade", "head", "--sql"]);
    let db = PgDb::new();
    let run = db.run_script(&script);
    assert!(run.success, "{}", run.stderr);
    assert_eq!(db.versions().len(), 1);
}
