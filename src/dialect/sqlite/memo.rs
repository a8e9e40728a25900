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
use std::cell::RefCell;
use std::collections::HashMap;

/// Lines kept per table (a table with more starts over).
const ENTRIES: usize = 16_384;

/// Tables whose last lines are kept. A table's lines take a few kilobytes and a
/// long history creates and renames thousands of tables (16,384 of them took
/// 46 MB on the 10,000-revision bench), while rebuilds mostly touch the few
/// hundred alive at a time: when full, the map starts over.
const TABLES_KEPT: usize = 1_024;

type FxMap<K, V> = HashMap<K, V, FxBuild>;

/// What a column line was rendered from, besides the column: the table's
/// primary key as the line shows it.
struct ColumnFrom {
    column: Column,
    inline_pk: bool,
    pk_name: Option<String>,
}

/// A table's lines as last rendered, by column or constraint name, with what each
/// was rendered from.
#[derive(Default)]
struct TableLines {
    columns: FxMap<String, (ColumnFrom, String)>,
    constraints: FxMap<String, (Constraint, String)>,
}

thread_local! {
    /// By table name.
    static TABLES: RefCell<FxMap<String, TableLines>> = RefCell::new(FxMap::default());
}

/// The line of `column` in `table`: the one last rendered for it if `column`,
/// `inline_pk` and `pk_name` are what it was rendered from, else `render`'s. The
/// caller makes sure nothing else goes into the line (no enum type, whose text
/// depends on the schema; no extra constraints).
pub fn column_line(
    table: &str,
    column: &Column,
    inline_pk: bool,
    pk_name: Option<&str>,
    render: impl FnOnce() -> Result<String, Diagnostic>,
) -> Result<String, Diagnostic> {
    remembered(
        table,
        &column.name,
        |t| &mut t.columns,
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

/// The line of `constraint` in `table`: the one last rendered for it if the
/// constraint is unchanged, else `render`'s.
pub fn constraint_line(
    table: &str,
    constraint: &Constraint,
    render: impl FnOnce() -> Result<String, Diagnostic>,
) -> Result<String, Diagnostic> {
    remembered(
        table,
        &constraint.name,
        |t| &mut t.constraints,
        |last| last == constraint,
        || constraint.clone(),
        render,
    )
}

/// The line last rendered under `name` in `table`'s map chosen by `lines`, if
/// `same` holds for what it was rendered from; else `render`'s, remembered with
/// `from()`.
fn remembered<T>(
    table: &str,
    name: &str,
    lines: impl Fn(&mut TableLines) -> &mut FxMap<String, (T, String)>,
    same: impl FnOnce(&T) -> bool,
    from: impl FnOnce() -> T,
    render: impl FnOnce() -> Result<String, Diagnostic>,
) -> Result<String, Diagnostic> {
    let hit = TABLES.with(|m| {
        let mut m = m.borrow_mut();
        let (last, line) = lines(m.get_mut(table)?).get(name)?;
        same(last).then(|| line.clone())
    });
    if let Some(line) = hit {
        return Ok(line);
    }
    let line = render()?;
    TABLES.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= TABLES_KEPT && !m.contains_key(table) {
            m.clear();
        }
        let table = match m.get_mut(table) {
            Some(lines) => lines,
            None => m.entry(table.to_string()).or_default(),
        };
        let lines = lines(table);
        if lines.len() >= ENTRIES {
            lines.clear();
        }
        lines.insert(name.to_string(), (from(), line.clone()));
    });
    Ok(line)
}
