//! The CSV tables: long form, one header row, ids in id columns, lists
//! `;`-separated. Their columns are a public contract.
//!
//! NOTE: the column lists here are documented in the README; add columns at
//! the end only, and change both places together.
//!
//! Files start with a UTF-8 byte-order mark so that Excel shows Chinese
//! correctly; pandas, R's readr and the csv module skip it.

use std::borrow::Cow;

use super::escape::csv_cell;
use super::{Analysis, Bundle, Renderer};
use crate::diff::YearDiff;
use crate::normalize::Model;

pub struct CsvTables;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A table being written.
struct Table {
    writer: csv::Writer<Vec<u8>>,
}

impl Table {
    fn new(header: &[&str], bom: bool) -> Table {
        let buffer = if bom { BOM.to_vec() } else { Vec::new() };
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(buffer);
        writer.write_record(header).expect("writing to memory");
        Table { writer }
    }

    fn row<S: AsRef<str>, I: IntoIterator<Item = S>>(&mut self, cells: I) {
        for cell in cells {
            self.writer
                .write_field(csv_cell(cell.as_ref()).as_bytes())
                .expect("writing to memory");
        }
        self.writer
            .write_record(None::<&[u8]>)
            .expect("writing to memory");
    }

    fn finish(self) -> Vec<u8> {
        self.writer.into_inner().expect("writing to memory")
    }
}

fn list<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    items
        .into_iter()
        .map(|s| s.as_ref().to_string())
        .collect::<Vec<_>>()
        .join(";")
}

/// Proposal ids as a list cell; a single id is borrowed.
fn ids<'a>(ds: &'a crate::dataset::Datasets, proposals: &[usize]) -> Cow<'a, str> {
    match proposals {
        [] => Cow::Borrowed(""),
        [p] => Cow::Borrowed(ds.proposals[*p].id.as_str()),
        many => Cow::Owned(list(many.iter().map(|&p| &ds.proposals[p].id))),
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

pub const THEME_CHANGES: &[&str] = &[
    "from_year",
    "to_year",
    "delegate",
    "theme",
    "change",
    "proposals_from",
    "proposals_to",
    "similarity",
];
pub const DELEGATE_CHANGES: &[&str] = &[
    "from_year",
    "to_year",
    "delegate",
    "state",
    "themes_from",
    "themes_to",
];
pub const THEME_HISTORY: &[&str] = &[
    "delegate",
    "theme",
    "first_year",
    "last_year",
    "years",
    "longest_streak",
    "returning",
    "n_years",
];
pub const ADOPTION_LINKS: &[&str] = &[
    "proposal",
    "year",
    "delegate",
    "theme",
    "measure",
    "measure_date",
    "timing",
    "lag_days",
    "strength",
];
pub const ADOPTION: &[&str] = &[
    "proposal",
    "year",
    "delegate",
    "theme",
    "adopted",
    "first_measure",
    "first_measure_date",
    "lag_days",
    "strength",
];
pub const NORMALIZATION: &[&str] = &["kind", "raw", "key", "resolved", "rule", "score", "count"];

/// `theme_changes.csv` rows for some diffs (also the `diff --format csv` output).
pub fn theme_changes(model: &Model, diffs: &[YearDiff], bom: bool) -> Vec<u8> {
    let ds = &model.ds;
    let mut t = Table::new(THEME_CHANGES, bom);
    for d in diffs {
        // The hot loop of large reports: borrow what can be borrowed.
        let (from, to) = (d.from.to_string(), d.to.to_string());
        for c in &d.themes {
            t.row([
                Cow::Borrowed(from.as_str()),
                Cow::Borrowed(to.as_str()),
                Cow::Borrowed(ds.delegates[c.delegate].id.as_str()),
                Cow::Borrowed(ds.themes[c.theme].id.as_str()),
                Cow::Borrowed(c.change.as_str()),
                ids(ds, &c.from),
                ids(ds, &c.to),
                Cow::Owned(opt(c.wording.as_ref().map(|w| format!("{:.3}", w.ratio)))),
            ]);
        }
    }
    t.finish()
}

/// `normalization.csv` (also `normalize --format csv`), without a BOM for stdout use.
pub fn normalization(model: &Model) -> Vec<u8> {
    normalization_table(model, false)
}

fn normalization_table(model: &Model, bom: bool) -> Vec<u8> {
    let mut t = Table::new(NORMALIZATION, bom);
    for r in &model.audit {
        t.row([
            r.kind.to_string(),
            r.raw.clone(),
            r.key.clone(),
            r.resolved.clone(),
            r.rule.as_str().to_string(),
            format!("{:.3}", r.score),
            r.count.to_string(),
        ]);
    }
    t.finish()
}

impl Renderer for CsvTables {
    fn render(&self, a: &Analysis, out: &mut Bundle) -> anyhow::Result<()> {
        let ds = &a.model.ds;
        out.insert(
            "theme_changes.csv".into(),
            theme_changes(&a.model, &a.diffs, true),
        );

        let mut t = Table::new(DELEGATE_CHANGES, true);
        for d in &a.diffs {
            for c in &d.delegates {
                t.row([
                    d.from.to_string(),
                    d.to.to_string(),
                    ds.delegates[c.delegate].id.clone(),
                    c.state.as_str().to_string(),
                    list(c.themes_from.iter().map(|&x| &ds.themes[x].id)),
                    list(c.themes_to.iter().map(|&x| &ds.themes[x].id)),
                ]);
            }
        }
        out.insert("delegate_changes.csv".into(), t.finish());

        let mut t = Table::new(THEME_HISTORY, true);
        for h in &a.history.themes {
            t.row([
                ds.delegates[h.delegate].id.clone(),
                ds.themes[h.theme].id.clone(),
                h.first_year.to_string(),
                h.last_year.to_string(),
                list(h.years.iter().map(|y| y.to_string())),
                h.longest_streak.to_string(),
                h.returning.to_string(),
                h.years.len().to_string(),
            ]);
        }
        out.insert("theme_history.csv".into(), t.finish());

        let mut t = Table::new(ADOPTION_LINKS, true);
        for l in &a.adoption.links {
            let p = &ds.proposals[l.proposal];
            let m = &ds.adoptions[l.measure];
            t.row([
                p.id.clone(),
                p.year.to_string(),
                ds.delegates[a.model.delegate_of[l.proposal]].id.clone(),
                ds.themes[l.theme].id.clone(),
                m.id.clone(),
                m.date.to_string(),
                l.timing.as_str().to_string(),
                opt(l.lag_days),
                l.strength.to_string(),
            ]);
        }
        out.insert("adoption_links.csv".into(), t.finish());

        let mut t = Table::new(ADOPTION, true);
        for v in &a.adoption.themes {
            let p = &ds.proposals[v.proposal];
            let first = v.first_measure.map(|m| &ds.adoptions[m]);
            t.row([
                p.id.clone(),
                p.year.to_string(),
                ds.delegates[a.model.delegate_of[v.proposal]].id.clone(),
                ds.themes[v.theme].id.clone(),
                v.adopted.as_str().to_string(),
                opt(first.map(|m| &m.id)),
                opt(first.map(|m| m.date)),
                opt(v.lag_days),
                opt(v.strength),
            ]);
        }
        out.insert("adoption.csv".into(), t.finish());

        out.insert(
            "normalization.csv".into(),
            normalization_table(&a.model, true),
        );
        Ok(())
    }
}
