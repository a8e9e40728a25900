//! `create_schema`, `drop_schema`, `create_enum`, `drop_enum`, `add_enum_value`.
//!
//! A schema-qualified table in a schema that no `create_schema` made is accepted:
//! the schema may exist outside the migrations (`public`, a tenant schema).

use super::super::build::{check_len, unknown_enum, Cx};
use super::super::errors::{duplicate, list_help};
use super::super::names::KeyRef;
use super::super::{ColumnType, EnumType, Limits, Schema, TableKey};
use super::table::display_key;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ir::{EnumValuePosition, Ident, QualifiedName};
use crate::source::Span;

impl Schema {
    pub(super) fn create_schema(
        &mut self,
        name: &Ident,
        if_not_exists: bool,
        limits: &Limits,
    ) -> Result<(), Vec<Diagnostic>> {
        if self.schemas.contains(&name.value) {
            if if_not_exists {
                return Ok(());
            }
            return Err(vec![duplicate("E0216", "schema", &name.value, name.span)
                .with_help(
                    "say `create_schema if_not_exists NAME` to skip an existing schema",
                )]);
        }
        let mut diags = Diagnostics::new();
        let cx = Cx {
            schema: self,
            limits,
            span: name.span,
        };
        check_len(&cx, name, "schema", &mut diags);
        diags.finish(())?;
        self.schemas.insert(name.value.clone());
        Ok(())
    }

    pub(super) fn drop_schema(
        &mut self,
        name: &Ident,
        if_exists: bool,
        cascade: bool,
    ) -> Result<(), Vec<Diagnostic>> {
        if !self.schemas.contains(&name.value) {
            if if_exists {
                return Ok(());
            }
            let known: Vec<&str> = self.schemas.iter().map(String::as_str).collect();
            return Err(vec![Diagnostic::error(
                "E0206",
                format!("unknown schema \"{}\"", name.value),
            )
            .with_span(name.span, "no schema of that name was created")
            .with_help(list_help(
                "schemas created so far",
                &known,
                "no schema was created with `create_schema` so far",
            ))]);
        }
        let inside = Some(name.value.clone());
        let tables = keys_in(self.tables.keys(), &inside);
        let enums = keys_in(self.enums.keys(), &inside);
        let empty = tables.is_empty() && enums.is_empty();
        if !cascade && !empty {
            let list: Vec<String> = tables.iter().chain(&enums).map(display_key).collect();
            return Err(vec![Diagnostic::error(
                "E0243",
                format!("schema \"{}\" is not empty", name.value),
            )
            .with_span(name.span, "still holds tables or types")
            .with_help(list_help(
                "drop them first, or say `cascade`; it holds",
                &list,
                "",
            ))]);
        }
        if let Some(d) = self.outside_users(&inside, &tables, &enums) {
            return Err(vec![d.with_span(name.span, "used from outside the schema")]);
        }
        for k in &tables {
            if let Some(t) = self.tables.swap_remove(k) {
                self.names.remove_table(&t);
            }
        }
        for k in &enums {
            self.enums.shift_remove(k);
        }
        self.schemas.shift_remove(&name.value);
        Ok(())
    }

    /// E0243 when a table outside the schema references a table or enum inside it:
    /// `cascade` would drop its foreign key or column, which the model refuses to do
    /// silently.
    fn outside_users(
        &self,
        inside: &Option<String>,
        tables: &[TableKey],
        enums: &[TableKey],
    ) -> Option<Diagnostic> {
        let users = self.tables.values().filter(|t| t.schema != *inside);
        for t in users {
            let fk = t
                .foreign_keys()
                .find(|c| tables.iter().any(|k| c.references(k.0.as_deref(), &k.1)));
            let col = t.columns.values().find(|c| match &c.ty {
                ColumnType::Enum { name, schema } => {
                    enums.iter().any(|k| k.0 == *schema && k.1 == *name)
                }
                _ => false,
            });
            let what = match (fk, col) {
                (Some(c), _) => format!("foreign key {} on {}", c.name, t.display_name()),
                (None, Some(c)) => format!("column {}.{}", t.display_name(), c.name),
                (None, None) => continue,
            };
            return Some(
                Diagnostic::error(
                    "E0243",
                    format!("cannot drop schema: {what} depends on something in it"),
                )
                .with_help("drop or change it first"),
            );
        }
        None
    }

