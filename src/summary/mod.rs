//! What the pages show, decided once: every headline figure, every
//! coverage statement, and every shortened table's choice of rows with the
//! "first N of M, by …" note that goes with it.
//!
//! Pure: tables in, plain values out, tested without rendering. The
//! Markdown renderers only format what this module decides; a renderer
//! that computed a median or picked rows itself is where two medians and
//! silent truncations come from.

mod convergence;
mod coverage;
mod figures;
mod pairs;
mod profiles;
pub mod select;

use std::collections::BTreeMap;

use crate::adoption::{AdoptionTables, Followed};
use crate::dataset::{Body, Confidence};
use crate::diff::history::{History, ThemeHistory};
use crate::diff::{Change, DelegateChange, State, YearDiff};
use crate::normalize::{Groups, Model};
use crate::report::Analysis;
pub use convergence::*;
pub use coverage::*;
pub use figures::*;
pub use pairs::*;
pub use profiles::*;
pub use select::Cut;

/// Everything the pages decide, computed once before rendering.
#[derive(Debug, Clone)]
pub struct Summary {
    pub headline: Headline,
    pub coverage: Coverage,
    pub pairs: Vec<PairCounts>,
    /// Per delegate index, the profile file when the delegate has one;
    /// and which delegates have one.
    pub profiles: (Vec<Option<String>>, Cut),
    /// What history.md shows of convergence across years.
    pub convergence: ConvergenceSummary,
}

impl Summary {
    pub fn new(a: &Analysis, pairs: &[PairPage]) -> Summary {
        Summary {
            headline: headline(&a.model, &a.adoption),
            coverage: coverage(&a.model),
            pairs: pairs.iter().map(|p| p.counts.clone()).collect(),
            profiles: profiles(&a.model),
            convergence: convergence_summary(
                &a.model,
                &a.history,
                select::DETAIL_LIMIT,
                select::NAMES_PER_CELL,
            ),
        }
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
