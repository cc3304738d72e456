//! What the index's headline table shows: the figures over all proposals and over high-confidence ones.

use super::*;

/// Headline figures over a set of proposals.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Figures {
    pub proposals: usize,
    pub delegates: usize,
    /// Proposal × theme pairs.
    pub proposal_themes: usize,
    /// Proposal themes followed by a later measure with status adopted.
    pub followed_yes: usize,
    /// Proposal themes followed by later measures that are all partial.
    pub followed_partial: usize,
    /// Median lag in days to the first later measure, over the proposal
    /// themes whose first later measure is dated to the day.
    pub median_lag_days: Option<f64>,
    /// How many lags that median is over.
    pub lags: usize,
    /// (theme, year) pairs raised by two or more delegates.
    pub convergent: usize,
    /// (theme, year) pairs raised by anyone: what `convergent` is out of.
    pub theme_years: usize,
    /// (delegate, theme) pairs raised, absent in a year with records, raised again.
    pub returning: usize,
    /// (delegate, theme) pairs raised in two or more years: what
    /// `returning` is out of.
    pub raised_again: usize,
    /// Proposals from a weak source (a mirror or repost unconfirmed by an
    /// original, or an inferred year).
    pub low: usize,
}

impl Figures {
    pub fn followed(&self) -> usize {
        self.followed_yes + self.followed_partial
    }
}

/// The headline figures over every proposal, and over high-confidence
/// proposals only.
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    pub all: Figures,
    pub high: Figures,
}

/// Computes the figures over the proposals `keep` accepts, judging every
/// verdict again: for tests, which hold the headline (counted in the
/// follow-up pass) equal to it.
#[cfg(test)]
pub fn figures(model: &Model, adoption: &AdoptionTables, keep: impl Fn(usize) -> bool) -> Figures {
    let mut one = figures_of(model, adoption, &[(&keep, false)]);
    one.pop().expect("one set of figures asked, one given")
}

/// [`figures`] over several sets of proposals, with one pass over the
/// follow-up verdicts for all of them (they are computed as they go). Each
/// set is the proposals its test keeps, and whether a follow-up also needs
/// a deciding measure of high confidence (the high-confidence column).
#[cfg(test)]
pub fn figures_of(
    model: &Model,
    adoption: &AdoptionTables,
    keeps: &[(&dyn Fn(usize) -> bool, bool)],
) -> Vec<Figures> {
    let ds = &model.ds;
    let mut all: Vec<Figures> = keeps.iter().map(|keep| records(model, keep.0)).collect();
    let mut lags: Vec<Vec<i32>> = vec![Vec::new(); keeps.len()];
    let judged = adoption.for_each(model, &mut |v, _| {
        let weak_measure = v
            .deciding_measure
            .is_some_and(|m| ds.adoptions[m as usize].confidence == Some(Confidence::Low));
        for ((f, lags), &(keep, high)) in all.iter_mut().zip(&mut lags).zip(keeps) {
            if keep(v.proposal as usize) {
                f.proposal_themes += 1;
                if high && weak_measure {
                    continue;
                }
                match v.followed {
                    Followed::Yes => f.followed_yes += 1,
                    Followed::Partial => f.followed_partial += 1,
                    Followed::No => {}
                }
                lags.extend(v.lag_days);
            }
        }
        Ok(())
    });
    debug_assert!(judged.is_ok(), "counting writes nothing");
    for (f, mut lags) in all.iter_mut().zip(lags) {
        lags.sort_unstable();
        f.lags = lags.len();
        f.median_lag_days = median(&lags);
    }
    all
}

/// The figures that come from the records alone, over the proposals
/// `keep` accepts.
fn records(model: &Model, keep: &dyn Fn(usize) -> bool) -> Figures {
    let ds = &model.ds;
    let mut f = Figures::default();
    // Per delegate, over the proposals kept: its (theme, year) pairs and
    // the years it has records, each list small and sorted in place.
    // Delegates raising each (theme, year) are counted in a dense table.
    let n_years = model.years.len();
    let mut raisers = vec![0u32; ds.themes.len() * n_years];
    let (mut raised, mut active, mut years) = (Vec::new(), Vec::new(), Vec::new());
    for mine in model.proposals_by_delegate() {
        raised.clear();
        active.clear();
        for p in mine.iter().map(|&p| p as usize).filter(|&p| keep(p)) {
            let year = ds.proposals[p].year;
            f.proposals += 1;
            f.low += usize::from(ds.proposals[p].confidence == Some(Confidence::Low));
            active.push(year);
            raised.extend(model.tags[p].iter().map(|t| (t.theme, year)));
        }
        if active.is_empty() {
            continue;
        }
        f.delegates += 1;
        active.sort_unstable();
        active.dedup();
        raised.sort_unstable();
        raised.dedup();
        for run in raised.chunk_by(|a, b| a.0 == b.0) {
            years.clear();
            years.extend(run.iter().map(|r| r.1));
            f.raised_again += usize::from(years.len() >= 2);
            // Returning: raised, absent in a year with records, raised again.
            f.returning +=
                usize::from(crate::diff::history::streaks(&years, &model.years, &active).1);
            for &(theme, year) in run {
                let y = model
                    .years
                    .binary_search(&year)
                    .expect("proposal years are dataset years");
                raisers[theme as usize * n_years + y] += 1;
            }
        }
    }
    // Convergent: (theme, year) with two or more delegates.
    f.convergent = raisers.iter().filter(|&&n| n >= 2).count();
    f.theme_years = raisers.iter().filter(|&&n| n >= 1).count();

    f
}

/// The headline over all proposals and over high-confidence ones: the
/// records counted here, the follow-up as the follow-up pass counted it
/// (no verdict judged again).
pub fn headline(model: &Model, adoption: &AdoptionTables) -> Headline {
    let ds = &model.ds;
    let high = |p: usize| ds.proposals[p].confidence != Some(Confidence::Low);
    let with = |mut f: Figures, c: &crate::adoption::FollowUpCounts| {
        f.proposal_themes = c.proposal_themes;
        f.followed_yes = c.yes;
        f.followed_partial = c.partial;
        (f.lags, f.median_lag_days) = c.lags();
        f
    };
    Headline {
        all: with(records(model, &|_| true), &adoption.followups[0]),
        high: with(records(model, &high), &adoption.followups[1]),
    }
}

/// The median of sorted values.
pub fn median(sorted: &[i32]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(f64::from(sorted[n / 2])),
        _ => Some((f64::from(sorted[n / 2 - 1]) + f64::from(sorted[n / 2])) / 2.0),
    }
}
