//! `check`: the CI gate. Regenerates every report and compares each file
//! with the committed one as it is written ([`CompareSink`]), holding
//! neither tree in memory. It prints first what the data change is, for
//! its reviewer ([`review`]: files, records by id, unmapped phrases,
//! headline figures), then the capped line diffs; `--format github` also
//! writes annotations and a step summary ([`github`]).

pub mod github;
pub mod review;
mod stream;

use stream::{CompareSink, Unreadable};
pub use stream::{Comparison, Found, Mismatch};

use std::fmt::Write as _;
use std::path::Path;

use similar::TextDiff;

use crate::config::Config;
use crate::error::{exit, Failure};
use crate::report::{self, manifest};

/// How `check` prints: plain text, or also GitHub Actions annotations and
/// a step summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Github,
}

/// What `check` is asked for beyond the configuration.
#[derive(Debug, Clone)]
pub struct Options<'a> {
    pub reports: &'a Path,
    pub max_unmapped: usize,
    /// Lines of unified diff printed in all before the rest is counted.
    pub max_diff_lines: usize,
    pub format: Format,
}

pub fn run(config: &Config, o: &Options) -> Result<u8, Failure> {
    let reports = o.reports;
    let model = match crate::pipeline::prepare(config) {
        Ok(m) => m,
        Err(Failure::Invalid(problems)) if o.format == Format::Github => {
            crate::write_stdout(github::annotations(&problems).as_bytes())?;
            let _ = github::step_summary(&format!(
                "## The datasets are invalid\n\n{} problems: each is an annotation on its file and line.\n",
                problems.len()
            ));
            return Err(Failure::Invalid(problems));
        }
        Err(e) => return Err(e),
    };
    let unmapped = super::normalize::too_many_unmapped(&model, o.max_unmapped);
    let analysis = crate::pipeline::analyse(model, config);
    let cannot_read =
        |e: anyhow::Error| Failure::Tool(e.context("cannot read the committed reports"));
    let committed = if reports.exists() {
        report::write::tree_paths(reports).map_err(cannot_read)?
    } else {
        Vec::new()
    };
    // Each file is compared with the committed one as it is rendered:
    // neither tree is ever whole in memory.
    let sink = CompareSink::new(reports);
    crate::pipeline::render_into(&analysis, &sink).map_err(|e| {
        match e.downcast::<Unreadable>() {
            Ok(u) => cannot_read(u.0),
            Err(e) => Failure::from(e),
        }
    })?;
    let comparison = sink.finish(&committed).map_err(cannot_read)?;
    let readmes = match comparison.files.get("README.md") {
        Some(Found::Differ(Some((old, new)), _)) => {
            Some((String::from_utf8_lossy(old), String::from_utf8_lossy(new)))
        }
        _ => None,
    };
    let summary = review::review(
        &analysis.model,
        reports,
        input_changes(&comparison),
        readmes.as_ref().map(|(a, b)| (a.as_ref(), b.as_ref())),
    )
    .map_err(cannot_read)?;
    let (text, differences) = compare_with(
        &comparison,
        &reports.to_string_lossy(),
        o.max_diff_lines,
        &config.regenerate_command(),
    );
    let mut out = summary.markdown();
    out.push('\n');
    out.push_str(&text);
    crate::write_stdout(out.as_bytes())?;
    if o.format == Format::Github {
        let last = text.lines().last().unwrap_or_default();
        let _ = github::step_summary(&format!("{}\n{last}\n", summary.markdown()));
    }
    unmapped?;
    Ok(if differences == 0 {
        exit::OK
    } else {
        exit::DIFFERENCES
    })
}

/// Which input files changed since the committed reports were made, from
/// the two manifests' hashes.
fn input_changes(c: &Comparison) -> Vec<(String, &'static str)> {
    let (Some(new), Some(old)) = (
        c.manifests.0.as_deref().and_then(manifest::input_hashes),
        c.manifests.1.as_deref().and_then(manifest::input_hashes),
    ) else {
        return Vec::new();
    };
    let mut changed = Vec::new();
    for (path, hash) in &new {
        match old.get(path) {
            None => changed.push((path.clone(), "new")),
            Some(h) if h != hash => changed.push((path.clone(), "changed")),
            _ => {}
        }
    }
    for path in old.keys().filter(|p| !new.contains_key(*p)) {
        changed.push((path.clone(), "removed"));
    }
    changed
}