    pub(super) fn create_enum(
        &mut self,
        name: &QualifiedName,
        values: &[String],
        limits: &Limits,
        span: Span,
    ) -> Result<(), Vec<Diagnostic>> {
        let mut diags = Diagnostics::new();
        let schema = name.schema.as_ref().map(|s| s.value.clone());
        let key = KeyRef(schema.as_deref(), &name.name.value);
        if self.enums.contains_key(&key) || self.tables.contains_key(&key) {
            diags.push(
                duplicate("E0214", "type", &name.display(), name.span())
                    .with_help("enum types share a namespace with tables (each table is also a type); choose another name"),
            );
        }
        let cx = Cx {
            schema: self,
            limits,
            span,
        };
        check_len(&cx, &name.name, "type", &mut diags);
        for (i, v) in values.iter().enumerate() {
            if values[..i].contains(v) {
                diags.push(duplicate_value(v, span));
            }
            check_value_len(&cx, v, span, &mut diags);
        }
        diags.finish(())?;
        let e = EnumType {
            schema: schema.clone(),
            name: name.name.value.clone(),
            values: values.to_vec(),
        };
        self.enums.insert((schema, e.name.clone()), e);
        Ok(())
    }

    pub(super) fn drop_enum(&mut self, name: &QualifiedName) -> Result<(), Vec<Diagnostic>> {
        let schema = name.schema.as_ref().map(|s| s.value.clone());
        let key = KeyRef(schema.as_deref(), &name.name.value);
        if !self.enums.contains_key(&key) {
            return Err(vec![unknown_enum(self, &name.display(), name.span())]);
        }
        let users: Vec<String> = self
            .tables
            .values()
            .flat_map(|t| {
                t.columns
                    .values()
                    .filter(|c| is_enum(&c.ty, &schema, &name.name.value))
                    .map(move |c| format!("{}.{}", t.display_name(), c.name))
            })
            .collect();
        if !users.is_empty() {
            return Err(vec![Diagnostic::error(
                "E0242",
                format!(
                    "cannot drop enum type \"{}\": columns use it",
                    name.display()
                ),
            )
            .with_span(name.span(), "still in use")
            .with_help(list_help(
                "drop or retype these columns first",
                &users,
                "",
            ))]);
        }
        self.enums.shift_remove(&key);
        Ok(())
    }

    pub(super) fn add_enum_value(
        &mut self,
        name: &QualifiedName,
        value: &str,
        position: Option<&EnumValuePosition>,
        limits: &Limits,
        span: Span,
    ) -> Result<(), Vec<Diagnostic>> {
        let schema = name.schema.as_ref().map(|s| s.value.as_str());
        let Some(e) = self.enums.get(&KeyRef(schema, &name.name.value)) else {
            return Err(vec![unknown_enum(self, &name.display(), name.span())]);
        };
        let mut diags = Diagnostics::new();
        let cx = Cx {
            schema: self,
            limits,
            span,
        };
        check_value_len(&cx, value, span, &mut diags);
        if e.values.iter().any(|v| v == value) {
            diags.push(duplicate_value(value, span));
        }
        let at = match position {
            None => Some(e.values.len()),
            Some(EnumValuePosition::Before(v)) => e.values.iter().position(|x| x == v),
            Some(EnumValuePosition::After(v)) => {
                e.values.iter().position(|x| x == v).map(|i| i + 1)
            }
        };
        if at.is_none() {
            diags.push(unknown_value(e, position, span));
        }
        diags.finish(())?;
        if let (Some(e), Some(at)) = (self.enums.get_mut(&KeyRef(schema, &name.name.value)), at) {
            e.values.insert(at.min(e.values.len()), value.to_string());
        }
        Ok(())
    }
}

fn is_enum(ty: &ColumnType, schema: &Option<String>, name: &str) -> bool {
    matches!(ty, ColumnType::Enum { name: n, schema: s } if n == name && s == schema)
}

fn duplicate_value(v: &str, span: Span) -> Diagnostic {
    Diagnostic::error("E0215", format!("enum value '{v}' already exists"))
        .with_span(span, "a value listed twice")
        .with_help("each value of an enum must be different")
}

fn unknown_value(e: &EnumType, position: Option<&EnumValuePosition>, span: Span) -> Diagnostic {
    let v = match position {
        Some(EnumValuePosition::Before(v) | EnumValuePosition::After(v)) => v.as_str(),
        None => "",
    };
    Diagnostic::error("E0207", format!("enum {} has no value '{v}'", e.name))
        .with_span(span, "unknown value in before/after")
        .with_help(list_help("its values", &e.values, "it has no values"))
}

fn check_value_len(cx: &Cx, v: &str, span: Span, diags: &mut Diagnostics) {
    if let Some(max) = cx.limits.max_identifier_len {
        if v.len() > max {
            diags.push(super::super::errors::too_long(
                &Ident::new(v, span),
                "enum value",
                max,
            ));
        }
    }
}

/// The keys of the objects that live in `schema`.
fn keys_in<'a>(keys: impl Iterator<Item = &'a TableKey>, schema: &Option<String>) -> Vec<TableKey> {
    keys.filter(|k| &k.0 == schema).cloned().collect()
}
