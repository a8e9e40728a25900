//! `compile revision` and `compile merge`: write a new revision file from the template.
//!
//! The new file's parent is the single current head unless `--head` says otherwise;
//! several heads are an error naming them (merge first, or pick one). The file name
//! comes from the config's `file_template`, the text from the project's
//! `script.mig.j2` (or the built-in one when the project has none).

use super::args::{MergeArgs, RevisionArgs};
use super::{CommandResult, Failure, Loaded, Success};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::graph::RevisionGraph;
use crate::project::REVISION_EXT;
use std::path::PathBuf;

/// What goes into a new revision file.
struct NewRevision {
    id: String,
    parents: Vec<String>,
    message: String,
    branch_label: Option<String>,
    depends_on: Vec<String>,
}

pub fn revision(loaded: Loaded, args: &RevisionArgs) -> CommandResult {
    let (graph, loaded) = crate::driver::load_graph_allow_empty(loaded)?;
    let fail = |d: Diagnostic| Failure::from(vec![d]);
    let parents = choose_parent(&graph, args.head.as_deref(), args.splice).map_err(fail)?;
    let mut depends_on = Vec::new();
    for d in &args.depends_on {
        depends_on.extend(resolve_many(&graph, d).map_err(fail)?);
    }
    let id = new_id(&graph, args.rev_id.as_deref()).map_err(fail)?;
    write(
        &loaded.config,
        NewRevision {
            id,
            parents,
            message: args.message.clone(),
            branch_label: args.branch_label.clone(),
            depends_on,
        },
    )
}

pub fn merge(loaded: Loaded, args: &MergeArgs) -> CommandResult {
    let (graph, loaded) = crate::driver::load_graph_allow_empty(loaded)?;
    let fail = |d: Diagnostic| Failure::from(vec![d]);
    let mut parents: Vec<String> = Vec::new();
    for r in &args.revisions {
        for id in resolve_many(&graph, r).map_err(fail)? {
            if !parents.contains(&id) {
                parents.push(id);
            }
        }
    }
    if parents.len() < 2 {
        return Err(fail(
            Diagnostic::error(
                "E0421",
                format!(
                    "a merge needs at least two revisions; {} resolved to {}",
                    args.revisions.join(" "),
                    if parents.is_empty() {
                        "none".to_string()
                    } else {
                        parents.join(", ")
                    }
                ),
            )
            .with_help("name two heads, or write `heads` to merge every head"),
        ));
    }
    let id = new_id(&graph, args.rev_id.as_deref()).map_err(fail)?;
    write(
        &loaded.config,
        NewRevision {
            id,
            parents,
            message: args.message.clone(),
            branch_label: args.branch_label.clone(),
            depends_on: Vec::new(),
        },
    )
}

fn choose_parent(
    graph: &RevisionGraph,
    head: Option<&str>,
    splice: bool,
) -> Result<Vec<String>, Diagnostic> {
    match head {
        Some("base") => Ok(Vec::new()),
        Some(target) => {
            let ids = resolve_many(graph, target)?;
            let [id] = ids.as_slice() else {
                return Err(Diagnostic::error(
                    "E0422",
                    format!("--head {target} names {} revisions; a new revision has one parent", ids.len()),
                )
                .with_help("use `compile merge` to join several heads"));
            };
            if !splice && !graph.children(id).is_empty() {
                return Err(Diagnostic::error("E0423", format!("revision {id} is not a head"))
                    .with_help("pass --splice to start a new branch from it"));
            }
            Ok(vec![id.clone()])
        }
        None => match graph.heads().as_slice() {
            [] => Ok(Vec::new()),
            [one] => Ok(vec![one.to_string()]),
            many => Err(Diagnostic::error(
                "E0420",
                format!("the project has {} heads: {}", many.len(), many.join(", ")),
            )
            .with_help("pick the parent with --head REV (or LABEL@head), or join them first with `compile merge -m \"merge heads\" heads`")),
        },
    }
}

fn resolve_many(graph: &RevisionGraph, target: &str) -> Result<Vec<String>, Diagnostic> {
    graph.resolve(target).map(|r| r.revisions)
}

