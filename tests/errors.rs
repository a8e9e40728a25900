//! Bad input through the whole `compile` command: every case in
//! `tests/fixtures/project_err/<case>/` (a project plus an `ARGS` file with the
//! command line) must exit 1 with nothing on stdout, and its rendered diagnostics
//! are snapshotted to `snapshots/errors__<case>.snap`. Paths in the diagnostics are
//! relative to the project, so the snapshots do not depend on the machine.

use std::path::{Path, PathBuf};

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/project_err");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .expect("tests/fixtures/project_err")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn every_error_case_exits_1_with_a_pointed_diagnostic() {
    let cases = cases();
    assert!(cases.len() >= 20, "expected the error cases");
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let args = std::fs::read_to_string(case.join("ARGS")).expect("ARGS");
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_compile"))
            .current_dir(&case)
            .args(["-c", "migrations.toml", "--color", "never"])
            .args(args.split_whitespace())
            .env_remove("DATABASE_URL")
            .output()
            .expect("run compile");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(
            out.stdout.is_empty(),
            "{name}: stdout must stay empty on failure"
        );
        assert!(stderr.starts_with("error["), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        insta::with_settings!({
            snapshot_path => "../snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("compile {} (tests/fixtures/project_err/{name})", args.trim()),
        }, {
            insta::assert_snapshot!(format!("errors__{name}"), stderr);
        });
    }
}
