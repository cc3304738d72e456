//! The datasets folder: typed records, loading, and validation.
//!
//! Loading reads every file and checks what one row can tell (types, dates,
//! enumerations); [`validate`] checks what needs several files (ids unique
//! across years, references that resolve, memberships that do not overlap).
//! Both gather every problem before failing.

pub mod bodies;
pub mod date;
pub mod measures;
pub mod read;
pub mod text;
pub mod validate;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use compact_str::CompactString;

use crate::error::Diagnostics;
pub use bodies::{Bodies, Body, BodyInfo};
pub use date::PartialDate;
pub use measures::{Adoption, Extent, FoundBy, Kind, Scope, Stage, Timing};
pub use read::InputFile;
use read::{read_file_table, read_table, Input, Row, TableSpec};
pub use text::{ProposalText, RowSource, TextReader};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confidence {
    High,
    Low,
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
    /// Each proposal's phrases ([`Datasets::phrases_of`]), as ids of `phrases`.
    pub phrase_lists: Vec<u32>,
    /// Per proposal: its raw theme phrases (split on `;`, `；` or `|`,
    /// trimmed, empty ones dropped), a range of `phrase_lists`
    /// ([`Datasets::phrases_of`]). Emptied by `normalize`, which keeps them
    /// resolved in `Model::tags` and as written in its audit.
    pub phrase_ranges: Vec<std::ops::Range<u32>>,
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

/// Reads the whole datasets folder. Every problem goes to `diags`; the
/// caller decides whether to stop (see [`Diagnostics::into_result`]).
pub fn load(root: &Path, diags: &mut Diagnostics) -> Datasets {
    let mut ds = Datasets {
        root: root.to_path_buf(),
        ..Default::default()
    };
    if !root.is_dir() {
        diags.error(
            &display_path(root, ""),
            1,
            "file",
            "the datasets folder does not exist: name it with --datasets DIR, or start one with `proposal-diff init DIR`",
        );
        return ds;
    }
    fn table<'a>(root: &Path, name: &str, inputs: &'a mut Vec<InputFile>) -> (PathBuf, Input<'a>) {
        let input = Input {
            relative: name.to_string(),
            shown: display_path(root, name),
            inputs,
        };
        (root.join(name), input)
    }
    // Bodies first: `bodies.csv` names them, `sessions.csv` declares the
    // ones not built in; every other file's `body` cells resolve against
    // them. The inputs keep their usual order in the manifest.
    let mut early = Vec::new();
    let (file, path) = table(root, "bodies.csv", &mut early);
    bodies::load(&file, path, &mut ds.bodies, diags);
    let mut session_inputs = Vec::new();
    let (file, path) = table(root, "sessions.csv", &mut session_inputs);
    ds.sessions = load_sessions(&file, path, &mut ds.bodies, diags);
    load_proposals(root, &mut ds, diags);

    let (file, path) = table(root, "delegates.csv", &mut ds.inputs);
    ds.delegates = read_table(&file, path, &DELEGATE_COLUMNS, diags, |row, _| {
        Some(Delegate {
            id: row.get("id").into(),
            name_en: row.get("name_en").into(),
            name_zh: row.get("name_zh").into(),
            // Boxed to its length: a vector collected from an iterator
            // keeps room for four, at a million delegates 100 MB unused.
            aliases: split_items(row.get("aliases"))
                .map(Into::into)
                .collect::<Vec<_>>()
                .into_boxed_slice(),
            company: row.get("company").into(),
            line: row.line,
        })
    })
    .unwrap_or_default();

    let (file, path) = table(root, "memberships.csv", &mut ds.inputs);
    let bodies = &ds.bodies;
    ds.memberships = read_table(&file, path, &MEMBERSHIP_COLUMNS, diags, |row, d| {
        let body = parse_body(row, bodies, d);
        let from = parse_optional_year(row, "from", d);
        let to = parse_optional_year(row, "to", d);
        let last_seen = parse_optional_year(row, "last_seen", d);
        if let (Some(Some(_)), Some(Some(_))) = (to, last_seen) {
            d.warn(
                row.path,
                row.line,
                "last_seen",
                "`last_seen` is for a term without `to`: ignored",
            );
        }
        Some(Membership {
            delegate: row.get("delegate").into(),
            body: body?,
            from: from?,
            to: to?,
            last_seen: last_seen?,
            source: row.get("source").into(),
            note: row.get("note").into(),
            line: row.line,
        })
    })
    .unwrap_or_default();

    ds.inputs.append(&mut session_inputs);

    let (file, path) = table(root, "themes.csv", &mut ds.inputs);
    ds.themes = read_table(&file, path, &THEME_COLUMNS, diags, |row, d| {
        let cap = row.get("cap_major");
        let cap_major = if cap.is_empty() {
            None
        } else {
            match cap
                .parse::<u8>()
                .ok()
                .filter(|c| cap_topic_name(*c).is_some())
            {
                Some(c) => Some(c),
                None => {
                    d.error(
                        row.path,
                        row.line,
                        "cap_major",
                        format!("`{cap}` is not a CAP major topic code (1-10, 12-21, 23)"),
                    );
                    return None;
                }
            }
        };
        let measures_searched = match row.get("measures_searched") {
            "" => None,
            s => match parse_year_range(s) {
                Some(r) => Some(r),
                None => {
                    d.error(
                        row.path,
                        row.line,
                        "measures_searched",
                        format!("`{s}` is not a range of years: expected YYYY-YYYY, or empty"),
                    );
                    return None;
                }
            },
        };
        Some(Theme {
            id: row.get("id").to_string(),
            category: row.get("category").to_string(),
            label_en: row.get("label_en").to_string(),
            label_zh: row.get("label_zh").to_string(),
            aliases: split_list(row.get("aliases")),
            cap_major,
            measures_searched,
            line: row.line,
        })
    })
    .unwrap_or_default();

    let (file, path) = table(root, "adoptions.csv", &mut ds.inputs);
    ds.adoptions = measures::load(&file, path, diags);
    ds.inputs.append(&mut early);
    ds.sort();
    ds
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
    /// Proposal `p`'s raw theme phrases, as ids of [`Datasets::phrases`]
    /// (empty once `normalize` has resolved them).
    pub fn phrases_of(&self, p: usize) -> &[u32] {
        match self.phrase_ranges.get(p) {
            Some(r) => &self.phrase_lists[r.start as usize..r.end as usize],
            None => &[],
        }
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
        if !self.proposals.is_sorted_by(|a, b| key(a) <= key(b)) {
            // The order, applied to the proposals and their phrases alike.
            let mut order: Vec<u32> = (0..self.proposals.len() as u32).collect();
            order.sort_by(|&a, &b| {
                key(&self.proposals[a as usize]).cmp(&key(&self.proposals[b as usize]))
            });
            permute(&mut self.proposals, &order);
            if self.phrase_ranges.len() == order.len() {
                permute(&mut self.phrase_ranges, &order);
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

/// Reads `proposals/<YYYY>.csv`, every year file in year order.
/// Reads `sessions.csv`. A `body` that is neither built in nor named in
/// `bodies.csv` is declared here, by its sessions.
fn load_sessions(
    file: &Path,
    path: Input,
    bodies: &mut Bodies,
    diags: &mut Diagnostics,
) -> Vec<Session> {
    let named = bodies.declared_any();
    let mut declared: Vec<(String, u64, String)> = Vec::new();
    let sessions = read_table(file, path, &SESSION_COLUMNS, diags, |row, d| {
        let year = parse_year(row, "year", d);
        let cell = row.get("body");
        let body = match bodies.resolve(cell) {
            Some(b) => Some(b),
            None if cell.is_empty() => {
                d.error(
                    row.path,
                    row.line,
                    "body",
                    "empty: every session belongs to a body",
                );
                None
            }
            None if named => {
                d.error(
                    row.path,
                    row.line,
                    "body",
                    format!(
                        "unknown body `{cell}`: bodies.csv names {}; add it there",
                        bodies.ids().join(", ")
                    ),
                );
                None
            }
            None => {
                declared.push((row.path.to_string(), row.line, cell.to_string()));
                bodies.declare(BodyInfo {
                    id: cell.to_string(),
                    name_en: String::new(),
                    name_zh: String::new(),
                    level: String::new(),
                    kind: String::new(),
                    built_in: false,
                })
            }
        };
        let opened = date::parse_day(row.get("opened"))
            .map_err(|m| d.error(row.path, row.line, "opened", m))
            .ok();
        Some(Session {
            year: year?,
            body: body?,
            opened: opened?,
            line: row.line,
        })
    })
    .unwrap_or_default();
    for (path, line, id) in declared {
        diags.warn(
            &path,
            line,
            "body",
            format!("`{id}` is not NPC or CPPCC: declared as a body of its own by its sessions here; give it a name in bodies.csv"),
        );
    }
    sessions
}

fn load_proposals(root: &Path, ds: &mut Datasets, diags: &mut Diagnostics) {
    let dir = root.join("proposals");
    let shown = display_path(root, "proposals");
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) => {
            diags.error(&shown, 1, "file", format!("cannot read the folder: {e}"));
            return;
        }
    };
    let mut years = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let year = name
            .strip_suffix(".csv")
            .filter(|s| s.len() == 4)
            .and_then(|s| s.parse::<i32>().ok());
        match year {
            Some(y) => years.push((y, name)),
            None => diags.warn(
                &format!("{shown}/{name}"),
                1,
                "file",
                "ignored: proposal files are named <YYYY>.csv",
            ),
        }
    }
    if years.is_empty() {
        diags.error(&shown, 1, "file", "no proposal files (<YYYY>.csv) found");
        return;
    }
    years.sort();
    // Year files are independent: read them on every core, then merge in
    // year order so that rows, messages and inputs come out the same.
    struct Read {
        rows: Option<Vec<Proposal>>,
        source: Option<RowSource>,
        names: Names,
        diags: Diagnostics,
        inputs: Vec<InputFile>,
    }
    let first_file = ds.files.len();
    let bodies = &ds.bodies;
    let read = |file: usize, year: i32, name: &str| {
        let path = format!("{shown}/{name}");
        let mut out = Read {
            rows: None,
            source: None,
            names: Names::default(),
            diags: Diagnostics::default(),
            inputs: Vec::new(),
        };
        let input = Input {
            relative: format!("proposals/{name}"),
            shown: path.clone(),
            inputs: &mut out.inputs,
        };
        let table = read_file_table(
            &dir.join(name),
            input,
            &PROPOSAL_COLUMNS,
            &mut out.diags,
            |row, d| build_proposal(row, d, (year, file, bodies), &mut out.names),
        );
        if let Some(t) = table {
            out.source = RowSource::new(
                dir.join(name),
                path.clone(),
                t.stamp,
                t.skip,
                t.transcoded,
                &t.columns,
            );
            out.rows = Some(t.rows);
        }
        if out.rows.as_ref().is_some_and(Vec::is_empty) && out.diags.errors.is_empty() {
            out.diags.warn(
                &path,
                1,
                "file",
                "a header but no rows: every delegate has no record this year",
            );
        }
        out
    };
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some((year, name)) = years.get(i) else {
                return done;
            };
            done.push((i, read(first_file + i, *year, name)));
        }
    };
    // Year files are read by as many workers as the machine has cores,
    // each taking the next file.
    let mut results: Vec<(usize, Read)> = crate::parallel::run(work);
    results.sort_by_key(|r| r.0);
    let total: usize = results
        .iter()
        .map(|(_, r)| r.rows.as_ref().map_or(0, Vec::len))
        .sum();
    ds.proposals.reserve_exact(total);
    ds.phrase_ranges.reserve_exact(total);
    for ((_, name), (_, r)) in years.iter().zip(results) {
        ds.files.push(format!("{shown}/{name}"));
        ds.sources.push(r.source);
        let mut titles = r.names.titles;
        titles.shrink_to_fit();
        ds.titles.push(titles);
        // The file's own ids become the folder's, in file order.
        let spelling = ds.spellings.merge(&r.names.spellings);
        let phrase = ds.phrases.merge(&r.names.phrases);
        let base = ds.phrase_lists.len() as u32;
        ds.phrase_lists
            .extend(r.names.lists.iter().map(|&l| phrase[l as usize]));
        let mut rows = r.rows.unwrap_or_default();
        for p in &mut rows {
            p.delegate = spelling[p.delegate as usize];
        }
        // A file that failed part-way has ranges but no rows: none kept.
        let ranges = r.names.ranges.iter().take(rows.len());
        (ds.phrase_ranges).extend(ranges.map(|t| base + t.start..base + t.end));
        diags.errors.extend(r.diags.errors);
        diags.warnings.extend(r.diags.warnings);
        ds.inputs.extend(r.inputs);
        ds.proposals.extend(rows);
    }
}

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

