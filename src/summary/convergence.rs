//! history.md's selections: delegates, convergence within a year and across years, delegates per theme.

use super::*;

/// The delegates whose theme-by-year matrices history.md shows: all of
/// them, or at scale those with the most themes. Indices are into the
/// runs of `History::themes` by delegate (the issue-diversity table shows
/// the same delegates).
pub fn history_delegates(h: &History) -> (Vec<u32>, Cut) {
    let runs: Vec<&[ThemeHistory]> = h
        .themes()
        .chunk_by(|a, b| a.delegate == b.delegate)
        .collect();
    let delegates = runs.iter().map(|r| r[0].delegate).collect();
    let cut = Cut::top(
        runs.len(),
        select::DETAIL_LIMIT,
        select::SHORT,
        "delegates",
        "most distinct themes, then id",
        |i| (std::cmp::Reverse(runs[i].len()), runs[i][0].delegate),
    );
    (delegates, cut)
}

/// The within-year convergence rows (themes raised by two or more
/// delegates in one year), in year order, the most delegates first.
pub fn convergence_in_year(h: &History) -> (Vec<usize>, Cut) {
    let mut rows: Vec<usize> = (0..h.theme_years.len())
        .filter(|&i| h.theme_years[i].delegates.len() >= 2)
        .collect();
    rows.sort_by_key(|&i| {
        let t = &h.theme_years[i];
        (t.year, std::cmp::Reverse(t.delegates.len()), t.theme)
    });
    let cut = Cut::top(
        rows.len(),
        select::DETAIL_LIMIT,
        select::DETAIL_LIMIT,
        "theme-years",
        "year, then most delegates",
        |i| i,
    );
    (rows, cut)
}

/// A theme or category raised by two or more delegates over all years.
#[derive(Debug, Clone, PartialEq)]
pub struct Convergence {
    /// `theme` or `category`.
    pub level: &'static str,
    /// The theme or category id.
    pub group: String,
    /// Each delegate, by first year then id.
    delegates: Vec<u32>,
    /// Beside each delegate: the years raised, sorted and distinct.
    years: crate::flat::FlatList<i32>,
}

impl Convergence {
    /// Each delegate with the years they raised the group, by first year then id.
    pub fn raised(&self) -> impl Iterator<Item = (u32, &[i32])> + '_ {
        self.delegates.iter().copied().zip(self.years.iter())
    }

    /// How many delegates raised the group.
    pub fn len(&self) -> usize {
        self.delegates.len()
    }

    pub fn is_empty(&self) -> bool {
        self.delegates.is_empty()
    }
}

/// A level convergence is counted at: its name, its groups' ids in id
/// order, and each theme's group by theme index.
struct Level<'a> {
    name: &'static str,
    groups: Vec<&'a str>,
    group_of: Vec<u32>,
}

/// The two levels, in report order ("category" sorts before "theme").
fn convergence_levels(model: &Model) -> [Level<'_>; 2] {
    let themes = &model.ds.themes;
    let mut categories: Vec<&str> = themes.iter().map(|t| t.category.as_str()).collect();
    categories.sort_unstable();
    categories.dedup();
    let category_of = (themes.iter())
        .map(|t| {
            let c = categories.binary_search(&t.category.as_str());
            c.expect("every category is listed") as u32
        })
        .collect();
    [
        Level {
            name: "category",
            groups: categories,
            group_of: category_of,
        },
        Level {
            name: "theme",
            groups: themes.iter().map(|t| t.id.as_str()).collect(),
            group_of: (0..themes.len() as u32).collect(),
        },
    ]
}

/// The groups of two or more delegates, in report order: the most
/// delegates first, then by id; `delegates` is by group index.
fn report_order(delegates: &[usize], names: &[&str]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..delegates.len())
        .filter(|&g| delegates[g] >= 2)
        .collect();
    order.sort_by_key(|&g| (std::cmp::Reverse(delegates[g]), names[g]));
    order
}

