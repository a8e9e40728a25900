//! What `crate::script` needs of the config and the revisions.

use super::MigrateRequest;
use crate::config::Config;
use crate::dialect::{SessionSettings, VersionTable};
use crate::graph::RevisionGraph;
use crate::plan::Plan;
use crate::script::{RevisionInfo, ScriptOptions};
use indexmap::IndexMap;

pub fn options(config: &Config, req: &MigrateRequest) -> ScriptOptions {
    ScriptOptions {
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
    }
}

/// Message and parents of every revision the plan mentions, from the headers
/// the graph was built from (the same text the full parse reads).
pub fn revision_infos(graph: &RevisionGraph, plan: &Plan) -> IndexMap<String, RevisionInfo> {
    let mentioned = plan
        .steps
        .iter()
        .map(|s| &s.revision)
        .chain(&plan.start)
        .chain(&plan.end);
    mentioned
        .filter_map(|id| {
            graph.header(id).map(|h| {
                let info = RevisionInfo {
                    message: h.message.clone(),
                    parents: h.parents.iter().map(|p| p.value.clone()).collect(),
                };
                (id.clone(), info)
            })
        })
        .collect()
}
