//! Identifier quoting for SQLite.
//!
//! Every identifier is double-quoted, with `"` doubled inside. SQLite adds keywords
//! from release to release, and its keyword page advises quoting any identifier that
//! is an English word; quoting always is the only rule that cannot go stale, and
//! it keeps the output uniform (`ALTER TABLE ... RENAME TO` writes quoted names
//! into `sqlite_master` anyway). A NUL cannot be quoted at all: it is refused.

use crate::script::has_control;

/// `users` → `"users"`, `a"b` → `"a""b"`.
pub fn ident(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    push_ident(&mut out, name);
    out
}

/// [`ident`], appended to `out`.
pub fn push_ident(out: &mut String, name: &str) {
    out.push('"');
    if name.contains('"') {
        out.push_str(&name.replace('"', "\"\""));
    } else {
        out.push_str(name);
    }
    out.push('"');
}

/// A comma-separated list of quoted identifiers, written into one string.
pub fn ident_list<S: AsRef<str>>(names: &[S]) -> String {
    let mut out = String::with_capacity(names.iter().map(|n| n.as_ref().len() + 4).sum());
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_ident(&mut out, name.as_ref());
    }
    out
}

/// Why a name cannot be written as an SQLite identifier, if it cannot.
pub fn check_ident(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("an empty name cannot be an SQLite identifier".into());
    }
    if has_control(name) {
        // A NUL ends the name in SQLite's C API; the `sqlite3` shell drops a `\r`
        // that ends a line. Neither can be written faithfully, nor any control
        // character, in a name.
        return Err(format!(
            "the name {name:?} has a control character, which an SQLite name cannot hold here"
        ));
    }
    Ok(())
}

/// Text for a `-- ...` comment line: control characters (a line break would end
/// the comment and turn the rest into SQL) are written as escapes.
pub fn comment_text(text: &str) -> String {
    if !has_control(text) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_doubles() {
        assert_eq!(ident("users"), "\"users\"");
        assert_eq!(ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(ident("Order Items"), "\"Order Items\"");
        assert_eq!(ident("ünïcødé😀"), "\"ünïcødé😀\"");
        assert_eq!(ident_list(&["a", "b"]), "\"a\", \"b\"");
    }

    #[test]
    fn refuses_nul_and_empty() {
        assert!(check_ident("a\0b").is_err());
        assert!(check_ident("a\r\nb").is_err());
        assert!(check_ident("").is_err());
        assert!(check_ident("select").is_ok());
    }

    #[test]
    fn comment_text_cannot_break_the_line() {
        assert_eq!(comment_text("a\nDROP TABLE x"), "a\\nDROP TABLE x");
        assert!(!comment_text("\r\n\u{b}\u{c}\u{85}\u{2028}x").contains(['\n', '\r']));
        assert_eq!(comment_text("a\u{85}b"), "a\\u{85}b");
        assert_eq!(comment_text("ünï\u{a0}\u{7f}"), "ünï\u{a0}\\u{7f}");
    }
}
