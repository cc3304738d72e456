//! The Markdown reports: the index, one page per year pair, the history
//! and the follow-up page. Written to read well on a Git forge: a summary
//! table first, then detail; display names with Chinese alongside; theme
//! labels, not slugs; every dataset string escaped.
//!
//! One file per page. Pages only format: every figure and every choice of
//! rows comes from [`crate::summary`].

mod adoption;
mod diff_page;
mod history;
mod index;
mod profile;

use std::fmt::Write as _;

use super::escape::md;
use super::Sink;
use crate::adoption::chance::FEWEST_FOR_LIFT;
use crate::adoption::{AdoptionTables, Followed};
use crate::dataset::{Confidence, Datasets, Timing};
use crate::diff::YearDiff;
use crate::pipeline::Analysis;
use crate::summary::{PairPage, Summary};

pub use diff_page::single_diff_page;

/// Writes every Markdown page: the index, a page per year pair, the
/// profiles, history.md and adoption.md, from the pairs and the figures
/// the pipeline decided.
pub fn render(
    a: &Analysis,
    pairs: &[PairPage],
    summary: &Summary,
    out: &dyn Sink,
) -> anyhow::Result<()> {
    out.put("README.md", index::page(a, pairs, summary).as_bytes())?;
    let mut has_profile = vec![false; a.model.ds.delegates.len()];
    for &d in &summary.profiles.shown {
        has_profile[d] = true;
    }
    for (i, d) in pairs.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| &pairs[j].diff);
        let next = pairs.get(i + 1).map(|p| &p.diff);
        let inputs = diff_page::Inputs {
            model: &a.model,
            adoption: &a.adoption,
            profiles: Some(&has_profile),
            tables: a.config.tables,
        };
        out.put(
            &diff_file(&d.diff),
            diff_page::page(inputs, d, prev, next).as_bytes(),
        )?;
    }
    for p in &summary.profile_pages {
        out.put(
            &format!("delegates/{}", profile_file(&a.model.ds, p.delegate)),
            profile::page(a, p).as_bytes(),
        )?;
    }
    out.put("history.md", history::page(a, summary).as_bytes())?;
    out.put(
        "adoption.md",
        adoption::page(a, &summary.follow_up).as_bytes(),
    )
}

/// The file name of a year pair's page.
pub fn diff_file(d: &YearDiff) -> String {
    format!("diff-{}-{}.md", d.from, d.to)
}

/// What "followed" means, said once on every page that uses the word.
const FOLLOWED_MEANS: &str = "*Followed* means that a measure on the same theme, listed in \
    `adoptions.csv`, came later. It says nothing about cause: it does not mean the proposal was \
    adopted, or that it led to the measure.";

/// Where the as-of date comes from: " (given with `--as-of`)" or the row
/// of the datasets whose date sets it.
fn as_of_source(a: &Analysis) -> String {
    match &a.adoption.as_of_source {
        None => " (given with `--as-of`)".to_string(),
        Some((file, line)) => format!(
            " (the latest date in the datasets, set by `{}` line {line})",
            md(file)
        ),
    }
}

/// What ★ means, said on every page that shows it.
const NAMES_MEANS: &str = "★ marks a measure that names the proposer or the proposer's \
    company, for example as a recipient or beneficiary (`names` in `adoptions.csv`): it says whom \
    the measure concerns, not that the proposal led to it.";

/// " " and [`NAMES_MEANS`] when any measure names anyone, else nothing.
fn names_legend(ds: &Datasets) -> String {
    if ds.adoptions.iter().any(|m| !m.names.is_empty()) {
        format!(" {NAMES_MEANS}")
    } else {
        String::new()
    }
}

/// " ★" for a measure that names the proposer or the company.
fn star(names_proposer: bool) -> &'static str {
    if names_proposer {
        " ★"
    } else {
        ""
    }
}

