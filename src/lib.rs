//! proposal-diff: the year-over-year diff of Two Sessions proposals.
//!
//! Data flows one way: [`dataset`] loads and validates, [`normalize`]
//! resolves themes and delegates, [`diff`] and [`adoption`] compute tables,
//! [`report`] renders them, and only `report::write` touches the disk.

pub mod adoption;
pub mod cli;
pub mod commands;
pub mod config;
pub mod dataset;
pub mod diff;
pub mod error;
pub mod key;
pub mod normalize;
pub mod report;
pub mod summary;
pub mod trace;

use std::io::Write;

use cli::{Cli, Command};
use config::Config;
use error::{Diagnostics, Failure};

/// Runs one command; returns the exit code on success.
pub fn run(cli: Cli) -> Result<u8, Failure> {
    let config = Config::from_cli(&cli)?;
    trace::stage("start");
    match cli.command {
        Command::Validate => commands::validate::run(&config),
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
        Command::Report { out } => commands::report::run(&config, &out),
        Command::Check {
            reports,
            max_unmapped,
        } => commands::check::run(&config, &reports, max_unmapped),
        Command::Generate {
            delegates,
            years,
            seed,
            out,
        } => commands::generate::run(&config, delegates, years, seed, &out),
    }
}

/// Loads, validates and normalizes the datasets: the start of every command.
/// Warnings are printed to stderr unless quiet; problems fail the run.
pub fn prepare(config: &Config) -> Result<normalize::Model, Failure> {
    let mut diags = Diagnostics::default();
    let ds = dataset::load(&config.datasets, &mut diags);
    trace::stage("load");
    let model = if diags.has_errors() {
        None
    } else {
        let refs = normalize::resolve_delegates(&ds, &mut diags);
        trace::stage("resolve delegates");
        dataset::validate::validate(&ds, &refs.of_membership, &mut diags);
        trace::stage("validate");
        (!diags.has_errors()).then(|| normalize::normalize(ds, refs, config.normalize, &mut diags))
    };
    trace::stage("normalize");
    if let Some(m) = &model {
        for u in &m.unmapped {
            diags.warn(&u.first.0, u.first.1, "themes", unmapped_message(u));
        }
    }
    print_warnings(config, &diags);
    diags.into_result()?;
    Ok(model.expect("no errors means a model"))
}

/// The warning for an unmapped phrase, with its suggestions.
pub fn unmapped_message(u: &normalize::Unmapped) -> String {
    let near: Vec<String> = u
        .suggestions
        .iter()
        .map(|(id, s)| format!("{id} ({s:.2})"))
        .collect();
    format!(
        "unmapped theme `{}` ({} use{}); closest: {}",
        u.raw,
        u.count,
        if u.count == 1 { "" } else { "s" },
        if near.is_empty() {
            "none".to_string()
        } else {
            near.join(", ")
        }
    )
}

fn print_warnings(config: &Config, diags: &Diagnostics) {
    if config.quiet {
        return;
    }
    let mut warnings = diags.warnings.clone();
    warnings.sort();
    warnings.dedup();
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for w in &warnings {
        let _ = writeln!(err, "warning: {w}");
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
