//! The `compile` binary: runs the CLI and turns its outcome into output and an exit code.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

// mimalloc: see `migc::alloc`.
#[global_allocator]
static GLOBAL: migc::alloc::MiMalloc = migc::alloc::MiMalloc;

fn main() -> ExitCode {
    no_transparent_huge_pages();
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

/// Transparent huge pages off for this process. mimalloc asks for them on every
/// region it maps; the kernel then zeroes (and sometimes compacts for) 2 MiB at a
/// time for a heap that is mostly small strings: on the 10,000-revision bench this
/// was a fifth of the run as system time, and 20 MB of peak memory (BENCHMARKS.md).
#[cfg(target_os = "linux")]
fn no_transparent_huge_pages() {
    // SAFETY: prctl with PR_SET_THP_DISABLE takes one integer flag and touches no
    // memory of ours; on failure (an old kernel) nothing changes, which is fine.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
fn no_transparent_huge_pages() {}
