//! Adoption: which proposal themes were followed by a measure on the same
//! theme, when, and how strong the evidence is.
//!
//! The honest claim is "a measure on this theme came N days later, of this
//! kind", never "the proposal caused it". Dates keep their precision: a
//! measure dated `2021-10` is a month, and it is `later` than a proposal
//! only when the whole month lies after the concurrency window; `preceded`
//! only when the whole month lies before it; otherwise `concurrent`.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};

use crate::dataset::{Adoption as Measure, Status, Timing};
use crate::normalize::Model;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Measures that start after this date are ignored; `None`: the latest date in the data.
    pub as_of: Option<NaiveDate>,
    /// Half-width of the concurrency window, in days.
    pub concurrent_days: i64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            as_of: None,
            concurrent_days: 30,
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
    /// Days from the proposal to the measure; only when the measure's date is a day.
    pub lag_days: Option<i32>,
    pub strength: u8,
}

/// Whether a proposal theme was followed by a later measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Adopted {
    Yes,
    Partial,
    No,
}

impl Adopted {
    pub fn as_str(&self) -> &'static str {
        match self {
            Adopted::Yes => "yes",
            Adopted::Partial => "partial",
            Adopted::No => "no",
        }
    }
}

/// The verdict for one proposal theme.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeAdoption {
    pub proposal: u32,
    pub theme: u32,
    pub adopted: Adopted,
    /// The first later measure.
    pub first_measure: Option<u32>,
    pub lag_days: Option<i32>,
    /// The strongest evidence among later measures.
    pub strength: Option<u8>,
}

/// Share adopted and median lag over a group of proposal themes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rate {
    pub total: usize,
    pub yes: usize,
    pub partial: usize,
    /// Median of day-precision lags to the first later measure.
    pub median_lag_days: Option<f64>,
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

/// All adoption tables.
#[derive(Debug, Clone, PartialEq)]
pub struct AdoptionTables {
    pub as_of: NaiveDate,
    pub concurrent_days: i64,
    /// Measures dated after `as_of`, left out.
    pub ignored: Vec<usize>,
    /// Sorted by proposal, theme, measure date, measure id.
    pub links: Vec<Link>,
    /// One per proposal theme, sorted by proposal and theme.
    pub themes: Vec<ThemeAdoption>,
    /// Per delegate index.
    pub by_delegate: BTreeMap<usize, Rate>,
    /// Per theme index.
    pub by_theme: BTreeMap<usize, Rate>,
    /// Measures that preceded every proposal on their theme ("already in place").
    pub already_in_place: Vec<usize>,
    /// Measures linked to no proposal.
    pub unlinked: Vec<usize>,
}

