//! What the records cover: delegates and delegate-years with records,
//! weak sources, uneven years and delegates, and what the data lacks.

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
    /// The same, when it weighs on the totals (a tenth of the proposal
    /// themes or more): the coverage list says so.
    pub uneven_delegate: Option<(usize, usize)>,
    pub measures: usize,
    /// Themes whose measures were searched independently of the
    /// proposals, and the measures found that way.
    pub themes_searched: usize,
    pub measures_by_search: usize,
    /// What the data lacks, as the coverage list says it (and why a page
    /// leaves a column or a section out).
    pub missing: Vec<&'static str>,
    /// Whether any proposal is to the NPC, and any to the CPPCC: the index
    /// then says what *proposal* stands for in each (建议 and 议案, 提案).
    pub npc_items: bool,
    pub cppcc_items: bool,
}

pub fn coverage(model: &Model) -> Coverage {
    let ds = &model.ds;
    let mut c = Coverage {
        delegates_listed: ds.delegates.len(),
        proposals: ds.proposals.len(),
        measures: ds.adoptions.len(),
        themes_searched: (ds.themes.iter())
            .filter(|t| t.measures_searched.is_some())
            .count(),
        measures_by_search: (ds.adoptions.iter())
            .filter(|m| m.found_by == crate::dataset::FoundBy::ThemeSearch)
            .count(),
        missing: missing(&model.ds),
        npc_items: ds.proposals.iter().any(|p| p.body == Body::NPC),
        cppcc_items: ds.proposals.iter().any(|p| p.body == Body::CPPCC),
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
    c.uneven_delegate = (c.busiest_delegate).filter(|&(_, n)| n * 10 >= c.proposal_themes);

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

/// What the data does not have, so that a reader knows why a page leaves
/// a column or a section out.
fn missing(ds: &crate::dataset::Datasets) -> Vec<&'static str> {
    let mut missing = Vec::new();
    if !ds.has_companies() {
        missing.push("companies (no Company column)");
    }
    if ds.themes.iter().all(|t| t.cap_major.is_none()) {
        missing.push("CAP codes (no CAP section)");
    }
    if ds.proposals.iter().all(|p| p.confidence.is_none()) {
        missing.push("source confidence (no ⚠ can be given)");
    }
    if ds.proposals.iter().all(|p| p.title_zh.len == 0) {
        missing.push("the delegates' own titles (`title_zh`: no wording is compared)");
    }
    if ds.themes.iter().all(|t| t.measures_searched.is_none()) {
        missing.push("measures searched by theme (`measures_searched`: no comparison with chance)");
    }
    missing
}
