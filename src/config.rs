//! Raw arguments become a validated configuration; nothing downstream
//! checks arguments again.

use std::path::PathBuf;

use crate::cli::Cli;
use crate::error::Failure;

#[derive(Debug, Clone)]
pub struct Config {
    pub datasets: PathBuf,
    pub normalize: crate::normalize::Options,
    pub adoption: crate::adoption::Options,
    pub quiet: bool,
    /// The tables' format (`report --tables`); the other commands use CSV.
    pub tables: crate::report::Tables,
}

impl Config {
    pub fn from_cli(cli: &Cli) -> Result<Config, Failure> {
        let c = &cli.common;
        if !(0.0..=1.0).contains(&c.fuzzy_threshold) || c.fuzzy_threshold.is_nan() {
            return Err(Failure::Usage(format!(
                "--fuzzy-threshold must be between 0 and 1, got {}",
                c.fuzzy_threshold
            )));
        }
        let as_of = match &c.as_of {
            None => None,
            Some(s) => Some(
                crate::dataset::date::parse_day(s)
                    .map_err(|m| Failure::Usage(format!("--as-of: {m}")))?,
            ),
        };
        Ok(Config {
            datasets: c.datasets.clone(),
            normalize: crate::normalize::Options {
                fuzzy_threshold: c.fuzzy_threshold,
                infer_themes: c.infer_themes,
            },
            adoption: crate::adoption::Options {
                as_of,
                concurrent_days: i64::from(c.concurrent_days),
                window_days: i64::from(c.window_days),
            },
            quiet: c.quiet,
            tables: Default::default(),
        })
    }
}

/// A configuration over a datasets folder with default settings (for tests
/// and library callers).
pub fn for_datasets(datasets: impl Into<PathBuf>) -> Config {
    Config {
        datasets: datasets.into(),
        normalize: Default::default(),
        adoption: Default::default(),
        quiet: true,
        tables: Default::default(),
    }
}
