//! The datasets folder: typed records, loading, and validation.
//!
//! Loading reads every file and checks what one row can tell (types, dates,
//! enumerations); [`validate`] checks what needs several files (ids unique
//! across years, references that resolve, memberships that do not overlap).
//! Both gather every problem before failing.

pub mod bodies;
pub mod date;
mod decode;
mod load;
pub mod measures;
mod proposals;
pub mod read;
pub mod text;
pub mod validate;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use compact_str::CompactString;

use crate::error::Diagnostics;
pub use bodies::{Bodies, Body, BodyInfo};
pub use date::PartialDate;
pub use load::load;
pub use measures::{Adoption, Extent, FoundBy, Kind, Scope, Stage, Timing};
use proposals::{load_proposals, load_sessions, push_title};
pub use read::InputFile;
use read::{read_file_table, read_table, Input, Row, TableSpec};
pub use text::{ProposalText, RowSource, TextReader};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confidence {
    High,
    Low,
}

impl Confidence {
    /// The cell of a `confidence` column: `high`, `low`, or empty when
    /// the dataset gives none.
    pub fn cell(c: Option<Confidence>) -> &'static str {
        match c {
            Some(Confidence::High) => "high",
            Some(Confidence::Low) => "low",
            None => "",
        }
    }
}

/// Where a proposal's title lies in its file's titles
/// ([`Datasets::titles`]): one string per file instead of one per row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Title {
    pub start: u32,
    pub len: u32,
}

/// One proposal (CPPCC) or suggestion (NPC) row.
///
/// What the analysis needs is kept; the long text (company, summary,
/// source) stays in the file and is read back by [`TextReader`] from
/// `offset` when a table or page writes it.
#[derive(Debug, Clone)]
pub struct Proposal {
    // Short fields are compact strings: stored inline up to 24 bytes, so a
    // million rows do not cost millions of small allocations.
    pub id: CompactString,
    pub year: i32,
    /// The delegate as written in the file: an id into
    /// [`Datasets::spellings`]; resolved by `normalize`.
    pub delegate: u32,
    pub body: Body,
    /// Kept for the wording of recurring themes and the pages: a slice of
    /// its file's titles, read with [`Datasets::title`].
    pub title: Title,
    /// The delegate's own title as published (`title_zh`, optional),
    /// beside `title` in its file's titles; empty when the file has none.
    pub title_zh: Title,
    pub date: Option<NaiveDate>,
    pub confidence: Option<Confidence>,
    /// Index into [`Datasets::files`] and [`Datasets::sources`] (year
    /// files have four-digit names: at most 10,000). The raw theme phrases
    /// are beside the record ([`Datasets::phrases_of`]), which is 80 bytes.
    pub file: u16,
    pub line: u64,
    /// Byte offset of the record in the file's text.
    pub offset: u64,
}

// Ten million of them at scale: their size is held here.
const _: () = assert!(std::mem::size_of::<Proposal>() == 80);

/// One delegate. Compact strings: inline up to 24 bytes, so a million
/// delegates are not five million small allocations.
#[derive(Debug, Clone)]
pub struct Delegate {
    pub id: CompactString,
    pub name_en: CompactString,
    pub name_zh: CompactString,
    pub aliases: Box<[CompactString]>,
    pub company: CompactString,
    pub line: u64,
}

impl Delegate {
    /// The English name, or the id when there is none.
    pub fn name_or_id(&self) -> &str {
        if self.name_en.is_empty() {
            &self.id
        } else {
            &self.name_en
        }
    }
}

/// A term of a delegate in a body; `from`/`to` are inclusive years, `None`
/// meaning before the first dataset year / still serving.
#[derive(Debug, Clone)]
pub struct Membership {
    // Compact strings: one row per delegate and body, most cells short.
    pub delegate: CompactString,
    pub body: Body,
    pub from: Option<i32>,
    pub to: Option<i32>,
    /// With an open `to`: the last year a source confirms the term. After
    /// it the membership is unknown, never "still serving".
    pub last_seen: Option<i32>,
    /// Where the term years come from.
    pub source: CompactString,
    pub note: CompactString,
    pub line: u64,
}

/// What the memberships say of a delegate in a year, strongest first: of
/// several terms, the smallest standing is the delegate's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Standing {
    /// A term covers the year.
    Member,
    /// An open term whose last confirmed year lies before it, or no
    /// membership rows at all: nobody knows.
    Unknown,
    /// No term covers it, and none may.
    NotMember,
}

impl Standing {
    pub fn as_str(&self) -> &'static str {
        match self {
            Standing::Member => "member",
            Standing::NotMember => "not-member",
            Standing::Unknown => "unknown",
        }
    }
}

