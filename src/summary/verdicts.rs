//! What a verdict cell and a theme-by-year matrix show: a proposal
//! theme's verdict with its deciding measure's lag and ★, the measures
//! around or before it, how long a proposal still in its window has
//! waited ([`Judged`]); links with their ★ ([`ShownLink`]); and a matrix
//! row's cells ([`Cell`]).

use super::*;
use crate::adoption::Link;
use crate::adoption::ThemeAdoption;

/// One link as a page lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct ShownLink {
    pub link: Link,
    /// The measure names the proposer or the proposer's company.
    pub names_proposer: bool,
}

/// One proposal theme's verdict with what its cell says.
#[derive(Debug, Clone, PartialEq)]
pub struct Judged {
    pub verdict: ThemeAdoption,
    /// The deciding measure names the proposer or the company.
    pub deciding_names_proposer: bool,
    /// Days from the proposal to the deciding measure, when dated to the day.
    pub deciding_lag_days: Option<i32>,
    /// The first under-way and the first concurrent measure (in date
    /// order), and how many measures preceded the proposal.
    pub first_under_way: Option<u32>,
    pub first_concurrent: Option<u32>,
    pub preceded: usize,
    /// Days from the proposal's date to the as-of date.
    pub waited_days: i64,
}

/// Links with their ★ decided.
pub fn shown_links(model: &Model, links: Vec<Link>) -> Vec<ShownLink> {
    links
        .into_iter()
        .map(|link| ShownLink {
            names_proposer: crate::adoption::names_proposer(
                model,
                link.measure as usize,
                link.proposal as usize,
            ),
            link,
        })
        .collect()
}

/// The verdict on proposal `p`'s theme `theme`; `None` when the proposal
/// does not carry it.
pub fn judged(model: &Model, adoption: &AdoptionTables, p: u32, theme: u32) -> Option<Judged> {
    let (verdict, links) = adoption.judged(model, p, theme)?;
    let deciding = verdict.deciding_measure;
    let first = |t: crate::dataset::Timing| links.iter().find(|l| l.timing == t).map(|l| l.measure);
    let date = crate::adoption::proposal_date(model, p as usize);
    Some(Judged {
        deciding_names_proposer: deciding
            .is_some_and(|m| crate::adoption::names_proposer(model, m as usize, p as usize)),
        deciding_lag_days: (links.iter())
            .find(|l| Some(l.measure) == deciding)
            .and_then(|l| l.lag_days),
        first_under_way: first(crate::dataset::Timing::UnderWay),
        first_concurrent: first(crate::dataset::Timing::Concurrent),
        preceded: (links.iter())
            .filter(|l| l.timing == crate::dataset::Timing::Preceded)
            .count(),
        waited_days: (adoption.as_of - date).num_days(),
        verdict,
    })
}

/// One year cell of a theme-by-year matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// The theme was raised that year.
    Raised,
    /// A record that year, the theme not raised.
    NotRaised,
    /// A member without a record.
    MemberNoRecord,
    /// No record, membership unknown.
    Unknown,
    /// Not a member.
    NotMember,
}

/// A delegate's cells for one theme, one per dataset year: `raised` are
/// the years the theme was raised (ascending), `active` the years with any
/// record.
pub fn matrix_cells(model: &Model, d: usize, raised: &[i32], active: &[i32]) -> Vec<Cell> {
    (model.years.iter())
        .map(|&y| {
            if raised.binary_search(&y).is_ok() {
                Cell::Raised
            } else if active.contains(&y) {
                Cell::NotRaised
            } else {
                match crate::diff::standing(model, d, y) {
                    crate::dataset::Standing::Member => Cell::MemberNoRecord,
                    crate::dataset::Standing::Unknown => Cell::Unknown,
                    crate::dataset::Standing::NotMember => Cell::NotMember,
                }
            }
        })
        .collect()
}
