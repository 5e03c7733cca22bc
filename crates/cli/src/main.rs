//! The `claimledger` binary: parse the settings (file < environment < flags), set up tracing,
//! run. Errors print with their causes.

use std::process::ExitCode;

/// mimalloc rather than glibc's malloc: glibc gives each thread that allocates an arena of its
/// own and returns little of it, so a service whose work moves between tokio's workers, the
/// blocking pool and the index writers kept growing under a steady load (see the soak in
/// docs/fault-campaigns.md). Built without transparent huge pages (`no_thp`, see the
/// workspace Cargo.toml): with them an idle process held ~25 MB more. The `system-allocator`
/// feature builds with the system's malloc instead, for heap profilers (heaptrack) that see
/// only malloc.
#[cfg(not(feature = "system-allocator"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // The settings: flags over the environment over the config file over the defaults.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match claimledger::config::parse(&args) {
        Ok(cli) => cli,
        Err(error) => {
            eprintln!(
                "claimledger: {}",
                claimledger_types::text::escape_controls(&format!("{error:#}"))
            );
            return ExitCode::from(2);
        }
    };
    let filter = tracing_subscriber::EnvFilter::try_new(&cli.log)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, never into log files.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("claimledger: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(claimledger::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!(
                "claimledger: {}",
                claimledger_types::text::escape_controls(&claimledger::words::describe_error(
                    &error
                ))
            );
            ExitCode::FAILURE
        }
    }
}
