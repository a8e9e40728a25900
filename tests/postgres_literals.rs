//! Literal binding round trips on a real PostgreSQL: every adversarial value goes
//! through the backend's `bulk_insert` lowering, is run by psql, and is read back
//! byte for byte (through hex, so no output encoding hides a difference).

mod support;

use migc::dialect::postgres::Postgres;
use migc::dialect::Backend;
use migc::ir::{ColumnType, Literal, OpKind};
use support::ir_builder::{schema_with, NONE};
use support::pg::PgDb;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Insert `values` (as one column `v` of type `ty`) and return the bound SQL.
fn insert_sql(ty: ColumnType, sql_type: &str, values: &[Literal]) -> (String, String) {
    let schema = schema_with("vals", &[("n", ColumnType::Integer), ("v", ty)]);
    let rows = values
        .iter()
        .enumerate()
        .map(|(i, v)| vec![Literal::Integer(i.to_string()), v.clone()])
        .collect();
    let insert = NONE.op(OpKind::BulkInsert {
        table: NONE.qn("vals"),
        columns: NONE.ids(&["n", "v"]),
        rows,
    });
    let stmts = Postgres
        .lower_op(&insert, &schema)
        .unwrap_or_else(|d| panic!("{d:#?}"));
    let sql: Vec<String> = stmts.iter().map(|s| Postgres.terminate(s)).collect();
    let create = format!("CREATE TABLE vals (n integer PRIMARY KEY, v {sql_type});");
    (create, sql.join("\n"))
}

fn adversarial_strings() -> Vec<String> {
    let mut v: Vec<String> = (1u8..0x20)
        .chain([0x7f])
        .map(|c| format!("<{}>", c as char))
        .collect();
    v.extend(
        [
            "",
            "'",
            "''",
            "it's",
            "\"",
            "\\",
            "\\\\",
            "\\'",
            "'\\",
            "\\x41",
            "E'\\n'",
            "$$",
            "$mig$",
            "$guard$ end",
            "%",
            "%s %d %%",
            ":foo",
            ":'foo'",
            ":\"foo\"",
            "\\! echo hi",
            "\\set x",
            "-- comment",
            "/* open",
            "*/",
            ";",
            "'); DROP TABLE vals; --",
            "😀",
            "é\u{301}",
            "\u{feff}bom",
            "\u{2028}",
            "\r\n",
            "\n\\.\n",
            "a\tb",
        ]
        .map(String::from),
    );
    v.push("x".repeat(10_000));
    v
}

#[test]
fn strings_round_trip_exactly() {
    let db = PgDb::new();
    let values = adversarial_strings();
    let lits: Vec<Literal> = values.iter().cloned().map(Literal::String).collect();
    let (create, insert) = insert_sql(ColumnType::Text, "text", &lits);
    db.exec(&format!(
        "SET standard_conforming_strings = on;\n{create}\n{insert}"
    ));
    let rows = db.query("SELECT n, encode(convert_to(v, 'UTF8'), 'hex') FROM vals ORDER BY n");
    assert_eq!(rows.len(), values.len());
    for (row, want) in rows.iter().zip(&values) {
        assert_eq!(row[1], hex(want.as_bytes()), "value {want:?}");
    }
}

#[test]
fn bytes_round_trip_exactly() {
    let db = PgDb::new();
    let values: Vec<Vec<u8>> = vec![(0..=255).collect(), vec![], vec![0], b"\\x41'".to_vec()];
    let lits: Vec<Literal> = values.iter().cloned().map(Literal::Binary).collect();
    let (create, insert) = insert_sql(ColumnType::Binary, "bytea", &lits);
    db.exec(&format!("{create}\n{insert}"));
    let rows = db.query("SELECT encode(v, 'hex') FROM vals ORDER BY n");
    for (row, want) in rows.iter().zip(&values) {
        assert_eq!(row[0], hex(want));
    }
}

/// Each typed value comes back as PostgreSQL's text form of it.
fn round_trip(ty: ColumnType, sql_type: &str, cases: &[(Literal, &str)]) {
    let db = PgDb::new();
    let lits: Vec<Literal> = cases.iter().map(|(l, _)| l.clone()).collect();
    let (create, insert) = insert_sql(ty, sql_type, &lits);
    db.exec(&format!("SET TIME ZONE 'UTC';\n{create}\n{insert}"));
    let rows = db.query("SET TIME ZONE 'UTC'; SELECT v::text FROM vals ORDER BY n");
    let got: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let want: Vec<&str> = cases.iter().map(|(_, w)| *w).collect();
    assert_eq!(got, want);
}

