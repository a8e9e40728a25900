//! A table rebuild on a table of 100,000 rows keeps every row, value by value, on
//! both SQLites. The time it took is printed (`-- --nocapture`), never asserted:
//! timing belongs to benchmarks, not tests.

mod support;

use std::path::Path;
use std::time::Instant;
use support::compile::Project;
use support::sqlite as sq;

const ROWS: i64 = 100_000;

#[test]
fn type_change_rebuild_keeps_100_000_rows() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sqlite/large_rebuild");
    let project = Project::fixture(&dir, "sqlite");
    let first = project.upgrade("1a0000000001");
    let rebuild = project.upgrade("1a0000000001:1a0000000002");
    assert!(rebuild.contains("rebuild"), "{rebuild}");
    for engine in sq::engines() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("t.db");
        sq::run(engine, &db, &first).unwrap();
        let conn = sq::open(&db);
        conn.execute_batch(&format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {ROWS}) \
             INSERT INTO items (id, qty, label) \
             SELECT i, i * 7 - 3, CASE WHEN i % 10 = 0 THEN NULL ELSE 'item ' || i END FROM n;"
        ))
        .unwrap();
        drop(conn);
        let clock = Instant::now();
        sq::run(engine, &db, &rebuild).unwrap_or_else(|e| panic!("{engine:?}: {e}"));
        eprintln!(
            "{engine:?}: rebuild of {ROWS} rows took {:?}",
            clock.elapsed()
        );
        let conn = sq::open(&db);
        let (count, bad): (i64, i64) = conn
            .query_row(
                "SELECT count(*), sum(qty <> id * 7 - 3 OR label <> CASE WHEN id % 10 = 0 \
                 THEN '' ELSE 'item ' || id END) FROM items",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            (count, bad),
            (ROWS, 0),
            "{engine:?}: every row kept, value by value"
        );
        sq::assert_healthy(&db);
    }
}
