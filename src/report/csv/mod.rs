//! The CSV tables: long form, one header row, ids in id columns, lists
//! `;`-separated. Their columns are a public contract.
//!
//! NOTE: the column lists here are documented in the README; add columns at
//! the end only, and change both places together.
//!
//! Files start with a UTF-8 byte-order mark so that Excel shows Chinese
//! correctly; pandas, R's readr and the csv module skip it.

use std::io::{self, Write};

mod columns;
mod follow_up;
mod writer;

pub use columns::*;
use follow_up::{link_row, measure_dates, verdict_row, write_chance, write_measures, ChanceCells};
/// The tables' CSV writer, for bench/csv_writers.rs, which measures it.
pub use writer::CsvWriter;
use writer::{in_memory, Cells, Encoder, Table};

use super::{Sink, Tables};
use crate::adoption::chance::{Against, Comparison};
use crate::adoption::Link;
use crate::dataset::{Confidence, Datasets};
use crate::diff::YearDiff;
use crate::normalize::Model;
use crate::pipeline::Analysis;
use crate::summary::Arrival;

pub struct CsvTables;

/// Every long-form table, by file name without its extension (`report
/// --only` takes these).
pub const TABLES: [&str; 10] = [
    "theme_changes",
    "delegate_changes",
    "theme_history",
    "proposals",
    "adoption",
    "adoption_links",
    "convergence",
    "measures",
    "chance",
    "normalization",
];

/// `low` or `high`, for the confidence columns.
fn confidence(low: bool) -> &'static str {
    if low {
        "low"
    } else {
        "high"
    }
}

/// `theme_changes.csv` rows for some diffs (also the `diff --format csv` output).
pub fn theme_changes(model: &Model, diffs: &[YearDiff]) -> Vec<u8> {
    in_memory(|w| write_theme_changes(w, model, diffs, None))
}

fn write_theme_changes(
    w: &mut dyn Write,
    model: &Model,
    diffs: &[YearDiff],
    reports: Option<Tables>,
) -> io::Result<()> {
    let mut t = Table::stdout_or(w, THEME_CHANGES, reports)?;
    let mut ratio = String::new();
    for d in diffs {
        theme_change_rows(&mut t, model, d, &mut ratio)?;
    }
    t.finish()
}

/// One pair's `theme_changes` rows.
fn theme_change_rows(
    t: &mut Table,
    model: &Model,
    d: &YearDiff,
    ratio: &mut String,
) -> io::Result<()> {
    let ds = &model.ds;
    for c in &d.themes {
        t.int(d.from)?;
        t.int(d.to)?;
        t.text(&ds.delegates[c.delegate as usize].id)?;
        t.text(&ds.themes[c.theme as usize].id)?;
        t.text(c.change.as_str())?;
        t.list(ids(ds, d.proposals(c.from)))?;
        t.list(ids(ds, d.proposals(c.to)))?;
        ratio.clear();
        if let Some(r) = c.similarity {
            use std::fmt::Write as _;
            let _ = write!(ratio, "{:.3}", f64::from(r));
        }
        t.text(ratio)?;
        t.opt_int(c.last_raised)?;
        let low = [c.from, c.to]
            .iter()
            .flat_map(|&s| d.proposals(s))
            .any(|&p| ds.proposals[p as usize].confidence == Some(Confidence::Low));
        t.text(confidence(low))?;
        t.end()?;
    }
    Ok(())
}

/// Proposal ids, for a list cell.
fn ids<'a>(ds: &'a Datasets, proposals: &'a [u32]) -> impl Iterator<Item = &'a str> + 'a {
    proposals
        .iter()
        .map(move |&p| ds.proposals[p as usize].id.as_str())
}

/// `normalization.csv` (also `normalize --format csv`), without a BOM for stdout use.
pub fn normalization(model: &Model) -> Vec<u8> {
    in_memory(|w| write_normalization(w, model, None))
}

