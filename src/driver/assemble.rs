//! From lowered steps to the script text: collects what `crate::script` needs of
//! the config and the revisions.

use super::{MigrateRequest, Project};
use crate::diagnostic::Diagnostic;
use crate::dialect::{Backend, SessionSettings, Statement, VersionTable};
use crate::ir::Revision;
use crate::plan::Plan;
use crate::script::{self, RevisionInfo, ScriptInput, ScriptOptions};
use indexmap::IndexMap;

pub fn script(
    project: &Project,
    plan: &Plan,
    revisions: &IndexMap<String, Revision>,
    steps: Vec<Vec<Statement>>,
    backend: &dyn Backend,
    req: &MigrateRequest,
) -> Result<String, Vec<Diagnostic>> {
    let config = &project.loaded.config;
    let options = ScriptOptions {
        project_name: config.project.clone(),
        database_name: config.database.clone(),
        version_table: VersionTable {
            schema: config.version_table_schema.clone(),
            name: config.version_table.clone(),
            ..VersionTable::default()
        },
        transaction_per_migration: req.transaction_per_migration
            || config.transaction_per_migration,
        session: SessionSettings {
            lock_timeout: config.lock_timeout.clone(),
            statement_timeout: config.statement_timeout.clone(),
        },
    };
    let mentioned = plan
        .steps
        .iter()
        .map(|s| &s.revision)
        .chain(&plan.start)
        .chain(&plan.end);
    let infos: IndexMap<String, RevisionInfo> = mentioned
        .filter_map(|id| revisions.get(id).map(|r| (id.clone(), info(r))))
        .collect();
    let statements = if steps.is_empty() {
        vec![Vec::new(); plan.steps.len()]
    } else {
        steps
    };
    let input = ScriptInput {
        plan,
        statements,
        revisions: &infos,
        options: &options,
    };
    script::assemble(backend, &input)
}

fn info(rev: &Revision) -> RevisionInfo {
    RevisionInfo {
        message: rev.header.message.clone(),
        parents: rev.header.parents.iter().map(|p| p.value.clone()).collect(),
    }
}
