//! Time: the date a proposal counts from, how a measure's dates stand to
//! it (at the measure's precision), and the default as-of date.

use chrono::{Duration, NaiveDate};

use super::*;

/// Measures in date order, then by id.
pub(crate) fn by_date(ds: &crate::dataset::Datasets, a: usize, b: usize) -> std::cmp::Ordering {
    let (x, y) = (&ds.adoptions[a], &ds.adoptions[b]);
    (x.date.sort_key(), &x.id).cmp(&(y.date.sort_key(), &y.id))
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

/// `date` moved by `days`, held at the calendar's ends rather than
/// overflowing (a window of billions of days reaches the last date).
pub fn shift(date: NaiveDate, days: i64) -> NaiveDate {
    Duration::try_days(days)
        .and_then(|d| date.checked_add_signed(d))
        .unwrap_or(if days < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
}

/// A proposal's date with the days its judgements compare against,
/// worked out once for all of its themes and measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dated {
    pub date: NaiveDate,
    /// A measure ending before this day preceded the proposal.
    concurrent_from: NaiveDate,
    /// A measure beginning after this day came later.
    concurrent_to: NaiveDate,
    /// The last day of the follow-up window.
    window_end: NaiveDate,
}

impl Dated {
    pub fn new(date: NaiveDate, concurrent_days: i64, window_days: i64) -> Dated {
        Dated {
            date,
            concurrent_from: shift(date, -concurrent_days),
            concurrent_to: shift(date, concurrent_days),
            window_end: shift(date, window_days),
        }
    }

    /// The last day of the follow-up window.
    pub fn window_end(&self) -> NaiveDate {
        self.window_end
    }

    /// The last day of the concurrent span.
    pub fn concurrent_end(&self) -> NaiveDate {
        self.concurrent_to
    }

    /// Whether the whole window has passed by `as_of`.
    pub fn window_ended(&self, as_of: NaiveDate) -> bool {
        self.window_end <= as_of
    }

    /// Whether a measure whose dates begin on `start` is later and within
    /// the window (by the same rule as *later*: a measure later at its
    /// precision begins after the concurrent span).
    pub fn follows(&self, start: NaiveDate) -> bool {
        start > self.concurrent_to && start <= self.window_end
    }
}

/// How a measure's dates stand to a proposal date, at the measure's precision.
pub fn timing_by_dates(measure: &Measure, proposal: &Dated) -> Timing {
    if measure.date.end() < proposal.concurrent_from {
        Timing::Preceded
    } else if measure.date.start() > proposal.concurrent_to {
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
pub fn timing(measure: &Measure, proposal: &Dated, named: bool) -> Timing {
    let dates = timing_by_dates(measure, proposal);
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

/// The latest date in the datasets: the default "now", with the file
/// (relative to the datasets folder, so that reports do not depend on how
/// the folder was named) and line of the row that sets it (the first such
/// row, in reading order: proposals, then measures, then sessions).
pub fn default_as_of(model: &Model) -> (NaiveDate, Option<(String, u64)>) {
    let ds = &model.ds;
    let mut best: Option<(NaiveDate, (String, u64))> = None;
    let mut consider = |d: NaiveDate, at: &dyn Fn() -> (String, u64)| {
        if best.as_ref().is_none_or(|b| d > b.0) {
            best = Some((d, at()));
        }
    };
    for (i, p) in ds.proposals.iter().enumerate() {
        // Only a proposal's own date can pass its session's opening.
        if p.date.is_some() {
            consider(proposal_date(model, i), &|| {
                (format!("proposals/{}.csv", p.year), p.line)
            });
        }
    }
    for a in &ds.adoptions {
        consider(a.date.start(), &|| ("adoptions.csv".to_string(), a.line));
    }
    for s in &ds.sessions {
        consider(s.opened, &|| ("sessions.csv".to_string(), s.line));
    }
    match best {
        Some((d, at)) => (d, Some(at)),
        None => (NaiveDate::MIN, None),
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
            in_force: None,
            stage: Default::default(),
            extent: Default::default(),
            found_by: Default::default(),
            names: vec![],
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

    /// A proposal dated `date`, with `days` of concurrency and the default window.
    fn at(date: NaiveDate, days: i64) -> Dated {
        Dated::new(date, days, crate::adoption::WINDOW_DAYS)
    }

    #[test]
    fn a_shift_past_the_calendars_ends_stops_at_them() {
        let p = day("2022-03-04");
        assert_eq!(shift(p, 30), day("2022-04-03"));
        assert_eq!(shift(p, -30), day("2022-02-02"));
        assert_eq!(shift(p, i64::from(u32::MAX)), NaiveDate::MAX);
        assert_eq!(shift(p, -i64::from(u32::MAX)), NaiveDate::MIN);
        assert_eq!(shift(p, i64::MAX), NaiveDate::MAX);
        let never = Dated::new(p, i64::from(u32::MAX), i64::from(u32::MAX));
        assert!(!never.window_ended(NaiveDate::MAX - chrono::Duration::days(1)));
        assert_eq!(
            timing_by_dates(&measure("2022-04-04"), &never),
            Timing::Concurrent
        );
        assert!(!never.follows(day("2030-01-01")));
    }

    #[test]
    fn month_precision_is_compared_as_a_month() {
        let p = day("2021-03-04");
        assert_eq!(
            timing_by_dates(&measure("2021-03"), &at(p, 30)),
            Timing::Concurrent
        );
        assert_eq!(
            timing_by_dates(&measure("2021-10"), &at(p, 30)),
            Timing::Later
        );
        assert_eq!(
            timing_by_dates(&measure("2020-05"), &at(p, 30)),
            Timing::Preceded
        );
        // April overlaps the window's end (April 3): it cannot be told apart.
        assert_eq!(
            timing_by_dates(&measure("2021-04"), &at(p, 30)),
            Timing::Concurrent
        );
        assert_eq!(
            timing_by_dates(&measure("2021-05"), &at(p, 30)),
            Timing::Later
        );
    }

    #[test]
    fn year_precision_is_compared_as_a_year() {
        let p = day("2019-03-05");
        assert_eq!(
            timing_by_dates(&measure("2019"), &at(p, 30)),
            Timing::Concurrent
        );
        assert_eq!(timing_by_dates(&measure("2020"), &at(p, 30)), Timing::Later);
        assert_eq!(
            timing_by_dates(&measure("2018"), &at(p, 30)),
            Timing::Preceded
        );
    }

    #[test]
    fn the_window_is_inclusive_on_both_sides() {
        let p = day("2022-03-04");
        assert_eq!(
            timing_by_dates(&measure("2022-04-03"), &at(p, 30)),
            Timing::Concurrent
        );
        assert_eq!(
            timing_by_dates(&measure("2022-04-04"), &at(p, 30)),
            Timing::Later
        );
        assert_eq!(
            timing_by_dates(&measure("2022-02-02"), &at(p, 30)),
            Timing::Concurrent
        );
        assert_eq!(
            timing_by_dates(&measure("2022-02-01"), &at(p, 30)),
            Timing::Preceded
        );
        assert_eq!(
            timing_by_dates(&measure("2022-04-04"), &at(p, 0)),
            Timing::Later
        );
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
        assert_eq!(
            timing(&m, &at(day("2020-05-22"), 30), true),
            Timing::UnderWay
        );
        // Within the window the source's word stands.
        let m = judged("2020-06-01", Timing::Concurrent);
        assert_eq!(
            timing(&m, &at(day("2020-05-22"), 30), true),
            Timing::Concurrent
        );
    }

    #[test]
    fn a_source_timing_applies_only_to_the_proposals_it_names() {
        let m = judged("2024-07-26", Timing::UnderWay);
        assert_eq!(
            timing(&m, &at(day("2020-05-22"), 30), true),
            Timing::UnderWay
        );
        assert_eq!(timing(&m, &at(day("2020-05-22"), 30), false), Timing::Later);
    }

    #[test]
    fn a_source_timing_never_makes_a_measure_count_or_contradict_its_dates() {
        let p = day("2022-03-04");
        // `later` inside the window stays concurrent: no upgrade to followed.
        assert_eq!(
            timing(&judged("2022-03-10", Timing::Later), &at(p, 30), true),
            Timing::Concurrent
        );
        // Anything for a measure certainly before the proposal is preceded.
        for t in Timing::ALL {
            assert_eq!(
                timing(&judged("2019-01-01", t), &at(p, 30), true),
                Timing::Preceded
            );
        }
        // `preceded` for a measure certainly after: begun before, done later.
        assert_eq!(
            timing(&judged("2023", Timing::Preceded), &at(p, 30), true),
            Timing::UnderWay
        );
        // `preceded` inside the window is only concurrent.
        assert_eq!(
            timing(&judged("2022-03", Timing::Preceded), &at(p, 30), true),
            Timing::Concurrent
        );
    }
}
