//! What the pages show, decided once: every headline figure, every
//! coverage statement, and every shortened table's choice of rows with the
//! "first N of M, by …" note that goes with it.
//!
//! Pure: tables in, plain values out, tested without rendering. The
//! Markdown renderers only format what this module decides; a renderer
//! that computed a median or picked rows itself is where two medians and
//! silent truncations come from.

pub mod select;

use std::collections::BTreeMap;

use crate::adoption::{AdoptionTables, Followed};
use crate::dataset::{Body, Confidence};
use crate::diff::history::{History, ThemeHistory};
use crate::diff::{Change, DelegateChange, State, YearDiff};
use crate::normalize::{Groups, Model};
use crate::report::Analysis;
pub use select::Cut;

/// Headline figures over a set of proposals.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Figures {
    pub proposals: usize,
    pub delegates: usize,
    /// Proposal × theme pairs.
    pub proposal_themes: usize,
    /// Proposal themes followed by a later measure with status adopted.
    pub followed_yes: usize,
    /// Proposal themes followed by later measures that are all partial.
    pub followed_partial: usize,
    /// Median lag in days to the first later measure, over the proposal
    /// themes whose first later measure is dated to the day.
    pub median_lag_days: Option<f64>,
    /// How many lags that median is over.
    pub lags: usize,
    /// (theme, year) pairs raised by two or more delegates.
    pub convergent: usize,
    /// (delegate, theme) pairs raised, absent in a year with records, raised again.
    pub returning: usize,
    /// Proposals from a weak source (a mirror or repost unconfirmed by an
    /// original, or an inferred year).
    pub low: usize,
}

impl Figures {
    pub fn followed(&self) -> usize {
        self.followed_yes + self.followed_partial
    }
}

/// The headline figures over every proposal, and over high-confidence
/// proposals only.
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    pub all: Figures,
    pub high: Figures,
}

/// Computes the figures over the proposals `keep` accepts. One definition
/// serves both columns of the headline table.
pub fn figures(model: &Model, adoption: &AdoptionTables, keep: impl Fn(usize) -> bool) -> Figures {
    let mut one = figures_of(model, adoption, &[(&keep, false)]);
    one.pop().expect("one set of figures asked, one given")
}

/// [`figures`] over several sets of proposals, with one pass over the
/// follow-up verdicts for all of them (they are computed as they go). Each
/// set is the proposals its test keeps, and whether a follow-up also needs
/// a deciding measure of high confidence (the high-confidence column).
pub fn figures_of(
    model: &Model,
    adoption: &AdoptionTables,
    keeps: &[(&dyn Fn(usize) -> bool, bool)],
) -> Vec<Figures> {
    let ds = &model.ds;
    let mut all: Vec<Figures> = keeps.iter().map(|keep| records(model, keep.0)).collect();
    let mut lags: Vec<Vec<i32>> = vec![Vec::new(); keeps.len()];
    let judged = adoption.for_each(model, &mut |v, _| {
        let weak_measure = v
            .deciding_measure
            .is_some_and(|m| ds.adoptions[m as usize].confidence == Some(Confidence::Low));
        for ((f, lags), &(keep, high)) in all.iter_mut().zip(&mut lags).zip(keeps) {
            if keep(v.proposal as usize) {
                f.proposal_themes += 1;
                if high && weak_measure {
                    continue;
                }
                match v.followed {
                    Followed::Yes => f.followed_yes += 1,
                    Followed::Partial => f.followed_partial += 1,
                    Followed::No => {}
                }
                lags.extend(v.lag_days);
            }
        }
        Ok(())
    });
    debug_assert!(judged.is_ok(), "counting writes nothing");
    for (f, mut lags) in all.iter_mut().zip(lags) {
        lags.sort_unstable();
        f.lags = lags.len();
        f.median_lag_days = median(&lags);
    }
    all
}

