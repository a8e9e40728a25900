//! Lowering every IR operation to PostgreSQL, built by hand (no parser): one
//! snapshot of the SQL, and the same statements run on a real server as a
//! two-revision script.

mod support;

use indexmap::IndexMap;
use migc::dialect::postgres::Postgres;
use migc::dialect::{Backend, Statement};
use migc::ir::*;
use migc::model::Schema;
use migc::plan::{Command, Direction, Plan, Step, VersionChange};
use migc::script::{assemble, RevisionInfo, ScriptInput, ScriptOptions};
use support::ir_builder::*;
use support::pg::PgDb;

fn mood() -> ColumnType {
    ColumnType::Enum {
        name: "Mood".into(),
        schema: Some("app".into()),
    }
}

/// The model the operations are lowered against (what the lowering reads of it:
/// column types and the primary key).
fn model() -> Schema {
    let mut s = Schema::default();
    add_table(
        &mut s,
        "app.users",
        &[
            ("id", ColumnType::Integer),
            ("email", ty("string(255)")),
            ("mood", mood()),
            ("meta", ColumnType::Jsonb),
            ("role", ColumnType::String { length: Some(50) }),
            ("avatar", ColumnType::Binary),
            ("born", ColumnType::Date),
        ],
        Some("id"),
    );
    s
}

fn create_users() -> Op {
    let mut id_col = col_typed(&NONE, "id", ColumnType::Integer);
    id_col.primary_key = true;
    id_col.identity = Some(Identity::ByDefault);
    let mut email = col_typed(&NONE, "email", ty("string(255)"));
    email.nullable = Some(false);
    email.unique = true;
    email.check = Some(NONE.sql("char_length(email) > 3"));
    let mut m = col_typed(&NONE, "mood", mood());
    m.default = Some(Default::Literal(Literal::String("happy".into())));
    let mut meta = col_typed(&NONE, "meta", ColumnType::Jsonb);
    meta.default = Some(Default::Literal(Literal::Json("{}".into())));
    meta.nullable = Some(false);
    let mut order = col_typed(&NONE, "Order", ColumnType::Text);
    order.comment = Some("a reserved word, and it's quoted".into());
    let mut last = col_typed(&NONE, "last_order_id", ColumnType::BigInt);
    let mut r = fk_ref(&NONE, "app.orders", &["id"]);
    r.use_alter = true;
    last.references = Some(r);
    let mut created = col_typed(&NONE, "created_at", ColumnType::TimestampTz);
    created.default = Some(Default::Expression("now()".into()));
    let mut born = col_typed(&NONE, "born", ColumnType::Date);
    born.default = Some(Default::Literal(Literal::Date("2000-01-01".into())));
    let columns = vec![
        id_col,
        email,
        m,
        meta,
        order,
        last,
        created,
        born,
        col_typed(&NONE, "avatar", ColumnType::Binary),
    ];
    let mut op = create_table(&NONE, "app.users", columns, vec![]);
    if let OpKind::CreateTable(ct) = &mut op.kind {
        ct.comment = Some("people who log in".into());
    }
    op
}

fn create_orders() -> Op {
    let mut id_col = col_typed(&NONE, "id", ColumnType::BigInt);
    id_col.identity = Some(Identity::Always);
    let mut user = col_typed(&NONE, "user_id", ColumnType::Integer);
    let mut r = fk_ref(&NONE, "app.users", &["id"]);
    r.on_delete = Some(FkAction::Cascade);
    r.deferrable = Some(Deferrable::Deferred);
    user.references = Some(r);
    let amount = col_typed(
        &NONE,
        "amount",
        ColumnType::Numeric {
            precision: Some(10),
            scale: Some(2),
        },
    );
    create_table(
        &NONE,
        "app.orders",
        vec![id_col, user, amount],
        vec![
            constraint(
                &NONE,
                None,
                ConstraintKind::PrimaryKey {
                    columns: NONE.ids(&["id"]),
                },
            ),
            constraint(
                &NONE,
                Some("uq_orders_user_amount"),
                ConstraintKind::Unique {
                    columns: NONE.ids(&["user_id", "amount"]),
                },
            ),
            constraint(
                &NONE,
                None,
                ConstraintKind::Check {
                    expr: NONE.sql("amount > 0"),
                },
            ),
        ],
    )
}

