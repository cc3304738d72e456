//! The diff: per delegate, which themes are new, dropped or recurring
//! between two years, and what each delegate's state is; plus the history
//! over all years.
//!
//! Each delegate's proposals are exploded to one row per (theme, year,
//! proposal) and sorted, so each (delegate, theme, year) is one run of rows
//! ([`history::build`]). A pair of years is then one walk of the history's
//! rows, which are sorted by (delegate, theme) and list the years each was
//! raised in: a sorted merge, no join. A change points to groups of the
//! facts' flat lists ([`ListRef`]) instead of lists of its own. A stage takes the model
//! and returns plain tables; nothing here touches the disk.

pub mod history;
mod membership;
pub mod wording;

use std::collections::BTreeMap;

use crate::dataset::{Body, Standing};
use crate::flat::FlatList;
use crate::normalize::Model;
pub use membership::{arrival, first_record, moved, Arrival};

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

/// One group of a list inside [`Lists`] (by its index), or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListRef(u32);

impl ListRef {
    /// No group: an empty list.
    pub const NONE: ListRef = ListRef(u32::MAX);

    pub fn is_none(self) -> bool {
        self == ListRef::NONE
    }
}

impl Default for ListRef {
    fn default() -> Self {
        ListRef::NONE
    }
}

/// The lists the diffs point into, shared by every pair: a theme change
/// or a delegate change is a few integers, however many proposals it names.
#[derive(Debug, Default, PartialEq)]
pub struct Lists {
    /// Per (delegate, theme, year), in that order: its proposals, sorted.
    /// One group per item of the history's year lists.
    proposals: FlatList<u32>,
    /// Per (delegate, year with records): its distinct themes, sorted.
    themes: FlatList<u32>,
}

impl Lists {
    fn proposals(&self, r: ListRef) -> &[u32] {
        self.proposals.get(r.0 as usize).unwrap_or_default()
    }

    fn themes(&self, r: ListRef) -> &[u32] {
        self.themes.get(r.0 as usize).unwrap_or_default()
    }
}

/// One theme of one delegate across the pair.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeChange {
    pub delegate: u32,
    pub theme: u32,
    pub change: Change,
    /// Proposals raising the theme in the first year ([`YearDiff::proposals`]).
    pub from: ListRef,
    /// Proposals raising it in the second year.
    pub to: ListRef,
    /// For recurring themes: how similar the wording of the titles is, 0 to 1.
    pub similarity: Option<f32>,
    /// For new themes: the latest year before the first year in which the
    /// delegate raised the theme (a *returning* theme); `None` when never.
    pub last_raised: Option<i32>,
    /// For dropped themes: the first year after the second year in which
    /// the delegate raised the theme again; `None` when never.
    pub next_raised: Option<i32>,
}

/// One delegate across the pair.
#[derive(Debug, Clone, PartialEq)]
pub struct DelegateChange {
    pub delegate: u32,
    pub state: State,
    /// Themes in the first year ([`YearDiff::themes_of`]).
    pub themes_from: ListRef,
    pub themes_to: ListRef,
    /// How it arrived, when it has no record in the first year.
    pub arrival: Option<Arrival>,
    /// What the memberships say of the year without records, when one
    /// year has none.
    pub membership: Option<Standing>,
    /// Its move between bodies across the pair ([`moved`]).
    pub moved: Option<(Body, Body)>,
}

/// The diff of one pair of years.
#[derive(Debug, Clone, PartialEq)]
pub struct YearDiff {
    pub from: i32,
    pub to: i32,
    /// Every delegate with records in either year, by delegate index.
    pub delegates: Vec<DelegateChange>,
    /// Themes of continuing delegates, by delegate then theme index.
    pub themes: Vec<ThemeChange>,
    lists: std::sync::Arc<Lists>,
}

impl YearDiff {
    /// The proposals of a group, sorted by index.
    pub fn proposals(&self, r: ListRef) -> &[u32] {
        self.lists.proposals(r)
    }

    /// The themes of a group, sorted by index.
    pub fn themes_of(&self, r: ListRef) -> &[u32] {
        self.lists.themes(r)
    }

    /// The theme changes of one delegate (they are sorted by delegate).
    pub fn themes_of_delegate(&self, delegate: u32) -> &[ThemeChange] {
        let lo = self.themes.partition_point(|t| t.delegate < delegate);
        let hi = self.themes.partition_point(|t| t.delegate <= delegate);
        &self.themes[lo..hi]
    }

    /// Keeps only the delegates at these indices of [`Self::delegates`],
    /// in this order, with their theme changes.
    pub fn keep(&mut self, shown: &[usize]) {
        let delegates: Vec<DelegateChange> =
            shown.iter().map(|&i| self.delegates[i].clone()).collect();
        let mut kept: Vec<u32> = delegates.iter().map(|x| x.delegate).collect();
        kept.sort_unstable();
        self.themes
            .retain(|t| kept.binary_search(&t.delegate).is_ok());
        self.themes.shrink_to_fit();
        self.delegates = delegates;
    }

    /// Keeps one delegate only.
    pub fn retain_delegate(&mut self, delegate: u32) {
        self.delegates.retain(|x| x.delegate == delegate);
        self.themes.retain(|x| x.delegate == delegate);
    }
}

/// What the pairs are diffed from, besides the history ([`history::build`]):
/// the lists the diffs point into, and per year the delegates with records.
pub struct Facts {
    lists: std::sync::Arc<Lists>,
    /// Per year: the delegates with records (a proposal, even one without
    /// themes), sorted, each with their distinct themes.
    active: BTreeMap<i32, Vec<(u32, ListRef)>>,
}

