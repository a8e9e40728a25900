//! Rendered column and table-constraint lines, the last one of each column and
//! constraint of each table.
//!
//! A table rebuild writes the whole `CREATE TABLE` again, so a table changed ten
//! times renders its unchanged columns ten times. The line last rendered for the
//! same column or constraint of the same table is reused when what it was
//! rendered from is unchanged (the usual case in a rebuild): a comparison and a
//! copy, cheaper than quoting and rendering the line again.

use crate::diagnostic::Diagnostic;
use crate::fxhash::FxBuild;
use crate::model::{Column, Constraint};
use indexmap::IndexMap;
use std::cell::RefCell;
use std::collections::HashMap;

/// Lines kept per table (a table with more starts over, when next looked up).
const ENTRIES: usize = 16_384;

/// Tables whose last lines are kept. A table's lines take a few kilobytes and a
/// long history creates and renames thousands of tables (16,384 of them took
/// 46 MB on the 10,000-revision bench), while rebuilds mostly touch the few
/// hundred alive at a time: when full, the map starts over.
const TABLES_KEPT: usize = 1_024;

type FxMap<K, V> = HashMap<K, V, FxBuild>;
type FxIndexMap<K, V> = IndexMap<K, V, FxBuild>;

/// What a column line was rendered from, besides the column: the table's
/// primary key as the line shows it.
struct ColumnFrom {
    column: Column,
    inline_pk: bool,
    pk_name: Option<String>,
}

/// A table's lines as last rendered, by column or constraint name (in the order
/// they were first rendered, which is the table's order), with what each was
/// rendered from.
#[derive(Default)]
pub struct TableLines {
    columns: FxIndexMap<String, (ColumnFrom, String)>,
    constraints: FxIndexMap<String, (Constraint, String)>,
}

thread_local! {
    /// By table name.
    static TABLES: RefCell<FxMap<String, TableLines>> = RefCell::new(FxMap::default());
}

/// `f` with the lines remembered for `table` (looked up once for all its lines).
/// `f` must not call back into this module.
pub fn table_lines<R>(table: &str, f: impl FnOnce(&mut TableLines) -> R) -> R {
    TABLES.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= TABLES_KEPT && !m.contains_key(table) {
            m.clear();
        }
        let lines = match m.get_mut(table) {
            Some(lines) => lines,
            None => m.entry(table.to_string()).or_default(),
        };
        // Started over here, never while `f` holds places of lines.
        if lines.columns.len() >= ENTRIES {
            lines.columns.clear();
        }
        if lines.constraints.len() >= ENTRIES {
            lines.constraints.clear();
        }
        f(lines)
    })
}

/// The line of `column` in `table`, as [`TableLines::column_at`] finds it (for a caller with
/// one line to write).
pub fn column_line(
    table: &str,
    column: &Column,
    inline_pk: bool,
    pk_name: Option<&str>,
    render: impl FnOnce() -> Result<String, Diagnostic>,
) -> Result<String, Diagnostic> {
    table_lines(table, |lines| {
        let at = lines.column_at(usize::MAX, column, inline_pk, pk_name, render)?;
        Ok(lines.column_text(at).to_string())
    })
}

impl TableLines {
    /// The place of the line of `column`, the `position`-th of its table
    /// ([`TableLines::column_text`] reads it): the one last rendered for it if
    /// `column`, `inline_pk` and `pk_name` are what it was rendered from, else
    /// `render`'s. The caller makes sure nothing else goes into the line (no enum
    /// type, whose text depends on the schema; no extra constraints).
    pub fn column_at(
        &mut self,
        position: usize,
        column: &Column,
        inline_pk: bool,
        pk_name: Option<&str>,
        render: impl FnOnce() -> Result<String, Diagnostic>,
    ) -> Result<usize, Diagnostic> {
        remembered(
            &mut self.columns,
            position,
            &column.name,
            |last| {
                last.inline_pk == inline_pk
                    && last.pk_name.as_deref() == pk_name
                    && last.column == *column
            },
            || ColumnFrom {
                column: column.clone(),
                inline_pk,
                pk_name: pk_name.map(str::to_string),
            },
            render,
        )
    }

    /// The place of the line of `constraint`, the `position`-th of its table:
    /// the one last rendered for it if the constraint is unchanged, else
    /// `render`'s.
    pub fn constraint_at(
        &mut self,
        position: usize,
        constraint: &Constraint,
        render: impl FnOnce() -> Result<String, Diagnostic>,
    ) -> Result<usize, Diagnostic> {
        remembered(
            &mut self.constraints,
            position,
            &constraint.name,
            |last| last == constraint,
            || constraint.clone(),
            render,
        )
    }
}

impl TableLines {
    /// The column line at `at` (from [`TableLines::column_at`]).
    pub fn column_text(&self, at: usize) -> &str {
        self.columns.get_index(at).map_or("", |(_, (_, line))| line)
    }

    /// The constraint line at `at` (from [`TableLines::constraint_at`]).
    pub fn constraint_text(&self, at: usize) -> &str {
        self.constraints
            .get_index(at)
            .map_or("", |(_, (_, line))| line)
    }
}

/// The place in `lines` of the line last rendered under `name`, if `same` holds
/// for what it was rendered from; else of `render`'s, remembered with `from()`.
/// A table's lines keep their places from one rendering to the next (columns
/// and constraints are mostly added at the end), so the entry at `position` is
/// tried before hashing the name.
fn remembered<T>(
    lines: &mut FxIndexMap<String, (T, String)>,
    position: usize,
    name: &str,
    same: impl FnOnce(&T) -> bool,
    from: impl FnOnce() -> T,
    render: impl FnOnce() -> Result<String, Diagnostic>,
) -> Result<usize, Diagnostic> {
    let found = match lines.get_index(position) {
        Some((n, _)) if n == name => Some(position),
        _ => lines.get_index_of(name),
    };
    if let Some((i, (_, (last, _)))) = found.and_then(|i| Some((i, lines.get_index(i)?))) {
        if same(last) {
            return Ok(i);
        }
    }
    let line = render()?;
    let value = (from(), line);
    match found {
        Some(i) => {
            if let Some((_, slot)) = lines.get_index_mut(i) {
                *slot = value;
            }
            Ok(i)
        }
        None => Ok(lines.insert_full(name.to_string(), value).0),
    }
}
