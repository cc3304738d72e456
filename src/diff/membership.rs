//! What the memberships and records say of a delegate across a pair:
//! how it arrived, and whether it moved between bodies.

use super::State;
use crate::dataset::Body;
use crate::normalize::Model;

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

/// How a delegate arrived in the second year of a pair, from its state.
pub fn arrival(model: &Model, delegate: usize, state: State, to: i32) -> Option<Arrival> {
    match state {
        State::Joined => Some(Arrival::Joined),
        State::Resumed if first_record(model, delegate) == Some(to) => Some(Arrival::FirstRecord),
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
