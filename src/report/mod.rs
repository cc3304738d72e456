//! Reports: every output rendered from the computed tables.
//!
//! Each format is one renderer; a renderer only formats what it is handed
//! (the pipeline's [`crate::pipeline::render_into`] walks the year pairs
//! and decides the pages' figures first) and writes its files into a
//! [`Sink`]: a
//! [`MemorySink`] (for `check` and tests), or the staging folder of
//! [`write`], which streams large tables to disk and swaps the complete
//! new tree in at once.

pub mod charts;
pub mod csv;
pub mod escape;
pub mod format;
pub mod manifest;
pub mod markdown;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod write;

use std::collections::BTreeMap;
use std::io::Write;

use crate::pipeline::Analysis;

/// The report tree in memory: relative path (with `/`) to bytes.
pub type Bundle = BTreeMap<String, Vec<u8>>;

/// Where rendered files go. A file's contents are written by `body`, which
/// may stream: a large table never has to exist whole in memory. Renderers
/// run in parallel, so a sink takes files from several threads.
pub trait Sink: Sync {
    fn file(
        &self,
        path: &str,
        body: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()>;

    /// A file whose bytes are already at hand.
    fn put(&self, path: &str, bytes: &[u8]) -> anyhow::Result<()> {
        self.file(path, &mut |w| w.write_all(bytes))
    }

    /// Whether the sink keeps this file ([`Only`] keeps a few): a writer of
    /// several files at once skips the work of those nobody keeps.
    fn wants(&self, _path: &str) -> bool {
        true
    }
}

/// A sink that keeps only some files (`report --only`) and skips the
/// others without running their bodies: a table nobody asked for is
/// never computed.
pub struct Only<'a> {
    pub inner: &'a dyn Sink,
    pub keep: std::collections::BTreeSet<String>,
}

impl Sink for Only<'_> {
    fn file(
        &self,
        path: &str,
        body: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        if self.wants(path) {
            self.inner.file(path, body)
        } else {
            Ok(())
        }
    }

    fn wants(&self, path: &str) -> bool {
        self.keep.contains(path)
    }
}

/// A sink that keeps the tree in memory.
#[derive(Default)]
pub struct MemorySink(std::sync::Mutex<Bundle>);

impl MemorySink {
    pub fn into_bundle(self) -> Bundle {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for MemorySink {
    fn file(
        &self,
        path: &str,
        body: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        let mut bytes = Vec::new();
        body(&mut bytes)?;
        let mut bundle = self.0.lock().unwrap_or_else(|e| e.into_inner());
        bundle.insert(path.to_string(), bytes);
        Ok(())
    }
}

/// The format of the long-form tables in the reports folder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Tables {
    /// UTF-8 CSV with a byte-order mark: the public contract.
    #[default]
    Csv,
    /// Parquet, typed and compressed, for DuckDB or polars at scale.
    Parquet,
}

impl Tables {
    /// A table's file name: `theme_changes` becomes `theme_changes.csv`.
    pub fn file(self, stem: &str) -> String {
        match self {
            Tables::Csv => format!("{stem}.csv"),
            Tables::Parquet => format!("{stem}.parquet"),
        }
    }

    /// A table's file name as pages cite it, in code style: `` `adoption.csv` ``.
    pub fn cited(self, stem: &str) -> String {
        format!("`{}`", self.file(stem))
    }
}

/// One output format.
pub trait Renderer: Sync {
    /// Writes this format's files into the sink.
    fn render(&self, analysis: &Analysis, out: &dyn Sink) -> anyhow::Result<()>;
}
