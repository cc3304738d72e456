//! The command line. Doc comments here are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Year-over-year diff of Two Sessions proposals.
///
/// Reads one CSV file per session year (datasets/proposals/<YYYY>.csv),
/// resolves free-text themes against a bilingual taxonomy, and works out per
/// delegate which themes are new, dropped or recurring between years, and
/// which proposals were followed by a policy measure on the same theme.
///
/// Exit codes: 0 success; 1 `check` found differences; 2 invalid input or
/// usage; 3 the tool or its environment failed.
#[derive(Debug, Parser)]
#[command(name = "proposal-diff", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    #[command(flatten)]
    pub common: Common,
}

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub struct Common {
    /// The datasets folder: proposals/<YYYY>.csv, delegates.csv,
    /// memberships.csv, sessions.csv, themes.csv, adoptions.csv.
    #[arg(long, global = true, value_name = "DIR", default_value = "datasets")]
    pub datasets: PathBuf,

    /// Lowest similarity (0 to 1) at which a misspelt theme still resolves
    /// by the fuzzy rule.
    #[arg(long, global = true, value_name = "X", default_value_t = 0.85)]
    pub fuzzy_threshold: f64,

    /// Also tag proposals with taxonomy themes named in their title or
    /// summary (rule `text` in the audit).
    #[arg(long, global = true)]
    pub infer_themes: bool,

    /// Judge follow-up as of this date (YYYY-MM-DD): later measures are
    /// ignored. Default: the latest date in the datasets, never today.
    #[arg(long, global = true, value_name = "DATE")]
    pub as_of: Option<String>,

    /// A measure within this many days of a proposal, either side, is
    /// `concurrent` rather than `later` or `preceded`.
    #[arg(long, global = true, value_name = "DAYS", default_value_t = 30)]
    pub concurrent_days: u32,

    /// The follow-up window: a proposal theme is "followed within the
    /// window" by a later final measure on its theme dated at most this
    /// many days after it, and is "too recent" while its window is open
    /// and nothing has followed. The comparison with chance uses the same
    /// window.
    #[arg(long, global = true, value_name = "DAYS", default_value_t = 730)]
    pub window_days: u32,

    /// Print every input problem. By default the first 1,000 are printed
    /// and the rest are counted per file and column (the exit code is the
    /// same).
    #[arg(long, global = true)]
    pub all_problems: bool,

    /// No progress bar and no warnings on stderr.
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check every dataset; print every problem as `path:line: column: message`.
    ///
    /// Exit 0 with a one-line summary when valid, 2 when any problem is found.
    Validate {
        /// Unmapped theme phrases allowed before the run fails (each is
        /// listed as a warning with its closest themes either way).
        #[arg(long, value_name = "N", default_value_t = 0)]
        max_unmapped: usize,
    },

    /// Start a study of one's own: write a minimal datasets folder that
    /// validates, with every file, one example row each and a README of the
    /// columns.
    ///
    /// `report` runs on it at once. The folder must not exist or be empty.
    Init {
        /// The folder to write.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },

    /// Show how every raw theme phrase and delegate name resolved.
    ///
    /// Unmapped phrases are listed with their three best suggestions.
    /// Exit 2 when more than --max-unmapped phrases stay unmapped.
    Normalize {
        /// Output format.
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
        /// Unmapped phrases allowed before the run fails.
        #[arg(long, value_name = "N", default_value_t = 0)]
        max_unmapped: usize,
    },

    /// Print the themes new, dropped and recurring per delegate between two years.
    Diff {
        /// The earlier year.
        #[arg(long, value_name = "YEAR")]
        from: i32,
        /// The later year.
        #[arg(long, value_name = "YEAR")]
        to: i32,
        /// Only this delegate (any name, alias or id).
        #[arg(long, value_name = "NAME")]
        delegate: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = DiffFormat::Md)]
        format: DiffFormat,
    },

    /// Write every report (Markdown, CSV, SVG charts, manifest) to a folder.
    ///
    /// All files are written to a temporary folder and swapped in only when
    /// everything succeeded: a failed run leaves the previous reports.
    Report {
        /// Where the reports go.
        #[arg(long, value_name = "DIR", default_value = "reports")]
        out: PathBuf,
        /// The long-form tables as CSV (the default) or Parquet.
        #[arg(long, value_enum, value_name = "FORMAT", default_value_t = crate::report::Tables::Csv)]
        tables: crate::report::Tables,
        /// Write only these tables (and manifest.json), no pages or charts:
        /// names such as theme_changes,proposals (the file names without
        /// their extension). At scale, one table costs far less than all.
        #[arg(long, value_name = "NAME[,NAME...]", value_delimiter = ',')]
        only: Vec<String>,
    },

    /// Exit 0 when the datasets are valid and the committed reports current.
    ///
    /// First says what the data change is, for its reviewer: input files
    /// changed, proposals, delegates, themes and measures added, removed or
    /// changed (by id, with the changed columns), theme phrases newly
    /// unmapped, and the headline figures that moved, before and after.
    /// Regenerates every report and compares each file with the folder's as
    /// it is written, holding neither tree in memory. Exit 1 with a unified
    /// diff of each report that differs (capped by --max-diff-lines) (one over 16 MiB is named with the
    /// line where it starts to differ), and a list of reports missing or no
    /// longer produced; 2 when the input is invalid or
    /// more than --max-unmapped theme phrases stay unmapped.
    Check {
        /// The committed reports.
        #[arg(long, value_name = "DIR", default_value = "reports")]
        reports: PathBuf,
        /// Unmapped phrases allowed before the run fails.
        #[arg(long, value_name = "N", default_value_t = 0)]
        max_unmapped: usize,
        /// Lines of unified diff printed in all; the rest is counted per
        /// file.
        #[arg(long, value_name = "N", default_value_t = 400)]
        max_diff_lines: usize,
        /// `github` also prints each validation problem as a GitHub Actions
        /// annotation on its file, line and column, and appends the summary
        /// to the file named by GITHUB_STEP_SUMMARY. The exit codes are the
        /// same.
        #[arg(long, value_enum, default_value_t = crate::commands::check::Format::Text)]
        format: crate::commands::check::Format,
    },

    /// Write a reproducible synthetic datasets folder, for benchmarks and
    /// scale tests: the same arguments give the same bytes.
    Generate {
        /// How many delegates.
        #[arg(long, value_name = "N")]
        delegates: usize,
        /// How many session years, ending in 2025.
        #[arg(long, value_name = "Y", default_value_t = 10)]
        years: usize,
        /// Seed of the random stream.
        #[arg(long, value_name = "S", default_value_t = 1)]
        seed: u64,
        /// The folder to write.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Md,
    Csv,
    Json,
}
