//! What a year pair's page shows: its counts and the delegates it details.

use super::*;

/// The counts of one year pair, as the index's year-over-year table shows them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PairCounts {
    pub from: i32,
    pub to: i32,
    pub continuing: usize,
    pub joined: usize,
    pub first_record: usize,
    pub resumed: usize,
    pub left: usize,
    pub no_record: usize,
    /// New themes never raised by the delegate before.
    pub first_raised: usize,
    /// New themes the delegate had raised in an earlier year.
    pub returning: usize,
    pub dropped: usize,
    pub recurring: usize,
}

pub fn pair_counts(model: &Model, d: &YearDiff) -> PairCounts {
    let mut c = PairCounts {
        from: d.from,
        to: d.to,
        ..Default::default()
    };
    for x in &d.delegates {
        match (x.state, arrival(model, x, d.to)) {
            (State::Continuing, _) => c.continuing += 1,
            (State::Left, _) => c.left += 1,
            (State::NoRecord, _) => c.no_record += 1,
            (_, Some(Arrival::Joined)) => c.joined += 1,
            (_, Some(Arrival::FirstRecord)) => c.first_record += 1,
            (_, _) => c.resumed += 1,
        }
    }
    for t in &d.themes {
        match (t.change, t.last_raised) {
            (Change::New, None) => c.first_raised += 1,
            (Change::New, Some(_)) => c.returning += 1,
            (Change::Dropped, _) => c.dropped += 1,
            (Change::Recurring, _) => c.recurring += 1,
        }
    }
    c
}

/// A year pair as its page needs it, kept once the pair's rows are
/// written: the counts, and only the delegates the page details with
/// their theme changes. At scale a pair's full diff is millions of rows;
/// this is a few hundred.
#[derive(Debug, Clone)]
pub struct PairPage {
    /// The delegates the page details, in display order, and their themes.
    pub diff: YearDiff,
    /// Counts over the whole pair.
    pub counts: PairCounts,
    /// Which delegates the page details, out of how many; its `shown` are
    /// the indices of `diff.delegates`.
    pub cut: Cut,
}

impl PairPage {
    pub fn new(model: &Model, mut diff: YearDiff) -> PairPage {
        let counts = pair_counts(model, &diff);
        let mut cut = diff_delegates(&diff);
        diff.keep(&cut.shown);
        cut.shown = (0..cut.shown.len()).collect();
        PairPage { diff, counts, cut }
    }
}

/// The delegates a year pair's page details: all of them, or at scale
/// the ones that moved most (new plus dropped themes).
pub fn diff_delegates(d: &YearDiff) -> Cut {
    let total = d.delegates.len();
    if total <= select::DETAIL_LIMIT {
        return Cut::all(total, "delegates");
    }
    // New plus dropped themes per delegate, in one walk: both lists are
    // sorted by delegate.
    let mut moves = vec![0usize; total];
    let mut j = 0;
    for (i, x) in d.delegates.iter().enumerate() {
        while j < d.themes.len() && d.themes[j].delegate < x.delegate {
            j += 1;
        }
        while j < d.themes.len() && d.themes[j].delegate == x.delegate {
            moves[i] += usize::from(d.themes[j].change != Change::Recurring);
            j += 1;
        }
    }
    Cut::top(
        total,
        select::DETAIL_LIMIT,
        select::SHORT,
        "delegates",
        "most new and dropped themes, then id",
        |i| (std::cmp::Reverse(moves[i]), d.delegates[i].delegate),
    )
}
