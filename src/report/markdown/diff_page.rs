//! `diff-<A>-<B>.md`: one year pair. A summary table, then a section per
//! delegate: the proposals of both years, new themes (first time apart
//! from returning), themes not raised again, recurring themes with the
//! follow-up verdict and how the wording moved.

use std::fmt::Write as _;

use super::{
    delegate_name, diff_file, names_legend, plural, proposal_ref, source, theme_label,
    verdict_cell, FOLLOWED_MEANS, TIMING_MEANS, WEAK_SOURCE,
};
use crate::adoption::AdoptionTables;
use crate::dataset::Confidence;
use crate::diff::wording::Piece;
use crate::diff::{Change, DelegateChange, State, ThemeChange, YearDiff};
use crate::normalize::Model;
use crate::report::escape::md;
use crate::summary::{Arrival, DelegateSection, PairPage};

/// What a year pair's page needs: the model and the follow-up tables.
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    pub model: &'a Model,
    pub adoption: &'a AdoptionTables,
    /// Per delegate index: whether it has a profile page, when the pages
    /// have profiles.
    pub profiles: Option<&'a [bool]>,
    /// The format of the tables the page points to.
    pub tables: crate::report::Tables,
}

/// One year pair's page on its own, without links to its neighbours.
pub fn single_diff_page(
    model: &Model,
    adoption: &AdoptionTables,
    d: &YearDiff,
) -> std::io::Result<String> {
    Ok(page(
        Inputs {
            model,
            adoption,
            profiles: None,
            tables: Default::default(),
        },
        &PairPage::new(model, adoption, d.clone())?,
        None,
        None,
    ))
}

/// The page.
pub fn page(
    a: Inputs,
    pair: &PairPage,
    prev: Option<&YearDiff>,
    next: Option<&YearDiff>,
) -> String {
    let ds = &a.model.ds;
    let d = &pair.diff;
    let mut s = String::new();
    let _ = writeln!(s, "# {} → {}: what each delegate raised\n", d.from, d.to);
    // Links only within a report tree: a page printed alone (`diff
    // --format md`) has no index beside it.
    if a.profiles.is_some() {
        let mut nav = vec!["[Index](README.md)".to_string()];
        if let Some(p) = prev {
            nav.insert(0, format!("[← {} → {}]({})", p.from, p.to, diff_file(p)));
        }
        if let Some(n) = next {
            nav.push(format!("[{} → {} →]({})", n.from, n.to, diff_file(n)));
        }
        let _ = writeln!(s, "{}\n", nav.join(" · "));
    }

    let (counts, cut) = (&pair.counts, &pair.cut);
    let _ = writeln!(
        s,
        "{} with records in {} or {}; themes compared for the {} with records in both. \
         In all: {} new ({} raised for the first time in the records, {} returning after a gap), \
         {} dropped, {} recurring.\n",
        plural(cut.total, "delegate", "delegates"),
        d.from,
        d.to,
        counts.continuing,
        counts.first_raised + counts.returning,
        counts.first_raised,
        counts.returning,
        counts.dropped,
        counts.recurring,
    );
    let _ = writeln!(
        s,
        "*Dropped* means not raised in the records found for {}: the sources may simply not mention it. \
         {FOLLOWED_MEANS} {TIMING_MEANS} {WEAK_SOURCE}{} *Title similarity* (0 to 1) compares the delegate's \
         own titles (`title_zh`) of a recurring theme's proposals in the two years, character by character, traditional characters \
         folded to simplified; \
         — where either year has no original title on record (the English titles are the curators' glosses, \
         never compared).\n",
        d.to,
        names_legend(ds)
    );
    if let Some(note) = cut.note(&format!(
        "`{}` and `{}`",
        a.tables.file("theme_changes"),
        a.tables.file("delegate_changes")
    )) {
        let _ = writeln!(s, "{note}\n");
    }
    let shown: Vec<(&DelegateChange, &DelegateSection)> = (cut.shown.iter())
        .map(|&i| (&d.delegates[i], &pair.sections[i]))
        .collect();

    let _ = writeln!(s, "## Summary\n");
    // A Company column only when the study has companies.
    let companies = ds.has_companies();
    let _ = writeln!(
        s,
        "| Delegate |{} State | New | Dropped | Recurring |\n|---|{}---|---:|---:|---:|",
        if companies { " Company |" } else { "" },
        if companies { "---|" } else { "" }
    );
    for &(x, sec) in &shown {
        let cont = x.state == State::Continuing;
        let n = |count: usize| {
            if cont {
                count.to_string()
            } else {
                "—".into()
            }
        };
        let _ = writeln!(
            s,
            "| [{}](#{}) |{} {} | {} | {} | {} |",
            delegate_name(ds, x.delegate as usize),
            anchor(&ds.delegates[x.delegate as usize].id),
            if companies {
                format!(" {} |", md(&ds.delegates[x.delegate as usize].company))
            } else {
                String::new()
            },
            state_words(a, x, sec),
            n(sec.new),
            n(sec.dropped),
            n(sec.recurring)
        );
    }
    let _ = writeln!(s);

    for &(x, sec) in &shown {
        delegate_section(&mut s, a, d, x, sec);
    }
    s
}