/// Prints a comparison. Returns the text to print and the number of files
/// that differ, are missing or are stray.
pub fn compare(c: &Comparison, shown: &str, max_lines: usize) -> (String, usize) {
    compare_with(c, shown, max_lines, "proposal-diff report")
}

/// [`compare`], advising `regenerate` as the command to run.
pub fn compare_with(
    c: &Comparison,
    shown: &str,
    max_lines: usize,
    regenerate: &str,
) -> (String, usize) {
    let mut s = String::new();
    let shown = shown.trim_end_matches('/');

    let inputs = input_changes(c);
    if !inputs.is_empty() {
        let items: Vec<String> = inputs
            .iter()
            .map(|(p, how)| format!("{p} ({how})"))
            .collect();
        let _ = writeln!(
            s,
            "inputs changed since the reports were made: {}",
            items.join(", ")
        );
    }

    let missing: Vec<&String> = c
        .files
        .iter()
        .filter(|(_, f)| **f == Found::Missing)
        .map(|(p, _)| p)
        .collect();
    let stray = &c.stray;
    let mut differ = Vec::new();
    let mut budget = max_lines;
    // Diff lines left out, per file, once the budget is spent.
    let mut left_out: Vec<(&str, usize)> = Vec::new();
    for (path, found) in &c.files {
        let Found::Differ(texts, at) = found else {
            continue;
        };
        differ.push(path);
        let Some((old, new)) = texts else {
            let _ = writeln!(
                s,
                "{shown}/{path} differs from line {} on ({} bytes committed, {} from the datasets; \
                 too large to show the changed lines here)",
                at.line, at.committed_bytes, at.fresh_bytes
            );
            continue;
        };
        match (std::str::from_utf8(old), std::str::from_utf8(new)) {
            (Ok(old), Ok(new)) => {
                let diff = TextDiff::from_lines(old, new);
                let text = diff
                    .unified_diff()
                    .context_radius(3)
                    .header(
                        &format!("{shown}/{path} (committed)"),
                        &format!("{shown}/{path} (from the datasets)"),
                    )
                    .to_string();
                let lines: Vec<&str> = text.lines().collect();
                let allowed = budget.min(lines.len());
                for line in lines.iter().take(allowed) {
                    let _ = writeln!(s, "{line}");
                }
                if lines.len() > allowed {
                    left_out.push((path, lines.len() - allowed));
                }
                budget -= allowed;
            }
            _ => {
                let _ = writeln!(s, "binary file {shown}/{path} differs");
            }
        }
    }
    for path in &missing {
        let _ = writeln!(
            s,
            "missing: {shown}/{path} (run `{regenerate}` and commit it)"
        );
    }
    for path in stray {
        let _ = writeln!(
            s,
            "no longer produced: {shown}/{path} (delete it, or run `{regenerate}`)"
        );
    }
    if !left_out.is_empty() {
        let rest: Vec<String> = (left_out.iter())
            .map(|(path, n)| format!("{} more lines in {path}", thousands(*n)))
            .collect();
        let _ = writeln!(
            s,
            "… past --max-diff-lines {max_lines}: and {}",
            rest.join(", ")
        );
    }
    let total = differ.len() + missing.len() + stray.len();
    if total == 0 {
        let _ = writeln!(
            s,
            "check: the reports in {shown} are current ({} files)",
            c.files.len()
        );
    } else {
        let _ = writeln!(
            s,
            "check: {} differ, {} missing, {} no longer produced{}; run `{regenerate}` and commit the result",
            differ.len(),
            missing.len(),
            stray.len(),
            match left_out.iter().map(|x| x.1).sum::<usize>() {
                0 => String::new(),
                n => format!(" ({} diff lines left out)", thousands(n)),
            }
        );
    }
    (s, total)
}

