//! Replaying the history over the schema model and lowering the plan's steps,
//! streamed: revision files are parsed on worker threads in the order they are
//! needed while this thread replays and lowers the ones before, and each step's
//! statements go to the script writer and are dropped. Memory follows the schema
//! and the output, not the length of the history.
//!
//! The order: every revision applied at the plan's start (topological order)
//! builds the schema the database has when the script starts, computing on the
//! way the downgrade of each revision the plan steps down (derived when the file
//! has no `downgrade` block: it needs the schema just before that revision). Then
//! each step is lowered op by op against the model, which is updated after every
//! op. The files nothing needs come last: parsed only so that their errors are
//! reported too.

use super::{fail, MigrateRequest, Project};
use crate::cli::{CommandResult, Success};
use crate::diagnostic::Diagnostic;
use crate::dialect::{Backend, Statement};
use crate::ir::{Dialect, Op, Revision};
use crate::model::{Limits, Schema};
use crate::plan::{Command, Direction, Plan};
use crate::script::{ScriptContext, ScriptWriter};
use crate::source::{SourceId, SourceMap};
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

pub fn compile_script(project: Project, plan: &Plan, req: &MigrateRequest) -> CommandResult {
    let backend = backend_for(&project.loaded.config);
    let infos = super::assemble::revision_infos(&project.graph, plan);
    let options = super::assemble::options(&project.loaded.config, req);
    let cx = ScriptContext {
        plan,
        revisions: &infos,
        options: &options,
    };
    // Checked first, reported last: errors in the revisions say more.
    let mut writer = ScriptWriter::start(backend.as_ref(), cx);
    if let Ok(w) = writer.as_mut() {
        w.reserve(output_estimate(&project, plan));
    }
    let mut replay = Replay::new(backend.as_ref(), plan);
    let order = replay.parse_order(&project);
    let sources = &project.loaded.sources;
    let vars = &project.loaded.config.vars;
    let format_sql = project.loaded.config.format_sql;
    let backend_ref = backend.as_ref();
    crate::parallel::stream_in_order(
        &order,
        |&(id, step_up)| {
            let mut rev = parse_one(sources, id, vars, format_sql)?;
            // Regrouping needs no model: done here, on the parser threads.
            if step_up {
                rev.upgrade = backend_ref.prepare(std::mem::take(&mut rev.upgrade));
            }
            Ok(rev)
        },
        |_| Err(vec![Diagnostic::internal("a parser thread panicked")]),
        |parsed| replay.take(parsed, writer.as_mut().ok()),
    );
    replay.finish_steps(writer.as_mut().ok());
    let result = replay
        .into_result()
        .and_then(|()| writer.and_then(|w| w.finish().map_err(|d| vec![d])));
    match result {
        Ok(stdout) => Ok(Success {
            stdout,
            stderr: String::new(),
        }),
        Err(d) => Err(fail(project.loaded, d)),
    }
}

/// A generous guess of the script's size: about eight bytes per byte of the
/// revision files the plan steps through (SQLite's rebuilds write about five),
/// at most 1 GiB. Reserved, not touched, so an overestimate costs address space
/// only, while growing a long script by doubling would copy it several times.
fn output_estimate(project: &Project, plan: &Plan) -> usize {
    const MAX: usize = 1 << 30;
    let input: usize = plan
        .steps
        .iter()
        .filter_map(|s| project.graph.input_index(&s.revision))
        .map(|i| project.loaded.sources.get(project.files[i]).text.len())
        .sum();
    input.saturating_mul(8).min(MAX)
}

fn parse_one(
    sources: &SourceMap,
    id: SourceId,
    vars: &IndexMap<String, String>,
    format_sql: bool,
) -> Result<Revision, Vec<Diagnostic>> {
    let rev = crate::syntax::parse_revision(sources, id)?;
    let mut rev = crate::template::bind_owned(rev, vars)?;
    if format_sql {
        super::format::format_raw_sql(&mut rev);
    }
    Ok(rev)
}

