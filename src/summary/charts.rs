//! What the charts show: the heatmap's rows and cells and the timeline's
//! lanes, chosen here; the chart renderers only draw them.

use std::collections::{BTreeMap, BinaryHeap};

use chrono::NaiveDate;

use super::*;
use crate::dataset::{Datasets, Timing};

/// Rows shown at most in one chart.
pub const CHART_ROWS: usize = 40;

/// A delegate's name on a chart: English (or id) and Chinese, unescaped.
pub fn short_name(ds: &Datasets, d: usize) -> String {
    short_name_pieces(ds, d).concat()
}

/// [`short_name`] in pieces, joined only where needed.
fn short_name_pieces(ds: &Datasets, d: usize) -> [&str; 3] {
    let x = &ds.delegates[d];
    if x.name_zh.is_empty() {
        [x.name_or_id(), "", ""]
    } else {
        [x.name_or_id(), " ", &x.name_zh]
    }
}

/// One heatmap cell: a count of themes, or why there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeatCell {
    Themes(usize),
    /// No record; a member that year.
    MemberNoRecord,
    /// No record; membership unknown.
    Unknown,
    NotMember,
}

/// The heatmap: the busiest delegates (in delegate order) with a cell per
/// dataset year, the most themes in one delegate-year, and how many
/// delegates there are in all.
#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap {
    pub rows: Vec<(usize, Vec<HeatCell>)>,
    pub max: usize,
    pub total: usize,
}

pub fn heatmap(model: &Model, history: &History) -> Heatmap {
    // One pass over every delegate's years, one delegate at a time: each
    // delegate's themes summed over its years (to choose the busiest rows)
    // and the most themes in one delegate-year (the colour scale).
    let (mut delegates, mut sums, mut max) = (Vec::new(), Vec::new(), 0);
    history.for_each_delegate_years(&mut |run| {
        delegates.push(run[0].delegate);
        sums.push(run.iter().map(|x| x.themes).sum::<usize>());
        max = run.iter().map(|x| x.themes).fold(max, usize::max);
    });
    let total = delegates.len();
    // The busiest rows, drawn in delegate order.
    let mut picked = select::top_n(total, CHART_ROWS, |i| {
        (std::cmp::Reverse(sums[i]), delegates[i])
    });
    picked.sort_unstable();
    let rows = (picked.into_iter())
        .map(|i| {
            let d = delegates[i];
            let years = history.delegate_years(d);
            let cells = (model.years.iter())
                .map(|&y| match years.iter().find(|x| x.year == y) {
                    Some(x) => HeatCell::Themes(x.themes),
                    None => match crate::diff::standing(model, d as usize, y) {
                        Standing::Member => HeatCell::MemberNoRecord,
                        Standing::Unknown => HeatCell::Unknown,
                        Standing::NotMember => HeatCell::NotMember,
                    },
                })
                .collect();
            (d as usize, cells)
        })
        .collect();
    Heatmap { rows, max, total }
}

/// One row of the timeline: a proposal theme and the measures on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    pub label: String,
    /// The proposal's date.
    pub proposal: NaiveDate,
    /// (first day, last day, timing) of each measure, in date order.
    pub measures: Vec<(NaiveDate, NaiveDate, Timing)>,
}

/// The timeline's lanes, in date then label order, and how many linked
/// proposal themes there are in all.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub lanes: Vec<Lane>,
    pub total: usize,
}

/// Rows per year out of `max`: an equal share each, a year with fewer
/// rows than its share giving the rest to the others; with room for all,
/// every row.
fn year_quotas(per_year: &BTreeMap<i32, usize>, max: usize) -> BTreeMap<i32, usize> {
    let mut quota: BTreeMap<i32, usize> = per_year.keys().map(|&y| (y, 0)).collect();
    let mut left = max;
    loop {
        let open: Vec<i32> = (per_year.iter())
            .filter(|(y, &n)| quota[y] < n)
            .map(|(&y, _)| y)
            .collect();
        if open.is_empty() || left == 0 {
            return quota;
        }
        // One round: each open year gets an equal part, the latest years
        // taking the remainder one each.
        let share = (left / open.len()).max(1);
        for &y in open.iter().rev() {
            if left == 0 {
                break;
            }
            let take = share.min(per_year[&y] - quota[&y]).min(left);
            *quota.get_mut(&y).expect("every year has a quota") += take;
            left -= take;
        }
    }
}

