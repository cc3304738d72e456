//! Adoption: which proposal themes were followed by a measure on the same
//! theme, when, and how strong the evidence is.
//!
//! The honest claim is "a measure on this theme came N days later, of this
//! kind", never "the proposal caused it": a theme is *followed*, not
//! adopted. Dates keep their precision: a measure dated `2021-10` is a
//! month, and it is `later` than a proposal only when the whole month lies
//! after the concurrency window; `preceded` only when the whole month lies
//! before it; otherwise `concurrent`.
//!
//! A source's own `timing` can only weaken a link, never contradict the
//! dates: see [`timing`].

pub mod chance;
mod compute;
mod distribution;
mod judge;
mod timing;

pub use compute::compute;
pub use judge::FollowUpCounts;
use judge::{Judge, Tally};
pub(crate) use timing::by_date;
pub use timing::{default_as_of, proposal_date, timing, timing_by_dates, Dated};

use std::collections::BTreeMap;

use chrono::NaiveDate;

use chance::{ChanceModel, ChanceTally, Comparison, Measures, Window};

use crate::dataset::{Adoption as Measure, Confidence, Timing};
use crate::normalize::{Model, Tag};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Measures that start after this date are ignored; `None`: the latest date in the data.
    pub as_of: Option<NaiveDate>,
    /// Half-width of the concurrency window, in days.
    pub concurrent_days: i64,
    /// The follow-up window: a proposal theme is followed *within the
    /// window* by a later final measure dated at most this many days after
    /// it; the comparison with chance uses the same window.
    pub window_days: i64,
}

/// The default follow-up window: two years.
pub const WINDOW_DAYS: i64 = 730;

impl Default for Options {
    fn default() -> Self {
        Options {
            as_of: None,
            concurrent_days: 30,
            window_days: WINDOW_DAYS,
        }
    }
}

/// One proposal theme linked to one measure.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub proposal: u32,
    pub theme: u32,
    pub measure: u32,
    pub timing: Timing,
    /// Days from the proposal to the measure; only when the measure's date
    /// is a day, and never for `under-way`.
    pub lag_days: Option<i32>,
    pub strength: u8,
    /// Low when the proposal or the measure rests on a weak source.
    pub low_confidence: bool,
}

/// Whether a proposal theme was followed by a later measure on the same
/// theme (succession, not influence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Followed {
    /// A later final measure of full extent.
    Yes,
    /// Later measures, all drafts or of partial extent.
    Partial,
    No,
}

impl Followed {
    pub fn as_str(&self) -> &'static str {
        match self {
            Followed::Yes => "yes",
            Followed::Partial => "partial",
            Followed::No => "no",
        }
    }
}

/// The verdict for one proposal theme.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeAdoption {
    pub proposal: u32,
    pub theme: u32,
    pub followed: Followed,
    /// The first later measure.
    pub first_measure: Option<u32>,
    /// The measure that makes `followed` what it is: the first later
    /// final measure of full extent for `yes`, the first later one for
    /// `partial`. Pages name this one beside the verdict.
    pub deciding_measure: Option<u32>,
    /// Days to `first_measure`, when it is dated to the day.
    pub lag_days: Option<i32>,
    /// The strength of `first_measure`.
    pub strength: Option<u8>,
    /// The strongest later measure.
    pub max_strength: Option<u8>,
    /// Low when the proposal rests on a weak source (as in the headline's
    /// high-confidence column; a weak measure is marked in the links).
    pub low_confidence: bool,
    /// Followed within the window by any later final measure, or too
    /// recent to tell.
    pub within_window: Window,
    /// Followed within the window by a theme-search final measure on its
    /// own theme: what the comparison with chance counts as observed; and
    /// by one of high confidence.
    pub searched_followed: bool,
    pub searched_followed_high: bool,
}

/// Share followed and median lag over a group of proposal themes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rate {
    pub total: usize,
    pub yes: usize,
    pub partial: usize,
    /// Median of day-precision lags to the first later measure.
    pub median_lag_days: Option<f64>,
    /// The follow-up time the group's proposals had, from the proposal
    /// date to as-of, in days: the shortest and the longest. A group of
    /// recent proposals has had less time to be followed.
    pub followup_days: Option<(i64, i64)>,
}