/// How the comparison with chance is made, and what it cannot say.
fn chance_means(t: &AdoptionTables) -> String {
    let years = t.chance.years();
    let span = match (years.first(), years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => "none".to_string(),
    };
    format!(
        "A proposal theme is *followed within the window* when a final measure on its theme, found by searching \
         that theme over the whole period (`found_by=theme-search`; drafts never count), came later than the proposal \
         and no more than {w} days after it. Only proposal themes whose {w} days have passed by {as_of} are judged; \
         those whose window is still open are counted apart, whether or not something has followed them yet, \
         because counting only the open ones already followed would favour recent years. \
         *Chance*, for a theme, is the share of the session years whose {w}-day window has closed ({span}) in which \
         such a measure came more than the concurrency window and at most {w} days after the session opened: what \
         would be followed had the theme been proposed in a typical one of those years. Summed over the proposal \
         themes judged it is the count expected by chance; the range is the 5–95% range of that count if each \
         proposal theme were followed independently with its chance (proposal themes on one theme in one year share \
         their measures, so the true spread is wider, and this is not a significance test); *lift* is the count \
         followed over the count expected, 1.0 meaning what chance gives, and is not shown on fewer than \
         {FEWEST_FOR_LIFT} judged. A lift above 1 says that measures on a theme came within {w} days more often \
         after the years it was proposed than after a typical session year; it is consistent with delegates raising \
         topics already rising on the agenda, and is not evidence that a proposal led to a measure. The search was \
         not blind to the proposals: measures first found by following them were kept where the search found them \
         again (`datasets/NOTES.md`).",
        w = t.window_days,
        as_of = t.as_of.format("%Y-%m-%d"),
    )
}

/// Writes the heading of a comparison with chance at a heading level
/// (`##`, `###`) and, when none can be made, why: then it returns false.
fn chance_heading(s: &mut String, level: &str, t: &AdoptionTables) -> bool {
    let _ = writeln!(
        s,
        "{level} Followed within {} days, against chance\n",
        t.window_days
    );
    match no_chance(t) {
        Some(why) => {
            let _ = writeln!(s, "{why}\n");
            false
        }
        None => true,
    }
}

/// Why no chance figure can be given, when none can.
fn no_chance(t: &AdoptionTables) -> Option<String> {
    if t.compared.themes_searched == 0 {
        return Some(
            "No theme has had its measures searched independently of the proposals (`measures_searched` in \
             `themes.csv`), so no comparison with chance can be made: the follow-up shares on these pages show \
             succession only, from measures found by following the proposals, which come after them by construction."
                .to_string(),
        );
    }
    if t.compared.judged == 0 {
        return Some(format!(
            "{} searched independently of the proposals, but no proposal theme on them has had its {} days \
             by {}: no comparison with chance can be made yet.",
            plural(t.compared.themes_searched, "theme was", "themes were"),
            t.window_days,
            t.as_of.format("%Y-%m-%d")
        ));
    }
    None
}

/// The header of a comparison-with-chance table, after its first column.
const AGAINST_HEAD: &str =
    "Judged | Followed within the window | Expected by chance (5–95%) | Lift | \
     Window still open: not yet followed, already followed (not judged) |\n";
const AGAINST_RULE: &str = "---:|---:|---:|---:|---:|";

/// A comparison's cells in one unit, after the first column; `open` is the
/// last cell, on those whose window is still open.
fn against_cells(x: crate::adoption::chance::Against, open: String) -> String {
    let lift = lift_cell(x);
    format!(
        " {} | {} ({}) | {:.1}, {} ({}–{}) | {lift} | {open} |",
        x.n,
        x.observed,
        super::format::percent(x.observed, x.n),
        x.expected,
        super::format::percent_f(x.expected, x.n),
        x.low,
        x.high,
    )
}

/// A lift, or why none is shown: too few judged, or nothing expected.
fn lift_cell(x: crate::adoption::chance::Against) -> String {
    match x.shown_lift() {
        Some(l) => format!("{l:.2}"),
        None if x.lift.is_some() => format!("no lift: fewer than {FEWEST_FOR_LIFT} judged"),
        None => "no lift: chance expects none".to_string(),
    }
}

/// Two rows of a comparison-with-chance table, one per unit, labelled
/// `themes` and `proposals` (the bundles counted in the latter).
fn against_rows(
    s: &mut String,
    c: &crate::adoption::chance::Comparison,
    themes: &str,
    proposals: &str,
) {
    let _ = writeln!(
        s,
        "| {themes} |{}",
        against_cells(c.themes(), open_themes(c))
    );
    let _ = writeln!(
        s,
        "| {proposals} ({} of those judged are bundles of four or more themes) |{}",
        c.bundles,
        against_cells(
            c.proposals_against(),
            format!("{} proposals, followed or not", c.proposals_open)
        )
    );
}