/// The state of the stream: the schema so far, the next plan step, the errors.
struct Replay<'a> {
    backend: &'a dyn Backend,
    limits: Limits,
    plan: &'a Plan,
    schema: Schema,
    /// How many of the parsed revisions are replayed before the first step.
    applied: usize,
    /// How many parsed revisions have been taken so far.
    taken: usize,
    /// Revisions the plan steps down, to their downgrade ops (written or derived).
    downgraded: HashSet<&'a str>,
    downgrades: HashMap<String, Vec<Op>>,
    /// The next plan step to lower.
    next_step: usize,
    /// Ordered files are parsed; parse errors win over the rest (a revision that
    /// does not parse leaves the model incomplete, so lowering stops).
    parse_errors: Vec<Diagnostic>,
    /// The first revision the model or the backend refused; nothing after it is lowered.
    lower_errors: Vec<Diagnostic>,
}

impl<'a> Replay<'a> {
    fn new(backend: &'a dyn Backend, plan: &'a Plan) -> Self {
        Replay {
            backend,
            limits: Limits {
                max_identifier_len: backend.max_identifier_len(),
            },
            plan,
            schema: Schema::default(),
            applied: 0,
            taken: 0,
            downgraded: plan
                .steps
                .iter()
                .filter(|s| s.direction == Direction::Down)
                .map(|s| s.revision.as_str())
                .collect(),
            downgrades: HashMap::new(),
            next_step: 0,
            parse_errors: Vec::new(),
            lower_errors: Vec::new(),
        }
    }

    /// The files to parse, in the order they are taken: the revisions applied at
    /// the start (topological order), the revisions the plan steps up (marked:
    /// their upgrade ops are lowered, so the backend's `prepare` regroups them as
    /// they are parsed), then every other file.
    fn parse_order(&mut self, project: &Project) -> Vec<(SourceId, bool)> {
        let graph = &project.graph;
        let applied: HashSet<&str> = self
            .plan
            .start
            .iter()
            .flat_map(|h| graph.ancestors(h))
            .collect();
        let mut wanted: Vec<usize> = graph
            .topological_order()
            .into_iter()
            .filter(|id| applied.contains(id))
            .filter_map(|id| graph.input_index(id))
            .collect();
        self.applied = wanted.len();
        if self.plan.command != Command::Stamp {
            wanted.extend(
                self.plan
                    .steps
                    .iter()
                    .filter(|s| s.direction == Direction::Up)
                    .filter_map(|s| graph.input_index(&s.revision)),
            );
        }
        let mut seen = vec![false; project.files.len()];
        for &i in &wanted {
            seen[i] = true;
        }
        let rest = (0..project.files.len()).filter(|&i| !seen[i]);
        let order: Vec<usize> = wanted.iter().copied().chain(rest).collect();
        let steps_up = self.applied..wanted.len();
        order
            .into_iter()
            .enumerate()
            .map(|(k, i)| (project.files[i], steps_up.contains(&k)))
            .collect()
    }

    fn stopped(&self) -> bool {
        !self.parse_errors.is_empty() || !self.lower_errors.is_empty()
    }