/// The figures that come from the records alone, over the proposals
/// `keep` accepts.
fn records(model: &Model, keep: &dyn Fn(usize) -> bool) -> Figures {
    let ds = &model.ds;
    let mut f = Figures::default();
    // Per delegate, over the proposals kept: its (theme, year) pairs and
    // the years it has records, each list small and sorted in place.
    // Delegates raising each (theme, year) are counted in a dense table.
    let n_years = model.years.len();
    let mut raisers = vec![0u32; ds.themes.len() * n_years];
    let (mut raised, mut active, mut years) = (Vec::new(), Vec::new(), Vec::new());
    for mine in model.proposals_by_delegate() {
        raised.clear();
        active.clear();
        for p in mine.iter().map(|&p| p as usize).filter(|&p| keep(p)) {
            let year = ds.proposals[p].year;
            f.proposals += 1;
            f.low += usize::from(ds.proposals[p].confidence == Some(Confidence::Low));
            active.push(year);
            raised.extend(model.tags[p].iter().map(|t| (t.theme, year)));
        }
        if active.is_empty() {
            continue;
        }
        f.delegates += 1;
        active.sort_unstable();
        active.dedup();
        raised.sort_unstable();
        raised.dedup();
        for run in raised.chunk_by(|a, b| a.0 == b.0) {
            years.clear();
            years.extend(run.iter().map(|r| r.1));
            // Returning: raised, absent in a year with records, raised again.
            f.returning +=
                usize::from(crate::diff::history::streaks(&years, &model.years, &active).1);
            for &(theme, year) in run {
                let y = model
                    .years
                    .binary_search(&year)
                    .expect("proposal years are dataset years");
                raisers[theme as usize * n_years + y] += 1;
            }
        }
    }
    // Convergent: (theme, year) with two or more delegates.
    f.convergent = raisers.iter().filter(|&&n| n >= 2).count();

    f
}

/// The headline over all proposals and over high-confidence ones.
pub fn headline(model: &Model, adoption: &AdoptionTables) -> Headline {
    let ds = &model.ds;
    let high = |p: usize| ds.proposals[p].confidence != Some(Confidence::Low);
    let [all, high]: [Figures; 2] =
        figures_of(model, adoption, &[(&|_| true, false), (&high, true)])
            .try_into()
            .expect("two sets of figures asked, two given");
    Headline { all, high }
}

/// The median of sorted values.
pub fn median(sorted: &[i32]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(f64::from(sorted[n / 2])),
        _ => Some((f64::from(sorted[n / 2 - 1]) + f64::from(sorted[n / 2])) / 2.0),
    }
}

/// One dataset year's share of the records.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct YearCoverage {
    pub year: i32,
    pub proposals: usize,
    pub low: usize,
    pub delegates: usize,
    pub proposal_themes: usize,
}

/// What the records cover: the statement every reader needs before
/// reading "dropped" or "no later measure".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Coverage {
    /// Delegates in `delegates.csv`.
    pub delegates_listed: usize,
    pub delegates_with_records: usize,
    /// Delegate-years in office within the dataset years, for delegates
    /// whose terms are known from `memberships.csv`.
    pub years_in_office: usize,
    /// Of those, the delegate-years with at least one record.
    pub years_in_office_with_records: usize,
    /// Delegate-years of unknown membership (after an open term's last
    /// confirmed year), left out of the delegate-years in office, and of
    /// them those with a record.
    pub years_unknown: usize,
    pub years_unknown_with_records: usize,
    /// Delegates with records but no membership row: their years in
    /// office are unknown.
    pub unknown_terms: Vec<usize>,
    pub years: Vec<YearCoverage>,
    pub proposals: usize,
    pub low: usize,
    pub proposal_themes: usize,
    /// The years with the most proposal themes (several when tied).
    pub busiest_years: Vec<YearCoverage>,
    /// The delegate with the most proposal themes, and how many.
    pub busiest_delegate: Option<(usize, usize)>,
    pub measures: usize,
}