fn write_normalization(
    w: &mut dyn Write,
    model: &Model,
    reports: Option<Tables>,
) -> io::Result<()> {
    let mut t = Table::stdout_or(w, NORMALIZATION, reports)?;
    let mut score = String::new();
    for r in &model.audit {
        use std::fmt::Write as _;
        t.text(r.kind.as_str())?;
        t.text(&r.raw)?;
        t.text(&r.key)?;
        t.text(&r.resolved)?;
        t.text(r.rule.as_str())?;
        score.clear();
        let _ = write!(score, "{:.3}", r.score);
        t.text(&score)?;
        t.int(r.count)?;
        t.text(if crate::key::has_traditional(&r.raw) {
            "yes"
        } else {
            ""
        })?;
        t.end()?;
    }
    t.finish()
}

/// One pair's `delegate_changes` rows.
fn delegate_change_rows(t: &mut Table, model: &Model, d: &YearDiff) -> io::Result<()> {
    let ds = &model.ds;
    for c in &d.delegates {
        t.int(d.from)?;
        t.int(d.to)?;
        t.text(&ds.delegates[c.delegate as usize].id)?;
        let first = c.arrival == Some(Arrival::FirstRecord);
        t.text(if first {
            "first-record"
        } else {
            c.state.as_str()
        })?;
        let theme_ids = |s| {
            d.themes_of(s)
                .iter()
                .map(|&x| ds.themes[x as usize].id.as_str())
        };
        t.list(theme_ids(c.themes_from))?;
        t.list(theme_ids(c.themes_to))?;
        t.text(c.membership.map_or("", |s| s.as_str()))?;
        match c.moved {
            Some((a, b)) => t.text(&format!("{}>{}", ds.bodies.name(a), ds.bodies.name(b)))?,
            None => t.text("")?,
        }
        t.end()?;
    }
    Ok(())
}

fn write_theme_history(w: &mut dyn Write, a: &Analysis) -> io::Result<()> {
    let ds = &a.model.ds;
    let mut t = Table::open(w, THEME_HISTORY, a.config.tables)?;
    let mut cell = String::new();
    for h in a.history.themes() {
        let raised = a.history.years(h);
        t.text(&ds.delegates[h.delegate as usize].id)?;
        t.text(&ds.themes[h.theme as usize].id)?;
        let (first, last) = a.history.span(h);
        t.int(first)?;
        t.int(last)?;
        years_cell(&mut cell, raised);
        t.text(&cell)?;
        t.int(h.longest_streak)?;
        t.text(if h.returning { "true" } else { "false" })?;
        t.int(raised.len())?;
        t.end()?;
    }
    t.finish()
}

/// The cells a proposal's rows share.
fn proposal_cells(
    c: &mut impl Cells,
    ds: &Datasets,
    p: &crate::dataset::Proposal,
    d: &crate::dataset::Delegate,
    text: &crate::dataset::ProposalText,
) -> io::Result<()> {
    c.text(&p.id)?;
    c.number(p.year.into())?;
    c.text(&d.id)?;
    c.text(&d.name_en)?;
    c.text(&d.name_zh)?;
    c.text(text.company())?;
    c.text(ds.bodies.name(p.body))?;
    c.text(ds.title(p))?;
    c.text(text.summary())?;
    c.text(text.source())?;
    c.text(crate::dataset::Confidence::cell(p.confidence))
}

/// The cells of one of its themes (empty for a proposal without themes).
fn theme_cells(c: &mut impl Cells, theme: Option<&crate::dataset::Theme>) -> io::Result<()> {
    match theme {
        Some(th) => {
            c.text(&th.id)?;
            c.text(&th.label_en)?;
            c.text(&th.label_zh)?;
            c.text(&th.category)?;
            match th.cap_major {
                Some(n) => c.number(n.into()),
                None => c.text(""),
            }
        }
        None => (0..5).try_for_each(|_| c.text("")),
    }
}