/// The timeline's lanes: one per proposal theme with any measure on its
/// theme. When there are more than [`CHART_ROWS`], every session year gets
/// an equal share of the rows (a year with fewer linked proposal themes
/// gives its unused share to the others), and within a year the delegates
/// take turns: the earliest years and the first names never crowd out
/// the others. Two passes over the linked proposal themes, neither holding
/// them: the first counts them per year, the second keeps each year's
/// first in a bounded heap (at scale a session holds millions).
pub fn timeline(model: &Model, adoption: &AdoptionTables) -> Timeline {
    let ds = &model.ds;
    let mut year_digits = itoa::Buffer::new();
    // Counted by the follow-up pass; one pass here keeps the rows.
    let per_year = &adoption.linked_per_year;
    let total: usize = per_year.values().sum();
    let quota = year_quotas(per_year, CHART_ROWS);
    let mut turns = TurnTaking::new(quota, ds.delegates.len());
    adoption.for_each_linked(model, &mut |date, p, t| {
        let (p, t) = (p as usize, t as usize);
        let (year, d) = (ds.proposals[p].year, model.delegate_of[p]);
        // The label "{year} {short_name} · {theme}", in pieces.
        let [en, space, zh] = short_name_pieces(ds, d);
        let theme = ds.themes[t].label_en.as_str();
        let label = [year_digits.format(year), " ", en, space, zh, " · ", theme];
        turns.offer(year, d, &label, (p, t, date));
    });
    let mut lanes: Vec<(NaiveDate, String, usize, usize)> =
        (turns.kept()).map(|(l, (p, t, d))| (d, l, p, t)).collect();
    lanes.sort_unstable();
    // Measures only for the lanes drawn.
    let lanes = (lanes.into_iter())
        .map(|(date, label, p, t)| Lane {
            label,
            proposal: date,
            measures: (adoption.links_of(model, p as u32, t as u32).iter())
                .map(|l| {
                    let me = &ds.adoptions[l.measure as usize];
                    (me.date.start(), me.date.end(), l.timing)
                })
                .collect(),
        })
        .collect();
    Timeline { lanes, total }
}

/// Rows chosen within each year by turns: each delegate's first offer of
/// the year (in the order offered), then each one's second, and so on, so
/// that no delegate crowds out the others; ties by label. Each year keeps
/// its quota in a bounded heap, so the offers (millions at scale) are never
/// held; a label is offered in pieces and joined only for an offer that
/// enters.
struct TurnTaking<P> {
    quota: BTreeMap<i32, usize>,
    /// Per delegate: the year being offered and how many of its offers
    /// came before in it (a delegate's offers come year by year, in
    /// order: the proposals are in year order).
    turns: Vec<(i32, usize)>,
    kept: BTreeMap<i32, BinaryHeap<(usize, String, P)>>,
}

impl<P: Ord> TurnTaking<P> {
    fn new(quota: BTreeMap<i32, usize>, delegates: usize) -> Self {
        TurnTaking {
            quota,
            turns: vec![(i32::MIN, 0); delegates],
            kept: BTreeMap::new(),
        }
    }

    fn offer(&mut self, year: i32, delegate: usize, label: &[&str], payload: P) {
        let Some(turn) = self.turns.get_mut(delegate) else {
            return;
        };
        if turn.0 != year {
            *turn = (year, 0);
        }
        let rank = turn.1;
        turn.1 += 1;
        let room = self.quota.get(&year).copied().unwrap_or(0);
        let heap = self.kept.entry(year).or_default();
        // A later turn than every row kept, or the same turn with a later
        // label, cannot enter: no label made.
        if heap.len() >= room
            && heap.peek().is_none_or(|top| {
                let pieces = label.iter().flat_map(|piece| piece.bytes());
                (rank, pieces.cmp(top.1.bytes())) > (top.0, std::cmp::Ordering::Equal)
            })
        {
            return;
        }
        heap.push((rank, label.concat(), payload));
        if heap.len() > room {
            heap.pop();
        }
    }