fn index(name: &str, concurrently: bool) -> Op {
    NONE.op(OpKind::CreateIndex(CreateIndex {
        name: NONE.id(name),
        table: NONE.qn("app.users"),
        unique: !concurrently,
        elements: vec![
            IndexElement::Column {
                name: NONE.id("email"),
                descending: false,
            },
            IndexElement::Column {
                name: NONE.id("id"),
                descending: true,
            },
            IndexElement::Expression(NONE.sql("lower(email)")),
        ],
        where_clause: Some(NONE.sql("mood <> 'happy'")),
        concurrently,
        if_not_exists: concurrently,
    }))
}

fn first_revision() -> Vec<Op> {
    let mut role = col_typed(&NONE, "role", ty("string(50)"));
    role.default = Some(Default::Literal(Literal::String("member".into())));
    vec![
        NONE.op(OpKind::CreateSchema {
            name: NONE.id("app"),
            if_not_exists: true,
        }),
        NONE.op(OpKind::CreateEnum {
            name: NONE.qn("app.Mood"),
            values: vec!["happy".into(), "it's fine".into()],
        }),
        create_users(),
        create_orders(),
        NONE.op(OpKind::AddColumn {
            table: NONE.qn("app.users"),
            column: role,
        }),
        index("ix_users_email", false),
        NONE.op(OpKind::AddEnumValue {
            name: NONE.qn("app.Mood"),
            value: "sad".into(),
            position: Some(EnumValuePosition::Before("it's fine".into())),
        }),
        NONE.op(OpKind::Execute(Execute {
            sql: Some(NONE.sql("SELECT 1 -- generic")),
            per_dialect: vec![(
                Dialect::Postgresql,
                NONE.sql("UPDATE app.users SET role = 'x' WHERE false; -- pg only"),
            )],
            reverse: None,
        })),
        NONE.op(OpKind::BulkInsert {
            table: NONE.qn("app.users"),
            columns: NONE.ids(&["id", "email", "mood", "meta", "avatar", "born"]),
            rows: vec![
                vec![
                    Literal::Integer("1".into()),
                    Literal::String("ann@example.com".into()),
                    Literal::String("sad".into()),
                    Literal::Json(r#"{"k": "it's"}"#.into()),
                    Literal::Binary(vec![0xde, 0xad]),
                    Literal::Date("1990-05-06".into()),
                ],
                vec![
                    Literal::Integer("2".into()),
                    Literal::String("bob@example.com".into()),
                    Literal::Null,
                    Literal::Json("[]".into()),
                    Literal::Null,
                    Literal::Null,
                ],
            ],
        }),
        NONE.op(OpKind::Backfill(Backfill {
            table: NONE.qn("app.users"),
            set: NONE.sql("role = upper(email)"),
            where_clause: NONE.sql("role <> upper(email) OR role IS NULL -- $mig$"),
            batch_size: 1,
            key: None,
            reverse: None,
        })),
    ]
}

fn second_revision() -> Vec<Op> {
    vec![
        NONE.op(OpKind::AlterColumn {
            table: NONE.qn("app.users"),
            column: NONE.id("role"),
            changes: vec![
                ColumnChange::SetNotNull,
                ColumnChange::SetType {
                    ty: ColumnType::Text,
                    using: Some(NONE.sql("lower(role)")),
                },
                ColumnChange::SetDefault(Default::Literal(Literal::String("guest".into()))),
                ColumnChange::Rename(NONE.id("kind")),
                ColumnChange::Comment(Some("what they are".into())),
                ColumnChange::DropDefault,
                ColumnChange::DropNotNull,
            ],
        }),
        index("ix_users_email_concurrently", true),
        NONE.op(OpKind::AddConstraint {
            table: NONE.qn("app.users"),
            constraint: constraint(
                &NONE,
                Some("ck_users_kind"),
                ConstraintKind::Check {
                    expr: NONE.sql("kind <> ''"),
                },
            ),
        }),
        NONE.op(OpKind::DropConstraint {
            table: NONE.qn("app.orders"),
            name: NONE.id("uq_orders_user_amount"),
        }),
        NONE.op(OpKind::SetTableComment {
            table: NONE.qn("app.users"),
            comment: None,
        }),
        NONE.op(OpKind::BatchAlterTable {
            table: NONE.qn("app.orders"),
            ops: vec![
                NONE.op(OpKind::AddColumn {
                    table: NONE.qn("app.orders"),
                    column: col_typed(&NONE, "note", ColumnType::Text),
                }),
                NONE.op(OpKind::DropColumn {
                    table: NONE.qn("app.orders"),
                    column: NONE.id("note"),
                }),
            ],
        }),
        NONE.op(OpKind::DropConstraint {
            table: NONE.qn("app.users"),
            name: NONE.id("users_last_order_id_fkey"),
        }),
        NONE.op(OpKind::RenameTable {
            table: NONE.qn("app.orders"),
            new_name: NONE.id("purchases"),
        }),
        NONE.op(OpKind::DropIndex {
            name: NONE.qn("ix_users_email_concurrently"),
            table: Some(NONE.qn("app.users")),
            concurrently: true,
            if_exists: true,
        }),
        NONE.op(OpKind::DropTable {
            table: NONE.qn("app.purchases"),
        }),
        NONE.op(OpKind::DropColumn {
            table: NONE.qn("app.users"),
            column: NONE.id("kind"),
        }),
        NONE.op(OpKind::DropTable {
            table: NONE.qn("app.users"),
        }),
        NONE.op(OpKind::DropEnum {
            name: NONE.qn("app.Mood"),
        }),
        NONE.op(OpKind::DropSchema {
            name: NONE.id("app"),
            if_exists: true,
            cascade: true,
        }),
    ]
}

fn lower(ops: &[Op]) -> Vec<Statement> {
    let schema = model();
    ops.iter()
        .flat_map(|op| {
            Postgres
                .lower_op(op, &schema)
                .unwrap_or_else(|d| panic!("{d:#?}"))
        })
        .collect()
}

fn listing(stmts: &[Statement]) -> String {
    stmts
        .iter()
        .map(|s| {
            let mut flags = Vec::new();
            if !s.transactional {
                flags.push("non-transactional");
            }
            if s.destructive {
                flags.push("destructive");
            }
            if s.deferred {
                flags.push("deferred");
            }
            let flags = if flags.is_empty() {
                String::new()
            } else {
                format!("-- [{}]\n", flags.join(", "))
            };
            format!("{flags}{}", Postgres.terminate(s))
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[test]
fn every_operation_lowers_readably() {
    let text = format!(
        "-- first revision\n\n{}\n\n-- second revision\n\n{}\n",
        listing(&lower(&first_revision())),
        listing(&lower(&second_revision()))
    );
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("postgres_lower__every_op", text);
    });
}

fn plan() -> (Plan, Plan) {
    let up = Plan {
        command: Command::Upgrade,
        start: vec![],
        end: vec!["a1".into()],
        steps: vec![Step {
            revision: "a1".into(),
            direction: Direction::Up,
            version_changes: vec![VersionChange::Insert("a1".into())],
        }],
    };
    let next = Plan {
        command: Command::Upgrade,
        start: vec!["a1".into()],
        end: vec!["b2".into()],
        steps: vec![Step {
            revision: "b2".into(),
            direction: Direction::Up,
            version_changes: vec![VersionChange::Update {
                from: "a1".into(),
                to: "b2".into(),
            }],
        }],
    };
    (up, next)
}

fn script(plan: &Plan, stmts: Vec<Statement>) -> String {
    let revisions: IndexMap<String, RevisionInfo> = IndexMap::new();
    let options = ScriptOptions {
        project_name: "lowering".into(),
        ..std::default::Default::default()
    };
    let input = ScriptInput {
        plan,
        statements: vec![stmts],
        revisions: &revisions,
        options: &options,
    };
    assemble(&Postgres, &input).unwrap_or_else(|d| panic!("{d:#?}"))
}

#[test]
fn every_operation_runs_on_postgres() {
    let db = PgDb::new();
    let (up, next) = plan();
    let run = db.run_script(&script(&up, lower(&first_revision())));
    assert!(run.success, "{}", run.stderr);
    let rows = db.query(
        "SELECT id, email, mood, meta::text, encode(avatar, 'hex'), born, role FROM app.users ORDER BY id",
    );
    assert_eq!(
        rows,
        vec![
            vec![
                "1",
                "ann@example.com",
                "sad",
                r#"{"k": "it's"}"#,
                "dead",
                "1990-05-06",
                "ANN@EXAMPLE.COM"
            ],
            vec![
                "2",
                "bob@example.com",
                "<NULL>",
                "[]",
                "<NULL>",
                "<NULL>",
                "BOB@EXAMPLE.COM"
            ],
        ]
    );
    let constraints = db.query(
        "SELECT conname FROM pg_constraint WHERE connamespace = 'app'::regnamespace ORDER BY 1",
    );
    let names: Vec<&str> = constraints.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        names,
        vec![
            "orders_amount_check",
            "orders_pkey",
            "orders_user_id_fkey",
            "uq_orders_user_amount",
            "users_email_check",
            "users_email_key",
            "users_last_order_id_fkey",
            "users_pkey",
        ]
    );
    assert_eq!(
        db.value("SELECT enum_range(NULL::app.\"Mood\")::text"),
        r#"{happy,sad,"it's fine"}"#
    );
    let run = db.run_script(&script(&next, lower(&second_revision())));
    assert!(run.success, "{}", run.stderr);
    assert_eq!(db.value("SELECT to_regnamespace('app') IS NULL"), "t");
    assert_eq!(db.versions(), vec!["b2"]);
}

#[test]
fn names_postgres_cannot_hold_are_errors() {
    let long = "x".repeat(64);
    let bad = NONE.op(OpKind::DropTable {
        table: NONE.qn(&long),
    });
    let err = Postgres.lower_op(&bad, &Schema::default()).unwrap_err();
    assert_eq!(err[0].code, "E0500");
    let nul = NONE.op(OpKind::SetTableComment {
        table: NONE.qn("t"),
        comment: Some("a\0b".into()),
    });
    let err = Postgres.lower_op(&nul, &Schema::default()).unwrap_err();
    assert_eq!(err[0].code, "E0501");
    let no_key = NONE.op(OpKind::Backfill(Backfill {
        table: NONE.qn("t"),
        set: NONE.sql("a = 1"),
        where_clause: NONE.sql("a <> 1"),
        batch_size: 10,
        key: None,
        reverse: None,
    }));
    let err = Postgres.lower_op(&no_key, &Schema::default()).unwrap_err();
    assert_eq!(err[0].code, "E0503");
}

#[test]
fn drop_index_without_table_finds_the_schema_in_the_model() {
    let mut schema = model();
    let key = (Some("app".to_string()), "users".to_string());
    let index = migc::model::Index {
        name: "ix_users_role".into(),
        unique: false,
        elements: vec![],
        where_clause: None,
    };
    std::sync::Arc::make_mut(schema.tables.get_mut(&key).expect("users"))
        .indexes_mut()
        .insert(index.name.clone(), index);
    let drop = NONE.op(OpKind::DropIndex {
        name: NONE.qn("ix_users_role"),
        table: None,
        concurrently: false,
        if_exists: false,
    });
    let stmts = Postgres.lower_op(&drop, &schema).unwrap();
    assert_eq!(stmts[0].sql, "DROP INDEX app.ix_users_role");
}

#[test]
fn raw_sql_postgres_refuses_in_a_transaction_runs_between_transactions() {
    let exec = |text: &str| {
        let e = NONE.op(OpKind::Execute(Execute {
            sql: Some(NONE.sql(text)),
            per_dialect: vec![],
            reverse: None,
        }));
        Postgres.lower_op(&e, &Schema::default()).unwrap()
    };
    assert!(!exec("-- refresh stats\nVACUUM ANALYZE app.users;")[0].transactional);
    assert!(exec("UPDATE t SET a = 1;;  ")[0].transactional);
    assert_eq!(exec("UPDATE t SET a = 1;;  ")[0].sql, "UPDATE t SET a = 1");
    assert!(exec("  ").is_empty());
}
