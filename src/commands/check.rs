//! `check`: the CI gate. Regenerates every report in memory and compares
//! it with the committed tree; prints what changed, inputs first.

use std::fmt::Write as _;
use std::path::Path;

use similar::TextDiff;

use crate::config::Config;
use crate::error::{exit, Failure};
use crate::report::{self, manifest, Bundle};

/// Lines of unified diff printed per file, and in all, before the rest is
/// summarized.
const MAX_LINES_PER_FILE: usize = 200;
const MAX_LINES: usize = 2000;

pub fn run(config: &Config, reports: &Path, max_unmapped: usize) -> Result<u8, Failure> {
    let model = crate::pipeline::prepare(config)?;
    super::normalize::too_many_unmapped(&model, max_unmapped)?;
    let analysis = crate::pipeline::analyse(model, config)?;
    let fresh = report::render_all(&analysis)?;
    let committed = if reports.exists() {
        report::write::read_tree(reports)
            .map_err(|e| Failure::Tool(e.context("cannot read the committed reports")))?
    } else {
        Bundle::new()
    };
    let (text, differences) = compare(&fresh, &committed, &reports.to_string_lossy());
    crate::write_stdout(text.as_bytes())?;
    Ok(if differences == 0 {
        exit::OK
    } else {
        exit::DIFFERENCES
    })
}

/// Compares a fresh tree with a committed one. Returns the text to print
/// and the number of files that differ, are missing or are stray.
pub fn compare(fresh: &Bundle, committed: &Bundle, shown: &str) -> (String, usize) {
    let mut s = String::new();
    let shown = shown.trim_end_matches('/');

    // Which inputs changed, from the manifests' hashes: the first thing to know.
    if let (Some(new), Some(old)) = (
        fresh
            .get(manifest::FILE)
            .and_then(|b| manifest::input_hashes(b)),
        committed
            .get(manifest::FILE)
            .and_then(|b| manifest::input_hashes(b)),
    ) {
        let mut changed = Vec::new();
        for (path, hash) in &new {
            match old.get(path) {
                None => changed.push(format!("{path} (new)")),
                Some(h) if h != hash => changed.push(format!("{path} (changed)")),
                _ => {}
            }
        }
        for path in old.keys().filter(|p| !new.contains_key(*p)) {
            changed.push(format!("{path} (removed)"));
        }
        if !changed.is_empty() {
            let _ = writeln!(
                s,
                "inputs changed since the reports were made: {}",
                changed.join(", ")
            );
        }
    }

    let missing: Vec<&String> = fresh
        .keys()
        .filter(|k| !committed.contains_key(*k))
        .collect();
    let stray: Vec<&String> = committed
        .keys()
        .filter(|k| !fresh.contains_key(*k))
        .collect();
    let mut differ = Vec::new();
    let mut budget = MAX_LINES;
    let mut left_out = 0usize;
    for (path, new) in fresh {
        let Some(old) = committed.get(path) else {
            continue;
        };
        if old == new {
            continue;
        }
        differ.push(path);
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
                let allowed = MAX_LINES_PER_FILE.min(budget);
                for line in lines.iter().take(allowed) {
                    let _ = writeln!(s, "{line}");
                }
                if lines.len() > allowed {
                    let _ = writeln!(
                        s,
                        "… {} more diff lines of {path} left out",
                        lines.len() - allowed
                    );
                    left_out += lines.len() - allowed;
                }
                budget -= allowed.min(lines.len());
            }
            _ => {
                let _ = writeln!(s, "binary file {shown}/{path} differs");
            }
        }
    }
    for path in &missing {
        let _ = writeln!(
            s,
            "missing: {shown}/{path} (run `proposal-diff report` and commit it)"
        );
    }
    for path in &stray {
        let _ = writeln!(
            s,
            "no longer produced: {shown}/{path} (delete it, or run `proposal-diff report`)"
        );
    }
    let total = differ.len() + missing.len() + stray.len();
    if total == 0 {
        let _ = writeln!(
            s,
            "check: the reports in {shown} are current ({} files)",
            fresh.len()
        );
    } else {
        let _ = writeln!(
            s,
            "check: {} differ, {} missing, {} no longer produced{}; run `proposal-diff report` and commit the result",
            differ.len(),
            missing.len(),
            stray.len(),
            if left_out > 0 { format!(" ({left_out} diff lines left out)") } else { String::new() }
        );
    }
    (s, total)
}
