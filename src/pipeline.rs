//! The one wiring of the stages, called by every command:
//! load → resolve delegates → validate → normalize ([`prepare`]), then the
//! diffs, the history and follow-up ([`analyse`]). Commands only parse
//! options, call these, and print.

use std::io::Write;

use crate::adoption::{self, AdoptionTables};
use crate::config::Config;
use crate::diff::history::{self, History};
use crate::diff::{self, YearDiff};
use crate::error::{Diagnostics, Failure};
use crate::normalize::Model;
use crate::report::{self, Renderer, Sink};
use crate::summary::{PairPage, Summary};

/// Loads, validates and normalizes the datasets: the start of every command.
/// Warnings are printed to stderr unless quiet; problems fail the run.
pub fn prepare(config: &Config) -> Result<Model, Failure> {
    let mut diags = Diagnostics::default();
    let ds = crate::dataset::load(&config.datasets, &mut diags);
    crate::trace::stage("load");
    // Every check runs on what could be read, so one run lists every
    // problem: a bad session row never hides an unknown delegate. Only
    // normalization needs clean data; without it, the unmapped phrases are
    // still found and listed.
    // A file that could not be read as a table at all (a problem on its
    // header or the file itself, line 1) would make every cross-file check
    // cry wolf: those wait until it is fixed.
    let whole_file = diags.errors.iter().any(|p| p.line <= 1);
    let model = if whole_file {
        None
    } else {
        let refs = crate::normalize::resolve_delegates(&ds, &mut diags);
        crate::trace::stage("resolve delegates");
        crate::dataset::validate::validate(&ds, &refs.of_membership, &mut diags);
        crate::trace::stage("validate");
        if diags.has_errors() {
            for u in crate::normalize::unmapped_phrases(&ds, config.normalize) {
                diags.warn(&u.first.0, u.first.1, "themes", unmapped_message(&u));
            }
            None
        } else {
            Some(crate::normalize::normalize(
                ds,
                refs,
                config.normalize,
                &mut diags,
            ))
        }
    };
    crate::trace::stage("normalize");
    if let Some(m) = &model {
        // Past a gate's limit the gate lists them as problems instead.
        if config
            .max_unmapped
            .is_none_or(|max| m.unmapped.len() <= max)
        {
            for u in &m.unmapped {
                diags.warn(&u.first.0, u.first.1, "themes", unmapped_message(u));
            }
        }
        if config.adoption.as_of.is_none() {
            warn_far_as_of(m, &mut diags);
        }
    }
    print_warnings(config, &diags);
    diags.into_result()?;
    Ok(model.expect("no errors means a model"))
}

/// The default as-of date comes from the data: one mistyped date moves it
/// for every verdict. A warning names the row that sets it when it lies more
/// than a year after the last session's opening.
fn warn_far_as_of(model: &Model, diags: &mut Diagnostics) {
    let (as_of, Some((file, line))) = adoption::default_as_of(model) else {
        return;
    };
    let Some(last) = model.ds.sessions.iter().map(|s| s.opened).max() else {
        return;
    };
    if as_of > last + chrono::Duration::days(365) {
        diags.warn(
            &crate::dataset::display_path(&model.ds.root, &file),
            line,
            "date",
            format!(
                "{as_of} sets the default as-of date and lies more than a year after the last session's opening ({last}): check it, or give --as-of"
            ),
        );
    }
}

/// The warning for an unmapped phrase, with its suggestions.
pub fn unmapped_message(u: &crate::normalize::Unmapped) -> String {
    let near: Vec<String> = u
        .suggestions
        .iter()
        .map(|(id, s)| format!("{id} ({s:.2})"))
        .collect();
    format!(
        "unmapped theme `{}` ({} use{}); closest themes: {}. Add it to `aliases` of the theme it means in themes.csv, or add a theme row if it is a theme of its own",
        u.raw,
        u.count,
        if u.count == 1 { "" } else { "s" },
        if near.is_empty() {
            "none".to_string()
        } else {
            near.join(", ")
        }
    )
}

fn print_warnings(config: &Config, diags: &Diagnostics) {
    if config.quiet {
        return;
    }
    let mut warnings = diags.warnings.clone();
    warnings.sort();
    warnings.dedup();
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for w in &warnings {
        let _ = writeln!(err, "warning: {w}");
    }
}

/// Everything the reports show. The history and the follow-up tables are
/// computed once, before rendering; the year pairs are diffed once, during
/// rendering, by [`render_into`]: each pair's diff goes to the pair tables
/// as it is computed and only what the pages show is kept.
pub struct Analysis {
    pub model: Model,
    pub history: History,
    pub adoption: AdoptionTables,
    pub config: Config,
    /// The facts the year pairs are diffed from.
    facts: diff::Facts,
}

impl Analysis {
    /// Diffs each consecutive pair of dataset years in turn, hands each
    /// whole diff to `each` as it is computed (the pair tables write its
    /// rows there), and keeps only what the pages need ([`PairPage`]).
    /// At scale one pair's diff is millions of rows: only one is held at
    /// a time.
    pub fn diff_pairs(
        &self,
        each: &mut dyn FnMut(&YearDiff) -> std::io::Result<()>,
    ) -> std::io::Result<Vec<PairPage>> {
        self.pass_pairs(each, true)
    }

