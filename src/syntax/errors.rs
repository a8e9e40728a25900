//! pest failures → diagnostics in the user's words.
//!
//! The file grammar never fails on a bad statement: a catch-all rule skips it.
//! [`reparse`] parses the skipped text again with the strict rule to learn where
//! and why it fails, and [`from_pest`] turns pest's "positives" (the rules it
//! tried at the furthest position) into "unexpected X, expected Y" with a help
//! line. Raw rule names are never shown: [`rule_word`] maps every rule.

use super::parser::{MigrationParser, Rule};
use super::Ctx;
use crate::diagnostic::Diagnostic;
use pest::error::{Error, ErrorVariant, InputLocation};
use pest::Parser as _;

/// Where the failing text was: decides the re-parse rule and the help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// The file as a whole (an error the catch-alls could not absorb).
    File,
    Header,
    Statement,
    BatchStatement,
    TableItem,
    /// Text outside the `upgrade` and `downgrade` blocks.
    Top,
}

const OPTION_KEYWORDS: &[Rule] = &[
    Rule::NOT,
    Rule::NULL,
    Rule::PRIMARY_KEY,
    Rule::AUTOINCREMENT,
    Rule::IDENTITY,
    Rule::UNIQUE,
    Rule::DEFAULT,
    Rule::REFERENCES,
    Rule::CHECK,
    Rule::COMMENT_KW,
];
const FK_KEYWORDS: &[Rule] = &[Rule::ON, Rule::DEFERRABLE, Rule::USE_ALTER];

const OPERATION: &str = "an operation (`create_table`, `add_column`, …)";
const END_OF_OPERATION: &str = "the end of the operation";
const UPGRADE_BLOCK: &str = "`upgrade {`";
const END_OF_ITEM: &str = "the end of the line";
const COLUMN_OPTION: &str = "a column option (`not null`, `default …`, …)";
const COLUMN_TYPE: &str = "a column type";

/// Re-parses the skipped region starting at byte `at` and explains it.
pub fn reparse(cx: &Ctx, at: usize, ctx: Context) -> Diagnostic {
    let rule = match ctx {
        Context::File | Context::Statement => Rule::check_statement,
        Context::Header => Rule::check_header_line,
        Context::BatchStatement => Rule::check_batch_statement,
        Context::TableItem => Rule::check_table_item,
        Context::Top => Rule::check_top,
    };
    let rest = cx.text.get(at..).unwrap_or("");
    match MigrationParser::parse(rule, rest) {
        Err(e) => from_pest(cx, &e, at, ctx),
        Ok(_) => {
            let end = at + rest.find('\n').unwrap_or(rest.len());
            Diagnostic::error("E0100", "this cannot be parsed here")
                .with_span(cx.span(at, end), "not valid at this place")
                .with_help("see docs/language.md for the syntax")
        }
    }
}

/// A pest error (positions relative to `offset`) → a diagnostic.
pub fn from_pest(cx: &Ctx, e: &Error<Rule>, offset: usize, ctx: Context) -> Diagnostic {
    let pos = offset
        + match e.location {
            InputLocation::Pos(p) => p,
            InputLocation::Span((s, _)) => s,
        };
    // An atomic rule that failed at a space failed because of what follows it.
    let pos = skip_spaces(cx.text, pos);
    let (found, len) = describe_at(cx.text, pos);
    let span = cx.span(pos, pos + len);
    let positives = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.as_slice(),
        ErrorVariant::CustomError { message } => {
            return Diagnostic::error("E0100", format!("the parser gave up: {message}"))
                .with_span(span, "here")
                .with_help("the text is nested too deeply; simplify it");
        }
    };
    let mut words = expected_words(positives);
    let word = word_at(cx.text, pos);
    // A statement that "should have ended" at a word that starts a line: the
    // word is an unknown operation, not a continuation of the statement.
    if words.contains(&END_OF_OPERATION) && starts_line(cx.text, pos) && !word.is_empty() {
        words = vec![OPERATION];
    }
    // Options are tried after a space, the end of a table item before it; both
    // are possible at the same place.
    if ctx == Context::TableItem && words.contains(&COLUMN_OPTION) && !words.contains(&END_OF_ITEM)
    {
        words.push(END_OF_ITEM);
    }
    // Where a header line may start, the `upgrade` block may start too.
    if ctx == Context::Header && pos == offset && !words.contains(&UPGRADE_BLOCK) {
        words.push(UPGRADE_BLOCK);
    }
    if ctx == Context::BatchStatement && OP_WORDS.contains(&word) && words.contains(&OPERATION) {
        return Diagnostic::error("E0116", format!("`{word}` cannot be used inside batch_alter_table"))
            .with_span(span, "not allowed in a batch")
            .with_help("a batch holds add_column, drop_column, alter_column, create_index, drop_index and the constraint operations; batches do not nest");
    }
    let message = if words.is_empty() {
        format!("unexpected {found}")
    } else {
        format!("unexpected {found}, expected {}", join_or(&words))
    };
    let label = if words.is_empty() {
        "unexpected here".to_string()
    } else {
        format!("expected {}", join_or(&words))
    };
    let help = help_for(&words, word, ctx, cx.text.get(offset..).unwrap_or(""));
    Diagnostic::error("E0100", message)
        .with_span(span, label)
        .with_help(help)
}