fn write_proposals(w: &mut dyn Write, a: &Analysis) -> io::Result<()> {
    let m = &a.model;
    let ds = &m.ds;
    // One row per theme; one row with empty theme cells when there is none.
    let themes = |i: usize| {
        let tags = &m.tags[i];
        tags.iter()
            .map(|t| Some(&ds.themes[t.theme as usize]))
            .chain(tags.is_empty().then_some(None))
    };
    // The long text comes back from the year files, row by row.
    if a.config.tables != Tables::Csv {
        let mut t = Table::open(w, PROPOSALS, a.config.tables)?;
        crate::summary::for_each_proposal_text(m, &mut |i, text| {
            let (p, d) = (&ds.proposals[i], &ds.delegates[m.delegate_of[i]]);
            for theme in themes(i) {
                proposal_cells(&mut t, ds, p, d, text)?;
                theme_cells(&mut t, theme)?;
                t.text(ds.title_zh(p))?;
                t.end()?;
            }
            Ok(())
        })?;
        return t.finish();
    }
    // CSV: a proposal's shared cells are encoded once and repeated on each
    // of its theme rows (the table is the largest of all, 40% of the bytes).
    Table::new(w, PROPOSALS, true)?.finish()?;
    let mut enc = Encoder::new();
    let mut prefix = Vec::new();
    crate::summary::for_each_proposal_text(m, &mut |i, text| {
        let (p, d) = (&ds.proposals[i], &ds.delegates[m.delegate_of[i]]);
        enc.clear();
        proposal_cells(&mut enc, ds, p, d, text)?;
        let shared_cells = enc.cells();
        // One more empty cell writes the delimiter after the shared ones.
        enc.text("")?;
        {
            let shared = enc.end()?;
            prefix.clear();
            prefix.extend_from_slice(&shared[..shared.len() - 1]);
        }
        for theme in themes(i) {
            enc.clear();
            theme_cells(&mut enc, theme)?;
            enc.text(ds.title_zh(p))?;
            writer::check_width(shared_cells + enc.cells(), PROPOSALS.len())?;
            w.write_all(&prefix)?;
            w.write_all(enc.end()?)?;
        }
        Ok(())
    })?;
    w.flush()
}

fn write_convergence(w: &mut dyn Write, a: &Analysis) -> io::Result<()> {
    let ds = &a.model.ds;
    let mut t = Table::open(w, CONVERGENCE, a.config.tables)?;
    let mut cell = String::new();
    crate::summary::for_each_convergence(&a.model, &a.history, &mut |g| {
        for (d, ys) in g.raised() {
            t.text(g.level)?;
            t.text(&g.group)?;
            t.text(&ds.delegates[d as usize].id)?;
            years_cell(&mut cell, ys);
            t.text(&cell)?;
            t.int(ys[0])?;
            t.end()?;
        }
        Ok(())
    })?;
    t.finish()
}

/// Years as one `;`-separated cell.
fn years_cell(cell: &mut String, years: &[i32]) {
    let mut year = itoa::Buffer::new();
    cell.clear();
    for (i, y) in years.iter().enumerate() {
        if i > 0 {
            cell.push(';');
        }
        cell.push_str(year.format(*y));
    }
}

/// What writes one year pair's rows.
pub type PairWriter<'a> = dyn FnMut(&YearDiff) -> io::Result<()> + 'a;

/// The year-pair tables, `theme_changes.csv` and `delegate_changes.csv`,
/// written side by side during the pipeline's one pass over the pairs:
/// `pass` diffs the pairs and hands each diff to the writer it is given,
/// which writes the pair's rows before the next pair is diffed.
pub fn pair_tables(
    a: &Analysis,
    out: &dyn Sink,
    pass: &mut dyn FnMut(&mut PairWriter) -> io::Result<()>,
) -> anyhow::Result<()> {
    let mut ratio = String::new();
    side_by_side(
        out,
        a.config.tables,
        ("theme_changes", THEME_CHANGES),
        ("delegate_changes", DELEGATE_CHANGES),
        &mut |themes, delegates| {
            pass(&mut |d| {
                theme_change_rows(themes, &a.model, d, &mut ratio)?;
                delegate_change_rows(delegates, &a.model, d)
            })
        },
    )
}

