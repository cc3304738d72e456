//! `diff`: one pair of years, to stdout, as Markdown, CSV or JSON.

use serde::Serialize;

use crate::cli::DiffFormat;
use crate::config::Config;
use crate::diff::{Change, YearDiff};
use crate::error::{exit, Failure};
use crate::normalize::people::{describe, DelegateIndex};
use crate::report;

pub fn run(
    config: &Config,
    from: i32,
    to: i32,
    delegate: Option<&str>,
    format: DiffFormat,
) -> Result<u8, Failure> {
    if from >= to {
        return Err(Failure::Usage(format!(
            "--from ({from}) must be an earlier year than --to ({to})"
        )));
    }
    let model = crate::pipeline::prepare(config)?;
    for year in [from, to] {
        if !model.years.contains(&year) {
            let years: Vec<String> = model.years.iter().map(|y| y.to_string()).collect();
            return Err(Failure::Usage(format!(
                "no dataset for {year}: the years are {}",
                years.join(", ")
            )));
        }
    }
    let only = match delegate {
        None => None,
        Some(name) => match DelegateIndex::new(&model.ds.delegates).resolve(name) {
            Ok((d, _)) => Some(d),
            Err(why) => {
                return Err(Failure::Usage(format!(
                    "--delegate: {}",
                    describe(name, &why, &model.ds.delegates)
                )))
            }
        },
    };
    let (mut pair, adoption) = crate::pipeline::pair(&model, config, from, to);
    if let Some(d) = only {
        pair.retain_delegate(d as u32);
    }
    let out = match format {
        DiffFormat::Md => report::markdown::single_diff_page(&model, &adoption, &pair)
            .map_err(|e| Failure::Tool(anyhow::Error::new(e).context("cannot write the page")))?
            .into_bytes(),
        DiffFormat::Csv => report::csv::theme_changes(&model, std::slice::from_ref(&pair)),
        DiffFormat::Json => json(&model, &pair).into_bytes(),
    };
    crate::write_stdout(&out)?;
    Ok(exit::OK)
}

/// `diff --format json`: one pair of years.
#[derive(Serialize)]
struct PairJson<'a> {
    /// The earlier year.
    from: i32,
    /// The later year.
    to: i32,
    /// Every delegate with records in either year, by id.
    delegates: Vec<DelegateJson<'a>>,
}

#[derive(Serialize)]
struct DelegateJson<'a> {
    /// The delegate id.
    delegate: &'a str,
    name_en: &'a str,
    name_zh: &'a str,
    /// `continuing`, `joined`, `resumed`, `left` or `no-record`.
    state: &'a str,
    /// Theme ids raised in the earlier year.
    themes_from: Vec<&'a str>,
    /// Theme ids raised in the later year.
    themes_to: Vec<&'a str>,
    /// Themes raised in the later year only (continuing delegates).
    new: Vec<ThemeJson<'a>>,
    /// Themes not raised in the records found for the later year.
    dropped: Vec<ThemeJson<'a>>,
    /// Themes raised in both years.
    recurring: Vec<ThemeJson<'a>>,
}

#[derive(Serialize)]
struct ThemeJson<'a> {
    /// The theme id.
    theme: &'a str,
    label_en: &'a str,
    label_zh: &'a str,
    /// Proposal ids raising it in the earlier year.
    proposals_from: Vec<&'a str>,
    /// Proposal ids raising it in the later year.
    proposals_to: Vec<&'a str>,
    /// For a new theme raised before: the latest earlier year it was raised.
    #[serde(skip_serializing_if = "Option::is_none")]
    last_raised: Option<i32>,
    /// For a recurring theme: how similar the titles are, 0 to 1 (three decimals).
    #[serde(skip_serializing_if = "Option::is_none")]
    similarity: Option<f64>,
}

fn json(model: &crate::normalize::Model, pair: &YearDiff) -> String {
    let ds = &model.ds;
    let ids = |ps: &[u32]| -> Vec<&str> {
        ps.iter()
            .map(|&p| ds.proposals[p as usize].id.as_str())
            .collect()
    };
    let theme_ids = |ts: &[u32]| -> Vec<&str> {
        ts.iter()
            .map(|&t| ds.themes[t as usize].id.as_str())
            .collect()
    };
    let delegates = pair
        .delegates
        .iter()
        .map(|x| {
            let d = &ds.delegates[x.delegate as usize];
            let mine = pair.themes_of_delegate(x.delegate);
            let themes = |ch: Change| -> Vec<ThemeJson> {
                mine.iter()
                    .filter(|t| t.change == ch)
                    .map(|t| {
                        let th = &ds.themes[t.theme as usize];
                        ThemeJson {
                            theme: &th.id,
                            label_en: &th.label_en,
                            label_zh: &th.label_zh,
                            proposals_from: ids(pair.proposals(t.from)),
                            proposals_to: ids(pair.proposals(t.to)),
                            last_raised: t.last_raised,
                            similarity: t
                                .similarity
                                .map(|r| (f64::from(r) * 1000.0).round() / 1000.0),
                        }
                    })
                    .collect()
            };
            DelegateJson {
                delegate: &d.id,
                name_en: &d.name_en,
                name_zh: &d.name_zh,
                state: x.state.as_str(),
                themes_from: theme_ids(pair.themes_of(x.themes_from)),
                themes_to: theme_ids(pair.themes_of(x.themes_to)),
                new: themes(Change::New),
                dropped: themes(Change::Dropped),
                recurring: themes(Change::Recurring),
            }
        })
        .collect();
    let doc = PairJson {
        from: pair.from,
        to: pair.to,
        delegates,
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("the records serialize");
    s.push('\n');
    s
}
