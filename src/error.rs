//! Errors and their exit codes.
//!
//! Three kinds of failure matter to a caller, and CI must tell them apart:
//! the input is wrong (exit 2, with every problem located to file, line and
//! column), the tool or its environment failed (exit 3), and `check` found
//! differences (exit 1, not an error: see `commands::check`).

use std::fmt;

/// One located problem in an input file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// Path of the file as the user named it (datasets folder joined with the file name).
    pub path: String,
    /// 1-based line where the record (or the header) starts.
    pub line: u64,
    /// Column name from the header, or `row`/`file`/`header` when the problem is not about one field.
    pub column: String,
    pub message: String,
}

impl Problem {
    pub fn new(
        path: impl Into<String>,
        line: u64,
        column: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            path: path.into(),
            line,
            column: column.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.path, self.line, self.column, self.message
        )
    }
}

/// Problems and warnings gathered while reading; errors stop the run at the
/// end of the stage, never at the first one, so the user sees all of them.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

impl Diagnostics {
    pub fn error(
        &mut self,
        path: &str,
        line: u64,
        column: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.errors.push(Problem::new(path, line, column, message));
    }

    pub fn warn(
        &mut self,
        path: &str,
        line: u64,
        column: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.warnings
            .push(Problem::new(path, line, column, message));
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Turns gathered errors into a failure; warnings stay for the caller to print.
    pub fn into_result(&mut self) -> Result<(), Failure> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            let mut errors = std::mem::take(&mut self.errors);
            errors.sort();
            errors.dedup();
            Err(Failure::Invalid(errors))
        }
    }
}

/// Why a run failed. Each variant has one exit code.
#[derive(Debug)]
pub enum Failure {
    /// The input is invalid: exit 2.
    Invalid(Vec<Problem>),
    /// The command line or an option value is wrong: exit 2.
    Usage(String),
    /// The tool or its environment failed (I/O, unwritable folder): exit 3.
    Tool(anyhow::Error),
}

/// Problems printed one per line before the rest are only counted: a flood
/// of tens of megabytes helps nobody and outgrows a CI log.
pub const PROBLEMS_SHOWN: usize = 1000;

impl Failure {
    /// The message for stderr. With `limit`, at most that many problems
    /// are printed one per line, and the rest are counted per file and
    /// column; `None` prints every problem. The exit code is the same.
    pub fn report(&self, limit: Option<usize>) -> String {
        let (Failure::Invalid(problems), Some(limit)) = (self, limit) else {
            return self.to_string();
        };
        if problems.len() <= limit {
            return self.to_string();
        }
        // Problems about a whole file are few and say the most: always shown.
        let (whole_files, rows): (Vec<&Problem>, Vec<&Problem>) =
            problems.iter().partition(|p| p.column == "file");
        let limit = limit.saturating_sub(whole_files.len());
        let mut out = String::new();
        for p in whole_files.iter().chain(&rows[..limit.min(rows.len())]) {
            out.push_str(&p.to_string());
            out.push('\n');
        }
        let mut rest: std::collections::BTreeMap<(&str, &str), usize> = Default::default();
        for p in rows.iter().skip(limit) {
            *rest
                .entry((p.path.as_str(), p.column.as_str()))
                .or_default() += 1;
        }
        let hidden: usize = rest.values().sum();
        out.push_str(&format!(
            "… and {hidden} more problems not shown (pass --all-problems to print every one):\n"
        ));
        for ((path, column), n) in rest {
            out.push_str(&format!("{path}: {column}: {n} more\n"));
        }
        let n = problems.len();
        out.push_str(&format!("error: invalid input: {n} problems"));
        out
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Invalid(_) | Failure::Usage(_) => exit::INVALID,
            Failure::Tool(_) => exit::TOOL,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Invalid(problems) => {
                for p in problems {
                    writeln!(f, "{p}")?;
                }
                let n = problems.len();
                write!(
                    f,
                    "error: invalid input: {n} problem{}",
                    if n == 1 { "" } else { "s" }
                )
            }
            Failure::Usage(msg) => write!(f, "error: {msg}"),
            Failure::Tool(e) => write!(f, "error: {e:#}"),
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Tool(e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Tool(e.into())
    }
}

/// Exit codes, the same for every subcommand.
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// `check` found reports that differ from what the datasets produce.
    pub const DIFFERENCES: u8 = 1;
    /// Invalid input or usage.
    pub const INVALID: u8 = 2;
    /// The tool or its environment failed.
    pub const TOOL: u8 = 3;
}