impl Rate {
    /// Share of proposal themes followed by any later measure.
    pub fn share(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            (self.yes + self.partial) as f64 / self.total as f64
        }
    }
}

/// What one measure follows: counted once, however many links it has.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MeasureStats {
    /// Proposal themes it counts as a later measure for.
    pub themes_followed: usize,
    /// The earliest of those proposals (by date, then id).
    pub first_proposal: Option<u32>,
    /// The shortest day-precision lag among them.
    pub shortest_lag_days: Option<i32>,
    /// The lag to `first_proposal` (of its first theme the measure
    /// follows), so that the two always refer to the same proposal.
    pub first_proposal_lag_days: Option<i32>,
}

/// Whether measure `m` names proposal `p`'s delegate or company (its
/// `names` column, by text key, against the delegate's id, names and
/// company).
pub fn names_proposer(model: &Model, m: usize, p: usize) -> bool {
    let names = &model.ds.adoptions[m].names;
    if names.is_empty() {
        return false;
    }
    let d = &model.ds.delegates[model.delegate_of[p]];
    let keys: Vec<String> = [d.id.as_str(), &d.name_en, &d.name_zh, &d.company]
        .into_iter()
        .filter(|s| !s.is_empty())
        .map(crate::key::text_key)
        .collect();
    names
        .iter()
        .any(|n| keys.contains(&crate::key::text_key(n)))
}

/// How many links adoption.md lists, and so how many are kept.
pub const FIRST_LINKS: usize = 500;

/// All adoption tables. The verdicts and links of every proposal theme
/// are not held (at 10 million proposals they are 25 and 18 million
/// rows): they are computed again, from the same inputs, where a table or
/// a page needs them ([`AdoptionTables::for_each`],
/// [`AdoptionTables::verdict`], [`AdoptionTables::links_of`]).
#[derive(Debug, Clone, PartialEq)]
pub struct AdoptionTables {
    pub as_of: NaiveDate,
    pub concurrent_days: i64,
    /// Measures dated after `as_of`, left out.
    pub ignored: Vec<usize>,
    /// How many links there are.
    pub link_count: usize,
    /// How many of them rest on a measure that names the proposer or the
    /// proposer's company ([`names_proposer`]).
    pub names_proposer_links: usize,
    /// Proposals with four or more themes (bundles), by index.
    pub bundles: Vec<u32>,
    /// The first [`FIRST_LINKS`] links, sorted by proposal, theme, measure
    /// date, measure id.
    pub first_links: Vec<Link>,
    /// Themes with at least one linked measure.
    pub linked_themes: std::collections::BTreeSet<usize>,
    /// How many proposal themes have a link ([`Self::for_each_linked`]).
    pub linked_count: usize,
    /// Of those, how many of each session year.
    pub linked_per_year: BTreeMap<i32, usize>,
    /// Per theme index.
    pub by_theme: BTreeMap<usize, Rate>,
    /// Measures that preceded every proposal on their theme ("already in place").
    pub already_in_place: Vec<usize>,
    /// Measures linked to no proposal.
    pub unlinked: Vec<usize>,
    /// Per measure index.
    pub measures: Vec<MeasureStats>,
    /// The follow-up window, in days (`--window-days`).
    pub window_days: i64,
    /// Where the as-of date comes from: `None` when given as an option,
    /// else the file and line of the row whose date sets it.
    pub as_of_source: Option<(String, u64)>,
    /// What chance is computed from.
    pub chance: ChanceModel,
    /// The comparison with chance over every proposal theme, and on
    /// high-confidence rows only (a high-confidence proposal, and
    /// high-confidence measures on both sides).
    pub compared: Comparison,
    pub compared_high: Comparison,
    /// Proposal themes followed at any time, over every proposal and over
    /// high-confidence ones (the headline's two columns).
    pub followups: [FollowUpCounts; 2],
    /// The comparison by category and by theme index.
    pub compared_by_category: BTreeMap<String, Comparison>,
    pub compared_by_theme: BTreeMap<usize, Comparison>,
    /// What every verdict is computed from.
    judge: Judge,
}

