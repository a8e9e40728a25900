//! Derived downgrades. The key property: for every reversible sequence of
//! operations, applying it and then its derived downgrade gives back a schema equal
//! to the one before. Checked on a table of hand-written cases and on random
//! operation sequences (proptest).

#[path = "support/ir_builder.rs"]
mod b;

use b::*;
use migc::ir::{ColumnChange, Default, Literal, Op, OpKind, Reverse};
use migc::model::{Limits, Schema};
use migc::reverse::{apply_and_derive, derive_downgrade};

const PG: Limits = Limits::POSTGRESQL;

fn build(ops: &[Op]) -> Schema {
    let mut s = Schema::default();
    for op in ops {
        s.apply(op, &PG)
            .unwrap_or_else(|e| panic!("set-up op failed: {e:#?}"));
    }
    s
}

fn base_ops() -> Vec<Op> {
    let n = Src::none();
    vec![
        create_enum(&n, "status", &["active", "banned"]),
        create_table(
            &n,
            "users",
            vec![
                col(&n, "id", "integer").pk().autoincrement(),
                col(&n, "email", "string(255)")
                    .not_null()
                    .unique()
                    .comment("login"),
                col(&n, "name", "text").default(string("anon")),
                col(&n, "age", "integer"),
            ],
            vec![],
        ),
        create_table(
            &n,
            "orders",
            vec![
                col(&n, "id", "bigint"),
                col(&n, "line", "integer"),
                col(&n, "user_id", "integer")
                    .not_null()
                    .references(&n, "users", &["id"]),
                col(&n, "amount", "numeric(10, 2)").check(&n, "amount > 0"),
                col(&n, "note", "text"),
                col(&n, "status", "enum status"),
            ],
            vec![
                pk_c(&n, None, &["id", "line"]),
                check_c(&n, None, "line < 1000 AND amount < 1e6"),
            ],
        ),
        create_index(
            &n,
            "ix_users_name",
            "users",
            &["name", "sql:lower(email)"],
            false,
        ),
        create_index(
            &n,
            "ix_orders_note",
            "orders",
            &["note desc", "amount"],
            true,
        ),
        comment_on(&n, "orders", Some("what people bought")),
    ]
}

fn base() -> Schema {
    build(&base_ops())
}

/// The lookups backed by the private name index agree with a brute-force scan.
fn assert_index_consistent(s: &Schema) {
    let mut fresh = s.clone();
    fresh.reindex();
    for t in s.tables.values() {
        for i in t.indexes.keys() {
            let found = s.find_index(t.schema.as_deref(), i).map(|(k, _)| k);
            assert_eq!(found, Some(t.key()), "index {i}");
        }
        let got: Vec<_> = s
            .referencing_fks(t.schema.as_deref(), &t.name)
            .into_iter()
            .map(|(k, c)| (k, c.name.clone()))
            .collect();
        let want: Vec<_> = fresh
            .referencing_fks(t.schema.as_deref(), &t.name)
            .into_iter()
            .map(|(k, c)| (k, c.name.clone()))
            .collect();
        assert_eq!(got, want, "referencing fks of {}", t.name);
    }
}

/// up then derived down == before; and the downgrade's own derived downgrade
/// brings back the state after the upgrade.
fn roundtrip(before: &Schema, up: &[Op]) -> Vec<Op> {
    let down =
        derive_downgrade(up, before, &PG).unwrap_or_else(|e| panic!("not reversible: {e:#?}"));
    let mut s = before.clone();
    for op in up {
        s.apply(op, &PG)
            .unwrap_or_else(|e| panic!("upgrade op failed: {e:#?}"));
    }
    let after = s.clone();
    assert_index_consistent(&after);
    for op in &down {
        s.apply(op, &PG)
            .unwrap_or_else(|e| panic!("derived op {op:#?} failed: {e:#?}\nupgrade: {up:#?}"));
    }
    assert_eq!(
        &s, before,
        "downgrade did not restore the schema\nupgrade: {up:#?}\ndowngrade: {down:#?}"
    );
    assert_index_consistent(&s);
    let redo = derive_downgrade(&down, &after, &PG).expect("a derived downgrade is reversible");
    let mut again = after.clone();
    for op in &down {
        again.apply(op, &PG).unwrap();
    }
    for op in &redo {
        again.apply(op, &PG).unwrap();
    }
    assert_eq!(
        again, after,
        "re-upgrade did not restore the upgraded schema"
    );
    down
}