/// What the memberships say of a delegate in a year: a member when a term
/// covers it; unknown when none does but an open term is past its last
/// confirmed year, or when the delegate has no membership rows at all;
/// otherwise not a member.
pub fn standing(model: &Model, delegate: usize, year: i32) -> Standing {
    if !model.has_terms(delegate) {
        return Standing::Unknown;
    }
    (model.terms(delegate))
        .map(|m| m.standing(year))
        .min()
        .unwrap_or(Standing::Unknown)
}

/// Diffs two years. `facts` and `history` are the model's
/// ([`history::build`]): a continuing delegate's themes in the pair are
/// its history rows raised in either year, walked in (delegate, theme)
/// order, and a row's years give the change, the proposals of each side
/// and the years it was raised before and after.
pub fn diff_years(
    model: &Model,
    facts: &Facts,
    history: &history::History,
    from: i32,
    to: i32,
) -> YearDiff {
    // Delegates: a merge of the two years' active delegates.
    let none = Vec::new();
    let a = facts.active.get(&from).unwrap_or(&none);
    let b = facts.active.get(&to).unwrap_or(&none);
    let mut delegates = Vec::with_capacity(a.len().max(b.len()));
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let (d, in_from, in_to) = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x.0 == y.0 => (x.0, true, true),
            (Some(x), Some(y)) if x.0 < y.0 => (x.0, true, false),
            (Some(x), None) => (x.0, true, false),
            (_, Some(y)) => (y.0, false, true),
            (None, None) => unreachable!("the loop condition"),
        };
        let themes_from = if in_from { a[i].1 } else { ListRef::NONE };
        let themes_to = if in_to { b[j].1 } else { ListRef::NONE };
        i += usize::from(in_from);
        j += usize::from(in_to);
        // What the memberships say of the year without records.
        let membership = match (in_from, in_to) {
            (true, true) => None,
            (false, _) => Some(standing(model, d as usize, from)),
            (true, false) => Some(standing(model, d as usize, to)),
        };
        let member = membership != Some(Standing::NotMember);
        let state = match (in_from, in_to) {
            (true, true) => State::Continuing,
            (false, _) if member => State::Resumed,
            (false, _) => State::Joined,
            (true, false) if member => State::NoRecord,
            (true, false) => State::Left,
        };
        delegates.push(DelegateChange {
            delegate: d,
            state,
            themes_from,
            themes_to,
            arrival: arrival(model, d as usize, state, to),
            membership,
            moved: moved(model, d as usize, from, to),
        });
    }

    // Themes of continuing delegates: each history row (by delegate, then
    // theme) raised in either year; a missing side makes it new or dropped.
    let continuing = || delegates.iter().filter(|x| x.state == State::Continuing);
    let rows = || continuing().flat_map(|x| history.rows_of(x.delegate));
    // Counted first, so the changes (millions at scale) are allocated once
    // at their size instead of grown by doubling and copied each time.
    let raised_in = |h: &history::ThemeHistory, year: i32| history.years(h).binary_search(&year);
    let count = rows()
        .filter(|h| raised_in(h, from).is_ok() || raised_in(h, to).is_ok())
        .count();
    let mut themes = Vec::with_capacity(count);
    let proposals = |r: ListRef| facts.lists.proposals(r);
    for h in rows() {
        let years = history.years(h);
        let side = |year: i32| match raised_in(h, year) {
            Ok(k) => history.proposals_in(h, k),
            Err(_) => ListRef::NONE,
        };
        let (from_span, to_span) = (side(from), side(to));
        let change = match (from_span.is_none(), to_span.is_none()) {
            (true, true) => continue,
            (true, false) => Change::New,
            (false, true) => Change::Dropped,
            (false, false) => Change::Recurring,
        };
        // Only the delegates' own titles are compared: English glosses are
        // the curators' words.
        let similarity = (change == Change::Recurring)
            .then(|| {
                let a = own_titles(model, proposals(from_span))?;
                let b = own_titles(model, proposals(to_span))?;
                wording::ratio(&a, &b)
            })
            .flatten();
        let (last_raised, next_raised) = match change {
            Change::New => (history::last_before(years, from), None),
            Change::Dropped => (None, history::next_after(years, to)),
            Change::Recurring => (None, None),
        };
        themes.push(ThemeChange {
            delegate: h.delegate,
            theme: h.theme,
            change,
            from: from_span,
            to: to_span,
            similarity,
            last_raised,
            next_raised,
        });
    }
    YearDiff {
        from,
        to,
        delegates,
        themes,
        lists: facts.lists.clone(),
    }
}

/// The distinct titles of some proposals, joined for comparison.
pub fn titles(model: &Model, proposals: &[u32]) -> String {
    let mut seen: Vec<&str> = Vec::with_capacity(proposals.len());
    for &p in proposals {
        let title = model.ds.title(&model.ds.proposals[p as usize]);
        if !seen.contains(&title) {
            seen.push(title);
        }
    }
    seen.join(" / ")
}

/// The distinct own titles (`title_zh`) of some proposals, joined for
/// comparison, with traditional characters folded to simplified (關於 and
/// 关于 are one word: a source's script is not a change of wording);
/// `None` when any of them has none on record.
pub fn own_titles(model: &Model, proposals: &[u32]) -> Option<String> {
    let mut seen: Vec<String> = Vec::with_capacity(proposals.len());
    for &p in proposals {
        let title = model.ds.title_zh(&model.ds.proposals[p as usize]);
        if title.is_empty() {
            return None;
        }
        let title = crate::key::to_simplified(title).into_owned();
        if !seen.contains(&title) {
            seen.push(title);
        }
    }
    (!seen.is_empty()).then(|| seen.join(" / "))
}