fn new_id(graph: &RevisionGraph, given: Option<&str>) -> Result<String, Diagnostic> {
    if let Some(id) = given {
        let valid = !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid || graph.header(id).is_some() {
            return Err(Diagnostic::error(
                "E0424",
                if valid {
                    format!("revision id {id} is already used")
                } else {
                    format!("\"{id}\" is not a valid revision id")
                },
            )
            .with_help("ids are letters, digits and _; leave out --rev-id for a fresh one"));
        }
        return Ok(id.to_string());
    }
    loop {
        let mut bytes = [0u8; 6];
        getrandom::getrandom(&mut bytes).map_err(|e| {
            Diagnostic::error("E0425", format!("cannot get random bytes for an id: {e}"))
        })?;
        let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        if graph.header(&id).is_none() {
            return Ok(id);
        }
    }
}

fn write(config: &Config, rev: NewRevision) -> CommandResult {
    let fail = |d: Diagnostic| Failure::from(vec![d]);
    let name = render_file_name(config, &rev).map_err(fail)?;
    let path: PathBuf = config.versions_dir.join(format!("{name}.{REVISION_EXT}"));
    if path.exists() {
        return Err(fail(
            Diagnostic::error("E0426", format!("{} already exists", path.display()))
                .with_help("change the message or the file_template"),
        ));
    }
    let text = render_file(config, &rev).map_err(fail)?;
    std::fs::write(&path, text).map_err(|e| {
        fail(Diagnostic::error(
            "E0427",
            format!("cannot write {}: {e}", path.display()),
        ))
    })?;
    Ok(Success {
        stdout: format!("{}\n", path.display()),
        stderr: format!("Generating {} ... done\n", path.display()),
    })
}

fn render_file_name(config: &Config, rev: &NewRevision) -> Result<String, Diagnostic> {
    let env = minijinja::Environment::new();
    let ctx = minijinja::context! { rev => rev.id, slug => slugify(&rev.message) };
    let name = env.render_str(&config.file_template, ctx).map_err(|e| {
        Diagnostic::error(
            "E0428",
            format!(
                "cannot render file_template \"{}\": {e}",
                config.file_template
            ),
        )
        .with_help("file_template may use {{ rev }} and {{ slug }}")
    })?;
    if name.is_empty() || name.contains(['/', '\\', '\0']) {
        return Err(Diagnostic::error(
            "E0428",
            format!("file_template gave an unusable file name \"{name}\""),
        ));
    }
    Ok(name)
}

fn render_file(config: &Config, rev: &NewRevision) -> Result<String, Diagnostic> {
    let template = match std::fs::read_to_string(&config.script_template) {
        Ok(t) => t,
        Err(_) => super::init::SCRIPT_TEMPLATE.to_string(),
    };
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);
    let revises = if rev.parents.is_empty() {
        "none".to_string()
    } else {
        rev.parents.join(", ")
    };
    let ctx = minijinja::context! {
        revision => rev.id,
        revises => revises,
        message => string_literal(&rev.message),
        message_text => rev.message.replace(['\n', '\r'], " "),
        branch_labels => rev.branch_label.clone().unwrap_or_default(),
        depends_on => rev.depends_on.join(", "),
    };
    env.render_str(&template, ctx).map_err(|e| {
        Diagnostic::error("E0429", format!("cannot render {}: {e}", config.script_template.display()))
            .with_help("the template may use revision, revises, message, message_text, branch_labels, depends_on")
    })
}

/// A message as a `"..."` string of the language.
pub fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `Add user role!` → `add_user_role`, at most 40 characters.
fn slugify(message: &str) -> String {
    let mut slug = String::new();
    for c in message.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('_') && !slug.is_empty() {
            slug.push('_');
        }
        if slug.len() >= 40 {
            break;
        }
    }
    slug.trim_end_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Add user role!"), "add_user_role");
        assert_eq!(slugify("  émoji 🚀 ok"), "moji_ok");
    }

    #[test]
    fn literals() {
        assert_eq!(string_literal("say \"hi\"\\\n"), r#""say \"hi\"\\\n""#);
    }
}
