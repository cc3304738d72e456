//! `adoption.md`: which proposal themes were followed by a later measure
//! on the same theme. Measures by kind and scope first, then rates by
//! delegate and theme with the follow-up time each had, every link, and
//! every measure with its source.

use std::fmt::Write as _;

use super::{
    against_cells, chance_heading, chance_means, delegate_name, flag, measure_theme, plural,
    proposal_ref, source, theme_label, timing_word, AGAINST_HEAD, AGAINST_RULE, FOLLOWED_MEANS,
    WEAK_SOURCE,
};
use crate::adoption::chance::Comparison;
use crate::adoption::Rate;
use crate::dataset::Confidence;
use crate::pipeline::Analysis;
use crate::report::escape::md;
use crate::report::format::{days, percent};
use crate::summary::{FollowUpPage, BUNDLES_SHOWN};

pub fn page(a: &Analysis, f: &FollowUpPage) -> String {
    let t = &a.adoption;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Follow-up: which proposal themes were followed by a later measure on the same theme?\n"
    );
    let _ = writeln!(s, "[Index](README.md)\n");
    let _ = writeln!(
        s,
        "A proposal theme is linked to every measure on the same theme, and to any measure that names the proposal. \
         This shows that a measure came before, around or after a proposal, never that the proposal caused it. \
         {FOLLOWED_MEANS} The measures are those curated in `adoptions.csv`, not every policy on these themes: \
         *no later measure* means none among them. {WEAK_SOURCE} On a measure, ⚠ marks a weak source for the measure.\n"
    );
    let window = format!(
        "\n- *Followed within the window*: by a later final measure dated at most **{} days** after the proposal (`--window-days`); \
         drafts never count. *Too recent*: the window has not ended by the as-of date and nothing has followed yet.",
        t.window_days
    );
    let _ = writeln!(
        s,
        "- Judged as of **{}**{}; measures dated later are left out.{}\n\
         - A measure is *concurrent* when it may fall within {} days either side of the proposal's date (the session's opening day when the source gives none), \
         *later* when it certainly falls after that window, *preceded* when it certainly falls before it. \
         *Under way* is the source's own judgement: the measure's process began before the proposal and was completed later, \
         so it is not counted as a follow-up and has no lag. \
         A measure dated only by month or year is compared as that whole month or year, never given an invented day, and has no lag in days.\n\
         - Evidence strength: law 5; regulation and standard 4; pilot and local rule 3; plan 2; reply 1.\n\
         - *Followed* (at any time): yes when a later measure is final and of full extent, partial when the later measures are all drafts or of partial extent.{window}\n",
        t.as_of.format("%Y-%m-%d"),
        super::as_of_source(a),
        if f.no_proposal_dated {
            " No proposal in the data has a date of its own: each is dated to its body's session opening \
             (`sessions.csv`), and every lag counts from that day."
        } else {
            ""
        },
        t.concurrent_days
    );

    against_chance(&mut s, a, f);

    measures_by_kind(&mut s, a, f);

    rates_by_delegate_and_theme(&mut s, a, f);
    links_and_lists(&mut s, a, f);
    every_measure(&mut s, a, f);
    s
}

/// Distinct measures counted once, by kind and scope, and how many are laws.
fn measures_by_kind(s: &mut String, a: &Analysis, f: &FollowUpPage) {
    let ds = &a.model.ds;
    let _ = writeln!(s, "## The measures, by kind and scope\n");
    let laws = f.final_laws;
    let total = ds.adoptions.len();
    let _ = writeln!(
        s,
        "{} in `adoptions.csv`, each counted once however many proposals it came after. {}{}\n",
        plural(total, "measure", "measures"),
        match laws {
            0 => "None of them is a final law.".to_string(),
            1 => "One of them is a final law.".to_string(),
            n => format!("{n} of them are final laws."),
        },
        match f.drafts {
            0 => String::new(),
            n => format!(
                " {} (open for comment, or a first or second reading), which never count as a follow-up by themselves.",
                plural(n, "is a draft", "are drafts")
            ),
        }
    );
    let _ = writeln!(
        s,
        "| Kind (strength) | National | Provincial | Local | All | Of them drafts |\n|---|---:|---:|---:|---:|---:|"
    );
    for k in &f.kinds {
        let _ = writeln!(
            s,
            "| {} ({}) | {} | {} | {} | {} | {} |",
            k.kind.as_str(),
            k.kind.strength(),
            k.national,
            k.provincial,
            k.local,
            k.all,
            k.drafts,
        );
    }
    let _ = writeln!(s);
}

fn rate_table(s: &mut String, what: &str) {
    let _ = writeln!(s, "| {what} | Proposal themes | Followed: yes | Followed: partial | Followed at any time, every measure (succession; no chance available) | Median lag (days) | Follow-up time (years) | Within the window, against chance: followed of judged; expected (lift) |\n|---|---:|---:|---:|---:|---:|---|---|");
}

