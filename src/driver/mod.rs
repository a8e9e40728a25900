//! The driver: runs the pipeline stages for one command.
//!
//! read (project) → parse (syntax) → bind (template) → graph → plan →
//! replay + lower (model, reverse, dialect) → assemble (script).
//!
//! Every stage collects all the errors it can; the driver stops between stages
//! when one reported an error, so later stages never see broken input.

mod assemble;
mod format;
mod plan_text;
mod replay;

use crate::cli::{CommandResult, Failure, Loaded, Success};
use crate::diagnostic::Diagnostic;
use crate::graph::RevisionGraph;
use crate::ir::RevisionHeader;
use crate::plan::Command;
use crate::project;
use crate::source::SourceId;

/// What `upgrade`, `downgrade` and `stamp` were asked.
#[derive(Debug, Clone)]
pub struct MigrateRequest {
    pub target: String,
    pub sql: bool,
    pub transaction_per_migration: bool,
}

/// A project read and its graph built.
pub struct Project {
    pub loaded: Loaded,
    pub graph: RevisionGraph,
    /// The source of each revision file, in file order (same order as the graph's input).
    pub files: Vec<SourceId>,
}

fn fail(mut loaded: Loaded, diagnostics: Vec<Diagnostic>) -> Failure {
    Failure {
        diagnostics,
        sources: std::mem::take(&mut loaded.sources),
    }
}

/// Read every revision header and build the graph. An empty project is an error.
pub fn load_graph(loaded: Loaded) -> Result<Project, Failure> {
    let project = load_project(loaded)?;
    if project.graph.is_empty() {
        let d = project::empty_project(&project.loaded.config);
        return Err(fail(project.loaded, vec![d]));
    }
    Ok(project)
}

/// As [`load_graph`], but a project without revisions is fine (`revision` starts one).
pub fn load_graph_allow_empty(loaded: Loaded) -> Result<(RevisionGraph, Loaded), Failure> {
    let p = load_project(loaded)?;
    Ok((p.graph, p.loaded))
}

fn load_project(mut loaded: Loaded) -> Result<Project, Failure> {
    let files = match project::read_revision_files(&loaded.config, &mut loaded.sources) {
        Ok(f) => f.ids,
        Err(d) => return Err(fail(loaded, d)),
    };
    let mut errors = Vec::new();
    let mut entries: Vec<(RevisionHeader, Option<std::path::PathBuf>)> = Vec::new();
    let headers = crate::parallel::map_in_order(
        &files,
        |&id| crate::syntax::parse_header(&loaded.sources, id),
        |_| {
            Err(vec![Diagnostic::internal(
                "a header parser thread panicked",
            )])
        },
    );
    for (&id, header) in files.iter().zip(headers) {
        match header {
            Ok(h) => entries.push((h, Some(loaded.sources.get(id).path.clone()))),
            Err(d) => errors.extend(d),
        }
    }
    if !errors.is_empty() {
        return Err(fail(loaded, errors));
    }
    match RevisionGraph::build_with_paths(entries) {
        Ok(graph) => Ok(Project {
            loaded,
            graph,
            files,
        }),
        Err(d) => Err(fail(loaded, d)),
    }
}

fn text_or_fail(project: Project, r: Result<String, Diagnostic>) -> CommandResult {
    match r {
        Ok(stdout) => Ok(Success {
            stdout,
            stderr: String::new(),
        }),
        Err(d) => Err(fail(project.loaded, vec![d])),
    }
}

pub fn history(loaded: Loaded, range: Option<&str>, verbose: bool) -> CommandResult {
    let project = load_project(loaded)?;
    let r = project.graph.history(range, verbose);
    text_or_fail(project, r)
}

pub fn heads(loaded: Loaded, verbose: bool) -> CommandResult {
    let project = load_project(loaded)?;
    let r = Ok(project.graph.heads_text(verbose));
    text_or_fail(project, r)
}

pub fn branches(loaded: Loaded, verbose: bool) -> CommandResult {
    let project = load_project(loaded)?;
    let r = Ok(project.graph.branches_text(verbose));
    text_or_fail(project, r)
}

pub fn show(loaded: Loaded, rev: &str) -> CommandResult {
    let project = load_graph(loaded)?;
    let r = project.graph.show(rev);
    text_or_fail(project, r)
}

/// `upgrade`, `downgrade`, `stamp`: the plan, and with `--sql` the script.
pub fn migrate(loaded: Loaded, command: Command, req: MigrateRequest) -> CommandResult {
    let project = load_graph(loaded)?;
    let plan = match project.graph.plan(command, &req.target) {
        Ok(p) => p,
        Err(d) => return Err(fail(project.loaded, vec![d])),
    };
    if !req.sql {
        return Ok(Success {
            stdout: plan_text::render(&plan, &project.graph),
            stderr:
                "note: offline is the only mode: this is the plan; add --sql for the SQL script\n"
                    .to_string(),
        });
    }
    replay::compile_script(project, &plan, &req)
}