/// Convergence across years: for each theme and each category, which
/// delegates ever raised it, and when; only groups with two or more
/// delegates. Each group is built, handed to `each` and dropped, in report
/// order (categories, then themes; most delegates first, then id): the
/// groups of 10 million proposals are never all in memory at once.
pub fn for_each_convergence(
    model: &Model,
    h: &History,
    each: &mut dyn FnMut(&Convergence) -> std::io::Result<()>,
) -> std::io::Result<()> {
    for Level {
        name: level,
        groups: group_names,
        group_of,
    } in convergence_levels(model)
    {
        let group_of = |theme: u32| group_of[theme as usize];
        let groups = group_names.len();
        // Every history row, bucketed by group, as its index (4 bytes,
        // where its (delegate, year) pairs were 8 bytes per year). The
        // history comes sorted by delegate, and the bucketing keeps that
        // order: no sort of every row.
        // History rows are at most the proposal themes, whose count fits
        // (checked when they are tagged).
        let rows: Groups = Groups::grouped(
            groups,
            (h.themes().iter().enumerate()).map(|(i, t)| (group_of(t.theme) as usize, i as u32)),
        )
        .map_err(std::io::Error::other)?;
        let delegate = |i: &u32| h.themes()[*i as usize].delegate;
        // Delegates per group, counted in order over the history (each
        // delegate's rows are together), then the groups of two or more
        // in order.
        let mut counts = vec![0usize; groups];
        let mut mine: Vec<u32> = Vec::new();
        for rows in h.themes().chunk_by(|a, b| a.delegate == b.delegate) {
            mine.clear();
            mine.extend(rows.iter().map(|t| group_of(t.theme)));
            mine.sort_unstable();
            mine.dedup();
            for &g in &mine {
                counts[g as usize] += 1;
            }
        }
        for g in report_order(&counts, &group_names) {
            let group = &rows[g];
            // A delegate's years in one theme are ascending and distinct;
            // in a category, several themes' years are merged.
            // (first year, delegate, its years' place in `years`).
            let mut delegates: Vec<(i32, u32, u32)> = Vec::new();
            let mut years = crate::flat::FlatList::default();
            let mut mine = Vec::new();
            for run in group.chunk_by(|a, b| delegate(a) == delegate(b)) {
                mine.clear();
                for &i in run {
                    mine.extend_from_slice(h.years(&h.themes()[i as usize]));
                }
                mine.sort_unstable();
                mine.dedup();
                let at = years.len() as u32;
                // At most the history's years, whose count fits.
                years.push(&mine).map_err(std::io::Error::other)?;
                delegates.push((mine[0], delegate(&run[0]), at));
            }
            delegates.sort_unstable_by_key(|d| (d.0, d.1));
            let order: Vec<u32> = delegates.iter().map(|d| d.2).collect();
            each(&Convergence {
                level,
                group: group_names[g].to_string(),
                delegates: delegates.iter().map(|d| d.1).collect(),
                years: years.reordered(&order),
            })?;
        }
    }
    Ok(())
}

/// A convergence group as history.md lists it: how many delegates, and
/// the first few with their years.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvergenceShown {
    pub level: &'static str,
    pub group: String,
    pub delegates: usize,
    /// The first delegates, by first year then id, with their years.
    pub first: Vec<(u32, Vec<i32>)>,
}

/// What history.md shows of convergence across years.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConvergenceSummary {
    /// Per level, the first `groups` groups in report order.
    pub shown: Vec<ConvergenceShown>,
    /// Per level, how many groups there are.
    pub totals: BTreeMap<&'static str, usize>,
}

/// The first `groups` convergence groups of each level, each with its
/// first `names` delegates: what [`for_each_convergence`] gives, counted in
/// one pass over the history instead of building every group (at scale,
/// tens of millions of rows bucketed by group).
pub fn convergence_summary(
    model: &Model,
    h: &History,
    groups: usize,
    names: usize,
) -> ConvergenceSummary {
    /// A group's delegates so far, and the first `names` of them by
    /// (first year, delegate) with their years (a max-heap, so the last
    /// of them is the one to drop).
    #[derive(Default)]
    struct Tally {
        delegates: usize,
        first: std::collections::BinaryHeap<(i32, u32, Vec<i32>)>,
    }
    let mut sum = ConvergenceSummary::default();
    // One delegate's (group, year), reused.
    let (mut mine, mut years): (Vec<(u32, i32)>, Vec<i32>) = (Vec::new(), Vec::new());
    for level in convergence_levels(model) {
        let mut tallies: Vec<Tally> = (level.groups.iter()).map(|_| Tally::default()).collect();
        for rows in h.themes().chunk_by(|a, b| a.delegate == b.delegate) {
            let d = rows[0].delegate;
            mine.clear();
            for r in rows {
                let g = level.group_of[r.theme as usize];
                mine.extend(h.years(r).iter().map(|&y| (g, y)));
            }
            mine.sort_unstable();
            mine.dedup();
            for group in mine.chunk_by(|a, b| a.0 == b.0) {
                years.clear();
                years.extend(group.iter().map(|g| g.1));
                let tally = &mut tallies[group[0].0 as usize];
                tally.delegates += 1;
                let key = (years[0], d);
                let kept = tally.first.len() < names;
                if kept || tally.first.peek().is_some_and(|top| key < (top.0, top.1)) {
                    tally.first.push((key.0, key.1, years.clone()));
                    if !kept {
                        tally.first.pop();
                    }
                }
            }
        }
        let counts: Vec<usize> = tallies.iter().map(|t| t.delegates).collect();
        let order = report_order(&counts, &level.groups);
        if order.is_empty() {
            continue;
        }
        sum.totals.insert(level.name, order.len());
        for &g in order.iter().take(groups) {
            let tally = std::mem::take(&mut tallies[g]);
            sum.shown.push(ConvergenceShown {
                level: level.name,
                group: level.groups[g].to_string(),
                delegates: tally.delegates,
                first: (tally.first.into_sorted_vec().into_iter())
                    .map(|(_, d, years)| (d, years))
                    .collect(),
            });
        }
    }
    sum
}