/// Two tables written at once, in one pass over what fills them: `rows`
/// gets both, and each file is complete when it returns.
fn side_by_side(
    out: &dyn Sink,
    format: Tables,
    (first, first_header): (&str, &[&str]),
    (second, second_header): (&str, &[&str]),
    rows: &mut dyn FnMut(&mut Table, &mut Table) -> io::Result<()>,
) -> anyhow::Result<()> {
    let (first, second) = (format.file(first), format.file(second));
    if !out.wants(&first) && !out.wants(&second) {
        return Ok(());
    }
    file_or_discard(out, &first, &mut |w1| {
        let mut t1 = Table::open(w1, first_header, format)?;
        file_or_discard(out, &second, &mut |w2| {
            let mut t2 = Table::open(w2, second_header, format)?;
            rows(&mut t1, &mut t2)?;
            t2.finish()
        })
        .map_err(io::Error::other)?;
        t1.finish()
    })
}

/// A file of the sink, or its bytes discarded when the sink does not keep
/// it (one of two tables written side by side).
fn file_or_discard(
    out: &dyn Sink,
    path: &str,
    body: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
) -> anyhow::Result<()> {
    if out.wants(path) {
        out.file(path, body)
    } else {
        Ok(body(&mut io::sink())?)
    }
}

impl CsvTables {
    /// The other tables but convergence: history, adoption, proposals and
    /// the normalization audit.
    pub fn render_rest(&self, a: &Analysis, out: &dyn Sink) -> anyhow::Result<()> {
        type Write = fn(&mut dyn io::Write, &Analysis) -> io::Result<()>;
        let format = a.config.tables;
        out.file(&format.file("theme_history"), &mut |w| {
            write_theme_history(w, a)
        })?;
        self.render_adoption(a, out)?;
        let tables: [(&str, Write); 3] = [
            ("proposals", write_proposals),
            ("measures", write_measures),
            ("normalization", |w, a| {
                write_normalization(w, &a.model, Some(a.config.tables))
            }),
        ];
        for (stem, write) in tables {
            out.file(&format.file(stem), &mut |w| write(w, a))?;
        }
        Ok(())
    }

    /// The follow-up tables, `adoption.csv` and `adoption_links.csv`,
    /// written side by side as each proposal theme is judged
    /// ([`crate::adoption::AdoptionTables::for_each`]): the verdicts and
    /// links are never all in memory.
    pub fn render_adoption(&self, a: &Analysis, out: &dyn Sink) -> anyhow::Result<()> {
        let dates = measure_dates(&a.model);
        let mut chances = ChanceCells::default();
        side_by_side(
            out,
            a.config.tables,
            ("adoption_links", ADOPTION_LINKS),
            ("adoption", ADOPTION),
            &mut |links, verdicts| {
                crate::summary::for_each_judgement(&a.model, &a.adoption, &mut |j| {
                    verdict_row(verdicts, &a.model, (&dates, &mut chances), j)?;
                    (j.links.iter().zip(j.names_proposer))
                        .try_for_each(|(l, &named)| link_row(links, &a.model, &dates, l, named))
                })
            },
        )
    }

    /// `chance.csv`: the comparison with chance by level (the delegates'
    /// rows judged again as they are written).
    pub fn render_chance(&self, a: &Analysis, out: &dyn Sink) -> anyhow::Result<()> {
        out.file(&a.config.tables.file("chance"), &mut |w| write_chance(w, a))
    }

    /// Convergence across years, each group written as it is built.
    pub fn render_convergence(&self, a: &Analysis, out: &dyn Sink) -> anyhow::Result<()> {
        out.file(&a.config.tables.file("convergence"), &mut |w| {
            write_convergence(w, a)
        })
    }
}
