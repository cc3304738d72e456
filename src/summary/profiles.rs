//! The profiles: which delegates have one, what each leads with, and the
//! theme-by-year matrices (also history.md's).

use super::*;

/// What a delegate's profile leads with.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Profile {
    pub proposals: usize,
    /// Years with a record, ascending.
    pub years: Vec<i32>,
    pub proposal_themes: usize,
    /// Proposal themes followed by a later measure on the same theme.
    pub followed: usize,
    /// Proposals from a weak source (a mirror or repost unconfirmed by an
    /// original, or an inferred year).
    pub low: usize,
    /// The category with the most proposal themes (ties: by name).
    pub top_category: Option<(String, usize)>,
    /// Themes raised in more than one year, by theme index.
    pub recurring: Vec<usize>,
    /// Themes raised, absent in a year with records, raised again.
    pub returning: Vec<usize>,
}

pub fn profile(model: &Model, adoption: &AdoptionTables, d: usize) -> Profile {
    let ds = &model.ds;
    let mut p = Profile::default();
    let mut categories: BTreeMap<&str, usize> = BTreeMap::new();
    let mut raised: BTreeMap<usize, Vec<i32>> = BTreeMap::new();
    for i in model.proposals_of(d) {
        let x = &ds.proposals[i];
        p.proposals += 1;
        p.low += usize::from(x.confidence == Some(Confidence::Low));
        p.years.push(x.year);
        for t in &model.tags[i] {
            p.proposal_themes += 1;
            *categories
                .entry(ds.themes[t.theme as usize].category.as_str())
                .or_default() += 1;
            raised.entry(t.theme as usize).or_default().push(x.year);
            let followed = adoption
                .verdict(model, i as u32, t.theme)
                .is_some_and(|v| v.followed != Followed::No);
            p.followed += usize::from(followed);
        }
    }
    p.years.dedup();
    p.top_category = categories
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(c, n)| (c.to_string(), n));
    for (t, mut years) in raised {
        years.dedup();
        if years.len() > 1 {
            p.recurring.push(t);
        }
        if crate::diff::history::streaks(&years, &model.years, &p.years).1 {
            p.returning.push(t);
        }
    }
    p
}

/// The delegates with a profile page: all with records, or at scale those
/// with the most proposals; `shown` holds delegate indices.
pub fn profiles(model: &Model) -> Cut {
    let with: Vec<usize> = (0..model.ds.delegates.len())
        .filter(|&d| model.proposals_of(d).len() > 0)
        .collect();
    let cut = Cut::top(
        with.len(),
        select::DETAIL_LIMIT,
        select::SHORT,
        "delegates",
        "most proposals, then id",
        |i| {
            (
                std::cmp::Reverse(model.proposals_of(with[i]).len()),
                with[i],
            )
        },
    );
    Cut {
        shown: cut.shown.iter().map(|&i| with[i]).collect(),
        ..cut
    }
}

/// One theme of a delegate's theme-by-year matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixRow {
    pub theme: u32,
    /// The years raised, ascending.
    pub years: Vec<i32>,
    /// One cell per dataset year.
    pub cells: Vec<Cell>,
    pub longest_streak: u32,
    pub returning: bool,
}

/// A delegate's matrix rows, in the history's order (by theme).
pub fn matrix_rows(model: &Model, history: &History, d: usize) -> Vec<MatrixRow> {
    // Years with any proposal, even one without themes: a year with records.
    let active: Vec<i32> = (model.proposals_of(d))
        .map(|p| model.ds.proposals[p].year)
        .collect();
    (history.rows_of(d as u32).iter())
        .map(|t| MatrixRow {
            theme: t.theme,
            years: history.years(t).to_vec(),
            cells: matrix_cells(model, d, history.years(t), &active),
            longest_streak: t.longest_streak,
            returning: t.returning,
        })
        .collect()
}

/// A delegate's matrix as history.md shows it: rows by first year raised,
/// then theme.
#[derive(Debug, Clone, PartialEq)]
pub struct DelegateMatrix {
    pub delegate: usize,
    pub rows: Vec<MatrixRow>,
}

/// The matrices history.md shows, and which delegates they are of.
pub fn history_matrices(model: &Model, history: &History) -> (Vec<DelegateMatrix>, Cut) {
    let (delegates, cut) = history_delegates(history);
    let shown = (cut.shown.iter())
        .map(|&i| {
            let d = delegates[i] as usize;
            let mut rows = matrix_rows(model, history, d);
            rows.sort_by_key(|r| (r.years[0], r.theme));
            DelegateMatrix { delegate: d, rows }
        })
        .collect();
    (shown, cut)
}

/// Everything a delegate's profile page shows.
#[derive(Debug, Clone)]
pub struct ProfilePage {
    pub delegate: usize,
    pub lead: Profile,
    /// Its proposal themes against chance.
    pub comparison: crate::adoption::chance::Comparison,
    /// Moves between bodies: (from year, to year, from body, to body).
    pub moves: Vec<(i32, i32, Body, Body)>,
    /// The matrix rows, by theme.
    pub rows: Vec<MatrixRow>,
    /// The rows by category (in name order): indices into `rows`.
    pub by_category: Vec<(String, Vec<usize>)>,
    /// Each link on the delegate's proposal themes, in table order, and
    /// whether its measure decides its proposal theme's `followed`.
    pub links: Vec<(ShownLink, bool)>,
    /// Every proposal with its source, read back from the year files.
    pub sources: Vec<(usize, String)>,
}

/// The profile page of delegate `d`; sources are read back from the year
/// files, which can fail.
pub fn profile_page(
    model: &Model,
    history: &History,
    adoption: &AdoptionTables,
    d: usize,
    text: &mut crate::dataset::TextReader,
) -> std::io::Result<ProfilePage> {
    let ds = &model.ds;
    let moves = (model.years.windows(2))
        .filter_map(|w| moved(model, d, w[0], w[1]).map(|(a, b)| (w[0], w[1], a, b)))
        .collect();
    let rows = matrix_rows(model, history, d);
    let mut by_category: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        (by_category.entry(ds.themes[row.theme as usize].category.as_str()))
            .or_default()
            .push(i);
    }
    let mut links = Vec::new();
    for p in model.proposals_of(d) {
        for t in &model.tags[p] {
            if let Some((v, mine)) = adoption.judged(model, p as u32, t.theme) {
                let decides = |m: u32| v.deciding_measure == Some(m) && v.followed != Followed::No;
                links.extend((shown_links(model, mine).into_iter()).map(|l| {
                    let d = decides(l.link.measure);
                    (l, d)
                }));
            }
        }
    }
    let sources = (model.proposals_of(d))
        .map(|p| Ok((p, text.read(p)?.source().to_string())))
        .collect::<std::io::Result<_>>()?;
    Ok(ProfilePage {
        delegate: d,
        lead: profile(model, adoption, d),
        comparison: adoption.delegate_comparison(model, d),
        moves,
        rows,
        by_category: (by_category.into_iter())
            .map(|(c, rows)| (c.to_string(), rows))
            .collect(),
        links,
        sources,
    })
}
