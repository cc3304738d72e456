//! `diff`: one pair of years, to stdout, as Markdown, CSV or JSON.

use crate::cli::DiffFormat;
use crate::config::Config;
use crate::diff::{self, Change, YearDiff};
use crate::error::{exit, Failure};
use crate::normalize::people::{describe, DelegateIndex};
use crate::report::{self, Analysis};

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
    let model = crate::prepare(config)?;
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
    let stage =
        |e: polars::error::PolarsError| Failure::Tool(anyhow::anyhow!("diff stage failed: {e}"));
    let facts = diff::facts(&model).map_err(stage)?;
    let mut pair = diff::diff_years(&model, &facts, from, to).map_err(stage)?;
    if let Some(d) = only {
        pair.retain_delegate(d as u32);
    }
    let adoption = crate::adoption::compute(&model, config.adoption);
    let analysis = Analysis {
        model,
        diffs: vec![],
        history: Default::default(),
        adoption,
        config: config.clone(),
    };
    let out = match format {
        DiffFormat::Md => report::markdown::single_diff_page(&analysis, &pair).into_bytes(),
        DiffFormat::Csv => {
            report::csv::theme_changes(&analysis.model, std::slice::from_ref(&pair), false)
        }
        DiffFormat::Json => json(&analysis, &pair).into_bytes(),
    };
    crate::write_stdout(&out)?;
    Ok(exit::OK)
}

fn json(a: &Analysis, pair: &YearDiff) -> String {
    let ds = &a.model.ds;
    let ids = |ps: &[u32]| {
        ps.iter()
            .map(|&p| ds.proposals[p as usize].id.as_str())
            .collect::<Vec<_>>()
    };
    let theme_ids = |ts: &[u32]| {
        ts.iter()
            .map(|&t| ds.themes[t as usize].id.as_str())
            .collect::<Vec<_>>()
    };
    let delegates: Vec<serde_json::Value> = pair
        .delegates
        .iter()
        .map(|x| {
            let d = &ds.delegates[x.delegate as usize];
            let mine = pair.themes_of_delegate(x.delegate);
            let themes = |ch: Change| -> Vec<serde_json::Value> {
                mine.iter()
                    .filter(|t| t.change == ch)
                    .map(|t| {
                        let th = &ds.themes[t.theme as usize];
                        let mut v = serde_json::json!({
                            "theme": th.id,
                            "label_en": th.label_en,
                            "label_zh": th.label_zh,
                            "proposals_from": ids(pair.proposals(t.from)),
                            "proposals_to": ids(pair.proposals(t.to)),
                        });
                        if let Some(y) = t.last_raised {
                            v["last_raised"] = serde_json::json!(y);
                        }
                        if let Some(r) = t.similarity {
                            v["similarity"] =
                                serde_json::json!((f64::from(r) * 1000.0).round() / 1000.0);
                        }
                        v
                    })
                    .collect()
            };
            serde_json::json!({
                "delegate": d.id,
                "name_en": d.name_en,
                "name_zh": d.name_zh,
                "state": x.state.as_str(),
                "themes_from": theme_ids(pair.themes_of(x.themes_from)),
                "themes_to": theme_ids(pair.themes_of(x.themes_to)),
                "new": themes(Change::New),
                "dropped": themes(Change::Dropped),
                "recurring": themes(Change::Recurring),
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&serde_json::json!({
        "from": pair.from,
        "to": pair.to,
        "delegates": delegates,
    }))
    .expect("json values serialize");
    s.push('\n');
    s
}
