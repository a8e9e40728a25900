//! The SQLite backend's diagnostics (E0550–E0599). Each says what SQLite cannot do
//! and what the user can write instead; `docs/sqlite.md` lists them.

use super::types::TypeError;
use crate::diagnostic::Diagnostic;
use crate::source::Span;

/// E0550: a schema-qualified name. SQLite has no schemas.
pub fn schema_qualified(what: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        "E0550",
        format!("SQLite has no schema but `main`: `{what}` cannot be used"),
    )
    .with_span(span, "schema-qualified name")
    .with_help(
        "use an unqualified name for SQLite, or a template variable \
         (`{{ schema }}.users`) set to `main` for SQLite",
    )
}

/// E0551: create_schema / drop_schema.
pub fn no_schemas(span: Span) -> Diagnostic {
    Diagnostic::error(
        "E0551",
        "SQLite has no schema but `main`, so none can be created or dropped",
    )
    .with_span(span, "not possible on SQLite")
    .with_help(
        "leave schemas out of projects that target SQLite, or put the statement in \
         `execute { postgresql \"...\" }` so it runs on PostgreSQL only",
    )
}

/// E0552: a literal that cannot be written as SQLite text (a NUL, a bad UUID...).
pub fn bad_literal(why: String, span: Span) -> Diagnostic {
    if why.contains("64-bit") {
        return Diagnostic::error("E0553", why)
            .with_span(span, "integer out of range")
            .with_help("store larger numbers as text or numeric(P, S) with a string literal");
    }
    Diagnostic::error(
        "E0552",
        format!("value cannot be written for SQLite: {why}"),
    )
    .with_span(span, "in this operation")
    .with_help("remove the NUL character, or store the value as binary (x'...')")
}

/// E0554: autoincrement / identity anywhere but a one-column INTEGER PRIMARY KEY.
pub fn bad_identity(table: &str, column: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        "E0554",
        format!("SQLite can only autoincrement a one-column INTEGER primary key, not `{table}.{column}`"),
    )
    .with_span(span, "autoincrement here")
    .with_help(
        "make the column `integer primary_key autoincrement` (a one-column integer primary \
         key), or remove `autoincrement`/`identity`",
    )
}

/// E0555 / E0556 / internal: a column type SQLite cannot declare.
pub fn bad_type(err: TypeError, column: &str, span: Span) -> Diagnostic {
    match err {
        TypeError::NoNativeText => Diagnostic::error(
            "E0555",
            format!("column `{column}` has a native type with no text for SQLite"),
        )
        .with_span(span, "native type without `sqlite`")
        .with_help("write `native { postgresql \"...\" sqlite \"TEXT\" }`"),
        TypeError::UnknownEnum(ty) => Diagnostic::error(
            "E0556",
            format!("column `{column}` has type `{ty}`, which is not known here"),
        )
        .with_span(span, "unknown enum type")
        .with_help("create it first with `create_enum` (without a schema on SQLite)"),
        TypeError::Internal(msg) => Diagnostic::internal(msg),
    }
}

/// E0557: a name SQLite cannot store (empty, or with a NUL).
pub fn bad_name(why: String, span: Span) -> Diagnostic {
    Diagnostic::error("E0557", why)
        .with_span(span, "this name")
        .with_help("rename it without control characters (tabs, line breaks, NUL)")
}

/// E0559: a table, index or type name starting with `sqlite_`.
pub fn reserved_name(name: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        "E0559",
        format!("SQLite reserves names starting with `sqlite_`: `{name}` cannot be used"),
    )
    .with_span(span, "reserved name")
    .with_help("choose another name")
}

/// E0558: the table to alter is not in the model (the model stage normally says so first).
pub fn unknown_table(name: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        "E0558",
        format!("table `{name}` is not known at this revision"),
    )
    .with_span(span, "cannot be rebuilt")
    .with_help(
        "check the table name; SQLite alters most tables by rebuilding them from the schema model",
    )
}
