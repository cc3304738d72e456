//! The diff: per delegate, which themes are new, dropped or recurring
//! between two years, and what each delegate's state is; plus the history
//! over all years.
//!
//! The set differences run on polars: proposals are exploded to one row per
//! (delegate, year, theme, proposal), grouped per year, and joined. A stage
//! takes the model and returns plain tables; nothing here touches the disk.

pub mod history;
pub mod wording;

use std::collections::{BTreeMap, HashSet};

use polars::prelude::*;

use crate::normalize::Model;
pub use wording::Wording;

/// What happened to a theme between two years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    New,
    Dropped,
    Recurring,
}

impl Change {
    pub fn as_str(&self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Dropped => "dropped",
            Change::Recurring => "recurring",
        }
    }
}

/// A delegate's standing across a pair of years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum State {
    /// Records in both years.
    Continuing,
    /// Records only in the second year, not a member in the first.
    Joined,
    /// Records only in the second year, a member without records in the first.
    Resumed,
    /// Records only in the first year, not a member in the second.
    Left,
    /// Records only in the first year, a member without records in the second.
    NoRecord,
}

impl State {
    pub fn as_str(&self) -> &'static str {
        match self {
            State::Continuing => "continuing",
            State::Joined => "joined",
            State::Resumed => "resumed",
            State::Left => "left",
            State::NoRecord => "no-record",
        }
    }
}

/// One theme of one delegate across the pair.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeChange {
    pub delegate: usize,
    pub theme: usize,
    pub change: Change,
    /// Proposals raising the theme in the first year, by index, sorted.
    pub from: Vec<usize>,
    /// Proposals raising it in the second year.
    pub to: Vec<usize>,
    /// For recurring themes: how the wording of the titles moved.
    pub wording: Option<Wording>,
}

/// One delegate across the pair.
#[derive(Debug, Clone, PartialEq)]
pub struct DelegateChange {
    pub delegate: usize,
    pub state: State,
    pub themes_from: Vec<usize>,
    pub themes_to: Vec<usize>,
}

/// The diff of one pair of years.
#[derive(Debug, Clone, PartialEq)]
pub struct YearDiff {
    pub from: i32,
    pub to: i32,
    /// Every delegate with records in either year, by delegate id.
    pub delegates: Vec<DelegateChange>,
    /// Themes of continuing delegates, by delegate then theme id.
    pub themes: Vec<ThemeChange>,
}

/// The exploded facts: one row per (delegate, year, theme, proposal).
pub fn facts(model: &Model) -> PolarsResult<DataFrame> {
    let n: usize = model.tags.iter().map(Vec::len).sum();
    let (mut delegate, mut year, mut theme, mut proposal) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for (p, tags) in model.tags.iter().enumerate() {
        for t in tags {
            delegate.push(model.delegate_of[p] as u32);
            year.push(model.ds.proposals[p].year);
            theme.push(t.theme as u32);
            proposal.push(p as u32);
        }
    }
    df!("delegate" => delegate, "year" => year, "theme" => theme, "proposal" => proposal)
}

/// Is the delegate a member of any body in that year? A delegate with no
/// membership rows at all is taken as a member, so a missing year reads as
/// "no record", never as a claim that the person left.
pub fn is_member(model: &Model, delegate: usize, year: i32) -> bool {
    let terms = &model.terms[delegate];
    terms.is_empty() || terms.iter().any(|m| m.covers(year))
}

fn u32s(df: &DataFrame, name: &str) -> PolarsResult<Vec<usize>> {
    Ok(df
        .column(name)?
        .as_materialized_series()
        .cast(&DataType::UInt32)?
        .u32()?
        .iter()
        .map(|v| v.unwrap_or(u32::MAX) as usize)
        .collect())
}

/// A list column of u32 as sorted vectors; a null list is empty.
fn u32_lists(df: &DataFrame, name: &str) -> PolarsResult<Vec<Vec<usize>>> {
    let lists = df.column(name)?.as_materialized_series().list()?.clone();
    let mut out = Vec::with_capacity(lists.len());
    for item in (0..lists.len()).map(|i| lists.get_as_series(i)) {
        let mut v: Vec<usize> = match item {
            Some(s) => s.u32()?.iter().flatten().map(|x| x as usize).collect(),
            None => Vec::new(),
        };
        v.sort_unstable();
        v.dedup();
        out.push(v);
    }
    Ok(out)
}

/// Rows of one year grouped by `keys`, with `value` gathered in a list named `alias`.
fn gathered(facts: &LazyFrame, year: i32, keys: &[&str], value: &str, alias: &str) -> LazyFrame {
    facts
        .clone()
        .filter(col("year").eq(lit(year)))
        .group_by(keys.iter().map(|k| col(*k)).collect::<Vec<_>>())
        .agg([col(value).alias(alias)])
}

fn full_join(left: LazyFrame, right: LazyFrame, on: &[&str]) -> LazyFrame {
    let on: Vec<Expr> = on.iter().map(|k| col(*k)).collect();
    left.join(
        right,
        on.clone(),
        on,
        JoinArgs::new(JoinType::Full).with_coalesce(JoinCoalesce::CoalesceColumns),
    )
}

