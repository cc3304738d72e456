//! Follow-up against chance: how many proposal themes a final measure on
//! the same theme followed within the window, beside how many chance alone
//! would give.
//!
//! Chance for a proposal theme on theme t of body b is the share of b's
//! session years (those whose window has ended by as-of, and that the
//! theme's search covers) after whose opening a final measure on t came
//! within the window, by the same rule as *later*. Summed over the proposal
//! themes judged it is the count expected by chance; the spread is the
//! 5–95% range of a Poisson-binomial with those chances, computed exactly
//! (no random numbers, so the same inputs give the same reports).
//!
//! Only measures found by searching their theme (`found_by=theme-search`)
//! on themes whose `measures_searched` covers the years compared enter
//! observed and expected alike: measures found by following proposals come
//! after them by construction, and would make any proposal look followed.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::Dated;
use crate::dataset::{Body, Confidence, Datasets, FoundBy, Stage, Timing};

/// Which measures a comparison rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measures {
    /// Every theme-search final measure.
    All,
    /// Only those of high confidence (for figures on high-confidence rows).
    HighConfidence,
}

/// What chance is computed from: the theme-search measures by theme, the
/// years each theme was searched, and the sessions whose window has ended.
#[derive(Debug, Clone, PartialEq)]
pub struct ChanceModel {
    as_of: NaiveDate,
    /// Per theme index: the years searched, when searched.
    searched: Vec<Option<(i32, i32)>>,
    /// Per theme index: its theme-search final measures in force by as-of,
    /// as the first day of their dates, for each of [`Measures`].
    measures: [Vec<Vec<NaiveDate>>; 2],
    /// Per body: the session years whose window has ended, with their opening.
    sessions: BTreeMap<Body, Vec<(i32, Dated)>>,
    /// Those years, any body's, ascending ([`Self::years`]).
    years: Vec<i32>,
    /// Per theme, body and measures (all, high-confidence): the chance,
    /// when any year counts; at `(theme × bodies + body) × 2 + high`.
    table: Vec<Option<f64>>,
    bodies: usize,
    /// Per theme: whether a theme-search measure carries the source's own
    /// `timing`, which the dates alone cannot settle
    /// ([`Self::followed_within`]).
    source_timed: Vec<bool>,
}

impl ChanceModel {
    pub fn new(ds: &Datasets, as_of: NaiveDate, openings: &[(i32, Body, Dated)]) -> ChanceModel {
        let index: BTreeMap<&str, usize> = (ds.themes.iter().enumerate())
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        let mut measures = [
            vec![Vec::new(); ds.themes.len()],
            vec![Vec::new(); ds.themes.len()],
        ];
        let mut source_timed = vec![false; ds.themes.len()];
        for m in &ds.adoptions {
            let counts = m.found_by == FoundBy::ThemeSearch
                && m.stage == Stage::Final
                && m.date.start() <= as_of;
            let Some(&t) = index.get(m.theme.as_str()).filter(|_| counts) else {
                continue;
            };
            source_timed[t] |= m.timing.is_some();
            measures[0][t].push(m.date.start());
            if m.confidence != Some(Confidence::Low) {
                measures[1][t].push(m.date.start());
            }
        }
        let mut sessions: BTreeMap<Body, Vec<(i32, Dated)>> = BTreeMap::new();
        for &(year, body, opened) in openings {
            if opened.window_ended(as_of) {
                sessions.entry(body).or_default().push((year, opened));
            }
        }
        for years in sessions.values_mut() {
            years.sort_unstable_by_key(|&(year, opened)| (year, opened.date));
            years.dedup_by_key(|y| y.0);
        }
        for list in measures.iter_mut().flatten() {
            list.sort_unstable();
        }
        let mut years: Vec<i32> = (sessions.values())
            .flat_map(|v| v.iter().map(|y| y.0))
            .collect();
        years.sort_unstable();
        years.dedup();
        let bodies = ds.bodies.ids().len();
        let mut model = ChanceModel {
            as_of,
            searched: ds.themes.iter().map(|t| t.measures_searched).collect(),
            measures,
            sessions,
            years,
            table: vec![None; ds.themes.len() * bodies * 2],
            bodies,
            source_timed,
        };
        let with_sessions: Vec<Body> = model.sessions.keys().copied().collect();
        for t in 0..ds.themes.len() {
            for &b in &with_sessions {
                for high in [false, true] {
                    let c = model.compute(t as u32, b, high);
                    let at = model.at(t as u32, b, high);
                    model.table[at] = c;
                }
            }
        }
        model
    }

