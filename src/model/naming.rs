//! PostgreSQL's default names for unnamed constraints, used on every dialect so a
//! constraint has one name everywhere.
//!
//! The rules are PostgreSQL's (`makeObjectName`, `ChooseRelationName`,
//! `ChooseConstraintName`, `ChooseIndexNameAddition` in `src/backend/commands/indexcmds.c`
//! and `src/backend/catalog/pg_constraint.c`):
//!
//! | constraint | name |
//! |---|---|
//! | primary key | `{table}_pkey` |
//! | unique (a, b) | `{table}_a_b_key` |
//! | foreign key (a, b) | `{table}_a_b_fkey` |
//! | check mentioning exactly one column `a` | `{table}_a_check` |
//! | any other check | `{table}_check` |
//!
//! The name is cut to 63 bytes (PostgreSQL's `NAMEDATALEN - 1`) by shortening the
//! longer of the table part and the column part, one byte at a time, at a character
//! boundary. When the name is taken, the label gets a number: `users_check`,
//! `users_check1`, `users_check2`, ... Primary keys and unique constraints avoid every
//! relation name (table, index) and constraint name of the schema; foreign keys and
//! checks avoid every constraint name of the schema. The same 63-byte rule is used on
//! SQLite too, so names never depend on the dialect.

/// PostgreSQL's `NAMEDATALEN - 1`.
pub const PG_MAX_NAME: usize = 63;

/// `makeObjectName`: `name1[_name2][_label]`, shortened to 63 bytes.
pub fn make_object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    let mut overhead = if label.is_empty() { 0 } else { label.len() + 1 };
    if name2.is_some() {
        overhead += 1;
    }
    let avail = PG_MAX_NAME.saturating_sub(overhead);
    let mut n1 = name1.len();
    let mut n2 = name2.map_or(0, str::len);
    while n1 + n2 > avail {
        if n1 > n2 {
            n1 -= 1;
        } else {
            n2 -= 1;
        }
    }
    let mut out = clip(name1, n1).to_string();
    if let Some(n) = name2 {
        out.push('_');
        out.push_str(clip(n, n2));
    }
    if !label.is_empty() {
        out.push('_');
        out.push_str(label);
    }
    out
}

/// `pg_mbcliplen`: the longest prefix of at most `len` bytes ending on a char boundary.
fn clip(s: &str, len: usize) -> &str {
    let mut len = len.min(s.len());
    while !s.is_char_boundary(len) {
        len -= 1;
    }
    &s[..len]
}

/// `ChooseIndexNameAddition` / `ChooseForeignKeyConstraintNameAddition`: the column
/// names joined by `_`, stopping once the buffer reaches `NAMEDATALEN`.
pub fn column_addition<S: AsRef<str>>(columns: &[S]) -> String {
    let mut buf = String::new();
    for c in columns {
        if !buf.is_empty() {
            buf.push('_');
        }
        buf.push_str(clip(c.as_ref(), PG_MAX_NAME));
        if buf.len() > PG_MAX_NAME {
            break;
        }
    }
    buf
}

/// `ChooseRelationName` / `ChooseConstraintName`: the first of `label`, `label1`,
/// `label2`, ... whose full name is not `taken`.
pub fn choose_name(
    name1: &str,
    name2: Option<&str>,
    label: &str,
    mut taken: impl FnMut(&str) -> bool,
) -> String {
    let mut pass = 0u32;
    let mut candidate = make_object_name(name1, name2, label);
    while taken(&candidate) {
        pass += 1;
        candidate = make_object_name(name1, name2, &format!("{label}{pass}"));
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names() {
        assert_eq!(make_object_name("users", None, "pkey"), "users_pkey");
        assert_eq!(
            make_object_name("orders", Some("user_id"), "fkey"),
            "orders_user_id_fkey"
        );
    }

    #[test]
    fn long_names_cut_the_longer_part_first() {
        let t = "t".repeat(40);
        let c = "c".repeat(40);
        let n = make_object_name(&t, Some(&c), "key");
        assert_eq!(n.len(), 63);
        assert_eq!(n, format!("{}_{}_key", "t".repeat(29), "c".repeat(29)));
        let n = make_object_name(&"x".repeat(70), Some("id"), "fkey");
        assert_eq!(n, format!("{}_id_fkey", "x".repeat(55)));
    }

    #[test]
    fn multibyte_cut_at_boundary() {
        let t = "é".repeat(40); // 80 bytes
        let n = make_object_name(&t, None, "pkey");
        assert!(n.len() <= 63);
        assert!(n.ends_with("_pkey"));
    }

    #[test]
    fn numbering_on_clash() {
        let taken = ["t_check", "t_check1"];
        assert_eq!(
            choose_name("t", None, "check", |n| taken.contains(&n)),
            "t_check2"
        );
    }
}
