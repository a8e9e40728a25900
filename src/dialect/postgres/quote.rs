//! Identifier quoting for PostgreSQL, the only place that decides it.
//!
//! A name is written bare when PostgreSQL would read it back unchanged: lower-case
//! `[a-z_][a-z0-9_$]*` and not a key word from `dialects/postgresql/reserved_words.txt`.
//! Anything else is wrapped in `"` with every `"` doubled. The rule is the same for
//! every kind of name (table, column, type, schema, constraint, index), so one name is
//! always written the same way in a script.
//!
//! Names PostgreSQL cannot store (empty, containing NUL, longer than 63 bytes) are
//! reported by [`check_ident`]; quoting itself never fails.

use std::sync::OnceLock;

/// PostgreSQL keeps the first `NAMEDATALEN - 1` bytes of a name and silently truncates
/// the rest; we refuse such names instead.
pub const MAX_IDENT_BYTES: usize = 63;

const RESERVED_WORDS: &str = include_str!("../../../dialects/postgresql/reserved_words.txt");

/// The key words by length, each list sorted: a lookup (one per name quoted)
/// compares the name with a few words of its own length, not with a tree's worth.
fn reserved() -> &'static [Vec<&'static str>] {
    static WORDS: OnceLock<Vec<Vec<&'static str>>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut by_len: Vec<Vec<&'static str>> = Vec::new();
        for word in RESERVED_WORDS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            if by_len.len() <= word.len() {
                by_len.resize(word.len() + 1, Vec::new());
            }
            by_len[word.len()].push(word);
        }
        for words in &mut by_len {
            words.sort_unstable();
            words.dedup();
        }
        by_len
    })
}

/// Is `word` (already lower case) a key word that must be quoted?
pub fn is_reserved(word: &str) -> bool {
    reserved()
        .get(word.len())
        .is_some_and(|words| words.binary_search(&word).is_ok())
}

/// Bytes, not chars: every allowed character is ASCII, and a byte of a
/// multi-byte character matches none of them.
fn is_plain(name: &str) -> bool {
    let mut bytes = name.bytes();
    let first_ok = matches!(bytes.next(), Some(b'a'..=b'z' | b'_'));
    first_ok && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'$'))
}

/// Quote `name` when needed: `users` → `users`, `Users` → `"Users"`, `user` → `"user"`,
/// `a"b` → `"a""b"`.
pub fn quote_ident(name: &str) -> String {
    if is_plain(name) && !is_reserved(name) {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// Why PostgreSQL cannot hold `name` as written, if it cannot.
pub fn check_ident(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("PostgreSQL does not allow an empty name".into());
    }
    if name.contains('\0') {
        return Err("PostgreSQL names cannot contain a NUL character".into());
    }
    if name.len() > MAX_IDENT_BYTES {
        return Err(format!(
            "the name `{name}` is {} bytes long; PostgreSQL keeps only the first {MAX_IDENT_BYTES} bytes",
            name.len()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_stay_bare() {
        for n in ["users", "_x", "a1", "pay$", "order_items"] {
            assert_eq!(quote_ident(n), n);
        }
    }

    #[test]
    fn other_names_are_quoted_with_quotes_doubled() {
        assert_eq!(quote_ident("Users"), "\"Users\"");
        assert_eq!(quote_ident("Order Items"), "\"Order Items\"");
        assert_eq!(quote_ident("1abc"), "\"1abc\"");
        assert_eq!(quote_ident("$x"), "\"$x\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(quote_ident("é"), "\"é\"");
        assert_eq!(quote_ident("a;b--"), "\"a;b--\"");
    }

    #[test]
    fn key_words_are_quoted() {
        for n in [
            "user", "order", "select", "table", "left", "time", "between", "desc",
        ] {
            assert_eq!(quote_ident(n), format!("\"{n}\""), "{n}");
        }
        // Unreserved key words may stay bare.
        for n in ["name", "type", "key", "value", "data"] {
            assert_eq!(quote_ident(n), n);
        }
    }

    #[test]
    fn names_postgres_cannot_hold_are_rejected() {
        assert!(check_ident("").is_err());
        assert!(check_ident("a\0b").is_err());
        assert!(check_ident(&"a".repeat(63)).is_ok());
        assert!(check_ident(&"a".repeat(64)).is_err());
        // 32 two-byte characters: 64 bytes.
        assert!(check_ident(&"é".repeat(32)).is_err());
    }
}
