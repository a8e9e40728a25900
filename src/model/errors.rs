//! The model's diagnostics (codes E0200–E0259; `crate::reverse` uses E0260–E0269).
//!
//! | code | meaning |
//! |---|---|
//! | E0201 | unknown table |
//! | E0202 | unknown column |
//! | E0203 | unknown index |
//! | E0204 | unknown constraint |
//! | E0205 | unknown enum type |
//! | E0206 | unknown schema |
//! | E0207 | unknown enum value (in `before` / `after`) |
//! | E0210 | a table (or other relation) of that name exists |
//! | E0211 | a column of that name exists |
//! | E0212 | an index (or other relation) of that name exists |
//! | E0213 | a constraint of that name exists |
//! | E0214 | a type of that name exists |
//! | E0215 | an enum value exists |
//! | E0216 | a schema of that name exists |
//! | E0217 | a second primary key |
//! | E0218 | a column listed twice |
//! | E0220 | foreign key to an unknown table |
//! | E0221 | foreign key to an unknown column |
//! | E0222 | foreign key column counts differ |
//! | E0223 | foreign key to columns without a primary key or unique constraint |
//! | E0224 | foreign key column types cannot be compared |
//! | E0225 | foreign key without target columns to a table without a primary key |
//! | E0230 | identifier longer than the dialect allows |
//! | E0240 | dropping a column another table's foreign key uses |
//! | E0241 | dropping a table another table's foreign key references |
//! | E0242 | dropping an enum type a column uses |
//! | E0243 | dropping a schema that is not empty, without `cascade` |
//! | E0244 | dropping the key another table's foreign key needs |
//! | E0250 | a nullable primary key column |
//! | E0251 | identity on a non-integer column |
//! | E0252 | a nullable identity column |
//! | E0253 | a literal that does not fit the column type |
//! | E0254 | a `bulk_insert` row with the wrong number of values |
//! | E0255 | a `bulk_insert` leaving a `not null` column without a value |
//! | E0256 | a `backfill` without a key column |
//! | E0257 | an operation `batch_alter_table` cannot hold |

use super::{Schema, Table};
use crate::diagnostic::Diagnostic;
use crate::ir::{Ident, QualifiedName};
use crate::source::Span;

/// How many names a help message lists before "and N more".
const MAX_LISTED: usize = 10;

/// `"{prefix}: a, b, c"` (capped), or `empty` when there is nothing to list.
pub(crate) fn list_help<S: AsRef<str>>(prefix: &str, items: &[S], empty: &str) -> String {
    if items.is_empty() {
        return empty.to_string();
    }
    let shown: Vec<&str> = items.iter().take(MAX_LISTED).map(AsRef::as_ref).collect();
    let more = items.len().saturating_sub(MAX_LISTED);
    if more > 0 {
        format!("{prefix}: {} (and {more} more)", shown.join(", "))
    } else {
        format!("{prefix}: {}", shown.join(", "))
    }
}

fn display(schema: Option<&str>, name: &str) -> String {
    match schema {
        Some(s) => format!("{s}.{name}"),
        None => name.to_string(),
    }
}

/// Names of the tables in `schema` (`None`: every schema) for a help message.
/// `current` stands for the table being edited, whose slot in the map is empty
/// while an operation runs on it.
pub(crate) fn table_list(
    s: &Schema,
    schema: Option<Option<&str>>,
    current: Option<&Table>,
) -> Vec<String> {
    s.tables
        .values()
        .filter_map(|t| match (t.name.is_empty(), current) {
            (false, _) => Some(t),
            (true, cur) => cur,
        })
        .filter(|t| schema.is_none_or(|want| t.schema.as_deref() == want))
        .map(Table::display_name)
        .collect()
}

pub(crate) fn unknown_table(schema: &Schema, name: &QualifiedName) -> Diagnostic {
    let want = name.schema.as_ref().map(|s| s.value.as_str());
    let known = table_list(schema, Some(want), None);
    Diagnostic::error("E0201", format!("unknown table \"{}\"", name.display()))
        .with_span(
            name.span(),
            format!("no table \"{}\" exists at this revision", name.display()),
        )
        .with_help(list_help(
            "tables known here",
            &known,
            "no table exists at this point of the history",
        ))
}

pub(crate) fn unknown_column(table: &Table, column: &Ident) -> Diagnostic {
    let known: Vec<&str> = table.columns.keys().map(String::as_str).collect();
    Diagnostic::error(
        "E0202",
        format!(
            "unknown column \"{}\" in table \"{}\"",
            column.value,
            table.display_name()
        ),
    )
    .with_span(column.span, "no such column")
    .with_help(list_help(
        &format!("columns of \"{}\"", table.display_name()),
        &known,
        "the table has no columns",
    ))
}

pub(crate) fn too_long(ident: &Ident, what: &str, max: usize) -> Diagnostic {
    Diagnostic::error(
        "E0230",
        format!(
            "{what} name \"{}\" is {} bytes long; the limit is {max}",
            ident.value,
            ident.value.len()
        ),
    )
    .with_span(ident.span, format!("longer than {max} bytes"))
    .with_help(format!(
        "PostgreSQL would silently cut it to {max} bytes; choose a shorter name"
    ))
}

pub(crate) fn duplicate(code: &'static str, what: &str, name: &str, span: Span) -> Diagnostic {
    Diagnostic::error(code, format!("{what} \"{name}\" already exists"))
        .with_span(span, format!("{what} \"{name}\" exists at this revision"))
}

impl Table {
    /// `schema.name` or `name`, for messages.
    pub fn display_name(&self) -> String {
        display(self.schema.as_deref(), &self.name)
    }
}
