//! Which raw SQL (`execute`) must run outside a transaction block: the prefixes in
//! `dialects/postgresql/non_transactional.txt`, matched word by word, case
//! ignored, after leading comments; `*` stands for one or more words.

use std::sync::OnceLock;

const PREFIXES: &str = include_str!("../../../dialects/postgresql/non_transactional.txt");

fn patterns() -> &'static Vec<Vec<String>> {
    static P: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    P.get_or_init(|| {
        PREFIXES
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| l.split_whitespace().map(str::to_uppercase).collect())
            .collect()
    })
}

/// The SQL without leading whitespace and comments.
fn skip_comments(mut sql: &str) -> &str {
    loop {
        sql = sql.trim_start();
        if let Some(rest) = sql.strip_prefix("--") {
            sql = rest.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(rest) = sql.strip_prefix("/*") {
            sql = rest.split_once("*/").map_or("", |(_, after)| after);
        } else {
            return sql;
        }
    }
}

/// Does `words` start with `pattern` (`*`: one or more words)?
fn starts_with(words: &[String], pattern: &[String]) -> bool {
    match pattern.split_first() {
        None => true,
        Some((p, rest)) if p == "*" => (1..=words.len()).any(|n| starts_with(&words[n..], rest)),
        Some((p, rest)) => words
            .split_first()
            .is_some_and(|(w, more)| w == p && starts_with(more, rest)),
    }
}

/// Must this raw SQL run between transactions?
pub fn needs_no_transaction(sql: &str) -> bool {
    let first = skip_comments(sql).split(';').next().unwrap_or("");
    let words: Vec<String> = first
        .split_whitespace()
        .take(16)
        .map(str::to_uppercase)
        .collect();
    patterns().iter().any(|p| starts_with(&words, p))
}

#[cfg(test)]
mod tests {
    use super::needs_no_transaction as ntx;

    #[test]
    fn statements_postgres_refuses_in_a_transaction() {
        assert!(ntx("CREATE INDEX CONCURRENTLY ix ON t (a)"));
        assert!(ntx(
            "-- build it online\n  create unique index\nconcurrently ix on t (a);"
        ));
        assert!(ntx("/* c */ VACUUM ANALYZE t"));
        assert!(ntx("ALTER TYPE \"My Type\" ADD VALUE 'x'"));
        assert!(ntx("ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY"));
    }

    #[test]
    fn everything_else_stays_in_the_transaction() {
        assert!(!ntx("CREATE INDEX ix ON t (a)"));
        assert!(!ntx("UPDATE t SET a = 'VACUUM'"));
        assert!(!ntx("ALTER TYPE t RENAME VALUE 'a' TO 'b'"));
        assert!(!ntx("ALTER TABLE p DETACH PARTITION p1"));
        assert!(!ntx("-- VACUUM\nSELECT 1"));
        assert!(!ntx(""));
    }
}