pub fn coverage(model: &Model) -> Coverage {
    let ds = &model.ds;
    let mut c = Coverage {
        delegates_listed: ds.delegates.len(),
        proposals: ds.proposals.len(),
        measures: ds.adoptions.len(),
        ..Default::default()
    };
    let mut years: BTreeMap<i32, (YearCoverage, Vec<usize>)> = model
        .years
        .iter()
        .map(|&y| {
            (
                y,
                (
                    YearCoverage {
                        year: y,
                        ..Default::default()
                    },
                    Vec::new(),
                ),
            )
        })
        .collect();
    let mut themes_of_delegate = vec![0usize; ds.delegates.len()];
    for (p, x) in ds.proposals.iter().enumerate() {
        let d = model.delegate_of[p];
        let low = x.confidence == Some(Confidence::Low);
        let n = model.tags[p].len();
        c.low += usize::from(low);
        c.proposal_themes += n;
        themes_of_delegate[d] += n;
        if let Some((y, ds_)) = years.get_mut(&x.year) {
            y.proposals += 1;
            y.low += usize::from(low);
            y.proposal_themes += n;
            ds_.push(d);
        }
    }
    for (y, mut delegates) in years.into_values() {
        delegates.sort_unstable();
        delegates.dedup();
        c.years.push(YearCoverage {
            delegates: delegates.len(),
            ..y
        });
    }
    let most = c.years.iter().map(|y| y.proposal_themes).max().unwrap_or(0);
    c.busiest_years = c
        .years
        .iter()
        .filter(|y| most > 0 && y.proposal_themes == most)
        .cloned()
        .collect();
    c.busiest_delegate = themes_of_delegate
        .iter()
        .enumerate()
        .filter(|(_, &n)| n > 0)
        .max_by_key(|&(d, &n)| (n, std::cmp::Reverse(d)))
        .map(|(d, &n)| (d, n));

    for (d, proposals) in model.proposals_by_delegate().enumerate() {
        if proposals.is_empty() {
            continue;
        }
        c.delegates_with_records += 1;
        if !model.has_terms(d) {
            c.unknown_terms.push(d);
            continue;
        }
        for &y in &model.years {
            let has = || (proposals.iter()).any(|&p| ds.proposals[p as usize].year == y);
            match crate::diff::standing(model, d, y) {
                crate::dataset::Standing::Member => {
                    c.years_in_office += 1;
                    c.years_in_office_with_records += usize::from(has());
                }
                crate::dataset::Standing::Unknown => {
                    c.years_unknown += 1;
                    c.years_unknown_with_records += usize::from(has());
                }
                crate::dataset::Standing::NotMember => {}
            }
        }
    }
    c
}

/// The year of a delegate's first record in the datasets.
pub fn first_record(model: &Model, delegate: usize) -> Option<i32> {
    let first = model.proposals_of(delegate).next()?;
    Some(model.ds.proposals[first].year)
}

/// How a delegate without records in the first year of a pair is described.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    /// Not a member in the first year.
    Joined,
    /// A member without records in the first year, and no record before
    /// it either: the second year holds the first record in the datasets.
    FirstRecord,
    /// A member without records in the first year, with records before it.
    Resumed,
}

pub fn arrival(model: &Model, change: &DelegateChange, to: i32) -> Option<Arrival> {
    match change.state {
        State::Joined => Some(Arrival::Joined),
        State::Resumed if first_record(model, change.delegate as usize) == Some(to) => {
            Some(Arrival::FirstRecord)
        }
        State::Resumed => Some(Arrival::Resumed),
        _ => None,
    }
}

/// A delegate's move between bodies across a pair: the body of each year,
/// from the proposals of that year, else from the one membership covering
/// it, when the two differ.
pub fn moved(model: &Model, delegate: usize, from: i32, to: i32) -> Option<(Body, Body)> {
    let ds = &model.ds;
    let body_in = |year: i32| {
        let mut bodies: Vec<Body> = model
            .proposals_of(delegate)
            .filter(|&p| ds.proposals[p].year == year)
            .map(|p| ds.proposals[p].body)
            .collect();
        if bodies.is_empty() {
            bodies = model
                .terms(delegate)
                .filter(|m| m.covers(year))
                .map(|m| m.body)
                .collect();
        }
        bodies.sort_unstable();
        bodies.dedup();
        // Two bodies in one year: no single move to report.
        match bodies.as_slice() {
            [b] => Some(*b),
            _ => None,
        }
    };
    match (body_in(from), body_in(to)) {
        (Some(a), Some(b)) if a != b => Some((a, b)),
        _ => None,
    }
}

