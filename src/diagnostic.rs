//! The one diagnostic type of the compiler, a collector, and the rustc-style renderer.
//!
//! Every stage reports problems as [`Diagnostic`]s: a severity, a stable code
//! (`E0xxx`, listed in `docs/errors.md`), a message, an optional primary span with a
//! label, secondary labels, and help/notes. Stages collect as many as they can
//! before giving up so that a user sees every error in a file in one run.
//! A broken invariant inside the compiler is reported as [`Diagnostic::internal`],
//! never as a panic.

use crate::source::{SourceMap, Span};
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable code, e.g. `E0101`. See `docs/errors.md`.
    pub code: &'static str,
    pub message: String,
    pub primary: Option<Label>,
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            help: None,
            notes: Vec::new(),
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Self::error(code, message)
        }
    }

    /// A broken compiler invariant: reported, never panicked on.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::error(
            "E9999",
            format!("internal compiler error: {}", message.into()),
        )
        .with_help("this is a bug in the compiler; please report it with the input that caused it")
    }

    pub fn with_span(mut self, span: Span, label: impl Into<String>) -> Self {
        self.primary = Some(Label {
            span,
            message: label.into(),
        });
        self
    }

    pub fn with_label(mut self, span: Span, label: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            message: label.into(),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Collects diagnostics across a stage.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
    /// `Ok(value)` when no error was collected, else every diagnostic.
    pub fn finish<T>(self, value: T) -> Result<T, Vec<Diagnostic>> {
        if self.has_errors() {
            Err(self.items)
        } else {
            Ok(value)
        }
    }
}

/// Colours used when rendering to a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    Never,
    Always,
}

/// Render diagnostics the way rustc does:
///
/// ```text
/// error[E0201]: unknown table "userz"
///   --> versions/b2c3_add_role.mig:6:16
///    |
///  6 |     add_column userz.role string(50)
///    |                ^^^^^ no table "userz" exists at this revision
///    |
///    = help: tables known here: users, orders
/// ```
pub fn render(diags: &[Diagnostic], sources: &SourceMap, color: Color) -> String {
    let mut out = String::new();
    for d in diags {
        render_one(&mut out, d, sources, color);
        out.push('\n');
    }
    out
}

fn paint(color: Color, code: &str, text: &str) -> String {
    match color {
        Color::Never => text.to_string(),
        Color::Always => format!("\x1b[{code}m{text}\x1b[0m"),
    }
}

fn render_one(out: &mut String, d: &Diagnostic, sources: &SourceMap, color: Color) {
    let (word, col) = match d.severity {
        Severity::Error => ("error", "1;31"),
        Severity::Warning => ("warning", "1;33"),
    };
    let head = paint(color, col, &format!("{word}[{}]", d.code));
    let _ = writeln!(out, "{head}: {}", paint(color, "1", &d.message));
    let mut labels: Vec<(&Label, bool)> = Vec::new();
    if let Some(p) = &d.primary {
        labels.push((p, true));
    }
    labels.extend(d.secondary.iter().map(|l| (l, false)));
    let labels: Vec<_> = labels
        .into_iter()
        .filter(|(l, _)| sources.try_get(l.span.source).is_some())
        .collect();
    let width = labels
        .iter()
        .map(|(l, _)| {
            let f = sources.get(l.span.source);
            f.line_col(l.span.start).0.to_string().len()
        })
        .max()
        .unwrap_or(1);
    let pad = " ".repeat(width);
    let bar = paint(color, "1;34", "|");
    for (i, (label, primary)) in labels.iter().enumerate() {
        let file = sources.get(label.span.source);
        let (line, colno) = file.line_col(label.span.start);
        let arrow = if i == 0 { "-->" } else { ":::" };
        let _ = writeln!(
            out,
            "{pad}{} {}:{line}:{colno}",
            paint(color, "1;34", arrow),
            file.path.display()
        );
        let _ = writeln!(out, "{pad} {bar}");
        let text = file.line_text(line);
        let _ = writeln!(
            out,
            "{} {bar} {}",
            paint(color, "1;34", &format!("{line:>width$}")),
            text.replace('\t', " ")
        );
        let (end_line, end_col) = file.line_col(label.span.end.max(label.span.start));
        let caret_len = if end_line == line {
            end_col.saturating_sub(colno).max(1)
        } else {
            (text.chars().count() + 1).saturating_sub(colno).max(1)
        };
        let mark = if *primary { "^" } else { "-" };
        let marks = paint(
            color,
            if *primary { col } else { "1;34" },
            &format!(
                "{}{} {}",
                " ".repeat(colno - 1),
                mark.repeat(caret_len),
                label.message
            ),
        );
        let _ = writeln!(out, "{pad} {bar} {}", marks.trim_end());
    }
    if !labels.is_empty() && (d.help.is_some() || !d.notes.is_empty()) {
        let _ = writeln!(out, "{pad} {bar}");
    }
    for n in &d.notes {
        let _ = writeln!(out, "{pad} = note: {n}");
    }
    if let Some(h) = &d.help {
        let _ = writeln!(out, "{pad} = help: {h}");
    }
}
