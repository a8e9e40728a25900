//! A small driver for tests: load a fixture project, plan, replay the schema
//! model, lower with the SQLite backend and assemble the script, the way the
//! real driver does (parse → bind → graph → plan → model → lower → assemble).

use indexmap::IndexMap;
use migc::diagnostic::{render, Color, Diagnostic};
use migc::dialect::sqlite::Sqlite;
use migc::dialect::{Backend, Statement};
use migc::graph::RevisionGraph;
use migc::ir::{Dialect, Op, Revision};
use migc::model::{Limits, Schema};
use migc::plan::{Command, Direction, Plan};
use migc::script::{assemble, RevisionInfo, ScriptInput, ScriptOptions};
use migc::source::SourceMap;
use std::path::Path;

pub struct Project {
    pub sources: SourceMap,
    pub revisions: IndexMap<String, Revision>,
    pub graph: RevisionGraph,
    infos: IndexMap<String, RevisionInfo>,
}

fn limits() -> Limits {
    Limits::for_dialect(Dialect::Sqlite)
}

/// Diagnostics rendered as the user sees them.
pub fn rendered(sources: &SourceMap, diags: &[Diagnostic]) -> String {
    render(diags, sources, Color::Never)
}

/// `VARS` in the fixture folder: `key=value` lines.
fn vars(dir: &Path) -> IndexMap<String, String> {
    let text = std::fs::read_to_string(dir.join("VARS")).unwrap_or_default();
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

impl Project {
    /// Parse, bind and graph every `.mig` file of `dir` (in name order).
    pub fn load(dir: &Path) -> Result<Project, (SourceMap, Vec<Diagnostic>)> {
        Self::load_with(dir, vars(dir))
    }

    /// As [`Project::load`], with these template variables.
    pub fn load_with(
        dir: &Path,
        vars: IndexMap<String, String>,
    ) -> Result<Project, (SourceMap, Vec<Diagnostic>)> {
        let mut sources = SourceMap::new();
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "mig"))
            .collect();
        files.sort();
        let ids: Vec<_> = files
            .iter()
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().to_string();
                sources.add(name, std::fs::read_to_string(p).unwrap())
            })
            .collect();
        let mut revisions = IndexMap::new();
        let mut diags = Vec::new();
        for id in ids {
            match migc::syntax::parse_revision(&sources, id)
                .and_then(|r| migc::template::bind_revision(&r, &vars))
            {
                Ok(r) => {
                    revisions.insert(r.header.id.value.clone(), r);
                }
                Err(d) => diags.extend(d),
            }
        }
        if !diags.is_empty() {
            return Err((sources, diags));
        }
        let headers = revisions.values().map(|r| r.header.clone()).collect();
        let graph = match RevisionGraph::build(headers) {
            Ok(g) => g,
            Err(d) => return Err((sources, d)),
        };
        let infos = revisions
            .iter()
            .map(|(id, r)| {
                let info = RevisionInfo {
                    message: r.header.message.clone(),
                    parents: r.header.parents.iter().map(|p| p.value.clone()).collect(),
                };
                (id.clone(), info)
            })
            .collect();
        Ok(Project {
            sources,
            revisions,
            graph,
            infos,
        })
    }

    pub fn plan(&self, command: Command, spec: &str) -> Plan {
        self.graph
            .plan(command, spec)
            .unwrap_or_else(|d| panic!("{d:?}"))
    }

    /// Revisions in topological order.
    pub fn order(&self) -> Vec<String> {
        self.graph
            .topological_order()
            .into_iter()
            .map(String::from)
            .collect()
    }

    /// The model with every revision applied that `rows` need.
    fn model_at(&self, rows: &[String]) -> Result<Schema, Vec<Diagnostic>> {
        let mut need: Vec<String> = Vec::new();
        for r in rows {
            need.extend(self.graph.ancestors(r).into_iter().map(String::from));
        }
        let mut model = Schema::default();
        for id in self.order().into_iter().filter(|i| need.contains(i)) {
            for op in &self.revisions[&id].upgrade {
                model.apply(op, &limits())?;
            }
        }
        Ok(model)
    }

    /// The operations of one step: the upgrade, or the written or derived downgrade.
    fn ops(
        &self,
        revision: &str,
        direction: Direction,
        model: &Schema,
    ) -> Result<Vec<Op>, Vec<Diagnostic>> {
        let rev = &self.revisions[revision];
        match (direction, &rev.downgrade) {
            (Direction::Up, _) => Ok(rev.upgrade.clone()),
            (Direction::Down, Some(ops)) => Ok(ops.clone()),
            (Direction::Down, None) => {
                // Derived from the model just before the revision was applied.
                let parents: Vec<String> = self
                    .graph
                    .parents(revision)
                    .into_iter()
                    .map(String::from)
                    .collect();
                let deps = rev.header.depends_on.iter().map(|d| d.value.clone());
                let before = self.model_at(&parents.into_iter().chain(deps).collect::<Vec<_>>())?;
                let _ = model;
                migc::reverse::derive_downgrade(&rev.upgrade, &before, &limits())
            }
        }
    }

    /// The SQLite script for a plan.
    pub fn script(&self, backend: &Sqlite, plan: &Plan) -> Result<String, Vec<Diagnostic>> {
        let mut model = self.model_at(&plan.start)?;
        let mut statements = Vec::new();
        for step in &plan.steps {
            let ops = backend.prepare(self.ops(&step.revision, step.direction, &model)?);
            let mut stmts: Vec<Statement> = Vec::new();
            for op in &ops {
                stmts.extend(backend.lower_op(op, &model)?);
                model.apply(op, &limits())?;
            }
            statements.push(stmts);
        }
        let options = ScriptOptions {
            project_name: "fixture".into(),
            ..Default::default()
        };
        let input = ScriptInput {
            plan,
            statements,
            revisions: &self.infos,
            options: &options,
        };
        assemble(backend, &input)
    }
}