    fn at(&self, theme: u32, body: Body, high: bool) -> usize {
        (theme as usize * self.bodies + usize::from(body.0)) * 2 + usize::from(high)
    }

    /// Whether a theme-search final measure on `theme` follows a proposal
    /// dated `at` within the window, from the dates alone (a binary
    /// search of the theme's measures); `None` when a measure on the theme
    /// carries the source's own timing, which only a full verdict applies.
    pub fn followed_within(&self, theme: u32, at: &Dated, which: Measures) -> Option<bool> {
        let t = theme as usize;
        if self.source_timed.get(t).copied().unwrap_or(true) {
            return None;
        }
        let list = &self.measures[usize::from(which == Measures::HighConfidence)][t];
        let first = list.partition_point(|&start| start <= at.concurrent_end());
        Some(list.get(first).is_some_and(|&start| at.follows(start)))
    }

    /// Whether the theme's search covers a proposal of `year` dated `at`:
    /// it started no later than the year, and ran to the year the window
    /// ends in (or the as-of year, when that comes first).
    pub fn covers(&self, theme: u32, year: i32, at: &Dated) -> bool {
        let end = at.window_end().min(self.as_of);
        self.searched
            .get(theme as usize)
            .copied()
            .flatten()
            .is_some_and(|(from, to)| from <= year && end.year() <= to)
    }

    /// Whether the theme's measures were searched at all.
    pub fn is_searched(&self, theme: u32) -> bool {
        self.searched
            .get(theme as usize)
            .is_some_and(Option::is_some)
    }

    fn compute(&self, theme: u32, body: Body, high: bool) -> Option<f64> {
        let measures = &self.measures[usize::from(high)][theme as usize];
        let years = self.sessions.get(&body)?;
        let (mut n, mut hit) = (0u32, 0u32);
        for (year, opened) in years {
            if !self.covers(theme, *year, opened) {
                continue;
            }
            n += 1;
            hit += u32::from(measures.iter().any(|&m| opened.follows(m)));
        }
        (n > 0).then(|| f64::from(hit) / f64::from(n))
    }

    /// The chance of a proposal theme on `theme` of `body`: `None` when
    /// no session year of the body with a finished window is covered by
    /// the theme's search.
    pub fn chance(&self, theme: u32, body: Body, which: Measures) -> Option<f64> {
        let high = which == Measures::HighConfidence;
        self.table
            .get(self.at(theme, body, high))
            .copied()
            .flatten()
    }

    /// The session years chance is computed over (any body's, whose window
    /// has ended by as-of).
    pub fn years(&self) -> &[i32] {
        &self.years
    }

    /// How many theme-search final measures there are on a theme.
    pub fn measure_count(&self, theme: u32) -> usize {
        self.measures[0].get(theme as usize).map_or(0, Vec::len)
    }
}

/// Where a proposal theme stands in the windowed comparison.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standing {
    /// Its theme's measures were searched (over any years).
    pub searched: bool,
    /// Followed within the window by a theme-search final measure.
    pub followed: bool,
    /// Its window has not ended by the as-of date.
    pub window_open: bool,
    /// Its chance, when the theme's search covers it; `None` leaves it
    /// out of the comparison.
    pub chance: Option<f64>,
}

impl Standing {
    /// Whether it enters observed and expected: its theme's search covers
    /// it and its whole window has passed. One whose window is still open
    /// never enters, followed or not: counting the open ones already
    /// followed and leaving out the others would favour recent years.
    pub fn judged(&self) -> bool {
        self.chance.is_some() && !self.window_open
    }

    /// Window still open, nothing followed yet.
    pub fn too_recent(&self) -> bool {
        self.window_open && !self.followed
    }

    /// What the comparison with chance counts it as: `followed`,
    /// `not-followed`, `window-open` or `not-searched` (`adoption.csv`'s
    /// `compared`).
    pub fn compared(&self) -> &'static str {
        match self {
            s if s.judged() && s.followed => "followed",
            s if s.judged() => "not-followed",
            s if s.searched && s.window_open => "window-open",
            _ => "not-searched",
        }
    }
}

