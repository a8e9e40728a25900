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
    let pairs = match MigrationParser::parse(Rule::file, &file.text) {
        Ok(pairs) => pairs,
        Err(e) => return Err(vec![errors::from_pest(&cx, &e, 0, errors::Context::File)]),
    };
    let revision = lower::file(&mut cx, pairs);
    finish(cx, revision)
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
