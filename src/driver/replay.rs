//! Replaying the history over the schema model and lowering the plan's steps.
//!
//! One forward pass in topological order builds the schema the database has when
//! the script starts (every revision applied at the plan's start), computing on
//! the way the derived downgrade of each revision the plan will downgrade (it
//! needs the schema just before that revision). Then each step is lowered op by
//! op against the model, which is updated after every op.

use super::{fail, Project};
use crate::cli::{CommandResult, Success};
use crate::diagnostic::Diagnostic;
use crate::dialect::{Backend, Statement};
use crate::ir::{Dialect, Op, Revision};
use crate::model::{Limits, Schema};
use crate::plan::{Direction, Plan};
use crate::source::SourceMap;
use indexmap::IndexMap;
use std::collections::{HashMap, HashSet};

pub fn backend_for(config: &crate::config::Config) -> Box<dyn Backend> {
    match config.dialect {
        Dialect::Postgresql => Box::new(crate::dialect::postgres::Postgres),
        Dialect::Sqlite => Box::new(crate::dialect::sqlite::Sqlite {
            min_version: config.sqlite_min_version,
        }),
    }
}

pub fn compile_script(project: Project, plan: &Plan, req: &super::MigrateRequest) -> CommandResult {
    let backend = backend_for(&project.loaded.config);
    let limits = Limits {
        max_identifier_len: backend.max_identifier_len(),
    };
    let revisions = match parse_and_bind(&project) {
        Ok(r) => r,
        Err(d) => return Err(fail(project.loaded, d)),
    };
    let steps = match lower_plan(&project, plan, &revisions, backend.as_ref(), &limits) {
        Ok(s) => s,
        Err(d) => return Err(fail(project.loaded, d)),
    };
    let script = super::assemble::script(&project, plan, &revisions, steps, backend.as_ref(), req);
    match script {
        Ok(stdout) => Ok(Success {
            stdout,
            stderr: String::new(),
        }),
        Err(d) => Err(fail(project.loaded, d)),
    }
}

/// Parse every revision file (on all cores) and bind its template variables.
fn parse_and_bind(project: &Project) -> Result<IndexMap<String, Revision>, Vec<Diagnostic>> {
    let sources = &project.loaded.sources;
    let vars = &project.loaded.config.vars;
    let format_sql = project.loaded.config.format_sql;
    let results = crate::parallel::map_in_order(
        &project.files,
        |&id| parse_one(sources, id, vars, format_sql),
        |_| Err(vec![Diagnostic::internal("a parser thread panicked")]),
    );
    let mut out = IndexMap::with_capacity(project.files.len());
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(rev) => {
                out.insert(rev.header.id.value.clone(), rev);
            }
            Err(d) => errors.extend(d),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn parse_one(
    sources: &SourceMap,
    id: crate::source::SourceId,
    vars: &IndexMap<String, String>,
    format_sql: bool,
) -> Result<Revision, Vec<Diagnostic>> {
    let rev = crate::syntax::parse_revision(sources, id)?;
    let mut rev = crate::template::bind_revision(&rev, vars)?;
    if format_sql {
        super::format::format_raw_sql(&mut rev);
    }
    Ok(rev)
}

fn lower_plan(
    project: &Project,
    plan: &Plan,
    revisions: &IndexMap<String, Revision>,
    backend: &dyn Backend,
    limits: &Limits,
) -> Result<Vec<Vec<Statement>>, Vec<Diagnostic>> {
    let graph = &project.graph;
    let get = |id: &str| {
        revisions.get(id).ok_or_else(|| {
            vec![Diagnostic::internal(format!(
                "revision {id} was not parsed"
            ))]
        })
    };
    let applied: HashSet<&str> = plan.start.iter().flat_map(|h| graph.ancestors(h)).collect();
    let downgraded: HashSet<&str> = plan
        .steps
        .iter()
        .filter(|s| s.direction == Direction::Down)
        .map(|s| s.revision.as_str())
        .collect();
    let mut schema = Schema::default();
    let mut derived: HashMap<&str, Vec<Op>> = HashMap::new();
    for id in graph
        .topological_order()
        .into_iter()
        .filter(|id| applied.contains(id))
    {
        let rev = get(id)?;
        let ops = &rev.upgrade;
        if downgraded.contains(id) && rev.downgrade.is_none() {
            // Applies the ops while deriving their inverses: no second pass, no copy.
            let inverse = crate::reverse::apply_and_derive(&mut schema, ops, limits)?;
            end_revision(&mut schema, Vec::new())?;
            derived.insert(id, inverse);
        } else {
            apply_all(&mut schema, ops, limits)?;
        }
    }
    if plan.command == crate::plan::Command::Stamp {
        return Ok(Vec::new());
    }
    let mut lowered = Vec::with_capacity(plan.steps.len());
    for step in &plan.steps {
        let rev = get(&step.revision)?;
        let ops = match step.direction {
            Direction::Up => rev.upgrade.clone(),
            Direction::Down => match &rev.downgrade {
                Some(ops) => ops.clone(),
                None => derived.remove(step.revision.as_str()).unwrap_or_default(),
            },
        };
        let statements = lower_ops(backend.prepare(ops), &mut schema, backend, limits)?;
        lowered.push(statements);
    }
    Ok(lowered)
}

fn apply_all(schema: &mut Schema, ops: &[Op], limits: &Limits) -> Result<(), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    for op in ops {
        if let Err(d) = schema.apply(op, limits) {
            errors.extend(d);
        }
    }
    end_revision(schema, errors)
}

fn lower_ops(
    ops: Vec<Op>,
    schema: &mut Schema,
    backend: &dyn Backend,
    limits: &Limits,
) -> Result<Vec<Statement>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for op in &ops {
        let lowered = backend.lower_op(op, schema);
        // The model's errors say more about the input than the backend's, and
        // both often see the same problem: report the model's when it has any.
        match (lowered, schema.apply(op, limits)) {
            (_, Err(d)) | (Err(d), Ok(())) => errors.extend(d),
            (Ok(stmts), Ok(())) => out.extend(stmts),
        }
    }
    end_revision(schema, errors).map(|()| out)
}

/// `use_alter` foreign keys may name a table created later in the same revision;
/// the model reports those whose table never came.
fn end_revision(schema: &mut Schema, mut errors: Vec<Diagnostic>) -> Result<(), Vec<Diagnostic>> {
    if let Err(d) = schema.end_revision() {
        errors.extend(d);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}
