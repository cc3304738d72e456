//! History over all dataset years: streaks and returning themes per
//! delegate, convergence per theme and year, roll-ups to categories and
//! CAP major topics, and issue diversity per delegate and year.

use std::collections::BTreeMap;

use super::{Facts, ListRef, Lists};
use crate::flat::FlatList;
use crate::normalize::Model;

/// One delegate's record on one theme.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeHistory {
    pub delegate: u32,
    pub theme: u32,
    /// Its place among every delegate's rows ([`History::themes`]), and so
    /// among the lists of the years raised ([`History::years`]).
    row: u32,
    /// Most consecutive dataset years in which the theme was raised.
    pub longest_streak: u32,
    /// Raised, then absent in a year the delegate has records, then raised again.
    pub returning: bool,
}

/// How many delegates raised a theme in a year.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeYear {
    pub theme: usize,
    pub year: i32,
    pub delegates: Vec<u32>,
}

/// A roll-up group (category or CAP topic) in a year.
#[derive(Debug, Clone, PartialEq)]
pub struct RollUp {
    pub group: String,
    pub year: i32,
    pub delegates: usize,
    pub proposal_themes: usize,
}

/// One delegate in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct DelegateYear {
    pub delegate: u32,
    pub year: i32,
    pub themes: usize,
    /// Effective number of themes: exp of the Shannon entropy of the
    /// delegate's proposals over themes.
    pub diversity: f64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct History {
    pub theme_years: Vec<ThemeYear>,
    pub categories: Vec<RollUp>,
    pub cap_topics: Vec<RollUp>,
    /// Per delegate index: its rows, by theme ([`History::rows_of`]).
    rows: FlatList<ThemeHistory>,
    /// Per row: the years raised, ascending ([`History::years`]).
    years: FlatList<i32>,
    /// The facts' lists, shared with the diffs: per item of `years`, the
    /// proposals of that (delegate, theme, year).
    lists: std::sync::Arc<Lists>,
}

impl History {
    /// Every delegate's rows: by delegate, then theme.
    pub fn themes(&self) -> &[ThemeHistory] {
        self.rows.items()
    }

    /// The years in which a delegate raised a theme, ascending.
    pub fn years(&self, h: &ThemeHistory) -> &[i32] {
        self.years.get(h.row as usize).unwrap_or_default()
    }

    /// The proposals raising a theme in the `k`-th of its years
    /// ([`Self::years`]): a group of the facts' list, which the diffs share.
    pub fn proposals_in(&self, h: &ThemeHistory, k: usize) -> ListRef {
        match self.years.start_of(h.row as usize) {
            Some(start) if k < self.years(h).len() => ListRef((start + k) as u32),
            _ => ListRef::NONE,
        }
    }

    /// One delegate's themes and issue diversity per year with themes, in
    /// year order, from its rows (`rows`: all of them, as [`Self::themes`]
    /// groups them), into `out`. Computed when asked, never held: at scale
    /// they were ten million rows. `weights` is scratch space.
    fn years_of(
        &self,
        rows: &[ThemeHistory],
        weights: &mut Vec<(i32, u32)>,
        out: &mut Vec<DelegateYear>,
    ) {
        weights.clear();
        out.clear();
        for h in rows {
            for (k, &year) in self.years(h).iter().enumerate() {
                let n = self.lists.proposals(self.proposals_in(h, k)).len();
                weights.push((year, n as u32));
            }
        }
        // Rows are in theme order, so a stable sort by year keeps each
        // year's counts in theme order.
        weights.sort_by_key(|w| w.0);
        let mut counts = Vec::new();
        for group in weights.chunk_by(|a, b| a.0 == b.0) {
            counts.clear();
            counts.extend(group.iter().map(|w| w.1));
            out.push(DelegateYear {
                delegate: rows[0].delegate,
                year: group[0].0,
                themes: counts.len(),
                diversity: effective_number(&counts),
            });
        }
    }

    /// One delegate's rows, by theme (none for a delegate without themes).
    pub fn rows_of(&self, delegate: u32) -> &[ThemeHistory] {
        self.rows.get(delegate as usize).unwrap_or_default()
    }

    /// One delegate's themes and issue diversity per year with themes, in
    /// year order.
    pub fn delegate_years(&self, delegate: u32) -> Vec<DelegateYear> {
        let rows = self.rows_of(delegate);
        let mut out = Vec::new();
        if !rows.is_empty() {
            self.years_of(rows, &mut Vec::new(), &mut out);
        }
        out
    }