macro_rules! rt_case {
    ($name:ident, |$n:ident| $ops:expr) => {
        #[test]
        fn $name() {
            let $n = Src::none();
            let ops: Vec<Op> = $ops;
            roundtrip(&base(), &ops);
        }
    };
}

rt_case!(create_table_full, |n| vec![create_table(
    &n,
    "items",
    vec![
        col(&n, "id", "bigint").pk().autoincrement(),
        col(&n, "sku", "string(20)")
            .not_null()
            .unique()
            .check(&n, "char_length(sku) > 2"),
        col(&n, "owner", "integer").references(&n, "users", &["id"]),
        col(&n, "state", "enum status").default(string("active")),
        col(&n, "parent", "bigint").references(&n, "items", &["id"]),
    ],
    vec![unique_c(&n, Some("uq_items_owner_sku"), &["owner", "sku"])],
)]);
rt_case!(drop_table_with_everything, |n| vec![drop_table(
    &n, "orders"
)]);
rt_case!(drop_then_recreate_differently, |n| vec![
    drop_table(&n, "orders"),
    create_table(&n, "orders", vec![col(&n, "id", "integer").pk()], vec![]),
]);
rt_case!(rename_table_referenced, |n| vec![rename_table(
    &n, "users", "members"
)]);
rt_case!(add_column_with_inline_constraints, |n| vec![add_column(
    &n,
    "orders",
    col(&n, "ref", "integer")
        .unique()
        .check(&n, "ref > 0")
        .references(&n, "users", &["id"])
        .not_null()
)]);
rt_case!(drop_column_in_pk_index_and_checks, |n| vec![
    drop_column(&n, "orders", "amount"),
    drop_column(&n, "orders", "line")
]);
rt_case!(drop_column_with_default_and_comment, |n| vec![
    drop_column(&n, "users", "email"),
    drop_column(&n, "users", "name")
]);
rt_case!(drop_fk_column, |n| vec![
    drop_column(&n, "orders", "user_id"),
    drop_table(&n, "users")
]);
rt_case!(alter_column_everything, |n| vec![alter_column(
    &n,
    "users",
    "name",
    vec![
        ColumnChange::SetNotNull,
        ColumnChange::SetType {
            ty: ty("string(100)"),
            using: Some(n.sql("name::varchar(100)"))
        },
        ColumnChange::DropDefault,
        ColumnChange::Rename(n.id("full_name")),
        ColumnChange::SetDefault(Default::Expression("'x'".into())),
        ColumnChange::Comment(Some("shown".into())),
        ColumnChange::DropNotNull,
        ColumnChange::SetNotNull,
    ]
)]);
rt_case!(rename_column_used_everywhere, |n| vec![
    alter_column(&n, "users", "id", vec![ColumnChange::Rename(n.id("uid"))]),
    alter_column(
        &n,
        "orders",
        "amount",
        vec![ColumnChange::Rename(n.id("total"))]
    ),
    alter_column(
        &n,
        "users",
        "email",
        vec![ColumnChange::Rename(n.id("mail"))]
    ),
]);
rt_case!(indexes, |n| vec![
    create_index(&n, "ix_age", "users", &["age", "sql:age * 2"], true),
    drop_index(&n, "ix_users_name", None),
    drop_index(&n, "ix_orders_note", Some("orders")),
]);
rt_case!(constraints, |n| vec![
    drop_constraint(&n, "users_email_key", "users"),
    add_constraint(&n, "users", unique_c(&n, None, &["email", "age"])),
    add_constraint(&n, "users", check_c(&n, None, "age > 0")),
    add_constraint(&n, "users", check_c(&n, None, "age > 1")),
    drop_constraint(&n, "orders_check", "orders"),
    drop_constraint(&n, "orders_user_id_fkey", "orders"),
    add_constraint(
        &n,
        "orders",
        fk_c(&n, Some("fk_orders_user"), &["user_id"], "users", &["id"])
    ),
    drop_constraint(&n, "orders_pkey", "orders"),
]);
rt_case!(primary_key_on_nullable_columns, |n| vec![create_table(
    &n,
    "t",
    vec![col(&n, "a", "integer"), col(&n, "b", "integer").not_null()],
    vec![]
),]);
rt_case!(schemas_enums_comments_data, |n| vec![
    create_schema(&n, "analytics"),
    create_enum(&n, "analytics.kind", &["click", "view"]),
    create_table(
        &n,
        "analytics.events",
        vec![
            col(&n, "id", "integer").pk(),
            col(&n, "kind", "enum analytics.kind")
        ],
        vec![]
    ),
    comment_on(&n, "users", Some("people")),
    comment_on(&n, "orders", None),
    execute(
        &n,
        "UPDATE users SET age = 1",
        Some(Reverse::Sql(n.sql("UPDATE users SET age = NULL")))
    ),
    execute(&n, "ANALYZE", Some(Reverse::Nothing)),
    backfill(&n, "users", None, Some(Reverse::Nothing)),
    drop_table(&n, "analytics.events"),
    drop_enum(&n, "analytics.kind"),
    drop_schema(&n, "analytics", false),
    drop_table(&n, "orders"),
    drop_enum(&n, "status"),
]);
rt_case!(batch_alterations, |n| vec![batch(
    &n,
    "users",
    vec![
        add_column(
            &n,
            "users",
            col(&n, "role", "text").default(string("member"))
        ),
        alter_column(&n, "users", "id", vec![ColumnChange::Rename(n.id("uid"))]),
        drop_column(&n, "users", "name"),
        create_index(&n, "ix_role", "users", &["role"], false),
        add_constraint(&n, "users", check_c(&n, None, "role <> ''")),
        drop_constraint(&n, "users_email_key", "users"),
        comment_on(&n, "users", Some("c")),
    ]
)]);