/// The counts of one year pair, as the index's year-over-year table shows them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PairCounts {
    pub from: i32,
    pub to: i32,
    pub continuing: usize,
    pub joined: usize,
    pub first_record: usize,
    pub resumed: usize,
    pub left: usize,
    pub no_record: usize,
    /// New themes never raised by the delegate before.
    pub first_raised: usize,
    /// New themes the delegate had raised in an earlier year.
    pub returning: usize,
    pub dropped: usize,
    pub recurring: usize,
}

pub fn pair_counts(model: &Model, d: &YearDiff) -> PairCounts {
    let mut c = PairCounts {
        from: d.from,
        to: d.to,
        ..Default::default()
    };
    for x in &d.delegates {
        match (x.state, arrival(model, x, d.to)) {
            (State::Continuing, _) => c.continuing += 1,
            (State::Left, _) => c.left += 1,
            (State::NoRecord, _) => c.no_record += 1,
            (_, Some(Arrival::Joined)) => c.joined += 1,
            (_, Some(Arrival::FirstRecord)) => c.first_record += 1,
            (_, _) => c.resumed += 1,
        }
    }
    for t in &d.themes {
        match (t.change, t.last_raised) {
            (Change::New, None) => c.first_raised += 1,
            (Change::New, Some(_)) => c.returning += 1,
            (Change::Dropped, _) => c.dropped += 1,
            (Change::Recurring, _) => c.recurring += 1,
        }
    }
    c
}

/// A year pair as its page needs it, kept once the pair's rows are
/// written: the counts, and only the delegates the page details with
/// their theme changes. At scale a pair's full diff is millions of rows;
/// this is a few hundred.
#[derive(Debug, Clone)]
pub struct PairPage {
    /// The delegates the page details, in display order, and their themes.
    pub diff: YearDiff,
    /// Counts over the whole pair.
    pub counts: PairCounts,
    /// Which delegates the page details, out of how many; its `shown` are
    /// the indices of `diff.delegates`.
    pub cut: Cut,
}

impl PairPage {
    pub fn new(model: &Model, mut diff: YearDiff) -> PairPage {
        let counts = pair_counts(model, &diff);
        let mut cut = diff_delegates(&diff);
        diff.keep(&cut.shown);
        cut.shown = (0..cut.shown.len()).collect();
        PairPage { diff, counts, cut }
    }
}

/// The delegates a year pair's page details: all of them, or at scale
/// the ones that moved most (new plus dropped themes).
pub fn diff_delegates(d: &YearDiff) -> Cut {
    let total = d.delegates.len();
    if total <= select::DETAIL_LIMIT {
        return Cut::all(total, "delegates");
    }
    // New plus dropped themes per delegate, in one walk: both lists are
    // sorted by delegate.
    let mut moves = vec![0usize; total];
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
    Cut::top(
        total,
        select::DETAIL_LIMIT,
        select::SHORT,
        "delegates",
        "most new and dropped themes, then id",
        |i| (std::cmp::Reverse(moves[i]), d.delegates[i].delegate),
    )
}

/// The delegates whose theme-by-year matrices history.md shows: all of
/// them, or at scale those with the most themes. Indices are into the
/// runs of `History::themes` by delegate (the issue-diversity table shows
/// the same delegates).
pub fn history_delegates(h: &History) -> (Vec<u32>, Cut) {
    let runs: Vec<&[ThemeHistory]> = h.themes.chunk_by(|a, b| a.delegate == b.delegate).collect();
    let delegates = runs.iter().map(|r| r[0].delegate).collect();
    let cut = Cut::top(
        runs.len(),
        select::DETAIL_LIMIT,
        select::SHORT,
        "delegates",
        "most distinct themes, then id",
        |i| (std::cmp::Reverse(runs[i].len()), runs[i][0].delegate),
    );
    (delegates, cut)
}

/// The within-year convergence rows (themes raised by two or more
/// delegates in one year), in year order, the most delegates first.
pub fn convergence_in_year(h: &History) -> (Vec<usize>, Cut) {
    let mut rows: Vec<usize> = (0..h.theme_years.len())
        .filter(|&i| h.theme_years[i].delegates.len() >= 2)
        .collect();
    rows.sort_by_key(|&i| {
        let t = &h.theme_years[i];
        (t.year, std::cmp::Reverse(t.delegates.len()), t.theme)
    });
    let cut = Cut::top(
        rows.len(),
        select::DETAIL_LIMIT,
        select::DETAIL_LIMIT,
        "theme-years",
        "year, then most delegates",
        |i| i,
    );
    (rows, cut)
}

