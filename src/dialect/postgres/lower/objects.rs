//! Schemas and enum types: `CREATE / DROP SCHEMA`, `CREATE / DROP TYPE ... AS ENUM`,
//! `ALTER TYPE ... ADD VALUE`.
//!
//! `ALTER TYPE ... ADD VALUE` is always non-transactional: a value added inside a
//! transaction cannot be used until that transaction commits, and a later
//! statement of the same script may use it. Running it between transactions is
//! the one rule that is always correct.

use super::Cx;
use crate::dialect::Statement;
use crate::ir::{EnumValuePosition, Ident, QualifiedName};
use minijinja::context;

impl Cx<'_> {
    pub(super) fn create_schema(&mut self, name: &Ident, if_not_exists: bool) -> Vec<Statement> {
        let name = self.ident(name);
        vec![Statement::new(
            self.render("create_schema", context! { name, if_not_exists }),
        )]
    }

    pub(super) fn drop_schema(
        &mut self,
        name: &Ident,
        if_exists: bool,
        cascade: bool,
    ) -> Vec<Statement> {
        let name = self.ident(name);
        let sql = self.render("drop_schema", context! { name, if_exists, cascade });
        vec![Statement::new(sql).destructive()]
    }

    pub(super) fn create_enum(
        &mut self,
        name: &QualifiedName,
        values: &[String],
    ) -> Vec<Statement> {
        let name = self.qname(name);
        let values: Vec<String> = values.iter().map(|v| self.string(v)).collect();
        vec![Statement::new(
            self.render("create_enum", context! { name, values }),
        )]
    }

    pub(super) fn drop_enum(&mut self, name: &QualifiedName) -> Vec<Statement> {
        let name = self.qname(name);
        vec![Statement::new(self.render("drop_enum", context! { name })).destructive()]
    }

    pub(super) fn add_enum_value(
        &mut self,
        name: &QualifiedName,
        value: &str,
        position: Option<&EnumValuePosition>,
    ) -> Vec<Statement> {
        let name = self.qname(name);
        let value = self.string(value);
        let (position, anchor) = match position {
            Some(EnumValuePosition::Before(v)) => (Some("BEFORE"), Some(self.string(v))),
            Some(EnumValuePosition::After(v)) => (Some("AFTER"), Some(self.string(v))),
            None => (None, None),
        };
        let sql = self.render("add_enum_value", context! { name, value, position, anchor });
        vec![Statement::new(sql).non_transactional()]
    }
}
