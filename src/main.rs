//! The `policygraph` command: parses arguments, runs the library, prints the
//! error (if any) once, and exits with 0 (ok), 1 (error) or 2 (usage).

use clap::Parser;
use policygraph::cli::{Cli, run};
use policygraph::error::ExitCode;

/// mimalloc instead of the system allocator: with glibc's, a quarter of a
/// build's time went to malloc/free contention between the extraction threads.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                ExitCode::Usage
            } else {
                ExitCode::Ok // --help, --version
            };
            let _ = e.print();
            std::process::exit(code as i32);
        }
    };
    if let Err(e) = run(cli) {
        // Output piped into a reader that closed early (`| head`) is not an error.
        if e.to_string().contains("Broken pipe") {
            std::process::exit(ExitCode::Ok as i32);
        }
        eprintln!("policygraph: error: {e}");
        std::process::exit(e.exit_code() as i32);
    }
}
