//! Per-stage times of `compile upgrade head --sql` on the synthetic projects:
//! `cargo bench --bench pipeline [-- N...]` (default N: 100 1000 10000).
//!
//! Calls the library's stage functions directly, the way `src/driver/` chains
//! them, on one thread (the driver parses on every core): read, parse, bind,
//! graph (headers + build), plan, schema replay (`Schema::apply` alone, for
//! reference: not in the total, since lowering moves the model itself), lowering
//! (`Backend::prepare` + `lower_and_apply`), assembly (`script::assemble`; the
//! driver writes each step as it is lowered instead). Each stage's
//! time is the best of 3 runs (one run for N > 10,000, or when a run takes more
//! than 10 s). Projects come from `target/bench/h<N>` (written by `scripts/bench`,
//! or here when missing).

#[path = "../examples/gen_history/gen/mod.rs"]
#[allow(dead_code)]
mod gen;

#[global_allocator]
static GLOBAL: migc::alloc::MiMalloc = migc::alloc::MiMalloc;

use indexmap::IndexMap;
use migc::dialect::postgres::Postgres;
use migc::dialect::sqlite::Sqlite;
use migc::dialect::{Backend, Statement};
use migc::graph::RevisionGraph;
use migc::ir::Revision;
use migc::model::{Limits, Schema};
use migc::plan::Plan;
use migc::script::{self, RevisionInfo, ScriptInput, ScriptOptions};
use migc::source::{SourceId, SourceMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const STAGES: [&str; 8] = [
    "read", "parse", "bind", "graph", "plan", "replay", "lower", "assemble",
];

type Times = [Duration; 8];

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.replace('_', "").parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![100, 1000, 10000]
    } else {
        sizes
    };
    println!("Stage times in ms (one thread; best of 3 runs up to 10,000 revisions).\n");
    println!("| revisions | dialect | {} | total |", STAGES.join(" | "));
    println!("|---:|---|{}---:|", "---:|".repeat(STAGES.len()));
    let mut skip_sqlite = false;
    for n in sizes {
        let dir = project(n);
        for sqlite in [false, true] {
            if sqlite && skip_sqlite {
                println!("| {n} | sqlite | skipped: the previous size took over 10 s |");
                continue;
            }
            let backend: Box<dyn Backend> = if sqlite {
                Box::new(Sqlite::default())
            } else {
                Box::new(Postgres)
            };
            let (best, slow) = best_of(if n > 10_000 { 1 } else { 3 }, &dir, backend.as_ref());
            skip_sqlite |= sqlite && slow;
            // Lowering replays the model itself: the replay column is not added again.
            let total: Duration = best
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != 5)
                .map(|(_, d)| *d)
                .sum();
            let cells: Vec<String> = best.iter().map(ms).collect();
            let name = if sqlite { "sqlite" } else { "postgresql" };
            println!("| {n} | {name} | {} | {} |", cells.join(" | "), ms(&total));
        }
    }
}

