//! The schema model: validation errors (codes, messages, rendered diagnostics),
//! PostgreSQL default names, renames that spread, and atomicity on error.

#[path = "support/ir_builder.rs"]
mod b;

use b::*;
use migc::diagnostic::Diagnostic;
use migc::ir::{ColumnChange, EnumValuePosition, Literal, Op};
use migc::model::{ConstraintKind, IndexElement, Limits, Schema};

const PG: Limits = Limits::POSTGRESQL;

fn build(ops: Vec<Op>) -> Schema {
    let mut s = Schema::default();
    for op in ops {
        if let Err(e) = s.apply(&op, &PG) {
            panic!("set-up op failed: {e:#?}");
        }
    }
    s
}

/// users, orders (FK to users), an enum `status` used by orders.status, an index.
fn base() -> Schema {
    let n = Src::none();
    build(vec![
        create_enum(&n, "status", &["active", "banned"]),
        create_table(
            &n,
            "users",
            vec![
                col(&n, "id", "integer").pk().autoincrement(),
                col(&n, "email", "string(255)").not_null().unique(),
                col(&n, "name", "text"),
                col(&n, "age", "integer"),
            ],
            vec![],
        ),
        create_table(
            &n,
            "orders",
            vec![
                col(&n, "id", "bigint").pk(),
                col(&n, "user_id", "integer")
                    .not_null()
                    .references(&n, "users", &["id"]),
                col(&n, "amount", "numeric(10, 2)").check(&n, "amount > 0"),
                col(&n, "note", "text"),
                col(&n, "status", "enum status"),
            ],
            vec![],
        ),
        create_index(&n, "ix_users_name", "users", &["name"], false),
    ])
}

/// Apply the op built from `line` on `schema`; it must fail with `code`, leave the
/// schema unchanged; the rendered diagnostics are snapshotted as `model__{name}`.
fn fails(
    name: &str,
    schema: &Schema,
    limits: &Limits,
    line: &str,
    mk: impl Fn(&Src) -> Op,
    code: &str,
) -> Vec<Diagnostic> {
    let src = Src::new(line);
    let op = mk(&src);
    let mut s = schema.clone();
    let errs = s.apply(&op, limits).expect_err("the operation should fail");
    assert_eq!(
        &s, schema,
        "{name}: the schema changed although the op failed"
    );
    assert_eq!(s.clone().tables.len(), schema.tables.len());
    let codes: Vec<&str> = errs.iter().map(|d| d.code).collect();
    assert!(
        codes.contains(&code),
        "{name}: expected {code}, got {codes:?}: {errs:#?}"
    );
    let rendered = src.render(&errs);
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!(format!("model__{name}"), rendered);
    });
    errs
}

macro_rules! err_case {
    ($name:ident, $code:literal, $line:literal, |$s:ident| $op:expr) => {
        #[test]
        fn $name() {
            fails(stringify!($name), &base(), &PG, $line, |$s| $op, $code);
        }
    };
}

