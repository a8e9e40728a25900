//! The schema model and derived downgrades against parsed fixture projects.
//!
//! - `fixtures/ok/<project>/`: every revision is replayed in graph order; each must
//!   apply, its downgrade (written, or derived when left out) must apply, and a
//!   derived downgrade must give back exactly the schema before the revision. The
//!   final schema is snapshotted as `model__ok__<project>` (a compact listing).
//! - `fixtures/model_err/*.mig`: one revision each that parses but that the model
//!   refuses (or whose downgrade cannot be derived); the rendered diagnostics are
//!   snapshotted as `model__err__<name>`.

use indexmap::IndexMap;
use migc::diagnostic::{render, Color, Diagnostic};
use migc::ir::Revision;
use migc::model::{ConstraintKind, Limits, Schema};
use migc::reverse::derive_downgrade;
use migc::source::SourceMap;
use migc::syntax::parse_revision;
use migc::template::bind_revision;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const PG: Limits = Limits::POSTGRESQL;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn folder_vars(dir: &Path) -> IndexMap<String, String> {
    let text = std::fs::read_to_string(dir.join("VARS")).unwrap_or_default();
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

fn load(
    sources: &mut SourceMap,
    path: &Path,
    vars: &IndexMap<String, String>,
) -> Result<Revision, Vec<Diagnostic>> {
    let text = std::fs::read_to_string(path).expect("fixture is UTF-8");
    let id = sources.add(path.strip_prefix(fixtures()).unwrap_or(path), text);
    parse_revision(sources, id).and_then(|r| bind_revision(&r, vars))
}

/// Parents before children, ties in file-name order.
fn graph_order(mut revs: Vec<Revision>) -> Vec<Revision> {
    let mut done: Vec<String> = Vec::new();
    let mut out = Vec::new();
    while !revs.is_empty() {
        let ready = revs.iter().position(|r| {
            r.header
                .parents
                .iter()
                .chain(&r.header.depends_on)
                .all(|p| done.iter().any(|d| d.starts_with(&p.value)))
        });
        let Some(i) = ready else {
            panic!("fixture graph has a missing parent or a cycle")
        };
        let r = revs.remove(i);
        done.push(r.header.id.value.clone());
        out.push(r);
    }
    out
}

fn project(dir: &Path) -> (SourceMap, Vec<Revision>) {
    let vars = folder_vars(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("project folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "mig"))
        .collect();
    files.sort();
    let mut sources = SourceMap::new();
    let revs = files
        .iter()
        .map(|f| load(&mut sources, f, &vars).unwrap_or_else(|e| panic!("{}: {e:#?}", f.display())))
        .collect();
    (sources, graph_order(revs))
}

#[test]
fn ok_projects_replay_and_downgrade() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures().join("ok"))
        .expect("ok fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 5);
    for dir in dirs {
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_string();
        let (sources, revs) = project(&dir);
        let mut schema = Schema::default();
        for rev in &revs {
            let before = schema.clone();
            let fail = |what: &str, e: Vec<Diagnostic>| -> ! {
                panic!(
                    "{name} {} {what}:\n{}",
                    rev.header.id.value,
                    render(&e, &sources, Color::Never)
                )
            };
            // Every fixture is reversible: a downgrade that cannot be derived
            // is written in the fixture, so a refusal fails the test.
            let down = match &rev.downgrade {
                Some(d) => d.clone(),
                None => derive_downgrade(&rev.upgrade, &schema, &PG)
                    .unwrap_or_else(|e| fail("derive", e)),
            };
            for op in &rev.upgrade {
                schema.apply(op, &PG).unwrap_or_else(|e| fail("upgrade", e));
            }
            schema
                .end_revision()
                .unwrap_or_else(|e| fail("end of revision", e));
            let mut back = schema.clone();
            for op in &down {
                back.apply(op, &PG).unwrap_or_else(|e| fail("downgrade", e));
            }
            if rev.downgrade.is_none() {
                assert_eq!(
                    back, before,
                    "{name} {}: derived downgrade does not restore",
                    rev.header.id.value
                );
            }
        }
        insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!(format!("model__ok__{name}"), describe(&schema));
        });
    }
}

