//! Reports: every output rendered from the computed tables.
//!
//! Each format is one renderer behind [`Renderer`]; a renderer is pure
//! (tables in, bytes out) and writes its files into a [`Sink`]: a
//! [`Bundle`] in memory (for `check` and tests), or the staging folder of
//! [`write`], which streams large tables to disk and swaps the complete
//! new tree in at once.

pub mod charts;
pub mod csv;
pub mod escape;
pub mod manifest;
pub mod markdown;
pub mod write;

use std::collections::BTreeMap;
use std::io::Write;

use crate::adoption::{self, AdoptionTables};
use crate::config::Config;
use crate::diff::history::{self, History};
use crate::diff::{self, YearDiff};
use crate::error::Failure;
use crate::normalize::Model;

/// Everything the reports show, computed once.
pub struct Analysis {
    pub model: Model,
    pub diffs: Vec<YearDiff>,
    pub history: History,
    pub adoption: AdoptionTables,
    pub config: Config,
}

/// Above this many delegates the Markdown summarizes; the CSV stays complete.
pub const DETAIL_LIMIT: usize = 200;

/// Runs every stage after normalization.
pub fn analyse(model: Model, config: &Config) -> Result<Analysis, Failure> {
    let stage =
        |e: polars::error::PolarsError| Failure::Tool(anyhow::anyhow!("diff stage failed: {e}"));
    let facts = diff::facts(&model).map_err(stage)?;
    let diffs = diff::consecutive(&model, &facts).map_err(stage)?;
    crate::trace::stage("diff");
    let history = history::history(&model, &facts).map_err(stage)?;
    crate::trace::stage("history");
    let adoption = adoption::compute(&model, config.adoption);
    crate::trace::stage("adoption");
    Ok(Analysis {
        model,
        diffs,
        history,
        adoption,
        config: config.clone(),
    })
}

/// The report tree in memory: relative path (with `/`) to bytes.
pub type Bundle = BTreeMap<String, Vec<u8>>;

/// Where rendered files go. A file's contents are written by `body`, which
/// may stream: a large table never has to exist whole in memory.
pub trait Sink {
    fn file(
        &mut self,
        path: &str,
        body: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()>;

    /// A file whose bytes are already at hand.
    fn put(&mut self, path: &str, bytes: &[u8]) -> anyhow::Result<()> {
        self.file(path, &mut |w| w.write_all(bytes))
    }
}

impl Sink for Bundle {
    fn file(
        &mut self,
        path: &str,
        body: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        let mut bytes = Vec::new();
        body(&mut bytes)?;
        self.insert(path.to_string(), bytes);
        Ok(())
    }
}

/// One output format.
pub trait Renderer {
    /// Writes this format's files into the sink.
    fn render(&self, analysis: &Analysis, out: &mut dyn Sink) -> anyhow::Result<()>;
}

/// Renders the whole tree into a sink. File names come from years and fixed
/// names only.
pub fn render_into(analysis: &Analysis, sink: &mut dyn Sink) -> anyhow::Result<()> {
    let renderers: [&dyn Renderer; 4] = [
        &markdown::Markdown,
        &csv::CsvTables,
        &charts::Charts,
        &manifest::Manifest,
    ];
    for r in renderers {
        r.render(analysis, sink)?;
        crate::trace::stage("render");
    }
    Ok(())
}

/// Renders the whole tree in memory.
pub fn render_all(analysis: &Analysis) -> anyhow::Result<Bundle> {
    let mut bundle = Bundle::new();
    render_into(analysis, &mut bundle)?;
    Ok(bundle)
}
