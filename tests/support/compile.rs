//! Compiling a project the way a user does, in-process: a temporary
//! `migrations.toml` naming a fixture's versions folder (or a project's own
//! config), run through `migc::cli::run`. The revision graph, for tests that walk
//! revisions, is read with the library.
#![allow(dead_code)]

use migc::graph::RevisionGraph;
use migc::ir::Revision;
use migc::source::SourceMap;
use std::path::{Path, PathBuf};

/// A project to compile: its config file (in a temporary folder when made here).
pub struct Project {
    config: PathBuf,
    _dir: Option<tempfile::TempDir>,
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `VARS` in the fixture folder: `key=value` lines.
pub fn fixture_vars(dir: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(dir.join("VARS")).unwrap_or_default();
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

impl Project {
    /// A project named `fixture` for the versions folder `versions` (with the
    /// folder's `VARS`), compiled for `dialect`.
    pub fn fixture(versions: &Path, dialect: &str) -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        let versions = std::fs::canonicalize(versions).expect("versions folder");
        let mut config = format!(
            "project = \"fixture\"\ndialect = {}\nversions = {}\n[vars]\n",
            toml_string(dialect),
            toml_string(&versions.display().to_string()),
        );
        for (k, v) in fixture_vars(&versions) {
            config.push_str(&format!("{k} = {}\n", toml_string(&v)));
        }
        let path = dir.path().join("migrations.toml");
        std::fs::write(&path, config).expect("write config");
        Project {
            config: path,
            _dir: Some(dir),
        }
    }

    /// A project with a config file of its own.
    pub fn config(path: &Path) -> Project {
        Project {
            config: path.to_path_buf(),
            _dir: None,
        }
    }

    /// `compile -c <config> ARGS --color never`: stdout, or the rendered
    /// diagnostics (paths in the repository shown relative to it).
    pub fn try_compile(&self, args: &[&str]) -> Result<String, String> {
        let env = migc::cli::Env {
            var: &|_| None,
            stderr_is_terminal: false,
        };
        let config = self.config.display().to_string();
        let argv = ["compile", "-c", config.as_str()]
            .into_iter()
            .chain(args.iter().copied())
            .chain(["--color", "never"]);
        let out = migc::cli::run(argv, &env);
        if out.code == 0 {
            Ok(out.stdout)
        } else {
            let root = std::fs::canonicalize(env!("CARGO_MANIFEST_DIR")).expect("repository");
            Err(out.stderr.replace(&format!("{}/", root.display()), ""))
        }
    }

    pub fn compile(&self, args: &[&str]) -> String {
        self.try_compile(args)
            .unwrap_or_else(|e| panic!("compile {args:?} failed:\n{e}"))
    }

    /// The script of `compile upgrade SPEC --sql`.
    pub fn upgrade(&self, spec: &str) -> String {
        self.compile(&["upgrade", spec, "--sql"])
    }

    /// The script of `compile downgrade SPEC --sql`.
    pub fn downgrade(&self, spec: &str) -> String {
        self.compile(&["downgrade", spec, "--sql"])
    }
}

/// The `.mig` files of a folder, parsed (not bound), in file-name order.
pub fn revisions(dir: &Path) -> Vec<Revision> {
    let mut sources = SourceMap::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("versions folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "mig"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| {
            let id = sources.add(f, std::fs::read_to_string(f).expect("revision text"));
            migc::syntax::parse_revision(&sources, id).expect("revision parses")
        })
        .collect()
}

/// The revision graph of a folder (ids, order, parents).
pub fn graph(dir: &Path) -> RevisionGraph {
    let headers = revisions(dir).into_iter().map(|r| r.header).collect();
    RevisionGraph::build(headers).expect("revision graph")
}