/// The comparison with chance over a group of proposal themes, in both
/// units: proposal themes and proposals. Counted by a [`ChanceTally`], then
/// finished: the expected counts and ranges are computed once.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Comparison {
    /// Every proposal theme of the group.
    pub proposal_themes: usize,
    /// Those in the comparison: their theme was searched over their years
    /// and their window has ended (followed within it or not).
    pub judged: usize,
    /// In a searched theme, window still open, not followed yet.
    pub too_recent: usize,
    /// On a theme never searched (or not for these years).
    pub unsearched: usize,
    /// In a searched theme, window still open, already followed: shown on
    /// their own line, never in a rate.
    pub open_followed: usize,
    pub followed: usize,
    /// Proposals with a judged theme, and those with a followed one.
    pub proposals: usize,
    pub proposals_followed: usize,
    /// Proposals with a searched theme whose window is still open, and no
    /// judged theme.
    pub proposals_open: usize,
    /// Judged proposals with four or more themes.
    pub bundles: usize,
    /// Distinct searched themes among the group's proposal themes, and
    /// the theme-search measures on them.
    pub themes_searched: usize,
    pub measures: usize,
    /// The two units against chance.
    against_themes: Against,
    against_proposals: Against,
}

/// Fewer proposal themes or proposals judged than this, and no lift is
/// given, on the pages or in `chance.csv`: a ratio over a handful says
/// nothing, and would be quoted.
pub const FEWEST_FOR_LIFT: usize = 5;

/// Expected count, 5–95% range and lift for one unit.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Against {
    pub n: usize,
    pub observed: usize,
    pub expected: f64,
    pub low: usize,
    pub high: usize,
    /// Observed over expected; `None` when chance expects nothing.
    pub lift: Option<f64>,
}

impl Against {
    /// The lift as the reports give it: none on fewer than
    /// [`FEWEST_FOR_LIFT`] judged, or when chance expects nothing.
    pub fn shown_lift(&self) -> Option<f64> {
        self.lift.filter(|_| self.n >= FEWEST_FOR_LIFT)
    }
}

impl Comparison {
    /// The proposal-theme unit against chance.
    pub fn themes(&self) -> Against {
        self.against_themes
    }

    /// The proposal unit against chance.
    pub fn proposals_against(&self) -> Against {
        self.against_proposals
    }
}

/// A comparison being counted, proposal by proposal.
#[derive(Debug, Clone, Default)]
pub struct ChanceTally {
    /// The counts so far.
    pub counts: Comparison,
    /// The judged proposal themes' chances, as how many times each value
    /// occurs (by its bits): a theme's proposals share one chance per body,
    /// so at millions of proposal themes there are few distinct values.
    chances: Chances,
    /// Per judged proposal: 1 − Π(1 − chance) over its judged themes.
    proposal_chances: Chances,
}

impl ChanceTally {
    /// Adds one proposal's themes of this group.
    pub fn add_proposal(&mut self, themes: &[Standing], all_themes: usize) {
        let c = &mut self.counts;
        let mut judged = false;
        let mut open = false;
        let mut followed = false;
        let mut none = 1.0;
        for s in themes {
            c.proposal_themes += 1;
            if s.judged() {
                judged = true;
                c.judged += 1;
                let p = s.chance.unwrap_or(0.0);
                self.chances.add(p);
                none *= 1.0 - p;
                if s.followed {
                    c.followed += 1;
                    followed = true;
                }
            } else if s.chance.is_none() && !(s.searched && s.window_open) {
                c.unsearched += 1;
            } else if s.searched && s.window_open {
                open = true;
                if s.followed {
                    c.open_followed += 1;
                } else {
                    c.too_recent += 1;
                }
            }
        }
        if judged {
            c.proposals += 1;
            c.proposals_followed += usize::from(followed);
            self.proposal_chances.add(1.0 - none);
            c.bundles += usize::from(all_themes >= 4);
        } else if open {
            c.proposals_open += 1;
        }
    }

    /// The comparison, with both units against chance.
    pub fn finish(self) -> Comparison {
        self.comparison()
    }

