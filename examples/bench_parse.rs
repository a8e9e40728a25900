//! Parse speed: 10,000 generated revision files with 7 operations each.
//! `cargo run --release --example bench_parse`
use migc::source::SourceMap;
use std::time::Instant;

fn file(i: usize) -> String {
    let parent = if i == 0 {
        "none".to_string()
    } else {
        format!("r{:011}", i - 1)
    };
    format!(
        r#"# generated revision {i}
revision r{i:011}
revises {parent}
message "step {i}: add things"

upgrade {{
    create_table t{i} {{
        id         bigint primary_key identity
        name       string(100) not null default 'x'
        org_id     bigint references orgs.id on delete cascade
        created_at timestamptz not null default sql "CURRENT_TIMESTAMP"
    }}
    add_column t{i}.flag boolean not null default false
    alter_column t{i}.name set not null, type text using "name::text"
    create_index ix_t{i}_name on t{i} (name, created_at desc) where "name IS NOT NULL"
    execute "UPDATE t{i} SET flag = true WHERE id < 10" reverse none
    bulk_insert t{i} (id, name) {{
        (1, 'a') (2, "b\n") (3, null)
    }}
    drop_column t{i}.flag
}}
"#
    )
}

fn main() {
    let mut sources = SourceMap::new();
    let env = |k: &str, d: usize| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let (files, rounds) = (env("BENCH_FILES", 10_000), env("BENCH_ROUNDS", 5));
    let ids: Vec<_> = (0..files)
        .map(|i| sources.add(format!("v/{i}.mig"), file(i)))
        .collect();
    let bytes: usize = ids.iter().map(|id| sources.get(*id).text.len()).sum();
    for round in 0..rounds {
        let t = Instant::now();
        let n: usize = ids
            .iter()
            .map(|id| migc::syntax::bench_pest_only(&sources.get(*id).text))
            .sum();
        println!("pest only: {:?} ({n})", t.elapsed());
        let t = Instant::now();
        let mut ops = 0;
        for id in &ids {
            ops += migc::syntax::parse_revision(&sources, *id)
                .map(|r| r.upgrade.len())
                .unwrap_or(0);
        }
        let full = t.elapsed();
        let t = Instant::now();
        let headers = ids
            .iter()
            .filter(|id| migc::syntax::parse_header(&sources, **id).is_ok())
            .count();
        let head = t.elapsed();
        println!("round {round}: {} files, {:.1} MB, {ops} ops: parse_revision {full:?}, parse_header {head:?} ({headers} headers)",
            ids.len(), bytes as f64 / 1e6);
    }
}