/// The state column: the CSV's state, in words that claim no more.
fn state_words(a: Inputs, x: &DelegateChange, sec: &DelegateSection) -> String {
    let base = match (x.state, sec.arrival) {
        (_, Some(Arrival::FirstRecord)) => "first record",
        (_, Some(Arrival::Joined)) => "joined",
        (_, Some(Arrival::Resumed)) => "records resume",
        (State::NoRecord, _) => "no record found",
        (s, _) => s.as_str(),
    };
    match sec.moved {
        Some((b1, b2)) => format!(
            "{base} (moved {} → {})",
            a.model.ds.bodies.name(b1),
            a.model.ds.bodies.name(b2)
        ),
        None => base.to_string(),
    }
}

fn delegate_section(
    s: &mut String,
    a: Inputs,
    d: &YearDiff,
    x: &DelegateChange,
    sec: &DelegateSection,
) {
    let ds = &a.model.ds;
    let dl = &ds.delegates[x.delegate as usize];
    let _ = writeln!(s, "<a id=\"{}\"></a>\n", anchor(&dl.id));
    let _ = writeln!(s, "## {}\n", delegate_name(ds, x.delegate as usize));
    if let Some(true) = a.profiles.and_then(|p| p.get(x.delegate as usize).copied()) {
        let file = super::profile_file(ds, x.delegate as usize);
        let _ = writeln!(s, "[Profile: every year and source](delegates/{file})\n");
    }
    for year in [d.from, d.to] {
        let mut none = true;
        for p in sec.proposals.iter().filter(|p| p.year == year) {
            none = false;
            // A trailing backslash is a hard line break in CommonMark.
            let _ = writeln!(
                s,
                "- {year}: {} {}\\",
                ds.bodies.name(ds.proposals[p.proposal].body),
                proposal_ref(ds, p.proposal)
            );
            if !p.summary.is_empty() {
                let _ = writeln!(s, "  {}\\", md(&p.summary));
            }
            let _ = writeln!(s, "  Source: {}", source(&p.source));
        }
        if none {
            let _ = writeln!(s, "- {year}: no record found");
        }
    }
    let _ = writeln!(s);
    if let Some((b1, b2)) = sec.moved {
        let _ = writeln!(
            s,
            "Moved between bodies: {} in {}, {} in {}.\n",
            ds.bodies.name(b1),
            d.from,
            ds.bodies.name(b2),
            d.to
        );
    }
    if let Some(why) = why_not_compared(a, d, x, sec) {
        let _ = writeln!(s, "{why}\n");
        return;
    }
    let all = d.themes_of_delegate(x.delegate);
    let mine: Vec<&ThemeChange> = sec.theme_order.iter().map(|&i| &all[i]).collect();
    change_sections(s, a, d, sec, &mine);
    recurring_section(s, a, d, sec, &mine);
}

