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
    /// The reports folder as given (`report --out`, `check --reports`):
    /// the pages quote the command that regenerates them.
    pub out: PathBuf,
    /// For the gates (`validate`, `normalize`, `check`): the unmapped theme
    /// phrases allowed. Past it the gate fails and lists each phrase as a
    /// problem ([`crate::commands::normalize::too_many_unmapped`]); below it,
    /// and for `report`, each is a warning.
    pub max_unmapped: Option<usize>,
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
            out: PathBuf::from("reports"),
            max_unmapped: None,
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
        out: PathBuf::from("reports"),
        max_unmapped: None,
    }
}

impl Config {
    /// The command that regenerates the reports, with the folders as the
    /// user gave them (relative paths keep the reports byte-identical
    /// wherever the repository is checked out).
    pub fn regenerate_command(&self) -> String {
        let shown = |p: &std::path::Path| {
            // A folder under the working directory is shown relative to it.
            let cwd = std::env::current_dir().unwrap_or_default();
            let p = match p.strip_prefix(&cwd) {
                Ok(rel) if p.is_absolute() && !rel.as_os_str().is_empty() => rel,
                _ => p,
            };
            let s = p.to_string_lossy();
            let s = s.trim_start_matches("./").trim_end_matches('/');
            if s.contains(char::is_whitespace) {
                format!("'{s}'")
            } else {
                s.to_string()
            }
        };
        let mut cmd = String::from("proposal-diff");
        if shown(&self.datasets) != "datasets" {
            cmd.push_str(&format!(" --datasets {}", shown(&self.datasets)));
        }
        cmd.push_str(" report");
        if shown(&self.out) != "reports" {
            cmd.push_str(&format!(" --out {}", shown(&self.out)));
        }
        cmd
    }
}
