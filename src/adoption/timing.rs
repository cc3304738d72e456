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