/// The distinct user words for pest's positives, in a stable order.
fn expected_words(positives: &[Rule]) -> Vec<&'static str> {
    let mut words: Vec<&'static str> = Vec::new();
    // pest reports a lone keyword rather than the option rule around it; when
    // several option keywords are expected, say "a column option" once.
    let options = positives
        .iter()
        .filter(|r| OPTION_KEYWORDS.contains(r))
        .count();
    let fk = positives.iter().filter(|r| FK_KEYWORDS.contains(r)).count();
    for w in positives.iter().map(|r| match r {
        r if options >= 3 && OPTION_KEYWORDS.contains(r) => COLUMN_OPTION,
        r if fk >= 2 && FK_KEYWORDS.contains(r) => rule_word(Rule::fk_clause),
        r => rule_word(*r),
    }) {
        if !words.contains(&w) {
            words.push(w);
        }
    }
    words
}

fn skip_spaces(text: &str, pos: usize) -> usize {
    let rest = text.get(pos..).unwrap_or("");
    pos + (rest.len() - rest.trim_start_matches([' ', '\t']).len())
}

/// Whether only spaces and tabs precede `pos` on its line.
fn starts_line(text: &str, pos: usize) -> bool {
    let before = text.get(..pos).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    before[line_start..].chars().all(|c| c == ' ' || c == '\t')
}

fn join_or(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// What is at `pos`, for "unexpected X", and how many bytes it spans.
fn describe_at(text: &str, pos: usize) -> (String, usize) {
    let rest = text.get(pos..).unwrap_or("");
    let Some(c) = rest.chars().next() else {
        return ("end of file".into(), 0);
    };
    let word = word_at(text, pos);
    if !word.is_empty() {
        return (format!("`{word}`"), word.len());
    }
    let what = match c {
        '"' | '\'' => "string".to_string(),
        '\n' | '\r' => "end of line".to_string(),
        ' ' | '\t' => "space".to_string(),
        c if c.is_control() => format!("control character U+{:04X}", c as u32),
        c => format!("`{c}`"),
    };
    (what, c.len_utf8())
}

/// The identifier-like word starting at `pos` (empty if none), at most 40 bytes.
fn word_at(text: &str, pos: usize) -> &str {
    let rest = text.get(pos..).unwrap_or("");
    let len = rest
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '$'))
        .map_or(rest.len(), |(i, _)| i);
    let len = if len > 40 {
        floor_boundary(rest, 40)
    } else {
        len
    };
    &rest[..len]
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

const OP_WORDS: &[&str] = &[
    "create_table",
    "drop_table",
    "rename_table",
    "add_column",
    "drop_column",
    "alter_column",
    "create_index",
    "drop_index",
    "create_unique_constraint",
    "create_foreign_key",
    "create_check_constraint",
    "create_primary_key",
    "drop_constraint",
    "create_schema",
    "drop_schema",
    "create_enum",
    "drop_enum",
    "add_enum_value",
    "comment_on_table",
    "execute",
    "bulk_insert",
    "backfill",
    "batch_alter_table",
];

/// Whether `w` is an operation keyword (reserved as a plain name).
pub fn is_operation_word(w: &str) -> bool {
    OP_WORDS.contains(&w)
}

