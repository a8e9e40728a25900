//! The operation IR: what a revision file means, independent of any SQL dialect.
//!
//! The parser (`crate::syntax`) builds these values from a revision file; template
//! variables (`{{ schema }}`) are still unexpanded in [`Ident`]s and [`SqlText`]
//! until `crate::template::bind` renders them. Every operation carries the span
//! of the statement it came from so that later stages (schema model, derived
//! downgrade, dialect lowering) can point at it.
//!
//! Each variant says which DSL form produces it and which SQL it corresponds to.
//! `docs/language.md` is the user-facing description of the same forms.

pub mod normalize;
mod types;
mod value;

pub use types::{ColumnType, Dialect};
pub use value::{Default, Literal};

use crate::source::Span;

/// An identifier as written (after template binding: as rendered).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    pub value: String,
    pub span: Span,
}

impl Ident {
    pub fn new(value: impl Into<String>, span: Span) -> Self {
        Ident {
            value: value.into(),
            span,
        }
    }
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

/// `schema.name` or `name` (the dialect's default schema).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QualifiedName {
    pub schema: Option<Ident>,
    pub name: Ident,
}

impl QualifiedName {
    pub fn span(&self) -> Span {
        match &self.schema {
            Some(s) => s.span.to(self.name.span),
            None => self.name.span,
        }
    }
    /// `schema.name` or `name`, unquoted, for messages.
    pub fn display(&self) -> String {
        match &self.schema {
            Some(s) => format!("{}.{}", s.value, self.name.value),
            None => self.name.value.clone(),
        }
    }
}

/// Raw SQL text passed through verbatim (after template binding).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlText {
    pub text: String,
    pub span: Span,
}

/// One revision file: its header and its operations.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub header: RevisionHeader,
    /// `upgrade { ... }`
    pub upgrade: Vec<Op>,
    /// `downgrade { ... }`; `None` when the file leaves it out and it is derived.
    pub downgrade: Option<Vec<Op>>,
}

/// What the revision graph needs of a file. `crate::syntax::parse_header` reads only
/// this, so `heads` and `history` need not parse every operation.
#[derive(Debug, Clone, PartialEq)]
pub struct RevisionHeader {
    /// `revision a1b2c3d4e5f6`
    pub id: Ident,
    /// `revises none` (empty), `revises a1b2`, `revises a1b2, c3d4` (a merge).
    pub parents: Vec<Ident>,
    /// `message "..."`
    pub message: String,
    /// `branch_labels analytics, reporting`
    pub branch_labels: Vec<Ident>,
    /// `depends_on c3d4e5f6a7b8`
    pub depends_on: Vec<Ident>,
    /// Span of the whole header, for errors about the revision as a whole.
    pub span: Span,
}

