//! The `compile` binary: runs the CLI and turns its outcome into output and an exit code.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

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