    /// [`Self::delegate_years`] of every delegate with themes, in delegate
    /// order, computed one delegate at a time.
    pub fn for_each_delegate_years(&self, each: &mut dyn FnMut(&[DelegateYear])) {
        let (mut weights, mut out) = (Vec::new(), Vec::new());
        for rows in self.rows.iter().filter(|r| !r.is_empty()) {
            self.years_of(rows, &mut weights, &mut out);
            each(&out);
        }
    }

    /// The first and the last year in which a delegate raised a theme.
    pub fn span(&self, h: &ThemeHistory) -> (i32, i32) {
        let years = self.years(h);
        (years[0], years[years.len() - 1])
    }

    /// The years in which a delegate raised a theme (none when never).
    pub fn raised(&self, delegate: u32, theme: u32) -> &[i32] {
        let rows = self.rows_of(delegate);
        match rows.binary_search_by_key(&theme, |h| h.theme) {
            Ok(i) => self.years(&rows[i]),
            Err(_) => &[],
        }
    }

    /// The latest year before `year` in which the delegate raised the theme.
    pub fn last_raised_before(&self, delegate: u32, theme: u32, year: i32) -> Option<i32> {
        last_before(self.raised(delegate, theme), year)
    }

    /// The first year after `year` in which the delegate raised the theme.
    pub fn next_raised_after(&self, delegate: u32, theme: u32, year: i32) -> Option<i32> {
        next_after(self.raised(delegate, theme), year)
    }
}

/// The latest of some ascending years before `year`.
pub fn last_before(years: &[i32], year: i32) -> Option<i32> {
    years[..years.partition_point(|&y| y < year)]
        .last()
        .copied()
}

/// The first of some ascending years after `year`.
pub fn next_after(years: &[i32], year: i32) -> Option<i32> {
    years.get(years.partition_point(|&y| y <= year)).copied()
}

/// Streak and return for a sorted list of years raised, given the dataset
/// years and the years in which the delegate has records at all (sorted).
pub fn streaks(raised: &[i32], dataset_years: &[i32], active: &[i32]) -> (usize, bool) {
    let position = |y: i32| dataset_years.binary_search(&y).ok();
    let mut longest = 0;
    let mut run = 0;
    let mut previous: Option<usize> = None;
    for &y in raised {
        let here = position(y);
        run = match (previous, here) {
            (Some(p), Some(h)) if h == p + 1 => run + 1,
            _ => 1,
        };
        longest = longest.max(run);
        previous = here;
    }
    let returning = match (raised.first(), raised.last()) {
        (Some(&first), Some(&last)) if last > first + 1 => active
            .iter()
            .filter(|&&y| first < y && y < last)
            .any(|y| raised.binary_search(y).is_err()),
        _ => false,
    };
    (longest, returning)
}