/// The window-still-open cell of a comparison in proposal themes.
fn open_themes(c: &crate::adoption::chance::Comparison) -> String {
    format!("{}, {}", c.too_recent, c.open_followed)
}

/// What ⚠ means, said on every page that shows it.
const WEAK_SOURCE: &str = "⚠ marks a proposal or a measure from a weak source (a mirror or repost \
    that no original confirms) or with an inferred date (`confidence=low` in the datasets, with the \
    reason in its `note` where the datasets give one).";

/// What the timings mean, said on every page that shows them.
const TIMING_MEANS: &str = "A measure is *later* when it certainly came more than the \
    concurrency window after the proposal, *concurrent* when it may fall within that window, \
    *preceded* when it certainly came before it, and *under way* when the source says its \
    process began before the proposal and ended later; only *later* measures count as a \
    follow-up. The links are by theme: no measure here names a proposal unless \
    `adoptions.csv` says so.";

/// The year cells of a theme-by-year matrix row: ● raised; ○ a record
/// that year, theme not raised; ? a member without a record (as on the
/// heatmap: a blank cell would read as nothing to say); · no
/// record and membership unknown; – not a member.
fn matrix_cells(cells: &[crate::summary::Cell]) -> String {
    use crate::summary::Cell;
    cells
        .iter()
        .map(|c| {
            let c = match c {
                Cell::Raised => "●",
                Cell::NotRaised => "○",
                Cell::MemberNoRecord => "?",
                Cell::Unknown => "·",
                Cell::NotMember => "–",
            };
            format!(" {c} |")
        })
        .collect()
}

/// The file name of a delegate's profile under `delegates/`: the id when
/// it is a plain slug, else `_delegate-<index>` (never a slug), so that no
/// file name is made from arbitrary dataset text.
pub fn profile_file(ds: &Datasets, d: usize) -> String {
    file_for(&ds.delegates[d].id, d)
}

/// [`profile_file`] from the id and the index.
fn file_for(id: &str, d: usize) -> String {
    let slug = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-');
    if slug {
        format!("{id}.md")
    } else {
        format!("_delegate-{d}.md")
    }
}

/// "Pony Ma (马化腾)", escaped.
pub fn delegate_name(ds: &Datasets, d: usize) -> String {
    let x = &ds.delegates[d];
    let en = x.name_or_id();
    if x.name_zh.is_empty() {
        md(en)
    } else {
        format!("{} ({})", md(en), md(&x.name_zh))
    }
}

/// "Battery swapping (换电)", escaped.
pub fn theme_label(ds: &Datasets, t: usize) -> String {
    let x = &ds.themes[t];
    if x.label_zh.is_empty() {
        md(&x.label_en)
    } else {
        format!("{} ({})", md(&x.label_en), md(&x.label_zh))
    }
}

/// The label of a measure's theme (its id, escaped, if the taxonomy lacks it).
fn measure_theme(ds: &Datasets, measure: &crate::dataset::Adoption) -> String {
    ds.themes
        .binary_search_by(|t| t.id.as_str().cmp(&measure.theme))
        .map(|t| theme_label(ds, t))
        .unwrap_or_else(|_| md(&measure.theme))
}

/// " ⚠" for a weak source.
fn flag(low: bool) -> &'static str {
    if low {
        " ⚠"
    } else {
        ""
    }
}

fn proposal_ref(ds: &Datasets, p: usize) -> String {
    let x = &ds.proposals[p];
    format!(
        "*{}* ({}{})",
        md(ds.title(x)),
        md(&x.id),
        flag(x.confidence == Some(Confidence::Low))
    )
}

