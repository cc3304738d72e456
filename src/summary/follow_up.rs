//! What adoption.md shows: the delegates' rates beside their comparison
//! with chance, the links it lists, the measures by kind and in date order.

use super::*;
use crate::adoption::chance::Comparison;
use crate::adoption::Rate;
use crate::dataset::{Kind, Scope, Stage};

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

/// Bundles named on adoption.md at most; `proposals.csv` has every one.
pub const BUNDLES_SHOWN: usize = 50;

/// One delegate's row on adoption.md.
#[derive(Debug, Clone, PartialEq)]
pub struct DelegateFollowUp {
    pub delegate: usize,
    /// Follow-up at any time.
    pub rate: Rate,
    /// Within the window, against chance.
    pub comparison: Comparison,
}

/// How many measures of a kind there are, by scope.
#[derive(Debug, Clone, PartialEq)]
pub struct KindCounts {
    pub kind: Kind,
    pub national: usize,
    pub provincial: usize,
    pub local: usize,
    pub all: usize,
    pub drafts: usize,
}

/// Everything adoption.md decides.
#[derive(Debug, Clone)]
pub struct FollowUpPage {
    /// The categories and the themes with a proposal theme judged, out
    /// of those raised.
    pub categories_judged: Vec<String>,
    pub themes_judged: Vec<usize>,
    /// Themes with at least one linked measure (their rates are listed).
    pub themes_linked: Vec<usize>,
    /// The delegates shown, in the cut's order, and the cut.
    pub delegates: Vec<DelegateFollowUp>,
    pub delegates_cut: Cut,
    /// The links listed, with their ★, the cut, and the years of their
    /// proposals (first, last) when the list is cut.
    pub links: Vec<ShownLink>,
    pub links_cut: Cut,
    pub links_years: Option<(i32, i32)>,
    /// The first bundles by table order, and how many more there are.
    pub bundles: Vec<u32>,
    pub more_bundles: usize,
    /// Measures by kind (kinds with none left out); final laws; drafts.
    pub kinds: Vec<KindCounts>,
    pub final_laws: usize,
    pub drafts: usize,
    /// Every measure, by date then id.
    pub measures_by_date: Vec<usize>,
    /// No proposal has a date of its own: every lag counts from its
    /// body's session opening, which the page says.
    pub no_proposal_dated: bool,
}

pub fn follow_up_page(model: &Model, t: &AdoptionTables) -> FollowUpPage {
    let ds = &model.ds;
    let (rated, delegates_cut) = rates_by_delegate(model);
    let delegates = (delegates_cut.shown.iter())
        .map(|&i| {
            let d = rated[i].0;
            DelegateFollowUp {
                delegate: d,
                rate: t.delegate_rate(model, d),
                comparison: t.delegate_comparison(model, d),
            }
        })
        .collect();
    let links_cut = links_shown(t);
    let shown: Vec<crate::adoption::Link> = (links_cut.shown.iter())
        .map(|&i| t.first_links[i].clone())
        .collect();
    let links_years = links_cut
        .is_cut()
        .then(|| {
            (shown.iter())
                .map(|l| ds.proposals[l.proposal as usize].year)
                .fold(None, |acc: Option<(i32, i32)>, y| {
                    Some(acc.map_or((y, y), |(lo, hi)| (lo.min(y), hi.max(y))))
                })
        })
        .flatten();
    let count = |k: Kind, sc: Option<Scope>| {
        (ds.adoptions.iter())
            .filter(|m| m.kind == k && sc.is_none_or(|sc| m.scope == sc))
            .count()
    };
    let drafts = |k: Option<Kind>| {
        (ds.adoptions.iter())
            .filter(|m| m.stage == Stage::Draft && k.is_none_or(|k| m.kind == k))
            .count()
    };
    let kinds = (Kind::ALL.into_iter())
        .map(|k| KindCounts {
            kind: k,
            national: count(k, Some(Scope::National)),
            provincial: count(k, Some(Scope::Provincial)),
            local: count(k, Some(Scope::Local)),
            all: count(k, None),
            drafts: drafts(Some(k)),
        })
        .filter(|k| k.all > 0)
        .collect();
    let mut measures_by_date: Vec<usize> = (0..ds.adoptions.len()).collect();
    measures_by_date.sort_by(|&x, &y| crate::adoption::by_date(ds, x, y));
    FollowUpPage {
        categories_judged: (t.compared_by_category.iter())
            .filter(|(_, c)| c.judged > 0)
            .map(|(cat, _)| cat.clone())
            .collect(),
        themes_judged: (t.compared_by_theme.iter())
            .filter(|(_, c)| c.judged > 0)
            .map(|(&th, _)| th)
            .collect(),
        themes_linked: (t.by_theme.keys())
            .filter(|th| t.linked_themes.contains(th))
            .copied()
            .collect(),
        delegates,
        delegates_cut,
        links: shown_links(model, shown),
        links_cut,
        links_years,
        bundles: t.bundles.iter().take(BUNDLES_SHOWN).copied().collect(),
        more_bundles: t.bundles.len().saturating_sub(BUNDLES_SHOWN),
        no_proposal_dated: ds.proposals.iter().all(|p| p.date.is_none()),
        kinds,
        final_laws: count(Kind::Law, None) - drafts(Some(Kind::Law)),
        drafts: drafts(None),
        measures_by_date,
    }
}
