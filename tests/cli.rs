//! The `compile` command as a user runs it: exit codes, stdout/stderr, and the
//! authoring loop `init` → `revision` ×3 → a branch → `merge` → `history`/`heads`.

use std::path::Path;
use std::process::{Command, Output};

fn compile(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_compile"))
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env("NO_COLOR", "1")
        .output()
        .expect("the compile binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let o = compile(dir.path(), &["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
}

#[test]
fn help_shows_an_example_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    for cmd in [
        "init",
        "revision",
        "merge",
        "upgrade",
        "downgrade",
        "stamp",
        "history",
        "heads",
        "branches",
        "show",
    ] {
        let o = compile(dir.path(), &[cmd, "--help"]);
        assert_eq!(o.status.code(), Some(0), "{cmd} --help");
        assert!(
            stdout(&o).contains("Example"),
            "{cmd} --help has an example"
        );
    }
}

#[test]
fn missing_config_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    let o = compile(dir.path(), &["heads"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert!(stderr(&o).contains("error[E0401]"), "{}", stderr(&o));
    assert!(stderr(&o).contains("compile init"));
}

#[test]
fn malformed_x_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    let o = compile(dir.path(), &["-x", "novalue", "heads"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("E0412"), "{}", stderr(&o));
}

fn new_revision(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["revision"];
    all.extend_from_slice(args);
    let o = compile(dir, &all);
    assert_eq!(
        o.status.code(),
        Some(0),
        "revision {args:?}: {}",
        stderr(&o)
    );
    let path = stdout(&o).trim().to_string();
    assert!(
        dir.join(&path).exists() || Path::new(&path).exists(),
        "{path}"
    );
    path
}

#[test]
fn init_revisions_branch_merge_history_heads() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_eq!(compile(d, &["init", "."]).status.code(), Some(0));
    assert_eq!(
        compile(d, &["init", "."]).status.code(),
        Some(1),
        "init never overwrites"
    );

    new_revision(d, &["-m", "create users", "--rev-id", "aaaaaaaaaaaa"]);
    new_revision(d, &["-m", "add role", "--rev-id", "bbbbbbbbbbbb"]);
    new_revision(d, &["-m", "add slug", "--rev-id", "cccccccccccc"]);
    // A branch from the second revision.
    new_revision(
        d,
        &[
            "-m",
            "reporting",
            "--head",
            "bbbbbbbbbbbb",
            "--splice",
            "--branch-label",
            "reporting",
            "--rev-id",
            "dddddddddddd",
        ],
    );

    let heads = compile(d, &["heads"]);
    assert_eq!(heads.status.code(), Some(0), "{}", stderr(&heads));
    let text = stdout(&heads);
    assert!(
        text.contains("cccccccccccc") && text.contains("dddddddddddd"),
        "{text}"
    );

    // Two heads: a plain `revision` must refuse and name the way out.
    let o = compile(d, &["revision", "-m", "ambiguous"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("merge"), "{}", stderr(&o));

    let o = compile(
        d,
        &[
            "merge",
            "-m",
            "merge heads",
            "heads",
            "--rev-id",
            "eeeeeeeeeeee",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    let heads = stdout(&compile(d, &["heads"]));
    assert!(
        heads.contains("eeeeeeeeeeee") && !heads.contains("cccccccccccc"),
        "{heads}"
    );

    let history = compile(d, &["history"]);
    assert_eq!(history.status.code(), Some(0));
    let history = stdout(&history);
    let first = history.lines().next().unwrap_or_default();
    assert!(first.contains("eeeeeeeeeeee"), "newest first: {history}");
    assert_eq!(history.lines().count(), 5, "{history}");

    // The new files compile to a plan.
    let o = compile(d, &["upgrade", "head"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("--sql"));
}