/// 3120 as "3,120".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::stream::DIFF_LIMIT;
    use super::*;
    use crate::report::Bundle;
    use crate::report::Sink;

    /// Renders `fresh` into a comparing sink over `committed`, in small
    /// writes, as a renderer would.
    fn streamed(fresh: &Bundle, committed: &Path) -> Comparison {
        let sink = CompareSink::new(committed);
        for (path, bytes) in fresh {
            sink.file(path, &mut |w| {
                for chunk in bytes.chunks(3) {
                    w.write_all(chunk)?;
                }
                Ok(())
            })
            .unwrap();
        }
        sink.finish(&report::write::tree_paths(committed).unwrap())
            .unwrap()
    }

    fn bundle(files: &[(&str, &str)]) -> Bundle {
        files
            .iter()
            .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec()))
            .collect()
    }

    fn write(dir: &Path, files: &Bundle) {
        for (p, b) in files {
            let path = dir.join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, b).unwrap();
        }
    }

    #[test]
    fn a_streamed_comparison_finds_what_the_in_memory_one_finds() {
        let dir = tempfile::tempdir().unwrap();
        let committed = bundle(&[
            ("same.md", "one\ntwo\n"),
            ("changed.md", "one\ntwo\nthree\n"),
            ("longer.csv", "a\nb\n"),
            ("shorter.csv", "a\n"),
            ("sub/stray.md", "old\n"),
            ("empty.md", ""),
        ]);
        let fresh = bundle(&[
            ("same.md", "one\ntwo\n"),
            ("changed.md", "one\nTWO\nthree\n"),
            ("longer.csv", "a\n"),
            ("shorter.csv", "a\nb\n"),
            ("new.md", "new\n"),
            ("empty.md", ""),
        ]);
        write(dir.path(), &committed);
        let got = streamed(&fresh, dir.path());
        assert_eq!(got, Comparison::of(&fresh, &committed));
        assert_eq!(got.files["same.md"], Found::Same);
        assert_eq!(got.files["empty.md"], Found::Same);
        assert_eq!(got.files["new.md"], Found::Missing);
        assert_eq!(got.stray, ["sub/stray.md"]);
        let Found::Differ(Some(_), at) = &got.files["changed.md"] else {
            panic!("changed.md: {:?}", got.files["changed.md"]);
        };
        assert_eq!(at.line, 2);
        let (text, differences) = compare(&got, "reports", 400);
        assert_eq!(differences, 5, "{text}");
        assert!(text.contains("+TWO"), "{text}");
    }

    #[test]
    fn a_folder_or_a_pipe_where_a_report_should_be_is_missing_not_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("README.md")).unwrap();
        std::fs::write(dir.path().join("README.md/old.md"), "old\n").unwrap();
        let fifo = dir.path().join("history.md");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        let fresh = bundle(&[("README.md", "new\n"), ("history.md", "h\n")]);
        let got = streamed(&fresh, dir.path());
        assert_eq!(got.files["README.md"], Found::Missing);
        if made.is_ok_and(|s| s.success()) {
            // Not opened (that would wait for a writer), so not read.
            assert_eq!(got.files["history.md"], Found::Missing);
        }
        assert!(
            got.stray.contains(&"README.md/old.md".to_string()),
            "{:?}",
            got.stray
        );
    }

    #[test]
    fn a_large_file_that_differs_is_named_with_its_first_changed_line() {
        let dir = tempfile::tempdir().unwrap();
        let line = "0123456789abcdef0123456789abcdef\n";
        let old = line.repeat(DIFF_LIMIT / line.len() + 10);
        let mut new = old.clone();
        // Line 1001 changes.
        let at = 1000 * line.len();
        new.replace_range(at..at + 1, "X");
        let committed = bundle(&[("big.csv", &old)]);
        write(dir.path(), &committed);
        let got = streamed(&bundle(&[("big.csv", &new)]), dir.path());
        assert_eq!(
            got.files["big.csv"],
            Found::Differ(
                None,
                Mismatch {
                    line: 1001,
                    committed_bytes: old.len() as u64,
                    fresh_bytes: new.len() as u64,
                }
            )
        );
        let (text, differences) = compare(&got, "reports", 400);
        assert_eq!(differences, 1);
        assert!(
            text.contains("reports/big.csv differs from line 1001 on"),
            "{text}"
        );
    }
}
