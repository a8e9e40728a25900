//! Fuzzing the parser: whatever the input, `parse_revision` and `parse_header`
//! return (a revision or diagnostics) and never panic, and every diagnostic
//! span lies inside the file. Run with `PROPTEST_CASES=100000` for a long run.

use migc::diagnostic::{render, Color, Diagnostic};
use migc::source::SourceMap;
use migc::syntax::{parse_header, parse_revision};
use proptest::prelude::*;

fn check(text: &str) {
    let mut sources = SourceMap::new();
    let id = sources.add("fuzz.mig", text);
    let diags: Vec<Diagnostic> = match parse_revision(&sources, id) {
        Ok(rev) => {
            let vars = indexmap::IndexMap::new();
            migc::template::bind_revision(&rev, &vars)
                .err()
                .unwrap_or_default()
        }
        Err(d) => d,
    };
    let fast = parse_header(&sources, id);
    let slow = migc::syntax::parse_header_with_grammar(&sources, id);
    if let Ok(h) = &fast {
        assert_eq!(
            Ok(h),
            slow.as_ref(),
            "the header scanner and the grammar disagree on {text:?}"
        );
    }
    let header = fast.err().unwrap_or_default();
    for d in diags.iter().chain(&header) {
        for l in d.primary.iter().chain(&d.secondary) {
            assert!(
                l.span.start <= l.span.end && l.span.end <= text.len(),
                "span {:?} outside the file: {d:?}",
                l.span
            );
        }
    }
    // Rendering must not panic either (it slices lines by the spans).
    let _ = render(&diags, &sources, Color::Never);
}

/// Header-shaped text: the scanner and the grammar must agree on it.
fn header_shaped() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just("revision a1b2".to_string()),
        Just("revision  r_1 # c".to_string()),
        Just("revision none".to_string()),
        Just("revises none".to_string()),
        Just("revises a1, b2".to_string()),
        Just("revises a1 ,b2,".to_string()),
        Just("message \"hi 'x'\"".to_string()),
        Just("message 'it''s'".to_string()),
        Just("message \"a\\nb\"".to_string()),
        Just("message \"\"\"raw\"\"\"".to_string()),
        Just("branch_labels core, `x y`".to_string()),
        Just("branch_labels core,{{ a }}".to_string()),
        Just("branch_labels execute".to_string()),
        Just("depends_on d4$".to_string()),
        Just("depends_on d4, e5 -- c".to_string()),
        Just("upgrade {".to_string()),
        Just("none".to_string()),
        Just("".to_string()),
        "[a-z_ ,'\"#\t\r-]{0,12}",
    ];
    let sep = prop::sample::select(vec!["\n", "\r\n", "\r", " ", "\n\n# c\n"]);
    let prefix = prop::sample::select(vec![
        "",
        "revision a1\nrevises none\n",
        "revision a1\nrevises b2, c3\n",
    ]);
    (prefix, prop::collection::vec((line, sep), 0..7)).prop_map(|(prefix, parts)| {
        prefix.to_string() + &parts.into_iter().map(|(l, s)| l + s).collect::<String>()
    })
}

/// Tokens of the language, mixed with broken ones.
fn token() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "revision",
        "revises",
        "none",
        "message",
        "branch_labels",
        "depends_on",
        "upgrade",
        "downgrade",
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
        "if_not_exists",
        "if_exists",
        "unique",
        "concurrently",
        "on",
        "to",
        "set",
        "drop",
        "not",
        "null",
        "default",
        "sql",
        "type",
        "using",
        "rename",
        "comment",
        "primary_key",
        "foreign_key",
        "references",
        "check",
        "autoincrement",
        "identity",
        "always",
        "delete",
        "update",
        "cascade",
        "restrict",
        "no",
        "action",
        "deferrable",
        "initially",
        "deferred",
        "use_alter",
        "where",
        "batch",
        "key",
        "reverse",
        "before",
        "after",
        "desc",
        "asc",
        "integer",
        "string",
        "numeric",
        "text",
        "timestamp",
        "with",
        "time",
        "zone",
        "enum",
        "native",
        "postgresql",
        "sqlite",
        "date",
        "json",
        "uuid",
        "x'00ff'",
        "x'f'",
        "true",
        "false",
        "42",
        "-7",
        "3.14",
        "1e-9",
        "users",
        "users.email",
        "a.b.c",
        "a.b.c.d",
        "`Order Items`",
        "``",
        "{{ schema }}",
        "{{",
        "}}",
        "{%",
        "'it''s'",
        "'",
        "\"",
        "\"\"\"",
        "\"a\\nb\"",
        "\"\\q\"",
        "\"\\0\"",
        "\"\\u{1F600}\"",
        "\"\\u{110000}\"",
        "\"\"\"raw\nstring\"\"\"",
        "json '{\"a\": [1]}'",
        "json '{'",
        "{",
        "}",
        "(",
        ")",
        ",",
        ".",
        "#",
        "--",
        "\n",
        "\n",
        "\n",
        " ",
        "\t",
        "\r\n",
        "é",
        "🎉",
        "\u{0}",
        "\u{1b}",
    ]);
    prop_oneof![
        8 => words.prop_map(str::to_string),
        1 => "[a-z_]{1,8}",
        1 => any::<char>().prop_map(|c| c.to_string()),
    ]
}

fn grammar_shaped() -> impl Strategy<Value = String> {
    prop::collection::vec(token(), 0..80).prop_map(|tokens| {
        let mut s = String::from("revision a1\nrevises none\nupgrade {\n");
        for t in tokens {
            s.push_str(&t);
            s.push(' ');
        }
        s.push_str("\n}\n");
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        check(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn grammar_shaped_text_never_panics(text in grammar_shaped()) {
        check(&text);
    }

    #[test]
    fn header_scanner_agrees_with_grammar(text in header_shaped()) {
        check(&text);
    }

    #[test]
    fn token_soup_without_header_never_panics(tokens in prop::collection::vec(token(), 0..60)) {
        check(&tokens.join(" "));
    }
}

/// Mutations of a real fixture: drop, duplicate or swap a byte range.
#[test]
fn fixture_mutations_never_panic() {
    let text = include_str!("fixtures/ok/basic/0001_users.mig");
    let chars: Vec<char> = text.chars().collect();
    for i in (0..chars.len()).step_by(3) {
        let cut: String = chars[..i]
            .iter()
            .chain(&chars[(i + 7).min(chars.len())..])
            .collect();
        check(&cut);
        let trunc: String = chars[..i].iter().collect();
        check(&trunc);
    }
}

#[test]
fn deep_nesting_does_not_overflow() {
    let braces = format!(
        "revision a\nrevises none\nupgrade {{\n{}\n}}\n",
        "{".repeat(100_000)
    );
    check(&braces);
    let parens = format!(
        "revision a\nrevises none\nupgrade {{\nbulk_insert t (a) {{ {} }}\n}}\n",
        "(".repeat(100_000)
    );
    check(&parens);
    let json = format!(
        "revision a\nrevises none\nupgrade {{\nbulk_insert t (a) {{ (json '{}') }}\n}}\n",
        "[".repeat(100_000)
    );
    check(&json);
}
