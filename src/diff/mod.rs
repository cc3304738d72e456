//! The diff: per delegate, which themes are new, dropped or recurring
//! between two years, and what each delegate's state is; plus the history
//! over all years.
//!
//! The set differences run on polars: proposals are exploded to one row per
//! (delegate, theme, year, proposal) and sorted, so each (delegate, theme,
//! year) is one run of rows; the runs of two years are full-joined on
//! (delegate, theme). A change keeps spans into the sorted facts instead of
//! lists of its own. A stage takes the model and returns plain tables;
//! nothing here touches the disk.

pub mod history;
pub mod wording;

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::normalize::Model;

/// What happened to a theme between two years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    New,
    Dropped,
    Recurring,
}

impl Change {
    pub fn as_str(&self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Dropped => "dropped",
            Change::Recurring => "recurring",
        }
    }
}

/// A delegate's standing across a pair of years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum State {
    /// Records in both years.
    Continuing,
    /// Records only in the second year, not a member in the first.
    Joined,
    /// Records only in the second year, a member without records in the first.
    Resumed,
    /// Records only in the first year, not a member in the second.
    Left,
    /// Records only in the first year, a member without records in the second.
    NoRecord,
}

impl State {
    pub fn as_str(&self) -> &'static str {
        match self {
            State::Continuing => "continuing",
            State::Joined => "joined",
            State::Resumed => "resumed",
            State::Left => "left",
            State::NoRecord => "no-record",
        }
    }
}

/// A list inside [`Lists`]: `len` items from `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: u32,
    pub len: u32,
}

impl Span {
    pub(crate) fn of(start: usize, len: usize) -> Span {
        Span {
            start: start as u32,
            len: len as u32,
        }
    }

    fn range(self) -> std::ops::Range<usize> {
        self.start as usize..(self.start + self.len) as usize
    }
}

/// The lists the diffs point into, shared by every pair: a theme change
/// or a delegate change is a few integers, however many proposals it names.
#[derive(Debug, Default, PartialEq)]
pub struct Lists {
    /// Proposal indices of the facts, sorted by delegate, theme, year, proposal.
    proposals: Vec<u32>,
    /// Distinct theme indices per delegate and year, sorted.
    themes: Vec<u32>,
}

/// One theme of one delegate across the pair.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeChange {
    pub delegate: u32,
    pub theme: u32,
    pub change: Change,
    /// Proposals raising the theme in the first year ([`YearDiff::proposals`]).
    pub from: Span,
    /// Proposals raising it in the second year.
    pub to: Span,
    /// For recurring themes: how similar the wording of the titles is, 0 to 1.
    pub similarity: Option<f32>,
    /// For new themes: the latest year before the first year in which the
    /// delegate raised the theme (a *returning* theme); `None` when never.
    pub last_raised: Option<i32>,
    /// For dropped themes: the first year after the second year in which
    /// the delegate raised the theme again; `None` when never.
    pub next_raised: Option<i32>,
}

/// One delegate across the pair.
#[derive(Debug, Clone, PartialEq)]
pub struct DelegateChange {
    pub delegate: u32,
    pub state: State,
    /// Themes in the first year ([`YearDiff::themes_of`]).
    pub themes_from: Span,
    pub themes_to: Span,
}

/// The diff of one pair of years.
#[derive(Debug, Clone, PartialEq)]
pub struct YearDiff {
    pub from: i32,
    pub to: i32,
    /// Every delegate with records in either year, by delegate index.
    pub delegates: Vec<DelegateChange>,
    /// Themes of continuing delegates, by delegate then theme index.
    pub themes: Vec<ThemeChange>,
    lists: std::sync::Arc<Lists>,
}

impl YearDiff {
    /// The proposals of a span, sorted by index.
    pub fn proposals(&self, s: Span) -> &[u32] {
        &self.lists.proposals[s.range()]
    }

    /// The themes of a span, sorted by index.
    pub fn themes_of(&self, s: Span) -> &[u32] {
        &self.lists.themes[s.range()]
    }

