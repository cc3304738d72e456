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

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};

use crate::dataset::{Adoption as Measure, Confidence, Status, Timing};
use crate::normalize::Model;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Measures that start after this date are ignored; `None`: the latest date in the data.
    pub as_of: Option<NaiveDate>,
    /// Half-width of the concurrency window, in days.
    pub concurrent_days: i64,
    /// When set, only later measures that may fall within this many days
    /// of the proposal count towards `followed`.
    pub window_days: Option<i64>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            as_of: None,
            concurrent_days: 30,
            window_days: None,
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
    /// A later measure with status `adopted`.
    Yes,
    /// Later measures, all only partial.
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
    /// The first later measure (that counts, under `--window-days`).
    pub first_measure: Option<u32>,
    /// The measure that makes `followed` what it is: the first later
    /// measure with status adopted for `yes`, the first later one for
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
}

/// All adoption tables.
#[derive(Debug, Clone, PartialEq)]
pub struct AdoptionTables {
    pub as_of: NaiveDate,
    pub concurrent_days: i64,
    /// Measures dated after `as_of`, left out.
    pub ignored: Vec<usize>,
    /// Sorted by proposal, theme, measure date, measure id.
    pub links: Vec<Link>,
    /// One per proposal theme, sorted by proposal and theme ([`Self::themes`]).
    themes: Vec<Packed>,
    /// Per delegate index.
    pub by_delegate: BTreeMap<usize, Rate>,
    /// Per theme index.
    pub by_theme: BTreeMap<usize, Rate>,
    /// Measures that preceded every proposal on their theme ("already in place").
    pub already_in_place: Vec<usize>,
    /// Measures linked to no proposal.
    pub unlinked: Vec<usize>,
    /// Per measure index.
    pub measures: Vec<MeasureStats>,
    /// `--window-days`, when set.
    pub window_days: Option<i64>,
}

/// A [`ThemeAdoption`] as stored: 24 bytes instead of 40, with a value
/// that cannot occur standing for "none". There is one per proposal theme,
/// 25 million at 10 million proposals.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Packed {
    proposal: u32,
    theme: u32,
    first_measure: u32,
    deciding_measure: u32,
    lag_days: i32,
    followed: Followed,
    strength: u8,
    max_strength: u8,
    low_confidence: bool,
}

/// No measure: there are never 4 billion.
const NO_MEASURE: u32 = u32::MAX;
/// No lag: further than any two dates chrono can hold.
const NO_LAG: i32 = i32::MIN;
/// No strength: strengths run from 1 to 5.
const NO_STRENGTH: u8 = u8::MAX;

impl Packed {
    fn pack(v: &ThemeAdoption) -> Packed {
        Packed {
            proposal: v.proposal,
            theme: v.theme,
            first_measure: v.first_measure.unwrap_or(NO_MEASURE),
            deciding_measure: v.deciding_measure.unwrap_or(NO_MEASURE),
            lag_days: v.lag_days.unwrap_or(NO_LAG),
            followed: v.followed,
            strength: v.strength.unwrap_or(NO_STRENGTH),
            max_strength: v.max_strength.unwrap_or(NO_STRENGTH),
            low_confidence: v.low_confidence,
        }
    }

    fn unpack(&self) -> ThemeAdoption {
        ThemeAdoption {
            proposal: self.proposal,
            theme: self.theme,
            followed: self.followed,
            first_measure: Some(self.first_measure).filter(|&m| m != NO_MEASURE),
            deciding_measure: Some(self.deciding_measure).filter(|&m| m != NO_MEASURE),
            lag_days: Some(self.lag_days).filter(|&l| l != NO_LAG),
            strength: Some(self.strength).filter(|&s| s != NO_STRENGTH),
            max_strength: Some(self.max_strength).filter(|&s| s != NO_STRENGTH),
            low_confidence: self.low_confidence,
        }
    }
}