err_case!(
    unknown_table,
    "E0201",
    "add_column userz.role string(50)",
    |s| add_column(s, "userz", col(s, "role", "string(50)"))
);
err_case!(unknown_column, "E0202", "drop_column users.nmae", |s| {
    drop_column(s, "users", "nmae")
});
err_case!(
    unknown_index,
    "E0203",
    "drop_index ix_nope",
    |s| drop_index(s, "ix_nope", None)
);
err_case!(
    unknown_index_on_table,
    "E0203",
    "drop_index ix_nope on users",
    |s| drop_index(s, "ix_nope", Some("users"))
);
err_case!(
    unknown_constraint,
    "E0204",
    "drop_constraint nope on users",
    |s| drop_constraint(s, "nope", "users")
);
err_case!(
    unknown_enum_in_alter,
    "E0205",
    "alter_column users.name type enum mood",
    |s| {
        alter_column(
            s,
            "users",
            "name",
            vec![ColumnChange::SetType {
                ty: ty("enum mood"),
                using: None,
            }],
        )
    }
);
err_case!(unknown_enum_drop, "E0205", "drop_enum mood", |s| drop_enum(
    s, "mood"
));
err_case!(unknown_schema, "E0206", "drop_schema analytics", |s| {
    drop_schema(s, "analytics", false)
});
err_case!(
    unknown_enum_value_position,
    "E0207",
    "add_enum_value status 'x' before 'nope'",
    |s| {
        add_enum_value(
            s,
            "status",
            "x",
            Some(EnumValuePosition::Before("nope".into())),
        )
    }
);
err_case!(
    duplicate_table,
    "E0210",
    "create_table users { id integer }",
    |s| create_table(s, "users", vec![col(s, "id@2", "integer")], vec![])
);
err_case!(
    duplicate_column,
    "E0211",
    "add_column users.email text",
    |s| add_column(s, "users", col(s, "email", "text"))
);
err_case!(
    duplicate_column_in_create,
    "E0211",
    "create_table t { a integer  a text }",
    |s| {
        create_table(
            s,
            "t",
            vec![col(s, "a", "integer"), col(s, "a@2", "text")],
            vec![],
        )
    }
);
err_case!(
    duplicate_index,
    "E0212",
    "create_index ix_users_name on orders (note)",
    |s| { create_index(s, "ix_users_name", "orders", &["note"], false) }
);
err_case!(
    index_named_like_constraint,
    "E0212",
    "create_index users_email_key on users (name)",
    |s| { create_index(s, "users_email_key", "users", &["name"], false) }
);
err_case!(
    duplicate_constraint,
    "E0213",
    "create_check_constraint orders_amount_check on orders \"amount < 100\"",
    |s| {
        add_constraint(
            s,
            "orders",
            check_c(s, Some("orders_amount_check"), "amount < 100"),
        )
    }
);
err_case!(duplicate_enum, "E0214", "create_enum status ('a')", |s| {
    create_enum(s, "status", &["a"])
});
err_case!(
    enum_named_like_table,
    "E0214",
    "create_enum users ('a')",
    |s| create_enum(s, "users", &["a"])
);
err_case!(
    duplicate_enum_value,
    "E0215",
    "add_enum_value status 'active'",
    |s| add_enum_value(s, "status", "active", None)
);
err_case!(
    duplicate_enum_value_in_create,
    "E0215",
    "create_enum mood ('a', 'a')",
    |s| create_enum(s, "mood", &["a", "a"])
);
err_case!(
    primary_key_twice,
    "E0217",
    "create_primary_key pk2 on users (email)",
    |s| add_constraint(s, "users", pk_c(s, Some("pk2"), &["email"]))
);
err_case!(
    primary_key_twice_inline,
    "E0217",
    "create_table t { a integer primary_key  b integer primary_key }",
    |s| {
        create_table(
            s,
            "t",
            vec![col(s, "a", "integer").pk(), col(s, "b", "integer").pk()],
            vec![],
        )
    }
);
err_case!(
    column_listed_twice,
    "E0218",
    "create_unique_constraint uq on users (email, email)",
    |s| { add_constraint(s, "users", unique_c(s, Some("uq"), &["email", "email@2"])) }
);
err_case!(
    fk_unknown_table,
    "E0220",
    "create_foreign_key fk on orders (user_id) references customers (id)",
    |s| {
        add_constraint(
            s,
            "orders",
            fk_c(s, Some("fk"), &["user_id"], "customers", &["id@2"]),
        )
    }
);
err_case!(
    fk_unknown_column,
    "E0221",
    "create_foreign_key fk on orders (user_id) references users (uid)",
    |s| {
        add_constraint(
            s,
            "orders",
            fk_c(s, Some("fk"), &["user_id"], "users", &["uid"]),
        )
    }
);
err_case!(
    fk_count_mismatch,
    "E0222",
    "create_foreign_key fk on orders (user_id) references users (id, email)",
    |s| {
        add_constraint(
            s,
            "orders",
            fk_c(s, Some("fk"), &["user_id"], "users", &["id@2", "email"]),
        )
    }
);
err_case!(
    fk_not_unique,
    "E0223",
    "create_foreign_key fk on orders (user_id) references users (age)",
    |s| {
        add_constraint(
            s,
            "orders",
            fk_c(s, Some("fk"), &["user_id"], "users", &["age"]),
        )
    }
);
err_case!(
    fk_type_mismatch,
    "E0224",
    "create_foreign_key fk on orders (note) references users (id)",
    |s| {
        add_constraint(
            s,
            "orders",
            fk_c(s, Some("fk"), &["note"], "users", &["id"]),
        )
    }
);
err_case!(
    drop_column_used_by_fk,
    "E0240",
    "drop_column users.id",
    |s| drop_column(s, "users", "id")
);
err_case!(drop_table_referenced, "E0241", "drop_table users", |s| {
    drop_table(s, "users")
});
err_case!(drop_enum_used, "E0242", "drop_enum status", |s| drop_enum(
    s, "status"
));
err_case!(
    drop_key_needed_by_fk,
    "E0244",
    "drop_constraint users_pkey on users",
    |s| drop_constraint(s, "users_pkey", "users")
);
err_case!(
    nullable_pk_column,
    "E0250",
    "alter_column users.id drop not null",
    |s| alter_column(s, "users", "id", vec![ColumnChange::DropNotNull])
);
err_case!(
    nullable_pk_in_create,
    "E0250",
    "create_table t { a integer null primary_key }",
    |s| { create_table(s, "t", vec![col(s, "a", "integer").null().pk()], vec![]) }
);
err_case!(
    autoincrement_on_text,
    "E0251",
    "add_column users.code text autoincrement",
    |s| add_column(s, "users", col(s, "code", "text").autoincrement())
);
err_case!(
    default_wrong_type,
    "E0253",
    "add_column users.flag boolean default 'yes'",
    |s| add_column(s, "users", col(s, "flag", "boolean").default(string("yes")))
);
err_case!(
    rename_column_to_existing,
    "E0211",
    "alter_column users.name rename to email",
    |s| {
        alter_column(
            s,
            "users",
            "name",
            vec![ColumnChange::Rename(s.id("email"))],
        )
    }
);
err_case!(
    rename_table_to_existing,
    "E0210",
    "rename_table orders to users",
    |s| rename_table(s, "orders", "users")
);
err_case!(
    bulk_insert_string_into_integer,
    "E0253",
    "bulk_insert users (id, email) { ('x', 'a@b') }",
    |s| {
        bulk_insert(
            s,
            "users",
            &["id", "email"],
            vec![vec![string("x"), string("a@b")]],
        )
    }
);
err_case!(
    bulk_insert_out_of_range,
    "E0253",
    "bulk_insert users (age, email) { (99999999999, 'a') }",
    |s| {
        bulk_insert(
            s,
            "users",
            &["age", "email"],
            vec![vec![Literal::Integer("99999999999".into()), string("a")]],
        )
    }
);
err_case!(
    bulk_insert_arity,
    "E0254",
    "bulk_insert users (id, email) { (1) }",
    |s| bulk_insert(s, "users", &["id", "email"], vec![vec![int(1)]])
);
err_case!(
    bulk_insert_null_not_null,
    "E0255",
    "bulk_insert users (id, email) { (1, null) }",
    |s| {
        bulk_insert(
            s,
            "users",
            &["id", "email"],
            vec![vec![int(1), Literal::Null]],
        )
    }
);
err_case!(
    bulk_insert_missing_required,
    "E0255",
    "bulk_insert users (name) { ('x') }",
    |s| bulk_insert(s, "users", &["name"], vec![vec![string("x")]])
);
err_case!(
    bulk_insert_bad_enum,
    "E0253",
    "bulk_insert orders (id, user_id, status) { (1, 1, 'gone') }",
    |s| {
        bulk_insert(
            s,
            "orders",
            &["id", "user_id", "status"],
            vec![vec![int(1), int(1), string("gone")]],
        )
    }
);
err_case!(
    backfill_unknown_key,
    "E0202",
    "backfill users set \"x = 1\" where \"x IS NULL\" batch 1000 key uid",
    |s| { backfill(s, "users", Some("uid"), None) }
);
err_case!(
    batch_other_table,
    "E0257",
    "batch_alter_table users { add_column orders.x text }",
    |s| {
        batch(
            s,
            "users",
            vec![add_column(s, "orders", col(s, "x", "text"))],
        )
    }
);
err_case!(
    batch_create_table,
    "E0257",
    "batch_alter_table users { create_table t { a integer } }",
    |s| {
        batch(
            s,
            "users",
            vec![create_table(s, "t", vec![col(s, "a", "integer")], vec![])],
        )
    }
);