    /// The theme changes of one delegate (they are sorted by delegate).
    pub fn themes_of_delegate(&self, delegate: u32) -> &[ThemeChange] {
        let lo = self.themes.partition_point(|t| t.delegate < delegate);
        let hi = self.themes.partition_point(|t| t.delegate <= delegate);
        &self.themes[lo..hi]
    }

    /// Keeps only the delegates at these indices of [`Self::delegates`],
    /// in this order, with their theme changes.
    pub fn keep(&mut self, shown: &[usize]) {
        let delegates: Vec<DelegateChange> =
            shown.iter().map(|&i| self.delegates[i].clone()).collect();
        let mut kept: Vec<u32> = delegates.iter().map(|x| x.delegate).collect();
        kept.sort_unstable();
        self.themes
            .retain(|t| kept.binary_search(&t.delegate).is_ok());
        self.themes.shrink_to_fit();
        self.delegates = delegates;
    }

    /// Keeps one delegate only.
    pub fn retain_delegate(&mut self, delegate: u32) {
        self.delegates.retain(|x| x.delegate == delegate);
        self.themes.retain(|x| x.delegate == delegate);
    }
}

/// The exploded facts, with the per-year frames the pairs are joined on
/// and the lists the diffs point into.
pub struct Facts {
    /// One row per (delegate, theme, year, proposal), in that order: what
    /// the history walks. Freed once it has ([`Facts::drop_rows`]).
    pub rows: Vec<(u32, u32, i32, u32)>,
    /// Per year: one row per (delegate, theme) raised that year, sorted,
    /// with where its facts start and how many there are.
    spans: BTreeMap<i32, DataFrame>,
    lists: std::sync::Arc<Lists>,
    /// Per year: the delegates with records (a proposal, even one without
    /// themes), sorted, each with their distinct themes.
    active: BTreeMap<i32, Vec<(u32, Span)>>,
}

impl Facts {
    /// Frees the rows: the pairs need only the per-year frames and lists.
    pub fn drop_rows(&mut self) {
        self.rows = Vec::new();
    }
}

/// Builds the facts of a model.
pub fn facts(model: &Model) -> PolarsResult<Facts> {
    let ds = &model.ds;
    let n: usize = model.tags.total();
    // (delegate, theme, year, proposal) packed for one sort.
    let mut rows: Vec<(u32, u32, i32, u32)> = Vec::with_capacity(n);
    for (p, tags) in model.tags.iter().enumerate() {
        let d = model.delegate_of[p] as u32;
        let year = ds.proposals[p].year;
        rows.extend(tags.iter().map(|t| (d, t.theme, year, p as u32)));
    }
    rows.sort_unstable();
    rows.dedup();

    // Per year, the delegates with records: a proposal without themes
    // still marks its delegate as active.
    let mut with_records: Vec<(i32, u32)> = ds
        .proposals
        .iter()
        .zip(&model.delegate_of)
        .map(|(p, &d)| (p.year, d as u32))
        .collect();
    with_records.sort_unstable();
    with_records.dedup();
    // Per (delegate, year): the distinct themes, from the facts, where
    // each delegate's rows are together (no sort of every row).
    let mut themes = Vec::with_capacity(n);
    let mut raised: BTreeMap<i32, Vec<(u32, Span)>> = BTreeMap::new();
    let mut mine: Vec<(i32, u32)> = Vec::new();
    for run in rows.chunk_by(|a, b| a.0 == b.0) {
        let d = run[0].0;
        mine.clear();
        mine.extend(run.iter().map(|r| (r.2, r.1)));
        mine.sort_unstable();
        mine.dedup();
        for group in mine.chunk_by(|a, b| a.0 == b.0) {
            let start = themes.len();
            themes.extend(group.iter().map(|g| g.1));
            raised
                .entry(group[0].0)
                .or_default()
                .push((d, Span::of(start, group.len())));
        }
    }
    drop(mine);
    // Every delegate with records, in order, with its themes (none for a
    // delegate whose proposals that year carry none).
    let mut active: BTreeMap<i32, Vec<(u32, Span)>> = BTreeMap::new();
    for group in with_records.chunk_by(|a, b| a.0 == b.0) {
        let year = group[0].0;
        let spans = raised.remove(&year).unwrap_or_default();
        let mut spans = spans.into_iter().peekable();
        let list: Vec<(u32, Span)> = group
            .iter()
            .map(|&(_, d)| {
                let span = spans.next_if(|s| s.0 == d).map_or(Span::default(), |s| s.1);
                (d, span)
            })
            .collect();
        active.insert(year, list);
    }
    drop(with_records);

    // The facts are sorted, so each (delegate, theme, year) is one run.
    let mut by_year: BTreeMap<i32, [Vec<u32>; 4]> = BTreeMap::new();
    let mut start = 0;
    for run in rows.chunk_by(|a, b| (a.0, a.1, a.2) == (b.0, b.1, b.2)) {
        let (d, t, y, _) = run[0];
        let [ds_, ts, starts, lens] = by_year.entry(y).or_default();
        ds_.push(d);
        ts.push(t);
        starts.push(start as u32);
        lens.push(run.len() as u32);
        start += run.len();
    }
    let mut spans = BTreeMap::new();
    for (y, [d, t, starts, lens]) in by_year {
        spans.insert(
            y,
            df!("delegate" => d, "theme" => t, "start" => starts, "len" => lens)?,
        );
    }

    let proposals = rows.iter().map(|r| r.3).collect();
    Ok(Facts {
        rows,
        spans,
        lists: std::sync::Arc::new(Lists { proposals, themes }),
        active,
    })
}

