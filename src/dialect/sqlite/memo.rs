//! Rendered column, constraint and index definitions, by what they are made of.
//!
//! A table rebuild writes the whole `CREATE TABLE` again, so a table changed ten
//! times renders its unchanged columns ten times; the template engine costs a few
//! thousand instructions a line. The key is every value the template receives, so
//! a hit is the same text; the map starts over when full, so memory stays small.
//!
//! Cheaper still for a column: the line last rendered for the same column of the
//! same table, reused when the column and the table's primary key are unchanged
//! (the usual case in a rebuild), without building the key at all.

use crate::diagnostic::Diagnostic;
use crate::model::Column;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

const ENTRIES: usize = 16_384;

/// FxHash (rustc's hasher): the keys are our own SQL text and names, not input
/// chosen to collide, so SipHash's flood resistance buys nothing here and costs
/// several times the instructions per lookup.
#[derive(Default)]
struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// A column line and what it was rendered from.
struct ColumnLine {
    column: Column,
    inline_pk: bool,
    pk_name: Option<String>,
    line: String,
}

thread_local! {
    static LINES: RefCell<FxMap<Vec<u8>, String>> = RefCell::new(FxMap::default());
    /// By table name, then column name.
    static COLUMNS: RefCell<FxMap<String, FxMap<String, ColumnLine>>> =
        RefCell::new(FxMap::default());
}

/// A key made of `parts`, each prefixed with its length: no two lists of parts
/// give one key.
pub fn key(parts: &[&str]) -> Vec<u8> {
    let mut key = Vec::with_capacity(parts.iter().map(|p| p.len() + 8).sum());
    for part in parts {
        key.extend_from_slice(&part.len().to_le_bytes());
        key.extend_from_slice(part.as_bytes());
    }
    key
}

/// The text `render` gives for `key`: remembered, or rendered and remembered.
pub fn render(
    key: Vec<u8>,
    render: impl FnOnce() -> Result<String, Diagnostic>,
) -> Result<String, Diagnostic> {
    if let Some(hit) = LINES.with(|m| m.borrow().get(&key).cloned()) {
        return Ok(hit);
    }
    let text = render()?;
    LINES.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= ENTRIES {
            m.clear();
        }
        m.insert(key, text.clone());
    });
    Ok(text)
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
    let hit = COLUMNS.with(|m| {
        let m = m.borrow();
        let last = m.get(table)?.get(column.name.as_str())?;
        (last.inline_pk == inline_pk
            && last.pk_name.as_deref() == pk_name
            && last.column == *column)
            .then(|| last.line.clone())
    });
    if let Some(line) = hit {
        return Ok(line);
    }
    let line = render()?;
    COLUMNS.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= ENTRIES {
            m.clear();
        }
        let table = match m.get_mut(table) {
            Some(columns) => columns,
            None => m.entry(table.to_string()).or_default(),
        };
        if table.len() >= ENTRIES {
            table.clear();
        }
        table.insert(
            column.name.clone(),
            ColumnLine {
                column: column.clone(),
                inline_pk,
                pk_name: pk_name.map(str::to_string),
                line: line.clone(),
            },
        );
    });
    Ok(line)
}