/// Builds the facts the pairs are diffed from and the history tables, one
/// delegate at a time: each delegate's (theme, year, proposal) rows are
/// gathered from its proposals and sorted on their own, so no list of
/// every row is built or sorted. A first pass counts, so every list is
/// allocated once at its size (growing by doubling left a quarter of them
/// empty at 10 million rows).
pub fn build(model: &Model) -> (Facts, History) {
    let ds = &model.ds;
    let n_years = model.years.len();
    let year_index = |y: i32| {
        model
            .years
            .binary_search(&y)
            .expect("proposal years are dataset years")
    };
    let n_themes = ds.themes.len();
    // Dense per (theme, dataset year).
    let cell = |t: u32, y: usize| t as usize * n_years + y;

    // First pass: counts only, from stamps (the last delegate that marked
    // a theme, a cell or a year): no sorting.
    let (mut pairs, mut runs) = (0, 0);
    let mut per_cell = vec![0usize; n_themes * n_years];
    let mut per_year = vec![0usize; n_years];
    let (mut theme_mark, mut cell_mark) = (vec![0u32; n_themes], vec![0u32; per_cell.len()]);
    let mut year_mark = vec![0u32; n_years];
    for (d, mine) in model.proposals_by_delegate().enumerate() {
        let mark = d as u32 + 1;
        for &p in mine {
            let y = year_index(ds.proposals[p as usize].year);
            if year_mark[y] != mark {
                year_mark[y] = mark;
                per_year[y] += 1;
            }
            for tag in &model.tags[p as usize] {
                let (t, c) = (tag.theme as usize, cell(tag.theme, y));
                if theme_mark[t] != mark {
                    theme_mark[t] = mark;
                    pairs += 1;
                }
                if cell_mark[c] != mark {
                    cell_mark[c] = mark;
                    runs += 1;
                    per_cell[c] += 1;
                }
            }
        }
    }
    drop((theme_mark, cell_mark, year_mark));

    // Every list is bounded by the proposal themes ([`bounded`]).
    let mut rows_of_delegates: FlatList<ThemeHistory> =
        FlatList::with_capacity(ds.delegates.len(), pairs);
    let mut year_lists: FlatList<i32> = FlatList::with_capacity(pairs, runs);
    let mut lists = Lists {
        proposals: FlatList::with_capacity(runs, model.tags.total()),
        themes: FlatList::with_capacity(runs, runs),
    };
    let mut active: Vec<Vec<(u32, ListRef)>> =
        per_year.iter().map(|&n| Vec::with_capacity(n)).collect();
    let mut theme_years: Vec<Vec<u32>> = per_cell.iter().map(|&n| Vec::with_capacity(n)).collect();
    drop(per_cell);
    let mut rows_per_theme_year: Vec<usize> = vec![0; theme_years.len()];

    // Reused per delegate: its (theme, year index, proposal) rows; the
    // years with records; (year index, theme) per theme-year, in theme
    // order; its history rows; one row's years.
    let mut rows: Vec<(u32, u32, u32)> = Vec::new();
    let mut years: Vec<i32> = Vec::new();
    let mut by_year: Vec<(u32, u32)> = Vec::new();
    let mut mine: Vec<ThemeHistory> = Vec::new();
    let mut raised: Vec<i32> = Vec::new();
    for (d, proposals) in model.proposals_by_delegate().enumerate() {
        mine.clear();
        if proposals.is_empty() {
            bounded(rows_of_delegates.push(&mine));
            continue;
        }
        let d = d as u32;
        rows.clear();
        years.clear();
        for &p in proposals {
            let year = ds.proposals[p as usize].year;
            if years.last() != Some(&year) {
                years.push(year);
            }
            let y = year_index(year) as u32;
            rows.extend(model.tags[p as usize].iter().map(|t| (t.theme, y, p)));
        }
        rows.sort_unstable();
        rows.dedup();
        by_year.clear();
        for theme in rows.chunk_by(|a, b| a.0 == b.0) {
            // One (delegate, theme).
            let t = theme[0].0;
            raised.clear();
            for run in theme.chunk_by(|a, b| a.1 == b.1) {
                // One (delegate, theme, year): its proposals.
                let (y, year) = (run[0].1, model.years[run[0].1 as usize]);
                bounded(lists.proposals.push_iter(run.iter().map(|r| r.2)));
                raised.push(year);
                by_year.push((y, t));
                let c = cell(t, y as usize);
                theme_years[c].push(d);
                rows_per_theme_year[c] += run.len();
            }
            let (longest, returning) = streaks(&raised, &model.years, &years);
            let row = (rows_of_delegates.total() + mine.len()) as u32;
            bounded(year_lists.push(&raised));
            mine.push(ThemeHistory {
                delegate: d,
                theme: t,
                row,
                longest_streak: longest as u32,
                returning,
            });
        }
        bounded(rows_of_delegates.push(&mine));
        // Themes were visited in order, so a stable sort by year keeps
        // each year's themes in theme order.
        by_year.sort_by_key(|w| w.0);
        let mut themes_in = by_year.chunk_by(|a, b| a.0 == b.0).peekable();
        for &year in &years {
            let y = year_index(year) as u32;
            // The year's distinct themes; none when its proposals carry none.
            let group = match themes_in.next_if(|g| g[0].0 == y) {
                Some(group) => {
                    bounded(lists.themes.push_iter(group.iter().map(|g| g.1)));
                    ListRef((lists.themes.len() - 1) as u32)
                }
                None => ListRef::NONE,
            };
            active[y as usize].push((d, group));
        }
    }
    let lists = std::sync::Arc::new(lists);
    let facts = Facts {
        lists: lists.clone(),
        active: (model.years.iter().copied().zip(active))
            .filter(|(_, delegates)| !delegates.is_empty())
            .collect(),
    };
    let mut h = History {
        rows: rows_of_delegates,
        years: year_lists,
        lists,
        ..History::default()
    };

    h.theme_years = theme_years
        .into_iter()
        .enumerate()
        .filter(|(_, delegates)| !delegates.is_empty())
        .map(|(c, delegates)| ThemeYear {
            theme: c / n_years,
            year: model.years[c % n_years],
            delegates,
        })
        .collect();
    let rows = |ty: &ThemeYear| {
        let year = model.years.binary_search(&ty.year).expect("a dataset year");
        rows_per_theme_year[ty.theme * n_years + year]
    };
    let categories: Vec<Option<String>> = model
        .ds
        .themes
        .iter()
        .map(|t| Some(t.category.clone()))
        .collect();
    let caps: Vec<Option<String>> = model
        .ds
        .themes
        .iter()
        .map(|t| {
            t.cap_major
                .map(|c| format!("{c} {}", crate::dataset::cap_topic_name(c).unwrap_or("")))
        })
        .collect();
    h.categories = roll_up(&h.theme_years, &rows, &categories);
    h.cap_topics = roll_up(&h.theme_years, &rows, &caps);
    (facts, h)
}

