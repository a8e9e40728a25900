//! A hand-written reader for the common, well-formed header.
//!
//! `heads` and `history` read the header of every revision file, so this path
//! must be cheap. It accepts only what the grammar accepts and returns exactly
//! what [`super::header::lower`] would (same values, same spans); anything it
//! does not recognise (an error, a raw or escaped string, a quoted or templated
//! label, an odd line break) makes it give up, and the caller parses the header
//! with pest, which also produces the diagnostics. `tests/syntax_fuzz.rs`
//! checks the two paths agree.

use crate::ir::{Ident, RevisionHeader};
use crate::source::{SourceId, Span};

const RESERVED: &[&str] = &[
    "revision",
    "revises",
    "message",
    "branch_labels",
    "depends_on",
    "upgrade",
    "downgrade",
    "none",
];

/// The header of `text`, or `None` when the slow path must decide.
pub fn scan(source: SourceId, text: &str) -> Option<RevisionHeader> {
    scan_with_end(source, text).map(|(h, _)| h)
}

/// [`scan`], with the byte offset of the `upgrade` or `downgrade` keyword
/// that ends the header.
pub fn scan_with_end(source: SourceId, text: &str) -> Option<(RevisionHeader, usize)> {
    let mut s = Scanner {
        text,
        b: text.as_bytes(),
        i: 0,
        source,
    };
    let mut h = RevisionHeader {
        id: Ident::new("", Span::default()),
        parents: Vec::new(),
        message: String::new(),
        branch_labels: Vec::new(),
        depends_on: Vec::new(),
        span: Span::default(),
    };
    let (mut start, mut end) = (None, 0);
    // Lines seen, as indexes into RESERVED, in order (each line at most once,
    // so five at most).
    let mut seen = [0usize; 5];
    let mut n_seen = 0;
    let body = loop {
        s.skip_trivia();
        let kw_start = s.i;
        let word = s.word();
        let kind = RESERVED.iter().position(|r| *r == word)?;
        match kind {
            5 | 6 => break kw_start, // `upgrade` / `downgrade`: the header is over
            7 => return None,
            _ => {}
        }
        if seen[..n_seen].contains(&kind) || !s.spaces() {
            return None;
        }
        start.get_or_insert(kw_start);
        s.line_value(kind, &mut h)?;
        end = s.i;
        s.line_end()?;
        seen[n_seen] = kind;
        n_seen += 1;
    };
    let seen = &seen[..n_seen];
    if seen.len() < 2 || seen[0] != 0 || seen[1] != 1 || seen[2..].iter().any(|k| *k < 2) {
        return None;
    }
    h.span = Span::new(source, start?, end);
    Some((h, body))
}

struct Scanner<'a> {
    /// The same text as `b`: names are sliced from it (every boundary the
    /// scanner stops at follows an ASCII byte), not validated again.
    text: &'a str,
    b: &'a [u8],
    i: usize,
    source: SourceId,
}

fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$'
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// Whitespace, line breaks and comments (what pest's WHITESPACE skips).
    fn skip_trivia(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\r' | b'\n') => self.i += 1,
                Some(b'#') => self.skip_comment(),
                Some(b'-') if self.b.get(self.i + 1) == Some(&b'-') => self.skip_comment(),
                _ => return,
            }
        }
    }

    fn skip_comment(&mut self) {
        let rest = &self.b[self.i..];
        self.i += rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
    }

    /// An identifier-like word (possibly empty).
    fn word(&mut self) -> &'a str {
        let start = self.i;
        while self.peek().is_some_and(is_ident_char) {
            self.i += 1;
        }
        self.text.get(start..self.i).unwrap_or("")
    }

    /// At least one space or tab.
    fn spaces(&mut self) -> bool {
        let start = self.i;
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
        self.i > start
    }

    fn line_value(&mut self, kind: usize, h: &mut RevisionHeader) -> Option<()> {
        match kind {
            0 => h.id = self.rev_id()?,
            1 => {
                let at = self.i;
                if self.word() == "none" {
                    return Some(());
                }
                self.i = at;
                h.parents = self.list(Self::rev_id)?;
            }
            2 => h.message = self.simple_string()?,
            3 => h.branch_labels = self.list(Self::label)?,
            _ => h.depends_on = self.list(Self::rev_id)?,
        }
        Some(())
    }

    /// `ITEM (, ITEM)*` with spaces or tabs around the commas.
    fn list(&mut self, item: fn(&mut Self) -> Option<Ident>) -> Option<Vec<Ident>> {
        let mut out = vec![item(self)?];
        loop {
            let at = self.i;
            self.spaces();
            if self.peek() != Some(b',') {
                self.i = at;
                return Some(out);
            }
            self.i += 1;
            self.spaces();
            out.push(item(self)?);
        }
    }

    fn ident_at(&self, start: usize) -> Option<Ident> {
        let text = self.text.get(start..self.i)?;
        Some(Ident::new(text, Span::new(self.source, start, self.i)))
    }

    /// Letters, digits and `_`, not a reserved word, not followed by `$`.
    fn rev_id(&mut self) -> Option<Ident> {
        let start = self.i;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
        {
            self.i += 1;
        }
        let id = self.ident_at(start)?;
        let ok = self.i > start
            && !self.peek().is_some_and(is_ident_char)
            && !RESERVED.contains(&id.as_str());
        ok.then_some(id)
    }

    /// A plain label; anything else (backticks, templates) takes the slow path.
    fn label(&mut self) -> Option<Ident> {
        let start = self.i;
        if !self
            .peek()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
        {
            return None;
        }
        let word = self.word();
        if super::errors::is_operation_word(word) || matches!(self.peek(), Some(b'{')) {
            return None;
        }
        self.ident_at(start)
    }

    /// `"..."` without backslashes or `'...'`, on one line.
    fn simple_string(&mut self) -> Option<String> {
        let quote = self.peek().filter(|q| *q == b'"' || *q == b'\'')?;
        if self.b[self.i..].starts_with(b"\"\"") {
            return None; // raw or empty: let pest decide
        }
        let start = self.i + 1;
        let mut j = start;
        loop {
            match self.b.get(j).copied() {
                None | Some(b'\n' | b'\\' | 0) => return None,
                Some(c) if c == quote => {
                    if quote == b'\'' && self.b.get(j + 1) == Some(&b'\'') {
                        j += 2;
                        continue;
                    }
                    break;
                }
                Some(_) => j += 1,
            }
        }
        let body = self.text.get(start..j)?;
        self.i = j + 1;
        Some(if quote == b'\'' {
            body.replace("''", "'")
        } else {
            body.to_string()
        })
    }

    /// Spaces, an optional comment, then a line break or the end of the file.
    fn line_end(&mut self) -> Option<()> {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
        if self.peek() == Some(b'#') || self.b[self.i..].starts_with(b"--") {
            self.skip_comment();
        }
        match self.peek() {
            None => Some(()),
            Some(b'\n') => {
                self.i += 1;
                Some(())
            }
            Some(b'\r') if self.b.get(self.i + 1) == Some(&b'\n') => {
                self.i += 2;
                Some(())
            }
            _ => None,
        }
    }
}
