//! What the records cover, and how a delegate without records in a year is described.

use super::*;

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