#[test]
fn identifier_too_long() {
    let name = "a_very_long_table_name_that_postgresql_would_silently_truncate_xx";
    let line = format!("create_table {name} {{ id integer }}");
    let errs = fails(
        "identifier_too_long",
        &base(),
        &PG,
        &line,
        |s| create_table(s, name, vec![col(s, "id", "integer")], vec![]),
        "E0230",
    );
    assert!(errs[0].message.contains("65 bytes"), "{}", errs[0].message);
    // SQLite has no limit.
    let src = Src::new(&line);
    base()
        .apply(
            &create_table(&src, name, vec![col(&src, "id", "integer")], vec![]),
            &Limits::SQLITE,
        )
        .expect("no limit on SQLite");
}

#[test]
fn backfill_without_key() {
    let n = Src::none();
    let s = build(vec![create_table(
        &n,
        "t",
        vec![col(&n, "a", "integer")],
        vec![],
    )]);
    fails(
        "backfill_without_key",
        &s,
        &PG,
        "backfill t set \"x = 1\" where \"x IS NULL\" batch 1000",
        |s| backfill(s, "t", None, None),
        "E0256",
    );
}

#[test]
fn drop_schema_not_empty() {
    let n = Src::none();
    let s = build(vec![
        create_schema(&n, "analytics"),
        create_table(
            &n,
            "analytics.events",
            vec![col(&n, "id", "integer")],
            vec![],
        ),
    ]);
    fails(
        "drop_schema_not_empty",
        &s,
        &PG,
        "drop_schema analytics",
        |s| drop_schema(s, "analytics", false),
        "E0243",
    );
    let mut cascaded = s.clone();
    cascaded
        .apply(&drop_schema(&n, "analytics", true), &PG)
        .unwrap();
    assert!(cascaded.tables.is_empty() && cascaded.schemas.is_empty());
}

