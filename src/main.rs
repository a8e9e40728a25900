//! The `compile` binary: runs the CLI and turns its outcome into output and an exit code.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

// glibc's malloc was a fifth of the profile (many small strings in the IR and the
// model); mimalloc's thread-local free lists halve that (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let var = |name: &str| std::env::var(name).ok();
    let env = migc::cli::Env {
        var: &var,
        stderr_is_terminal: std::io::stderr().is_terminal(),
    };
    let outcome = migc::cli::run(std::env::args_os(), &env);
    // A closed stdout (e.g. `| head`) is not worth a panic.
    let _ = std::io::stdout().write_all(outcome.stdout.as_bytes());
    let _ = std::io::stderr().write_all(outcome.stderr.as_bytes());
    ExitCode::from(outcome.code)
}
