//! The parse and bind stages against fixture files.
//!
//! - `fixtures/err/*.mig`: each must fail to parse; the rendered diagnostics are
//!   snapshotted to `snapshots/syntax__err__<name>.snap`.
//! - `fixtures/ok/**/*.mig`: each must parse (and bind, with the variables of
//!   the folder's `VARS` file if it has one), and its header must read the same
//!   through the fast header-only path.

use indexmap::IndexMap;
use migc::diagnostic::{render, Color};
use migc::source::SourceMap;
use migc::syntax::{parse_header, parse_revision};
use migc::template::bind_revision;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

#[test]
fn err_fixtures() {
    insta::glob!("fixtures/err/*.mig", |path| {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("?")
            .to_string();
        let text = std::fs::read_to_string(path).expect("fixture is UTF-8");
        let mut sources = SourceMap::new();
        let id = sources.add(format!("err/{name}.mig"), text);
        let out = match parse_revision(&sources, id) {
            Ok(rev) => match bind_revision(&rev, &IndexMap::new()) {
                Ok(_) => panic!("err/{name}.mig parsed and bound without an error"),
                Err(diags) => render(&diags, &sources, Color::Never),
            },
            Err(diags) => render(&diags, &sources, Color::Never),
        };
        insta::with_settings!({
            snapshot_path => "../snapshots",
            prepend_module_to_snapshot => false,
            snapshot_suffix => "",
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("syntax__err__{name}"), out);
        });
    });
}

/// `KEY=VALUE` lines of a fixture folder's `VARS` file.
fn folder_vars(dir: &Path) -> IndexMap<String, String> {
    let text = std::fs::read_to_string(dir.join("VARS")).unwrap_or_default();
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

fn ok_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures().join("ok"))
        .expect("ok fixtures")
        .map(|e| e.expect("entry").path())
        .collect();
    dirs.sort();
    for d in dirs {
        let mut f: Vec<PathBuf> = std::fs::read_dir(&d)
            .expect("fixture folder")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "mig"))
            .collect();
        f.sort();
        files.extend(f);
    }
    files
}

#[test]
fn ok_fixtures_parse_and_bind() {
    let files = ok_files();
    assert!(
        files.len() >= 10,
        "expected the ok fixtures, found {}",
        files.len()
    );
    let mut failures = String::new();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("fixture is UTF-8");
        let mut sources = SourceMap::new();
        let id = sources.add(path.strip_prefix(fixtures()).unwrap_or(&path), text);
        let vars = folder_vars(path.parent().expect("folder"));
        let result = parse_revision(&sources, id).and_then(|rev| {
            let header = parse_header(&sources, id)?;
            assert_eq!(
                header,
                rev.header,
                "{}: header-only parse differs",
                path.display()
            );
            bind_revision(&rev, &vars)
        });
        if let Err(diags) = result {
            failures.push_str(&render(&diags, &sources, Color::Never));
        }
    }
    assert!(failures.is_empty(), "ok fixtures failed:\n{failures}");
}