/// Is the delegate a member of any body in that year? A delegate with no
/// membership rows at all is taken as a member, so a missing year reads as
/// "no record", never as a claim that the person left.
pub fn is_member(model: &Model, delegate: usize, year: i32) -> bool {
    let terms = &model.terms[delegate];
    terms.is_empty() || terms.iter().any(|m| m.covers(year))
}

/// A column as u32 (nulls stay nulls), sharing the frame's buffers.
fn u32_column(df: &DataFrame, name: &str) -> PolarsResult<UInt32Chunked> {
    Ok(df
        .column(name)?
        .as_materialized_series()
        .cast(&DataType::UInt32)?
        .u32()?
        .clone())
}

/// Per (delegate, theme) raised in a year: where its facts start and how
/// many there are, as `start_<side>` and `len_<side>`.
fn spans(facts: &Facts, year: i32, side: &str) -> PolarsResult<LazyFrame> {
    let frame = match facts.spans.get(&year) {
        Some(f) => f.clone(),
        None => df!(
            "delegate" => Vec::<u32>::new(),
            "theme" => Vec::<u32>::new(),
            "start" => Vec::<u32>::new(),
            "len" => Vec::<u32>::new(),
        )?,
    };
    Ok(frame.lazy().select([
        col("delegate"),
        col("theme"),
        col("start").alias(format!("start_{side}")),
        col("len").alias(format!("len_{side}")),
    ]))
}

