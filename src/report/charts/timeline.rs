//! The timeline from each proposal theme to the measures on its theme,
//! one marker shape and colour per timing.

use std::collections::{BTreeMap, BinaryHeap};

use anyhow::{anyhow, Result};
use chrono::{Datelike, NaiveDate};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{fit, plot_err, short_name, text_width, FONT, MAX_ROWS, MAX_WIDTH, SMALL};
use crate::dataset::Timing;
use crate::report::Analysis;

/// One row of the timeline: a proposal theme and the measures on it.
struct Lane {
    label: String,
    proposal: NaiveDate,
    /// The proposal and theme.
    key: (u32, u32),
    /// (first day, last day, timing) of each measure.
    measures: Vec<(NaiveDate, NaiveDate, Timing)>,
}

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

/// Rows per year out of `max`: an equal share each, a year with fewer
/// rows than its share giving the rest to the others; with room for all,
/// every row.
fn year_quotas(per_year: &BTreeMap<i32, usize>, max: usize) -> BTreeMap<i32, usize> {
    let mut quota: BTreeMap<i32, usize> = per_year.keys().map(|&y| (y, 0)).collect();
    let mut left = max;
    loop {
        let open: Vec<i32> = (per_year.iter())
            .filter(|(y, &n)| quota[y] < n)
            .map(|(&y, _)| y)
            .collect();
        if open.is_empty() || left == 0 {
            return quota;
        }
        // One round: each open year gets an equal part, the latest years
        // taking the remainder one each.
        let share = (left / open.len()).max(1);
        for &y in open.iter().rev() {
            if left == 0 {
                break;
            }
            let take = share.min(per_year[&y] - quota[&y]).min(left);
            *quota.get_mut(&y).expect("every year has a quota") += take;
            left -= take;
        }
    }
}

