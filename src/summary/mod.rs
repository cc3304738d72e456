//! What the reports show, decided once: every headline figure, every
//! coverage statement, every shortened table's choice of rows with the
//! "first N of M, by …" note that goes with it, and the finished values
//! each page and chart prints (verdicts with their links, wording diffs,
//! matrix cells, chart lanes, the proposal texts read back from the year
//! files). The long tables' rows are streamed from here too ([`for_each_judgement`] and the like).
//!
//! Tables in, plain values out, tested without rendering. The renderers
//! in [`crate::report`] only format what this module decides: a renderer
//! that computed a median or picked rows itself is where two medians and
//! silent truncations come from. How a number is written (percentages,
//! days) and what a file is called belong to the formatters.

mod charts;
mod convergence;
mod coverage;
mod figures;
mod follow_up;
mod pairs;
mod profiles;
mod rows;
pub mod select;
mod verdicts;

use std::collections::BTreeMap;

use crate::adoption::{AdoptionTables, Followed};
use crate::dataset::{Body, Confidence, Standing};
use crate::diff::history::{History, ThemeHistory};
pub use crate::diff::{moved, Arrival};
use crate::diff::{Change, DelegateChange, State, ThemeChange, YearDiff};
use crate::normalize::{Groups, Model};
use crate::pipeline::Analysis;
pub use charts::*;
pub use convergence::*;
pub use coverage::*;
pub use figures::*;
pub use follow_up::*;
pub use pairs::*;
pub use profiles::*;
pub use rows::*;
pub use select::Cut;
pub use verdicts::*;

/// Everything the pages decide, computed once before rendering.
#[derive(Debug, Clone)]
pub struct Summary {
    pub headline: Headline,
    pub coverage: Coverage,
    pub pairs: Vec<PairCounts>,
    /// Which delegates have a profile page.
    pub profiles: Cut,
    /// Each profile page, in the order of the index's list.
    pub profile_pages: Vec<ProfilePage>,
    /// The theme-by-year matrices history.md shows, and which.
    pub history_matrices: (Vec<DelegateMatrix>, Cut),
    /// What history.md shows of convergence across years.
    pub convergence: ConvergenceSummary,
    /// The rest of history.md.
    pub history: HistoryPage,
    /// What adoption.md shows.
    pub follow_up: FollowUpPage,
    /// The charts' rows.
    pub heatmap: Heatmap,
    pub timeline: Timeline,
}

impl Summary {
    /// Decides every page; the profiles' sources are read back from the
    /// year files, which can fail.
    pub fn new(a: &Analysis, pairs: &[PairPage]) -> std::io::Result<Summary> {
        let (m, h) = (&a.model, &a.history);
        // Each part marked, so a trace shows which one takes the time.
        fn marked<T>(name: &str, part: T) -> T {
            crate::trace::stage(name);
            part
        }
        let profiles = profiles(m);
        let mut text = crate::dataset::TextReader::lookup(&m.ds);
        let convergence = marked(
            "summary: convergence",
            convergence_summary(m, h, select::DETAIL_LIMIT, select::NAMES_PER_CELL),
        );
        let profile_pages = (profiles.shown.iter())
            .map(|&d| profile_page(m, h, &a.adoption, d, &mut text))
            .collect::<std::io::Result<_>>()?;
        let profile_pages = marked("summary: profiles", profile_pages);
        let headline = marked("summary: headline", headline(m, &a.adoption));
        let coverage = marked("summary: coverage", coverage(m));
        let history_matrices = history_matrices(m, h);
        let history = marked("summary: history", history_page(m, h, &convergence));
        let follow_up = marked("summary: follow-up", follow_up_page(m, &a.adoption));
        let heatmap = marked("summary: heatmap", heatmap(m, h));
        let timeline = marked("summary: timeline", timeline(m, &a.adoption));
        Ok(Summary {
            headline,
            coverage,
            pairs: pairs.iter().map(|p| p.counts.clone()).collect(),
            profiles,
            profile_pages,
            history_matrices,
            history,
            convergence,
            follow_up,
            heatmap,
            timeline,
        })
    }
}

#[cfg(test)]
mod tests;