impl AdoptionTables {
    /// The verdict on every proposal theme, sorted by proposal and theme.
    pub fn themes(&self) -> impl ExactSizeIterator<Item = ThemeAdoption> + '_ {
        self.themes.iter().map(Packed::unpack)
    }

    /// The verdict on one proposal theme (the table is sorted, so a search).
    pub fn verdict(&self, proposal: u32, theme: u32) -> Option<ThemeAdoption> {
        let key = (proposal, theme);
        let i = self
            .themes
            .binary_search_by(|v| (v.proposal, v.theme).cmp(&key))
            .ok()?;
        Some(self.themes[i].unpack())
    }

    /// The links of one proposal theme, in measure date order.
    pub fn links_of(&self, proposal: u32, theme: u32) -> &[Link] {
        let key = (proposal, theme);
        let lo = self.links.partition_point(|l| (l.proposal, l.theme) < key);
        let hi = self.links.partition_point(|l| (l.proposal, l.theme) <= key);
        &self.links[lo..hi]
    }
}

/// The date a proposal counts from: its own, else its body's session opening.
pub fn proposal_date(model: &Model, proposal: usize) -> NaiveDate {
    let p = &model.ds.proposals[proposal];
    p.date.unwrap_or_else(|| {
        model
            .ds
            .sessions
            .iter()
            .find(|s| s.year == p.year && s.body == p.body)
            .map(|s| s.opened)
            .expect("validation guarantees a session date")
    })
}

/// How a measure's dates stand to a proposal date, at the measure's precision.
pub fn timing_by_dates(measure: &Measure, proposal: NaiveDate, window_days: i64) -> Timing {
    let window = Duration::days(window_days);
    if measure.date.end() < proposal - window {
        Timing::Preceded
    } else if measure.date.start() > proposal + window {
        Timing::Later
    } else {
        Timing::Concurrent
    }
}

/// How a measure stands to a proposal. `named` is whether the source's own
/// `timing` applies to this proposal (it names no proposals, or this one).
///
/// The source's judgement can only keep a measure from counting as a
/// follow-up; it never makes a label contradict the dates. A measure that
/// certainly came later but that the source calls `concurrent`,
/// `under-way` or `preceded` (begun before, completed after) is
/// `under-way`; one the source calls `under-way` within the window is
/// `under-way` too. Otherwise the dates decide: no `concurrent` link lies
/// further apart than the window, and no `preceded` link inside it.
pub fn timing(measure: &Measure, proposal: NaiveDate, window_days: i64, named: bool) -> Timing {
    let dates = timing_by_dates(measure, proposal, window_days);
    let Some(source) = measure.timing.filter(|_| named) else {
        return dates;
    };
    match (source, dates) {
        (_, Timing::Preceded) => Timing::Preceded,
        (Timing::Later, dates) => dates,
        (_, Timing::Later) | (Timing::UnderWay, _) => Timing::UnderWay,
        (_, dates) => dates,
    }
}

/// The latest date in the datasets: the default "now".
pub fn default_as_of(model: &Model) -> NaiveDate {
    let proposals = (0..model.ds.proposals.len()).map(|i| proposal_date(model, i));
    let measures = model.ds.adoptions.iter().map(|a| a.date.start());
    let sessions = model.ds.sessions.iter().map(|s| s.opened);
    proposals
        .chain(measures)
        .chain(sessions)
        .max()
        .unwrap_or(NaiveDate::MIN)
}