    /// [`Self::diff_pairs`], keeping the pages' values only when `pages`.
    fn pass_pairs(
        &self,
        each: &mut dyn FnMut(&YearDiff) -> std::io::Result<()>,
        pages: bool,
    ) -> std::io::Result<Vec<PairPage>> {
        let mut kept = Vec::with_capacity(self.model.years.len().saturating_sub(1));
        for w in self.model.years.windows(2) {
            let d = diff::diff_years(&self.model, &self.facts, &self.history, w[0], w[1]);
            each(&d)?;
            if pages {
                kept.push(PairPage::new(&self.model, &self.adoption, d)?);
            }
        }
        crate::trace::stage("diff");
        Ok(kept)
    }
}

/// Renders the whole report tree into a sink, on two threads. On one, the
/// year pairs are diffed once, each diff handed to the pair tables as it
/// is computed; then what the pages show is decided ([`Summary`]) and the
/// Markdown, the charts, the convergence and chance tables and the manifest
/// are written. On the other, the history, follow-up, proposal, measure
/// and audit tables (about as much work at scale). Renderers only
/// format what they are handed.
pub fn render_into(analysis: &Analysis, sink: &dyn Sink) -> anyhow::Result<()> {
    std::thread::scope(|scope| {
        let rest = scope.spawn(|| {
            let result = report::csv::CsvTables.render_rest(analysis, sink);
            crate::trace::stage("render: history, adoption, proposals, audit");
            result
        });
        let result = (|| {
            let mut pairs = Vec::new();
            report::csv::pair_tables(analysis, sink, &mut |write| {
                pairs = analysis.diff_pairs(write)?;
                Ok(())
            })?;
            let summary = Summary::new(analysis, &pairs)?;
            report::markdown::render(analysis, &pairs, &summary, sink)?;
            report::charts::Charts.render(analysis, &summary, sink)?;
            report::csv::CsvTables.render_convergence(analysis, sink)?;
            // The second thread has the longer tables: this one ends sooner.
            report::csv::CsvTables.render_chance(analysis, sink)?;
            report::manifest::Manifest.render(analysis, sink)
        })();
        crate::trace::stage("render: pair tables, Markdown, charts, convergence, manifest");
        let rest = rest.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        result.and(rest)
    })
}

/// Renders only some tables (`report --only`, by file name: `proposals.csv`)
/// and the manifest: no pages, no charts, and no work for the tables not
/// asked for (the year pairs are not even diffed unless a pair table is).
pub fn render_only(
    analysis: &Analysis,
    sink: &dyn Sink,
    files: std::collections::BTreeSet<String>,
) -> anyhow::Result<()> {
    let mut keep = files;
    keep.insert(report::manifest::FILE.to_string());
    let only = report::Only { inner: sink, keep };
    report::csv::pair_tables(analysis, &only, &mut |write| {
        analysis.pass_pairs(write, false).map(|_| ())
    })?;
    report::csv::CsvTables.render_rest(analysis, &only)?;
    report::csv::CsvTables.render_convergence(analysis, &only)?;
    report::csv::CsvTables.render_chance(analysis, &only)?;
    report::manifest::Manifest.render(analysis, &only)
}

/// Renders the whole tree in memory.
pub fn render_all(analysis: &Analysis) -> anyhow::Result<report::Bundle> {
    let sink = report::MemorySink::default();
    render_into(analysis, &sink)?;
    Ok(sink.into_bundle())
}

/// Runs every stage after normalization but the pair diffs, which run as
/// their tables are written.
pub fn analyse(model: Model, config: &Config) -> Analysis {
    // Follow-up on another thread from the start (it needs no facts); the
    // facts and the history on this one.
    let (analysed, adoption) = std::thread::scope(|scope| {
        let adoption = scope.spawn(|| {
            let adoption = adoption::compute(&model, config.adoption);
            crate::trace::stage("adoption");
            adoption
        });
        let analysed = history::build(&model);
        crate::trace::stage("history");
        (analysed, adoption.join())
    });
    // A panic on the other thread is a bug: re-raised, as everywhere.
    let adoption = adoption.unwrap_or_else(|e| std::panic::resume_unwind(e));
    let (facts, history) = analysed;
    Analysis {
        model,
        history,
        adoption,
        config: config.clone(),
        facts,
    }
}

/// The whole pipeline: [`prepare`], then [`analyse`].
pub fn run(config: &Config) -> Result<Analysis, Failure> {
    Ok(analyse(prepare(config)?, config))
}

/// One pair of years (any two dataset years, not only consecutive ones),
/// with the follow-up tables its pages need.
pub fn pair(model: &Model, config: &Config, from: i32, to: i32) -> (YearDiff, AdoptionTables) {
    let (facts, history) = history::build(model);
    let pair = diff::diff_years(model, &facts, &history, from, to);
    (pair, adoption::compute(model, config.adoption))
}
