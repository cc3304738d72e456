//! The delegate-by-year heatmap of distinct themes recorded.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{fit, plot_err, text_width, FONT, LABEL, MAX_WIDTH, SMALL};
use crate::pipeline::Analysis;
use crate::summary::{short_name, HeatCell, Heatmap};

/// Cell colour for a count of themes: white to deep blue.
fn shade(n: usize, max: usize) -> RGBColor {
    let t = if max == 0 {
        0.0
    } else {
        (n as f64 / max as f64).clamp(0.0, 1.0)
    };
    let mix = |lo: f64, hi: f64| (lo + (hi - lo) * t).round() as u8;
    RGBColor(mix(222.0, 8.0), mix(235.0, 48.0), mix(247.0, 107.0))
}

pub(super) fn heatmap(a: &Analysis, chart: &Heatmap) -> Result<String> {
    let m = &a.model;
    let ds = &m.ds;
    let (max, total) = (chart.max, chart.total);
    let rows = &chart.rows;
    let labels: Vec<String> = rows.iter().map(|(d, _)| short_name(ds, *d)).collect();
    let label_w = labels
        .iter()
        .map(|l| text_width(l, LABEL))
        .max()
        .unwrap_or(80)
        .max(80)
        + 24;
    let label_w = label_w.min(MAX_WIDTH / 3);
    let n_years = m.years.len().max(1) as i32;
    let cell_w = ((MAX_WIDTH - label_w - 24) / n_years).clamp(28, 64);
    let (cell_h, top, legend_h) = (30, 96, 84);
    let width = (label_w + cell_w * n_years + 24).clamp(560, MAX_WIDTH);
    let height = top + cell_h * rows.len() as i32 + legend_h;

    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (width as u32, height as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(plot_err)?;
        let title = if total > rows.len() {
            format!(
                "Distinct themes recorded per delegate and year (the {} of {total} delegates with most themes)",
                rows.len()
            )
        } else {
            "Distinct themes recorded per delegate and year".to_string()
        };
        super::heading(
            &root,
            width,
            &title,
            "Counts depend on how detailed the sources were, not only on what was proposed.",
        )?;
        let header = (FONT, LABEL)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Center));
        for (j, y) in m.years.iter().enumerate() {
            let x = label_w + cell_w * j as i32 + cell_w / 2;
            root.draw(&Text::new(y.to_string(), (x, top - 14), header.clone()))
                .map_err(plot_err)?;
        }
        let label_style = (FONT, LABEL)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Right, VPos::Center));
        for (i, ((_, cells), label)) in rows.iter().zip(&labels).enumerate() {
            let y0 = top + cell_h * i as i32;
            root.draw(&Text::new(
                fit(label, LABEL, label_w - 16),
                (label_w - 10, y0 + cell_h / 2),
                label_style.clone(),
            ))
            .map_err(plot_err)?;
            for (j, c) in cells.iter().enumerate() {
                let x0 = label_w + cell_w * j as i32;
                let cell = [(x0 + 1, y0 + 1), (x0 + cell_w - 1, y0 + cell_h - 1)];
                let (fill, text, ink) = look(*c, max);
                root.draw(&Rectangle::new(cell, fill.filled()))
                    .map_err(plot_err)?;
                let style = (FONT, LABEL)
                    .into_font()
                    .color(&ink)
                    .pos(Pos::new(HPos::Center, VPos::Center));
                root.draw(&Text::new(text, (x0 + cell_w / 2, y0 + cell_h / 2), style))
                    .map_err(plot_err)?;
            }
        }
        legend(&root, top + cell_h * rows.len() as i32 + 18, max)?;
        root.present().map_err(plot_err)?;
    }
    Ok(svg)
}

/// A cell's fill, text and ink.
fn look(c: HeatCell, max: usize) -> (RGBColor, String, RGBColor) {
    match c {
        HeatCell::Themes(n) => (
            shade(n, max),
            n.to_string(),
            if n * 2 > max { WHITE } else { BLACK },
        ),
        HeatCell::Unknown => (WHITE, "·".to_string(), RGBColor(120, 120, 120)),
        HeatCell::MemberNoRecord => (
            RGBColor(253, 236, 200),
            "?".to_string(),
            RGBColor(140, 90, 0),
        ),
        HeatCell::NotMember => (
            RGBColor(245, 245, 245),
            "–".to_string(),
            RGBColor(150, 150, 150),
        ),
    }
}

/// The legend from line `ly` down, two items a line so it fits the
/// narrowest chart.
fn legend(
    root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    ly: i32,
    max: usize,
) -> Result<()> {
    let small = (FONT, SMALL)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let items = [
        (shade(1, max.max(1)), "1", "themes recorded (darker: more)"),
        (RGBColor(253, 236, 200), "?", "a member, no record found"),
        (RGBColor(245, 245, 245), "–", "not a member"),
        (WHITE, "·", "no record; membership unknown"),
    ];
    for (k, (fill, mark, text)) in items.into_iter().enumerate() {
        let x = 12 + (k as i32 % 2) * 270;
        let y = ly + (k as i32 / 2) * 28;
        root.draw(&Rectangle::new(
            [(x, y - 10), (x + 22, y + 10)],
            fill.filled(),
        ))
        .map_err(plot_err)?;
        root.draw(&Rectangle::new(
            [(x, y - 10), (x + 22, y + 10)],
            RGBColor(200, 200, 200).stroke_width(1),
        ))
        .map_err(plot_err)?;
        let center = (FONT, SMALL)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Center));
        root.draw(&Text::new(mark, (x + 11, y), center))
            .map_err(plot_err)?;
        root.draw(&Text::new(text, (x + 28, y), small.clone()))
            .map_err(plot_err)?;
    }
    Ok(())
}