impl Membership {
    /// Whether the term certainly covers `year`: within `from` and `to`, and
    /// for an open term no later than `last_seen` when that is given.
    pub fn covers(&self, year: i32) -> bool {
        self.from.is_none_or(|f| f <= year)
            && self.to.is_none_or(|t| year <= t)
            && (self.to.is_some() || self.last_seen.is_none_or(|l| year <= l))
    }

    /// What this term says of `year`.
    pub fn standing(&self, year: i32) -> Standing {
        if self.covers(year) {
            Standing::Member
        } else if self.to.is_none() && self.from.is_none_or(|f| f <= year) {
            // Open, started, past its last confirmed year.
            Standing::Unknown
        } else {
            Standing::NotMember
        }
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    pub year: i32,
    pub body: Body,
    pub opened: NaiveDate,
    pub line: u64,
}

#[derive(Debug, Clone)]
pub struct Theme {
    pub id: String,
    pub category: String,
    pub label_en: String,
    pub label_zh: String,
    pub aliases: Vec<String>,
    /// Comparative Agendas Project major topic code.
    pub cap_major: Option<u8>,
    /// The years (inclusive) over which national measures on the theme
    /// were searched for independently of any proposal.
    pub measures_searched: Option<(i32, i32)>,
    pub line: u64,
}

/// Distinct strings, each with an id in order of first use: the delegate
/// names and theme phrases of millions of rows are a few hundred thousand
/// strings, each resolved once.
#[derive(Debug, Clone, Default)]
pub struct Interned {
    names: Vec<CompactString>,
    ids: FastMap<CompactString, u32>,
    sealed: bool,
}

impl Interned {
    /// The id of `s`, added when new.
    pub fn id(&mut self, s: &str) -> u32 {
        assert!(!self.sealed, "a sealed list takes no new names");
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(s.into());
        self.ids.insert(s.into(), id);
        id
    }

    /// Adds another list's names: their ids here, by their ids there.
    pub fn merge(&mut self, other: &Interned) -> Vec<u32> {
        other.names.iter().map(|n| self.id(n)).collect()
    }

    /// The id of `s`, when it is there.
    pub fn find(&self, s: &str) -> Option<u32> {
        assert!(!self.sealed, "a sealed list has no lookup");
        self.ids.get(s).copied()
    }

    /// Frees the lookup from strings to ids once every name is resolved
    /// (hundreds of megabytes at scale); ids and names stay.
    pub fn seal(&mut self) {
        self.ids = FastMap::default();
        self.sealed = true;
    }

