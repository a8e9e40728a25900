//! The IR builder for tests that do not go through the parser (the only one).
//!
//! A [`Src`] is one line of fake source; identifiers built from it get the span of
//! their first occurrence in the line (or of the `n`th with `@n`), so rendered
//! diagnostics show meaningful carets. `Src::none()` (or the static [`NONE`])
//! gives empty spans for set-up. [`schema_with`] and [`add_table`] build a schema
//! model directly, for lowering tests that need one.
#![allow(dead_code)]

use migc::diagnostic::{render, Color, Diagnostic};
use migc::ir::*;
use migc::source::{SourceId, SourceMap, Span};

pub struct Src {
    pub text: String,
}

/// A source with no text: every span is empty. For set-up code.
pub static NONE: Src = Src {
    text: String::new(),
};

impl Src {
    pub fn new(text: &str) -> Src {
        Src { text: text.into() }
    }
    pub fn none() -> Src {
        Src {
            text: String::new(),
        }
    }
    /// Span of `needle` (first occurrence after the previous mark `@`: `"users@2"` is the
    /// second occurrence); the whole line when `needle` is absent or the source empty.
    pub fn span(&self, needle: &str) -> Span {
        let (needle, nth) = split_nth(needle);
        if needle.is_empty() {
            return self.all();
        }
        let (mut from, mut found) = (0, None);
        for _ in 0..nth {
            match self.text[from..].find(needle) {
                Some(i) => {
                    found = Some(from + i);
                    from += i + needle.len();
                }
                None => return self.all(),
            }
        }
        let start = found.unwrap_or(0);
        Span::new(SourceId(0), start, start + needle.len())
    }
    pub fn all(&self) -> Span {
        Span::new(SourceId(0), 0, self.text.len())
    }
    pub fn id(&self, name: &str) -> Ident {
        Ident::new(split_nth(name).0, self.span(name))
    }
    /// `"schema.table"` or `"table"`.
    pub fn qn(&self, name: &str) -> QualifiedName {
        match name.split_once('.') {
            Some((s, n)) => QualifiedName {
                schema: Some(self.id(s)),
                name: self.id(n),
            },
            None => QualifiedName {
                schema: None,
                name: self.id(name),
            },
        }
    }
    pub fn ids(&self, names: &[&str]) -> Vec<Ident> {
        names.iter().map(|n| self.id(n)).collect()
    }
    pub fn sql(&self, text: &str) -> SqlText {
        SqlText {
            text: text.into(),
            span: self.span(text),
        }
    }
    pub fn op(&self, kind: OpKind) -> Op {
        Op {
            kind,
            span: self.all(),
        }
    }
    /// An operation whose span is the line of the source containing `needle`.
    pub fn op_line(&self, needle: &str, kind: OpKind) -> Op {
        let at = self.span(needle).start;
        let start = self.text[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = self.text[at..]
            .find('\n')
            .map_or(self.text.len(), |i| at + i);
        Op {
            kind,
            span: Span::new(SourceId(0), start, end),
        }
    }
    pub fn render(&self, diags: &[Diagnostic]) -> String {
        let mut map = SourceMap::new();
        map.add("versions/0002_test.mig", self.text.clone());
        render(diags, &map, Color::Never)
    }
}

/// `"users@2"` → (`"users"`, 2); anything else → (it, 1).
fn split_nth(s: &str) -> (&str, usize) {
    match s.rsplit_once('@') {
        Some((n, k)) if k.parse::<usize>().is_ok() => (n, k.parse().unwrap_or(1)),
        _ => (s, 1),
    }
}

/// `"integer"`, `"string(50)"`, `"numeric(10, 2)"`, `"enum status"`, `"native citext"`, ...
pub fn ty(s: &str) -> ColumnType {
    let s = s.trim();
    let args = |s: &str| -> Vec<u32> {
        s.split_once('(')
            .map(|(_, a)| {
                a.trim_end_matches(')')
                    .split(',')
                    .filter_map(|x| x.trim().parse().ok())
                    .collect()
            })
            .unwrap_or_default()
    };
    let head = s.split(['(', ' ']).next().unwrap_or(s);
    match head {
        "smallint" => ColumnType::SmallInt,
        "integer" => ColumnType::Integer,
        "bigint" => ColumnType::BigInt,
        "boolean" => ColumnType::Boolean,
        "string" => ColumnType::String {
            length: args(s).first().copied(),
        },
        "text" => ColumnType::Text,
        "numeric" => {
            let a = args(s);
            ColumnType::Numeric {
                precision: a.first().copied(),
                scale: a.get(1).copied(),
            }
        }
        "float" => ColumnType::Float,
        "double" => ColumnType::Double,
        "date" => ColumnType::Date,
        "time" => ColumnType::Time,
        "timestamp" => ColumnType::Timestamp,
        "timestamptz" => ColumnType::TimestampTz,
        "interval" => ColumnType::Interval,
        "uuid" => ColumnType::Uuid,
        "json" => ColumnType::Json,
        "jsonb" => ColumnType::Jsonb,
        "binary" => ColumnType::Binary,
        "enum" => {
            let name = s.trim_start_matches("enum").trim();
            match name.split_once('.') {
                Some((sc, n)) => ColumnType::Enum {
                    name: n.into(),
                    schema: Some(sc.into()),
                },
                None => ColumnType::Enum {
                    name: name.into(),
                    schema: None,
                },
            }
        }
        "native" => ColumnType::Native {
            default: Some(s.trim_start_matches("native").trim().into()),
            per_dialect: vec![],
        },
        other => panic!("test builder: unknown type {other}"),
    }
}

/// A column definition; refine with the methods of [`ColumnDefExt`].
pub fn col(s: &Src, name: &str, t: &str) -> ColumnDef {
    col_typed(s, name, ty(t))
}

/// A column definition of a type built by hand.
pub fn col_typed(s: &Src, name: &str, ty: ColumnType) -> ColumnDef {
    ColumnDef {
        name: s.id(name),
        ty,
        nullable: None,
        primary_key: false,
        identity: None,
        unique: false,
        default: None,
        references: None,
        check: None,
        comment: None,
        span: s.span(name),
    }
}

pub trait ColumnDefExt: Sized {
    fn not_null(self) -> Self;
    fn null(self) -> Self;
    fn pk(self) -> Self;
    fn unique(self) -> Self;
    fn autoincrement(self) -> Self;
    fn default(self, lit: Literal) -> Self;
    fn default_sql(self, sql: &str) -> Self;
    fn references(self, s: &Src, table: &str, cols: &[&str]) -> Self;
    fn check(self, s: &Src, expr: &str) -> Self;
    fn comment(self, c: &str) -> Self;
}

impl ColumnDefExt for ColumnDef {
    fn not_null(mut self) -> Self {
        self.nullable = Some(false);
        self
    }
    fn null(mut self) -> Self {
        self.nullable = Some(true);
        self
    }
    fn pk(mut self) -> Self {
        self.primary_key = true;
        self
    }
    fn unique(mut self) -> Self {
        self.unique = true;
        self
    }
    fn autoincrement(mut self) -> Self {
        self.identity = Some(Identity::ByDefault);
        self
    }
    fn default(mut self, lit: Literal) -> Self {
        self.default = Some(Default::Literal(lit));
        self
    }
    fn default_sql(mut self, sql: &str) -> Self {
        self.default = Some(Default::Expression(sql.into()));
        self
    }
    fn references(mut self, s: &Src, table: &str, cols: &[&str]) -> Self {
        self.references = Some(fk_ref(s, table, cols));
        self
    }
    fn check(mut self, s: &Src, expr: &str) -> Self {
        self.check = Some(s.sql(expr));
        self
    }
    fn comment(mut self, c: &str) -> Self {
        self.comment = Some(c.into());
        self
    }
}

pub fn fk_ref(s: &Src, table: &str, cols: &[&str]) -> ForeignKeyRef {
    ForeignKeyRef {
        table: s.qn(table),
        columns: cols.iter().map(|c| s.id(c)).collect(),
        on_delete: None,
        on_update: None,
        deferrable: None,
        use_alter: false,
        span: s.span(table),
    }
}

pub fn int(n: i64) -> Literal {
    Literal::Integer(n.to_string())
}
pub fn string(v: &str) -> Literal {
    Literal::String(v.into())
}

// ---- table constraints ----

fn tc(s: &Src, name: Option<&str>, kind: ConstraintKind, at: &str) -> TableConstraint {
    TableConstraint {
        name: name.map(|n| s.id(n)),
        kind,
        span: s.span(at),
    }
}
fn ids(s: &Src, cols: &[&str]) -> Vec<Ident> {
    s.ids(cols)
}
/// A table constraint of any kind, spanned at its name.
pub fn constraint(s: &Src, name: Option<&str>, kind: ConstraintKind) -> TableConstraint {
    tc(s, name, kind, name.unwrap_or(""))
}
pub fn pk_c(s: &Src, name: Option<&str>, cols: &[&str]) -> TableConstraint {
    tc(
        s,
        name,
        ConstraintKind::PrimaryKey {
            columns: ids(s, cols),
        },
        name.unwrap_or(""),
    )
}
pub fn unique_c(s: &Src, name: Option<&str>, cols: &[&str]) -> TableConstraint {
    tc(
        s,
        name,
        ConstraintKind::Unique {
            columns: ids(s, cols),
        },
        name.unwrap_or(""),
    )
}
pub fn check_c(s: &Src, name: Option<&str>, expr: &str) -> TableConstraint {
    tc(s, name, ConstraintKind::Check { expr: s.sql(expr) }, expr)
}
pub fn fk_c(
    s: &Src,
    name: Option<&str>,
    cols: &[&str],
    table: &str,
    ref_cols: &[&str],
) -> TableConstraint {
    let kind = ConstraintKind::ForeignKey {
        columns: ids(s, cols),
        references: fk_ref(s, table, ref_cols),
    };
    tc(s, name, kind, table)
}

// ---- operations ----

pub fn create_table(
    s: &Src,
    name: &str,
    columns: Vec<ColumnDef>,
    constraints: Vec<TableConstraint>,
) -> Op {
    s.op(OpKind::CreateTable(CreateTable {
        table: s.qn(name),
        columns,
        constraints,
        comment: None,
        if_not_exists: false,
    }))
}
pub fn drop_table(s: &Src, name: &str) -> Op {
    s.op(OpKind::DropTable { table: s.qn(name) })
}
pub fn rename_table(s: &Src, name: &str, to: &str) -> Op {
    s.op(OpKind::RenameTable {
        table: s.qn(name),
        new_name: s.id(to),
    })
}
pub fn add_column(s: &Src, table: &str, column: ColumnDef) -> Op {
    s.op(OpKind::AddColumn {
        table: s.qn(table),
        column,
    })
}
pub fn drop_column(s: &Src, table: &str, column: &str) -> Op {
    s.op(OpKind::DropColumn {
        table: s.qn(table),
        column: s.id(column),
    })
}
pub fn alter_column(s: &Src, table: &str, column: &str, changes: Vec<ColumnChange>) -> Op {
    s.op(OpKind::AlterColumn {
        table: s.qn(table),
        column: s.id(column),
        changes,
    })
}
pub fn create_index(s: &Src, name: &str, table: &str, cols: &[&str], unique: bool) -> Op {
    s.op(OpKind::CreateIndex(CreateIndex {
        name: s.id(name),
        table: s.qn(table),
        unique,
        elements: cols
            .iter()
            .map(|c| match c.strip_prefix("sql:") {
                Some(x) => IndexElement::Expression(s.sql(x)),
                None => IndexElement::Column {
                    name: s.id(c.trim_end_matches(" desc")),
                    descending: c.ends_with(" desc"),
                },
            })
            .collect(),
        where_clause: None,
        concurrently: false,
        if_not_exists: false,
    }))
}
pub fn drop_index(s: &Src, name: &str, table: Option<&str>) -> Op {
    s.op(OpKind::DropIndex {
        name: s.qn(name),
        table: table.map(|t| s.qn(t)),
        concurrently: false,
        if_exists: false,
    })
}
pub fn add_constraint(s: &Src, table: &str, constraint: TableConstraint) -> Op {
    s.op(OpKind::AddConstraint {
        table: s.qn(table),
        constraint,
    })
}
pub fn drop_constraint(s: &Src, name: &str, table: &str) -> Op {
    s.op(OpKind::DropConstraint {
        table: s.qn(table),
        name: s.id(name),
    })
}
pub fn create_schema(s: &Src, name: &str) -> Op {
    s.op(OpKind::CreateSchema {
        name: s.id(name),
        if_not_exists: false,
    })
}
pub fn drop_schema(s: &Src, name: &str, cascade: bool) -> Op {
    s.op(OpKind::DropSchema {
        name: s.id(name),
        if_exists: false,
        cascade,
    })
}
pub fn create_enum(s: &Src, name: &str, values: &[&str]) -> Op {
    s.op(OpKind::CreateEnum {
        name: s.qn(name),
        values: values.iter().map(|v| v.to_string()).collect(),
    })
}
pub fn drop_enum(s: &Src, name: &str) -> Op {
    s.op(OpKind::DropEnum { name: s.qn(name) })
}
pub fn add_enum_value(s: &Src, name: &str, value: &str, position: Option<EnumValuePosition>) -> Op {
    s.op(OpKind::AddEnumValue {
        name: s.qn(name),
        value: value.into(),
        position,
    })
}
pub fn comment_on(s: &Src, table: &str, comment: Option<&str>) -> Op {
    s.op(OpKind::SetTableComment {
        table: s.qn(table),
        comment: comment.map(Into::into),
    })
}
pub fn execute(s: &Src, sql: &str, reverse: Option<Reverse>) -> Op {
    s.op(OpKind::Execute(Execute {
        sql: Some(s.sql(sql)),
        per_dialect: vec![],
        reverse,
    }))
}
pub fn bulk_insert(s: &Src, table: &str, cols: &[&str], rows: Vec<Vec<Literal>>) -> Op {
    s.op(OpKind::BulkInsert {
        table: s.qn(table),
        columns: ids(s, cols),
        rows,
    })
}
pub fn backfill(s: &Src, table: &str, key: Option<&str>, reverse: Option<Reverse>) -> Op {
    s.op(OpKind::Backfill(Backfill {
        table: s.qn(table),
        set: s.sql("x = 1"),
        where_clause: s.sql("x IS NULL"),
        batch_size: 1000,
        key: key.map(|k| s.id(k)),
        reverse,
    }))
}
pub fn batch(s: &Src, table: &str, ops: Vec<Op>) -> Op {
    s.op(OpKind::BatchAlterTable {
        table: s.qn(table),
        ops,
    })
}

// ---- schema models ----

/// A model holding one table with the given columns (nullable, no keys).
pub fn schema_with(table: &str, columns: &[(&str, ColumnType)]) -> migc::model::Schema {
    let mut schema = migc::model::Schema::default();
    add_table(&mut schema, table, columns, None);
    schema
}

/// Add a table to a model; `pk` names its single primary-key column.
pub fn add_table(
    schema: &mut migc::model::Schema,
    table: &str,
    columns: &[(&str, ColumnType)],
    pk: Option<&str>,
) {
    use migc::model::{Column, PrimaryKey, Table};
    let q = NONE.qn(table);
    let key = (
        q.schema.as_ref().map(|s| s.value.clone()),
        q.name.value.clone(),
    );
    let columns = columns
        .iter()
        .map(|(n, ty)| {
            let c = Column {
                name: n.to_string(),
                ty: ty.clone(),
                nullable: Some(*n) != pk,
                default: None,
                identity: None,
                comment: None,
            };
            (n.to_string(), c)
        })
        .collect::<indexmap::IndexMap<_, _, _>>()
        .into();
    let t = Table {
        schema: key.0.clone(),
        name: key.1.clone(),
        columns,
        primary_key: pk.map(|c| PrimaryKey {
            name: format!("{}_pkey", key.1),
            columns: vec![c.to_string()],
        }),
        constraints: std::default::Default::default(),
        indexes: std::default::Default::default(),
        comment: None,
    };
    schema.tables.insert(key, t.into());
    // Put in directly: the name index must follow.
    schema.reindex();
}