fn ms(d: &Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// Stage-wise minimum over `runs` runs; `true` when a run took over 10 s.
fn best_of(runs: usize, dir: &Path, backend: &dyn Backend) -> (Times, bool) {
    let mut best = [Duration::MAX; 8];
    for _ in 0..runs {
        let t = run(dir, backend);
        for (b, t) in best.iter_mut().zip(t) {
            *b = (*b).min(t);
        }
        if t.iter().sum::<Duration>() > Duration::from_secs(10) {
            return (best, true);
        }
    }
    (best, false)
}

fn project(n: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench/h{n}"));
    if !dir.join("versions").is_dir() {
        let versions = dir.join("versions");
        std::fs::create_dir_all(&versions).expect("create the project folder");
        let params = gen::Params {
            revisions: n,
            chain: false,
            seed: 42,
        };
        let written = gen::generate(&params, |f| std::fs::write(versions.join(&f.name), f.text));
        written.expect("write the project");
    }
    dir
}

/// One timed pass over the whole pipeline.
fn run(dir: &Path, backend: &dyn Backend) -> Times {
    let mut t = [Duration::ZERO; 8];
    let clock = Instant::now();
    let (sources, files) = read(&dir.join("versions"));
    t[0] = clock.elapsed();

    let clock = Instant::now();
    let parsed: Vec<Revision> = files
        .iter()
        .map(|&id| migc::syntax::parse_revision(&sources, id).unwrap_or_else(|d| fail(&d)))
        .collect();
    t[1] = clock.elapsed();

    let clock = Instant::now();
    let vars = IndexMap::new();
    let revisions: IndexMap<String, Revision> = parsed
        .iter()
        .map(|r| migc::template::bind_revision(r, &vars).unwrap_or_else(|d| fail(&d)))
        .map(|r| (r.header.id.value.clone(), r))
        .collect();
    t[2] = clock.elapsed();

    let clock = Instant::now();
    let headers = files.iter().map(|&id| {
        let h = migc::syntax::parse_header(&sources, id).unwrap_or_else(|d| fail(&d));
        (h, Some(sources.get(id).path.clone()))
    });
    let graph = RevisionGraph::build_with_paths(headers.collect()).unwrap_or_else(|d| fail(&d));
    t[3] = clock.elapsed();

    let clock = Instant::now();
    let plan = graph
        .plan_upgrade(None, "head")
        .unwrap_or_else(|d| fail(&[d]));
    t[4] = clock.elapsed();

    let (statements, replay, lower) = lower_plan(&plan, &revisions, backend);
    t[5] = replay;
    t[6] = lower;

    let clock = Instant::now();
    let script = assemble(&plan, &revisions, statements, backend);
    t[7] = clock.elapsed();
    assert!(script.len() > 100, "an empty script");
    t
}

fn read(versions: &Path) -> (SourceMap, Vec<SourceId>) {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(versions)
        .expect("read the versions folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "mig"))
        .collect();
    paths.sort();
    let mut sources = SourceMap::new();
    let ids = paths
        .iter()
        .map(|p| sources.add(p, std::fs::read_to_string(p).expect("read a revision file")))
        .collect();
    (sources, ids)
}

/// Lower every step as `driver::replay` does (`Backend::lower_and_apply`: the
/// model moves along as it lowers); returns the statements, the time a replay
/// of the model alone takes (`Schema::apply` on a second model, for reference)
/// and the time spent in `prepare` + `lower_and_apply`.
fn lower_plan(
    plan: &Plan,
    revisions: &IndexMap<String, Revision>,
    backend: &dyn Backend,
) -> (Vec<Vec<Statement>>, Duration, Duration) {
    let limits = Limits {
        max_identifier_len: backend.max_identifier_len(),
    };
    let clock = Instant::now();
    let mut replayed = Schema::default();
    for step in &plan.steps {
        for op in &revisions[step.revision.as_str()].upgrade {
            replayed.apply(op, &limits).unwrap_or_else(|d| fail(&d));
        }
        replayed.end_revision().unwrap_or_else(|d| fail(&d));
    }
    let replay = clock.elapsed();
    let clock = Instant::now();
    let mut schema = Schema::default();
    let mut out = Vec::with_capacity(plan.steps.len());
    for step in &plan.steps {
        let rev = &revisions[step.revision.as_str()];
        let ops = backend.prepare(rev.upgrade.clone());
        let mut stmts = Vec::new();
        for op in &ops {
            let lowered = backend.lower_and_apply(op, &mut schema, &limits);
            stmts.extend(lowered.unwrap_or_else(|d| fail(&d)));
        }
        schema.end_revision().unwrap_or_else(|d| fail(&d));
        out.push(stmts);
    }
    (out, replay, clock.elapsed())
}

fn assemble(
    plan: &Plan,
    revisions: &IndexMap<String, Revision>,
    statements: Vec<Vec<Statement>>,
    backend: &dyn Backend,
) -> String {
    let infos: IndexMap<String, RevisionInfo> = plan
        .steps
        .iter()
        .map(|s| &s.revision)
        .chain(&plan.end)
        .filter_map(|id| {
            revisions.get(id).map(|r| {
                let parents = r.header.parents.iter().map(|p| p.value.clone()).collect();
                let message = r.header.message.clone();
                (id.clone(), RevisionInfo { message, parents })
            })
        })
        .collect();
    let options = ScriptOptions {
        project_name: "bench".into(),
        ..ScriptOptions::default()
    };
    let input = ScriptInput {
        plan,
        statements,
        revisions: &infos,
        options: &options,
    };
    script::assemble(backend, &input).unwrap_or_else(|d| fail(&d))
}

fn fail<T>(d: &[migc::diagnostic::Diagnostic]) -> T {
    panic!("the synthetic project does not compile: {d:?}")
}
