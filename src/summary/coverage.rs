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
