//! History over all dataset years: streaks and returning themes per
//! delegate, convergence per theme and year, roll-ups to categories and
//! CAP major topics, and issue diversity per delegate and year.

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use super::{u32_lists, u32s};
use crate::normalize::Model;

/// One delegate's record on one theme.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeHistory {
    pub delegate: usize,
    pub theme: usize,
    pub years: Vec<i32>,
    pub first_year: i32,
    pub last_year: i32,
    /// Most consecutive dataset years in which the theme was raised.
    pub longest_streak: usize,
    /// Raised, then absent in a year the delegate has records, then raised again.
    pub returning: bool,
}

/// How many delegates raised a theme in a year.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeYear {
    pub theme: usize,
    pub year: i32,
    pub delegates: Vec<usize>,
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
    pub delegate: usize,
    pub year: i32,
    pub themes: usize,
    /// Effective number of themes: exp of the Shannon entropy of the
    /// delegate's proposals over themes.
    pub diversity: f64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct History {
    pub themes: Vec<ThemeHistory>,
    pub theme_years: Vec<ThemeYear>,
    pub categories: Vec<RollUp>,
    pub cap_topics: Vec<RollUp>,
    pub delegate_years: Vec<DelegateYear>,
}

/// Streak and return for a sorted list of years raised, given the dataset
/// years and the years in which the delegate has records at all.
pub fn streaks(raised: &[i32], dataset_years: &[i32], active: &BTreeSet<i32>) -> (usize, bool) {
    let position = |y: i32| dataset_years.iter().position(|&d| d == y);
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
            .range(first + 1..last)
            .any(|y| raised.binary_search(y).is_err()),
        _ => false,
    };
    (longest, returning)
}

fn i32s(df: &DataFrame, name: &str) -> PolarsResult<Vec<i32>> {
    Ok(df
        .column(name)?
        .as_materialized_series()
        .i32()?
        .iter()
        .flatten()
        .collect())
}

fn i32_lists(df: &DataFrame, name: &str) -> PolarsResult<Vec<Vec<i32>>> {
    let lists = df.column(name)?.as_materialized_series().list()?.clone();
    let mut out = Vec::with_capacity(lists.len());
    for item in (0..lists.len()).map(|i| lists.get_as_series(i)) {
        let mut v: Vec<i32> = match item {
            Some(s) => s.i32()?.iter().flatten().collect(),
            None => Vec::new(),
        };
        v.sort_unstable();
        v.dedup();
        out.push(v);
    }
    Ok(out)
}

