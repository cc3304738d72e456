//! What the pages show, decided once: every headline figure, every
//! coverage statement, and every shortened table's choice of rows with the
//! "first N of M, by …" note that goes with it.
//!
//! Pure: tables in, plain values out, tested without rendering. The
//! Markdown renderers only format what this module decides; a renderer
//! that computed a median or picked rows itself is where two medians and
//! silent truncations come from.

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
pub use crate::diff::{arrival, first_record, moved, Arrival};
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
    /// Per delegate index, the profile file when the delegate has one;
    /// and which delegates have one.
    pub profiles: (Vec<Option<String>>, Cut),
    /// Each profile page, in the order of the index's list.
    pub profile_pages: Vec<ProfilePage>,
    /// The theme-by-year matrices history.md shows, and which.
    pub history_matrices: (Vec<DelegateMatrix>, Cut),
    /// What history.md shows of convergence across years.
    pub convergence: ConvergenceSummary,
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
        let profiles = profiles(m);
        let mut text = crate::dataset::TextReader::lookup(&m.ds);
        let profile_pages = (profiles.1.shown.iter())
            .filter_map(|&d| Some((d, profiles.0[d].clone()?)))
            .map(|(d, file)| profile_page(m, h, &a.adoption, d, file, &mut text))
            .collect::<std::io::Result<_>>()?;
        Ok(Summary {
            headline: headline(m, &a.adoption),
            coverage: coverage(m),
            pairs: pairs.iter().map(|p| p.counts.clone()).collect(),
            profiles,
            profile_pages,
            history_matrices: history_matrices(m, h),
            convergence: convergence_summary(m, h, select::DETAIL_LIMIT, select::NAMES_PER_CELL),
            follow_up: follow_up_page(m, &a.adoption),
            heatmap: heatmap(m, h),
            timeline: timeline(m, &a.adoption),
        })
    }
}

/// A share as a whole percentage, rounded half away from zero (12.5% is
/// 13%, as 37.5% is 38%), so that every page rounds alike.
pub fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "—".into();
    }
    // floor(100 × part / whole + ½) in integers: exact halves round up.
    let (part, whole) = (part as u128, whole as u128);
    format!("{}%", (200 * part + whole) / (2 * whole))
}

/// A share of a fractional count, as a whole percent ("—" of nothing).
pub fn percent_f(part: f64, whole: usize) -> String {
    if whole == 0 {
        return "—".into();
    }
    format!("{:.0}%", 100.0 * part / whole as f64)
}

/// A number of days with at most one decimal, rounded half away from zero
/// ("6.5 days", "55 days").
pub fn days(x: f64) -> String {
    let tenths = (x * 10.0).round();
    if tenths % 10.0 == 0.0 {
        format!("{}", (tenths / 10.0) as i64)
    } else {
        format!("{:.1}", tenths / 10.0)
    }
}

#[cfg(test)]
mod tests;