/// A compact listing of a schema, for review.
fn describe(s: &Schema) -> String {
    let mut out = String::new();
    for sc in &s.schemas {
        let _ = writeln!(out, "schema {sc}");
    }
    for e in s.enums.values() {
        let _ = writeln!(
            out,
            "enum {}{} ({})",
            e.schema
                .as_ref()
                .map(|s| format!("{s}."))
                .unwrap_or_default(),
            e.name,
            e.values.join(", ")
        );
    }
    for t in s.tables.values() {
        let _ = writeln!(
            out,
            "table {}{}",
            t.display_name(),
            t.comment
                .as_ref()
                .map(|c| format!("  -- {c}"))
                .unwrap_or_default()
        );
        for c in t.columns.values() {
            let mut line = format!("    {} {}", c.name, c.ty.describe());
            if !c.nullable {
                line.push_str(" not null");
            }
            if let Some(i) = c.identity {
                let _ = write!(line, " {i:?}");
            }
            if let Some(d) = &c.default {
                let _ = write!(line, " default {d:?}");
            }
            if let Some(cm) = &c.comment {
                let _ = write!(line, "  -- {cm}");
            }
            let _ = writeln!(out, "{line}");
        }
        if let Some(pk) = &t.primary_key {
            let _ = writeln!(
                out,
                "    primary key {} ({})",
                pk.name,
                pk.columns.join(", ")
            );
        }
        for c in t.constraints.values() {
            let what = match &c.kind {
                ConstraintKind::Unique { columns } => format!("unique ({})", columns.join(", ")),
                ConstraintKind::Check { expr } => format!("check {expr:?}"),
                ConstraintKind::ForeignKey {
                    columns,
                    ref_schema,
                    ref_table,
                    ref_columns,
                    on_delete,
                    ..
                } => format!(
                    "foreign key ({}) references {}{} ({}){}",
                    columns.join(", "),
                    ref_schema
                        .as_ref()
                        .map(|s| format!("{s}."))
                        .unwrap_or_default(),
                    ref_table,
                    ref_columns.join(", "),
                    on_delete
                        .map(|a| format!(" on delete {}", a.sql()))
                        .unwrap_or_default()
                ),
            };
            let _ = writeln!(out, "    constraint {} {what}", c.name);
        }
        for i in t.indexes.values() {
            let _ = writeln!(
                out,
                "    index {}{} {:?}{}",
                if i.unique { "unique " } else { "" },
                i.name,
                i.elements,
                i.where_clause
                    .as_ref()
                    .map(|w| format!(" where {w}"))
                    .unwrap_or_default()
            );
        }
    }
    out
}

#[test]
fn model_err_fixtures() {
    insta::glob!("fixtures/model_err/*.mig", |path| {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("?")
            .to_string();
        let mut sources = SourceMap::new();
        let rev = load(&mut sources, path, &IndexMap::new()).unwrap_or_else(|e| {
            panic!(
                "model_err/{name}.mig must parse:\n{}",
                render(&e, &sources, Color::Never)
            )
        });
        let mut schema = Schema::default();
        let mut errs = Vec::new();
        for op in &rev.upgrade {
            if let Err(e) = schema.apply(op, &PG) {
                errs.extend(e);
            }
        }
        if let Err(e) = schema.end_revision() {
            errs.extend(e);
        }
        if errs.is_empty() && rev.downgrade.is_none() {
            errs = derive_downgrade(&rev.upgrade, &Schema::default(), &PG)
                .err()
                .unwrap_or_default();
        }
        assert!(
            !errs.is_empty(),
            "model_err/{name}.mig compiled without an error"
        );
        insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false, snapshot_suffix => "", omit_expression => true}, {
            insta::assert_snapshot!(format!("model__err__{name}"), render(&errs, &sources, Color::Never));
        });
    });
}
