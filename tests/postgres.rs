//! End to end on PostgreSQL: every `tests/fixtures/ok/*` project compiled by the
//! `compile` binary (exactly as a user runs it), the script snapshotted to
//! `snapshots/postgres__<fixture>.snap`, and run on a real server: upgrade to the
//! heads then downgrade to base must give back the empty schema; upgrading again
//! must give the same schema; each revision upgraded, downgraded and upgraded
//! again must leave the same schema; bulk-inserted data reads back exactly.

mod support;

use std::path::{Path, PathBuf};
use support::compile::{fixture_vars, graph};
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
        Project::with_settings(fixture, "")
    }

    /// A project whose config also holds the top-level `settings` lines.
    fn with_settings(fixture: &Path, settings: &str) -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = format!(
            "project = {}\ndialect = \"postgresql\"\nversions = {}\n{settings}\n[vars]\n",
            toml_string(&name(fixture)),
            toml_string(&fixture.display().to_string()),
        );
        for (k, v) in fixture_vars(fixture) {
            config.push_str(&format!("{k} = {}\n", toml_string(&v)));
        }
        std::fs::write(dir.path().join("migrations.toml"), config).expect("write config");
        Project { dir }
    }

    /// Run `compile -c <config> ARGS`: the script, or the rendered diagnostics.
    fn try_compile(&self, args: &[&str]) -> Result<String, String> {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_compile"))
            .arg("-c")
            .arg(self.dir.path().join("migrations.toml"))
            .args(args)
            .args(["--color", "never"])
            .output()
            .expect("run compile");
        if out.status.success() {
            Ok(String::from_utf8(out.stdout).expect("the script is UTF-8"))
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }

    fn compile(&self, args: &[&str]) -> String {
        self.try_compile(args)
            .unwrap_or_else(|e| panic!("compile {args:?} failed:\n{e}"))
    }

    /// A downgrade script. Every fixture is reversible: a downgrade the compiler
    /// cannot derive is written in the fixture, so any refusal fails the test.
    fn downgrade(&self, range: &str) -> String {
        self.compile(&["downgrade", range, "--sql"])
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
        let down = p.downgrade("heads:base");
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

/// Each revision with at most one parent: up to it from base, down to its
/// parent, which must give the schema a fresh upgrade to the parent gives, then
/// up again, which must give the schema of the first up. A merge revision is
/// downgraded to its parents (all of them become heads again); upgrading from
/// several heads has no `FROM:TO` form, so a merge's up again is covered by the
/// whole-project test (down to base, up to the heads).
#[test]
fn every_revision_upgrades_downgrades_and_upgrades_again() {
    for fixture in fixtures() {
        let p = Project::new(&fixture);
        let g = graph(&fixture);
        for rev in g.topological_order() {
            let parents = g.parents(rev);
            let what = format!("{} {rev}", name(&fixture));
            let parent = match parents.as_slice() {
                [] => "base",
                [one] => one,
                [first, ..] => {
                    merge_downgrades_to_its_parents(&p, rev, first, &parents);
                    continue;
                }
            };
            let down = p.downgrade(&format!("{rev}:{parent}"));
            let db = PgDb::new();
            run(
                &db,
                &p.compile(&["upgrade", rev, "--sql"]),
                &format!("{what}: up"),
            );
            let at_rev = db.dump_schema();
            run(&db, &down, &format!("{what}: down to {parent}"));
            let fresh = PgDb::new();
            if parent != "base" {
                run(
                    &fresh,
                    &p.compile(&["upgrade", parent, "--sql"]),
                    &format!("{what}: fresh up to {parent}"),
                );
            }
            assert_eq!(
                db.versions(),
                fresh.versions(),
                "{what}: version rows after down"
            );
            assert_eq!(
                db.dump_schema(),
                fresh.dump_schema(),
                "{what}: down differs from a fresh {parent}"
            );
            let reup = p.compile(&["upgrade", &format!("{parent}:{rev}"), "--sql"]);
            run(&db, &reup, &format!("{what}: up again"));
            assert_eq!(db.dump_schema(), at_rev, "{what}: up again differs");
        }
    }
}

/// Up to the merge `rev`, down to `first` (one of its parents): the version
/// table then holds every parent.
fn merge_downgrades_to_its_parents(p: &Project, rev: &str, first: &str, parents: &[&str]) {
    let db = PgDb::new();
    run(
        &db,
        &p.compile(&["upgrade", rev, "--sql"]),
        &format!("{rev}: up"),
    );
    let down = p.downgrade(&format!("{rev}:{first}"));
    run(&db, &down, &format!("{rev}: down to its parents"));
    let mut expected: Vec<String> = parents.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(db.versions(), expected, "{rev}: version rows after down");
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `"name"` with quotes doubled: the test's own quoting, independent of the backend's.
fn q(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A condition true when `col` holds `lit`. The expected value reaches the server
/// as hex, decoded there: the check does not go through the literal binder.
fn holds(col: &str, lit: &migc::ir::Literal) -> String {
    use migc::ir::Literal as L;
    let text = |s: &str, ty: &str| {
        format!(
            "{col} = convert_from(decode('{}', 'hex'), 'UTF8')::{ty}",
            hex(s.as_bytes())
        )
    };
    match lit {
        L::Null => format!("{col} IS NULL"),
        L::Bool(b) => format!("{col} IS {}", if *b { "TRUE" } else { "FALSE" }),
        L::Integer(s) | L::Decimal(s) => text(s, "numeric"),
        L::String(s) => format!(
            "encode(convert_to({col}::text, 'UTF8'), 'hex') = '{}'",
            hex(s.as_bytes())
        ),
        L::Date(s) => text(s, "date"),
        L::Time(s) => text(s, "time"),
        L::Timestamp(s) => text(s, "timestamp"),
        L::TimestampTz(s) => text(s, "timestamptz"),
        L::Interval(s) => text(s, "interval"),
        L::Uuid(s) => text(s, "uuid"),
        L::Json(s) => format!(
            "{col}::jsonb = convert_from(decode('{}', 'hex'), 'UTF8')::jsonb",
            hex(s.as_bytes())
        ),
        L::Binary(b) => format!("encode({col}, 'hex') = '{}'", hex(b)),
    }
}

/// After upgrading to each revision that bulk-inserts rows, every row is in its
/// table exactly as written (compared on the server, column by column).
#[test]
fn bulk_inserted_rows_read_back_exactly() {
    let mut checked = 0;
    for fixture in fixtures() {
        let p = Project::new(&fixture);
        let mut sources = migc::source::SourceMap::new();
        let vars: indexmap::IndexMap<String, String> = fixture_vars(&fixture).into_iter().collect();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&fixture)
            .expect("fixture")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "mig"))
            .collect();
        files.sort();
        for f in files {
            let id = sources.add(&f, std::fs::read_to_string(&f).expect("text"));
            let rev = migc::syntax::parse_revision(&sources, id).expect("parses");
            let rev = migc::template::bind_revision(&rev, &vars).expect("binds");
            let inserts: Vec<_> = rev
                .upgrade
                .iter()
                .filter_map(|op| match &op.kind {
                    migc::ir::OpKind::BulkInsert {
                        table,
                        columns,
                        rows,
                    } => Some((table, columns, rows)),
                    _ => None,
                })
                .collect();
            if inserts.is_empty() {
                continue;
            }
            let db = PgDb::new();
            let rev_id = rev.header.id.value.as_str();
            run(
                &db,
                &p.compile(&["upgrade", rev_id, "--sql"]),
                &format!("upgrade {rev_id}"),
            );
            for (table, columns, rows) in inserts {
                let t = match &table.schema {
                    Some(s) => format!("{}.{}", q(&s.value), q(&table.name.value)),
                    None => q(&table.name.value),
                };
                if db.value(&format!(
                    "SELECT to_regclass('{}') IS NULL",
                    t.replace('\'', "''")
                )) == "t"
                {
                    continue; // dropped later in the same revision
                }
                for row in rows {
                    let cond: Vec<String> = columns
                        .iter()
                        .zip(row)
                        .map(|(c, l)| holds(&q(&c.value), l))
                        .collect();
                    let n = db.value(&format!(
                        "SELECT count(*) FROM {t} WHERE {}",
                        cond.join(" AND ")
                    ));
                    assert_ne!(n, "0", "{}: row {row:?} of {t} not found", name(&fixture));
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 15, "only {checked} rows checked");
}

/// One transaction per revision, and the session settings: the same schema as
/// one transaction for everything.
#[test]
fn every_fixture_upgrades_with_a_transaction_per_revision() {
    let settings =
        "transaction_per_migration = true\nlock_timeout = \"5s\"\nstatement_timeout = \"1min\"\n";
    for fixture in fixtures() {
        let what = name(&fixture);
        let single = PgDb::new();
        run(
            &single,
            &Project::new(&fixture).compile(&["upgrade", "heads", "--sql"]),
            &what,
        );
        let per = PgDb::new();
        let script =
            Project::with_settings(&fixture, settings).compile(&["upgrade", "heads", "--sql"]);
        assert!(script.contains("SET statement_timeout = '1min';"), "{what}");
        assert!(script.contains("Transactions: one per revision"), "{what}");
        run(&per, &script, &format!("{what}: transaction per revision"));
        assert_eq!(per.dump_schema(), single.dump_schema(), "{what}");
        assert_eq!(per.versions(), single.versions(), "{what}");
    }
}
