//! Rendered column, constraint and index definitions, by what they are made of.
//!
//! A table rebuild writes the whole `CREATE TABLE` again, so a table changed ten
//! times renders its unchanged columns ten times; the template engine costs a few
//! thousand instructions a line. The key is every value the template receives, so
//! a hit is the same text; the map starts over when full, so memory stays small.

use crate::diagnostic::Diagnostic;
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

thread_local! {
    static LINES: RefCell<FxMap<Vec<u8>, String>> = RefCell::new(FxMap::default());
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
