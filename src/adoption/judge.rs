//! The judge of one proposal theme: every measure on its theme (and any
//! that names the proposal), in date order, labelled by timing, and the
//! verdict they make; and the tally of verdicts into a rate.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::*;

/// What a verdict is computed from: the measures in force by theme, in
/// date order, those naming each proposal, and the options.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Judge {
    pub(crate) options: Options,
    pub(crate) as_of: NaiveDate,
    pub(crate) on_theme: BTreeMap<usize, Vec<usize>>,
    pub(crate) answers: BTreeMap<usize, Vec<usize>>,
    /// Each measure's theme index, when the taxonomy has it.
    pub(crate) own_theme: Vec<Option<u32>>,
    /// Each session's year, body and opening ([`Dated`]), in dataset
    /// order: the date of every proposal without one of its own, and the
    /// session years chance is computed over.
    pub(crate) openings: Vec<(i32, crate::dataset::Body, Dated)>,
}

impl Judge {
    /// Whether measure `m`, which names a proposal, answers the proposal's
    /// `k`-th theme: its own theme, or any theme when the proposal does
    /// not carry the measure's.
    fn answers_theme(&self, m: usize, tags: &[Tag], k: usize) -> bool {
        let own_theme = self.own_theme[m];
        own_theme == Some(tags[k].theme) || !tags.iter().any(|t| Some(t.theme) == own_theme)
    }

    /// Whether the `k`-th theme of proposal `p` has any link (as
    /// [`Self::verdict`] would find), without judging it; `on_theme` is by
    /// theme index: whether any measure is on that theme.
    pub(crate) fn has_links(&self, model: &Model, on_theme: &[bool], p: usize, k: usize) -> bool {
        let tags = &model.tags[p];
        on_theme[tags[k].theme as usize]
            || (self.answers.get(&p))
                .is_some_and(|ms| ms.iter().any(|&m| self.answers_theme(m, tags, k)))
    }

    /// Proposal `p`'s date ([`proposal_date`]) with the days its
    /// judgements compare against.
    pub(crate) fn dated(&self, model: &Model, p: usize) -> Dated {
        let proposal = &model.ds.proposals[p];
        match proposal.date {
            Some(date) => Dated::new(date, self.options.concurrent_days, self.options.window_days),
            None => (self.openings.iter())
                .find(|&&(year, body, _)| year == proposal.year && body == proposal.body)
                .map(|&(_, _, at)| at)
                .expect("validation guarantees a session date"),
        }
    }

    /// The verdict on the `k`-th theme of proposal `p`, dated `at`
    /// ([`Self::dated`]); `link` sees each of its links in table order,
    /// with whether it counts as a follow-up.
    pub(crate) fn verdict(
        &self,
        model: &Model,
        (p, at): (usize, Dated),
        k: usize,
        joined: &mut Vec<usize>,
        link: &mut dyn FnMut(&Link, bool),
    ) -> ThemeAdoption {
        let ds = &model.ds;
        let tags = &model.tags[p];
        let tag = tags[k];
        let on_this_theme = self
            .on_theme
            .get(&(tag.theme as usize))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let explicit = self.answers.get(&p).map(Vec::as_slice).unwrap_or(&[]);
        // Most proposals answer to no measure by name: borrow the theme's
        // list, copying it only to add explicit answers.
        let measures: &[usize] = if explicit.is_empty() {
            on_this_theme
        } else {
            joined.clear();
            joined.extend_from_slice(on_this_theme);
            for &m in explicit {
                if self.answers_theme(m, tags, k) && !joined.contains(&m) {
                    joined.push(m);
                }
            }
            if joined.len() > on_this_theme.len() {
                // An explicit answer joined the theme's list: re-establish date order.
                joined.sort_by(|&a, &b| by_date(ds, a, b));
            }
            joined
        };
        let low_proposal = ds.proposals[p].confidence == Some(Confidence::Low);
        let mut verdict = ThemeAdoption {
            proposal: p as u32,
            theme: tag.theme,
            followed: Followed::No,
            first_measure: None,
            deciding_measure: None,
            lag_days: None,
            strength: None,
            max_strength: None,
            low_confidence: low_proposal,
            within_window: Window::No,
            searched_followed: false,
            searched_followed_high: false,
        };
        let mut windowed = false;
        let proposal_id = ds.proposals[p].id.as_str();
        for &m in measures {
            let a = &ds.adoptions[m];
            let named = a.proposals.is_empty() || a.proposals.iter().any(|x| x == proposal_id);
            let t = timing(a, &at, named);
            let lag_days = match (a.date, t) {
                (_, Timing::UnderWay) => None,
                (crate::dataset::PartialDate::Day(d), _) => Some((d - at.date).num_days() as i32),
                _ => None,
            };
            let strength = a.kind.strength();
            let low_measure = a.confidence == Some(Confidence::Low);
            let counts = t == Timing::Later;
            if chance::within(t, a.stage, a.date.start(), &at) {
                windowed = true;
                if a.found_by == crate::dataset::FoundBy::ThemeSearch
                    && self.own_theme[m] == Some(tag.theme)
                {
                    verdict.searched_followed = true;
                    verdict.searched_followed_high |= !low_measure;
                }
            }
            if counts {
                if verdict.first_measure.is_none() {
                    verdict.first_measure = Some(m as u32);
                    verdict.lag_days = lag_days;
                    verdict.strength = Some(strength);
                }
                let this = if a.is_full() {
                    Followed::Yes
                } else {
                    Followed::Partial
                };
                if this < verdict.followed {
                    verdict.followed = this;
                    verdict.deciding_measure = Some(m as u32);
                }
                verdict.max_strength = verdict.max_strength.max(Some(strength));
            }
            link(
                &Link {
                    proposal: p as u32,
                    theme: tag.theme,
                    measure: m as u32,
                    timing: t,
                    lag_days,
                    strength,
                    low_confidence: low_proposal || low_measure,
                },
                counts,
            );
        }
        verdict.within_window = chance::window_verdict(windowed, at.window_ended(self.as_of));
        verdict
    }
}

