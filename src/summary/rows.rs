//! The long tables' rows, streamed: each row is finished here and handed
//! to the table writer, which only encodes it. At 10 million proposals
//! the rows are never all in memory.

use super::*;
use crate::adoption::chance::{Comparison, Measures, Standing as ChanceStanding};
use crate::adoption::{Link, ThemeAdoption};
use crate::dataset::ProposalText;

/// One proposal theme as `adoption.csv` and `adoption_links.csv` write it.
pub struct Judgement<'a> {
    pub verdict: &'a ThemeAdoption,
    /// Its links, in measure date order.
    pub links: &'a [Link],
    /// Per link: whether the measure names the proposer or the company.
    pub names_proposer: &'a [bool],
    /// Where it stands in the comparison with chance.
    pub standing: ChanceStanding,
}

/// Every proposal theme's judgement, in table order (by proposal, then
/// theme), judged as it goes.
pub fn for_each_judgement(
    model: &Model,
    t: &AdoptionTables,
    each: &mut dyn FnMut(&Judgement) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut names = Vec::new();
    t.for_each(model, &mut |v, links| {
        names.clear();
        names.extend(links.iter().map(|l| {
            crate::adoption::names_proposer(model, l.measure as usize, l.proposal as usize)
        }));
        each(&Judgement {
            verdict: v,
            links,
            names_proposer: &names,
            standing: t.standing(model, v, Measures::All),
        })
    })
}

/// Every delegate with a proposal, in id order, with its comparison with
/// chance (judged as it goes).
pub fn for_each_delegate_comparison(
    model: &Model,
    t: &AdoptionTables,
    each: &mut dyn FnMut(usize, &Comparison) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let ds = &model.ds;
    let mut order: Vec<usize> = (0..ds.delegates.len())
        .filter(|&d| model.proposals_of(d).len() > 0)
        .collect();
    order.sort_by(|&x, &y| ds.delegates[x].id.cmp(&ds.delegates[y].id));
    let mut scratch = crate::adoption::ComparisonScratch::default();
    for d in order {
        each(d, &t.delegate_comparison_in(model, d, &mut scratch))?;
    }
    Ok(())
}

/// Every proposal in dataset order with its long text (company, summary,
/// source), read back from the year files as it goes.
pub fn for_each_proposal_text(
    model: &Model,
    each: &mut dyn FnMut(usize, &ProposalText) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut reader = crate::dataset::TextReader::bulk(&model.ds);
    for i in 0..model.ds.proposals.len() {
        each(i, &reader.read(i)?)?;
    }
    Ok(())
}