/// A theme or category raised by two or more delegates over all years.
#[derive(Debug, Clone, PartialEq)]
pub struct Convergence {
    /// `theme` or `category`.
    pub level: &'static str,
    /// The theme or category id.
    pub group: String,
    /// Each delegate with their years' range in `years`, by first year then id.
    pub delegates: Vec<(u32, std::ops::Range<u32>)>,
    /// The years raised, each delegate's sorted and distinct.
    years: Vec<i32>,
}

impl Convergence {
    /// Each delegate with the years they raised the group, by first year then id.
    pub fn raised(&self) -> impl Iterator<Item = (u32, &[i32])> + '_ {
        self.delegates
            .iter()
            .map(|(d, r)| (*d, &self.years[r.start as usize..r.end as usize]))
    }
}

/// A level convergence is counted at: its name, its groups' ids in id
/// order, and each theme's group by theme index.
struct Level<'a> {
    name: &'static str,
    groups: Vec<&'a str>,
    group_of: Vec<u32>,
}

/// The two levels, in report order ("category" sorts before "theme").
fn convergence_levels(model: &Model) -> [Level<'_>; 2] {
    let themes = &model.ds.themes;
    let mut categories: Vec<&str> = themes.iter().map(|t| t.category.as_str()).collect();
    categories.sort_unstable();
    categories.dedup();
    let category_of = (themes.iter())
        .map(|t| {
            let c = categories.binary_search(&t.category.as_str());
            c.expect("every category is listed") as u32
        })
        .collect();
    [
        Level {
            name: "category",
            groups: categories,
            group_of: category_of,
        },
        Level {
            name: "theme",
            groups: themes.iter().map(|t| t.id.as_str()).collect(),
            group_of: (0..themes.len() as u32).collect(),
        },
    ]
}

/// The groups of two or more delegates, in report order: the most
/// delegates first, then by id; `delegates` is by group index.
fn report_order(delegates: &[usize], names: &[&str]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..delegates.len())
        .filter(|&g| delegates[g] >= 2)
        .collect();
    order.sort_by_key(|&g| (std::cmp::Reverse(delegates[g]), names[g]));
    order
}

/// Convergence across years: for each theme and each category, which
/// delegates ever raised it, and when; only groups with two or more
/// delegates. Each group is built, handed to `each` and dropped, in report
/// order (categories, then themes; most delegates first, then id): the
/// groups of 10 million proposals are never all in memory at once.
pub fn for_each_convergence(
    model: &Model,
    h: &History,
    each: &mut dyn FnMut(&Convergence) -> std::io::Result<()>,
) -> std::io::Result<()> {
    for Level {
        name: level,
        groups: group_names,
        group_of,
    } in convergence_levels(model)
    {
        let group_of = |theme: u32| group_of[theme as usize];
        let groups = group_names.len();
        // Every history row, bucketed by group, as its index (4 bytes,
        // where its (delegate, year) pairs were 8 bytes per year). The
        // history comes sorted by delegate, and the bucketing keeps that
        // order: no sort of every row.
        let rows: Groups = Groups::new(
            groups,
            (h.themes.iter().enumerate()).map(|(i, t)| (group_of(t.theme) as usize, i as u32)),
        );
        let delegate = |i: &u32| h.themes[*i as usize].delegate;
        // Delegates per group, counted in order over the history (each
        // delegate's rows are together), then the groups of two or more
        // in order.
        let mut counts = vec![0usize; groups];
        let mut mine: Vec<u32> = Vec::new();
        for rows in h.themes.chunk_by(|a, b| a.delegate == b.delegate) {
            mine.clear();
            mine.extend(rows.iter().map(|t| group_of(t.theme)));
            mine.sort_unstable();
            mine.dedup();
            for &g in &mine {
                counts[g as usize] += 1;
            }
        }
        for g in report_order(&counts, &group_names) {
            let group = rows.get(g);
            // A delegate's years in one theme are ascending and distinct;
            // in a category, several themes' years are merged.
            let mut delegates: Vec<(i32, u32, std::ops::Range<u32>)> = Vec::new();
            let (mut years, mut mine) = (Vec::new(), Vec::new());
            for run in group.chunk_by(|a, b| delegate(a) == delegate(b)) {
                mine.clear();
                for &i in run {
                    mine.extend_from_slice(h.years(&h.themes[i as usize]));
                }
                mine.sort_unstable();
                mine.dedup();
                let start = years.len() as u32;
                years.extend_from_slice(&mine);
                delegates.push((mine[0], delegate(&run[0]), start..years.len() as u32));
            }
            delegates.sort_unstable_by_key(|d| (d.0, d.1));
            each(&Convergence {
                level,
                group: group_names[g].to_string(),
                delegates: delegates.into_iter().map(|(_, d, r)| (d, r)).collect(),
                years,
            })?;
        }
    }
    Ok(())
}

