//! A tiny scanner for the raw SQL expressions the model stores (check constraints,
//! expression index elements, partial-index `WHERE` clauses).
//!
//! The model does not parse SQL. It only needs to know which column names an
//! expression mentions (PostgreSQL names a check constraint after its only column,
//! drops dependants with a column, and rewrites expressions on a column rename), so it
//! finds identifier tokens outside string literals, skipping function names
//! (`lower(`), type names after `::` and qualified parts before a `.`.

/// One identifier token: byte range in the expression, and its name
/// (quoted identifiers unquoted, bare ones as written).
struct Token {
    start: usize,
    end: usize,
    name: String,
    quoted: bool,
}

/// Column names an expression mentions, in first-mention order, without repeats.
/// `columns` lists the table's columns; bare identifiers match case-insensitively
/// when no exact match exists (PostgreSQL folds them to lower case).
pub(crate) fn mentioned_columns<'a>(
    expr: &str,
    columns: impl Iterator<Item = &'a str> + Clone,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tok in column_tokens(expr) {
        if let Some(c) = resolve(&tok, columns.clone()) {
            if !out.iter().any(|o| o == c) {
                out.push(c.to_string());
            }
        }
    }
    out
}

/// Does the expression mention column `column`?
pub(crate) fn mentions(expr: &str, column: &str) -> bool {
    column_tokens(expr).any(|t| resolve(&t, std::iter::once(column)).is_some())
}

/// The expression with every mention of column `old` replaced by `new`
/// (quoted when `new` is not a plain lower-case identifier).
pub(crate) fn rename_column(expr: &str, old: &str, new: &str) -> String {
    let mut out = String::with_capacity(expr.len());
    let mut last = 0;
    for tok in column_tokens(expr) {
        if resolve(&tok, std::iter::once(old)).is_none() {
            continue;
        }
        out.push_str(&expr[last..tok.start]);
        out.push_str(&render_ident(new, tok.quoted));
        last = tok.end;
    }
    out.push_str(&expr[last..]);
    out
}

fn resolve<'a>(tok: &Token, mut columns: impl Iterator<Item = &'a str> + Clone) -> Option<&'a str> {
    if let Some(c) = columns.clone().find(|c| *c == tok.name) {
        return Some(c);
    }
    if tok.quoted {
        return None;
    }
    let folded = tok.name.to_lowercase();
    columns.find(|c| *c == folded)
}

fn render_ident(name: &str, quoted: bool) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$');
    if plain && !quoted {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// Identifier tokens that can be column references.
fn column_tokens(expr: &str) -> impl Iterator<Item = Token> + '_ {
    let toks = tokens(expr);
    toks.into_iter().filter(move |t| {
        let before = expr[..t.start].trim_end();
        let after = expr[t.end..].trim_start();
        let is_call = after.starts_with('(');
        let is_cast_type = before.ends_with("::");
        let is_qualifier = after.starts_with('.') && !after.starts_with("..");
        !(is_call || is_cast_type || is_qualifier)
    })
}

fn tokens(expr: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = expr.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' => skip_until_quote(&mut chars, '\''),
            '"' => {
                let name = read_quoted(&mut chars);
                let end = chars.peek().map_or(expr.len(), |(j, _)| *j);
                out.push(Token {
                    start: i,
                    end,
                    name,
                    quoted: true,
                });
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut end = i + c.len_utf8();
                while let Some(&(j, d)) = chars.peek() {
                    if d.is_alphanumeric() || d == '_' || d == '$' {
                        end = j + d.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(Token {
                    start: i,
                    end,
                    name: expr[i..end].to_string(),
                    quoted: false,
                });
            }
            c if c.is_ascii_digit() => {
                // A number such as `1e10`: its letters are not identifiers.
                while chars
                    .peek()
                    .is_some_and(|(_, d)| d.is_alphanumeric() || *d == '.' || *d == '_')
                {
                    chars.next();
                }
            }
            _ => {}
        }
    }
    out
}

type Chars<'a> = std::iter::Peekable<std::str::CharIndices<'a>>;

/// Skip a `'...'` literal (`''` is an escaped quote).
fn skip_until_quote(chars: &mut Chars<'_>, q: char) {
    while let Some((_, c)) = chars.next() {
        if c == q {
            if chars.peek().is_some_and(|(_, d)| *d == q) {
                chars.next();
            } else {
                return;
            }
        }
    }
}

/// Read a `"..."` identifier (`""` is an escaped quote) after its opening quote.
fn read_quoted(chars: &mut Chars<'_>) -> String {
    let mut name = String::new();
    while let Some((_, c)) = chars.next() {
        if c == '"' {
            if chars.peek().is_some_and(|(_, d)| *d == '"') {
                chars.next();
                name.push('"');
            } else {
                break;
            }
        } else {
            name.push(c);
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_columns_outside_strings_and_calls() {
        let cols = ["amount", "email", "Name"];
        let got = mentioned_columns(
            "amount > 0 AND lower(email) <> 'amount' AND \"Name\" IS NOT NULL AND x::text = 'a'",
            cols.iter().copied(),
        );
        assert_eq!(got, vec!["amount", "email", "Name"]);
    }

    #[test]
    fn renames_whole_tokens_only() {
        assert_eq!(
            rename_column(
                "amount > amount_min AND 'amount' <> \"amount\"",
                "amount",
                "total"
            ),
            "total > amount_min AND 'amount' <> \"total\""
        );
        assert_eq!(rename_column("a > 0", "a", "Big"), "\"Big\" > 0");
    }

    #[test]
    fn upper_case_bare_identifiers_fold() {
        assert!(mentions("AMOUNT > 0", "amount"));
        assert!(!mentions("1e10 > 0", "e10"));
    }
}
