//! The generator's own small schema model: just enough to keep every generated
//! operation valid against the schema built so far (drops, renames and alters only
//! touch what exists; unique indexes only on columns whose data is unique; nothing
//! rewrites a column that raw SQL text mentions).

use super::rng::Rng;
use std::collections::BTreeSet;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Int,
    BigInt,
    Str(u32),
    Text,
    Numeric,
    Bool,
    Date,
    Ts,
    Uuid,
    Json,
}

impl Kind {
    pub fn random(rng: &mut Rng) -> Kind {
        match rng.below(14) {
            0..=2 => Kind::Int,
            3 => Kind::BigInt,
            4..=6 => Kind::Str(*rng.pick(&[80, 120, 255])),
            7 => Kind::Text,
            8 => Kind::Numeric,
            9 => Kind::Bool,
            10 => Kind::Date,
            11 => Kind::Ts,
            12 => Kind::Uuid,
            _ => Kind::Json,
        }
    }

    pub fn syntax(self) -> String {
        match self {
            Kind::Int => "integer".into(),
            Kind::BigInt => "bigint".into(),
            Kind::Str(n) => format!("string({n})"),
            Kind::Text => "text".into(),
            Kind::Numeric => "numeric(12, 2)".into(),
            Kind::Bool => "boolean".into(),
            Kind::Date => "date".into(),
            Kind::Ts => "timestamptz".into(),
            Kind::Uuid => "uuid".into(),
            Kind::Json => "jsonb".into(),
        }
    }

    /// Whether generated values of this kind are all distinct (so a unique index holds).
    pub fn distinct_values(self) -> bool {
        matches!(
            self,
            Kind::Int | Kind::BigInt | Kind::Str(_) | Kind::Text | Kind::Uuid
        )
    }

    pub fn is_text(self) -> bool {
        matches!(self, Kind::Str(_) | Kind::Text)
    }

    pub fn is_number(self) -> bool {
        matches!(self, Kind::Int | Kind::BigInt | Kind::Numeric)
    }

    /// A wider type that every value of this one fits, if any.
    pub fn widened(self) -> Option<Kind> {
        match self {
            Kind::Int => Some(Kind::BigInt),
            Kind::Str(n) if n < 400 => Some(Kind::Str(n + 100)),
            Kind::Str(_) => Some(Kind::Text),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Col {
    pub name: String,
    pub kind: Kind,
    pub nullable: bool,
    pub has_default: bool,
    /// False once rows may share a value (a default filled existing rows).
    pub distinct: bool,
    /// Table this column references (`id`), if it is a foreign-key column.
    pub fk: Option<String>,
}

/// An index or constraint: which columns it names, and which of them appear in raw SQL
/// text (a check, a partial index's `where`, an expression) and so can never be renamed.
#[derive(Clone, Debug)]
pub struct Object {
    /// `None` for unnamed constraints (column-level `unique`, `check`, `references`),
    /// which the generator never drops.
    pub name: Option<String>,
    pub cols: Vec<String>,
    pub sql_cols: Vec<String>,
    /// A foreign key: the referenced table.
    pub references: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Table {
    pub name: String,
    pub cols: Vec<Col>,
    pub indexes: Vec<Object>,
    pub constraints: Vec<Object>,
    pub has_rows: bool,
}

impl Table {
    fn objects(&self) -> impl Iterator<Item = &Object> {
        self.indexes.iter().chain(&self.constraints)
    }

    /// Named by any index or constraint.
    pub fn is_used(&self, col: &str) -> bool {
        self.objects().any(|o| o.cols.iter().any(|c| c == col))
    }

    /// Mentioned by raw SQL text of an index or constraint.
    pub fn in_sql(&self, col: &str) -> bool {
        self.objects().any(|o| o.sql_cols.iter().any(|c| c == col))
    }

    pub fn col_mut(&mut self, name: &str) -> Option<&mut Col> {
        self.cols.iter_mut().find(|c| c.name == name)
    }

    pub fn rename_col(&mut self, from: &str, to: &str) {
        if let Some(c) = self.col_mut(from) {
            c.name = to.into();
        }
        let objects = self.indexes.iter_mut().chain(self.constraints.iter_mut());
        for o in objects {
            for c in o.cols.iter_mut().filter(|c| *c == from) {
                *c = to.into();
            }
        }
    }

    /// Columns other than `id`.
    pub fn data_cols(&self) -> impl Iterator<Item = &Col> {
        self.cols.iter().filter(|c| c.name != "id")
    }
}

#[derive(Default)]
pub struct World {
    pub tables: Vec<Table>,
    /// Source of fresh names: every table, column, index and constraint name is unique.
    pub next_name: u64,
    /// Source of distinct values for inserted rows.
    pub next_value: u64,
}

const WORDS: &[&str] = &[
    "account", "invoice", "product", "shipment", "payment", "note", "label", "amount", "customer",
    "region", "price", "score", "title", "body", "flag", "event", "ticket", "vendor", "batch",
    "slot", "quota", "rating", "channel", "draft",
];

impl World {
    pub fn fresh(&mut self, prefix: &str, rng: &mut Rng) -> String {
        self.next_name += 1;
        format!("{prefix}{}_{}", self.next_name, rng.pick(WORDS))
    }

    pub fn fresh_plain(&mut self, prefix: &str) -> String {
        self.next_name += 1;
        format!("{prefix}{}", self.next_name)
    }

    pub fn value_seq(&mut self) -> u64 {
        self.next_value += 1;
        1_000_000 + self.next_value
    }

    /// The tables some other table's foreign key points at.
    pub fn referenced(&self) -> BTreeSet<&str> {
        self.tables
            .iter()
            .flat_map(|t| {
                t.constraints
                    .iter()
                    .filter_map(move |o| o.references.as_deref().filter(|r| *r != t.name))
            })
            .collect()
    }

    pub fn rename_table(&mut self, from: &str, to: &str) {
        for t in &mut self.tables {
            if t.name == from {
                t.name = to.into();
            }
            for o in &mut t.constraints {
                if o.references.as_deref() == Some(from) {
                    o.references = Some(to.into());
                }
            }
            for c in &mut t.cols {
                if c.fk.as_deref() == Some(from) {
                    c.fk = Some(to.into());
                }
            }
        }
    }
}