/// Delegates per theme: distinct delegates ever, and per year.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeDelegates {
    pub theme: usize,
    /// Distinct delegates who raised it in any year.
    pub delegates: usize,
    /// (year, delegates that year).
    pub by_year: Vec<(i32, usize)>,
}

/// The delegates-per-theme table: by distinct delegates, then label.
pub fn delegates_per_theme(model: &Model, h: &History) -> (Vec<ThemeDelegates>, Cut) {
    let ds = &model.ds;
    let mut ever: BTreeMap<usize, Vec<u32>> = BTreeMap::new();
    let mut by_year: BTreeMap<usize, Vec<(i32, usize)>> = BTreeMap::new();
    for ty in &h.theme_years {
        ever.entry(ty.theme).or_default().extend(&ty.delegates);
        by_year
            .entry(ty.theme)
            .or_default()
            .push((ty.year, ty.delegates.len()));
    }
    let mut rows: Vec<ThemeDelegates> = ever
        .into_iter()
        .map(|(theme, mut d)| {
            d.sort_unstable();
            d.dedup();
            ThemeDelegates {
                theme,
                delegates: d.len(),
                by_year: by_year.remove(&theme).unwrap_or_default(),
            }
        })
        .collect();
    rows.sort_by_cached_key(|r| {
        (
            std::cmp::Reverse(r.delegates),
            ds.themes[r.theme].label_en.to_lowercase(),
            r.theme,
        )
    });
    let cut = Cut::top(
        rows.len(),
        60,
        60,
        "themes",
        "most distinct delegates, then label",
        |i| i,
    );
    (rows, cut)
}

/// Per year: delegates and proposal themes.
pub type YearCells = BTreeMap<i32, (usize, usize)>;

/// A roll-up (categories or CAP major topics) as history.md tabulates it:
/// each group with its (delegates, proposal themes) per year. CAP groups
/// start with their code, so they are ordered by number, not as text.
pub fn roll_up_table(rows: &[crate::diff::history::RollUp]) -> Vec<(&str, YearCells)> {
    let mut groups: BTreeMap<(u32, &str), YearCells> = BTreeMap::new();
    for r in rows {
        let code = (r.group.split(' ').next())
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (groups.entry((code, r.group.as_str())).or_default())
            .insert(r.year, (r.delegates, r.proposal_themes));
    }
    groups.into_iter().map(|((_, g), y)| (g, y)).collect()
}

/// Everything history.md shows besides the matrices and convergence
/// across years: decided here, formatted there.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryPage {
    /// Themes raised by two or more delegates in one year (indices of
    /// [`History::theme_years`], in display order), and the cut.
    pub within_year: Vec<usize>,
    pub within_year_cut: Cut,
    /// Delegates per theme and year, and the cut.
    pub per_theme: Vec<ThemeDelegates>,
    pub per_theme_cut: Cut,
    /// The roll-ups to categories and to CAP topics.
    pub categories: Vec<(String, YearCells)>,
    pub cap_topics: Vec<(String, YearCells)>,
    /// Issue diversity of the delegates shown, in their order, and the cut.
    pub diversity: Vec<Vec<crate::diff::history::DelegateYear>>,
    pub diversity_cut: Cut,
    /// Per level (`theme`, `category`): the across-years groups listed.
    pub convergence_cuts: BTreeMap<&'static str, Cut>,
}

pub fn history_page(model: &Model, h: &History, convergence: &ConvergenceSummary) -> HistoryPage {
    let (within, within_cut) = convergence_in_year(h);
    let (per_theme, per_theme_cut) = delegates_per_theme(model, h);
    let (delegates, diversity_cut) = history_delegates(h);
    let owned = |rows: &[crate::diff::history::RollUp]| -> Vec<(String, YearCells)> {
        (roll_up_table(rows).into_iter())
            .map(|(g, y)| (g.to_string(), y))
            .collect()
    };
    HistoryPage {
        within_year: within_cut.shown.iter().map(|&i| within[i]).collect(),
        within_year_cut: within_cut,
        per_theme,
        per_theme_cut,
        categories: owned(&h.categories),
        cap_topics: owned(&h.cap_topics),
        diversity: (diversity_cut.shown.iter())
            .map(|&i| h.delegate_years(delegates[i]))
            .collect(),
        diversity_cut,
        convergence_cuts: ["theme", "category"]
            .into_iter()
            .map(|level| {
                let total = convergence.totals.get(level).copied().unwrap_or(0);
                (level, convergence_groups_shown(level, total))
            })
            .collect(),
    }
}

/// The across-years convergence groups history.md lists for one level
/// (`theme` or `category`); they come most delegates first.
pub fn convergence_groups_shown(level: &str, total: usize) -> Cut {
    Cut::top(
        total,
        select::DETAIL_LIMIT,
        select::DETAIL_LIMIT,
        if level == "theme" {
            "themes"
        } else {
            "categories"
        },
        "most delegates, then id",
        |i| i,
    )
}
