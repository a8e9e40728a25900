//! `format_sql = true`: raw SQL from `execute` laid out by sqlformat.
//!
//! Off by default: raw SQL is the user's and reaches the script verbatim. When a
//! team opts in, `execute` text (all dialect variants and `reverse` SQL) is
//! re-indented before lowering. sqlformat only changes whitespace and keyword
//! case it is told to, so the statement's meaning is unchanged.

use crate::ir::{Execute, Op, OpKind, Reverse, Revision, SqlText};
use sqlformat::{FormatOptions, QueryParams};

pub fn format_raw_sql(rev: &mut Revision) {
    for op in rev.upgrade.iter_mut() {
        format_op(op);
    }
    for op in rev.downgrade.iter_mut().flatten() {
        format_op(op);
    }
}

fn format_op(op: &mut Op) {
    match &mut op.kind {
        OpKind::Execute(e) => format_execute(e),
        OpKind::BatchAlterTable { ops, .. } => ops.iter_mut().for_each(format_op),
        _ => {}
    }
}

fn format_execute(e: &mut Execute) {
    let texts = e
        .sql
        .iter_mut()
        .chain(e.per_dialect.iter_mut().map(|(_, t)| t))
        .chain(match &mut e.reverse {
            Some(Reverse::Sql(t)) => Some(t),
            _ => None,
        });
    for t in texts {
        format_text(t);
    }
}

fn format_text(t: &mut SqlText) {
    let options = FormatOptions {
        indent: sqlformat::Indent::Spaces(4),
        uppercase: false,
        lines_between_queries: 1,
    };
    t.text = sqlformat::format(&t.text, &QueryParams::None, options);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    #[test]
    fn formats_raw_sql_and_keeps_literals() {
        let mut t = SqlText {
            text: "UPDATE users SET role = 'a  b' WHERE role IS NULL".into(),
            span: Span::default(),
        };
        format_text(&mut t);
        assert_eq!(
            t.text,
            "UPDATE\n    users\nSET\n    role = 'a  b'\nWHERE\n    role IS NULL"
        );
    }
}