    /// The next parsed revision of [`Replay::parse_order`].
    /// Without a writer (the script settings are wrong) steps are still lowered,
    /// for their errors.
    fn take(
        &mut self,
        parsed: Result<Revision, Vec<Diagnostic>>,
        mut writer: Option<&mut ScriptWriter>,
    ) {
        let index = self.taken;
        self.taken += 1;
        let rev = match parsed {
            Ok(rev) => rev,
            Err(d) => {
                self.parse_errors.extend(d);
                return;
            }
        };
        if self.stopped() {
            return;
        }
        if index < self.applied {
            if let Err(d) = self.apply(rev) {
                self.lower_errors = d;
            }
            return;
        }
        if self.plan.command == Command::Stamp {
            return;
        }
        // Steps down come right after the replay (a plan goes one way).
        self.lower_downs(writer.as_deref_mut());
        let step = self.plan.steps.get(self.next_step);
        match step {
            Some(s) if s.direction == Direction::Up && s.revision == rev.header.id.value => {
                self.next_step += 1;
                // Prepared by the parser (see `parse_order`).
                let result = lower_ops(rev.upgrade, &mut self.schema, self.backend, &self.limits);
                self.write(result, writer);
            }
            // One of the files nothing needs: parsed for its errors only.
            _ => {}
        }
    }

    /// Replay one revision applied at the plan's start; keep its downgrade when
    /// the plan steps it down.
    fn apply(&mut self, rev: Revision) -> Result<(), Vec<Diagnostic>> {
        let id = rev.header.id.value;
        if !self.downgraded.contains(id.as_str()) {
            return apply_all(&mut self.schema, &rev.upgrade, &self.limits);
        }
        let ops = match rev.downgrade {
            Some(ops) => {
                apply_all(&mut self.schema, &rev.upgrade, &self.limits)?;
                ops
            }
            None => {
                // Applies the ops while deriving their inverses: no second pass, no copy.
                let inverse =
                    crate::reverse::apply_and_derive(&mut self.schema, &rev.upgrade, &self.limits)?;
                end_revision(&mut self.schema, Vec::new())?;
                inverse
            }
        };
        self.downgrades.insert(id, ops);
        Ok(())
    }

    /// Lower the steps down at the cursor (their ops were kept by the replay).
    fn lower_downs(&mut self, mut writer: Option<&mut ScriptWriter>) {
        while let Some(step) = self.plan.steps.get(self.next_step) {
            if step.direction != Direction::Down || self.stopped() {
                return;
            }
            self.next_step += 1;
            let ops = self.downgrades.remove(&step.revision).unwrap_or_default();
            let result = lower_ops(
                self.backend.prepare(ops),
                &mut self.schema,
                self.backend,
                &self.limits,
            );
            self.write(result, writer.as_deref_mut());
        }
    }

    fn write(
        &mut self,
        lowered: Result<Vec<Statement>, Vec<Diagnostic>>,
        writer: Option<&mut ScriptWriter>,
    ) {
        let written = lowered.and_then(|s| match writer {
            Some(w) => w.step(&s).map_err(|d| vec![d]),
            None => Ok(()),
        });
        if let Err(d) = written {
            self.lower_errors = d;
        }
    }

    /// After the stream: steps still due (steps down, or a stamp's empty steps).
    fn finish_steps(&mut self, writer: Option<&mut ScriptWriter>) {
        if self.stopped() {
            return;
        }
        if self.plan.command == Command::Stamp {
            let Some(writer) = writer else { return };
            for _ in &self.plan.steps {
                if let Err(d) = writer.step(&[]) {
                    self.lower_errors = vec![d];
                    return;
                }
            }
            return;
        }
        self.lower_downs(writer);
        if self.next_step != self.plan.steps.len() && !self.stopped() {
            let missing = &self.plan.steps[self.next_step].revision;
            self.lower_errors = vec![Diagnostic::internal(format!(
                "revision {missing} was not parsed"
            ))];
        }
    }

    fn into_result(self) -> Result<(), Vec<Diagnostic>> {
        if !self.parse_errors.is_empty() {
            Err(self.parse_errors)
        } else if !self.lower_errors.is_empty() {
            Err(self.lower_errors)
        } else {
            Ok(())
        }
    }
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
        match backend.lower_and_apply(op, schema, limits) {
            // The first operation's statements are kept as they are, not copied.
            Ok(stmts) if out.is_empty() => out = stmts,
            Ok(stmts) => out.extend(stmts),
            Err(d) => errors.extend(d),
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
