//! Template binding: `{{ var }}` in names and raw SQL.

use indexmap::IndexMap;
use migc::diagnostic::{render, Color};
use migc::ir::{OpKind, Reverse};
use migc::source::SourceMap;
use migc::syntax::parse_revision;
use migc::template::bind_revision;

const FILE: &str = r#"revision a1
revises none

upgrade {
    create_table {{ schema }}.users {
        id    integer primary_key
        email text default sql "lower('{{ domain }}')"
    }
    execute "GRANT SELECT ON {{ schema }}.users TO {{ reader }}" reverse "REVOKE SELECT ON {{ schema }}.users FROM {{ reader }}"
    bulk_insert {{ schema }}.users (id, email) {
        (1, '{{ not_rendered }}')
    }
}
"#;

fn vars(pairs: &[(&str, &str)]) -> IndexMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn bind(text: &str, vars: &IndexMap<String, String>) -> Result<migc::ir::Revision, String> {
    let mut sources = SourceMap::new();
    let id = sources.add("t.mig", text);
    let rev = parse_revision(&sources, id).map_err(|d| render(&d, &sources, Color::Never))?;
    bind_revision(&rev, vars).map_err(|d| render(&d, &sources, Color::Never))
}

#[test]
fn defined_variables_are_rendered_in_names_and_sql() {
    let v = vars(&[
        ("schema", "tenant_a"),
        ("reader", "analyst"),
        ("domain", "example.com"),
    ]);
    let rev = bind(FILE, &v).expect("binds");
    let OpKind::CreateTable(t) = &rev.upgrade[0].kind else {
        panic!("create_table")
    };
    assert_eq!(t.table.display(), "tenant_a.users");
    assert_eq!(
        t.columns[1].default,
        Some(migc::ir::Default::Expression("lower('example.com')".into()))
    );
    let OpKind::Execute(e) = &rev.upgrade[1].kind else {
        panic!("execute")
    };
    assert_eq!(
        e.sql.as_ref().map(|s| s.text.as_str()),
        Some("GRANT SELECT ON tenant_a.users TO analyst")
    );
    let Some(Reverse::Sql(r)) = &e.reverse else {
        panic!("reverse")
    };
    assert_eq!(r.text, "REVOKE SELECT ON tenant_a.users FROM analyst");
    // Data is never a template.
    let OpKind::BulkInsert { rows, .. } = &rev.upgrade[2].kind else {
        panic!("bulk_insert")
    };
    assert_eq!(
        rows[0][1],
        migc::ir::Literal::String("{{ not_rendered }}".into())
    );
}

#[test]
fn undefined_variable_points_at_its_use_and_lists_defined_ones() {
    let v = vars(&[("schema", "s"), ("domain", "d")]);
    let err = bind(FILE, &v).expect_err("reader is undefined");
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!("syntax__template__undefined", err);
    });
    assert!(
        err.contains("undefined template variable `reader`"),
        "{err}"
    );
    assert!(err.contains("defined variables: schema, domain"), "{err}");
    assert!(err.contains("-x reader=VALUE"), "{err}");
}

#[test]
fn text_without_templates_is_untouched() {
    let text = "revision a1\nrevises none\nupgrade {\n    execute \"SELECT '{ not a template }', '}}'\" reverse none\n}\n";
    let mut sources = SourceMap::new();
    let id = sources.add("t.mig", text);
    let rev = parse_revision(&sources, id).expect("parses");
    let bound = bind_revision(&rev, &IndexMap::new()).expect("binds");
    assert_eq!(rev, bound);
}

#[test]
fn names_that_render_empty_are_errors() {
    let text = "revision a1\nrevises none\nupgrade {\n    drop_table {{ t }}\n}\n";
    let err = bind(text, &vars(&[("t", "")])).expect_err("empty name");
    assert!(err.contains("E0132"), "{err}");
}

#[test]
fn template_syntax_errors_are_reported() {
    let text = "revision a1\nrevises none\nupgrade {\n    execute \"SELECT {{ x | nope }}\" reverse none\n    execute \"SELECT {% if %}\" reverse none\n}\n";
    let err = bind(text, &vars(&[("x", "1")])).expect_err("bad templates");
    assert_eq!(err.matches("E0131").count(), 2, "{err}");
}