#[test]
fn primary_key_added_to_nullable_columns_comes_off_with_its_nullability() {
    let n = Src::none();
    let before = build(&[create_table(
        &n,
        "t",
        vec![col(&n, "a", "integer"), col(&n, "b", "integer").not_null()],
        vec![],
    )]);
    let up = vec![add_constraint(&n, "t", pk_c(&n, None, &["a", "b"]))];
    let down = roundtrip(&before, &up);
    assert_eq!(down.len(), 2, "{down:#?}");
    assert!(matches!(&down[0].kind, OpKind::DropConstraint { name, .. } if name.value == "t_pkey"));
    assert!(
        matches!(&down[1].kind, OpKind::AlterColumn { column, changes, .. }
        if column.value == "a" && changes == &[ColumnChange::DropNotNull])
    );
}

#[test]
fn type_change_inverts_without_using() {
    let n = Src::none();
    let up = vec![alter_column(
        &n,
        "users",
        "age",
        vec![ColumnChange::SetType {
            ty: ty("bigint"),
            using: Some(n.sql("age::bigint")),
        }],
    )];
    let down = roundtrip(&base(), &up);
    assert!(matches!(&down[0].kind, OpKind::AlterColumn { changes, .. }
        if changes == &[ColumnChange::SetType { ty: ty("integer"), using: None }]));
}

#[test]
fn dropped_column_comes_back_with_what_it_had() {
    let n = Src::none();
    let down = roundtrip(&base(), &[drop_column(&n, "orders", "amount")]);
    let kinds: Vec<String> = down
        .iter()
        .map(|o| match &o.kind {
            OpKind::AddColumn { column, .. } => {
                format!("add_column {} {}", column.name.value, column.ty.describe())
            }
            OpKind::AddConstraint { constraint, .. } => {
                format!("add_constraint {}", constraint.name.as_ref().unwrap().value)
            }
            OpKind::CreateIndex(ci) => format!("create_index {}", ci.name.value),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "add_column amount numeric(10, 2)",
            "add_constraint orders_amount_check",
            "add_constraint orders_check",
            "create_index ix_orders_note"
        ]
    );
}