    pub fn get(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    /// Every string, by id.
    pub fn names(&self) -> &[CompactString] {
        &self.names
    }
}

/// Everything under the datasets folder.
#[derive(Debug, Clone, Default)]
pub struct Datasets {
    pub root: PathBuf,
    /// Display paths of the proposal files, in year order; `Proposal::file` indexes this.
    pub files: Vec<String>,
    /// Per proposal file: where its records are read back from (`None`
    /// when the file could not be read as a table).
    pub sources: Vec<Option<RowSource>>,
    /// Per proposal file: its proposals' titles, one after another.
    pub titles: Vec<String>,
    pub proposals: Vec<Proposal>,
    /// The delegate names as written in the proposal files.
    pub spellings: Interned,
    /// The theme phrases as written in the proposal files.
    pub phrases: Interned,
    /// Per proposal: its raw theme phrases (split on `;`, `；` or `|`,
    /// trimmed, empty ones dropped), as ids of `phrases`
    /// ([`Datasets::phrases_of`]). Emptied by `normalize`, which keeps them
    /// resolved in `Model::tags` and as written in its audit.
    pub phrase_lists: crate::flat::FlatList<u32>,
    pub delegates: Vec<Delegate>,
    pub memberships: Vec<Membership>,
    pub sessions: Vec<Session>,
    pub themes: Vec<Theme>,
    pub adoptions: Vec<Adoption>,
    /// The bodies: NPC and CPPCC, and any the study declares.
    pub bodies: Bodies,
    /// Every file read, in reading order.
    pub inputs: Vec<InputFile>,
}

pub const PROPOSAL_COLUMNS: TableSpec = TableSpec {
    required: &[
        "id", "year", "delegate", "body", "title", "themes", "source",
    ],
    may_be_empty: &["themes"],
    optional: &[
        "company",
        "summary",
        "title_zh",
        "date",
        "confidence",
        "note",
    ],
};
pub const DELEGATE_COLUMNS: TableSpec = TableSpec {
    required: &["id", "name_en", "name_zh"],
    may_be_empty: &["name_en", "name_zh"],
    optional: &["aliases", "company", "note"],
};
pub const MEMBERSHIP_COLUMNS: TableSpec = TableSpec {
    required: &["delegate", "body", "from", "to", "source"],
    may_be_empty: &["from", "to"],
    optional: &["last_seen", "note"],
};
pub const SESSION_COLUMNS: TableSpec = TableSpec {
    required: &["year", "body", "opened"],
    may_be_empty: &[],
    optional: &["note"],
};
pub const THEME_COLUMNS: TableSpec = TableSpec {
    required: &["id", "category", "label_en", "label_zh"],
    may_be_empty: &["label_zh"],
    optional: &["aliases", "cap_major", "measures_searched", "note"],
};

/// Comparative Agendas Project major topic codes.
pub const CAP_MAJOR_TOPICS: [(u8, &str); 21] = [
    (1, "Macroeconomics"),
    (2, "Civil Rights"),
    (3, "Health"),
    (4, "Agriculture"),
    (5, "Labor"),
    (6, "Education"),
    (7, "Environment"),
    (8, "Energy"),
    (9, "Immigration"),
    (10, "Transportation"),
    (12, "Law and Crime"),
    (13, "Social Welfare"),
    (14, "Housing"),
    (15, "Domestic Commerce"),
    (16, "Defense"),
    (17, "Technology"),
    (18, "Foreign Trade"),
    (19, "International Affairs"),
    (20, "Government Operations"),
    (21, "Public Lands"),
    (23, "Culture"),
];

/// `YYYY-YYYY` (or one year `YYYY`), the first no later than the second.
pub fn parse_year_range(s: &str) -> Option<(i32, i32)> {
    let year = |y: &str| {
        let y = y.trim();
        (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
            .then(|| y.parse::<i32>().ok())
            .flatten()
    };
    let (a, b) = match s.split_once(['-', '–']) {
        Some((a, b)) => (year(a)?, year(b)?),
        None => (year(s)?, year(s)?),
    };
    (a <= b).then_some((a, b))
}

pub fn cap_topic_name(code: u8) -> Option<&'static str> {
    CAP_MAJOR_TOPICS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, n)| *n)
}

/// Splits a list cell on `;`, `；` or `|`.
pub fn split_list(s: &str) -> Vec<String> {
    split_items(s).map(str::to_string).collect()
}

