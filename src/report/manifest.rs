//! `manifest.json`: the tool version, the options, and the SHA-256 and row
//! count of every input file, so that `check` can say which input changed.

use super::{Renderer, Sink};
use crate::pipeline::Analysis;

pub struct Manifest;

pub const FILE: &str = "manifest.json";

impl Renderer for Manifest {
    fn render(&self, a: &Analysis, out: &dyn Sink) -> anyhow::Result<()> {
        let inputs: Vec<serde_json::Value> = a
            .model
            .ds
            .inputs
            .iter()
            .map(|f| serde_json::json!({ "path": f.path, "sha256": f.sha256, "rows": f.rows }))
            .collect();
        let manifest = serde_json::json!({
            "tool": { "name": env!("CARGO_PKG_NAME"), "version": env!("CARGO_PKG_VERSION") },
            "options": {
                "fuzzy_threshold": a.config.normalize.fuzzy_threshold,
                "infer_themes": a.config.normalize.infer_themes,
                "as_of": a.adoption.as_of.format("%Y-%m-%d").to_string(),
                "as_of_source": if a.config.adoption.as_of.is_some() { "option" } else { "latest date in the datasets" },
                "concurrent_days": a.config.adoption.concurrent_days,
                "window_days": a.config.adoption.window_days,
            },
            "years": a.model.years,
            "inputs": inputs,
        });
        let mut text = serde_json::to_string_pretty(&manifest).expect("json values serialize");
        text.push('\n');
        out.put(FILE, text.as_bytes())
    }
}

/// Input path → sha256, read back from a manifest's text.
pub fn input_hashes(text: &[u8]) -> Option<std::collections::BTreeMap<String, String>> {
    let v: serde_json::Value = serde_json::from_slice(text).ok()?;
    Some(
        v.get("inputs")?
            .as_array()?
            .iter()
            .filter_map(|i| {
                Some((
                    i.get("path")?.as_str()?.to_string(),
                    i.get("sha256")?.as_str()?.to_string(),
                ))
            })
            .collect(),
    )
}