#[test]
fn derived_ops_carry_the_upgrade_span() {
    let src = Src::new("drop_table orders");
    let up = [drop_table(&src, "orders")];
    let down = derive_downgrade(&up, &base(), &PG).unwrap();
    assert!(down.len() >= 2);
    for op in &down {
        assert_eq!(op.span, src.all());
    }
}

#[test]
fn if_not_exists_that_did_nothing_inverts_to_nothing() {
    let n = Src::none();
    let mut ct = create_table(&n, "users", vec![col(&n, "id", "integer")], vec![]);
    if let OpKind::CreateTable(c) = &mut ct.kind {
        c.if_not_exists = true;
    }
    let down = roundtrip(
        &base(),
        &[ct, execute(&n, "SELECT 1", Some(Reverse::Nothing))],
    );
    assert!(down.is_empty(), "{down:#?}");
}

#[test]
fn every_irreversible_operation_is_reported_in_one_run() {
    let text = "execute \"UPDATE users SET age = 0\"\n\
                add_enum_value status 'archived'\n\
                bulk_insert users (email) { ('a@example.com') }\n\
                backfill users set \"x = 1\" where \"x IS NULL\" batch 1000\n\
                drop_schema analytics cascade";
    let src = Src::new(text);
    let n = Src::none();
    let mut before = base();
    before.apply(&create_schema(&n, "analytics"), &PG).unwrap();
    before
        .apply(
            &create_table(&n, "analytics.e", vec![col(&n, "id", "integer")], vec![]),
            &PG,
        )
        .unwrap();
    let k = |needle: &str, op: Op| src.op_line(needle, op.kind);
    let up = vec![
        k("execute", execute(&src, "UPDATE users SET age = 0", None)),
        k(
            "add_enum_value",
            add_enum_value(&src, "status", "archived", None),
        ),
        k(
            "bulk_insert",
            bulk_insert(
                &src,
                "users",
                &["email"],
                vec![vec![string("a@example.com")]],
            ),
        ),
        k("backfill", backfill(&src, "users", None, None)),
        k("drop_schema", drop_schema(&src, "analytics", true)),
    ];
    let errs = derive_downgrade(&up, &before, &PG).unwrap_err();
    let codes: Vec<&str> = errs.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["E0260", "E0261", "E0262", "E0260", "E0263"]);
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("reverse__irreversible_operations", src.render(&errs));
    });
}

#[test]
fn an_invalid_upgrade_reports_the_model_error() {
    let src = Src::new("drop_column users.nope");
    let errs = derive_downgrade(&[drop_column(&src, "users", "nope")], &base(), &PG).unwrap_err();
    assert_eq!(errs[0].code, "E0202");
}

#[test]
fn apply_and_derive_leaves_the_schema_upgraded() {
    let n = Src::none();
    let mut s = base();
    let up = [drop_column(&n, "users", "age")];
    let down = apply_and_derive(&mut s, &up, &PG).unwrap();
    assert!(s.table(None, "users").unwrap().column("age").is_none());
    for op in &down {
        s.apply(op, &PG).unwrap();
    }
    assert_eq!(s, base());
}

// ------------------------------------------------------------------ random sequences

mod random {
    use super::*;
    use migc::model::{ConstraintKind, Table};
    use proptest::prelude::*;

    type Seed = (u8, u16, u16, u16);

    fn pick<T: Clone>(items: &[T], seed: u16) -> Option<T> {
        (!items.is_empty()).then(|| items[seed as usize % items.len()].clone())
    }

    fn tables(s: &Schema) -> Vec<Table> {
        s.tables.values().cloned().collect()
    }

    const TYPES: [&str; 6] = [
        "integer",
        "bigint",
        "text",
        "string(40)",
        "boolean",
        "enum status",
    ];

