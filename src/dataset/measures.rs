//! `adoptions.csv`: the measures that may follow proposals, with what a
//! reader needs to weigh each one.
//!
//! Since 0.3 a measure says how far it went (`stage`: final or draft;
//! `extent`: full or partial), how it was found (`found_by`: by searching
//! its theme over a period, or by following a proposal), when it took
//! effect (`in_force`, beside `date`, its first binding act), and whom it
//! names (`names`). The 0.1–0.2 `status` column is still read, as stage and
//! extent, with a warning that names the file.

use std::path::Path;

use super::read::{read_table, Input, Row, TableSpec};
use super::{parse_confidence, split_list, Confidence, PartialDate};
use crate::error::Diagnostics;

pub const ADOPTION_COLUMNS: TableSpec = TableSpec {
    required: &["id", "theme", "measure", "issuer", "date", "kind", "source"],
    may_be_empty: &["issuer"],
    optional: &[
        "status",
        "stage",
        "extent",
        "in_force",
        "found_by",
        "names",
        "proposals",
        "timing",
        "scope",
        "confidence",
        "note",
    ],
};

/// The kind of a measure, which sets the strength of the evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Law,
    Regulation,
    Standard,
    Pilot,
    LocalRule,
    Plan,
    Reply,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Law,
        Kind::Regulation,
        Kind::Standard,
        Kind::Pilot,
        Kind::LocalRule,
        Kind::Plan,
        Kind::Reply,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Kind::Law => "law",
            Kind::Regulation => "regulation",
            Kind::Standard => "standard",
            Kind::Pilot => "pilot",
            Kind::LocalRule => "local-rule",
            Kind::Plan => "plan",
            Kind::Reply => "reply",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        let s = s.trim().to_ascii_lowercase().replace('_', "-");
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Evidence strength: law 5; regulation and standard 4; pilot and
    /// local rule 3; plan 2; reply 1.
    pub fn strength(&self) -> u8 {
        match self {
            Kind::Law => 5,
            Kind::Regulation | Kind::Standard => 4,
            Kind::Pilot | Kind::LocalRule => 3,
            Kind::Plan => 2,
            Kind::Reply => 1,
        }
    }
}

/// How far a measure went: a final act, or a draft (open for comment, a
/// first reading). A draft never makes a theme followed by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Stage {
    #[default]
    Final,
    Draft,
}

impl Stage {
    pub fn as_str(&self) -> &'static str {
        match self {
            Stage::Final => "final",
            Stage::Draft => "draft",
        }
    }
}

/// How much of what was asked on its theme a measure does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Extent {
    #[default]
    Full,
    Partial,
}

impl Extent {
    pub fn as_str(&self) -> &'static str {
        match self {
            Extent::Full => "full",
            Extent::Partial => "partial",
        }
    }
}

/// How a measure came into the data. Only measures found by searching
/// their theme enter the comparison with chance: those found by following
/// proposals come after them by construction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum FoundBy {
    ThemeSearch,
    #[default]
    ProposalSearch,
}

impl FoundBy {
    pub fn as_str(&self) -> &'static str {
        match self {
            FoundBy::ThemeSearch => "theme-search",
            FoundBy::ProposalSearch => "proposal-search",
        }
    }
}

/// How a measure stands in time to a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Timing {
    /// Certainly before the concurrency window.
    Preceded,
    /// May fall within the window, either side of the proposal.
    Concurrent,
    /// Its process began before the proposal and was completed later: only
    /// from the source's own judgement (`timing=under-way`). No lag, and it
    /// never makes a theme followed.
    UnderWay,
    /// Certainly after the window.
    Later,
}

impl Timing {
    pub const ALL: [Timing; 4] = [
        Timing::Later,
        Timing::Concurrent,
        Timing::UnderWay,
        Timing::Preceded,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Timing::Preceded => "preceded",
            Timing::Concurrent => "concurrent",
            Timing::UnderWay => "under-way",
            Timing::Later => "later",
        }
    }

    pub fn parse(s: &str) -> Option<Timing> {
        let s = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        Timing::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// Whether a measure is national, provincial or local.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Scope {
    #[default]
    National,
    Provincial,
    Local,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::National, Scope::Provincial, Scope::Local];

    pub fn as_str(&self) -> &'static str {
        match self {
            Scope::National => "national",
            Scope::Provincial => "provincial",
            Scope::Local => "local",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        let s = s.trim().to_ascii_lowercase();
        Scope::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A later measure on a theme: the follow-up evidence.
#[derive(Debug, Clone)]
pub struct Adoption {
    pub id: String,
    pub theme: String,
    pub measure: String,
    pub issuer: String,
    /// The first binding public act (passed, issued or signed); lags are
    /// measured to it.
    pub date: PartialDate,
    /// When it takes effect, where known.
    pub in_force: Option<PartialDate>,
    pub kind: Kind,
    pub stage: Stage,
    pub extent: Extent,
    pub found_by: FoundBy,
    /// Companies or delegate ids the measure names or directly benefits.
    pub names: Vec<String>,
    /// Proposal ids the measure answers explicitly.
    pub proposals: Vec<String>,
    /// The source's own word on timing, when it overrides the dates (for
    /// example a project completed later but begun before the proposals).
    /// With `proposals` given, it applies to those proposals only.
    pub timing: Option<Timing>,
    pub scope: Scope,
    pub confidence: Option<Confidence>,
    pub source: String,
    pub note: String,
    pub line: u64,
}

impl Adoption {
    /// A final act of full extent: what makes a theme followed `yes`.
    pub fn is_full(&self) -> bool {
        self.stage == Stage::Final && self.extent == Extent::Full
    }

    /// The 0.1–0.2 status this stage and extent read as: `adopted` for a
    /// final act of full extent, `partial` otherwise.
    pub fn status(&self) -> &'static str {
        if self.is_full() {
            "adopted"
        } else {
            "partial"
        }
    }
}

