//! The timeline from each proposal theme to the measures on its theme,
//! one marker shape and colour per timing.

use anyhow::{anyhow, Result};
use chrono::{Datelike, NaiveDate};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{fit, plot_err, text_width, FONT, MAX_WIDTH, SMALL};
use crate::dataset::Timing;
use crate::pipeline::Analysis;
use crate::summary::{Lane, Timeline};

/// The colour of each timing; every timing also has its own marker shape.
fn timing_colour(t: Timing) -> RGBColor {
    match t {
        Timing::Later => RGBColor(33, 102, 172),
        Timing::Concurrent => RGBColor(214, 96, 77),
        Timing::UnderWay => RGBColor(118, 42, 131),
        Timing::Preceded => RGBColor(120, 120, 120),
    }
}

/// Draws a measure's marker: later a square, concurrent a triangle,
/// under way a cross, preceded a small circle.
fn marker<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    (x, y): (i32, i32),
    t: Timing,
) -> Result<()> {
    let c = timing_colour(t);
    match t {
        Timing::Later => root
            .draw(&Rectangle::new(
                [(x - 5, y - 5), (x + 5, y + 5)],
                c.filled(),
            ))
            .map_err(plot_err),
        Timing::Concurrent => root
            .draw(&TriangleMarker::new((x, y), 7, c.filled()))
            .map_err(plot_err),
        Timing::UnderWay => root
            .draw(&Cross::new((x, y), 5, c.stroke_width(3)))
            .map_err(plot_err),
        Timing::Preceded => root
            .draw(&Circle::new((x, y), 4, c.filled()))
            .map_err(plot_err),
    }
}

/// Where things go on the timeline: the years of the axis, the label
/// column, the plot and the rows.
struct Layout {
    first_year: i32,
    last_year: i32,
    start: NaiveDate,
    span: f64,
    label_w: i32,
    plot_w: i32,
    row_h: i32,
    top: i32,
    /// The axis line, under the last row.
    axis_y: i32,
}

impl Layout {
    fn new(a: &Analysis, lanes: &[Lane]) -> Result<Layout> {
        // The axis spans the proposals and every measure drawn, to as-of.
        let first_year = lanes
            .iter()
            .flat_map(|l| l.measures.iter().map(|x| x.0).chain([l.proposal]))
            .map(|d| d.year())
            .min()
            .or(a.model.years.first().copied())
            .unwrap_or(2000);
        let last_year = a.adoption.as_of.year().max(first_year);
        let start = year_start(first_year)?;
        let span = (year_start(last_year + 1)? - start).num_days().max(1) as f64;
        // Labels take at most 40% of the width; the plot takes the rest.
        let label_w = lanes
            .iter()
            .map(|l| text_width(&l.label, SMALL))
            .max()
            .unwrap_or(120)
            .clamp(120, MAX_WIDTH * 2 / 5)
            + 16;
        let (row_h, top) = (24, 84);
        Ok(Layout {
            first_year,
            last_year,
            start,
            span,
            label_w,
            plot_w: MAX_WIDTH - label_w - 24,
            row_h,
            top,
            axis_y: top + row_h * lanes.len().max(1) as i32 + 6,
        })
    }

    fn x_of(&self, d: NaiveDate) -> i32 {
        self.label_w
            + ((d - self.start).num_days() as f64 / self.span * self.plot_w as f64).round() as i32
    }
}

/// January 1st of a year.
fn year_start(y: i32) -> Result<NaiveDate> {
    NaiveDate::from_ymd_opt(y, 1, 1).ok_or_else(|| anyhow!("year out of range"))
}

type Root<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

pub(super) fn timeline(a: &Analysis, chart: &Timeline) -> Result<String> {
    let (lanes, total) = (&chart.lanes, chart.total);
    let layout = Layout::new(a, lanes)?;
    let width = MAX_WIDTH;
    let bottom = 96;
    let height = layout.top + layout.row_h * lanes.len().max(1) as i32 + bottom;
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (width as u32, height as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(plot_err)?;
        let title = if total > lanes.len() {
            format!(
                "Proposal themes and measures on the same theme ({} of {total}, an equal share per year)",
                lanes.len()
            )
        } else {
            "Proposal themes and measures on the same theme".to_string()
        };
        super::heading(&root, width, &title, "A later measure on the same theme is succession, not evidence that the proposal caused it.")?;
        axis(&root, a, &layout)?;
        draw_lanes(&root, lanes, &layout)?;
        legend(&root, a, &layout)?;
        root.present().map_err(plot_err)?;
    }
    Ok(svg)
}