fn rate_row(s: &mut String, label: &str, r: &Rate, c: Option<&Comparison>) {
    let years = |d: i64| days(d as f64 / 365.25);
    let chance = match c {
        Some(c) if c.judged > 0 => {
            let x = c.themes();
            format!(
                "{} of {}; {:.1} ({})",
                x.observed,
                x.n,
                x.expected,
                super::lift_cell(x)
            )
        }
        Some(c) if c.too_recent + c.open_followed > 0 => {
            "not judged: every window still open".to_string()
        }
        Some(c) if c.themes_searched > 0 => {
            "not judged: searches do not cover these years".to_string()
        }
        _ => "not judged: theme not searched".to_string(),
    };
    let _ = writeln!(
        s,
        "| {label} | {} | {} | {} | {} | {} | {} | {chance} |",
        r.total,
        r.yes,
        r.partial,
        percent(r.yes + r.partial, r.total),
        r.median_lag_days.map_or("—".into(), days),
        match r.followup_days {
            Some((lo, hi)) if years(lo) == years(hi) => years(lo),
            Some((lo, hi)) => format!("{}–{}", years(lo), years(hi)),
            None => "—".into(),
        }
    );
}

/// The comparison with chance by category, theme and delegate, with the
/// method first.
fn against_chance(s: &mut String, a: &Analysis, f: &FollowUpPage) {
    let ds = &a.model.ds;
    let t = &a.adoption;
    if !chance_heading(s, "##", t) {
        return;
    }
    let c = &t.compared;
    let _ = writeln!(
        s,
        "{} Only measures found by searching their theme enter the comparison, on both sides: those found by \
         following the proposals come after them by construction, and appear below as succession only. \
         It rests on {} and the {} the search found on them; {} of the {} proposal themes are on themes not searched for their \
         years and are left out.\n",
        chance_means(t),
        plural(c.themes_searched, "searched theme", "searched themes"),
        plural(c.measures, "final measure", "final measures"),
        c.unsearched,
        c.proposal_themes,
    );
    let _ = writeln!(s, "| Proposal themes | {AGAINST_HEAD}|---|{AGAINST_RULE}");
    super::against_rows(s, c, "All", "All, by proposal");
    let _ = writeln!(s);
    if !f.bundles.is_empty() {
        let names: Vec<String> = (f.bundles.iter())
            .map(|&p| md(&ds.proposals[p as usize].id))
            .collect();
        let more = f.more_bundles;
        let _ = writeln!(
            s,
            "Bundles, proposals with four or more themes, weigh more in the proposal-theme unit than in the proposal unit: {} in all ({}{}), of which {} judged.\n",
            plural(t.bundles.len(), "bundle", "bundles"),
            names.join(", "),
            if more > 0 {
                format!("; the first {BUNDLES_SHOWN} in table order, every one in `proposals.csv`")
            } else {
                String::new()
            },
            c.bundles,
        );
    }
    let _ = writeln!(
        s,
        "### By category\n\n{} of the {} categories raised have at least one proposal theme judged.\n",
        f.categories_judged.len(),
        t.compared_by_category.len()
    );
    let _ = writeln!(s, "| Category | {AGAINST_HEAD}|---|{AGAINST_RULE}");
    for (cat, c) in
        (f.categories_judged.iter()).filter_map(|k| t.compared_by_category.get_key_value(k))
    {
        let _ = writeln!(
            s,
            "| {} |{}",
            md(cat),
            against_cells(c.themes(), super::open_themes(c))
        );
    }
    let _ = writeln!(
        s,
        "\n### By theme\n\n{} of the {} themes raised have at least one proposal theme judged.\n",
        f.themes_judged.len(),
        t.compared_by_theme.len()
    );
    let _ = writeln!(s, "| Theme | {AGAINST_HEAD}|---|{AGAINST_RULE}");
    for (&th, c) in (f.themes_judged.iter()).filter_map(|k| t.compared_by_theme.get_key_value(k)) {
        let _ = writeln!(
            s,
            "| {} |{}",
            theme_label(ds, th),
            against_cells(c.themes(), super::open_themes(c))
        );
    }
    let _ = writeln!(
        s,
        "\n### By delegate\n\nDelegates with at least one proposal theme judged, in the order of the \
         delegates' list; a delegate's share means little without the chance beside it.\n"
    );
    let _ = writeln!(s, "| Delegate | {AGAINST_HEAD}|---|{AGAINST_RULE}");
    // Only delegates with a proposal theme judged: the rest have no row.
    for x in f.delegates.iter().filter(|x| x.comparison.judged > 0) {
        let c = &x.comparison;
        {
            let _ = writeln!(
                s,
                "| {} |{}",
                delegate_name(ds, x.delegate),
                against_cells(c.themes(), super::open_themes(c))
            );
        }
    }
    if let Some(note) = f.delegates_cut.note(&a.config.tables.cited("chance")) {
        let _ = writeln!(s, "\n{note}");
    }
    let _ = writeln!(s);
}

