//! Building IR operations by hand, for tests that do not go through the parser.

use migc::ir::*;
use migc::source::Span;

pub fn sp() -> Span {
    Span::default()
}

pub fn id(s: &str) -> Ident {
    Ident::new(s, sp())
}

pub fn ids(names: &[&str]) -> Vec<Ident> {
    names.iter().map(|n| id(n)).collect()
}

/// `name` or `schema.name`.
pub fn qn(s: &str) -> QualifiedName {
    match s.split_once('.') {
        Some((schema, name)) => QualifiedName {
            schema: Some(id(schema)),
            name: id(name),
        },
        None => QualifiedName {
            schema: None,
            name: id(s),
        },
    }
}

pub fn sql(s: &str) -> SqlText {
    SqlText {
        text: s.into(),
        span: sp(),
    }
}

pub fn op(kind: OpKind) -> Op {
    Op { kind, span: sp() }
}

pub fn col(name: &str, ty: ColumnType) -> ColumnDef {
    ColumnDef {
        name: id(name),
        ty,
        nullable: None,
        primary_key: false,
        identity: None,
        unique: false,
        default: None,
        references: None,
        check: None,
        comment: None,
        span: sp(),
    }
}

pub fn fk(table: &str, columns: &[&str]) -> ForeignKeyRef {
    ForeignKeyRef {
        table: qn(table),
        columns: ids(columns),
        on_delete: None,
        on_update: None,
        deferrable: None,
        use_alter: false,
        span: sp(),
    }
}

pub fn constraint(name: Option<&str>, kind: ConstraintKind) -> TableConstraint {
    TableConstraint {
        name: name.map(id),
        kind,
        span: sp(),
    }
}

pub fn create_table(table: &str, columns: Vec<ColumnDef>, constraints: Vec<TableConstraint>) -> Op {
    op(OpKind::CreateTable(CreateTable {
        table: qn(table),
        columns,
        constraints,
        comment: None,
        if_not_exists: false,
    }))
}

pub fn string(length: u32) -> ColumnType {
    ColumnType::String {
        length: Some(length),
    }
}

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
    let q = qn(table);
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
        .collect();
    let t = Table {
        schema: key.0.clone(),
        name: key.1.clone(),
        columns,
        primary_key: pk.map(|c| PrimaryKey {
            name: format!("{}_pkey", key.1),
            columns: vec![c.to_string()],
        }),
        constraints: indexmap::IndexMap::new(),
        indexes: indexmap::IndexMap::new(),
        comment: None,
    };
    schema.tables.insert(key, t);
}