    /// One operation built from `seed` against the current schema (it may be invalid).
    fn op_for(s: &Schema, (kind, a, b, c): Seed, fresh: &mut u32) -> Option<Op> {
        let n = Src::none();
        *fresh += 1;
        let new = format!("n{fresh}");
        let t = pick(&tables(s), a);
        let tn = t.as_ref().map(|t| t.name.clone()).unwrap_or_default();
        let column = t
            .as_ref()
            .and_then(|t| pick(&t.columns.keys().cloned().collect::<Vec<_>>(), b));
        let column2 = t
            .as_ref()
            .and_then(|t| pick(&t.columns.keys().cloned().collect::<Vec<_>>(), c));
        Some(match kind % 16 {
            0 => {
                let mut cols = vec![
                    col(&n, "id", "integer").pk(),
                    col(&n, "v", TYPES[b as usize % TYPES.len()]),
                ];
                if let Some(target) =
                    t.filter(|t| t.primary_key.as_ref().is_some_and(|p| p.columns.len() == 1))
                {
                    let pk = target.primary_key.unwrap().columns[0].clone();
                    let ty = target.columns[&pk].ty.describe();
                    cols.push(col(&n, "ref", &ty).references(&n, &target.name, &[&pk]));
                }
                if c % 2 == 0 {
                    cols.push(col(&n, "w", "integer").unique().check(&n, "w > 0"));
                }
                create_table(&n, &new, cols, vec![])
            }
            1 => drop_table(&n, &tn),
            2 => rename_table(&n, &tn, &new),
            3 => {
                let mut d = col(&n, &new, TYPES[b as usize % TYPES.len()]);
                if c & 1 != 0 {
                    d = d.not_null();
                }
                if c & 2 != 0 {
                    d = d.unique();
                }
                if c & 4 != 0 {
                    d = d.check(&n, &format!("{new} IS NOT NULL"));
                }
                if c & 8 != 0 && TYPES[b as usize % TYPES.len()] == "integer" {
                    d = d.default(Literal::Integer("7".into()));
                }
                if c & 16 != 0 {
                    d = d.comment("hello");
                }
                add_column(&n, &tn, d)
            }
            4 => drop_column(&n, &tn, &column?),
            5 => {
                let mut changes = Vec::new();
                if b & 1 != 0 {
                    changes.push(ColumnChange::SetNotNull);
                }
                if b & 2 != 0 {
                    changes.push(ColumnChange::DropNotNull);
                }
                if b & 4 != 0 {
                    changes.push(ColumnChange::SetType {
                        ty: ty(TYPES[c as usize % 4]),
                        using: None,
                    });
                }
                if b & 8 != 0 {
                    changes.push(ColumnChange::SetDefault(Default::Expression("NULL".into())));
                }
                if b & 16 != 0 {
                    changes.push(ColumnChange::DropDefault);
                }
                if b & 32 != 0 {
                    changes.push(ColumnChange::Rename(n.id(&new)));
                }
                if b & 64 != 0 {
                    changes.push(ColumnChange::Comment((c % 2 == 0).then(|| "x".to_string())));
                }
                alter_column(&n, &tn, &column?, changes)
            }
            6 => {
                let mut cols = vec![column?];
                if let Some(c2) = column2.filter(|c2| !cols.contains(c2)) {
                    cols.push(c2);
                }
                if c % 3 == 0 {
                    cols.push(format!("sql:lower({})", cols[0]));
                }
                let refs: Vec<&str> = cols.iter().map(String::as_str).collect();
                create_index(&n, &format!("ix_{new}"), &tn, &refs, c % 2 == 0)
            }
            7 => {
                let i = pick(&t?.indexes.keys().cloned().collect::<Vec<_>>(), b)?;
                drop_index(&n, &i, (c % 2 == 0).then_some(tn.as_str()))
            }
            8 => {
                let cl = column?;
                let cons = match c % 4 {
                    0 => unique_c(&n, (b % 2 == 0).then_some(new.as_str()), &[&cl]),
                    1 => check_c(
                        &n,
                        (b % 2 == 0).then_some(new.as_str()),
                        &format!("{cl} IS NOT NULL"),
                    ),
                    2 => pk_c(&n, None, &[&cl]),
                    _ => {
                        let target = pick(&tables(s), b)?;
                        let pk = target.primary_key.clone()?;
                        if pk.columns.len() != 1 {
                            return None;
                        }
                        fk_c(&n, None, &[&cl], &target.name, &[&pk.columns[0]])
                    }
                };
                add_constraint(&n, &tn, cons)
            }
            9 => {
                let t = t?;
                let names: Vec<String> = t
                    .primary_key
                    .iter()
                    .map(|p| p.name.clone())
                    .chain(t.constraints.keys().cloned())
                    .collect();
                drop_constraint(&n, &pick(&names, b)?, &tn)
            }
            10 => comment_on(&n, &tn, (b % 2 == 0).then_some("comment")),
            11 => create_enum(&n, &format!("e_{new}"), &["a", "b"]),
            12 => {
                let e = pick(
                    &s.enums.values().map(|e| e.name.clone()).collect::<Vec<_>>(),
                    b,
                )?;
                drop_enum(&n, &e)
            }
            13 => {
                // A batch of a few alterations of one table.
                let mut ops = Vec::new();
                let mut sim = s.clone();
                for k in 0..3u16 {
                    let seed = (
                        3 + ((b.wrapping_add(k * 7)) % 8) as u8,
                        a,
                        c.wrapping_add(k),
                        b.wrapping_mul(k + 1),
                    );
                    if let Some(o) = op_for(&sim, seed, fresh) {
                        let same_table = matches!(&o.kind, OpKind::AddColumn { table, .. } | OpKind::DropColumn { table, .. }
                            | OpKind::AlterColumn { table, .. } | OpKind::AddConstraint { table, .. }
                            | OpKind::DropConstraint { table, .. } | OpKind::SetTableComment { table, .. } if table.name.value == tn)
                            || matches!(&o.kind, OpKind::CreateIndex(ci) if ci.table.name.value == tn);
                        if same_table && sim.apply(&o, &PG).is_ok() {
                            ops.push(o);
                        }
                    }
                }
                if ops.is_empty() {
                    return None;
                }
                batch(&n, &tn, ops)
            }
            14 => create_schema(&n, &format!("s_{new}")),
            _ => {
                let sc = pick(&s.schemas.iter().cloned().collect::<Vec<_>>(), b)?;
                drop_schema(&n, &sc, false)
            }
        })
    }

