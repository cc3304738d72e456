use std::process::ExitCode;

use clap::Parser;

/// mimalloc: the pipeline allocates and frees millions of small strings and
/// rows; glibc's allocator spent about a tenth of a 1M-row run consolidating
/// and zeroing.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // A panic is a bug in the tool, never the user's fault: say so in one
    // line and exit 3 (the tool failed), not 101 with a backtrace.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("error: internal error (please report this bug): {info}");
    }));
    let cli = proposal_diff::cli::Cli::parse();
    let limit = (!cli.common.all_problems).then_some(proposal_diff::error::PROBLEMS_SHOWN);
    match std::panic::catch_unwind(|| proposal_diff::run(cli)) {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(failure)) => {
            eprintln!("{}", failure.report(limit));
            ExitCode::from(failure.exit_code())
        }
        Err(_) => ExitCode::from(proposal_diff::error::exit::TOOL),
    }
}
