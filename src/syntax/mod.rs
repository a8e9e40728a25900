//! Parse: revision-file text → spanned [`crate::ir::Revision`].
//!
//! The stage has four parts: the pest parser generated from
//! `grammar/migration.pest` ([`parser`]), the lowering of pest pairs to the IR
//! ([`lower`], [`header`], [`column`], [`names`]), the decoding of literal tokens
//! ([`literal`]), and the conversion of pest failures into diagnostics that use
//! the user's words ([`errors`]).
//!
//! Invariants: spans are byte offsets into the file with `Span.source` set to
//! the file's id; every `Op` spans its whole statement (up to its last token),
//! every `Ident` and `SqlText` its own token. `{{ var }}` template text is kept
//! as written; `crate::template` renders it. Error codes: E0100–E0129.

mod column;
mod errors;
mod header;
mod header_scan;
mod literal;
mod lower;
mod names;
mod parser;
mod table;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ir;
use crate::source::{SourceId, SourceMap, Span};
use parser::{MigrationParser, Rule};
use pest::Parser as _;

/// Parse one revision file: header, `upgrade` and optional `downgrade`.
///
/// Every syntax error of the file is returned, not only the first.
pub fn parse_revision(sources: &SourceMap, id: SourceId) -> Result<ir::Revision, Vec<Diagnostic>> {
    let file = source_file(sources, id)?;
    let mut cx = Ctx::new(id, &file.text);
    if let Some((header, pairs)) = parse_after_header(id, &file.text) {
        let revision = lower::file(&mut cx, pairs, Some(header));
        return finish(cx, revision);
    }
    parse_file(cx)
}

/// [`parse_revision`] without the header scanner (for tests comparing the two).
#[doc(hidden)]
pub fn parse_revision_with_grammar(
    sources: &SourceMap,
    id: SourceId,
) -> Result<ir::Revision, Vec<Diagnostic>> {
    let file = source_file(sources, id)?;
    parse_file(Ctx::new(id, &file.text))
}

/// The whole file, header included, with the `file` rule.
fn parse_file(mut cx: Ctx) -> Result<ir::Revision, Vec<Diagnostic>> {
    let pairs = match MigrationParser::parse(Rule::file, cx.text) {
        Ok(pairs) => pairs,
        Err(e) => return Err(vec![errors::from_pest(&cx, &e, 0, errors::Context::File)]),
    };
    let revision = lower::file(&mut cx, pairs, None);
    finish(cx, revision)
}

/// The common case of [`parse_revision`]: a well-formed header, read by the
/// hand-written scanner, followed by a line starting with `upgrade`. pest then
/// skips the header instead of parsing it again (a tenth of the parse).
/// `None` when the grammar must parse the whole file: the header is not the
/// common kind, or the rest of the file fails (so that its diagnostic comes
/// from the `file` rule, as before).
fn parse_after_header(
    id: SourceId,
    text: &str,
) -> Option<(ir::RevisionHeader, pest::iterators::Pairs<'_, Rule>)> {
    let (header, body) = header_scan::scan_with_end(id, text)?;
    let at_line_start = body > 0 && text.as_bytes()[body - 1] == b'\n';
    if !at_line_start || !text[body..].starts_with("upgrade") {
        return None;
    }
    let pairs = MigrationParser::parse(Rule::file_after_header, text).ok()?;
    // `header_skip` stops at the first line starting with `upgrade`; the
    // scanner's header ends there too, but do not rely on it.
    let skip_end = pairs
        .clone()
        .next()?
        .into_inner()
        .find(|p| p.as_rule() == Rule::header_skip)?
        .as_span()
        .end();
    (skip_end == body).then_some((header, pairs))
}

/// Read only the header of a revision file (fast: the operations are not
/// parsed, so `heads` and `history` can read thousands of files). A
/// well-formed header is read by a hand-written scanner; anything else goes
/// through the grammar, which also explains what is wrong.
pub fn parse_header(
    sources: &SourceMap,
    id: SourceId,
) -> Result<ir::RevisionHeader, Vec<Diagnostic>> {
    let file = source_file(sources, id)?;
    if let Some(h) = header_scan::scan(id, &file.text) {
        return Ok(h);
    }
    parse_header_with_grammar(sources, id)
}