/// Diffs two years. `facts` is [`facts`] of the model.
pub fn diff_years(model: &Model, facts: &DataFrame, from: i32, to: i32) -> PolarsResult<YearDiff> {
    let lf = facts.clone().lazy();

    // Delegates: who has records in which year, with their themes.
    let delegates = full_join(
        gathered(&lf, from, &["delegate"], "theme", "themes_from"),
        gathered(&lf, to, &["delegate"], "theme", "themes_to"),
        &["delegate"],
    )
    .sort(["delegate"], SortMultipleOptions::default())
    .collect()?;
    let ids = u32s(&delegates, "delegate")?;
    let themes_from = u32_lists(&delegates, "themes_from")?;
    let themes_to = u32_lists(&delegates, "themes_to")?;
    let mut lists: BTreeMap<usize, (Vec<usize>, Vec<usize>)> = ids
        .into_iter()
        .zip(themes_from.into_iter().zip(themes_to))
        .collect();
    // A record is a proposal, even one whose themes are all empty: such a
    // delegate is still continuing, never "no record".
    let mut present: BTreeMap<usize, (bool, bool)> = BTreeMap::new();
    for (p, &d) in model.delegate_of.iter().enumerate() {
        let year = model.ds.proposals[p].year;
        if year == from || year == to {
            let e = present.entry(d).or_default();
            e.0 |= year == from;
            e.1 |= year == to;
        }
    }
    for &d in present.keys() {
        lists.entry(d).or_default();
    }
    let mut delegate_changes = Vec::with_capacity(lists.len());
    for (d, (tf, tt)) in lists {
        let (in_from, in_to) = present
            .get(&d)
            .copied()
            .unwrap_or((!tf.is_empty(), !tt.is_empty()));
        let state = match (in_from, in_to) {
            (true, true) => State::Continuing,
            (false, _) if is_member(model, d, from) => State::Resumed,
            (false, _) => State::Joined,
            (true, false) if is_member(model, d, to) => State::NoRecord,
            (true, false) => State::Left,
        };
        delegate_changes.push(DelegateChange {
            delegate: d,
            state,
            themes_from: tf,
            themes_to: tt,
        });
    }
    let continuing: Vec<u32> = delegate_changes
        .iter()
        .filter(|d| d.state == State::Continuing)
        .map(|d| d.delegate as u32)
        .collect();

    // Themes of continuing delegates: a full join on (delegate, theme);
    // a missing side makes the theme new or dropped.
    let both = df!("delegate" => continuing)?.lazy();
    let themes = full_join(
        gathered(
            &lf,
            from,
            &["delegate", "theme"],
            "proposal",
            "proposals_from",
        ),
        gathered(&lf, to, &["delegate", "theme"], "proposal", "proposals_to"),
        &["delegate", "theme"],
    )
    .join(
        both,
        [col("delegate")],
        [col("delegate")],
        JoinArgs::new(JoinType::Inner),
    )
    .with_column(
        when(col("proposals_from").is_null())
            .then(lit(0u32))
            .when(col("proposals_to").is_null())
            .then(lit(1u32))
            .otherwise(lit(2u32))
            .alias("change"),
    )
    .sort(["delegate", "theme"], SortMultipleOptions::default())
    .collect()?;

    let d = u32s(&themes, "delegate")?;
    let t = u32s(&themes, "theme")?;
    let c = u32s(&themes, "change")?;
    let pf = u32_lists(&themes, "proposals_from")?;
    let pt = u32_lists(&themes, "proposals_to")?;
    let mut theme_changes = Vec::with_capacity(d.len());
    for i in 0..d.len() {
        let change = [Change::New, Change::Dropped, Change::Recurring][c[i]];
        let wording = (change == Change::Recurring)
            .then(|| wording::compare(&titles(model, &pf[i]), &titles(model, &pt[i])));
        theme_changes.push(ThemeChange {
            delegate: d[i],
            theme: t[i],
            change,
            from: pf[i].clone(),
            to: pt[i].clone(),
            wording,
        });
    }
    Ok(YearDiff {
        from,
        to,
        delegates: delegate_changes,
        themes: theme_changes,
    })
}

/// The titles of some proposals, joined for comparison.
fn titles(model: &Model, proposals: &[usize]) -> String {
    let mut seen = HashSet::new();
    proposals
        .iter()
        .map(|&p| model.ds.proposals[p].title.as_str())
        .filter(|t| seen.insert(*t))
        .collect::<Vec<_>>()
        .join(" / ")
}

/// Diffs every consecutive pair of dataset years.
pub fn consecutive(model: &Model, facts: &DataFrame) -> PolarsResult<Vec<YearDiff>> {
    model
        .years
        .windows(2)
        .map(|w| diff_years(model, facts, w[0], w[1]))
        .collect()
}

/// Counts per change kind, for summaries.
pub fn change_counts(diff: &YearDiff) -> BTreeMap<Change, usize> {
    let mut m = BTreeMap::new();
    for t in &diff.themes {
        *m.entry(t.change).or_insert(0) += 1;
    }
    m
}