    /// The rows kept, year by year (unordered within a year).
    fn kept(self) -> impl Iterator<Item = (String, P)> {
        (self.kept.into_values()).flat_map(|h| h.into_iter().map(|(_, l, p)| (l, p)))
    }
}

#[cfg(test)]
mod tests {
    use super::{year_quotas, TurnTaking};
    use std::collections::BTreeMap;

    #[test]
    fn delegates_take_turns_within_a_year_and_start_again_the_next() {
        let quota = BTreeMap::from([(2020, 3), (2021, 2)]);
        let mut turns = TurnTaking::new(quota, 3);
        // Delegate 0 offers first and most; 1 and 2 once each in 2020.
        let offers = [
            (2020, 0, "a1"),
            (2020, 0, "a2"),
            (2020, 0, "a3"),
            (2020, 1, "b1"),
            (2020, 2, "c1"),
            (2021, 0, "a4"),
            (2021, 0, "a5"),
            (2021, 1, "b2"),
        ];
        for (year, d, l) in offers {
            turns.offer(year, d, &[l], year);
        }
        let mut kept: Vec<(String, i32)> = turns.kept().collect();
        kept.sort();
        // 2020: every delegate's first turn (a1, b1, c1), none of a's later
        // ones; 2021: a's first turn again, then b's.
        let names: Vec<&str> = kept.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(names, ["a1", "a4", "b1", "b2", "c1"]);
    }

    #[test]
    fn within_a_turn_the_first_label_wins_compared_as_joined_text() {
        let quota = BTreeMap::from([(2020, 1)]);
        let mut turns = TurnTaking::new(quota, 3);
        turns.offer(2020, 0, &["Li", " · ", "b"], 0);
        // "Li Wei · a" sorts before "Li · b" as text ('W' < '·'), though
        // "Li" sorts before "Li Wei" as a name.
        turns.offer(2020, 1, &["Li", " ", "Wei", " · ", "a"], 1);
        turns.offer(2020, 2, &["Li", " ", "Wei", " · ", "b"], 2);
        let kept: Vec<(String, i32)> = turns.kept().collect();
        assert_eq!(kept, [("Li Wei · a".to_string(), 1)]);
    }

    fn quotas(counts: &[(i32, usize)], max: usize) -> Vec<usize> {
        let per_year: BTreeMap<i32, usize> = counts.iter().copied().collect();
        year_quotas(&per_year, max).into_values().collect()
    }

    #[test]
    fn every_year_gets_an_equal_share_and_small_years_give_theirs_away() {
        // The skew this replaced: 40 early rows, 18 recent ones.
        assert_eq!(
            quotas(
                &[(2018, 20), (2019, 20), (2023, 6), (2024, 6), (2025, 6)],
                40
            ),
            vec![11, 11, 6, 6, 6]
        );
        assert_eq!(quotas(&[(2018, 100), (2019, 100)], 40), vec![20, 20]);
        // Room for everything: everything.
        assert_eq!(quotas(&[(2018, 3), (2019, 4)], 40), vec![3, 4]);
        // More years than rows: the latest years first.
        assert_eq!(quotas(&[(2018, 5), (2019, 5), (2020, 5)], 2), vec![0, 1, 1]);
    }

    #[test]
    fn quotas_never_pass_the_rows_or_the_maximum() {
        for max in [0, 1, 7, 40] {
            for counts in [
                vec![(1, 0)],
                vec![(1, 9), (2, 1), (3, 50)],
                vec![(1, 40), (2, 40)],
            ] {
                let q = quotas(&counts, max);
                let rows: usize = counts.iter().map(|c| c.1).sum();
                assert_eq!(q.iter().sum::<usize>(), rows.min(max), "{counts:?} {max}");
                assert!(q.iter().zip(&counts).all(|(q, c)| *q <= c.1));
            }
        }
    }
}