#[test]
fn duplicate_schema() {
    let n = Src::none();
    let s = build(vec![create_schema(&n, "analytics")]);
    fails(
        "duplicate_schema",
        &s,
        &PG,
        "create_schema analytics",
        |s| create_schema(s, "analytics"),
        "E0216",
    );
}

#[test]
fn errors_are_all_collected() {
    let src = Src::new(
        "create_table t { a texte_col enum nope  b text autoincrement  c integer default 'x' }",
    );
    let op = create_table(
        &src,
        "t",
        vec![
            col(&src, "a", "enum nope"),
            col(&src, "b", "text").autoincrement(),
            col(&src, "c", "integer").default(string("x")),
        ],
        vec![],
    );
    let errs = base().apply(&op, &PG).unwrap_err();
    let codes: Vec<&str> = errs.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["E0205", "E0251", "E0253"]);
}

// ---------------------------------------------------------------- naming

fn constraint_names(s: &Schema, table: &str) -> Vec<String> {
    let t = s.table(None, table).unwrap();
    t.primary_key
        .iter()
        .map(|p| p.name.clone())
        .chain(t.constraints.keys().cloned())
        .collect()
}

#[test]
fn default_constraint_names_follow_postgresql() {
    let n = Src::none();
    let s = build(vec![
        create_table(
            &n,
            "users",
            vec![
                col(&n, "id", "integer").pk(),
                col(&n, "email", "text").unique(),
            ],
            vec![],
        ),
        create_table(
            &n,
            "orders",
            vec![
                col(&n, "id", "integer"),
                col(&n, "org", "integer"),
                col(&n, "user_id", "integer").references(&n, "users", &["id"]),
                col(&n, "amount", "integer").check(&n, "amount > 0"),
                col(&n, "lo", "integer"),
                col(&n, "hi", "integer"),
            ],
            vec![
                pk_c(&n, None, &["id", "org"]),
                unique_c(&n, None, &["org", "user_id"]),
                check_c(&n, None, "lo < hi"),
                check_c(&n, None, "lo >= 0 AND hi >= 0"),
                check_c(&n, None, "LO <> 7"),
            ],
        ),
    ]);
    assert_eq!(
        constraint_names(&s, "users"),
        ["users_pkey", "users_email_key"]
    );
    assert_eq!(
        constraint_names(&s, "orders"),
        [
            "orders_pkey",
            "orders_org_user_id_key",
            "orders_amount_check",
            "orders_check",
            "orders_check1",
            "orders_lo_check",
            "orders_user_id_fkey",
        ]
    );
    // PK columns became NOT NULL.
    assert!(
        !s.table(None, "orders")
            .unwrap()
            .column("org")
            .unwrap()
            .nullable
    );
}