/// One year file's delegate names and theme phrases, with ids of its own
/// until the files are merged, and its titles.
#[derive(Default)]
struct Names {
    spellings: Interned,
    phrases: Interned,
    lists: Vec<u32>,
    /// Per row kept: its range of `lists`.
    ranges: Vec<std::ops::Range<u32>>,
    titles: String,
}

/// Appends a title to a file's titles; `None` past 4 GiB of titles.
fn push_title(titles: &mut String, title: &str) -> Option<Title> {
    let start = u32::try_from(titles.len()).ok()?;
    let len = u32::try_from(title.len()).ok()?;
    start.checked_add(len)?;
    titles.push_str(title);
    Some(Title { start, len })
}

fn build_proposal(
    row: &Row,
    d: &mut Diagnostics,
    (file_year, file, bodies): (i32, usize, &Bodies),
    names: &mut Names,
) -> Option<Proposal> {
    let year = parse_year(row, "year", d);
    if let Some(y) = year {
        if y != file_year {
            d.error(
                row.path,
                row.line,
                "year",
                format!("{y} does not match the file's year {file_year}"),
            );
        }
    }
    let body = parse_body(row, bodies, d);
    let date = match row.get("date") {
        "" => Some(None),
        s => match date::parse_day(s) {
            Ok(day) => Some(Some(day)),
            Err(m) => {
                d.error(row.path, row.line, "date", m);
                None
            }
        },
    };
    let confidence = parse_confidence(row, d);
    let title = push_title(&mut names.titles, row.get("title"));
    let title_zh = push_title(&mut names.titles, row.get("title_zh"));
    if title.is_none() || title_zh.is_none() {
        d.error(
            row.path,
            row.line,
            "title",
            "the titles of this file pass 4 GiB: split the year file",
        );
    }
    let start = names.lists.len() as u32;
    for phrase in split_items(row.get("themes")) {
        let id = names.phrases.id(phrase);
        names.lists.push(id);
    }
    let themes = start..names.lists.len() as u32;
    let file = u16::try_from(file).expect("at most 10,000 year files (four-digit names)");
    if themes.is_empty() {
        d.warn(
            row.path,
            row.line,
            "themes",
            "no themes: the proposal is left out of the diff",
        );
    }
    let proposal = Proposal {
        id: row.get("id").into(),
        year: year.filter(|y| *y == file_year)?,
        delegate: names.spellings.id(row.get("delegate")),
        body: body?,
        title: title?,
        title_zh: title_zh?,
        date: date?,
        confidence: confidence?,
        file,
        line: row.line,
        offset: row.offset,
    };
    names.ranges.push(themes);
    Some(proposal)
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