impl AdoptionTables {
    /// The verdict on the `k`-th theme of proposal `p`, its links added to
    /// `links`.
    fn judge(&self, model: &Model, p: usize, k: usize, links: &mut Vec<Link>) -> ThemeAdoption {
        self.judge.verdict(
            model,
            (p, self.judge.dated(model, p)),
            k,
            &mut Vec::new(),
            &mut |l, _| links.push(l.clone()),
        )
    }

    /// Which of proposal `p`'s themes `theme` is, when it carries it.
    fn tag_of(model: &Model, p: usize, theme: u32) -> Option<usize> {
        model.tags.get(p)?.iter().position(|t| t.theme == theme)
    }

    /// Every proposal theme's verdict, with its links, in table order
    /// (by proposal, then theme), computed as it goes.
    pub fn for_each(
        &self,
        model: &Model,
        each: &mut dyn FnMut(&ThemeAdoption, &[Link]) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let (mut joined, mut links) = (Vec::new(), Vec::new());
        for (p, tags) in model.tags.iter().enumerate() {
            let at = self.judge.dated(model, p);
            for k in 0..tags.len() {
                links.clear();
                let v = self
                    .judge
                    .verdict(model, (p, at), k, &mut joined, &mut |l, _| {
                        links.push(l.clone())
                    });
                each(&v, &links)?;
            }
        }
        Ok(())
    }

    /// Every proposal theme with a link, in table order: its proposal's
    /// date, the proposal and the theme. Found without judging: a proposal
    /// theme has a link when a measure is on its theme or answers it.
    pub fn for_each_linked(&self, model: &Model, each: &mut dyn FnMut(NaiveDate, u32, u32)) {
        let on_theme: Vec<bool> = (0..model.ds.themes.len())
            .map(|t| self.judge.on_theme.get(&t).is_some_and(|v| !v.is_empty()))
            .collect();
        for (p, tags) in model.tags.iter().enumerate() {
            let mut date = None;
            for (k, tag) in tags.iter().enumerate() {
                if self.judge.has_links(model, &on_theme, p, k) {
                    let date = *date.get_or_insert_with(|| proposal_date(model, p));
                    each(date, p as u32, tag.theme);
                }
            }
        }
    }

    /// One delegate's follow-up rate over its proposal themes, judged
    /// again: pages show the rates of a few delegates, and at scale a rate
    /// for each of a million delegates was worth not holding.
    pub fn delegate_rate(&self, model: &Model, delegate: usize) -> Rate {
        let mut tally = Tally::default();
        let mut joined = Vec::new();
        for p in model.proposals_of(delegate) {
            let at = self.judge.dated(model, p);
            let followup = (self.as_of - at.date).num_days();
            for k in 0..model.tags[p].len() {
                let v = (self.judge).verdict(model, (p, at), k, &mut joined, &mut |_, _| {});
                tally.add(&v, followup);
            }
        }
        tally.rate()
    }

    /// Every verdict, in table order (for tests and small data: at scale,
    /// [`Self::for_each`]).
    pub fn themes(&self, model: &Model) -> Vec<ThemeAdoption> {
        let mut all = Vec::new();
        let _ = self.for_each(model, &mut |v, _| {
            all.push(v.clone());
            Ok(())
        });
        all
    }

    /// Every link, in table order (for tests and small data).
    pub fn links(&self, model: &Model) -> Vec<Link> {
        let mut all = Vec::new();
        let _ = self.for_each(model, &mut |_, links| {
            all.extend_from_slice(links);
            Ok(())
        });
        all
    }

    /// The verdict on one proposal theme with its links, in measure date
    /// order; `None` when the proposal does not carry the theme.
    pub fn judged(
        &self,
        model: &Model,
        proposal: u32,
        theme: u32,
    ) -> Option<(ThemeAdoption, Vec<Link>)> {
        let p = proposal as usize;
        let k = Self::tag_of(model, p, theme)?;
        let mut links = Vec::new();
        let v = self.judge(model, p, k, &mut links);
        Some((v, links))
    }

    /// The verdict on one proposal theme ([`Self::judged`]).
    pub fn verdict(&self, model: &Model, proposal: u32, theme: u32) -> Option<ThemeAdoption> {
        self.judged(model, proposal, theme).map(|(v, _)| v)
    }