#[test]
fn default_names_avoid_names_used_in_the_schema() {
    let n = Src::none();
    let s = build(vec![
        create_table(
            &n,
            "other",
            vec![col(&n, "x", "integer")],
            vec![check_c(&n, Some("t_check"), "x > 0")],
        ),
        create_table(
            &n,
            "t",
            vec![col(&n, "a", "integer"), col(&n, "b", "integer")],
            vec![check_c(&n, None, "a < b")],
        ),
        create_index(&n, "u_pkey", "other", &["x"], false),
        create_table(&n, "u", vec![col(&n, "id", "integer").pk()], vec![]),
    ]);
    assert_eq!(constraint_names(&s, "t"), ["t_check1"]);
    assert_eq!(constraint_names(&s, "u"), ["u_pkey1"]);
}

#[test]
fn long_default_names_are_cut_like_postgresql() {
    let n = Src::none();
    let table = "t".repeat(40);
    let column = "c".repeat(40);
    let s = build(vec![create_table(
        &n,
        &table,
        vec![col(&n, &column, "integer").unique()],
        vec![],
    )]);
    let names = constraint_names(&s, &table);
    assert_eq!(
        names,
        [format!("{}_{}_key", "t".repeat(29), "c".repeat(29))]
    );
}

#[test]
fn constraint_name_for_matches_apply() {
    let n = Src::none();
    let mut s = base();
    let c = unique_c(&n, None, &["name", "age"]);
    let predicted = s.constraint_name_for(&n.qn("users"), &c, &PG).unwrap();
    s.apply(&add_constraint(&n, "users", c), &PG).unwrap();
    assert_eq!(predicted, "users_name_age_key");
    assert!(s
        .table(None, "users")
        .unwrap()
        .constraint(&predicted)
        .is_some());
}

// ---------------------------------------------------------------- renames and drops

