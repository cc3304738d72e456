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
use crate::summary::PairPage;

/// Loads, validates and normalizes the datasets: the start of every command.
/// Warnings are printed to stderr unless quiet; problems fail the run.
pub fn prepare(config: &Config) -> Result<Model, Failure> {
    let mut diags = Diagnostics::default();
    let ds = crate::dataset::load(&config.datasets, &mut diags);
    crate::trace::stage("load");
    let model = if diags.has_errors() {
        None
    } else {
        let refs = crate::normalize::resolve_delegates(&ds, &mut diags);
        crate::trace::stage("resolve delegates");
        crate::dataset::validate::validate(&ds, &refs.of_membership, &mut diags);
        crate::trace::stage("validate");
        (!diags.has_errors())
            .then(|| crate::normalize::normalize(ds, refs, config.normalize, &mut diags))
    };
    crate::trace::stage("normalize");
    if let Some(m) = &model {
        for u in &m.unmapped {
            diags.warn(&u.first.0, u.first.1, "themes", unmapped_message(u));
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
        "unmapped theme `{}` ({} use{}); closest: {}",
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
/// computed once, before rendering; the year pairs are diffed during
/// rendering, one at a time, as their tables are written
/// ([`Analysis::stream_pairs`]).
pub struct Analysis {
    pub model: Model,
    pub history: History,
    pub adoption: AdoptionTables,
    pub config: Config,
    /// The facts the year pairs are diffed from.
    facts: diff::Facts,
    /// What the pages need of each year pair, kept once it is diffed.
    pairs: std::sync::OnceLock<Vec<PairPage>>,
    /// What history.md shows of convergence across years, computed once
    /// on first use.
    convergence: std::sync::OnceLock<crate::summary::ConvergenceSummary>,
}

impl Analysis {
    /// The themes and categories raised by two or more delegates over all
    /// years that history.md lists ([`crate::summary::convergence_summary`]).
    pub fn convergence(&self) -> &crate::summary::ConvergenceSummary {
        use crate::summary::select::{DETAIL_LIMIT, NAMES_PER_CELL};
        self.convergence.get_or_init(|| {
            crate::summary::convergence_summary(
                &self.model,
                &self.history,
                DETAIL_LIMIT,
                NAMES_PER_CELL,
            )
        })
    }

    /// Diffs each consecutive pair of dataset years in turn, hands each
    /// whole diff to `each` as it is computed (the pair tables write its
    /// rows there), and keeps only what the pages need ([`PairPage`]).
    /// At scale one pair's diff is millions of rows: only one is held at
    /// a time.
    pub fn stream_pairs(
        &self,
        each: &mut dyn FnMut(&YearDiff) -> std::io::Result<()>,
    ) -> anyhow::Result<&[PairPage]> {
        let mut pages = Vec::with_capacity(self.model.years.len().saturating_sub(1));
        for w in self.model.years.windows(2) {
            let d = diff::diff_years(&self.model, &self.facts, &self.history, w[0], w[1]);
            each(&d)?;
            pages.push(PairPage::new(&self.model, d));
        }
        crate::trace::stage("diff");
        // Computed twice only when asked twice at once; either is the same.
        let _ = self.pairs.set(pages);
        Ok(self.pairs.get().expect("set just above"))
    }

    /// What the pages need of each consecutive year pair: from the tables'
    /// pass when it ran, otherwise diffed now.
    pub fn pairs(&self) -> anyhow::Result<&[PairPage]> {
        match self.pairs.get() {
            Some(pages) => Ok(pages),
            None => self.stream_pairs(&mut |_| Ok(())),
        }
    }
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
        pairs: Default::default(),
        convergence: Default::default(),
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