/// Why a delegate with records in only one of the years is not compared,
/// and which themes are therefore not counted as dropped or new.
fn why_not_compared(
    a: Inputs,
    d: &YearDiff,
    x: &DelegateChange,
    sec: &DelegateSection,
) -> Option<String> {
    let ds = &a.model.ds;
    // A delegate without records in one of the years: say why, and list
    // the themes that are *not* counted as dropped or new.
    let labels = |themes: &[u32]| {
        themes
            .iter()
            .map(|&t| theme_label(ds, t as usize))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let (from_themes, to_themes) = (
        labels(d.themes_of(x.themes_from)),
        labels(d.themes_of(x.themes_to)),
    );
    // Why membership in a year is unknown, when it is.
    let unknown = |in_year: bool| match (sec.terms_unknown, in_year) {
        (true, _) => Some("no row in `memberships.csv`".to_string()),
        (false, true) => Some(last_confirmed(sec.last_confirmed)),
        (false, false) => None,
    };
    match (x.state, sec.arrival) {
        (State::Continuing, _) => None,
        (State::Left, _) => Some(format!(
            "Not a member in {}: left the body. Not counted as dropped: {from_themes}.",
            d.to
        )),
        (State::NoRecord, _) if sec.terms_unknown => Some(format!(
            "No record was found in {}; the years in office are unknown (no row in `memberships.csv`). Not counted as dropped: {from_themes}.",
            d.to
        )),
        (State::NoRecord, _) if sec.unknown_in.1 => Some(format!(
            "No record was found in {}; membership that year is unknown ({}). Not counted as dropped: {from_themes}.",
            d.to,
            last_confirmed(sec.last_confirmed)
        )),
        (State::NoRecord, _) => Some(format!(
            "Still a member in {}, but no record was found: no data, not \"no proposals\". Not counted as dropped: {from_themes}.",
            d.to
        )),
        (_, Some(Arrival::Joined)) => Some(format!(
            "Not a member in {}: joined the body. Not counted as new: {to_themes}.",
            d.from
        )),
        (_, Some(Arrival::FirstRecord)) => Some(match unknown(sec.unknown_in.0) {
            Some(why) => format!(
                "{} is the first year with a record for this delegate in the datasets; membership in {} is unknown ({why}). Not counted as new: {to_themes}.",
                d.to, d.from
            ),
            None => format!(
                "{} is the first year with a record for this delegate in the datasets (a member in {}, no record found there). Not counted as new: {to_themes}.",
                d.to, d.from
            ),
        }),
        (_, _) => Some(match unknown(sec.unknown_in.0) {
            Some(why) => format!(
                "No record was found in {}, with records before it; membership then is unknown ({why}). Records resume in {}. Not counted as new: {to_themes}.",
                d.from, d.to
            ),
            None => format!(
                "A member in {} with no record found there; records resume in {}. Not counted as new: {to_themes}.",
                d.from, d.to
            ),
        }),
    }
}

/// The new and dropped themes of a continuing delegate, one table each.
fn change_sections(
    s: &mut String,
    a: Inputs,
    d: &YearDiff,
    sec: &DelegateSection,
    mine: &[&ThemeChange],
) {
    let ds = &a.model.ds;
    let sections: [(&str, ThemeFilter, bool); 3] = [
        (
            "New: raised for the first time in the records",
            |t| t.change == Change::New && t.last_raised.is_none(),
            true,
        ),
        (
            "New: returning after a gap",
            |t| t.change == Change::New && t.last_raised.is_some(),
            true,
        ),
        (
            "Dropped: not raised in the records found for the later year",
            |t| t.change == Change::Dropped,
            false,
        ),
    ];
    for (title, keep, later_side) in sections {
        let rows: Vec<&&ThemeChange> = mine.iter().filter(|t| keep(t)).collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "**{title}** (the {} proposals)\n",
            if later_side { d.to } else { d.from }
        );
        let _ = writeln!(
            s,
            "| Theme | Proposal | Followed by a later measure on the same theme? |\n|---|---|---|"
        );
        for t in rows {
            let label = match (t.last_raised, t.next_raised) {
                (Some(y), _) => format!(
                    "{} — returning (last raised {y})",
                    theme_label(ds, t.theme as usize)
                ),
                (_, Some(y)) => format!(
                    "{} — raised again in {y}",
                    theme_label(ds, t.theme as usize)
                ),
                _ => theme_label(ds, t.theme as usize),
            };
            for &p in d.proposals(if later_side { t.to } else { t.from }) {
                let _ = writeln!(
                    s,
                    "| {label} | {} | {} |",
                    proposal_ref(ds, p as usize),
                    verdict_cell(a.adoption, ds, sec.verdicts.get(&(p, t.theme)))
                );
            }
        }
        let _ = writeln!(s);
    }
}