    /// The links of one proposal theme, in measure date order
    /// ([`Self::judged`]).
    pub fn links_of(&self, model: &Model, proposal: u32, theme: u32) -> Vec<Link> {
        self.judged(model, proposal, theme)
            .map(|(_, links)| links)
            .unwrap_or_default()
    }
}

/// The buffers of one delegate's comparison with chance, reused for the
/// next ([`AdoptionTables::delegate_comparison_in`]).
#[derive(Debug, Default)]
pub struct ComparisonScratch {
    tally: ChanceTally,
    themes: Vec<u32>,
    joined: Vec<usize>,
    standings: Vec<chance::Standing>,
}

impl AdoptionTables {
    /// Where a judged proposal theme stands in the comparison with chance.
    pub fn standing(&self, model: &Model, v: &ThemeAdoption, which: Measures) -> chance::Standing {
        let at = self.judge.dated(model, v.proposal as usize);
        self.standing_on(model, v, &at, which)
    }

    /// [`Self::standing`] with the proposal's date already known.
    pub fn standing_on(
        &self,
        model: &Model,
        v: &ThemeAdoption,
        at: &Dated,
        which: Measures,
    ) -> chance::Standing {
        let high = which == Measures::HighConfidence;
        let followed = if high {
            v.searched_followed_high
        } else {
            v.searched_followed
        };
        let mut s = self.standing_of(model, v.proposal as usize, v.theme, at, followed, which);
        // On high-confidence rows only, a weak proposal is left out whole.
        if high && v.low_confidence {
            s.searched = false;
            s.chance = None;
        }
        s
    }

    /// Where one proposal theme stands, from whether it was followed
    /// within the window.
    fn standing_of(
        &self,
        model: &Model,
        p: usize,
        theme: u32,
        at: &Dated,
        followed: bool,
        which: Measures,
    ) -> chance::Standing {
        let proposal = &model.ds.proposals[p];
        chance::Standing {
            searched: self.chance.is_searched(theme),
            followed,
            window_open: !at.window_ended(self.as_of),
            chance: (self.chance.covers(theme, proposal.year, at))
                .then(|| self.chance.chance(theme, proposal.body, which))
                .flatten(),
        }
    }

    /// One delegate's comparison with chance, judged again (as
    /// [`Self::delegate_rate`]).
    pub fn delegate_comparison(&self, model: &Model, delegate: usize) -> Comparison {
        self.delegate_comparison_in(model, delegate, &mut ComparisonScratch::default())
    }

    /// [`Self::delegate_comparison`] in buffers kept from the last
    /// delegate's (every delegate's row is judged again, one by one).
    pub fn delegate_comparison_in(
        &self,
        model: &Model,
        delegate: usize,
        scratch: &mut ComparisonScratch,
    ) -> Comparison {
        let ComparisonScratch {
            tally: c,
            themes,
            joined,
            standings,
        } = scratch;
        c.clear();
        themes.clear();
        for p in model.proposals_of(delegate) {
            let at = self.judge.dated(model, p);
            standings.clear();
            let n = model.tags[p].len();
            for k in 0..n {
                let theme = model.tags[p][k].theme;
                themes.push(theme);
                // The dates decide, by a binary search, unless a measure on
                // the theme carries its source's own timing.
                let s = match self.chance.followed_within(theme, &at, Measures::All) {
                    Some(followed) => {
                        self.standing_of(model, p, theme, &at, followed, Measures::All)
                    }
                    None => {
                        let v = (self.judge).verdict(model, (p, at), k, joined, &mut |_, _| {});
                        self.standing_on(model, &v, &at, Measures::All)
                    }
                };
                standings.push(s);
            }
            c.add_proposal(standings, n);
        }
        themes.sort_unstable();
        themes.dedup();
        self.rests_on(c, themes.iter().copied());
        c.comparison()
    }

    /// Sets how many searched themes and theme-search measures a
    /// comparison over these themes rests on.
    fn rests_on(&self, c: &mut ChanceTally, themes: impl IntoIterator<Item = u32>) {
        for t in themes {
            if self.chance.is_searched(t) {
                c.counts.themes_searched += 1;
                c.counts.measures += self.chance.measure_count(t);
            }
        }
    }
}