/// One operation and the span of the statement it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Op {
    pub kind: OpKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum OpKind {
    /// `create_table users { id integer primary_key ... }` → `CREATE TABLE`.
    CreateTable(CreateTable),
    /// `drop_table users` → `DROP TABLE`.
    DropTable { table: QualifiedName },
    /// `rename_table users to members` → `ALTER TABLE ... RENAME TO`.
    RenameTable {
        table: QualifiedName,
        new_name: Ident,
    },
    /// `add_column users.role string(50) null` → `ALTER TABLE ... ADD COLUMN`.
    AddColumn {
        table: QualifiedName,
        column: ColumnDef,
    },
    /// `drop_column users.role` → `ALTER TABLE ... DROP COLUMN`.
    DropColumn { table: QualifiedName, column: Ident },
    /// `alter_column users.role set not null, set default 'member'` → `ALTER TABLE ... ALTER COLUMN`
    /// (SQLite: a table rebuild for everything but a rename).
    AlterColumn {
        table: QualifiedName,
        column: Ident,
        changes: Vec<ColumnChange>,
    },
    /// `create_index ix_users_email on users (email)` → `CREATE [UNIQUE] INDEX`.
    CreateIndex(CreateIndex),
    /// `drop_index ix_users_email [on users]` → `DROP INDEX`.
    DropIndex {
        name: QualifiedName,
        table: Option<QualifiedName>,
        concurrently: bool,
        if_exists: bool,
    },
    /// `create_unique_constraint`, `create_foreign_key`, `create_check_constraint`,
    /// `create_primary_key` → `ALTER TABLE ... ADD CONSTRAINT` (SQLite: rebuild).
    AddConstraint {
        table: QualifiedName,
        constraint: TableConstraint,
    },
    /// `drop_constraint fk_orders_user on orders` → `ALTER TABLE ... DROP CONSTRAINT`.
    DropConstraint { table: QualifiedName, name: Ident },
    /// `create_schema analytics [if_not_exists]` → `CREATE SCHEMA`.
    CreateSchema { name: Ident, if_not_exists: bool },
    /// `drop_schema analytics [if_exists] [cascade]` → `DROP SCHEMA`.
    DropSchema {
        name: Ident,
        if_exists: bool,
        cascade: bool,
    },
    /// `create_enum user_status ('active', 'banned')` → `CREATE TYPE ... AS ENUM`
    /// (SQLite: nothing; columns of the type get a CHECK).
    CreateEnum {
        name: QualifiedName,
        values: Vec<String>,
    },
    /// `drop_enum user_status` → `DROP TYPE`.
    DropEnum { name: QualifiedName },
    /// `add_enum_value user_status 'archived' [before 'banned' | after 'active']`
    /// → `ALTER TYPE ... ADD VALUE`.
    AddEnumValue {
        name: QualifiedName,
        value: String,
        position: Option<EnumValuePosition>,
    },
    /// `comment_on_table users "..."` / `comment_on_table users null` → `COMMENT ON TABLE`.
    SetTableComment {
        table: QualifiedName,
        comment: Option<String>,
    },
    /// `execute "UPDATE ..."`, or per dialect `execute { postgresql "..." sqlite "..." }`,
    /// optionally with `reverse "..."` / `reverse none`.
    Execute(Execute),
    /// `bulk_insert users (id, email) { (1, 'a@example.com') (2, null) }` → `INSERT ... VALUES`.
    BulkInsert {
        table: QualifiedName,
        columns: Vec<Ident>,
        rows: Vec<Vec<Literal>>,
    },
    /// `backfill users set "slug = lower(name)" where "slug IS NULL" batch 5000 [key id]`
    /// → PostgreSQL: a `DO` block updating chunks of `batch` rows until none is left;
    /// SQLite: the same `UPDATE` in one statement (no procedural loop exists).
    Backfill(Backfill),
    /// `batch_alter_table users { ... }`: alterations of one table that a dialect
    /// may apply together (SQLite: one rebuild for all of them).
    BatchAlterTable { table: QualifiedName, ops: Vec<Op> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct CreateTable {
    pub table: QualifiedName,
    pub columns: Vec<ColumnDef>,
    /// Table-level constraints written in the body (`primary_key (a, b)`, `unique ...`,
    /// `foreign_key ...`, `check ...`). Column-level shorthands stay on the column.
    pub constraints: Vec<TableConstraint>,
    pub comment: Option<String>,
    pub if_not_exists: bool,
}

/// A column as written in `create_table` or `add_column`.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnDef {
    pub name: Ident,
    pub ty: ColumnType,
    /// `Some(false)` for `not null`, `Some(true)` for `null`; `None` when unsaid
    /// (nullable, unless the column is a primary key).
    pub nullable: Option<bool>,
    /// `primary_key` on the column.
    pub primary_key: bool,
    /// `autoincrement` (PostgreSQL `SERIAL`-like identity; SQLite `AUTOINCREMENT`),
    /// or `identity` / `identity always`.
    pub identity: Option<Identity>,
    /// `unique` on the column.
    pub unique: bool,
    /// `default 'member'`, `default 0`, `default sql "now()"`.
    pub default: Option<Default>,
    /// `references users.id [on delete cascade] ...` on the column.
    pub references: Option<ForeignKeyRef>,
    /// `check "amount > 0"` on the column.
    pub check: Option<SqlText>,
    /// `comment "..."`.
    pub comment: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    /// `autoincrement`: `GENERATED BY DEFAULT AS IDENTITY` on PostgreSQL,
    /// `INTEGER PRIMARY KEY AUTOINCREMENT` on SQLite.
    ByDefault,
    /// `identity always`: `GENERATED ALWAYS AS IDENTITY`.
    Always,
}

/// The target side of a foreign key plus its actions.
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKeyRef {
    pub table: QualifiedName,
    pub columns: Vec<Ident>,
    pub on_delete: Option<FkAction>,
    pub on_update: Option<FkAction>,
    pub deferrable: Option<Deferrable>,
    /// `use_alter`: created with a separate `ALTER TABLE ... ADD CONSTRAINT` after the
    /// revision's tables exist, which breaks cycles between tables (Alembic's `use_alter=True`).
    pub use_alter: bool,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FkAction {
    Cascade,
    SetNull,
    SetDefault,
    Restrict,
    NoAction,
}

impl FkAction {
    pub fn sql(self) -> &'static str {
        match self {
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
            FkAction::Restrict => "RESTRICT",
            FkAction::NoAction => "NO ACTION",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deferrable {
    /// `deferrable` (= `DEFERRABLE INITIALLY IMMEDIATE`)
    Immediate,
    /// `deferrable initially deferred`
    Deferred,
}

/// A named table-level constraint. `name` is `None` when the user did not name it;
/// the schema model then gives it PostgreSQL's default name (`users_pkey`,
/// `users_email_key`, `orders_user_id_fkey`, `orders_amount_check`).
#[derive(Debug, Clone, PartialEq)]
pub struct TableConstraint {
    pub name: Option<Ident>,
    pub kind: ConstraintKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ConstraintKind {
    PrimaryKey {
        columns: Vec<Ident>,
    },
    Unique {
        columns: Vec<Ident>,
    },
    ForeignKey {
        columns: Vec<Ident>,
        references: ForeignKeyRef,
    },
    Check {
        expr: SqlText,
    },
}

/// One change in an `alter_column`, applied in the order written.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnChange {
    /// `set not null`
    SetNotNull,
    /// `drop not null` / `set null`
    DropNotNull,
    /// `type bigint [using "amount::bigint"]`
    SetType {
        ty: ColumnType,
        using: Option<SqlText>,
    },
    /// `set default 'member'` / `set default sql "now()"`
    SetDefault(Default),
    /// `drop default`
    DropDefault,
    /// `rename to email_address`
    Rename(Ident),
    /// `comment "..."` / `comment null`
    Comment(Option<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct CreateIndex {
    pub name: Ident,
    pub table: QualifiedName,
    pub unique: bool,
    pub elements: Vec<IndexElement>,
    /// `where "deleted_at IS NULL"` (a partial index).
    pub where_clause: Option<SqlText>,
    /// `concurrently` (PostgreSQL; runs outside the transaction).
    pub concurrently: bool,
    pub if_not_exists: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum IndexElement {
    /// A column, optionally `desc`.
    Column { name: Ident, descending: bool },
    /// `sql "lower(email)"`: an expression index element.
    Expression(SqlText),
}

#[derive(Debug, Clone, PartialEq)]
pub enum EnumValuePosition {
    Before(String),
    After(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Execute {
    /// `execute "..."`: for every dialect.
    pub sql: Option<SqlText>,
    /// `execute { postgresql "..." sqlite "..." }`: per dialect; wins over `sql`.
    pub per_dialect: Vec<(Dialect, SqlText)>,
    /// What undoes it in a derived downgrade. `None`: nothing said, so a derived
    /// downgrade is an error pointing here.
    pub reverse: Option<Reverse>,
}

/// `reverse "..."` or `reverse none` after `execute` or `backfill`.
#[derive(Debug, Clone, PartialEq)]
pub enum Reverse {
    /// `reverse none`: the downgrade deliberately does nothing for this operation.
    Nothing,
    /// `reverse "DELETE FROM ..."`: raw SQL run by the derived downgrade.
    Sql(SqlText),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Backfill {
    pub table: QualifiedName,
    /// The `SET` list, e.g. `slug = lower(replace(full_name, ' ', '-'))`.
    pub set: SqlText,
    /// Which rows still need the update, e.g. `slug IS NULL`. Must become false
    /// once a row is updated, or the loop would not end.
    pub where_clause: SqlText,
    pub batch_size: u64,
    /// The key column used to pick a chunk; defaults to the single-column primary key.
    pub key: Option<Ident>,
    pub reverse: Option<Reverse>,
}