/// The recurring themes, with the wording of the delegate's own titles.
fn recurring_section(
    s: &mut String,
    a: Inputs,
    d: &YearDiff,
    sec: &DelegateSection,
    mine: &[&ThemeChange],
) {
    let ds = &a.model.ds;
    let recurring: Vec<&&ThemeChange> = mine
        .iter()
        .filter(|t| t.change == Change::Recurring)
        .collect();
    if recurring.is_empty() {
        return;
    }
    let _ = writeln!(s, "**Recurring**: raised in both years\n");
    let _ = writeln!(
        s,
        "| Theme | {} | {} | Title similarity | Followed by a later measure on the same theme? ({}) |\n|---|---|---|---:|---|",
        d.from, d.to, d.to
    );
    let refs = |ps: &[u32]| {
        ps.iter()
            .map(|&p| {
                let x = &ds.proposals[p as usize];
                format!(
                    "{}{}",
                    md(&x.id),
                    super::flag(x.confidence == Some(Confidence::Low))
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    for t in &recurring {
        let v = d
            .proposals(t.to)
            .iter()
            .map(|&p| verdict_cell(a.adoption, ds, sec.verdicts.get(&(p, t.theme))))
            .collect::<Vec<_>>()
            .join("; ");
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} |",
            theme_label(ds, t.theme as usize),
            refs(d.proposals(t.from)),
            refs(d.proposals(t.to)),
            t.similarity
                .map_or("—".into(), |w| format!("{:.2}", f64::from(w))),
            v
        );
    }
    // Themes behind the same proposals share one wording diff: print it once.
    let _ = writeln!(
        s,
        "\nHow the wording of the delegate's own titles moved (~~removed~~, **added**):\n"
    );
    for w in &sec.wordings {
        let labels: Vec<String> = (w.themes.iter())
            .map(|&t| theme_label(ds, t as usize))
            .collect();
        match &w.wording {
            Ok(pieces) => {
                let _ = writeln!(s, "- {}: {}", labels.join("; "), inline_diff(pieces));
            }
            Err((a, b)) => {
                let missing = match (a, b) {
                    (true, true) => format!("{} or {}", d.from, d.to),
                    (true, false) => d.from.to_string(),
                    _ => d.to.to_string(),
                };
                let _ = writeln!(
                    s,
                    "- {}: no original wording on record for {missing}, so nothing is compared.",
                    labels.join("; ")
                );
            }
        }
    }
    let _ = writeln!(s);
}

/// Which theme changes a section of a delegate's part lists.
type ThemeFilter = fn(&ThemeChange) -> bool;

/// A Markdown-safe inline diff. Whitespace stays outside the markers so
/// that `**` and `~~` render.
fn inline_diff(pieces: &[Piece]) -> String {
    let mut s = String::new();
    for p in pieces {
        let (text, mark) = match p {
            Piece::Same(t) => (t, ""),
            Piece::Removed(t) => (t, "~~"),
            Piece::Added(t) => (t, "**"),
        };
        if mark.is_empty() {
            s.push_str(&md(text));
            continue;
        }
        let core = text.trim();
        if core.is_empty() {
            s.push_str(text);
            continue;
        }
        let lead = &text[..text.len() - text.trim_start().len()];
        let trail = &text[text.trim_end().len()..];
        let _ = write!(s, "{lead}{mark}{}{mark}{trail}", md(core));
    }
    s
}

/// An HTML anchor from an id: only ASCII letters, digits and `-`.
pub fn anchor(id: &str) -> String {
    let a: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("d-{a}")
}

/// "a source last confirms it in 2022", from the open terms' `last_seen`.
fn last_confirmed(year: Option<i32>) -> String {
    match year {
        Some(y) => format!("a source last confirms it in {y}"),
        None => "no source gives the term's years".to_string(),
    }
}
