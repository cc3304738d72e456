//! The follow-up tables: `adoption.csv` and `adoption_links.csv` (a row
//! per proposal theme, and per link), `measures.csv` and `chance.csv`.

use super::*;

/// Measure dates as the adoption tables write them, by measure index.
pub(super) fn measure_dates(model: &Model) -> Vec<String> {
    model
        .ds
        .adoptions
        .iter()
        .map(|m| m.date.to_string())
        .collect()
}

/// The columns both adoption tables start with: proposal, year, delegate, theme.
fn proposal_theme(t: &mut Table, model: &Model, proposal: u32, theme: u32) -> io::Result<()> {
    let ds = &model.ds;
    let p = &ds.proposals[proposal as usize];
    t.text(&p.id)?;
    t.int(p.year)?;
    t.text(&ds.delegates[model.delegate_of[proposal as usize]].id)?;
    t.text(&ds.themes[theme as usize].id)
}

/// One link's `adoption_links` row; `named` when its measure names the
/// proposer or the company.
pub(super) fn link_row(
    t: &mut Table,
    model: &Model,
    dates: &[String],
    l: &Link,
    named: bool,
) -> io::Result<()> {
    let m = &model.ds.adoptions[l.measure as usize];
    proposal_theme(t, model, l.proposal, l.theme)?;
    t.text(&m.id)?;
    t.text(&dates[l.measure as usize])?;
    t.text(l.timing.as_str())?;
    t.opt_int(l.lag_days)?;
    t.int(l.strength)?;
    t.text(confidence(l.low_confidence))?;
    t.text(&m.issuer)?;
    t.text(m.kind.as_str())?;
    t.text(m.scope.as_str())?;
    t.text(&m.source)?;
    t.text(m.found_by.as_str())?;
    t.text(m.stage.as_str())?;
    t.text(m.extent.as_str())?;
    t.text(if named { "yes" } else { "no" })?;
    t.end()
}

/// Chances as `adoption.csv` writes them (four decimals), each distinct
/// value formatted once: a theme's proposal themes share a chance per
/// body, and formatting a float to a precision costs more than the rest
/// of a row.
#[derive(Debug, Default)]
pub(super) struct ChanceCells(crate::dataset::FastMap<u64, String>);

impl ChanceCells {
    fn cell(&mut self, chance: Option<f64>) -> &str {
        match chance {
            None => "",
            Some(c) => (self.0.entry(c.to_bits())).or_insert_with(|| format!("{c:.4}")),
        }
    }
}

/// One proposal theme's `adoption` row.
pub(super) fn verdict_row(
    t: &mut Table,
    model: &Model,
    (dates, chances): (&[String], &mut ChanceCells),
    j: &crate::summary::Judgement,
) -> io::Result<()> {
    let ds = &model.ds;
    let (v, standing) = (j.verdict, j.standing);
    proposal_theme(t, model, v.proposal, v.theme)?;
    t.text(v.followed.as_str())?;
    t.text(
        v.first_measure
            .map_or("", |m| ds.adoptions[m as usize].id.as_str()),
    )?;
    t.text(v.first_measure.map_or("", |m| dates[m as usize].as_str()))?;
    t.opt_int(v.lag_days)?;
    t.opt_int(v.strength)?;
    t.opt_int(v.max_strength)?;
    t.text(confidence(v.low_confidence))?;
    let deciding = v.deciding_measure.map(|m| &ds.adoptions[m as usize]);
    t.text(deciding.map_or("", |m| m.id.as_str()))?;
    t.text(deciding.map_or("", |m| confidence(m.confidence == Some(Confidence::Low))))?;
    t.text(v.within_window.as_str())?;
    t.text(chances.cell(standing.chance))?;
    // What the comparison with chance counts this proposal theme as.
    t.text(standing.compared())?;
    t.end()
}

pub(super) fn write_measures(w: &mut dyn Write, a: &Analysis) -> io::Result<()> {
    let ds = &a.model.ds;
    let mut t = Table::open(w, MEASURES, a.config.tables)?;
    for (i, me) in ds.adoptions.iter().enumerate() {
        let st = &a.adoption.measures[i];
        t.text(&me.id)?;
        t.text(&me.date.to_string())?;
        t.text(me.kind.as_str())?;
        t.text(me.scope.as_str())?;
        t.text(&me.issuer)?;
        t.text(me.status())?;
        t.text(&me.theme)?;
        t.int(st.themes_followed)?;
        t.text(
            st.first_proposal
                .map_or("", |p| ds.proposals[p as usize].id.as_str()),
        )?;
        t.opt_int(st.shortest_lag_days)?;
        t.text(&me.source)?;
        t.text(&me.in_force.map(|d| d.to_string()).unwrap_or_default())?;
        t.text(me.stage.as_str())?;
        t.text(me.extent.as_str())?;
        t.text(me.found_by.as_str())?;
        t.list(me.names.iter().map(String::as_str))?;
        t.text(crate::dataset::Confidence::cell(me.confidence))?;
        t.opt_int(st.first_proposal_lag_days)?;
        t.end()?;
    }
    t.finish()
}

/// `chance.csv`: the comparison with chance, for every proposal theme,
/// then by category, theme and delegate.
pub(super) fn write_chance(w: &mut dyn Write, a: &Analysis) -> io::Result<()> {
    let m = &a.model;
    let ds = &m.ds;
    let ad = &a.adoption;
    let mut t = Table::open(w, CHANCE, a.config.tables)?;
    // Empty where the pages say "no lift" (too few judged, or nothing expected).
    let lift = |x: Against| {
        x.shown_lift()
            .map(|l| format!("{l:.2}"))
            .unwrap_or_default()
    };
    let row = |t: &mut Table, level: &str, key: &str, c: &Comparison| -> io::Result<()> {
        let th = c.themes();
        let pr = c.proposals_against();
        t.text(level)?;
        t.text(key)?;
        t.int(c.proposal_themes)?;
        t.int(c.judged)?;
        t.int(c.too_recent)?;
        t.int(c.followed)?;
        t.text(&format!("{:.2}", th.expected))?;
        t.int(th.low)?;
        t.int(th.high)?;
        t.text(&lift(th))?;
        t.int(c.proposals)?;
        t.int(c.proposals_followed)?;
        t.text(&format!("{:.2}", pr.expected))?;
        t.int(c.themes_searched)?;
        t.int(c.measures)?;
        t.int(pr.low)?;
        t.int(pr.high)?;
        t.text(&lift(pr))?;
        t.int(c.bundles)?;
        t.int(c.open_followed)?;
        t.int(c.proposals_open)?;
        t.int(c.unsearched)?;
        t.end()
    };
    row(&mut t, "all", "", &ad.compared)?;
    for (cat, c) in &ad.compared_by_category {
        row(&mut t, "category", cat, c)?;
    }
    for (&theme, c) in &ad.compared_by_theme {
        row(&mut t, "theme", &ds.themes[theme].id, c)?;
    }
    // Delegates in id order, each judged again as it is written.
    crate::summary::for_each_delegate_comparison(m, ad, &mut |d, c| {
        row(&mut t, "delegate", &ds.delegates[d].id, c)
    })?;
    t.finish()
}