/// The column options, as the help lists them.
pub(crate) const OPTION_WORDS: &[&str] = &[
    "not null",
    "null",
    "primary_key",
    "autoincrement",
    "identity",
    "unique",
    "default",
    "references",
    "check",
    "comment",
];

fn help_for(words: &[&str], found: &str, ctx: Context, region: &str) -> String {
    if words.contains(&OPERATION) {
        let did_you_mean = suggest(found, OP_WORDS)
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        return format!("{did_you_mean}the operations are: {}", OP_WORDS.join(", "));
    }
    if words.contains(&COLUMN_OPTION) {
        let did_you_mean = suggest(found, OPTION_WORDS)
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        return format!(
            "{did_you_mean}the column options are: {}",
            OPTION_WORDS.join(", ")
        );
    }
    if words.contains(&COLUMN_TYPE) {
        return format!("the types are: {}", super::column::TYPE_NAMES);
    }
    let header_words = [
        "revision",
        "revises",
        "message",
        "branch_labels",
        "depends_on",
        "upgrade",
        "downgrade",
    ];
    if let (Context::Header, Some(s)) = (ctx, suggest(found, &header_words)) {
        return format!("did you mean `{s}`?");
    }
    match ctx {
        Context::Header => "the header is `revision ID`, `revises none` or `revises ID[, ID]`, then optional `message \"...\"`, `branch_labels NAME[, NAME]`, `depends_on ID[, ID]`, each on its own line, followed by `upgrade { ... }`; templates are not allowed in the header".into(),
        Context::Top => "a revision file is the header, then `upgrade { ... }`, then optionally `downgrade { ... }`".into(),
        Context::TableItem => "a create_table body has one item per line: `NAME TYPE [OPTION]...`, `primary_key [NAME] (COLS)`, `unique [NAME] (COLS)`, `foreign_key [NAME] (COLS) references TABLE (COLS)`, `check [NAME] \"EXPR\"` or `comment \"TEXT\"`".into(),
        _ => match synopsis(region) {
            Some(s) => format!("the syntax is: {s}"),
            None => "see docs/language.md for the syntax".into(),
        },
    }
}

/// The usage line of the operation the failing region starts with.
fn synopsis(region: &str) -> Option<&'static str> {
    let word = region
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .next()?;
    Some(match word {
        "create_table" => "create_table [if_not_exists] [SCHEMA.]TABLE { COLUMN TYPE [OPTION]... }",
        "drop_table" => "drop_table [SCHEMA.]TABLE",
        "rename_table" => "rename_table [SCHEMA.]TABLE to NEW_NAME",
        "add_column" => "add_column [SCHEMA.]TABLE.COLUMN TYPE [OPTION]...",
        "drop_column" => "drop_column [SCHEMA.]TABLE.COLUMN",
        "alter_column" => "alter_column [SCHEMA.]TABLE.COLUMN CHANGE[, CHANGE]... where CHANGE is set not null | drop not null | set default VALUE | set default sql \"EXPR\" | drop default | type TYPE [using \"EXPR\"] | rename to NAME | comment \"TEXT\" | comment null",
        "create_index" => "create_index [unique] [concurrently] [if_not_exists] NAME on TABLE (COLUMN [desc], sql \"EXPR\", ...) [where \"EXPR\"]",
        "drop_index" => "drop_index [concurrently] [if_exists] NAME [on TABLE]",
        "create_unique_constraint" => "create_unique_constraint NAME on TABLE (COLUMNS)",
        "create_foreign_key" => "create_foreign_key NAME on TABLE (COLUMNS) references TABLE (COLUMNS) [on delete ACTION] [on update ACTION] [deferrable [initially deferred]] [use_alter]",
        "create_check_constraint" => "create_check_constraint NAME on TABLE \"EXPR\"",
        "create_primary_key" => "create_primary_key NAME on TABLE (COLUMNS)",
        "drop_constraint" => "drop_constraint NAME on TABLE",
        "create_schema" => "create_schema [if_not_exists] NAME",
        "drop_schema" => "drop_schema [if_exists] NAME [cascade]",
        "create_enum" => "create_enum [SCHEMA.]NAME ('value', ...)",
        "drop_enum" => "drop_enum [SCHEMA.]NAME",
        "add_enum_value" => "add_enum_value [SCHEMA.]NAME 'value' [before 'other' | after 'other']",
        "comment_on_table" => "comment_on_table TABLE \"TEXT\" | comment_on_table TABLE null",
        "execute" => "execute \"SQL\" [reverse \"SQL\" | reverse none], or execute { postgresql \"SQL\" sqlite \"SQL\" } [reverse ...]",
        "bulk_insert" => "bulk_insert TABLE (COLUMNS) { (VALUE, ...) (VALUE, ...) }",
        "backfill" => "backfill TABLE set \"ASSIGNMENTS\" where \"CONDITION\" batch N [key COLUMN] [reverse \"SQL\" | reverse none]",
        "batch_alter_table" => "batch_alter_table TABLE { OPERATION... }",
        _ => return None,
    })
}