/// Computes the history tables from [`super::facts`].
pub fn history(model: &Model, facts: &DataFrame) -> PolarsResult<History> {
    let lf = facts.clone().lazy();

    let per_theme = lf
        .clone()
        .group_by([col("delegate"), col("theme")])
        .agg([col("year").alias("years")])
        .sort(["delegate", "theme"], SortMultipleOptions::default())
        .collect()?;
    let per_delegate_year = lf
        .clone()
        .group_by([col("delegate"), col("year"), col("theme")])
        .agg([col("proposal").len().alias("n")])
        .sort(
            ["delegate", "year", "theme"],
            SortMultipleOptions::default(),
        )
        .collect()?;
    let per_theme_year = lf
        .clone()
        .group_by([col("theme"), col("year")])
        .agg([col("delegate").alias("delegates")])
        .sort(["theme", "year"], SortMultipleOptions::default())
        .collect()?;

    // Years in which each delegate has records.
    let dy_delegate = u32s(&per_delegate_year, "delegate")?;
    let dy_year: Vec<i32> = i32s(&per_delegate_year, "year")?;
    let dy_n: Vec<u32> = per_delegate_year
        .column("n")?
        .as_materialized_series()
        .cast(&DataType::UInt32)?
        .u32()?
        .iter()
        .flatten()
        .collect();
    let mut active: BTreeMap<usize, BTreeSet<i32>> = BTreeMap::new();
    let mut weights: BTreeMap<(usize, i32), Vec<u32>> = BTreeMap::new();
    for i in 0..dy_delegate.len() {
        active.entry(dy_delegate[i]).or_default().insert(dy_year[i]);
        weights
            .entry((dy_delegate[i], dy_year[i]))
            .or_default()
            .push(dy_n[i]);
    }

    let delegates = u32s(&per_theme, "delegate")?;
    let themes = u32s(&per_theme, "theme")?;
    let years = i32_lists(&per_theme, "years")?;
    let mut histories = Vec::with_capacity(delegates.len());
    for ((d, t), ys) in delegates.into_iter().zip(themes).zip(years) {
        let (longest_streak, returning) = streaks(&ys, &model.years, &active[&d]);
        histories.push(ThemeHistory {
            delegate: d,
            theme: t,
            first_year: ys[0],
            last_year: *ys.last().expect("a group has a year"),
            years: ys,
            longest_streak,
            returning,
        });
    }

    let ty_theme = u32s(&per_theme_year, "theme")?;
    let ty_year: Vec<i32> = i32s(&per_theme_year, "year")?;
    let ty_delegates = u32_lists(&per_theme_year, "delegates")?;
    let theme_years: Vec<ThemeYear> = ty_theme
        .into_iter()
        .zip(ty_year)
        .zip(ty_delegates)
        .map(|((theme, year), delegates)| ThemeYear {
            theme,
            year,
            delegates,
        })
        .collect();

    let delegate_years = weights
        .into_iter()
        .map(|((delegate, year), w)| DelegateYear {
            delegate,
            year,
            themes: w.len(),
            diversity: effective_number(&w),
        })
        .collect();

    Ok(History {
        themes: histories,
        categories: roll_up(&theme_years, facts, |t| {
            Some(model.ds.themes[t].category.clone())
        })?,
        cap_topics: roll_up(&theme_years, facts, |t| {
            model.ds.themes[t]
                .cap_major
                .map(|c| format!("{c} {}", crate::dataset::cap_topic_name(c).unwrap_or("")))
        })?,
        theme_years,
        delegate_years,
    })
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

fn roll_up(
    theme_years: &[ThemeYear],
    facts: &DataFrame,
    group_of: impl Fn(usize) -> Option<String>,
) -> PolarsResult<Vec<RollUp>> {
    let mut delegates: BTreeMap<(String, i32), BTreeSet<usize>> = BTreeMap::new();
    for ty in theme_years {
        if let Some(g) = group_of(ty.theme) {
            delegates
                .entry((g, ty.year))
                .or_default()
                .extend(&ty.delegates);
        }
    }
    let themes = u32s(facts, "theme")?;
    let years: Vec<i32> = i32s(facts, "year")?;
    let mut counts: BTreeMap<(String, i32), usize> = BTreeMap::new();
    for (t, y) in themes.into_iter().zip(years) {
        if let Some(g) = group_of(t) {
            *counts.entry((g, y)).or_insert(0) += 1;
        }
    }
    Ok(delegates
        .into_iter()
        .map(|((group, year), ds)| RollUp {
            proposal_themes: counts.get(&(group.clone(), year)).copied().unwrap_or(0),
            group,
            year,
            delegates: ds.len(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streak_counts_consecutive_dataset_years() {
        let years = [2018, 2019, 2020, 2021, 2022];
        let active: BTreeSet<i32> = years.into_iter().collect();
        assert_eq!(streaks(&[2018, 2019, 2020], &years, &active), (3, false));
        assert_eq!(streaks(&[2018, 2020, 2021], &years, &active), (2, true));
        assert_eq!(streaks(&[2019], &years, &active), (1, false));
        assert_eq!(streaks(&[2019, 2020], &years, &active), (2, false));
    }

    #[test]
    fn a_gap_without_records_is_not_a_return() {
        let years = [2018, 2019, 2020, 2021];
        let active: BTreeSet<i32> = [2018, 2021].into_iter().collect();
        assert_eq!(streaks(&[2018, 2021], &years, &active), (1, false));
    }

    #[test]
    fn diversity_is_the_effective_number_of_themes() {
        assert!((effective_number(&[1, 1, 1, 1]) - 4.0).abs() < 1e-9);
        assert!((effective_number(&[5]) - 1.0).abs() < 1e-9);
        let skewed = effective_number(&[3, 1]);
        assert!(skewed > 1.0 && skewed < 2.0);
    }
}