/// A convergence group as history.md lists it: how many delegates, and
/// the first few with their years.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvergenceShown {
    pub level: &'static str,
    pub group: String,
    pub delegates: usize,
    /// The first delegates, by first year then id, with their years.
    pub first: Vec<(u32, Vec<i32>)>,
}

/// What history.md shows of convergence across years.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConvergenceSummary {
    /// Per level, the first `groups` groups in report order.
    pub shown: Vec<ConvergenceShown>,
    /// Per level, how many groups there are.
    pub totals: BTreeMap<&'static str, usize>,
}

/// The first `groups` convergence groups of each level, each with its
/// first `names` delegates: what [`for_each_convergence`] gives, counted in
/// one pass over the history instead of building every group (at scale,
/// tens of millions of rows bucketed by group).
pub fn convergence_summary(
    model: &Model,
    h: &History,
    groups: usize,
    names: usize,
) -> ConvergenceSummary {
    /// A group's delegates so far, and the first `names` of them by
    /// (first year, delegate) with their years (a max-heap, so the last
    /// of them is the one to drop).
    #[derive(Default)]
    struct Tally {
        delegates: usize,
        first: std::collections::BinaryHeap<(i32, u32, Vec<i32>)>,
    }
    let mut sum = ConvergenceSummary::default();
    // One delegate's (group, year), reused.
    let (mut mine, mut years): (Vec<(u32, i32)>, Vec<i32>) = (Vec::new(), Vec::new());
    for level in convergence_levels(model) {
        let mut tallies: Vec<Tally> = (level.groups.iter()).map(|_| Tally::default()).collect();
        for rows in h.themes.chunk_by(|a, b| a.delegate == b.delegate) {
            let d = rows[0].delegate;
            mine.clear();
            for r in rows {
                let g = level.group_of[r.theme as usize];
                mine.extend(h.years(r).iter().map(|&y| (g, y)));
            }
            mine.sort_unstable();
            mine.dedup();
            for group in mine.chunk_by(|a, b| a.0 == b.0) {
                years.clear();
                years.extend(group.iter().map(|g| g.1));
                let tally = &mut tallies[group[0].0 as usize];
                tally.delegates += 1;
                let key = (years[0], d);
                let kept = tally.first.len() < names;
                if kept || tally.first.peek().is_some_and(|top| key < (top.0, top.1)) {
                    tally.first.push((key.0, key.1, years.clone()));
                    if !kept {
                        tally.first.pop();
                    }
                }
            }
        }
        let counts: Vec<usize> = tallies.iter().map(|t| t.delegates).collect();
        let order = report_order(&counts, &level.groups);
        if order.is_empty() {
            continue;
        }
        sum.totals.insert(level.name, order.len());
        for &g in order.iter().take(groups) {
            let tally = std::mem::take(&mut tallies[g]);
            sum.shown.push(ConvergenceShown {
                level: level.name,
                group: level.groups[g].to_string(),
                delegates: tally.delegates,
                first: (tally.first.into_sorted_vec().into_iter())
                    .map(|(_, d, years)| (d, years))
                    .collect(),
            });
        }
    }
    sum
}

/// Delegates per theme: distinct delegates ever, and per year.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeDelegates {
    pub theme: usize,
    /// Distinct delegates who raised it in any year.
    pub delegates: usize,
    /// (year, delegates that year).
    pub by_year: Vec<(i32, usize)>,
}