/// Computes every adoption table.
pub fn compute(model: &Model, options: Options) -> AdoptionTables {
    let ds = &model.ds;
    let as_of = options.as_of.unwrap_or_else(|| default_as_of(model));
    let theme_index: BTreeMap<&str, usize> = ds
        .themes
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    // Measures in force by theme, and explicit answers by proposal.
    let mut ignored = Vec::new();
    let mut on_theme: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    // Measures by the proposal ids they name: a few, looked up in one pass
    // over the proposals rather than an index of every proposal id.
    let mut named: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (m, a) in ds.adoptions.iter().enumerate() {
        if a.date.start() > as_of {
            ignored.push(m);
            continue;
        }
        if let Some(&t) = theme_index.get(a.theme.as_str()) {
            on_theme.entry(t).or_default().push(m);
        }
        for p in &a.proposals {
            named.entry(p.as_str()).or_default().push(m);
        }
    }
    let mut answers: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    if !named.is_empty() {
        for (i, p) in ds.proposals.iter().enumerate() {
            if let Some(measures) = named.get(p.id.as_str()) {
                answers.insert(i, measures.clone());
            }
        }
    }

    // Date order once per theme, not once per proposal theme.
    let by_date = |a: usize, b: usize| {
        let (x, y) = (&ds.adoptions[a], &ds.adoptions[b]);
        (x.date.sort_key(), &x.id).cmp(&(y.date.sort_key(), &y.id))
    };
    for measures in on_theme.values_mut() {
        measures.sort_by(|&a, &b| by_date(a, b));
    }

    let mut links = Vec::new();
    let mut themes = Vec::with_capacity(model.tags.total());
    let mut stats = vec![MeasureStats::default(); ds.adoptions.len()];
    let mut first_date: Vec<Option<NaiveDate>> = vec![None; ds.adoptions.len()];
    let none = Vec::new();
    let mut joined: Vec<usize> = Vec::new();
    for (p, tags) in model.tags.iter().enumerate() {
        let date = proposal_date(model, p);
        let explicit = answers.get(&p).map(Vec::as_slice).unwrap_or(&[]);
        for tag in tags {
            let on_this_theme = on_theme.get(&(tag.theme as usize)).unwrap_or(&none);
            // Most proposals answer to no measure by name: borrow the
            // theme's list, copying it only to add explicit answers.
            let measures: &[usize] = if explicit.is_empty() {
                on_this_theme
            } else {
                joined.clear();
                joined.extend_from_slice(on_this_theme);
                for &m in explicit {
                    let own_theme = theme_index
                        .get(ds.adoptions[m].theme.as_str())
                        .map(|&t| t as u32);
                    let answers_this_theme = own_theme == Some(tag.theme)
                        || !tags.iter().any(|t| Some(t.theme) == own_theme);
                    if answers_this_theme && !joined.contains(&m) {
                        joined.push(m);
                    }
                }
                if joined.len() > on_this_theme.len() {
                    // An explicit answer joined the theme's list: re-establish date order.
                    joined.sort_by(|&a, &b| by_date(a, b));
                }
                &joined
            };
            let low_proposal = ds.proposals[p].confidence == Some(Confidence::Low);
            let mut verdict = ThemeAdoption {
                proposal: p as u32,
                theme: tag.theme,
                followed: Followed::No,
                first_measure: None,
                deciding_measure: None,
                lag_days: None,
                strength: None,
                max_strength: None,
                low_confidence: low_proposal,
            };
            let proposal_id = ds.proposals[p].id.as_str();
            for &m in measures {
                let a = &ds.adoptions[m];
                let named = a.proposals.is_empty() || a.proposals.iter().any(|x| x == proposal_id);
                let t = timing(a, date, options.concurrent_days, named);
                let lag_days = match (a.date, t) {
                    (_, Timing::UnderWay) => None,
                    (crate::dataset::PartialDate::Day(d), _) => Some((d - date).num_days() as i32),
                    _ => None,
                };
                let strength = a.kind.strength();
                let low_measure = a.confidence == Some(Confidence::Low);
                let counts = t == Timing::Later
                    && options
                        .window_days
                        .is_none_or(|n| a.date.start() <= date + Duration::days(n));
                if counts {
                    let st = &mut stats[m];
                    st.themes_followed += 1;
                    if first_date[m].is_none_or(|d| date < d) {
                        first_date[m] = Some(date);
                        st.first_proposal = Some(p as u32);
                    }
                    if let Some(lag) = lag_days {
                        st.shortest_lag_days =
                            Some(st.shortest_lag_days.map_or(lag, |x| x.min(lag)));
                    }
                    if verdict.first_measure.is_none() {
                        verdict.first_measure = Some(m as u32);
                        verdict.lag_days = lag_days;
                        verdict.strength = Some(strength);
                    }
                    let this = if a.status == Status::Adopted {
                        Followed::Yes
                    } else {
                        Followed::Partial
                    };
                    if this < verdict.followed {
                        verdict.followed = this;
                        verdict.deciding_measure = Some(m as u32);
                    }
                    verdict.max_strength = verdict.max_strength.max(Some(strength));
                }
                links.push(Link {
                    proposal: p as u32,
                    theme: tag.theme,
                    measure: m as u32,
                    timing: t,
                    lag_days,
                    strength,
                    low_confidence: low_proposal || low_measure,
                });
            }
            themes.push(Packed::pack(&verdict));
        }
    }

    // Rates: counts per group, and the lags for the median.
    let mut by_delegate: BTreeMap<usize, (Rate, Vec<i32>)> = BTreeMap::new();
    let mut by_theme: BTreeMap<usize, (Rate, Vec<i32>)> = BTreeMap::new();
    for v in themes.iter().map(Packed::unpack) {
        let followup = (as_of - proposal_date(model, v.proposal as usize)).num_days();
        for (rate, lags) in [
            by_delegate
                .entry(model.delegate_of[v.proposal as usize])
                .or_default(),
            by_theme.entry(v.theme as usize).or_default(),
        ] {
            rate.total += 1;
            rate.followup_days = Some(match rate.followup_days {
                None => (followup, followup),
                Some((lo, hi)) => (lo.min(followup), hi.max(followup)),
            });
            rate.yes += usize::from(v.followed == Followed::Yes);
            rate.partial += usize::from(v.followed == Followed::Partial);
            lags.extend(v.lag_days);
        }
    }
    let finish = |(k, (mut rate, mut lags)): (usize, (Rate, Vec<i32>))| {
        lags.sort_unstable();
        rate.median_lag_days = crate::summary::median(&lags);
        (k, rate)
    };
    let by_delegate = by_delegate.into_iter().map(finish).collect();
    let by_theme = by_theme.into_iter().map(finish).collect();

    // One pass over the links: does each measure have any, and are all preceded?
    let mut seen = vec![(false, true); ds.adoptions.len()];
    for l in &links {
        let e = &mut seen[l.measure as usize];
        e.0 = true;
        e.1 &= l.timing == Timing::Preceded;
    }
    let mut already_in_place = Vec::new();
    let mut unlinked = Vec::new();
    for (m, &(any, all_preceded)) in seen.iter().enumerate() {
        if ignored.contains(&m) {
            continue;
        }
        if !any {
            unlinked.push(m);
        } else if all_preceded {
            already_in_place.push(m);
        }
    }
    // Lists of measures read in date order.
    for list in [&mut already_in_place, &mut unlinked] {
        list.sort_by(|&a, &b| by_date(a, b));
    }
    AdoptionTables {
        as_of,
        concurrent_days: options.concurrent_days,
        ignored,
        links,
        themes,
        by_delegate,
        by_theme,
        already_in_place,
        unlinked,
        measures: stats,
        window_days: options.window_days,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{Kind, PartialDate};

    fn measure(date: &str) -> Measure {
        Measure {
            id: "m".into(),
            theme: "t".into(),
            measure: "m".into(),
            issuer: String::new(),
            date: PartialDate::parse(date).unwrap(),
            kind: Kind::Plan,
            status: Status::Adopted,
            proposals: vec![],
            timing: None,
            scope: Default::default(),
            confidence: None,
            source: String::new(),
            note: String::new(),
            line: 2,
        }
    }

    fn day(s: &str) -> NaiveDate {
        crate::dataset::date::parse_day(s).unwrap()
    }

    #[test]
    fn month_precision_is_compared_as_a_month() {
        let p = day("2021-03-04");
        assert_eq!(
            timing_by_dates(&measure("2021-03"), p, 30),
            Timing::Concurrent
        );
        assert_eq!(timing_by_dates(&measure("2021-10"), p, 30), Timing::Later);
        assert_eq!(
            timing_by_dates(&measure("2020-05"), p, 30),
            Timing::Preceded
        );
        // April overlaps the window's end (April 3): it cannot be told apart.
        assert_eq!(
            timing_by_dates(&measure("2021-04"), p, 30),
            Timing::Concurrent
        );
        assert_eq!(timing_by_dates(&measure("2021-05"), p, 30), Timing::Later);
    }

    #[test]
    fn year_precision_is_compared_as_a_year() {
        let p = day("2019-03-05");
        assert_eq!(timing_by_dates(&measure("2019"), p, 30), Timing::Concurrent);
        assert_eq!(timing_by_dates(&measure("2020"), p, 30), Timing::Later);
        assert_eq!(timing_by_dates(&measure("2018"), p, 30), Timing::Preceded);
    }

    #[test]
    fn the_window_is_inclusive_on_both_sides() {
        let p = day("2022-03-04");
        assert_eq!(
            timing_by_dates(&measure("2022-04-03"), p, 30),
            Timing::Concurrent
        );
        assert_eq!(
            timing_by_dates(&measure("2022-04-04"), p, 30),
            Timing::Later
        );
        assert_eq!(
            timing_by_dates(&measure("2022-02-02"), p, 30),
            Timing::Concurrent
        );
        assert_eq!(
            timing_by_dates(&measure("2022-02-01"), p, 30),
            Timing::Preceded
        );
        assert_eq!(timing_by_dates(&measure("2022-04-04"), p, 0), Timing::Later);
    }

    fn judged(date: &str, source: Timing) -> Measure {
        let mut m = measure(date);
        m.timing = Some(source);
        m
    }

    #[test]
    fn a_source_calling_a_measure_years_later_concurrent_gets_under_way() {
        // The earthquake network: completed in 2024, begun long before.
        let m = judged("2024-07-26", Timing::Concurrent);
        assert_eq!(timing(&m, day("2020-05-22"), 30, true), Timing::UnderWay);
        // Within the window the source's word stands.
        let m = judged("2020-06-01", Timing::Concurrent);
        assert_eq!(timing(&m, day("2020-05-22"), 30, true), Timing::Concurrent);
    }

    #[test]
    fn a_source_timing_applies_only_to_the_proposals_it_names() {
        let m = judged("2024-07-26", Timing::UnderWay);
        assert_eq!(timing(&m, day("2020-05-22"), 30, true), Timing::UnderWay);
        assert_eq!(timing(&m, day("2020-05-22"), 30, false), Timing::Later);
    }

    #[test]
    fn a_source_timing_never_makes_a_measure_count_or_contradict_its_dates() {
        let p = day("2022-03-04");
        // `later` inside the window stays concurrent: no upgrade to followed.
        assert_eq!(
            timing(&judged("2022-03-10", Timing::Later), p, 30, true),
            Timing::Concurrent
        );
        // Anything for a measure certainly before the proposal is preceded.
        for t in Timing::ALL {
            assert_eq!(
                timing(&judged("2019-01-01", t), p, 30, true),
                Timing::Preceded
            );
        }
        // `preceded` for a measure certainly after: begun before, done later.
        assert_eq!(
            timing(&judged("2023", Timing::Preceded), p, 30, true),
            Timing::UnderWay
        );
        // `preceded` inside the window is only concurrent.
        assert_eq!(
            timing(&judged("2022-03", Timing::Preceded), p, 30, true),
            Timing::Concurrent
        );
    }
}