    /// The comparison so far ([`Self::finish`]), the tally kept.
    pub fn comparison(&self) -> Comparison {
        let mut c = self.counts.clone();
        c.against_themes = against(c.followed, &self.chances);
        c.against_proposals = against(c.proposals_followed, &self.proposal_chances);
        c
    }

    /// Empties the tally, keeping its memory for the next group.
    pub fn clear(&mut self) {
        self.counts = Comparison::default();
        self.chances.0.clear();
        self.proposal_chances.0.clear();
    }
}

fn against(observed: usize, chances: &Chances) -> Against {
    let sorted = chances.sorted();
    // An empty sum of floats is -0.0: adding 0.0 makes it print as 0.
    let expected: f64 = sorted.iter().map(|&(p, k)| p * k as f64).sum::<f64>() + 0.0;
    let (low, high) = super::distribution::range_of_counted(&sorted);
    Against {
        n: chances.len(),
        observed,
        expected,
        low,
        high,
        lift: (expected > 0.0).then(|| observed as f64 / expected),
    }
}

/// Chances as how many times each value occurs (a hash map, counted
/// millions of times; read in value order).
#[derive(Debug, Clone, Default)]
struct Chances(crate::dataset::FastMap<u64, usize>);

impl PartialEq for Chances {
    fn eq(&self, other: &Self) -> bool {
        self.sorted() == other.sorted()
    }
}

impl Chances {
    fn add(&mut self, c: f64) {
        *self.0.entry(c.to_bits()).or_default() += 1;
    }

    fn len(&self) -> usize {
        self.0.values().sum()
    }

    /// Each distinct chance with how often it occurs, in value order (the
    /// bits of non-negative floats order as the floats do).
    fn sorted(&self) -> Vec<(f64, usize)> {
        let mut v: Vec<(u64, usize)> = self.0.iter().map(|(&b, &n)| (b, n)).collect();
        v.sort_unstable();
        v.into_iter().map(|(b, n)| (f64::from_bits(b), n)).collect()
    }
}

/// A windowed verdict on one proposal theme against every final measure
/// (not only theme-search ones): `adoption.csv`'s `within_window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    Yes,
    No,
    TooRecent,
}

impl Window {
    pub fn as_str(&self) -> &'static str {
        match self {
            Window::Yes => "yes",
            Window::No => "no",
            Window::TooRecent => "too-recent",
        }
    }
}

/// The windowed verdict from whether a final later measure came within
/// the window, and whether the window has ended.
pub fn window_verdict(followed: bool, ended: bool) -> Window {
    match (followed, ended) {
        (true, _) => Window::Yes,
        (false, true) => Window::No,
        (false, false) => Window::TooRecent,
    }
}

/// Whether a measure's timing and date make it follow a proposal within
/// the window: later, final, and starting no later than the window's end.
pub fn within(timing: Timing, stage: Stage, start: NaiveDate, at: &Dated) -> bool {
    timing == Timing::Later && stage == Stage::Final && start <= at.window_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proposal_is_followed_when_any_judged_theme_is() {
        let s = |followed, window_open, chance| Standing {
            searched: true,
            followed,
            window_open,
            chance,
        };
        let mut c = ChanceTally::default();
        c.add_proposal(&[s(false, false, Some(0.5)), s(true, false, Some(0.5))], 2);
        // Window open: one not followed yet (too recent), one already
        // followed; neither enters the rate.
        c.add_proposal(&[s(false, true, Some(0.2)), s(true, true, Some(0.9))], 5);
        // A theme never searched: left out.
        let mut unsearched = s(false, false, None);
        unsearched.searched = false;
        c.add_proposal(&[unsearched], 1);
        let c = c.finish();
        assert_eq!((c.proposal_themes, c.judged, c.followed), (5, 2, 1));
        assert_eq!((c.too_recent, c.open_followed, c.unsearched), (1, 1, 1));
        assert_eq!((c.proposals, c.proposals_followed, c.bundles), (1, 1, 0));
        assert_eq!(c.proposals_open, 1);
        let p = c.proposals_against();
        assert!((p.expected - 0.75).abs() < 1e-12);
        let t = c.themes();
        assert!((t.expected - 1.0).abs() < 1e-12);
        assert_eq!(t.lift, Some(1.0));
    }
}
