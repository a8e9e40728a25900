//! `cargo run --release --example gen_history -- N OUT_DIR [--chain] [--seed S] [--dialect postgresql|sqlite]`
//!
//! Writes a deterministic synthetic project of N revisions: `OUT_DIR/versions/*.mig`,
//! `OUT_DIR/migrations.toml` (the chosen dialect, PostgreSQL by default) and
//! `OUT_DIR/postgresql.toml` / `OUT_DIR/sqlite.toml` (the same revisions for each
//! dialect: every generated operation is portable). Used by `scripts/bench`.

mod gen;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

struct Args {
    params: gen::Params,
    out: PathBuf,
    dialect: String,
}

fn parse_args() -> Result<Args, String> {
    let mut rest = Vec::new();
    let (mut chain, mut seed, mut dialect) = (false, 42u64, "postgresql".to_string());
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--chain" => chain = true,
            "--seed" => {
                seed = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .ok_or("--seed needs a number")?
            }
            "--dialect" => {
                dialect = it
                    .next()
                    .filter(|d| d == "postgresql" || d == "sqlite")
                    .ok_or("--dialect is postgresql or sqlite")?
            }
            _ => rest.push(a),
        }
    }
    let [n, out] = rest.as_slice() else {
        return Err(
            "usage: gen_history N OUT_DIR [--chain] [--seed S] [--dialect postgresql|sqlite]"
                .into(),
        );
    };
    let revisions = n
        .replace(['_', ','], "")
        .parse()
        .map_err(|_| format!("not a number: {n}"))?;
    Ok(Args {
        params: gen::Params {
            revisions,
            chain,
            seed,
        },
        out: out.into(),
        dialect,
    })
}

fn config(dialect: &str) -> String {
    format!("# Synthetic benchmark project written by examples/gen_history.\nproject = \"bench\"\ndialect = \"{dialect}\"\nversions = \"versions\"\n")
}

fn write_project(a: &Args) -> std::io::Result<gen::Stats> {
    let versions = a.out.join("versions");
    if versions.exists() {
        std::fs::remove_dir_all(&versions)?;
    }
    std::fs::create_dir_all(&versions)?;
    write(&a.out.join("migrations.toml"), &config(&a.dialect))?;
    write(&a.out.join("postgresql.toml"), &config("postgresql"))?;
    write(&a.out.join("sqlite.toml"), &config("sqlite"))?;
    gen::generate(&a.params, |f| write(&versions.join(&f.name), &f.text))
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    f.write_all(text.as_bytes())?;
    f.flush()
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match write_project(&args) {
        Ok(s) => {
            eprintln!(
                "{}: {} revisions ({} merges), {} operations, {} bytes",
                args.out.display(),
                s.revisions,
                s.merges,
                s.operations,
                s.bytes
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cannot write {}: {e}", args.out.display());
            ExitCode::from(1)
        }
    }
}