/// The closest candidate within a small edit distance, for "did you mean".
fn suggest<'a>(found: &str, candidates: &[&'a str]) -> Option<&'a str> {
    if found.is_empty() {
        return None;
    }
    let limit = (found.len() / 3).clamp(1, 3);
    candidates
        .iter()
        .map(|c| (edit_distance(found, c), *c))
        .filter(|(d, _)| *d > 0 && *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The user's word for every rule of the grammar (exhaustive on purpose: a new
/// rule must say how it reads in an error message).
pub fn rule_word(rule: Rule) -> &'static str {
    use Rule::*;
    match rule {
        EOI => "the end of the file",
        file | header_only | file_after_header => "a revision file",
        header_skip => "a header line (`revision`, `revises`, `message`, `branch_labels`, `depends_on`)",
        check_statement | statement | batch_statement | check_batch_statement | bad_statement
        | stmt_restart | OP_KEYWORD | op_keyword | not_op_keyword | op_keyword_start
        | op_keyword_rest => OPERATION,
        create_table | drop_table | rename_table | add_column | drop_column | alter_column
        | create_index | drop_index | create_unique_constraint | create_foreign_key
        | create_check_constraint | create_primary_key | drop_constraint | create_schema
        | drop_schema | create_enum | drop_enum | add_enum_value | comment_on_table | execute
        | bulk_insert | backfill | batch_alter_table | operation => OPERATION,
        CREATE_TABLE | DROP_TABLE | RENAME_TABLE | ADD_COLUMN | DROP_COLUMN | ALTER_COLUMN
        | CREATE_INDEX | DROP_INDEX | CREATE_UNIQUE_CONSTRAINT | CREATE_FOREIGN_KEY
        | CREATE_CHECK_CONSTRAINT | CREATE_PRIMARY_KEY | DROP_CONSTRAINT | CREATE_SCHEMA
        | DROP_SCHEMA | CREATE_ENUM | DROP_ENUM | ADD_ENUM_VALUE | COMMENT_ON_TABLE | EXECUTE
        | BULK_INSERT | BACKFILL | BATCH_ALTER_TABLE => OPERATION,
        stmt_end | skip_unit | brace_group | brace_unit | string_token | bad_top => {
            END_OF_OPERATION
        }
        check_top => "`upgrade {`, `downgrade {` or the end of the file",
        header | header_item | header_line | check_header_line | bad_header_line
        | header_keyword | revision_line | revises_line | message_line | branch_labels_line
        | depends_on_line | REVISION | REVISES | MESSAGE | BRANCH_LABELS | DEPENDS_ON => {
            "a header line (`revision`, `revises`, `message`, `branch_labels`, `depends_on`)"
        }
        header_end => "the end of the header line",
        rev_id_list => "a revision id (letters, digits and `_`)",
        rev_id => "a revision id (letters, digits and `_`)",
        upgrade_block | UPGRADE => UPGRADE_BLOCK,
        downgrade_block | DOWNGRADE => "`downgrade {`",
        NONE => "`none`",
        table_item | check_table_item | bad_table_item | tc_primary_key | tc_unique
        | tc_foreign_key | fk_head | tc_check | table_comment | column_def => {
            "a column (`NAME TYPE ...`) or a table constraint"
        }
        item_end => END_OF_ITEM,
        column_change | ch_set_not_null | ch_drop_not_null | ch_set_default | ch_drop_default
        | ch_type | ch_rename | ch_comment => {
            "a column change (`set not null`, `drop not null`, `set default …`, `drop default`, `type …`, `rename to …`, `comment …`)"
        }
        index_flag => "`unique`, `concurrently` or `if_not_exists`",
        index_element => "a column or `sql \"EXPR\"`",
        enum_position => "`before` or `after`",
        dialect_map => "`{ postgresql \"…\" sqlite \"…\" }`",
        dialect_entry => "a dialect and its SQL (`postgresql \"…\"`, `sqlite \"…\"`)",
        reverse | REVERSE => "`reverse`",
        row => "a row `(VALUE, ...)`",
        column_type | enum_type | native_type | timestamp_tz_long | simple_type | type_name
        | type_args => {
            COLUMN_TYPE
        }
        column_option | opt_not_null | opt_null | opt_primary_key
        | opt_autoincrement | opt_identity | opt_unique | opt_default | opt_references
        | opt_check | opt_comment => COLUMN_OPTION,
        default_value | default_sql => "a value or `sql \"EXPR\"`",
        fk_clause | fk_on_delete | fk_on_update | fk_deferrable => {
            "a foreign key clause (`on delete …`, `on update …`, `deferrable`, `use_alter`)"
        }
        fk_action => "an action (`cascade`, `set null`, `set default`, `restrict`, `no action`)",
        column_list => "a list of columns `(a, b)`",
        dotted | name_part | plain_ident | quoted_ident | template_var | ident_start
        | ident_char => "a name",
        literal | number | hex_bytes | typed_literal | literal_type => "a value",
        uint => "a whole number",
        string | raw_string | dq_string | sq_string | bad_string | bad_raw_string => "a string",
        LBRACE => "`{`",
        RBRACE => "`}`",
        LPAREN => "`(`",
        RPAREN => "`)`",
        COMMA => "`,`",
        ACTION => "`action`",
        AFTER => "`after`",
        ALWAYS => "`always`",
        ASC => "`asc`",
        AUTOINCREMENT => "`autoincrement`",
        BATCH => "`batch`",
        BEFORE => "`before`",
        CASCADE => "`cascade`",
        CHECK => "`check`",
        COMMENT_KW => "`comment`",
        CONCURRENTLY => "`concurrently`",
        DEFAULT => "`default`",
        DEFERRABLE => "`deferrable`",
        DEFERRED => "`deferred`",
        DELETE => "`delete`",
        DESC => "`desc`",
        DROP_KW => "`drop`",
        ENUM => "`enum`",
        FALSE => "`false`",
        FOREIGN_KEY => "`foreign_key`",
        IDENTITY => "`identity`",
        IF_EXISTS => "`if_exists`",
        IF_NOT_EXISTS => "`if_not_exists`",
        IMMEDIATE => "`immediate`",
        INITIALLY => "`initially`",
        KEY => "`key`",
        NATIVE => "`native`",
        NO => "`no`",
        NOT => "`not`",
        NULL => "`null`",
        ON => "`on`",
        PRIMARY_KEY => "`primary_key`",
        REFERENCES => "`references`",
        RENAME => "`rename`",
        RESTRICT => "`restrict`",
        SET => "`set`",
        SQL => "`sql`",
        TO => "`to`",
        TRUE => "`true`",
        TYPE => "`type`",
        UNIQUE => "`unique`",
        UPDATE => "`update`",
        USE_ALTER => "`use_alter`",
        USING => "`using`",
        WHERE => "`where`",
        WITH => "`with`",
        ZONE => "`zone`",
        DATE => "`date`",
        TIME => "`time`",
        TIMESTAMP => "`timestamp`",
        TIMESTAMPTZ => "`timestamptz`",
        INTERVAL => "`interval`",
        UUID => "`uuid`",
        JSON => "`json`",
        hspace | hs | line_comment | comment_text | WHITESPACE => "a space",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(suggest("add_colum", OP_WORDS), Some("add_column"));
        assert_eq!(suggest("creat_table", OP_WORDS), Some("create_table"));
        assert_eq!(suggest("zzz", OP_WORDS), None);
        assert_eq!(suggest("uniqe", OPTION_WORDS), Some("unique"));
    }

    #[test]
    fn joins() {
        assert_eq!(join_or(&["a"]), "a");
        assert_eq!(join_or(&["a", "b", "c"]), "a, b or c");
    }
}