/// A source cell: the text escaped, every URL a link named by its host.
pub fn source(text: &str) -> String {
    let mut out = String::new();
    let mut finder = linkify::LinkFinder::new();
    finder.kinds(&[linkify::LinkKind::Url]);
    for span in finder.spans(text) {
        match span.kind() {
            Some(linkify::LinkKind::Url) => {
                let url = span.as_str();
                let host = url
                    .split_once("://")
                    .map_or(url, |(_, rest)| rest)
                    .split(['/', '?', '#'])
                    .next()
                    .unwrap_or(url);
                // Only characters that cannot break out of the link target.
                let target: String = url
                    .chars()
                    .map(|c| match c {
                        '(' => "%28".to_string(),
                        ')' => "%29".to_string(),
                        '<' => "%3C".to_string(),
                        '>' => "%3E".to_string(),
                        '|' => "%7C".to_string(),
                        ' ' => "%20".to_string(),
                        c => c.to_string(),
                    })
                    .collect();
                let _ = write!(out, "[{}]({target})", md(host));
            }
            _ => out.push_str(&md(span.as_str())),
        }
    }
    out
}

/// A count with its noun, singular for one.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn year_span(years: &[i32]) -> String {
    match (years.first(), years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => "no years".into(),
    }
}

/// A timing in words, for table cells.
fn timing_word(t: Timing) -> &'static str {
    match t {
        Timing::Later => "later",
        Timing::Concurrent => "concurrent",
        Timing::UnderWay => "under way",
        Timing::Preceded => "preceded",
    }
}

/// The follow-up verdict on one proposal theme, for a table cell: the
/// measure that makes it yes or partial, or what came around or before.
fn verdict_cell(
    adoption: &AdoptionTables,
    ds: &Datasets,
    judged: Option<&crate::summary::Judged>,
) -> String {
    let Some(j) = judged else {
        return "—".into();
    };
    let v = &j.verdict;
    if let (Followed::Yes | Followed::Partial, Some(m)) = (v.followed, v.deciding_measure) {
        let lag = (j.deciding_lag_days)
            .map(|d| format!(", {d} days later"))
            .unwrap_or_default();
        let me = &ds.adoptions[m as usize];
        // Succession at any time, beside the windowed verdict the
        // comparison with chance counts.
        let days = adoption.window_days;
        let window = match v.within_window {
            crate::adoption::chance::Window::Yes => String::new(),
            crate::adoption::chance::Window::No => format!(
                "; not followed within the {days}-day window (no final measure found by the theme search in it)"
            ),
            crate::adoption::chance::Window::TooRecent => {
                format!("; its {days}-day window is still open")
            }
        };
        return format!(
            "{}: {} ({}{lag}, {}){}{}{window}",
            v.followed.as_str(),
            md(&me.measure),
            me.date,
            me.kind.as_str(),
            flag(me.confidence == Some(Confidence::Low)),
            star(j.deciding_names_proposer),
        );
    }
    let head = if v.within_window == crate::adoption::chance::Window::TooRecent {
        // A proposal of weeks ago: nothing yet, with the time it has had.
        format!(
            "no later measure listed yet ({} days to {}; its {}-day window is still open)",
            j.waited_days,
            adoption.as_of.format("%Y-%m-%d"),
            adoption.window_days
        )
    } else {
        "no later measure listed".to_string()
    };
    let mut parts = vec![head];
    for (t, first) in [
        (Timing::UnderWay, j.first_under_way),
        (Timing::Concurrent, j.first_concurrent),
    ] {
        if let Some(m) = first {
            let me = &ds.adoptions[m as usize];
            parts.push(format!(
                "{}: {} ({})",
                timing_word(t),
                md(&me.measure),
                me.date
            ));
        }
    }
    let before = j.preceded;
    if before > 0 {
        parts.push(format!(
            "{} before it",
            plural(before, "measure", "measures")
        ));
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_files_are_slugs_or_numbered() {
        assert_eq!(file_for("alice", 0), "alice.md");
        assert_eq!(file_for("d-2", 0), "d-2.md");
        assert_eq!(file_for("../../etc/passwd", 1), "_delegate-1.md");
        assert_eq!(file_for("-x", 2), "_delegate-2.md");
        assert_eq!(file_for("Bob", 3), "_delegate-3.md");
        assert_eq!(file_for("", 4), "_delegate-4.md");
        assert_eq!(file_for(&"a".repeat(65), 5), "_delegate-5.md");
    }
}
