//! What a data change is, in words, for the reviewer of a pull request:
//! the committed reports hold the state before it (`proposals.csv`,
//! `measures.csv`, `normalization.csv`, the index), the datasets the state
//! after it. Proposals, delegates, themes and measures are compared by id,
//! cell by cell, through a hash of each cell: the summary needs ids and
//! hashes, never a whole report tree.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::path::Path;

use crate::normalize::Model;
use crate::report::escape::csv_cell;

/// How many ids of each kind of change are named before the rest is counted.
pub const SHOWN: usize = 10;

/// One kind of record, compared by id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// Ids with the columns whose cells changed.
    pub changed: Vec<(String, Vec<&'static str>)>,
}

impl Changes {
    fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// The reviewer's summary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Review {
    /// Input files and how they changed (`new`, `changed`, `removed`).
    pub inputs: Vec<(String, &'static str)>,
    pub proposals: Changes,
    pub delegates: Changes,
    pub themes: Changes,
    pub measures: Changes,
    /// Theme phrases unmapped now and not before, with their suggestions.
    pub unmapped: Vec<(String, Vec<(String, f64)>)>,
    /// Headline figures that moved: the figure, before, after.
    pub headline: Vec<(String, String, String)>,
}

/// A record's cells as hashes, by column.
type Cells = Vec<u64>;

fn hash(s: &str) -> u64 {
    // SipHash with fixed keys: the same in both passes of one run.
    let mut h = std::hash::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

const PROPOSAL_COLUMNS: [&str; 10] = [
    "year",
    "delegate",
    "company",
    "body",
    "title",
    "summary",
    "source",
    "confidence",
    "title_zh",
    "themes",
];
const DELEGATE_COLUMNS: [&str; 2] = ["name_en", "name_zh"];
const THEME_COLUMNS: [&str; 4] = ["label_en", "label_zh", "category", "cap_major"];
const MEASURE_COLUMNS: [&str; 12] = [
    "date",
    "kind",
    "scope",
    "issuer",
    "theme",
    "source",
    "in_force",
    "stage",
    "extent",
    "found_by",
    "names",
    "confidence",
];

/// The records of both states, by id.
#[derive(Default)]
struct State {
    proposals: BTreeMap<String, Cells>,
    delegates: BTreeMap<String, Cells>,
    themes: BTreeMap<String, Cells>,
    measures: BTreeMap<String, Cells>,
    unmapped: BTreeSet<String>,
}

/// A row's cell by column name.
type Cell<'a> = &'a dyn Fn(&str) -> String;

/// Reads a committed CSV table, handing `each` every row's cells by
/// column name (missing columns are empty); `false` when the file is not
/// there.
fn read_table(path: &Path, each: &mut dyn FnMut(Cell)) -> anyhow::Result<bool> {
    if !path.is_file() {
        return Ok(false);
    }
    let mut r = csv::ReaderBuilder::new().flexible(true).from_path(path)?;
    let header: Vec<String> = r
        .headers()?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let mut record = csv::StringRecord::new();
    while r.read_record(&mut record)? {
        let get = |c: &str| {
            (header.iter().position(|h| h == c))
                .and_then(|i| record.get(i))
                .unwrap_or("")
                .to_string()
        };
        each(&get);
    }
    Ok(true)
}

/// The state before the change, from the committed reports.
fn before(reports: &Path) -> anyhow::Result<State> {
    let mut s = State::default();
    // proposals.csv: one row per proposal and theme.
    let mut themes_of: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    read_table(&reports.join("proposals.csv"), &mut |get| {
        let id = get("proposal");
        let theme = get("theme");
        if !theme.is_empty() {
            themes_of
                .entry(id.clone())
                .or_default()
                .insert(theme.clone());
            // As `proposals.csv` names the theme's columns.
            let cells = ["theme_label_en", "theme_label_zh", "category", "cap_major"]
                .iter()
                .map(|c| hash(&get(c)))
                .collect();
            s.themes.insert(theme, cells);
        }
        let cells: Cells = PROPOSAL_COLUMNS[..9]
            .iter()
            .map(|c| hash(&get(c)))
            .collect();
        s.proposals.insert(id, cells);
        let cells = DELEGATE_COLUMNS.iter().map(|c| hash(&get(c))).collect();
        s.delegates.insert(get("delegate"), cells);
    })?;
    for (id, cells) in &mut s.proposals {
        let themes = themes_of.remove(id).unwrap_or_default();
        cells.push(hash(&themes.into_iter().collect::<Vec<_>>().join(";")));
    }
    read_table(&reports.join("measures.csv"), &mut |get| {
        let cells = MEASURE_COLUMNS.iter().map(|c| hash(&get(c))).collect();
        s.measures.insert(get("measure"), cells);
    })?;
    read_table(&reports.join("normalization.csv"), &mut |get| {
        if get("kind") == "theme" && get("resolved").is_empty() {
            s.unmapped.insert(get("raw"));
        }
    })?;
    Ok(s)
}

/// The state after the change, from the datasets, written as the tables
/// would write it.
fn after(model: &Model) -> anyhow::Result<State> {
    let ds = &model.ds;
    let cell = |s: &str| hash(&csv_cell(s));
    let mut s = State::default();
    let mut text = crate::dataset::TextReader::bulk(ds);
    for (i, p) in ds.proposals.iter().enumerate() {
        let d = &ds.delegates[model.delegate_of[i]];
        let t = text.read(i)?;
        let mut themes: Vec<&str> = (model.tags[i].iter())
            .map(|t| ds.themes[t.theme as usize].id.as_str())
            .collect();
        themes.sort_unstable();
        themes.dedup();
        let confidence = crate::dataset::Confidence::cell(p.confidence);
        let cells = vec![
            hash(&p.year.to_string()),
            cell(&d.id),
            cell(t.company()),
            cell(ds.bodies.name(p.body)),
            cell(ds.title(p)),
            cell(t.summary()),
            cell(t.source()),
            hash(confidence),
            cell(ds.title_zh(p)),
            hash(&themes.join(";")),
        ];
        s.proposals.insert(p.id.to_string(), cells);
        s.delegates
            .insert(d.id.to_string(), vec![cell(&d.name_en), cell(&d.name_zh)]);
        for t in &model.tags[i] {
            let th = &ds.themes[t.theme as usize];
            let cap = th.cap_major.map(|c| c.to_string()).unwrap_or_default();
            s.themes.insert(
                th.id.clone(),
                vec![
                    cell(&th.label_en),
                    cell(&th.label_zh),
                    cell(&th.category),
                    hash(&cap),
                ],
            );
        }
    }
    for m in &ds.adoptions {
        let confidence = crate::dataset::Confidence::cell(m.confidence);
        let cells = vec![
            hash(&m.date.to_string()),
            hash(m.kind.as_str()),
            hash(m.scope.as_str()),
            cell(&m.issuer),
            cell(&m.theme),
            cell(&m.source),
            hash(&m.in_force.map(|d| d.to_string()).unwrap_or_default()),
            hash(m.stage.as_str()),
            hash(m.extent.as_str()),
            hash(m.found_by.as_str()),
            // As measures.csv writes it: joined, then escaped once.
            cell(&m.names.join(";")),
            hash(confidence),
        ];
        s.measures.insert(m.id.clone(), cells);
    }
    Ok(s)
}

fn changes(
    before: &BTreeMap<String, Cells>,
    after: &BTreeMap<String, Cells>,
    columns: &[&'static str],
) -> Changes {
    let mut c = Changes::default();
    for (id, new) in after {
        match before.get(id) {
            None => c.added.push(id.clone()),
            Some(old) if old != new => {
                let which = (columns.iter().zip(old.iter().zip(new)))
                    .filter(|(_, (a, b))| a != b)
                    .map(|(c, _)| *c)
                    .collect();
                c.changed.push((id.clone(), which));
            }
            _ => {}
        }
    }
    c.removed = (before.keys())
        .filter(|id| !after.contains_key(*id))
        .cloned()
        .collect();
    c
}

/// Compares the committed reports (before) with the datasets (after).
/// `readmes` are the committed and fresh `README.md` when they differ.
pub fn review(
    model: &Model,
    reports: &Path,
    inputs: Vec<(String, &'static str)>,
    readmes: Option<(&str, &str)>,
) -> anyhow::Result<Review> {
    let (b, a) = (before(reports)?, after(model)?);
    let unmapped = (model.unmapped.iter())
        .filter(|u| !b.unmapped.contains(&u.raw))
        .map(|u| (u.raw.clone(), u.suggestions.clone()))
        .collect();
    Ok(Review {
        inputs,
        proposals: changes(&b.proposals, &a.proposals, &PROPOSAL_COLUMNS),
        delegates: changes(&b.delegates, &a.delegates, &DELEGATE_COLUMNS),
        themes: changes(&b.themes, &a.themes, &THEME_COLUMNS),
        measures: changes(&b.measures, &a.measures, &MEASURE_COLUMNS),
        unmapped,
        headline: readmes
            .map(|(old, new)| headline_moves(old, new))
            .unwrap_or_default(),
    })
}

/// The rows of the index's headline tables (the figures, and the
/// comparison with chance), by their first cell.
fn headline_rows(readme: &str) -> Vec<(String, String)> {
    let Some(start) = readme.find("## Headline figures") else {
        return Vec::new();
    };
    let end = readme[start..]
        .find("## Year over year")
        .map_or(readme.len(), |e| start + e);
    readme[start..end]
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Figure") && !l.starts_with("| Unit"))
        .filter_map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split(" | ").map(str::trim).collect();
            let (first, rest) = cells.split_first()?;
            Some((first.to_string(), rest.join(" | ")))
        })
        .collect()
}

/// The headline figures whose values moved, before and after.
pub fn headline_moves(old: &str, new: &str) -> Vec<(String, String, String)> {
    let before: BTreeMap<String, String> = headline_rows(old).into_iter().collect();
    headline_rows(new)
        .into_iter()
        .filter_map(|(label, after)| match before.get(&label) {
            Some(b) if *b == after => None,
            b => Some((label, b.cloned().unwrap_or_else(|| "—".into()), after)),
        })
        .collect()
}

impl Review {
    /// Whether anything in the data changed.
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
            && self.proposals.is_empty()
            && self.delegates.is_empty()
            && self.themes.is_empty()
            && self.measures.is_empty()
            && self.unmapped.is_empty()
            && self.headline.is_empty()
    }

    /// The summary as Markdown that also reads well in a terminal.
    pub fn markdown(&self) -> String {
        let mut s = String::from("## What the data change does\n\n");
        if self.is_empty() {
            s.push_str("No input file, record or headline figure changed.\n");
            return s;
        }
        if !self.inputs.is_empty() {
            let files: Vec<String> = (self.inputs.iter())
                .map(|(p, how)| format!("`{p}` ({how})"))
                .collect();
            let _ = writeln!(s, "- Input files: {}.", files.join(", "));
        }
        for (what, c) in [
            ("Proposals", &self.proposals),
            ("Delegates with records", &self.delegates),
            ("Themes raised", &self.themes),
            ("Measures", &self.measures),
        ] {
            if c.is_empty() {
                continue;
            }
            let _ = writeln!(
                s,
                "- {what}: {} added, {} removed, {} changed.",
                c.added.len(),
                c.removed.len(),
                c.changed.len()
            );
            for (how, ids) in [("added", &c.added), ("removed", &c.removed)] {
                if !ids.is_empty() {
                    let _ = writeln!(
                        s,
                        "  - {how}: {}",
                        named(ids.iter().map(|i| format!("`{i}`")))
                    );
                }
            }
            if !c.changed.is_empty() {
                let items =
                    (c.changed.iter()).map(|(id, cols)| format!("`{id}` ({})", cols.join(", ")));
                let _ = writeln!(s, "  - changed: {}", named(items));
            }
        }
        if !self.unmapped.is_empty() {
            let items = self.unmapped.iter().map(|(raw, sug)| {
                let sug: Vec<String> = sug.iter().map(|(t, r)| format!("`{t}` {r:.2}")).collect();
                if sug.is_empty() {
                    format!("\"{raw}\"")
                } else {
                    format!("\"{raw}\" (closest: {})", sug.join(", "))
                }
            });
            let _ = writeln!(
                s,
                "- Theme phrases newly unmapped ({}): {}. Add each as an alias of an existing theme in `themes.csv`, or a new theme row.",
                self.unmapped.len(),
                named(items)
            );
        }
        if !self.headline.is_empty() {
            let _ = writeln!(
                s,
                "- Headline figures of `README.md` that moved (before → after):"
            );
            for (label, b, a) in &self.headline {
                let _ = writeln!(s, "  - {label}: {b} → {a}");
            }
        }
        s
    }
}

/// The first [`SHOWN`] items, then how many more.
fn named(items: impl ExactSizeIterator<Item = String>) -> String {
    let n = items.len();
    let mut shown: Vec<String> = items.take(SHOWN).collect();
    if n > SHOWN {
        shown.push(format!("and {} more", n - SHOWN));
    }
    shown.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_moves_name_each_moved_figure_with_both_values() {
        let old = "## Headline figures\n\n| Figure | All | High |\n|---|---:|---:|\n| Proposals | 200 | 128 |\n| Delegates | 22 | 19 |\n\n## Year over year\n";
        let new = "## Headline figures\n\n| Figure | All | High |\n|---|---:|---:|\n| Proposals | 216 | 137 |\n| Delegates | 22 | 19 |\n\n## Year over year\n";
        assert_eq!(
            headline_moves(old, new),
            vec![(
                "Proposals".to_string(),
                "200 | 128".to_string(),
                "216 | 137".to_string()
            )]
        );
    }

    #[test]
    fn changes_name_the_columns_that_moved() {
        let before: BTreeMap<String, Cells> =
            [("a".into(), vec![1, 2]), ("b".into(), vec![1, 1])].into();
        let after: BTreeMap<String, Cells> =
            [("a".into(), vec![1, 3]), ("c".into(), vec![0, 0])].into();
        let c = changes(&before, &after, &["x", "y"]);
        assert_eq!(c.added, vec!["c"]);
        assert_eq!(c.removed, vec!["b"]);
        assert_eq!(c.changed, vec![("a".to_string(), vec!["y"])]);
    }

    #[test]
    fn a_long_list_names_the_first_and_counts_the_rest() {
        let items = (0..13).map(|i| i.to_string()).collect::<Vec<_>>();
        assert_eq!(
            named(items.into_iter()),
            "0, 1, 2, 3, 4, 5, 6, 7, 8, 9, and 3 more"
        );
    }
}