    /// The operations of `seeds` that apply; an operation that fails must leave
    /// the schema unchanged.
    fn valid_sequence(start: &Schema, seeds: &[Seed]) -> Vec<Op> {
        let mut s = start.clone();
        let mut fresh = 0;
        let mut ops = Vec::new();
        for seed in seeds {
            let Some(op) = op_for(&s, *seed, &mut fresh) else {
                continue;
            };
            let before = s.clone();
            match s.apply(&op, &PG) {
                Ok(()) => ops.push(op),
                Err(_) => assert_eq!(s, before, "a failed operation changed the schema: {op:#?}"),
            }
        }
        ops
    }

    proptest! {
        // PROPTEST_CASES=5000 for a longer search.
        #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300), ..ProptestConfig::default() })]

        #[test]
        fn downgrade_restores_the_schema(seeds in prop::collection::vec((0u8..16, any::<u16>(), any::<u16>(), any::<u16>()), 1..40)) {
            let start = base();
            let ops = valid_sequence(&start, &seeds);
            roundtrip(&start, &ops);
        }
    }

    #[test]
    fn random_sequences_are_not_trivial() {
        // Guard against a generator that only produces failing operations.
        let seeds: Vec<Seed> = (0..200u16)
            .map(|i| ((i % 16) as u8, i.wrapping_mul(31), i.wrapping_mul(17), i))
            .collect();
        let ops = valid_sequence(&base(), &seeds);
        assert!(ops.len() > 60, "only {} valid ops", ops.len());
        let mut kinds = std::collections::BTreeMap::new();
        for o in &ops {
            let k = format!("{:?}", o.kind);
            *kinds
                .entry(k.split(['(', ' ']).next().unwrap_or("").to_string())
                .or_insert(0) += 1;
        }
        eprintln!("{kinds:?}");
        roundtrip(&base(), &ops);
        let _ = ConstraintKind::Check {
            expr: String::new(),
        };
    }
}