#[test]
fn renaming_a_column_updates_everything_that_uses_it() {
    let n = Src::none();
    let mut s = base();
    s.apply(
        &create_index(
            &n,
            "ix_users_id_name",
            "users",
            &["id", "sql:lower(name)"],
            false,
        ),
        &PG,
    )
    .unwrap();
    s.apply(
        &add_constraint(
            &n,
            "users",
            check_c(&n, Some("ck_name"), "char_length(name) > 1"),
        ),
        &PG,
    )
    .unwrap();
    s.apply(
        &alter_column(
            &n,
            "users",
            "name",
            vec![ColumnChange::Rename(n.id("full_name"))],
        ),
        &PG,
    )
    .unwrap();
    s.apply(
        &alter_column(
            &n,
            "users",
            "id",
            vec![ColumnChange::Rename(n.id("user_id"))],
        ),
        &PG,
    )
    .unwrap();
    let users = s.table(None, "users").unwrap();
    assert_eq!(
        users.columns.keys().collect::<Vec<_>>(),
        ["user_id", "email", "full_name", "age"]
    );
    assert_eq!(users.primary_key.as_ref().unwrap().columns, ["user_id"]);
    assert_eq!(users.primary_key.as_ref().unwrap().name, "users_pkey");
    assert_eq!(
        users.indexes["ix_users_id_name"].elements,
        [
            IndexElement::Column {
                name: "user_id".into(),
                descending: false
            },
            IndexElement::Expression("lower(full_name)".into())
        ]
    );
    assert_eq!(
        users.constraints["ck_name"].kind,
        ConstraintKind::Check {
            expr: "char_length(full_name) > 1".into()
        }
    );
    let fk = &s.table(None, "orders").unwrap().constraints["orders_user_id_fkey"];
    match &fk.kind {
        ConstraintKind::ForeignKey { ref_columns, .. } => assert_eq!(ref_columns, &["user_id"]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn renaming_a_table_updates_foreign_keys_but_not_names() {
    let n = Src::none();
    let mut s = base();
    let before_position = s.tables.get_index_of(&(None, "users".to_string())).unwrap();
    s.apply(&rename_table(&n, "users", "members"), &PG).unwrap();
    assert!(s.table(None, "users").is_none());
    let members = s.table(None, "members").unwrap();
    assert_eq!(members.primary_key.as_ref().unwrap().name, "users_pkey");
    assert_eq!(
        s.tables
            .get_index_of(&(None, "members".to_string()))
            .unwrap(),
        before_position
    );
    let fk = &s.table(None, "orders").unwrap().constraints["orders_user_id_fkey"];
    assert!(fk.references(None, "members"));
    assert_eq!(s.referencing_fks(None, "members").len(), 1);
    assert!(s.referencing_fks(None, "users").is_empty());
    // The index moved with it and is still found by name.
    assert_eq!(
        s.find_index(None, "ix_users_name").unwrap().0,
        (None, "members".to_string())
    );
    // And dropping the referenced table is still refused under its new name.
    assert!(s.apply(&drop_table(&n, "members"), &PG).is_err());
}

#[test]
fn dropping_a_column_drops_its_indexes_and_constraints() {
    let n = Src::none();
    let mut s = base();
    s.apply(
        &create_index(&n, "ix_multi", "orders", &["note", "amount"], false),
        &PG,
    )
    .unwrap();
    s.apply(&drop_column(&n, "orders", "amount"), &PG).unwrap();
    let orders = s.table(None, "orders").unwrap();
    assert!(orders.constraint("orders_amount_check").is_none());
    assert!(orders.indexes.get("ix_multi").is_none());
    s.apply(&drop_column(&n, "orders", "user_id"), &PG).unwrap();
    assert!(s.referencing_fks(None, "users").is_empty());
    s.apply(&drop_table(&n, "users"), &PG).unwrap();
}

#[test]
fn permissive_cases() {
    let n = Src::none();
    let mut s = base();
    // not null without default on an existing table: allowed (it may be empty).
    s.apply(
        &add_column(&n, "users", col(&n, "role", "text").not_null()),
        &PG,
    )
    .unwrap();
    // set not null, primary key on a nullable column makes it NOT NULL.
    s.apply(
        &alter_column(&n, "users", "name", vec![ColumnChange::SetNotNull]),
        &PG,
    )
    .unwrap();
    s.apply(
        &create_table(&n, "t", vec![col(&n, "a", "integer")], vec![]),
        &PG,
    )
    .unwrap();
    s.apply(&add_constraint(&n, "t", pk_c(&n, None, &["a"])), &PG)
        .unwrap();
    assert!(!s.table(None, "t").unwrap().column("a").unwrap().nullable);
    // Dropping a primary key keeps the columns NOT NULL (as PostgreSQL does).
    s.apply(&drop_constraint(&n, "t_pkey", "t"), &PG).unwrap();
    assert!(!s.table(None, "t").unwrap().column("a").unwrap().nullable);
    // A foreign key may reference a unique index.
    s.apply(
        &create_index(&n, "ux_users_age", "users", &["age"], true),
        &PG,
    )
    .unwrap();
    s.apply(
        &add_constraint(
            &n,
            "orders",
            fk_c(&n, None, &["user_id"], "users", &["age"]),
        ),
        &PG,
    )
    .unwrap();
    // ... which then cannot be dropped.
    assert_eq!(
        s.apply(&drop_index(&n, "ux_users_age", None), &PG)
            .unwrap_err()[0]
            .code,
        "E0244"
    );
    // if_not_exists / data ops.
    s.apply(&execute(&n, "SELECT 1", None), &PG).unwrap();
    s.apply(
        &bulk_insert(
            &n,
            "users",
            &["email", "role", "name"],
            vec![vec![string("a"), string("r"), string("n")]],
        ),
        &PG,
    )
    .unwrap();
    s.apply(&backfill(&n, "users", None, None), &PG).unwrap();
    s.apply(
        &add_enum_value(
            &n,
            "status",
            "archived",
            Some(EnumValuePosition::After("active".into())),
        ),
        &PG,
    )
    .unwrap();
    assert_eq!(
        s.enum_type(None, "status").unwrap().values,
        ["active", "archived", "banned"]
    );
}

#[test]
fn batch_is_all_or_nothing() {
    let n = Src::none();
    let s = base();
    let mut t = s.clone();
    let bad = batch(
        &n,
        "users",
        vec![
            add_column(&n, "users", col(&n, "role", "text")),
            alter_column(&n, "users", "nope", vec![ColumnChange::SetNotNull]),
        ],
    );
    assert!(t.apply(&bad, &PG).is_err());
    assert_eq!(t, s);
    let good = batch(
        &n,
        "users",
        vec![
            add_column(&n, "users", col(&n, "role", "text")),
            alter_column(
                &n,
                "users",
                "role",
                vec![ColumnChange::Rename(n.id("kind"))],
            ),
            alter_column(&n, "users", "id", vec![ColumnChange::Rename(n.id("uid"))]),
            create_index(&n, "ix_kind", "users", &["kind"], false),
        ],
    );
    t.apply(&good, &PG).unwrap();
    let users = t.table(None, "users").unwrap();
    assert!(users.column("kind").is_some() && users.indexes.contains_key("ix_kind"));
    let fk = &t.table(None, "orders").unwrap().constraints["orders_user_id_fkey"];
    assert!(
        matches!(&fk.kind, ConstraintKind::ForeignKey { ref_columns, .. } if ref_columns == &["uid"])
    );
    assert_eq!(
        t.find_index(None, "ix_kind").unwrap().0,
        (None, "users".to_string())
    );
}

#[test]
fn reindex_rebuilds_the_name_index() {
    let mut s = base();
    let before = s.clone();
    s.reindex();
    assert_eq!(s, before);
    assert!(s.find_index(None, "ix_users_name").is_some());
    assert_eq!(s.referencing_fks(None, "users").len(), 1);
}

#[test]
fn replaying_many_operations_is_fast() {
    let n = Src::none();
    let mut ops = Vec::new();
    let count: usize = std::env::var("MODEL_BENCH_TABLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    for i in 0..count {
        let t = format!("t{i}");
        ops.push(create_table(
            &n,
            &t,
            vec![col(&n, "id", "integer").pk(), col(&n, "v", "text")],
            vec![],
        ));
        ops.push(add_column(&n, &t, col(&n, "w", "integer")));
        ops.push(create_index(&n, &format!("ix_{i}"), &t, &["v"], false));
        ops.push(alter_column(&n, &t, "v", vec![ColumnChange::SetNotNull]));
        if i > 0 {
            let fk = fk_c(&n, None, &["w"], &format!("t{}", i - 1), &["id"]);
            ops.push(add_constraint(&n, &t, fk));
        }
        ops.push(drop_index(&n, &format!("ix_{i}"), None));
        ops.push(comment_on(&n, &t, Some("c")));
    }
    let repeat: usize = std::env::var("MODEL_BENCH_REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let start = std::time::Instant::now();
    for _ in 0..repeat {
        let mut s = Schema::default();
        for op in &ops {
            s.apply(op, &PG).unwrap();
        }
    }
    let took = start.elapsed() / repeat as u32;
    eprintln!("{} ops in {took:?}", ops.len());
    assert!(took.as_secs_f64() < 5.0, "{} ops took {took:?}", ops.len());
}

// ---------------------------------------------------------------- robustness

mod never_panics {
    use super::*;
    use migc::ir::{ColumnChange, EnumValuePosition, Reverse};
    use proptest::prelude::*;

    const NAMES: [&str; 14] = [
        "users",
        "orders",
        "id",
        "email",
        "user_id",
        "status",
        "users_pkey",
        "ix_users_name",
        "é",
        "a b",
        "X",
        "analytics.events",
        "orders_amount_check",
        "note",
    ];
    const TYPES: [&str; 6] = [
        "integer",
        "text",
        "enum status",
        "enum nope",
        "boolean",
        "string(2)",
    ];

    fn op(k: u8, a: usize, b: usize, c: usize) -> Op {
        let n = Src::none();
        let (x, y, z) = (
            NAMES[a % NAMES.len()],
            NAMES[b % NAMES.len()],
            NAMES[c % NAMES.len()],
        );
        let t = TYPES[c % TYPES.len()];
        match k % 20 {
            0 => create_table(
                &n,
                x,
                vec![col(&n, y, t).pk(), col(&n, z, t).unique()],
                vec![fk_c(&n, None, &[z], x, &[y])],
            ),
            1 => drop_table(&n, x),
            2 => rename_table(&n, x, y),
            3 => add_column(&n, x, col(&n, y, t).not_null().references(&n, z, &["id"])),
            4 => drop_column(&n, x, y),
            5 => alter_column(
                &n,
                x,
                y,
                vec![
                    ColumnChange::DropNotNull,
                    ColumnChange::SetType {
                        ty: ty(t),
                        using: None,
                    },
                    ColumnChange::Rename(n.id(z)),
                ],
            ),
            6 => create_index(&n, z, x, &[y, "sql:lower(x)"], c.is_multiple_of(2)),
            7 => drop_index(&n, z, a.is_multiple_of(2).then_some(x)),
            8 => add_constraint(&n, x, pk_c(&n, None, &[y, z])),
            9 => add_constraint(&n, x, fk_c(&n, Some(z), &[y], z, &[y])),
            10 => drop_constraint(&n, z, x),
            11 => create_enum(&n, x, &[y, z]),
            12 => drop_enum(&n, x),
            13 => add_enum_value(&n, x, y, Some(EnumValuePosition::Before(z.into()))),
            14 => drop_schema(&n, x, c.is_multiple_of(2)),
            15 => create_schema(&n, x),
            16 => bulk_insert(
                &n,
                x,
                &[y, z],
                vec![vec![string(y), Literal::Null], vec![int(c as i64)]],
            ),
            17 => backfill(&n, x, Some(y), Some(Reverse::Nothing)),
            18 => batch(
                &n,
                x,
                vec![
                    drop_column(&n, x, y),
                    add_column(&n, x, col(&n, y, t)),
                    drop_table(&n, z),
                ],
            ),
            _ => comment_on(&n, x, Some(y)),
        }
    }

    proptest! {
        #[test]
        fn arbitrary_operations_never_panic(steps in prop::collection::vec((any::<u8>(), any::<usize>(), any::<usize>(), any::<usize>()), 1..40)) {
            let mut s = base();
            for (k, a, b, c) in steps {
                let o = op(k, a, b, c);
                let before = s.clone();
                let _ = migc::reverse::derive_downgrade(std::slice::from_ref(&o), &s, &PG);
                if s.apply(&o, &PG).is_err() {
                    prop_assert_eq!(&s, &before);
                }
            }
            let _ = s.end_revision();
        }
    }
}

#[test]
fn a_clone_and_its_original_keep_separate_name_indexes() {
    // The name index is shared between clones until one changes (persistent maps).
    let n = Src::none();
    let original = base();
    let mut copy = original.clone();
    copy.apply(&rename_table(&n, "users", "members"), &PG)
        .unwrap();
    copy.apply(&drop_index(&n, "ix_users_name", None), &PG)
        .unwrap();
    assert_eq!(original.referencing_fks(None, "users").len(), 1);
    assert!(original.referencing_fks(None, "members").is_empty());
    assert_eq!(
        original.find_index(None, "ix_users_name").unwrap().0,
        (None, "users".to_string())
    );
    assert_eq!(copy.referencing_fks(None, "members").len(), 1);
    assert!(copy.find_index(None, "ix_users_name").is_none());
    // A clone of the copy may reuse the name; the copy and the original are unaffected.
    let mut again = copy.clone();
    again
        .apply(
            &create_index(&n, "ix_users_name", "members", &["name"], false),
            &PG,
        )
        .unwrap();
    assert!(copy.find_index(None, "ix_users_name").is_none());
    assert!(original
        .clone()
        .apply(
            &create_index(&n, "ix_users_name", "users", &["name"], false),
            &PG
        )
        .is_err());
}

#[test]
fn tables_referencing_a_name_ignore_case_in_table_order() {
    let n = Src::none();
    let mut s = base();
    // A self-reference, and a second referencing table created later.
    s.apply(
        &create_table(
            &n,
            "audits",
            vec![
                col(&n, "id", "integer").pk(),
                col(&n, "who", "integer").references(&n, "users", &["id"]),
                col(&n, "parent", "integer").references(&n, "audits", &["id"]),
            ],
            vec![],
        ),
        &PG,
    )
    .unwrap();
    let names = |t: &str| -> Vec<String> {
        s.tables_referencing_ignore_case(t)
            .iter()
            .map(|t| t.name.clone())
            .collect()
    };
    assert_eq!(names("Users"), ["orders", "audits"]);
    assert_eq!(names("AUDITS"), ["audits"]);
    assert!(names("orders").is_empty());
    // The same tables, in the same order, as reading every table would give.
    let scanned: Vec<String> = s
        .tables
        .values()
        .filter(|t| {
            t.foreign_keys().any(|c| match &c.kind {
                ConstraintKind::ForeignKey { ref_table, .. } => {
                    ref_table.eq_ignore_ascii_case("users")
                }
                _ => false,
            })
        })
        .map(|t| t.name.clone())
        .collect();
    assert_eq!(names("users"), scanned);
}