/// The follow-up at any time by delegate and by theme, each beside its
/// comparison with chance.
fn rates_by_delegate_and_theme(s: &mut String, a: &Analysis, f: &FollowUpPage) {
    let ds = &a.model.ds;
    let t = &a.adoption;
    let _ = writeln!(s, "## By delegate\n");
    let _ = writeln!(
        s,
        "*Follow-up time* is how long the delegate's proposals have had, from the proposal to {}: \
         recent proposals have had less time, so their shares are not comparable with older ones.\n",
        t.as_of.format("%Y-%m-%d")
    );
    if let Some(note) = f.delegates_cut.note(&a.config.tables.cited("adoption")) {
        let _ = writeln!(s, "{note}\n");
    }
    rate_table(s, "Delegate");
    for x in &f.delegates {
        rate_row(
            s,
            &delegate_name(ds, x.delegate),
            &x.rate,
            Some(&x.comparison),
        );
    }
    let _ = writeln!(s);

    let _ = writeln!(
        s,
        "## By theme\n\nThemes with at least one linked measure.\n"
    );
    rate_table(s, "Theme");
    for (th, r) in (f.themes_linked.iter()).filter_map(|th| t.by_theme.get_key_value(th)) {
        rate_row(s, &theme_label(ds, *th), r, t.compared_by_theme.get(th));
    }
    let _ = writeln!(s);
}

/// Every proposal theme's link to a measure on its theme (the first
/// ones), and the measures that came before every proposal or follow none.
fn links_and_lists(s: &mut String, a: &Analysis, f: &FollowUpPage) {
    let ds = &a.model.ds;
    let t = &a.adoption;
    let _ = writeln!(s, "## Proposal themes and the measures on the same theme\n");
    if let Some(note) = f.links_cut.note(&a.config.tables.cited("adoption_links")) {
        let span = match f.links_years {
            Some((lo, hi)) if lo != hi => {
                format!(" The rows shown are of proposals from {lo} to {hi} only.")
            }
            Some((lo, _)) => format!(" The rows shown are of proposals from {lo} only."),
            None => String::new(),
        };
        let _ = writeln!(s, "{note}{span}\n");
    }
    if t.names_proposer_links > 0 {
        let _ = writeln!(
            s,
            "{} of the {} links rest on a measure that names the proposer or the proposer's company (★): \
             the measure says whom it benefits, not that the proposal led to it.\n",
            t.names_proposer_links, t.link_count
        );
    }
    let _ = writeln!(s, "| Proposal | Delegate | Theme | Measure | Measure date | Timing | Lag (days) | Strength |\n|---|---|---|---|---|---|---:|---:|");
    for shown in &f.links {
        let l = &shown.link;
        let p = &ds.proposals[l.proposal as usize];
        let me = &ds.adoptions[l.measure as usize];
        let _ = writeln!(
            s,
            "| {} {} | {} | {} | {}{}{} | {} | {} | {} | {} |",
            p.year,
            proposal_ref(ds, l.proposal as usize),
            delegate_name(ds, a.model.delegate_of[l.proposal as usize]),
            theme_label(ds, l.theme as usize),
            md(&me.measure),
            flag(me.confidence == Some(Confidence::Low)),
            super::star(shown.names_proposer),
            me.date,
            timing_word(l.timing),
            l.lag_days.map_or("—".into(), |d| d.to_string()),
            l.strength
        );
    }
    let _ = writeln!(s);

    let list = |s: &mut String, title: &str, ids: &[usize], empty: &str| {
        let _ = writeln!(s, "## {title}\n");
        if ids.is_empty() {
            let _ = writeln!(s, "{empty}\n");
        }
        for &i in ids {
            let me = &ds.adoptions[i];
            let _ = writeln!(
                s,
                "- {} — {} ({}, {})",
                me.date,
                md(&me.measure),
                md(&me.issuer),
                measure_theme(ds, me)
            );
        }
        if !ids.is_empty() {
            let _ = writeln!(s);
        }
    };
    list(
        s,
        "Came before every proposal on its theme",
        &t.already_in_place,
        "None.",
    );
    list(s, "Not linked to any proposal", &t.unlinked, "None.");
    if !t.ignored.is_empty() {
        list(
            s,
            "Left out: dated after the as-of date",
            &t.ignored,
            "None.",
        );
    }
}

/// Every measure, with its source.
fn every_measure(s: &mut String, a: &Analysis, f: &FollowUpPage) {
    let ds = &a.model.ds;
    let t = &a.adoption;
    let _ = writeln!(s, "## Every measure, with its source\n");
    let _ = writeln!(s, "| Date | Measure | Issuer | Kind (strength) | Scope | Stage, extent | Theme | Proposal themes it came after | Source | Note |\n|---|---|---|---|---|---|---|---:|---|---|");
    for &i in &f.measures_by_date {
        let me = &ds.adoptions[i];
        let _ = writeln!(
            s,
            "| {} | {}{} | {} | {} ({}) | {} | {}, {} | {} | {} | {} | {} |",
            me.date,
            md(&me.measure),
            flag(me.confidence == Some(Confidence::Low)),
            md(&me.issuer),
            me.kind.as_str(),
            me.kind.strength(),
            me.scope.as_str(),
            me.stage.as_str(),
            me.extent.as_str(),
            measure_theme(ds, me),
            t.measures[i].themes_followed,
            source(&me.source),
            md(&me.note)
        );
    }
}
