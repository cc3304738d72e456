//! SVG charts, drawn with plotters: a delegate-by-year heatmap of themes,
//! and a timeline from each proposal to the measures on its theme.
//!
//! Text is left to the viewer's fonts (SVG `<text>`, a CJK-capable font
//! list), so Chinese names render wherever the reader has a CJK font.
//! Layout is computed from the data, so labels never overlap: one row per
//! delegate or proposal theme. Every chart is at most 960 px wide with no
//! text under 11 px, so it is legible at its own size in a forge column.

use anyhow::{anyhow, Result};

mod heatmap;
mod timeline;

use super::Sink;
use crate::pipeline::Analysis;
use crate::summary::Summary;

pub struct Charts;

pub const HEATMAP: &str = "themes-by-year.svg";
pub const TIMELINE: &str = "proposal-to-measure.svg";

/// CJK-capable fonts first, so Chinese names render wherever one exists.
const FONT: &str =
    "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, WenQuanYi Micro Hei, sans-serif";
/// No chart is wider: it must be legible in a 960 px forge column.
const MAX_WIDTH: i32 = 960;

// Font sizes as plotters takes them; its SVG backend writes about 0.81 of
// the number as pixels, so 14 is 11.3 px: nothing smaller is used.
const TITLE: u32 = 20;
const SUBTITLE: u32 = 16;
const LABEL: u32 = 15;
const SMALL: u32 = 14;

/// Plotters' SVG pixels per unit of font size.
const PX_PER_SIZE: f64 = 0.806;

impl Charts {
    /// Draws the heatmap and the timeline the summary decided.
    pub fn render(&self, a: &Analysis, summary: &Summary, out: &dyn Sink) -> Result<()> {
        out.put(
            &format!("charts/{HEATMAP}"),
            heatmap::heatmap(a, &summary.heatmap)?.as_bytes(),
        )?;
        out.put(
            &format!("charts/{TIMELINE}"),
            timeline::timeline(a, &summary.timeline)?.as_bytes(),
        )
    }
}

/// A chart's bold title (shortened to fit) and its grey subtitle.
fn heading<DB: plotters::prelude::DrawingBackend>(
    root: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
    width: i32,
    title: &str,
    subtitle: &str,
) -> Result<()> {
    use plotters::prelude::*;
    root.draw(&Text::new(
        fit(title, TITLE, width - 24),
        (12, 12),
        (FONT, TITLE)
            .into_font()
            .style(FontStyle::Bold)
            .color(&BLACK),
    ))
    .map_err(plot_err)?;
    root.draw(&Text::new(
        subtitle,
        (12, 38),
        (FONT, SUBTITLE).into_font().color(&RGBColor(70, 70, 70)),
    ))
    .map_err(plot_err)?;
    Ok(())
}

fn plot_err<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow!("drawing a chart failed: {e:?}")
}

/// Label width estimate in pixels at a plotters font size: CJK characters
/// are about twice as wide as Latin ones.
fn text_width(s: &str, size: u32) -> i32 {
    let units: f64 = s
        .chars()
        .map(|c| if (c as u32) >= 0x2E80 { 1.0 } else { 0.58 })
        .sum();
    (units * f64::from(size) * PX_PER_SIZE).ceil() as i32
}

/// The label shortened with "…" to fit `max` pixels.
fn fit(label: &str, size: u32, max: i32) -> String {
    if text_width(label, size) <= max {
        return label.to_string();
    }
    let mut out = String::new();
    for c in label.chars() {
        if text_width(&format!("{out}{c}…"), size) > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}