/// The delegates-per-theme table: by distinct delegates, then label.
pub fn delegates_per_theme(model: &Model, h: &History) -> (Vec<ThemeDelegates>, Cut) {
    let ds = &model.ds;
    let mut ever: BTreeMap<usize, Vec<u32>> = BTreeMap::new();
    let mut by_year: BTreeMap<usize, Vec<(i32, usize)>> = BTreeMap::new();
    for ty in &h.theme_years {
        ever.entry(ty.theme).or_default().extend(&ty.delegates);
        by_year
            .entry(ty.theme)
            .or_default()
            .push((ty.year, ty.delegates.len()));
    }
    let mut rows: Vec<ThemeDelegates> = ever
        .into_iter()
        .map(|(theme, mut d)| {
            d.sort_unstable();
            d.dedup();
            ThemeDelegates {
                theme,
                delegates: d.len(),
                by_year: by_year.remove(&theme).unwrap_or_default(),
            }
        })
        .collect();
    rows.sort_by_cached_key(|r| {
        (
            std::cmp::Reverse(r.delegates),
            ds.themes[r.theme].label_en.to_lowercase(),
            r.theme,
        )
    });
    let cut = Cut::top(
        rows.len(),
        60,
        60,
        "themes",
        "most distinct delegates, then label",
        |i| i,
    );
    (rows, cut)
}

/// What a delegate's profile leads with.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Profile {
    pub proposals: usize,
    /// Years with a record, ascending.
    pub years: Vec<i32>,
    pub proposal_themes: usize,
    /// Proposal themes followed by a later measure on the same theme.
    pub followed: usize,
    /// Proposals from a weak source (a mirror or repost unconfirmed by an
    /// original, or an inferred year).
    pub low: usize,
    /// The category with the most proposal themes (ties: by name).
    pub top_category: Option<(String, usize)>,
    /// Themes raised in more than one year, by theme index.
    pub recurring: Vec<usize>,
    /// Themes raised, absent in a year with records, raised again.
    pub returning: Vec<usize>,
}

pub fn profile(model: &Model, adoption: &AdoptionTables, d: usize) -> Profile {
    let ds = &model.ds;
    let mut p = Profile::default();
    let mut categories: BTreeMap<&str, usize> = BTreeMap::new();
    let mut raised: BTreeMap<usize, Vec<i32>> = BTreeMap::new();
    for i in model.proposals_of(d) {
        let x = &ds.proposals[i];
        p.proposals += 1;
        p.low += usize::from(x.confidence == Some(Confidence::Low));
        p.years.push(x.year);
        for t in &model.tags[i] {
            p.proposal_themes += 1;
            *categories
                .entry(ds.themes[t.theme as usize].category.as_str())
                .or_default() += 1;
            raised.entry(t.theme as usize).or_default().push(x.year);
            let followed = adoption
                .verdict(model, i as u32, t.theme)
                .is_some_and(|v| v.followed != Followed::No);
            p.followed += usize::from(followed);
        }
    }
    p.years.dedup();
    p.top_category = categories
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(c, n)| (c.to_string(), n));
    for (t, mut years) in raised {
        years.dedup();
        if years.len() > 1 {
            p.recurring.push(t);
        }
        if crate::diff::history::streaks(&years, &model.years, &p.years).1 {
            p.returning.push(t);
        }
    }
    p
}

