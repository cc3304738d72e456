//! `delegates/<id>.md`: one page per delegate with records. A lead made
//! from the data, body and terms, themes year by year by category,
//! recurring and returning themes, every linked measure, every source.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{
    delegate_name, names_legend, plural, proposal_ref, source, theme_label, timing_word,
    FOLLOWED_MEANS, TIMING_MEANS, WEAK_SOURCE,
};
use crate::adoption::Followed;
use crate::dataset::{Confidence, Timing};
use crate::report::escape::md;
use crate::report::Analysis;
use crate::summary::{self, percent};

/// The page; the sources are read back from the year files, which can fail.
pub fn page(a: &Analysis, d: usize) -> std::io::Result<String> {
    let m = &a.model;
    let ds = &m.ds;
    let x = &ds.delegates[d];
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", delegate_name(ds, d));
    let _ = writeln!(
        s,
        "[Index](../README.md) · [History](../history.md) · [Follow-up](../adoption.md)\n"
    );

    let p = summary::profile(m, &a.adoption, d);
    // The lead: template sentences, each from one figure.
    let mut lead = format!(
        "{}{} has {} in the datasets, in {} ({}).",
        md(x.name_or_id()),
        if x.company.is_empty() {
            String::new()
        } else {
            format!(" ({})", md(&x.company))
        },
        plural(p.proposals, "proposal", "proposals"),
        plural(p.years.len(), "year", "years"),
        p.years
            .iter()
            .map(|y| y.to_string())
            .collect::<Vec<_>>()
            .join(", "),
    );
    if let Some((cat, n)) = &p.top_category {
        let _ = write!(
            lead,
            " The category raised most is {} ({} of {} proposal themes).",
            md(cat),
            n,
            p.proposal_themes
        );
    }
    if !p.recurring.is_empty() {
        let _ = write!(
            lead,
            " Raised in more than one year: {}.",
            p.recurring
                .iter()
                .map(|&t| theme_label(ds, t))
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    let _ = write!(
        lead,
        " {} of the {} proposal themes ({}) were followed at any time by a later measure on the same theme \
         (succession, every measure listed, not compared with chance).",
        p.followed,
        p.proposal_themes,
        percent(p.followed, p.proposal_themes)
    );
    let c = a.adoption.delegate_comparison(m, d);
    if c.judged > 0 {
        let x = c.themes();
        let _ = write!(
            lead,
            " Within {} days, {} of the {} proposal themes judged against chance (on themes searched \
             independently of the proposals, window passed) {} followed, where chance gives {:.1} (5–95%: {}–{}).",
            a.adoption.window_days,
            x.observed,
            c.judged,
            if x.observed == 1 { "was" } else { "were" },
            x.expected,
            x.low,
            x.high
        );
    }
    let not_judged = c.proposal_themes - c.judged;
    if not_judged > 0 && a.adoption.compared.themes_searched > 0 {
        let _ = write!(
            lead,
            " {} not judged: {} with the window still open ({} of them already followed), {} on themes not searched for these years.",
            plural(not_judged, "proposal theme is", "proposal themes are"),
            c.too_recent + c.open_followed,
            c.open_followed,
            c.unsearched,
        );
    }
    if p.low > 0 {
        let _ = write!(
            lead,
            " {} of the {} {} on a weak source (⚠).",
            p.low,
            plural(p.proposals, "proposal", "proposals"),
            if p.low == 1 { "rests" } else { "rest" }
        );
    }
    let _ = writeln!(s, "{lead}\n");
    let _ = writeln!(
        s,
        "{FOLLOWED_MEANS} {TIMING_MEANS} {WEAK_SOURCE}{} Years without a record mean no record was found, not that nothing was proposed.\n",
        names_legend(ds)
    );

    body_and_terms(&mut s, a, d)?;
    themes_year_by_year(&mut s, a, d)?;
    recurring_and_returning(&mut s, a, d, &p)?;
    measures_on_the_themes(&mut s, a, d)?;
    proposals_and_sources(&mut s, a, d)?;
    Ok(s)
}

/// "law", or "law (draft)".
fn kind_stage(me: &crate::dataset::Adoption) -> String {
    match me.stage {
        crate::dataset::Stage::Final => me.kind.as_str().to_string(),
        crate::dataset::Stage::Draft => format!("{} (draft)", me.kind.as_str()),
    }
}

/// The delegate's bodies and terms, as the memberships give them, and any move between bodies.
fn body_and_terms(s: &mut String, a: &Analysis, d: usize) -> std::io::Result<()> {
    let m = &a.model;
    let ds = &m.ds;
    let _ = writeln!(s, "## Body and terms\n");
    if !m.has_terms(d) {
        let _ = writeln!(
            s,
            "No membership is recorded in `memberships.csv`: the years in office are unknown.\n"
        );
    }
    for t in m.terms(d) {
        let open_end = match t.last_seen {
            Some(y) => format!("a member until at least {y}, later years unknown"),
            None => "no end recorded".to_string(),
        };
        let years = match (t.from, t.to) {
            (Some(f), Some(to)) => format!("{f}–{to}"),
            (Some(f), None) => format!("from {f}, {open_end}"),
            (None, Some(to)) => format!("until {to} (start before the datasets' years)"),
            (None, None) => format!("from before the datasets' first year, {open_end}"),
        };
        let _ = writeln!(
            s,
            "- {}, {years}. Source: {}{}",
            ds.bodies.name(t.body),
            source(&t.source),
            if t.note.is_empty() {
                String::new()
            } else {
                format!(" ({})", md(&t.note))
            }
        );
    }
    for w in m.years.windows(2) {
        if let Some((b1, b2)) = summary::moved(m, d, w[0], w[1]) {
            let _ = writeln!(
                s,
                "- Moved from the {} ({}) to the {} ({}).",
                ds.bodies.name(b1),
                w[0],
                ds.bodies.name(b2),
                w[1]
            );
        }
    }
    let _ = writeln!(s);

    // Themes year by year, grouped by category.
    Ok(())
}

/// The theme-by-year matrix, by category.
fn themes_year_by_year(s: &mut String, a: &Analysis, d: usize) -> std::io::Result<()> {
    let m = &a.model;
    let ds = &m.ds;
    let h = &a.history;
    let _ = writeln!(s, "## Themes year by year\n");
    let _ = writeln!(
        s,
        "● raised that year; ○ a record that year, theme not raised; blank: a member, no record found; ·: no record, membership unknown; –: not a member.\n"
    );
    let years_header: String = m.years.iter().map(|y| format!(" {y} |")).collect();
    let years_rule: String = m.years.iter().map(|_| ":-:|").collect();
    let active: Vec<i32> = m.proposals_of(d).map(|p| ds.proposals[p].year).collect();
    let mut by_category: BTreeMap<&str, Vec<&crate::diff::history::ThemeHistory>> = BTreeMap::new();
    for t in h.rows_of(d as u32) {
        by_category
            .entry(ds.themes[t.theme as usize].category.as_str())
            .or_default()
            .push(t);
    }
    let _ = writeln!(
        s,
        "| Category | Theme |{years_header}\n|---|---|{years_rule}"
    );
    for (cat, rows) in &by_category {
        for t in rows {
            let cells = super::matrix_cells(m, d, h.years(t), &active);
            let _ = writeln!(
                s,
                "| {} | {} |{cells}",
                md(cat),
                theme_label(ds, t.theme as usize)
            );
        }
    }
    let _ = writeln!(s);
    Ok(())
}

/// The themes raised in more than one year, and those raised again after a gap.
fn recurring_and_returning(
    s: &mut String,
    a: &Analysis,
    d: usize,
    p: &summary::Profile,
) -> std::io::Result<()> {
    let m = &a.model;
    let ds = &m.ds;
    let h = &a.history;
    let _ = writeln!(s, "## Recurring and returning themes\n");
    if p.recurring.is_empty() && p.returning.is_empty() {
        let _ = writeln!(
            s,
            "No theme is raised in more than one year of the records.\n"
        );
    }
    for t in h.rows_of(d as u32) {
        let years = h.years(t);
        if years.len() < 2 {
            continue;
        }
        let ys: Vec<String> = years.iter().map(|y| y.to_string()).collect();
        let _ = writeln!(
            s,
            "- {}: raised in {}; longest streak {} {}{}.",
            theme_label(ds, t.theme as usize),
            ys.join(", "),
            t.longest_streak,
            if t.longest_streak == 1 {
                "year"
            } else {
                "years"
            },
            if t.returning {
                "; returning (absent in a year with records, then raised again)"
            } else {
                ""
            }
        );
    }
    let _ = writeln!(s);
    Ok(())
}

/// Every measure on the delegate's themes, with its timing and whether it counts.
fn measures_on_the_themes(s: &mut String, a: &Analysis, d: usize) -> std::io::Result<()> {
    let m = &a.model;
    let ds = &m.ds;
    let _ = writeln!(s, "## Measures on the same themes\n");
    // Each link with the verdict on its proposal theme, in table order.
    let mut links = Vec::new();
    for p in m.proposals_of(d) {
        for t in &m.tags[p] {
            if let Some((v, mine)) = a.adoption.judged(m, p as u32, t.theme) {
                links.extend(mine.into_iter().map(|l| (l, v.clone())));
            }
        }
    }
    if links.is_empty() {
        let _ = writeln!(s, "No measure in `adoptions.csv` is on these themes.\n");
    } else {
        let _ = writeln!(
            s,
            "| Proposal | Theme | Measure | Date | Kind | Timing | Lag (days) | Counts as a follow-up |\n|---|---|---|---|---|---|---:|---|"
        );
        for (l, v) in links {
            let me = &ds.adoptions[l.measure as usize];
            let deciding = v.deciding_measure == Some(l.measure) && v.followed != Followed::No;
            let _ = writeln!(
                s,
                "| {} | {} | {}{}{} | {} | {} | {} | {} | {} |",
                proposal_ref(ds, l.proposal as usize),
                theme_label(ds, l.theme as usize),
                md(&me.measure),
                super::flag(me.confidence == Some(Confidence::Low)),
                super::names_mark(m, l.measure as usize, l.proposal as usize),
                me.date,
                kind_stage(me),
                timing_word(l.timing),
                l.lag_days.map_or("—".into(), |d| d.to_string()),
                match (l.timing, me.stage, deciding) {
                    (Timing::Later, crate::dataset::Stage::Draft, true) => {
                        "a draft: makes `followed` partial at most"
                    }
                    (Timing::Later, crate::dataset::Stage::Draft, false) =>
                        "a draft: not by itself",
                    (Timing::Later, _, true) => "yes, and decides `followed`",
                    (Timing::Later, _, false) => "yes",
                    _ => "no",
                }
            );
        }
        let _ = writeln!(s);
    }
    Ok(())
}

/// Every proposal with its source.
fn proposals_and_sources(s: &mut String, a: &Analysis, d: usize) -> std::io::Result<()> {
    let m = &a.model;
    let ds = &m.ds;
    let _ = writeln!(s, "## Proposals and sources\n");
    let mut text = crate::dataset::TextReader::lookup(ds);
    for pi in m.proposals_of(d) {
        let pr = &ds.proposals[pi];
        let _ = writeln!(
            s,
            "- {} {}: {}. Source: {}",
            pr.year,
            ds.bodies.name(pr.body),
            proposal_ref(ds, pi),
            source(text.read(pi)?.source())
        );
    }
    Ok(())
}