fn split_items(s: &str) -> impl Iterator<Item = &str> {
    s.split([';', '；', '|'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
}

fn parse_year(row: &Row, column: &str, diags: &mut Diagnostics) -> Option<i32> {
    let s = row.get(column);
    match s.parse::<i32>() {
        Ok(y) if (1949..=2200).contains(&y) && s.len() == 4 => Some(y),
        _ => {
            diags.error(
                row.path,
                row.line,
                column,
                format!("`{s}` is not a year (YYYY)"),
            );
            None
        }
    }
}

fn parse_optional_year(row: &Row, column: &str, diags: &mut Diagnostics) -> Option<Option<i32>> {
    if row.get(column).is_empty() {
        Some(None)
    } else {
        parse_year(row, column, diags).map(Some)
    }
}

fn parse_body(row: &Row, bodies: &Bodies, diags: &mut Diagnostics) -> Option<Body> {
    let s = row.get("body");
    let body = bodies.resolve(s);
    if body.is_none() {
        diags.error(
            row.path,
            row.line,
            "body",
            format!(
                "unknown body `{s}`: expected one of {} (NPC and CPPCC are built in, also as 全国人大 and 全国政协); \
                 another body is declared by its rows in sessions.csv, and named in bodies.csv",
                bodies.ids().join(", ")
            ),
        );
    }
    body
}

/// Joins a folder and a relative file name for display, with `/` separators.
pub fn display_path(root: &Path, rel: &str) -> String {
    let root = root.to_string_lossy();
    let root = root.trim_end_matches(['/', '\\']);
    if root.is_empty() || root == "." {
        rel.to_string()
    } else {
        format!("{root}/{rel}")
    }
}

impl Datasets {
    /// A proposal's title.
    pub fn title(&self, p: &Proposal) -> &str {
        self.title_at(p.file, p.title)
    }

    /// A proposal's own title as published (`title_zh`), empty when none.
    pub fn title_zh(&self, p: &Proposal) -> &str {
        self.title_at(p.file, p.title_zh)
    }

    fn title_at(&self, file: u16, t: Title) -> &str {
        let (start, end) = (t.start as usize, t.start as usize + t.len as usize);
        self.titles
            .get(usize::from(file))
            .and_then(|t| t.get(start..end))
            .unwrap_or("")
    }

    /// The proposals that measures name by id (the `proposals` column of
    /// `adoptions.csv`), by id: a few, found in one pass over the
    /// proposals instead of an index of every proposal id. Ids are unique
    /// once validated; before, the first with an id is given.
    pub fn named_proposals(&self) -> std::collections::BTreeMap<&str, usize> {
        let mut named: std::collections::BTreeMap<&str, Option<usize>> = (self.adoptions.iter())
            .flat_map(|a| a.proposals.iter().map(|p| (p.as_str(), None)))
            .collect();
        if !named.is_empty() {
            for (i, p) in self.proposals.iter().enumerate() {
                if let Some(found @ None) = named.get_mut(p.id.as_str()) {
                    *found = Some(i);
                }
            }
        }
        (named.into_iter())
            .filter_map(|(id, i)| Some((id, i?)))
            .collect()
    }

    /// Adds a title to a file's titles, for building datasets in memory.
    pub fn add_title(&mut self, file: usize, title: &str) -> Title {
        if self.titles.len() <= file {
            self.titles.resize(file + 1, String::new());
        }
        push_title(&mut self.titles[file], title).unwrap_or_default()
    }
    /// Whether any delegate has a company: pages give a Company column
    /// only then.
    pub fn has_companies(&self) -> bool {
        self.delegates.iter().any(|d| !d.company.is_empty())
    }

    /// Proposal `p`'s raw theme phrases, as ids of [`Datasets::phrases`]
    /// (empty once `normalize` has resolved them).
    pub fn phrases_of(&self, p: usize) -> &[u32] {
        self.phrase_lists.get(p).unwrap_or_default()
    }

    /// A stable order for every later index: themes and delegates by id,
    /// proposals by year then id (a stable sort keeps duplicate ids in
    /// file order, so messages name the first one first).
    pub fn sort(&mut self) {
        self.themes.sort_by(|a, b| a.id.cmp(&b.id));
        self.delegates.sort_by(|a, b| a.id.cmp(&b.id));
        // Year files are read in year order and are often already in id
        // order: then checking is all it takes.
        fn key(p: &Proposal) -> (i32, &str) {
            (p.year, p.id.as_str())
        }
        // Past 32-bit indices the load has reported an error: no order.
        let Ok(count) = u32::try_from(self.proposals.len()) else {
            return;
        };
        if !self.proposals.is_sorted_by(|a, b| key(a) <= key(b)) {
            // The order, applied to the proposals and their phrases alike.
            let mut order: Vec<u32> = (0..count).collect();
            order.sort_by(|&a, &b| {
                key(&self.proposals[a as usize]).cmp(&key(&self.proposals[b as usize]))
            });
            permute(&mut self.proposals, &order);
            if self.phrase_lists.len() == order.len() {
                self.phrase_lists = self.phrase_lists.reordered(&order);
            }
        }
    }
}

/// Reorders `v` in place so that its `i`-th item is the one that was at
/// `order[i]` (a permutation of its indices), one cycle at a time.
fn permute<T>(v: &mut [T], order: &[u32]) {
    let mut done = vec![false; v.len()];
    for start in 0..v.len() {
        let mut i = start;
        while !done[i] {
            done[i] = true;
            let from = order[i] as usize;
            if from == start {
                break;
            }
            v.swap(i, from);
            i = from;
        }
    }
}

/// A fast hash map for hot lookups; iteration order is never relied on.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

/// The optional `confidence` cell: `Some(None)` when empty, `None` when invalid.
pub(crate) fn parse_confidence(row: &Row, d: &mut Diagnostics) -> Option<Option<Confidence>> {
    match row.get("confidence") {
        "" => Some(None),
        c if c.eq_ignore_ascii_case("high") => Some(Some(Confidence::High)),
        c if c.eq_ignore_ascii_case("low") => Some(Some(Confidence::Low)),
        other => {
            d.error(
                row.path,
                row.line,
                "confidence",
                format!("unknown confidence `{other}`: expected high or low, or empty"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::permute;

    #[test]
    fn permute_puts_at_each_place_the_item_the_order_names() {
        let orders: [&[u32]; 5] = [&[], &[0], &[1, 0], &[2, 0, 1, 3], &[4, 3, 0, 1, 2, 6, 5]];
        for order in orders {
            let before: Vec<u32> = (0..order.len() as u32).map(|i| i * 10).collect();
            let mut after = before.clone();
            permute(&mut after, order);
            let expected: Vec<u32> = order.iter().map(|&i| before[i as usize]).collect();
            assert_eq!(after, expected, "{order:?}");
        }
    }
}
