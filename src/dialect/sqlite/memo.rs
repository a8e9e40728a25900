//! Rendered column, constraint and index definitions, by what they are made of.
//!
//! A table rebuild writes the whole `CREATE TABLE` again, so a table changed ten
//! times renders its unchanged columns ten times; the template engine costs a few
//! thousand instructions a line. The key is every value the template receives, so
//! a hit is the same text; the map starts over when full, so memory stays small.

use crate::diagnostic::Diagnostic;
use std::cell::RefCell;
use std::collections::HashMap;

const ENTRIES: usize = 16_384;

thread_local! {
    static LINES: RefCell<HashMap<Vec<u8>, String>> = RefCell::new(HashMap::new());
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