/// [`parse_header`] without the fast scanner (for tests comparing the two).
#[doc(hidden)]
pub fn parse_header_with_grammar(
    sources: &SourceMap,
    id: SourceId,
) -> Result<ir::RevisionHeader, Vec<Diagnostic>> {
    let file = source_file(sources, id)?;
    let mut cx = Ctx::new(id, &file.text);
    let pairs = match MigrationParser::parse(Rule::header_only, &file.text) {
        Ok(pairs) => pairs,
        Err(e) => return Err(vec![errors::from_pest(&cx, &e, 0, errors::Context::Header)]),
    };
    let header = pairs
        .into_iter()
        .next()
        .and_then(|p| p.into_inner().find(|p| p.as_rule() == Rule::header))
        .map(|p| header::lower(&mut cx, p));
    finish(cx, header.flatten())
}

/// The registered file `id`; an internal error when there is none.
fn source_file(
    sources: &SourceMap,
    id: SourceId,
) -> Result<&crate::source::SourceFile, Vec<Diagnostic>> {
    sources.try_get(id).ok_or_else(|| {
        vec![Diagnostic::internal(format!(
            "no source file with id {}",
            id.0
        ))]
    })
}

/// `Ok` when the lowering produced a value and no error was reported.
fn finish<T>(cx: Ctx, value: Option<T>) -> Result<T, Vec<Diagnostic>> {
    match value {
        Some(v) => cx.diags.finish(v),
        None if cx.diags.has_errors() => Err(cx.diags.into_vec()),
        None => Err(vec![Diagnostic::internal(
            "the parser gave up without an error",
        )]),
    }
}

/// What the lowering of one file needs: where it is, its text, and the
/// diagnostics collected so far.
pub(crate) struct Ctx<'a> {
    pub source: SourceId,
    pub text: &'a str,
    pub diags: Diagnostics,
}

impl<'a> Ctx<'a> {
    fn new(source: SourceId, text: &'a str) -> Self {
        Ctx {
            source,
            text,
            diags: Diagnostics::new(),
        }
    }

    pub fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.source, start, end)
    }

    pub fn error(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }
}

#[doc(hidden)]
pub fn bench_pest_only(text: &str) -> usize {
    MigrationParser::parse(Rule::file, text)
        .map(|p| p.count())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixtures(dir: &std::path::Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                fixtures(&p, out);
            } else if p.extension().is_some_and(|x| x == "mig") {
                out.extend(std::fs::read_to_string(&p).ok());
            }
        }
    }

    /// Skipping a scanned header gives what parsing it gives, diagnostics
    /// included, on every fixture and on variants around the header's end.
    #[test]
    fn header_skip_agrees_with_the_file_rule() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut texts = Vec::new();
        fixtures(&root, &mut texts);
        assert!(texts.len() > 50, "fixtures not found under {root:?}");
        let base = "revision a1\nrevises none\nmessage \"m\"\n";
        for extra in [
            "upgrade { drop_table t }\n",
            "upgrade {\n drop_table t\n}\ndowngrade { drop_table u }",
            "upgrade { drop_table t",
            "upgrade x\n",
            "upgrade {}\nupgrade {}\n",
            "upgradex {}\n",
            "# c\n\nupgrade { }",
            "  upgrade { }",
            "\r\nupgrade { }",
            "downgrade { }\nupgrade { }",
            "upgrade { bad }\njunk\n",
            "upgrade",
        ] {
            texts.push(format!("{base}{extra}"));
        }
        let n = texts.len();
        for i in 0..n {
            let t = texts[i].clone();
            if let Some(at) = t.find("upgrade") {
                // Cut and damage the text right after the header.
                for cut in [at + 3, at + 8, at + 12] {
                    if let Some(prefix) = t.get(..cut) {
                        texts.push(prefix.to_string());
                    }
                }
                texts.push(t.replacen("upgrade", "upgrade }", 1));
            }
        }
        for t in &texts {
            let mut sources = SourceMap::new();
            let id = sources.add("x.mig", t.as_str());
            assert_eq!(
                parse_revision(&sources, id),
                parse_revision_with_grammar(&sources, id),
                "{t:?}"
            );
        }
    }
}
