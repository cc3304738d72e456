//! Reports: every output rendered in memory from the computed tables.
//!
//! Each format is one renderer behind [`Renderer`]; a renderer is pure
//! (tables in, bytes out). Only [`write`] touches the disk, and it swaps a
//! complete new tree in at once.

pub mod charts;
pub mod csv;
pub mod escape;
pub mod manifest;
pub mod markdown;
pub mod write;

use std::collections::BTreeMap;

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
    let history = history::history(&model, &facts).map_err(stage)?;
    let adoption = adoption::compute(&model, config.adoption);
    Ok(Analysis {
        model,
        diffs,
        history,
        adoption,
        config: config.clone(),
    })
}

/// The report tree: relative path (with `/`) to bytes.
pub type Bundle = BTreeMap<String, Vec<u8>>;

/// One output format.
pub trait Renderer {
    /// Adds this format's files to the bundle.
    fn render(&self, analysis: &Analysis, out: &mut Bundle) -> anyhow::Result<()>;
}

/// Renders the whole tree. File names come from years and fixed names only.
pub fn render_all(analysis: &Analysis) -> anyhow::Result<Bundle> {
    let renderers: [&dyn Renderer; 4] = [
        &markdown::Markdown,
        &csv::CsvTables,
        &charts::Charts,
        &manifest::Manifest,
    ];
    let mut bundle = Bundle::new();
    for r in renderers {
        r.render(analysis, &mut bundle)?;
    }
    Ok(bundle)
}