/// Diffs two years. `facts` is [`facts`] of the model, `history` its
/// [`history::history`] (for the years a theme was raised before and after).
pub fn diff_years(
    model: &Model,
    facts: &Facts,
    history: &history::History,
    from: i32,
    to: i32,
) -> PolarsResult<YearDiff> {
    // Delegates: a merge of the two years' active delegates.
    let none = Vec::new();
    let a = facts.active.get(&from).unwrap_or(&none);
    let b = facts.active.get(&to).unwrap_or(&none);
    let mut delegates = Vec::with_capacity(a.len().max(b.len()));
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let (d, in_from, in_to) = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x.0 == y.0 => (x.0, true, true),
            (Some(x), Some(y)) if x.0 < y.0 => (x.0, true, false),
            (Some(x), None) => (x.0, true, false),
            (_, Some(y)) => (y.0, false, true),
            (None, None) => unreachable!("the loop condition"),
        };
        let themes_from = if in_from { a[i].1 } else { Span::default() };
        let themes_to = if in_to { b[j].1 } else { Span::default() };
        i += usize::from(in_from);
        j += usize::from(in_to);
        let state = match (in_from, in_to) {
            (true, true) => State::Continuing,
            (false, _) if is_member(model, d as usize, from) => State::Resumed,
            (false, _) => State::Joined,
            (true, false) if is_member(model, d as usize, to) => State::NoRecord,
            (true, false) => State::Left,
        };
        delegates.push(DelegateChange {
            delegate: d,
            state,
            themes_from,
            themes_to,
        });
    }
    let continuing: Vec<u32> = delegates
        .iter()
        .filter(|d| d.state == State::Continuing)
        .map(|d| d.delegate)
        .collect();

    // Themes of continuing delegates: a full join on (delegate, theme);
    // a missing side makes the theme new or dropped.
    let both = df!("delegate" => continuing)?.lazy();
    let on = [col("delegate"), col("theme")];
    let themes = spans(facts, from, "from")?
        .join(
            spans(facts, to, "to")?,
            on.clone(),
            on,
            JoinArgs::new(JoinType::Full).with_coalesce(JoinCoalesce::CoalesceColumns),
        )
        .join(
            both,
            [col("delegate")],
            [col("delegate")],
            JoinArgs::new(JoinType::Inner),
        )
        .sort(["delegate", "theme"], SortMultipleOptions::default())
        .collect()?;

    // The six columns walked side by side, never copied out: at 10 million
    // rows a pair has millions of rows.
    let column = |name: &str| u32_column(&themes, name);
    let d = column("delegate")?;
    let t = column("theme")?;
    let (sf, lf_) = (column("start_from")?, column("len_from")?);
    let (st, lt) = (column("start_to")?, column("len_to")?);
    let span = |s: Option<u32>, l: Option<u32>| Span {
        start: s.unwrap_or(0),
        len: l.filter(|_| s.is_some()).unwrap_or(0),
    };
    let mut diff = YearDiff {
        from,
        to,
        delegates,
        themes: Vec::with_capacity(d.len()),
        lists: facts.lists.clone(),
    };
    let rows = d
        .iter()
        .zip(t.iter())
        .zip(sf.iter().zip(lf_.iter()))
        .zip(st.iter().zip(lt.iter()));
    // The rows come sorted by (delegate, theme), as the history's do.
    let mut cursor = 0;
    for (((d, t), (sf, lf_)), (st, lt)) in rows {
        let (from_span, to_span) = (span(sf, lf_), span(st, lt));
        let change = match (from_span.len, to_span.len) {
            (0, _) => Change::New,
            (_, 0) => Change::Dropped,
            _ => Change::Recurring,
        };
        let similarity = (change == Change::Recurring).then(|| {
            wording::ratio(
                &titles(model, diff.proposals(from_span)),
                &titles(model, diff.proposals(to_span)),
            )
        });
        let (delegate, theme) = (d.unwrap_or(u32::MAX), t.unwrap_or(u32::MAX));
        let (last_raised, next_raised) = match change {
            Change::New => {
                let raised = history.raised_from(&mut cursor, delegate, theme);
                (history::last_before(raised, from), None)
            }
            Change::Dropped => {
                let raised = history.raised_from(&mut cursor, delegate, theme);
                (None, history::next_after(raised, to))
            }
            Change::Recurring => (None, None),
        };
        diff.themes.push(ThemeChange {
            delegate,
            theme,
            change,
            from: from_span,
            to: to_span,
            similarity,
            last_raised,
            next_raised,
        });
    }
    Ok(diff)
}

/// The distinct titles of some proposals, joined for comparison.
pub fn titles(model: &Model, proposals: &[u32]) -> String {
    let mut seen: Vec<&str> = Vec::with_capacity(proposals.len());
    for &p in proposals {
        let title = model.ds.title(&model.ds.proposals[p as usize]);
        if !seen.contains(&title) {
            seen.push(title);
        }
    }
    seen.join(" / ")
}

/// Counts per change kind, for summaries.
pub fn change_counts(diff: &YearDiff) -> BTreeMap<Change, usize> {
    let mut m = BTreeMap::new();
    for t in &diff.themes {
        *m.entry(t.change).or_insert(0) += 1;
    }
    m
}