/// An optional cell from a closed list: `Some(default)` when empty, `None`
/// (with the problem recorded) when not one of `allowed`.
fn choice<T: Copy>(
    row: &Row,
    d: &mut Diagnostics,
    column: &str,
    allowed: &[(&str, T)],
    default: T,
) -> Option<T> {
    let cell = row.get(column);
    if cell.is_empty() {
        return Some(default);
    }
    let key = cell.to_ascii_lowercase().replace(['_', ' '], "-");
    if let Some(&(_, v)) = allowed.iter().find(|(name, _)| *name == key) {
        return Some(v);
    }
    let names: Vec<&str> = allowed.iter().map(|(n, _)| *n).collect();
    d.error(
        row.path,
        row.line,
        column,
        format!(
            "unknown {column} `{cell}`: expected {}, or empty",
            names.join(" or ")
        ),
    );
    None
}

/// Reads `adoptions.csv`.
pub fn load(file: &Path, path: Input, diags: &mut Diagnostics) -> Vec<Adoption> {
    let shown = path.shown.clone();
    // The first row that gives a 0.1–0.2 `status`, for one warning per file.
    let mut status_line = None;
    let rows = read_table(file, path, &ADOPTION_COLUMNS, diags, |row, d| {
        let date = PartialDate::parse(row.get("date"))
            .map_err(|m| d.error(row.path, row.line, "date", m))
            .ok();
        let in_force = match row.get("in_force") {
            "" => Some(None),
            s => PartialDate::parse(s)
                .map(Some)
                .map_err(|m| d.error(row.path, row.line, "in_force", m))
                .ok(),
        };
        let kind = Kind::parse(row.get("kind"));
        if kind.is_none() {
            d.error(
                row.path,
                row.line,
                "kind",
                format!(
                    "unknown kind `{}`: expected one of law, regulation, standard, pilot, local-rule, plan, reply",
                    row.get("kind")
                ),
            );
        }
        // `status` (0.1–0.2): adopted is final and full, partial is final
        // and partial. `stage` and `extent`, where given, decide.
        let status = choice(
            row,
            d,
            "status",
            &[
                ("adopted", Some(Extent::Full)),
                ("partial", Some(Extent::Partial)),
            ],
            None,
        );
        if matches!(status, Some(Some(_))) && status_line.is_none() {
            status_line = Some(row.line);
        }
        let stage = choice(
            row,
            d,
            "stage",
            &[("final", Stage::Final), ("draft", Stage::Draft)],
            Stage::Final,
        );
        let extent = match row.get("extent") {
            "" => status.map(|s| s.unwrap_or_default()),
            _ => choice(
                row,
                d,
                "extent",
                &[("full", Extent::Full), ("partial", Extent::Partial)],
                Extent::Full,
            ),
        };
        let found_by = choice(
            row,
            d,
            "found_by",
            &[
                ("theme-search", FoundBy::ThemeSearch),
                ("proposal-search", FoundBy::ProposalSearch),
            ],
            FoundBy::ProposalSearch,
        );
        let timing = match row.get("timing") {
            "" => Some(None),
            t => match Timing::parse(t) {
                Some(t) => Some(Some(t)),
                None => {
                    d.error(
                        row.path,
                        row.line,
                        "timing",
                        format!("unknown timing `{t}`: expected later, concurrent, under-way or preceded, or empty"),
                    );
                    None
                }
            },
        };
        let scope = match row.get("scope") {
            "" => Some(Scope::National),
            s => Scope::parse(s).or_else(|| {
                d.error(
                    row.path,
                    row.line,
                    "scope",
                    format!("unknown scope `{s}`: expected national, provincial or local, or empty"),
                );
                None
            }),
        };
        let confidence = parse_confidence(row, d);
        Some(Adoption {
            id: row.get("id").to_string(),
            theme: row.get("theme").to_string(),
            measure: row.get("measure").to_string(),
            issuer: row.get("issuer").to_string(),
            date: date?,
            in_force: in_force?,
            kind: kind?,
            stage: stage?,
            extent: extent?,
            found_by: found_by?,
            names: split_list(row.get("names")),
            proposals: split_list(row.get("proposals")),
            timing: timing?,
            scope: scope?,
            confidence: confidence?,
            source: row.get("source").to_string(),
            note: row.get("note").to_string(),
            line: row.line,
        })
    })
    .unwrap_or_default();
    if let Some(line) = status_line {
        diags.warn(
            &shown,
            line,
            "status",
            "`status` is the 0.2 column: read as `stage=final` with `extent` full (adopted) or partial; write `stage` and `extent` instead",
        );
    }
    rows
}