impl AdoptionTables {
    /// The verdict on one proposal theme (the table is sorted, so a search).
    pub fn verdict(&self, proposal: u32, theme: u32) -> Option<&ThemeAdoption> {
        let key = (proposal, theme);
        let i = self
            .themes
            .binary_search_by(|v| (v.proposal, v.theme).cmp(&key))
            .ok()?;
        Some(&self.themes[i])
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

/// How a measure stands to a proposal date, at the measure's precision.
pub fn timing(measure: &Measure, proposal: NaiveDate, window_days: i64) -> Timing {
    if let Some(t) = measure.timing {
        return t;
    }
    let window = Duration::days(window_days);
    if measure.date.end() < proposal - window {
        Timing::Preceded
    } else if measure.date.start() > proposal + window {
        Timing::Later
    } else {
        Timing::Concurrent
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
    let proposal_index: BTreeMap<&str, usize> = ds
        .proposals
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();

    // Measures in force by theme, and explicit answers by proposal.
    let mut ignored = Vec::new();
    let mut on_theme: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut answers: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (m, a) in ds.adoptions.iter().enumerate() {
        if a.date.start() > as_of {
            ignored.push(m);
            continue;
        }
        if let Some(&t) = theme_index.get(a.theme.as_str()) {
            on_theme.entry(t).or_default().push(m);
        }
        for p in &a.proposals {
            if let Some(&p) = proposal_index.get(p.as_str()) {
                answers.entry(p).or_default().push(m);
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
    let mut themes = Vec::with_capacity(model.tags.iter().map(Vec::len).sum());
    let none = Vec::new();
    let mut joined: Vec<usize> = Vec::new();
    for (p, tags) in model.tags.iter().enumerate() {
        let date = proposal_date(model, p);
        let explicit = answers.get(&p).map(Vec::as_slice).unwrap_or(&[]);
        for tag in tags {
            let on_this_theme = on_theme.get(&tag.theme).unwrap_or(&none);
            // Most proposals answer to no measure by name: borrow the
            // theme's list, copying it only to add explicit answers.
            let measures: &[usize] = if explicit.is_empty() {
                on_this_theme
            } else {
                joined.clear();
                joined.extend_from_slice(on_this_theme);
                for &m in explicit {
                    let own_theme = theme_index.get(ds.adoptions[m].theme.as_str());
                    let answers_this_theme = own_theme == Some(&tag.theme)
                        || !tags.iter().any(|t| Some(&t.theme) == own_theme);
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
            let mut verdict = ThemeAdoption {
                proposal: p as u32,
                theme: tag.theme as u32,
                adopted: Adopted::No,
                first_measure: None,
                lag_days: None,
                strength: None,
            };
            for &m in measures {
                let a = &ds.adoptions[m];
                let t = timing(a, date, options.concurrent_days);
                let lag_days = match a.date {
                    crate::dataset::PartialDate::Day(d) => Some((d - date).num_days() as i32),
                    _ => None,
                };
                let strength = a.kind.strength();
                if t == Timing::Later {
                    let this = if a.status == Status::Adopted {
                        Adopted::Yes
                    } else {
                        Adopted::Partial
                    };
                    verdict.adopted = verdict.adopted.min(this);
                    if verdict.first_measure.is_none() {
                        verdict.first_measure = Some(m as u32);
                        verdict.lag_days = lag_days;
                    }
                    verdict.strength = verdict.strength.max(Some(strength));
                }
                links.push(Link {
                    proposal: p as u32,
                    theme: tag.theme as u32,
                    measure: m as u32,
                    timing: t,
                    lag_days,
                    strength,
                });
            }
            themes.push(verdict);
        }
    }

    // Rates: counts per group, and the lags for the median.
    let mut by_delegate: BTreeMap<usize, (Rate, Vec<i32>)> = BTreeMap::new();
    let mut by_theme: BTreeMap<usize, (Rate, Vec<i32>)> = BTreeMap::new();
    for v in &themes {
        for (rate, lags) in [
            by_delegate
                .entry(model.delegate_of[v.proposal as usize])
                .or_default(),
            by_theme.entry(v.theme as usize).or_default(),
        ] {
            rate.total += 1;
            rate.yes += usize::from(v.adopted == Adopted::Yes);
            rate.partial += usize::from(v.adopted == Adopted::Partial);
            lags.extend(v.lag_days);
        }
    }
    let finish = |(k, (mut rate, mut lags)): (usize, (Rate, Vec<i32>))| {
        lags.sort_unstable();
        rate.median_lag_days = median(&lags);
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
    }
}

fn median(sorted: &[i32]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2] as f64),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 2.0),
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
        assert_eq!(timing(&measure("2021-03"), p, 30), Timing::Concurrent);
        assert_eq!(timing(&measure("2021-10"), p, 30), Timing::Later);
        assert_eq!(timing(&measure("2020-05"), p, 30), Timing::Preceded);
        // April overlaps the window's end (April 3): it cannot be told apart.
        assert_eq!(timing(&measure("2021-04"), p, 30), Timing::Concurrent);
        assert_eq!(timing(&measure("2021-05"), p, 30), Timing::Later);
    }

    #[test]
    fn year_precision_is_compared_as_a_year() {
        let p = day("2019-03-05");
        assert_eq!(timing(&measure("2019"), p, 30), Timing::Concurrent);
        assert_eq!(timing(&measure("2020"), p, 30), Timing::Later);
        assert_eq!(timing(&measure("2018"), p, 30), Timing::Preceded);
    }

    #[test]
    fn the_window_is_inclusive_on_both_sides() {
        let p = day("2022-03-04");
        assert_eq!(timing(&measure("2022-04-03"), p, 30), Timing::Concurrent);
        assert_eq!(timing(&measure("2022-04-04"), p, 30), Timing::Later);
        assert_eq!(timing(&measure("2022-02-02"), p, 30), Timing::Concurrent);
        assert_eq!(timing(&measure("2022-02-01"), p, 30), Timing::Preceded);
        assert_eq!(timing(&measure("2022-04-04"), p, 0), Timing::Later);
    }

    #[test]
    fn the_sources_own_timing_overrides_dates() {
        let mut m = measure("2024-07-26");
        m.timing = Some(Timing::Concurrent);
        assert_eq!(timing(&m, day("2020-05-22"), 30), Timing::Concurrent);
    }

    #[test]
    fn median_of_even_and_odd_counts() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[5]), Some(5.0));
        assert_eq!(median(&[1, 3, 10]), Some(3.0));
        assert_eq!(median(&[1, 3, 10, 20]), Some(6.5));
    }
}
