//! `report`: the main job. Load, normalize, analyse, render, and swap the
//! new tree in; a progress bar on stderr when it is a terminal.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::config::Config;
use crate::error::{exit, Failure};
use crate::report;

/// Stage names shown on the progress bar.
const STAGES: [&str; 3] = ["load and validate", "diff and adoption", "render and write"];

struct Progress(Option<ProgressBar>);

impl Progress {
    fn new(quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = ProgressBar::new(STAGES.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{pos}/{len}] {msg}")
                .expect("a valid template"),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress(Some(bar))
    }

    fn stage(&self, i: usize) {
        if let Some(b) = &self.0 {
            b.set_position(i as u64);
            b.set_message(STAGES[i]);
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

pub fn run(config: &Config, out: &Path) -> Result<u8, Failure> {
    let progress = Progress::new(config.quiet);
    progress.stage(0);
    let result = (|| {
        let model = crate::pipeline::prepare(config)?;
        progress.stage(1);
        let analysis = crate::pipeline::analyse(model, config)?;
        progress.stage(2);
        let files = report::write::write_tree(out, &report::write::REPORTS, None, |sink| {
            report::render_into(&analysis, sink)
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
