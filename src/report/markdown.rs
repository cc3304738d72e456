//! The Markdown reports: the index, one page per year pair, the history
//! and the adoption page. Written to read well on a Git forge: a summary
//! table first, then detail; display names with Chinese alongside; theme
//! labels, not slugs; every dataset string escaped.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::escape::md;
use super::{Analysis, Renderer, Sink, DETAIL_LIMIT};
use crate::adoption::{Adopted, AdoptionTables};
use crate::dataset::{Confidence, Datasets, Timing};
use crate::diff::wording::Piece;
use crate::diff::{Change, State, YearDiff};
use crate::normalize::Model;

pub struct Markdown;

/// Delegates named in one table cell before the rest are counted.
const NAMES_PER_CELL: usize = 10;

/// Per year: delegates and proposal themes.
type YearCells = BTreeMap<i32, (usize, usize)>;

impl Renderer for Markdown {
    fn render(&self, a: &Analysis, out: &dyn Sink) -> anyhow::Result<()> {
        out.put("README.md", index(a).as_bytes())?;
        let verdicts = Verdicts::new(a);
        for (i, d) in a.diffs.iter().enumerate() {
            let prev = i.checked_sub(1).map(|j| &a.diffs[j]);
            let next = a.diffs.get(i + 1);
            out.put(
                &diff_file(d),
                diff_page(a, &verdicts, d, prev, next).as_bytes(),
            )?;
        }
        out.put("history.md", history_page(a).as_bytes())?;
        out.put("adoption.md", adoption_page(a).as_bytes())
    }
}

/// The file name of a year pair's page.
pub fn diff_file(d: &YearDiff) -> String {
    format!("diff-{}-{}.md", d.from, d.to)
}