pub(super) fn timeline(a: &Analysis) -> Result<String> {
    let m = &a.model;
    let ds = &m.ds;
    // One lane per proposal theme with any measure on its theme. When
    // there are more than MAX_ROWS, every session year gets an equal share
    // of the rows (a year with fewer linked proposal themes gives its
    // unused share to the others), and within a year the delegates take
    // turns: the earliest years and the first names never crowd out the
    // others. Two passes over
    // the linked proposal themes, neither holding them: the first counts
    // them per year, the second keeps each year's first in a bounded heap
    // (at scale a session holds millions).
    let label = |p: usize, t: usize| {
        format!(
            "{} {} · {}",
            ds.proposals[p].year,
            short_name(ds, m.delegate_of[p]),
            ds.themes[t].label_en
        )
    };
    let mut per_year: BTreeMap<i32, usize> = BTreeMap::new();
    a.adoption.for_each_linked(m, &mut |_, p, _| {
        *per_year.entry(ds.proposals[p as usize].year).or_default() += 1
    });
    let total: usize = per_year.values().sum();
    let quota = year_quotas(&per_year, MAX_ROWS);
    // Within a year the delegates take turns: each one's first proposal
    // theme (in table order), then each one's second, and so on, so that
    // no delegate crowds out the others; ties by label.
    type Kept = BinaryHeap<(usize, String, usize, usize, NaiveDate)>;
    let mut kept: BTreeMap<i32, Kept> = BTreeMap::new();
    // Per delegate: the year being walked and how many of its linked
    // proposal themes came before in it. The year files are read in year
    // order, so a delegate's year is walked in one stretch.
    let mut turns: Vec<(i32, usize)> = vec![(i32::MIN, 0); ds.delegates.len()];
    a.adoption.for_each_linked(m, &mut |date, p, t| {
        let (p, t) = (p as usize, t as usize);
        let year = ds.proposals[p].year;
        // The proposal theme's place among its delegate's linked proposal
        // themes that year.
        let turn = &mut turns[m.delegate_of[p]];
        if turn.0 != year {
            *turn = (year, 0);
        }
        let rank = turn.1;
        turn.1 += 1;
        let room = quota.get(&year).copied().unwrap_or(0);
        let heap = kept.entry(year).or_default();
        // A later turn than every row kept cannot enter: skip the label.
        if heap.len() >= room && heap.peek().is_none_or(|top| rank > top.0) {
            return;
        }
        heap.push((rank, label(p, t), p, t, date));
        if heap.len() > room {
            heap.pop();
        }
    });
    let mut lanes: Vec<(NaiveDate, String, usize, usize)> = kept
        .into_values()
        .flat_map(|h| h.into_iter().map(|(_, l, p, t, d)| (d, l, p, t)))
        .collect();
    lanes.sort_unstable();
    let mut lanes: Vec<Lane> = lanes
        .into_iter()
        .map(|(date, label, p, t)| Lane {
            label,
            proposal: date,
            key: (p as u32, t as u32),
            measures: Vec::new(),
        })
        .collect();
    // Measures only for the lanes drawn.
    for lane in &mut lanes {
        lane.measures = a
            .adoption
            .links_of(m, lane.key.0, lane.key.1)
            .iter()
            .map(|l| {
                let me = &ds.adoptions[l.measure as usize];
                (me.date.start(), me.date.end(), l.timing)
            })
            .collect();
    }

    // The axis spans the proposals and every measure drawn, to as-of.
    let first_year = lanes
        .iter()
        .flat_map(|l| l.measures.iter().map(|x| x.0).chain([l.proposal]))
        .map(|d| d.year())
        .min()
        .or(m.years.first().copied())
        .unwrap_or(2000);
    let last_year = a.adoption.as_of.year().max(first_year);
    let start =
        NaiveDate::from_ymd_opt(first_year, 1, 1).ok_or_else(|| anyhow!("year out of range"))?;
    let end =
        NaiveDate::from_ymd_opt(last_year + 1, 1, 1).ok_or_else(|| anyhow!("year out of range"))?;
    let span = (end - start).num_days().max(1) as f64;

    // Labels take at most 40% of the width; the plot takes the rest.
    let label_w = lanes
        .iter()
        .map(|l| text_width(&l.label, SMALL))
        .max()
        .unwrap_or(120)
        .clamp(120, MAX_WIDTH * 2 / 5)
        + 16;
    let width = MAX_WIDTH;
    let plot_w = width - label_w - 24;
    let (row_h, top, bottom) = (24, 84, 96);
    let height = top + row_h * lanes.len().max(1) as i32 + bottom;
    let x_of = |d: NaiveDate| {
        label_w + ((d - start).num_days() as f64 / span * plot_w as f64).round() as i32
    };

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
        let axis_y = top + row_h * lanes.len().max(1) as i32 + 6;
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
                let mid = x_of(
                    NaiveDate::from_ymd_opt(y, 7, 1).ok_or_else(|| anyhow!("year out of range"))?,
                );
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
                marker(&root, (x, y), *timing)?;
            }
        }
        // Legend: two lines, so it fits the width.
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
            marker(&root, (x, ly2), t)?;
            root.draw(&Text::new(text, (x + 12, ly2), small.clone()))
                .map_err(plot_err)?;
            x += 12 + text_width(text, SMALL) + 28;
        }
        root.present().map_err(plot_err)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::year_quotas;
    use std::collections::BTreeMap;

    fn quotas(counts: &[(i32, usize)], max: usize) -> Vec<usize> {
        let per_year: BTreeMap<i32, usize> = counts.iter().copied().collect();
        year_quotas(&per_year, max).into_values().collect()
    }

    #[test]
    fn every_year_gets_an_equal_share_and_small_years_give_theirs_away() {
        // The skew this replaced: 40 early rows, 18 recent ones.
        assert_eq!(
            quotas(
                &[(2018, 20), (2019, 20), (2023, 6), (2024, 6), (2025, 6)],
                40
            ),
            vec![11, 11, 6, 6, 6]
        );
        assert_eq!(quotas(&[(2018, 100), (2019, 100)], 40), vec![20, 20]);
        // Room for everything: everything.
        assert_eq!(quotas(&[(2018, 3), (2019, 4)], 40), vec![3, 4]);
        // More years than rows: the latest years first.
        assert_eq!(quotas(&[(2018, 5), (2019, 5), (2020, 5)], 2), vec![0, 1, 1]);
    }

    #[test]
    fn quotas_never_pass_the_rows_or_the_maximum() {
        for max in [0, 1, 7, 40] {
            for counts in [
                vec![(1, 0)],
                vec![(1, 9), (2, 1), (3, 50)],
                vec![(1, 40), (2, 40)],
            ] {
                let q = quotas(&counts, max);
                let rows: usize = counts.iter().map(|c| c.1).sum();
                assert_eq!(q.iter().sum::<usize>(), rows.min(max), "{counts:?} {max}");
                assert!(q.iter().zip(&counts).all(|(q, c)| *q <= c.1));
            }
        }
    }
}
