//! Shortened tables: which rows a page shows, chosen by a named rule, and
//! the sentence that says so. No table is cut anywhere else.

/// Above this many rows a Markdown table is shortened; the CSV stays complete.
pub const DETAIL_LIMIT: usize = 200;

/// How many rows a shortened table keeps.
pub const SHORT: usize = 50;

/// Delegates named in one table cell before the rest are counted.
pub const NAMES_PER_CELL: usize = 10;

/// The first [`NAMES_PER_CELL`] of a list a cell names, and how many more
/// it only counts.
pub fn named<T>(all: &[T]) -> (&[T], usize) {
    let n = all.len().min(NAMES_PER_CELL);
    (&all[..n], all.len() - n)
}

/// The rows a table shows, out of how many, chosen how.
#[derive(Debug, Clone, PartialEq)]
pub struct Cut {
    /// Indices into the full table, in display order.
    pub shown: Vec<usize>,
    pub total: usize,
    /// What a row is, plural ("delegates", "links").
    pub what: &'static str,
    /// How the shown rows were chosen ("most new and dropped themes").
    pub by: &'static str,
}

impl Cut {
    /// Every row, in order.
    pub fn all(total: usize, what: &'static str) -> Cut {
        Cut {
            shown: (0..total).collect(),
            total,
            what,
            by: "",
        }
    }

    /// The `n` rows with the smallest keys (in key order) when there are
    /// more than `limit`; otherwise every row, in table order.
    pub fn top<K: Ord>(
        total: usize,
        limit: usize,
        n: usize,
        what: &'static str,
        by: &'static str,
        key: impl Fn(usize) -> K,
    ) -> Cut {
        if total <= limit {
            return Cut::all(total, what);
        }
        Cut {
            shown: top_n(total, n, key),
            total,
            what,
            by,
        }
    }

    pub fn is_cut(&self) -> bool {
        self.shown.len() < self.total
    }

    /// "The first 50 of 1,234 delegates, by most new and dropped themes;
    /// every row is in `theme_changes.csv`." when shortened.
    pub fn note(&self, full: &str) -> Option<String> {
        self.is_cut().then(|| {
            format!(
                "The first {} of {} {}, by {}; every row is in {full}.",
                self.shown.len(),
                self.total,
                self.what,
                self.by
            )
        })
    }
}

/// The indices in `0..len` with the `n` smallest keys, in key order: a
/// selection rather than a full sort, for "the top 50 of a million rows".
/// Keys should be unique (they end with an id) so that the pick is stable.
pub fn top_n<K: Ord>(len: usize, n: usize, key: impl Fn(usize) -> K) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    let n = n.min(len);
    if n < len && n > 0 {
        order.select_nth_unstable_by_key(n - 1, |&i| key(i));
    }
    order.truncate(n);
    order.sort_unstable_by_key(|&i| key(i));
    order
}
