//! `delegates/<id>.md`: one page per delegate with records. A lead made
//! from the data, body and terms, themes year by year by category,
//! recurring and returning themes, every linked measure, every source.

use std::fmt::Write as _;

use super::{
    delegate_name, names_legend, plural, proposal_ref, source, star, theme_label, timing_word,
    FOLLOWED_MEANS, TIMING_MEANS, WEAK_SOURCE,
};
use crate::dataset::{Confidence, Timing};
use crate::pipeline::Analysis;
use crate::report::escape::md;
use crate::report::format::percent;
use crate::summary::ProfilePage;

/// The page.
pub fn page(a: &Analysis, page: &ProfilePage) -> String {
    let d = page.delegate;
    let m = &a.model;
    let ds = &m.ds;
    let x = &ds.delegates[d];
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", delegate_name(ds, d));
    let _ = writeln!(
        s,
        "[Index](../README.md) · [History](../history.md) · [Follow-up](../adoption.md)\n"
    );

    let p = &page.lead;
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
    let c = &page.comparison;
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

    body_and_terms(&mut s, a, page);
    themes_year_by_year(&mut s, a, page);
    recurring_and_returning(&mut s, a, page);
    measures_on_the_themes(&mut s, a, page);
    proposals_and_sources(&mut s, a, page);
    s
}

/// "law", or "law (draft)".
fn kind_stage(me: &crate::dataset::Adoption) -> String {
    match me.stage {
        crate::dataset::Stage::Final => me.kind.as_str().to_string(),
        crate::dataset::Stage::Draft => format!("{} (draft)", me.kind.as_str()),
    }
}

/// The delegate's bodies and terms, as the memberships give them, and any move between bodies.
fn body_and_terms(s: &mut String, a: &Analysis, page: &ProfilePage) {
    let d = page.delegate;
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
    for &(y1, y2, b1, b2) in &page.moves {
        let _ = writeln!(
            s,
            "- Moved from the {} ({y1}) to the {} ({y2}).",
            ds.bodies.name(b1),
            ds.bodies.name(b2),
        );
    }
    let _ = writeln!(s);
}

/// The theme-by-year matrix, by category.
fn themes_year_by_year(s: &mut String, a: &Analysis, page: &ProfilePage) {
    let m = &a.model;
    let ds = &m.ds;
    let _ = writeln!(s, "## Themes year by year\n");
    let _ = writeln!(
        s,
        "● raised that year; ○ a record that year, theme not raised; ?: a member, no record found; ·: no record, membership unknown; –: not a member.\n"
    );
    let years_header: String = m.years.iter().map(|y| format!(" {y} |")).collect();
    let years_rule: String = m.years.iter().map(|_| ":-:|").collect();
    let _ = writeln!(
        s,
        "| Category | Theme |{years_header}\n|---|---|{years_rule}"
    );
    for (cat, rows) in &page.by_category {
        for t in rows.iter().map(|&i| &page.rows[i]) {
            let _ = writeln!(
                s,
                "| {} | {} |{}",
                md(cat),
                theme_label(ds, t.theme as usize),
                super::matrix_cells(&t.cells)
            );
        }
    }
    let _ = writeln!(s);
}

/// The themes raised in more than one year, and those raised again after a gap.
fn recurring_and_returning(s: &mut String, a: &Analysis, page: &ProfilePage) {
    let ds = &a.model.ds;
    let _ = writeln!(s, "## Recurring and returning themes\n");
    let p = &page.lead;
    if p.recurring.is_empty() && p.returning.is_empty() {
        let _ = writeln!(
            s,
            "No theme is raised in more than one year of the records.\n"
        );
    }
    for t in page.rows.iter().filter(|t| t.years.len() >= 2) {
        let ys: Vec<String> = t.years.iter().map(|y| y.to_string()).collect();
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
}

/// Every measure on the delegate's themes, with its timing and whether it counts.
fn measures_on_the_themes(s: &mut String, a: &Analysis, page: &ProfilePage) {
    let ds = &a.model.ds;
    let _ = writeln!(s, "## Measures on the same themes\n");
    if page.links.is_empty() {
        let _ = writeln!(s, "No measure in `adoptions.csv` is on these themes.\n");
        return;
    }
    let _ = writeln!(
        s,
        "| Proposal | Theme | Measure | Date | Kind | Timing | Lag (days) | Counts as a follow-up |\n|---|---|---|---|---|---|---:|---|"
    );
    for &(ref shown, deciding) in &page.links {
        let l = &shown.link;
        let me = &ds.adoptions[l.measure as usize];
        let _ = writeln!(
            s,
            "| {} | {} | {}{}{} | {} | {} | {} | {} | {} |",
            proposal_ref(ds, l.proposal as usize),
            theme_label(ds, l.theme as usize),
            md(&me.measure),
            super::flag(me.confidence == Some(Confidence::Low)),
            star(shown.names_proposer),
            me.date,
            kind_stage(me),
            timing_word(l.timing),
            l.lag_days.map_or("—".into(), |d| d.to_string()),
            match (l.timing, me.stage, deciding) {
                (Timing::Later, crate::dataset::Stage::Draft, true) => {
                    "a draft: makes `followed` partial at most"
                }
                (Timing::Later, crate::dataset::Stage::Draft, false) => "a draft: not by itself",
                (Timing::Later, _, true) => "yes, and decides `followed`",
                (Timing::Later, _, false) => "yes",
                _ => "no",
            }
        );
    }
    let _ = writeln!(s);
}

/// Every proposal with its source.
fn proposals_and_sources(s: &mut String, a: &Analysis, page: &ProfilePage) {
    let ds = &a.model.ds;
    let _ = writeln!(s, "## Proposals and sources\n");
    for (pi, text) in &page.sources {
        let pr = &ds.proposals[*pi];
        let _ = writeln!(
            s,
            "- {} {}: {}. Source: {}",
            pr.year,
            ds.bodies.name(pr.body),
            proposal_ref(ds, *pi),
            source(text)
        );
    }
}