/// "Pony Ma (马化腾)", escaped.
pub fn delegate_name(ds: &Datasets, d: usize) -> String {
    let x = &ds.delegates[d];
    let en = if x.name_en.is_empty() {
        &x.id
    } else {
        &x.name_en
    };
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

fn proposal_ref(ds: &Datasets, p: usize) -> String {
    let x = &ds.proposals[p];
    let flag = if x.confidence == Some(Confidence::Low) {
        " ⚠"
    } else {
        ""
    };
    format!("*{}* ({}{flag})", md(&x.title), md(&x.id))
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn year_span(years: &[i32]) -> String {
    match (years.first(), years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => "no years".into(),
    }
}

/// Adoption verdicts and links by (proposal, theme), for table cells.
struct Verdicts<'a> {
    ds: &'a Datasets,
    adoption: &'a AdoptionTables,
}

impl<'a> Verdicts<'a> {
    fn new(a: &'a Analysis) -> Verdicts<'a> {
        Verdicts {
            ds: &a.model.ds,
            adoption: &a.adoption,
        }
    }

    /// The verdict on one proposal theme: the first later measure, or what
    /// came around or before it when nothing came later.
    fn cell(&self, proposal: usize, theme: usize) -> String {
        let ds = self.ds;
        let (proposal, theme) = (proposal as u32, theme as u32);
        let Some(v) = self.adoption.verdict(proposal, theme) else {
            return "—".into();
        };
        if let (Adopted::Yes | Adopted::Partial, Some(m)) = (v.adopted, v.first_measure) {
            let m = &ds.adoptions[m as usize];
            let lag = v
                .lag_days
                .map(|d| format!(", {d} days later"))
                .unwrap_or_default();
            return format!(
                "{}: {} ({}{lag}, {})",
                v.adopted.as_str(),
                md(&m.measure),
                m.date,
                m.kind.as_str()
            );
        }
        let links = self.adoption.links_of(proposal, theme);
        if let Some(l) = links.iter().find(|l| l.timing == Timing::Concurrent) {
            let m = &ds.adoptions[l.measure as usize];
            return format!(
                "no later measure; concurrent: {} ({})",
                md(&m.measure),
                m.date
            );
        }
        match links
            .iter()
            .filter(|l| l.timing == Timing::Preceded)
            .count()
        {
            0 => "no later measure".into(),
            n => format!(
                "no later measure; {} before it",
                plural(n, "measure", "measures")
            ),
        }
    }
}

fn index(a: &Analysis) -> String {
    let m = &a.model;
    let ds = &m.ds;
    let mut s = String::new();
    let _ = writeln!(s, "# Two Sessions proposals: what changed, year by year\n");
    let delegates_with_records: std::collections::BTreeSet<usize> =
        m.delegate_of.iter().copied().collect();
    let categories: std::collections::BTreeSet<&str> =
        ds.themes.iter().map(|t| t.category.as_str()).collect();
    let _ = writeln!(
        s,
        "Generated by proposal-diff {} from the datasets: {} by {} in {}, resolved against {} in {}, with {}. \
         Adoption is judged as of {}. Regenerate with `make reports`; do not edit by hand.\n",
        env!("CARGO_PKG_VERSION"),
        plural(ds.proposals.len(), "proposal", "proposals"),
        plural(delegates_with_records.len(), "delegate", "delegates"),
        year_span(&m.years),
        plural(ds.themes.len(), "theme", "themes"),
        plural(categories.len(), "category", "categories"),
        plural(ds.adoptions.len(), "later measure", "later measures"),
        a.adoption.as_of.format("%Y-%m-%d"),
    );

    let _ = writeln!(s, "## Headline figures\n");
    let total = a.adoption.themes.len();
    let yes = a
        .adoption
        .themes
        .iter()
        .filter(|v| v.adopted == Adopted::Yes)
        .count();
    let partial = a
        .adoption
        .themes
        .iter()
        .filter(|v| v.adopted == Adopted::Partial)
        .count();
    let mut lags: Vec<i32> = a
        .adoption
        .themes
        .iter()
        .filter_map(|v| v.lag_days)
        .collect();
    lags.sort_unstable();
    let convergent = a
        .history
        .theme_years
        .iter()
        .filter(|t| t.delegates.len() >= 2)
        .count();
    let returning = a.history.themes.iter().filter(|h| h.returning).count();
    let low = ds
        .proposals
        .iter()
        .filter(|p| p.confidence == Some(Confidence::Low))
        .count();
    let _ = writeln!(s, "| Figure | Value |\n|---|---:|");
    let _ = writeln!(s, "| Proposals | {} |", ds.proposals.len());
    let _ = writeln!(
        s,
        "| Delegates with records | {} |",
        delegates_with_records.len()
    );
    let _ = writeln!(s, "| Proposal themes (proposal × theme) | {total} |");
    let _ = writeln!(
        s,
        "| Followed by a later measure on the same theme | {} of {total} ({}): {yes} adopted, {partial} partial |",
        yes + partial,
        pct(if total == 0 { 0.0 } else { (yes + partial) as f64 / total as f64 })
    );
    let median = match lags.len() {
        0 => "—".to_string(),
        n if n % 2 == 1 => format!("{} days", lags[n / 2]),
        n => format!("{:.1} days", (lags[n / 2 - 1] + lags[n / 2]) as f64 / 2.0),
    };
    let _ = writeln!(
        s,
        "| Median lag to the first later measure (day-dated measures) | {median} |"
    );
    let _ = writeln!(
        s,
        "| Themes raised by two or more delegates in one year | {convergent} |"
    );
    let _ = writeln!(
        s,
        "| Returning themes (raised, absent, raised again) | {returning} |"
    );
    let _ = writeln!(s, "| Proposals from a weak or single source (⚠) | {low} |");
    let _ = writeln!(
        s,
        "| Theme phrases left unmapped | {} |\n",
        m.unmapped.len()
    );

    let _ = writeln!(s, "## Year over year\n");
    let _ = writeln!(
        s,
        "Themes are compared only for delegates with records in both years. A delegate who left the body, \
         or who has no record in a year while still a member, is never counted as dropping or gaining themes.\n"
    );
    let _ = writeln!(
        s,
        "| Years | Continuing | Joined | Resumed | Left | No record | New themes | Dropped | Recurring | Report |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    );
    for d in &a.diffs {
        let state = |st: State| d.delegates.iter().filter(|x| x.state == st).count();
        let c = crate::diff::change_counts(d);
        let get = |ch: Change| c.get(&ch).copied().unwrap_or(0);
        let _ = writeln!(
            s,
            "| {} → {} | {} | {} | {} | {} | {} | {} | {} | {} | [{}]({}) |",
            d.from,
            d.to,
            state(State::Continuing),
            state(State::Joined),
            state(State::Resumed),
            state(State::Left),
            state(State::NoRecord),
            get(Change::New),
            get(Change::Dropped),
            get(Change::Recurring),
            diff_file(d),
            diff_file(d)
        );
    }
    let _ = writeln!(s);

    let _ = writeln!(s, "## Charts\n");
    let _ = writeln!(s, "Themes per delegate and year (darker: more themes; ?: a member with no record found; –: not a member):\n");
    let _ = writeln!(
        s,
        "![Themes per delegate and year](charts/{})\n",
        super::charts::HEATMAP
    );
    let _ = writeln!(s, "From proposal to measure: each line runs from a proposal to the first later measure on its theme:\n");
    let _ = writeln!(
        s,
        "![Proposal to measure timeline](charts/{})\n",
        super::charts::TIMELINE
    );

    let _ = writeln!(s, "## Reports\n");
    let _ = writeln!(s, "- [history.md](history.md): theme-by-year matrix per delegate, streaks, returning themes, convergence, categories and CAP topics, issue diversity.");
    let _ = writeln!(s, "- [adoption.md](adoption.md): which proposal themes were followed by a measure, lags, rates, and every measure with its source.");
    for d in &a.diffs {
        let _ = writeln!(
            s,
            "- [{}]({}): {} → {}.",
            diff_file(d),
            diff_file(d),
            d.from,
            d.to
        );
    }
    let _ = writeln!(s, "\n## Data tables (CSV, UTF-8)\n");
    let _ = writeln!(s, "| File | One row per |\n|---|---|");
    for (f, what) in [
        (
            "theme_changes.csv",
            "year pair, continuing delegate and theme: new, dropped or recurring",
        ),
        (
            "delegate_changes.csv",
            "year pair and delegate: continuing, joined, resumed, left or no-record",
        ),
        (
            "theme_history.csv",
            "delegate and theme: first and last year, years, streak, returning",
        ),
        (
            "adoption_links.csv",
            "proposal theme and linked measure: later, concurrent or preceded",
        ),
        (
            "adoption.csv",
            "proposal theme: adopted later yes, partial or no",
        ),
        ("normalization.csv", "distinct raw phrase: how it resolved"),
    ] {
        let _ = writeln!(s, "| [{f}]({f}) | {what} |");
    }
    let _ = writeln!(s, "\n[manifest.json](manifest.json) records the tool version, the options and a SHA-256 of every input file.");
    s
}

/// One year pair's page on its own, without links to its neighbours.
pub fn single_diff_page(a: &Analysis, d: &YearDiff) -> String {
    diff_page(a, &Verdicts::new(a), d, None, None)
}

fn diff_page(
    a: &Analysis,
    verdicts: &Verdicts,
    d: &YearDiff,
    prev: Option<&YearDiff>,
    next: Option<&YearDiff>,
) -> String {
    let ds = &a.model.ds;
    let mut s = String::new();
    let _ = writeln!(s, "# {} → {}: what each delegate raised\n", d.from, d.to);
    let mut nav = vec!["[Index](README.md)".to_string()];
    if let Some(p) = prev {
        nav.insert(0, format!("[← {} → {}]({})", p.from, p.to, diff_file(p)));
    }
    if let Some(n) = next {
        nav.push(format!("[{} → {} →]({})", n.from, n.to, diff_file(n)));
    }
    let _ = writeln!(s, "{}\n", nav.join(" · "));

    let count = |dl: usize, ch: Change| {
        d.themes_of_delegate(dl as u32)
            .iter()
            .filter(|t| t.change == ch)
            .count()
    };

    // Delegates in display order: by id (the delegate list order).
    let mut shown: Vec<&crate::diff::DelegateChange> = d.delegates.iter().collect();
    let large = shown.len() > DETAIL_LIMIT;
    if large {
        // New plus dropped themes per delegate, in one walk: both lists
        // are sorted by delegate.
        let mut moves = vec![0usize; d.delegates.len()];
        let mut j = 0;
        for (i, x) in d.delegates.iter().enumerate() {
            while j < d.themes.len() && d.themes[j].delegate < x.delegate {
                j += 1;
            }
            while j < d.themes.len() && d.themes[j].delegate == x.delegate {
                moves[i] += usize::from(d.themes[j].change != Change::Recurring);
                j += 1;
            }
        }
        let order = super::top_n(d.delegates.len(), 50, |i| {
            (std::cmp::Reverse(moves[i]), d.delegates[i].delegate)
        });
        shown = order.iter().map(|&i| &d.delegates[i]).collect();
    }
    let c = crate::diff::change_counts(d);
    let _ = writeln!(
        s,
        "{} with records in {} or {}; themes compared for the {} continuing. In all: {} new, {} dropped, {} recurring.\n",
        plural(d.delegates.len(), "delegate", "delegates"),
        d.from,
        d.to,
        d.delegates.iter().filter(|x| x.state == State::Continuing).count(),
        c.get(&Change::New).unwrap_or(&0),
        c.get(&Change::Dropped).unwrap_or(&0),
        c.get(&Change::Recurring).unwrap_or(&0),
    );
    if large {
        let _ = writeln!(
            s,
            "With {} delegates this page shows the 50 that moved most (new plus dropped themes); \
             `theme_changes.csv` and `delegate_changes.csv` hold every row.\n",
            d.delegates.len()
        );
    }
    let _ = writeln!(s, "## Summary\n");
    let _ = writeln!(
        s,
        "| Delegate | Company | State | New | Dropped | Recurring |\n|---|---|---|---:|---:|---:|"
    );
    for x in &shown {
        let cont = x.state == State::Continuing;
        let n = |ch| {
            if cont {
                count(x.delegate as usize, ch).to_string()
            } else {
                "—".into()
            }
        };
        let _ = writeln!(
            s,
            "| [{}](#{}) | {} | {} | {} | {} | {} |",
            delegate_name(ds, x.delegate as usize),
            anchor(&ds.delegates[x.delegate as usize].id),
            md(&ds.delegates[x.delegate as usize].company),
            x.state.as_str(),
            n(Change::New),
            n(Change::Dropped),
            n(Change::Recurring)
        );
    }
    let _ = writeln!(s);

    for x in &shown {
        let dl = &ds.delegates[x.delegate as usize];
        let _ = writeln!(s, "<a id=\"{}\"></a>\n", anchor(&dl.id));
        let _ = writeln!(s, "## {}\n", delegate_name(ds, x.delegate as usize));
        let proposals = |year: i32| -> Vec<usize> {
            a.model.proposals_of[x.delegate as usize]
                .iter()
                .copied()
                .filter(|&p| ds.proposals[p].year == year)
                .collect()
        };
        let list_proposals = |s: &mut String, year: i32| {
            let ps = proposals(year);
            if ps.is_empty() {
                let _ = writeln!(s, "- {year}: no record");
            }
            for p in ps {
                let x = &ds.proposals[p];
                // A trailing backslash is a hard line break in CommonMark.
                let _ = writeln!(s, "- {year}: {} {}\\", x.body.as_str(), proposal_ref(ds, p));
                if !x.summary.is_empty() {
                    let _ = writeln!(s, "  {}\\", md(&x.summary));
                }
                let _ = writeln!(s, "  Source: {}", md(&x.source));
            }
        };
        list_proposals(&mut s, d.from);
        list_proposals(&mut s, d.to);
        let _ = writeln!(s);
        // A delegate without records in one of the years: say why, and
        // list the themes that are *not* counted as dropped or new.
        let labels = |themes: &[u32]| {
            themes
                .iter()
                .map(|&t| theme_label(ds, t as usize))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let why = match x.state {
            State::Continuing => None,
            State::Left => Some(format!(
                "Not a member in {}: left the body. Not counted as dropped: {}.",
                d.to,
                labels(d.themes_of(x.themes_from))
            )),
            State::NoRecord => Some(format!(
                "Still a member in {}, but no record was found: no data, not \"no proposals\". Not counted as dropped: {}.",
                d.to,
                labels(d.themes_of(x.themes_from))
            )),
            State::Joined => Some(format!(
                "Not a member in {}: joined the body. Not counted as new: {}.",
                d.from,
                labels(d.themes_of(x.themes_to))
            )),
            State::Resumed => Some(format!(
                "A member in {} with no record found there; records resume in {}. Not counted as new: {}.",
                d.from,
                d.to,
                labels(d.themes_of(x.themes_to))
            )),
        };
        if let Some(why) = why {
            let _ = writeln!(s, "{why}\n");
            continue;
        }
        // Readers scan by label; ids order the CSV.
        let mut mine: Vec<&crate::diff::ThemeChange> =
            d.themes_of_delegate(x.delegate).iter().collect();
        mine.sort_by_cached_key(|t| (ds.themes[t.theme as usize].label_en.to_lowercase(), t.theme));
        for (ch, title, year_side) in [
            (Change::New, format!("New in {}", d.to), true),
            (Change::Dropped, format!("Dropped after {}", d.from), false),
        ] {
            let rows: Vec<_> = mine.iter().filter(|t| t.change == ch).collect();
            if rows.is_empty() {
                continue;
            }
            let _ = writeln!(s, "**{title}**\n");
            let _ = writeln!(
                s,
                "| Theme | Proposal | Followed by a later measure? |\n|---|---|---|"
            );
            for t in rows {
                let ps = d.proposals(if year_side { t.to } else { t.from });
                for p in ps.iter().map(|&p| p as usize) {
                    let _ = writeln!(
                        s,
                        "| {} | {} | {} |",
                        theme_label(ds, t.theme as usize),
                        proposal_ref(ds, p),
                        verdicts.cell(p, t.theme as usize)
                    );
                }
            }
            let _ = writeln!(s);
        }
        let recurring: Vec<_> = mine
            .iter()
            .filter(|t| t.change == Change::Recurring)
            .collect();
        if !recurring.is_empty() {
            let _ = writeln!(s, "**Recurring**\n");
            let _ = writeln!(s, "| Theme | {} | {} | Title similarity | Followed by a later measure? |\n|---|---|---|---:|---|", d.from, d.to);
            for t in &recurring {
                let refs = |ps: &[u32]| {
                    ps.iter()
                        .map(|&p| md(&ds.proposals[p as usize].id))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let v = d
                    .proposals(t.to)
                    .iter()
                    .map(|&p| verdicts.cell(p as usize, t.theme as usize))
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
            let _ = writeln!(s, "\nHow the wording moved (~~removed~~, **added**):\n");
            for t in &recurring {
                if let Some(w) = crate::diff::wording_of(&a.model, d, t) {
                    let _ = writeln!(
                        s,
                        "- {}: {}",
                        theme_label(ds, t.theme as usize),
                        inline_diff(&w.pieces)
                    );
                }
            }
            let _ = writeln!(s);
        }
    }
    s
}

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
fn anchor(id: &str) -> String {
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

fn history_page(a: &Analysis) -> String {
    let m = &a.model;
    let ds = &m.ds;
    let h = &a.history;
    let mut s = String::new();
    let _ = writeln!(s, "# History, {}\n", year_span(&m.years));
    let _ = writeln!(s, "[Index](README.md)\n");
    let _ = writeln!(
        s,
        "Legend: ● raised that year · ○ records that year, theme not raised · blank: no record found · – not a member. \
         A *returning* theme was raised, then not raised in a year with records, then raised again; \
         a *streak* counts consecutive dataset years.\n"
    );

    // Per delegate: theme-by-year matrix. Both tables are sorted by
    // delegate, so a delegate's rows are one run of each.
    let runs: Vec<&[crate::diff::history::ThemeHistory]> =
        h.themes.chunk_by(|a, b| a.delegate == b.delegate).collect();
    let large = runs.len() > DETAIL_LIMIT;
    let order: Vec<usize> = if large {
        let _ = writeln!(
            s,
            "With {} delegates, the matrices below show the 50 with the most themes; `theme_history.csv` holds every row.\n",
            runs.len()
        );
        super::top_n(runs.len(), 50, |i| {
            (std::cmp::Reverse(runs[i].len()), runs[i][0].delegate)
        })
    } else {
        (0..runs.len()).collect()
    };
    let _ = writeln!(s, "## Themes by year, per delegate\n");
    let years_header: String = m.years.iter().map(|y| format!(" {y} |")).collect();
    let years_rule: String = m.years.iter().map(|_| ":-:|").collect();
    for i in order {
        let d = runs[i][0].delegate as usize;
        // Years with any proposal, even one without themes: a year with records.
        let active: Vec<i32> = m.proposals_of[d]
            .iter()
            .map(|&p| ds.proposals[p].year)
            .collect();
        let _ = writeln!(s, "### {}\n", delegate_name(ds, d));
        let _ = writeln!(
            s,
            "| Theme |{years_header} Streak | Returning |\n|---|{years_rule}--:|---|"
        );
        let mut rows = runs[i].to_vec();
        rows.sort_by_key(|t| (t.first_year, t.theme));
        for t in &rows {
            let cells: String = m
                .years
                .iter()
                .map(|&y| {
                    let c = if h.years(t).binary_search(&y).is_ok() {
                        "●"
                    } else if active.contains(&y) {
                        "○"
                    } else if crate::diff::is_member(m, d, y) {
                        ""
                    } else {
                        "–"
                    };
                    format!(" {c} |")
                })
                .collect();
            let _ = writeln!(
                s,
                "| {} |{cells} {} | {} |",
                theme_label(ds, t.theme as usize),
                t.longest_streak,
                if t.returning { "yes" } else { "" }
            );
        }
        let _ = writeln!(s);
    }

    let _ = writeln!(
        s,
        "## Convergence: themes raised by two or more delegates in one year\n"
    );
    let convergent: Vec<_> = h
        .theme_years
        .iter()
        .filter(|t| t.delegates.len() >= 2)
        .collect();
    if convergent.is_empty() {
        let _ = writeln!(s, "None in these datasets.\n");
    } else {
        let _ = writeln!(s, "| Year | Theme | Delegates |\n|---|---|---|");
        let mut convergent = convergent;
        convergent.sort_by_key(|t| (t.year, std::cmp::Reverse(t.delegates.len()), t.theme));
        for t in convergent.iter().take(200) {
            // At scale a cell names a few and counts the rest.
            let mut names: Vec<String> = t
                .delegates
                .iter()
                .take(NAMES_PER_CELL)
                .map(|&d| delegate_name(ds, d as usize))
                .collect();
            if t.delegates.len() > NAMES_PER_CELL {
                names.push(format!("and {} more", t.delegates.len() - NAMES_PER_CELL));
            }
            let _ = writeln!(
                s,
                "| {} | {} | {} |",
                t.year,
                theme_label(ds, t.theme),
                names.join(", ")
            );
        }
        let _ = writeln!(s);
    }

    let _ = writeln!(s, "## Delegates per theme and year\n");
    let mut totals: BTreeMap<usize, (usize, BTreeMap<i32, usize>)> = BTreeMap::new();
    for t in &h.theme_years {
        let e = totals.entry(t.theme).or_default();
        e.0 += t.delegates.len();
        e.1.insert(t.year, t.delegates.len());
    }
    let mut themes: Vec<_> = totals.into_iter().collect();
    themes.sort_by_key(|(t, (n, _))| (std::cmp::Reverse(*n), *t));
    if themes.len() > 60 {
        let _ = writeln!(
            s,
            "The 60 themes raised most often; `theme_history.csv` holds all.\n"
        );
    }
    let _ = writeln!(
        s,
        "| Theme | Category |{years_header} Total |\n|---|---|{years_rule}--:|"
    );
    for (t, (n, by_year)) in themes.iter().take(60) {
        let cells: String = m
            .years
            .iter()
            .map(|y| {
                format!(
                    " {} |",
                    by_year.get(y).map(|c| c.to_string()).unwrap_or_default()
                )
            })
            .collect();
        let _ = writeln!(
            s,
            "| {} | {} |{cells} {n} |",
            theme_label(ds, *t),
            md(&ds.themes[*t].category)
        );
    }
    let _ = writeln!(s);

    for (title, rows, note) in [
        (
            "Categories by year",
            &h.categories,
            "delegates raising a theme of the category (proposal themes in brackets)",
        ),
        (
            "CAP major topics by year",
            &h.cap_topics,
            "Comparative Agendas Project major topic; delegates (proposal themes in brackets)",
        ),
    ] {
        let _ = writeln!(s, "## {title}\n\nEach cell: {note}.\n");
        // CAP groups start with their code: order them by number, not as text.
        let mut groups: BTreeMap<(u32, &str), YearCells> = BTreeMap::new();
        for r in rows.iter() {
            let code = r
                .group
                .split(' ')
                .next()
                .and_then(|c| c.parse().ok())
                .unwrap_or(0);
            groups
                .entry((code, r.group.as_str()))
                .or_default()
                .insert(r.year, (r.delegates, r.proposal_themes));
        }
        let _ = writeln!(s, "| Group |{years_header}\n|---|{years_rule}");
        for ((_, g), by_year) in groups {
            let cells: String = m
                .years
                .iter()
                .map(|y| {
                    format!(
                        " {} |",
                        by_year
                            .get(y)
                            .map(|(d, p)| format!("{d} ({p})"))
                            .unwrap_or_default()
                    )
                })
                .collect();
            let _ = writeln!(s, "| {} |{cells}", md(g));
        }
        let _ = writeln!(s);
    }

    let _ = writeln!(s, "## Issue diversity\n");
    let _ = writeln!(
        s,
        "Distinct themes per delegate and year, with the effective number of themes in brackets \
         (exp of the Shannon entropy of the delegate's proposals over themes; equal to the count when each theme is raised once).\n"
    );
    let _ = writeln!(s, "| Delegate |{years_header}\n|---|{years_rule}");
    let runs = h.delegate_years.chunk_by(|a, b| a.delegate == b.delegate);
    for run in runs.take(if large { 50 } else { usize::MAX }) {
        let cells: String = m
            .years
            .iter()
            .map(|&y| match run.iter().find(|x| x.year == y) {
                Some(x) => format!(" {} ({:.2}) |", x.themes, x.diversity),
                None => "  |".to_string(),
            })
            .collect();
        let _ = writeln!(
            s,
            "| {} |{cells}",
            delegate_name(ds, run[0].delegate as usize)
        );
    }
    s
}

fn adoption_page(a: &Analysis) -> String {
    let m: &Model = &a.model;
    let ds = &m.ds;
    let t = &a.adoption;
    let mut s = String::new();
    let _ = writeln!(s, "# Adoption: were proposals followed by a measure?\n");
    let _ = writeln!(s, "[Index](README.md)\n");
    let _ = writeln!(
        s,
        "A proposal theme is linked to every measure on the same theme, and to any measure that names the proposal. \
         This shows that a measure came before, around or after a proposal, never that the proposal caused it.\n"
    );
    let _ = writeln!(
        s,
        "- Judged as of **{}**; measures dated later are left out.\n\
         - A measure is *concurrent* when it may fall within {} days either side of the proposal's date (the session's opening day when the source gives none), \
         *later* when it certainly falls after that window, *preceded* when it certainly falls before it. \
         A measure dated only by month or year is compared as that whole month or year, never given an invented day, and has no lag in days.\n\
         - Evidence strength: law 5; regulation and standard 4; pilot and local rule 3; plan 2; reply 1.\n\
         - *Adopted later*: yes when a later measure was adopted, partial when later measures were only partial.\n",
        t.as_of.format("%Y-%m-%d"),
        t.concurrent_days
    );

    let _ = writeln!(s, "## By delegate\n");
    let _ = writeln!(s, "| Delegate | Proposal themes | Adopted later | Partial | Share followed | Median lag (days) |\n|---|---:|---:|---:|---:|---:|");
    for (d, r) in t
        .by_delegate
        .iter()
        .take(if t.by_delegate.len() > DETAIL_LIMIT {
            50
        } else {
            usize::MAX
        })
    {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            delegate_name(ds, *d),
            r.total,
            r.yes,
            r.partial,
            pct(r.share()),
            r.median_lag_days.map_or("—".into(), |x| format!("{x:.0}"))
        );
    }
    let _ = writeln!(s);

    let _ = writeln!(
        s,
        "## By theme\n\nThemes with at least one linked measure.\n"
    );
    let _ = writeln!(s, "| Theme | Proposal themes | Adopted later | Partial | Share followed | Median lag (days) |\n|---|---:|---:|---:|---:|---:|");
    let linked: std::collections::BTreeSet<usize> =
        t.links.iter().map(|l| l.theme as usize).collect();
    for (th, r) in t.by_theme.iter().filter(|(th, _)| linked.contains(th)) {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            theme_label(ds, *th),
            r.total,
            r.yes,
            r.partial,
            pct(r.share()),
            r.median_lag_days.map_or("—".into(), |x| format!("{x:.0}"))
        );
    }
    let _ = writeln!(s);

    let _ = writeln!(s, "## Proposal themes and the measures on them\n");
    let _ = writeln!(s, "| Proposal | Delegate | Theme | Measure | Measure date | Timing | Lag (days) | Strength |\n|---|---|---|---|---|---|---:|---:|");
    for l in t.links.iter().take(500) {
        let p = &ds.proposals[l.proposal as usize];
        let me = &ds.adoptions[l.measure as usize];
        let _ = writeln!(
            s,
            "| {} {} | {} | {} | {} | {} | {} | {} | {} |",
            p.year,
            proposal_ref(ds, l.proposal as usize),
            delegate_name(ds, m.delegate_of[l.proposal as usize]),
            theme_label(ds, l.theme as usize),
            md(&me.measure),
            me.date,
            l.timing.as_str(),
            l.lag_days.map_or("—".into(), |d| d.to_string()),
            l.strength
        );
    }
    if t.links.len() > 500 {
        let _ = writeln!(
            s,
            "\nThe first 500 of {} links; `adoption_links.csv` holds all.",
            t.links.len()
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
        &mut s,
        "Already in place (preceded every proposal on its theme)",
        &t.already_in_place,
        "None.",
    );
    list(&mut s, "Not linked to any proposal", &t.unlinked, "None.");
    if !t.ignored.is_empty() {
        list(
            &mut s,
            "Left out: dated after the as-of date",
            &t.ignored,
            "None.",
        );
    }

    let _ = writeln!(s, "## Every measure, with its source\n");
    let _ = writeln!(s, "| Date | Measure | Issuer | Kind (strength) | Status | Theme | Source | Note |\n|---|---|---|---|---|---|---|---|");
    let mut measures: Vec<usize> = (0..ds.adoptions.len()).collect();
    measures.sort_by(|&x, &y| {
        let (a, b) = (&ds.adoptions[x], &ds.adoptions[y]);
        (a.date.sort_key(), &a.id).cmp(&(b.date.sort_key(), &b.id))
    });
    for i in measures {
        let me = &ds.adoptions[i];
        let theme = measure_theme(ds, me);
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} ({}) | {} | {} | {} | {} |",
            me.date,
            md(&me.measure),
            md(&me.issuer),
            me.kind.as_str(),
            me.kind.strength(),
            me.status.as_str(),
            theme,
            md(&me.source),
            md(&me.note)
        );
    }
    s
}
