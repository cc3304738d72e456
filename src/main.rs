use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = proposal_diff::cli::Cli::parse();
    match proposal_diff::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            eprintln!("{failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}