/// A push onto one of the history's lists, which the proposal themes
/// bound: their count fits a u32 offset (checked when they are tagged,
/// before any history is built), so no push can fail.
fn bounded(pushed: Result<(), crate::flat::TooLarge>) {
    debug_assert!(pushed.is_ok(), "the proposal themes bound every list");
}

/// exp(H) of a distribution given by counts.
pub fn effective_number(counts: &[u32]) -> f64 {
    let total: f64 = counts.iter().map(|&c| f64::from(c)).sum();
    if total == 0.0 {
        return 0.0;
    }
    let h: f64 = counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / total;
            -p * p.ln()
        })
        .sum();
    h.exp()
}

/// Delegates and proposal themes per group and year; `group_of` is by
/// theme index, `rows` gives a theme-year's proposal themes.
fn roll_up(
    theme_years: &[ThemeYear],
    rows: &dyn Fn(&ThemeYear) -> usize,
    group_of: &[Option<String>],
) -> Vec<RollUp> {
    let mut groups: BTreeMap<(&str, i32), (Vec<u32>, usize)> = BTreeMap::new();
    for ty in theme_years {
        if let Some(g) = &group_of[ty.theme] {
            let e = groups.entry((g.as_str(), ty.year)).or_default();
            e.0.extend_from_slice(&ty.delegates);
            e.1 += rows(ty);
        }
    }
    groups
        .into_iter()
        .map(|((group, year), (mut delegates, proposal_themes))| {
            delegates.sort_unstable();
            delegates.dedup();
            RollUp {
                group: group.to_string(),
                year,
                delegates: delegates.len(),
                proposal_themes,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streak_counts_consecutive_dataset_years() {
        let years = [2018, 2019, 2020, 2021, 2022];
        let active = years;
        assert_eq!(streaks(&[2018, 2019, 2020], &years, &active), (3, false));
        assert_eq!(streaks(&[2018, 2020, 2021], &years, &active), (2, true));
        assert_eq!(streaks(&[2019], &years, &active), (1, false));
        assert_eq!(streaks(&[2019, 2020], &years, &active), (2, false));
    }

    #[test]
    fn a_gap_without_records_is_not_a_return() {
        let years = [2018, 2019, 2020, 2021];
        let active = [2018, 2021];
        assert_eq!(streaks(&[2018, 2021], &years, &active), (1, false));
    }

    #[test]
    fn a_lookup_by_delegate_and_theme_finds_what_a_scan_finds() {
        // Keys with gaps of every size, each raised in its own years.
        let mut h = History::default();
        let keys: Vec<(u32, u32)> = (0..40u32)
            .flat_map(|d| (0..(d % 7)).map(move |t| (d, t * (d % 3 + 1))))
            .collect();
        for d in 0..=42u32 {
            let mut mine = Vec::new();
            for (i, &(delegate, theme)) in keys.iter().enumerate().filter(|(_, k)| k.0 == d) {
                let row = (h.rows.total() + mine.len()) as u32;
                h.years.push(&[2000 + i as i32, 2001 + i as i32]).unwrap();
                mine.push(ThemeHistory {
                    delegate,
                    theme,
                    row,
                    longest_streak: 2,
                    returning: false,
                });
            }
            h.rows.push(&mine).unwrap();
        }
        let scan = |d: u32, t: u32| -> Vec<i32> {
            h.themes()
                .iter()
                .find(|x| (x.delegate, x.theme) == (d, t))
                .map(|x| h.years(x).to_vec())
                .unwrap_or_default()
        };
        for d in 0..42u32 {
            for t in 0..20 {
                assert_eq!(h.raised(d, t), scan(d, t), "{d} {t}");
            }
            let rows: Vec<_> = h.themes().iter().filter(|x| x.delegate == d).collect();
            assert_eq!(h.rows_of(d).iter().collect::<Vec<_>>(), rows);
        }
        assert_eq!(last_before(&[2018, 2020, 2023], 2023), Some(2020));
        assert_eq!(next_after(&[2018, 2020, 2023], 2020), Some(2023));
        assert_eq!(last_before(&[2018], 2018), None);
    }

    #[test]
    fn diversity_is_the_effective_number_of_themes() {
        assert!((effective_number(&[1, 1, 1, 1]) - 4.0).abs() < 1e-9);
        assert!((effective_number(&[5]) - 1.0).abs() < 1e-9);
        let skewed = effective_number(&[3, 1]);
        assert!(skewed > 1.0 && skewed < 2.0);
    }
}
