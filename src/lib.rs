//! proposal-diff: the year-over-year diff of Two Sessions proposals.
//!
//! Data flows one way: [`dataset`] loads and validates, [`normalize`]
//! resolves themes and delegates, [`diff`] and [`adoption`] compute tables,
//! [`summary`] decides what each page shows, [`report`] renders, and only
//! `report::write` touches the disk. [`pipeline`] wires the stages once;
//! every command calls it.

pub mod adoption;
pub mod cli;
pub mod commands;
pub mod config;
pub mod dataset;
pub mod diff;
pub mod error;
pub mod flat;
pub mod key;
pub mod normalize;
pub mod parallel;
pub mod pipeline;
pub mod report;
pub mod summary;
pub mod trace;

use std::io::Write;

use cli::{Cli, Command};
use config::Config;
use error::Failure;

/// Runs one command; returns the exit code on success.
pub fn run(cli: Cli) -> Result<u8, Failure> {
    let mut config = Config::from_cli(&cli)?;
    match &cli.command {
        Command::Report { tables, out, .. } => {
            config.tables = *tables;
            config.out = out.clone();
        }
        Command::Check {
            reports,
            max_unmapped,
            ..
        } => {
            config.out = reports.clone();
            config.max_unmapped = Some(*max_unmapped);
        }
        Command::Validate { max_unmapped } | Command::Normalize { max_unmapped, .. } => {
            config.max_unmapped = Some(*max_unmapped);
        }
        _ => {}
    }
    trace::stage("start");
    match cli.command {
        Command::Validate { max_unmapped } => commands::validate::run(&config, max_unmapped),
        Command::Init { dir } => commands::init::run(&dir),
        Command::Normalize {
            format,
            max_unmapped,
        } => commands::normalize::run(&config, format, max_unmapped),
        Command::Diff {
            from,
            to,
            delegate,
            format,
        } => commands::diff::run(&config, from, to, delegate.as_deref(), format),
        Command::Report { out, only, .. } => commands::report::run(&config, &out, &only),
        Command::Check {
            reports,
            max_unmapped,
            max_diff_lines,
            format,
        } => commands::check::run(
            &config,
            &commands::check::Options {
                reports: &reports,
                max_unmapped,
                max_diff_lines,
                format,
            },
        ),
        Command::Generate {
            delegates,
            years,
            seed,
            out,
        } => commands::generate::run(&config, delegates, years, seed, &out),
    }
}

/// Writes to stdout; a closed pipe (`| head`) ends the run quietly.
pub fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Tool(
            anyhow::Error::new(e).context("cannot write to stdout"),
        )),
    }
}