/// The year grid, the year labels and the as-of line.
fn axis(root: &Root, a: &Analysis, l: &Layout) -> Result<()> {
    let (top, axis_y, plot_w) = (l.top, l.axis_y, l.plot_w);
    let (first_year, last_year) = (l.first_year, l.last_year);
    let x_of = |d| l.x_of(d);
    let grid = RGBColor(225, 225, 225);
    let year_style = (FONT, SMALL)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    let year_w = plot_w as f64 / f64::from(last_year - first_year + 1);
    // Label every year when there is room, else every other one.
    let every = if year_w >= 40.0 { 1 } else { 2 };
    for y in first_year..=last_year + 1 {
        let d = NaiveDate::from_ymd_opt(y, 1, 1).ok_or_else(|| anyhow!("year out of range"))?;
        let x = x_of(d);
        root.draw(&PathElement::new(
            vec![(x, top - 8), (x, axis_y)],
            grid.stroke_width(1),
        ))
        .map_err(plot_err)?;
        if y <= last_year && (y - first_year) % every == 0 {
            let mid =
                x_of(NaiveDate::from_ymd_opt(y, 7, 1).ok_or_else(|| anyhow!("year out of range"))?);
            root.draw(&Text::new(
                y.to_string(),
                (mid, axis_y + 6),
                year_style.clone(),
            ))
            .map_err(plot_err)?;
        }
    }
    let as_of = x_of(a.adoption.as_of);
    root.draw(&PathElement::new(
        vec![(as_of, top - 8), (as_of, axis_y)],
        RGBColor(180, 180, 180).stroke_width(2),
    ))
    .map_err(plot_err)?;
    Ok(())
}

/// One row per proposal theme: its label, the proposal's ring and each
/// measure's marker (with a band for a month or a year).
fn draw_lanes(root: &Root, lanes: &[Lane], l: &Layout) -> Result<()> {
    let (top, row_h, label_w) = (l.top, l.row_h, l.label_w);
    let x_of = |d| l.x_of(d);
    let label_style = (FONT, SMALL)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Right, VPos::Center));
    for (i, lane) in lanes.iter().enumerate() {
        let y = top + row_h * i as i32 + row_h / 2;
        root.draw(&Text::new(
            fit(&lane.label, SMALL, label_w - 14),
            (label_w - 8, y),
            label_style.clone(),
        ))
        .map_err(plot_err)?;
        let px = x_of(lane.proposal);
        let xs = lane.measures.iter().map(|m| x_of(m.0));
        let (lo, hi) = (
            xs.clone().min().unwrap_or(px).min(px),
            xs.max().unwrap_or(px).max(px),
        );
        root.draw(&PathElement::new(
            vec![(lo, y), (hi, y)],
            RGBColor(150, 150, 150).stroke_width(1),
        ))
        .map_err(plot_err)?;
        // Bands for month- and year-dated measures: the whole interval,
        // never an invented day.
        for (from, to, timing) in &lane.measures {
            let (x0, x1) = (x_of(*from), x_of(*to));
            if x1 - x0 > 4 {
                root.draw(&Rectangle::new(
                    [(x0, y - 4), (x1, y + 4)],
                    timing_colour(*timing).mix(0.3).filled(),
                ))
                .map_err(plot_err)?;
            }
        }
        // The proposal is a ring, drawn under the markers: a measure on
        // the same day shows inside it, never hidden.
        root.draw(&Circle::new((px, y), 8, BLACK.stroke_width(2)))
            .map_err(plot_err)?;
        for (from, to, timing) in &lane.measures {
            let x = (x_of(*from) + x_of(*to)) / 2;
            marker(root, (x, y), *timing)?;
        }
    }
    Ok(())
}

/// The legend: two lines, so it fits the width.
fn legend(root: &Root, a: &Analysis, l: &Layout) -> Result<()> {
    let axis_y = l.axis_y;
    let ly = axis_y + 40;
    let small = (FONT, SMALL)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let x0 = 16;
    root.draw(&Circle::new((x0, ly), 8, BLACK.stroke_width(2)))
        .map_err(plot_err)?;
    root.draw(&Text::new(
        "proposal (its date, or the session's opening day)",
        (x0 + 14, ly),
        small.clone(),
    ))
    .map_err(plot_err)?;
    let x1 = x0 + 400;
    root.draw(&PathElement::new(
        vec![(x1, ly - 8), (x1, ly + 8)],
        RGBColor(180, 180, 180).stroke_width(2),
    ))
    .map_err(plot_err)?;
    root.draw(&Text::new(
        format!(
            "as of {}; a band: a measure dated only by month or year",
            a.adoption.as_of.format("%Y-%m-%d")
        ),
        (x1 + 8, ly),
        small.clone(),
    ))
    .map_err(plot_err)?;
    let ly2 = ly + 28;
    let mut x = x0;
    for (t, text) in [
        (Timing::Later, "later measure"),
        (Timing::Concurrent, "concurrent (within the window)"),
        (Timing::UnderWay, "under way before, completed later"),
        (Timing::Preceded, "preceded the proposal"),
    ] {
        marker(root, (x, ly2), t)?;
        root.draw(&Text::new(text, (x + 12, ly2), small.clone()))
            .map_err(plot_err)?;
        x += 12 + text_width(text, SMALL) + 28;
    }
    Ok(())
}
