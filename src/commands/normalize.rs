//! `normalize`: the audit of how every raw phrase resolved.

use std::fmt::Write as _;

use serde::Serialize;

use crate::cli::TableFormat;
use crate::config::Config;
use crate::error::{exit, Failure, Problem};
use crate::normalize::{AuditKind, Model};

pub fn run(config: &Config, format: TableFormat, max_unmapped: usize) -> Result<u8, Failure> {
    let model = crate::pipeline::prepare(config)?;
    let out = match format {
        TableFormat::Table => table(&model),
        TableFormat::Csv => String::from_utf8(crate::report::csv::normalization(&model))
            .expect("csv output is UTF-8"),
        TableFormat::Json => json(&model),
    };
    crate::write_stdout(out.as_bytes())?;
    too_many_unmapped(&model, max_unmapped)?;
    Ok(exit::OK)
}

/// Fails when more theme phrases stay unmapped than allowed.
/// The one rule for unmapped theme phrases, for `validate`, `normalize`
/// and `check`: each phrase is listed once, with its closest themes and
/// both fixes; more than `max_unmapped` of them make the run fail, each
/// phrase a problem, with one more that says why. Within the limit (and
/// for `report`) each is a warning ([`crate::pipeline::prepare`]).
pub fn too_many_unmapped(model: &Model, max_unmapped: usize) -> Result<(), Failure> {
    let n = model.unmapped.len();
    if n <= max_unmapped {
        return Ok(());
    }
    let (phrases, are) = if n == 1 {
        ("theme phrase", "is")
    } else {
        ("theme phrases", "are")
    };
    let mut problems: Vec<Problem> = (model.unmapped.iter())
        .map(|u| {
            Problem::new(
                &u.first.0,
                u.first.1,
                "themes",
                crate::pipeline::unmapped_message(u),
            )
        })
        .collect();
    problems.push(Problem::new(
        crate::dataset::display_path(&model.ds.root, "themes.csv"),
        1,
        "file",
        format!(
            "{n} {phrases} {are} unmapped, more than --max-unmapped {max_unmapped}: \
             add each to the `aliases` of the theme it means, or add a theme row for it"
        ),
    ));
    Err(Failure::Invalid(problems))
}

fn table(model: &Model) -> String {
    let mut s = String::new();
    let rows: Vec<[String; 7]> = model
        .audit
        .iter()
        .map(|r| {
            [
                r.kind.as_str().to_string(),
                r.raw.to_string(),
                if r.resolved.is_empty() {
                    "—".into()
                } else {
                    r.resolved.to_string()
                },
                r.rule.as_str().to_string(),
                format!("{:.2}", r.score),
                r.count.to_string(),
                if crate::key::has_traditional(&r.raw) {
                    "yes"
                } else {
                    ""
                }
                .to_string(),
            ]
        })
        .collect();
    let header = [
        "kind",
        "raw",
        "resolved",
        "rule",
        "score",
        "count",
        "traditional",
    ];
    let mut widths: Vec<usize> = header.iter().map(|h| display_width(h)).collect();
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(display_width(c));
        }
    }
    let line = |cells: &[&str], s: &mut String| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - display_width(c))))
            .collect();
        let _ = writeln!(s, "{}", padded.join("  ").trim_end());
    };
    line(&header, &mut s);
    for r in &rows {
        line(&r.iter().map(String::as_str).collect::<Vec<_>>(), &mut s);
    }
    let themes = model
        .audit
        .iter()
        .filter(|r| r.kind == AuditKind::Theme)
        .count();
    let _ = writeln!(
        s,
        "\n{} of {themes} theme phrases resolved; {} unmapped",
        themes - model.unmapped.len(),
        model.unmapped.len()
    );
    for u in &model.unmapped {
        let _ = writeln!(
            s,
            "  {}:{}: {}",
            u.first.0,
            u.first.1,
            crate::pipeline::unmapped_message(u)
        );
    }
    s
}

/// Terminal columns: CJK and full-width characters take two.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x20000..=0x3FFFD => 2,
            _ => 1,
        })
        .sum()
}

/// `normalize --format json`: the whole audit and the unmapped phrases.
#[derive(Serialize)]
struct AuditJson<'a> {
    /// One record per distinct raw theme phrase and delegate name.
    audit: Vec<AuditRecord<'a>>,
    /// Theme phrases no rule resolved, with their closest themes.
    unmapped: Vec<UnmappedRecord<'a>>,
}

#[derive(Serialize)]
struct AuditRecord<'a> {
    /// `theme` or `delegate`.
    kind: &'a str,
    /// The phrase or name as written in the datasets.
    raw: &'a str,
    /// Its comparison key (NFKC, case folded, traditional folded to simplified).
    key: &'a str,
    /// The theme or delegate id it resolved to; `null` when unmapped.
    resolved: Option<&'a str>,
    /// The rule that fired: `id`, `alias`, `fingerprint`, `fuzzy`, `text` or `unmapped`.
    rule: &'a str,
    /// The rule's score, 0 to 1, rounded to two decimals.
    score: f64,
    /// How many rows use it.
    count: usize,
    /// Whether the raw text held traditional Chinese characters.
    traditional: bool,
}

#[derive(Serialize)]
struct UnmappedRecord<'a> {
    /// The phrase as written.
    raw: &'a str,
    /// Its comparison key.
    key: &'a str,
    /// How many rows use it.
    count: usize,
    /// Where it first occurs, as `path:line`.
    first: String,
    /// The closest themes, best first.
    suggestions: Vec<Suggestion<'a>>,
}

#[derive(Serialize)]
struct Suggestion<'a> {
    /// A theme id.
    theme: &'a str,
    /// Similarity, 0 to 1, rounded to two decimals.
    score: f64,
}

fn json(model: &Model) -> String {
    let doc = AuditJson {
        audit: model
            .audit
            .iter()
            .map(|r| AuditRecord {
                kind: r.kind.as_str(),
                raw: &r.raw,
                key: &r.key,
                resolved: (!r.resolved.is_empty()).then_some(r.resolved.as_str()),
                rule: r.rule.as_str(),
                score: round2(r.score),
                count: r.count,
                traditional: crate::key::has_traditional(&r.raw),
            })
            .collect(),
        unmapped: model
            .unmapped
            .iter()
            .map(|u| UnmappedRecord {
                raw: &u.raw,
                key: &u.key,
                count: u.count,
                first: format!("{}:{}", u.first.0, u.first.1),
                suggestions: u
                    .suggestions
                    .iter()
                    .map(|(id, s)| Suggestion {
                        theme: id,
                        score: round2(*s),
                    })
                    .collect(),
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("the records serialize");
    s.push('\n');
    s
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
