//! `report`: the main job. Load, normalize, analyse, render, and swap the
//! new tree in; a progress bar on stderr when it is a terminal.

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::config::Config;
use crate::error::{exit, Failure};
use crate::report;

/// The pipeline's stages as they end (the names [`crate::trace::stage`]
/// marks), each with what runs next: the bar's length and messages. The
/// history and follow-up end on two threads in either order, as do the
/// two halves of rendering; the year pairs are diffed in the first half,
/// as their tables are written.
const STAGES: [(&str, &str); 11] = [
    ("load", "resolving delegate names"),
    ("resolve delegates", "checking across files"),
    ("validate", "normalizing themes"),
    ("normalize: themes", "building the normalization audit"),
    ("normalize: audit", "finishing normalization"),
    ("normalize", "history and follow-up"),
    ("history", "history and follow-up, then the year pairs"),
    ("adoption", "history and follow-up, then the year pairs"),
    ("diff", "rendering the pages, charts and tables"),
    (
        "render: pair tables, Markdown, charts, convergence, manifest",
        "finishing the reports",
    ),
    (
        "render: history, adoption, proposals, audit",
        "finishing the reports",
    ),
];

struct Progress(Option<ProgressBar>);

impl Progress {
    fn new(quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = ProgressBar::new(STAGES.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{pos}/{len}] {elapsed} {msg}")
                .expect("a valid template"),
        );
        bar.set_message("reading the datasets");
        bar.enable_steady_tick(Duration::from_millis(120));
        let hooked = bar.clone();
        crate::trace::on_stage(move |ended| {
            if let Some((_, next)) = STAGES.iter().find(|(name, _)| *name == ended) {
                hooked.inc(1);
                hooked.set_message(*next);
            } else if let Some(file) = ended.strip_prefix("wrote ") {
                // Rendering is the longest stage at scale: name each file.
                hooked.set_message(format!("rendering: wrote {file}"));
            }
        });
        Progress(Some(bar))
    }

    fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

/// The files `--only` names, checked against the tables there are.
fn only_files(config: &Config, only: &[String]) -> Result<BTreeSet<String>, Failure> {
    let tables = report::csv::TABLES;
    (only.iter())
        .map(|name| {
            let name = name.trim();
            if tables.contains(&name) {
                Ok(config.tables.file(name))
            } else {
                Err(Failure::Usage(format!(
                    "--only: `{name}` is not a table; the tables are {}",
                    tables.join(", ")
                )))
            }
        })
        .collect()
}

pub fn run(config: &Config, out: &Path, only: &[String]) -> Result<u8, Failure> {
    // A mistyped table name fails before any work.
    let files = if only.is_empty() {
        None
    } else {
        // A few tables never replace a whole report tree (the default
        // `reports/` above all).
        if out.join("README.md").is_file() {
            return Err(Failure::Usage(format!(
                "--only would replace the full reports in {} with a few tables: give --out a folder of its own",
                out.display()
            )));
        }
        Some(only_files(config, only)?)
    };
    let progress = Progress::new(config.quiet);
    let result = (|| {
        let model = crate::pipeline::prepare(config)?;
        let analysis = crate::pipeline::analyse(model, config);
        let files =
            report::write::write_tree(out, &report::write::REPORTS, None, |sink| match files {
                Some(files) => crate::pipeline::render_only(&analysis, sink, files),
                None => crate::pipeline::render_into(&analysis, sink),
            })
            .map_err(|e| {
                Failure::Tool(e.context(format!("cannot write the reports to {}", out.display())))
            })?;
        crate::trace::stage("write");
        Ok::<usize, Failure>(files)
    })();
    progress.finish();
    let files = result?;
    if !config.quiet {
        eprintln!("wrote {files} files to {}", out.display());
    }
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    use super::STAGES;

    /// The bar only moves on names the pipeline really marks: a real run
    /// on the small fixture marks every one of them.
    #[test]
    fn every_progress_stage_is_a_traced_stage() {
        use std::sync::{Arc, Mutex};
        let seen = Arc::new(Mutex::new(Vec::<String>::new()));
        let hooked = Arc::clone(&seen);
        crate::trace::on_stage(move |name| hooked.lock().unwrap().push(name.to_string()));
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = crate::config::for_datasets(root.join("tests/fixtures/small"));
        let analysis = crate::pipeline::run(&config).unwrap();
        crate::pipeline::render_all(&analysis).unwrap();
        let seen = seen.lock().unwrap();
        for (name, _) in STAGES {
            assert!(
                seen.iter().any(|s| s == name),
                "{name} never marked: {seen:?}"
            );
        }
    }
}