/// The file name of a delegate's profile under `delegates/`: the id when
/// it is a plain slug, else `_delegate-<index>` (never a slug), so that no
/// file name is made from arbitrary dataset text.
pub fn profile_file(model: &Model, d: usize) -> String {
    let id = &model.ds.delegates[d].id;
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

/// The delegates with a profile page: all with records, or at scale those
/// with the most proposals. By delegate index: the file name, when shown.
pub fn profiles(model: &Model) -> (Vec<Option<String>>, Cut) {
    let with: Vec<usize> = (0..model.ds.delegates.len())
        .filter(|&d| model.proposals_of(d).len() > 0)
        .collect();
    let cut = Cut::top(
        with.len(),
        select::DETAIL_LIMIT,
        select::SHORT,
        "delegates",
        "most proposals, then id",
        |i| {
            (
                std::cmp::Reverse(model.proposals_of(with[i]).len()),
                with[i],
            )
        },
    );
    let mut files = vec![None; model.ds.delegates.len()];
    for &i in &cut.shown {
        files[with[i]] = Some(profile_file(model, with[i]));
    }
    let cut = Cut {
        shown: cut.shown.iter().map(|&i| with[i]).collect(),
        ..cut
    };
    (files, cut)
}

/// The delegates whose follow-up rates adoption.md shows: all with a
/// proposal theme, or at scale those with the most proposal themes; by
/// delegate index, with how many proposal themes each has.
pub fn rates_by_delegate(model: &Model) -> (Vec<(usize, usize)>, Cut) {
    let delegates: Vec<(usize, usize)> = (model.proposals_by_delegate().enumerate())
        .map(|(d, mine)| (d, mine.iter().map(|&p| model.tags[p as usize].len()).sum()))
        .filter(|&(_, themes)| themes > 0)
        .collect();
    let cut = Cut::top(
        delegates.len(),
        select::DETAIL_LIMIT,
        select::SHORT,
        "delegates",
        "most proposal themes, then id",
        |i| (std::cmp::Reverse(delegates[i].1), delegates[i].0),
    );
    (delegates, cut)
}

/// Links listed on adoption.md at most (the ones the follow-up tables
/// keep); the CSV holds every one.
pub const LINKS_SHOWN: usize = crate::adoption::FIRST_LINKS;

/// The links adoption.md lists: the first [`LINKS_SHOWN`] in table order.
pub fn links_shown(t: &AdoptionTables) -> Cut {
    Cut::top(
        t.link_count,
        LINKS_SHOWN,
        LINKS_SHOWN,
        "links",
        "proposal, theme and measure date",
        |i| i,
    )
}

/// The across-years convergence groups history.md lists for one level
/// (`theme` or `category`); they come most delegates first.
pub fn convergence_groups_shown(level: &str, total: usize) -> Cut {
    Cut::top(
        total,
        select::DETAIL_LIMIT,
        select::DETAIL_LIMIT,
        if level == "theme" {
            "themes"
        } else {
            "categories"
        },
        "most delegates, then id",
        |i| i,
    )
}

/// Everything the pages decide, computed once before rendering.
#[derive(Debug, Clone)]
pub struct Summary {
    pub headline: Headline,
    pub coverage: Coverage,
    pub pairs: Vec<PairCounts>,
    /// Per delegate index, the profile file when the delegate has one;
    /// and which delegates have one.
    pub profiles: (Vec<Option<String>>, Cut),
    /// What history.md shows of convergence across years.
    pub convergence: ConvergenceSummary,
}

impl Summary {
    pub fn new(a: &Analysis, pairs: &[PairPage]) -> Summary {
        Summary {
            headline: headline(&a.model, &a.adoption),
            coverage: coverage(&a.model),
            pairs: pairs.iter().map(|p| p.counts.clone()).collect(),
            profiles: profiles(&a.model),
            convergence: convergence_summary(
                &a.model,
                &a.history,
                select::DETAIL_LIMIT,
                select::NAMES_PER_CELL,
            ),
        }
    }
}

/// A share as a whole percentage, rounded half away from zero (12.5% is
/// 13%, as 37.5% is 38%), so that every page rounds alike.
pub fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "—".into();
    }
    // floor(100 × part / whole + ½) in integers: exact halves round up.
    let (part, whole) = (part as u128, whole as u128);
    format!("{}%", (200 * part + whole) / (2 * whole))
}

/// A share of a fractional count, as a whole percent ("—" of nothing).
pub fn percent_f(part: f64, whole: usize) -> String {
    if whole == 0 {
        return "—".into();
    }
    format!("{:.0}%", 100.0 * part / whole as f64)
}

/// A number of days with at most one decimal, rounded half away from zero
/// ("6.5 days", "55 days").
pub fn days(x: f64) -> String {
    let tenths = (x * 10.0).round();
    if tenths % 10.0 == 0.0 {
        format!("{}", (tenths / 10.0) as i64)
    } else {
        format!("{:.1}", tenths / 10.0)
    }
}

#[cfg(test)]
mod tests;
