//! Builds revision headers from a compact spec, one revision per line:
//!
//! `ID<-PARENT,PARENT dep:ID,ID label:NAME,NAME # message`
//!
//! `a<-` is a root. The spec lines are also the text of one fake source file
//! (`versions.spec`), so spans point at the spec and diagnostics render.

use migc::diagnostic::{render, Color, Diagnostic};
use migc::graph::RevisionGraph;
use migc::ir::{Ident, RevisionHeader};
use migc::source::{SourceId, SourceMap, Span};
use std::path::PathBuf;

pub struct Spec {
    pub sources: SourceMap,
    pub entries: Vec<(RevisionHeader, Option<PathBuf>)>,
}

pub fn spec(lines: &[&str]) -> Spec {
    let mut sources = SourceMap::new();
    let text = lines.join("\n");
    let file = sources.add("versions.spec", text);
    let mut entries = Vec::new();
    let mut offset = 0;
    for (k, line) in lines.iter().enumerate() {
        let header = header(file, offset, line);
        let path = PathBuf::from(format!("versions/{:04}_{}.mig", k + 1, header.id.value));
        entries.push((header, Some(path)));
        offset += line.len() + 1;
    }
    Spec { sources, entries }
}

fn header(file: SourceId, base: usize, line: &str) -> RevisionHeader {
    let (body, message) = match line.split_once(" # ") {
        Some((b, m)) => (b, m.to_string()),
        None => (line, String::new()),
    };
    let mut words = words(body).into_iter();
    let (first, at) = words.next().expect("a spec line starts with ID<-");
    let (id, parents) = first.split_once("<-").expect("ID<-PARENTS");
    let mut h = RevisionHeader {
        id: ident(file, base + at, id),
        parents: list(file, base + at + id.len() + 2, parents),
        message,
        branch_labels: Vec::new(),
        depends_on: Vec::new(),
        span: Span::new(file, base, base + line.len()),
    };
    for (word, at) in words {
        let (key, value) = word.split_once(':').expect("key:value");
        let items = list(file, base + at + key.len() + 1, value);
        match key {
            "dep" => h.depends_on = items,
            "label" => h.branch_labels = items,
            other => panic!("unknown spec key {other}"),
        }
    }
    h
}

fn words(text: &str) -> Vec<(&str, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((&text[s..i], s));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    out
}

fn list(file: SourceId, mut at: usize, text: &str) -> Vec<Ident> {
    let mut out = Vec::new();
    if text.is_empty() {
        return out;
    }
    for item in text.split(',') {
        out.push(ident(file, at, item));
        at += item.len() + 1;
    }
    out
}

fn ident(file: SourceId, at: usize, text: &str) -> Ident {
    Ident::new(text, Span::new(file, at, at + text.len()))
}

/// Build; panics with the rendered diagnostics on error.
pub fn graph(lines: &[&str]) -> RevisionGraph {
    let s = spec(lines);
    match RevisionGraph::build_with_paths(s.entries) {
        Ok(g) => g,
        Err(d) => panic!("{}", render(&d, &s.sources, Color::Never)),
    }
}

/// Build; returns the rendered diagnostics (panics if it builds).
pub fn build_errors(lines: &[&str]) -> String {
    let s = spec(lines);
    match RevisionGraph::build_with_paths(s.entries) {
        Ok(_) => panic!("expected the graph to be rejected"),
        Err(d) => render(&d, &s.sources, Color::Never),
    }
}

/// A target diagnostic as text (code, message, help).
pub fn diag_text(d: &Diagnostic) -> String {
    let mut s = format!("{}: {}", d.code, d.message);
    if let Some(h) = &d.help {
        s.push_str("\nhelp: ");
        s.push_str(h);
    }
    s
}

macro_rules! snap {
    ($name:expr, $value:expr) => {
        insta::with_settings!({
            snapshot_path => "../../snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(concat!("graph__", $name), $value);
        })
    };
}
pub(crate) use snap;