#[test]
fn numbers_keep_every_digit() {
    let d = |s: &str| Literal::Decimal(s.into());
    let i = |s: &str| Literal::Integer(s.into());
    round_trip(
        ColumnType::Numeric {
            precision: None,
            scale: None,
        },
        "numeric",
        &[
            (
                d("3.14159265358979323846264338327950288419716939937510"),
                "3.14159265358979323846264338327950288419716939937510",
            ),
            (d("-0.000001"), "-0.000001"),
            (d("1e-9"), "0.000000001"),
            (i("-9223372036854775809"), "-9223372036854775809"),
            (Literal::Null, support::pg::NULL),
        ],
    );
    round_trip(
        ColumnType::BigInt,
        "bigint",
        &[
            (i("-9223372036854775808"), "-9223372036854775808"),
            (i("9223372036854775807"), "9223372036854775807"),
        ],
    );
    round_trip(
        ColumnType::Boolean,
        "boolean",
        &[
            (Literal::Bool(true), "true"),
            (Literal::Bool(false), "false"),
        ],
    );
}

#[test]
fn dates_times_and_intervals() {
    let s = String::from;
    round_trip(
        ColumnType::Date,
        "date",
        &[(Literal::Date(s("2024-02-29")), "2024-02-29")],
    );
    round_trip(
        ColumnType::Time,
        "time",
        &[(Literal::Time(s("13:45:00.123456")), "13:45:00.123456")],
    );
    round_trip(
        ColumnType::Timestamp,
        "timestamp",
        &[(
            Literal::Timestamp(s("2024-01-31 13:45:00")),
            "2024-01-31 13:45:00",
        )],
    );
    round_trip(
        ColumnType::TimestampTz,
        "timestamptz",
        &[(
            Literal::TimestampTz(s("2024-01-31 13:45:00+02")),
            "2024-01-31 11:45:00+00",
        )],
    );
    round_trip(
        ColumnType::Interval,
        "interval",
        &[(Literal::Interval(s("1 day 2 hours")), "1 day 02:00:00")],
    );
}

#[test]
fn uuid_and_json_are_cast_to_the_column_type() {
    let s = String::from;
    let uuid = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
    round_trip(ColumnType::Uuid, "uuid", &[(Literal::Uuid(s(uuid)), uuid)]);
    let json = r#"{"b": "it's \\ \"q\" 😀", "a": [1, 2.50]}"#;
    round_trip(ColumnType::Json, "json", &[(Literal::Json(s(json)), json)]);
    round_trip(
        ColumnType::Jsonb,
        "jsonb",
        &[(
            Literal::Json(s(json)),
            r#"{"a": [1, 2.50], "b": "it's \\ \"q\" 😀"}"#,
        )],
    );
    // A plain string into a json column is read as JSON text.
    round_trip(
        ColumnType::Jsonb,
        "jsonb",
        &[(Literal::String(s("[1]")), "[1]")],
    );
}

#[test]
fn strings_into_enum_columns() {
    let db = PgDb::new();
    let enum_ty = ColumnType::Enum {
        name: "Mood".into(),
        schema: None,
    };
    let (create, insert) = insert_sql(enum_ty, "\"Mood\"", &[Literal::String("it's ok".into())]);
    db.exec(&format!(
        "CREATE TYPE \"Mood\" AS ENUM ('it''s ok');\n{create}\n{insert}"
    ));
    assert_eq!(db.value("SELECT v::text FROM vals"), "it's ok");
}

#[test]
fn large_inserts_are_split_into_chunks() {
    let db = PgDb::new();
    let lits: Vec<Literal> = (0..1234)
        .map(|i| Literal::String(format!("row {i}")))
        .collect();
    let (create, insert) = insert_sql(ColumnType::Text, "text", &lits);
    assert_eq!(insert.matches("INSERT INTO").count(), 3);
    db.exec(&format!("{create}\n{insert}"));
    assert_eq!(db.value("SELECT count(DISTINCT v) FROM vals"), "1234");
}

/// Pseudo-random strings (fixed seed) over ASCII, control characters, Latin,
/// CJK and astral planes: one `INSERT`, read back byte for byte.
#[test]
fn random_strings_round_trip_exactly() {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as u32
    };
    let ranges: [(u32, u32); 6] = [
        (1, 0x7f),
        (0x20, 0x7e),
        (0x80, 0x7ff),
        (0x4e00, 0x9fff),
        (0xe000, 0xfffd),
        (0x1_0000, 0x10_ffff),
    ];
    let values: Vec<String> = (0..300)
        .map(|_| {
            let len = next() % 40;
            (0..len)
                .filter_map(|_| {
                    let (lo, hi) = ranges[(next() % ranges.len() as u32) as usize];
                    char::from_u32(lo + next() % (hi - lo + 1))
                })
                .collect()
        })
        .collect();
    let db = PgDb::new();
    let lits: Vec<Literal> = values.iter().cloned().map(Literal::String).collect();
    let (create, insert) = insert_sql(ColumnType::Text, "text", &lits);
    db.exec(&format!("{create}\n{insert}"));
    let rows = db.query("SELECT encode(convert_to(v, 'UTF8'), 'hex') FROM vals ORDER BY n");
    assert_eq!(rows.len(), values.len());
    for (row, want) in rows.iter().zip(&values) {
        assert_eq!(row[0], hex(want.as_bytes()), "value {want:?}");
    }
}