/// A [`Rate`] being counted: the counts, and how many times each lag
/// occurs, for the median (a theme's proposals share a few session dates
/// and its measures a few dates: at scale millions of lags, few distinct).
#[derive(Debug, Default)]
pub(crate) struct Tally {
    rate: Rate,
    lags: BTreeMap<i32, usize>,
}

impl Tally {
    /// Counts one proposal theme's verdict; `followup` is the days from
    /// its proposal to as-of.
    pub(crate) fn add(&mut self, v: &ThemeAdoption, followup: i64) {
        let rate = &mut self.rate;
        rate.total += 1;
        rate.followup_days = Some(match rate.followup_days {
            None => (followup, followup),
            Some((lo, hi)) => (lo.min(followup), hi.max(followup)),
        });
        rate.yes += usize::from(v.followed == Followed::Yes);
        rate.partial += usize::from(v.followed == Followed::Partial);
        if let Some(lag) = v.lag_days {
            *self.lags.entry(lag).or_default() += 1;
        }
    }

    pub(crate) fn rate(mut self) -> Rate {
        self.rate.median_lag_days = median_of_counts(&self.lags);
        self.rate
    }
}

/// Proposal themes followed at any time over a set of proposals, counted
/// in the one pass over the verdicts: the headline's figures.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FollowUpCounts {
    pub proposal_themes: usize,
    pub yes: usize,
    pub partial: usize,
    /// Days to the first later measure, where dated to the day, as how
    /// many times each value occurs.
    lags: BTreeMap<i32, usize>,
}

impl FollowUpCounts {
    /// Counts a proposal theme; its follow-up only when `counts` (the
    /// high-confidence column leaves out a follow-up whose deciding
    /// measure rests on a weak source).
    pub(crate) fn add(&mut self, v: &ThemeAdoption, counts: bool) {
        self.proposal_themes += 1;
        if !counts {
            return;
        }
        match v.followed {
            Followed::Yes => self.yes += 1,
            Followed::Partial => self.partial += 1,
            Followed::No => {}
        }
        if let Some(lag) = v.lag_days {
            *self.lags.entry(lag).or_default() += 1;
        }
    }

    /// How many lags there are, and their median.
    pub fn lags(&self) -> (usize, Option<f64>) {
        (self.lags.values().sum(), median_of_counts(&self.lags))
    }
}

/// The median of values given as how many times each occurs: as
/// [`crate::summary::median`] of them all, sorted.
pub(crate) fn median_of_counts(counts: &BTreeMap<i32, usize>) -> Option<f64> {
    let n: usize = counts.values().sum();
    // The value at a position of the sorted values.
    let at = |i: usize| {
        let mut before = 0;
        for (&value, &count) in counts {
            before += count;
            if i < before {
                return f64::from(value);
            }
        }
        unreachable!("the position is below the number of values")
    };
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(at(n / 2)),
        _ => Some((at(n / 2 - 1) + at(n / 2)) / 2.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_counted_values_is_the_median_of_the_values() {
        let cases: [&[i32]; 6] = [
            &[],
            &[5],
            &[3, -2],
            &[1, 1, 1, 9],
            &[4, 4, 7, 100, -3],
            &[0, 2, 2, 2, 8, 8],
        ];
        for values in cases {
            let mut sorted = values.to_vec();
            sorted.sort_unstable();
            let mut counts = BTreeMap::new();
            for &v in values {
                *counts.entry(v).or_default() += 1;
            }
            assert_eq!(
                median_of_counts(&counts),
                crate::summary::median(&sorted),
                "{values:?}"
            );
        }
    }
}
