//! The profiles and the follow-up page's selections.

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

/// The file name of a delegate's profile under `delegates/`: the id when
/// it is a plain slug, else `_delegate-<index>` (never a slug), so that no
/// file name is made from arbitrary dataset text.
pub fn profile_file(model: &Model, d: usize) -> String {
    let id = &model.ds.delegates[d].id;
    let slug = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-');
    if slug {
        format!("{id}.md")
    } else {
        format!("_delegate-{d}.md")
    }
}

/// The delegates with a profile page: all with records, or at scale those
/// with the most proposals. By delegate index: the file name, when shown.
pub fn profiles(model: &Model) -> (Vec<Option<String>>, Cut) {
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
    let mut files = vec![None; model.ds.delegates.len()];
    for &i in &cut.shown {
        files[with[i]] = Some(profile_file(model, with[i]));
    }
    let cut = Cut {
        shown: cut.shown.iter().map(|&i| with[i]).collect(),
        ..cut
    };
    (files, cut)
}

/// The delegates whose follow-up rates adoption.md shows: all with a
/// proposal theme, or at scale those with the most proposal themes; by
/// delegate index, with how many proposal themes each has.
pub fn rates_by_delegate(model: &Model) -> (Vec<(usize, usize)>, Cut) {
    let delegates: Vec<(usize, usize)> = (model.proposals_by_delegate().enumerate())
        .map(|(d, mine)| (d, mine.iter().map(|&p| model.tags[p as usize].len()).sum()))
        .filter(|&(_, themes)| themes > 0)
        .collect();
    let cut = Cut::top(
        delegates.len(),
        select::DETAIL_LIMIT,
        select::SHORT,
        "delegates",
        "most proposal themes, then id",
        |i| (std::cmp::Reverse(delegates[i].1), delegates[i].0),
    );
    (delegates, cut)
}

/// Links listed on adoption.md at most (the ones the follow-up tables
/// keep); the CSV holds every one.
pub const LINKS_SHOWN: usize = crate::adoption::FIRST_LINKS;

/// The links adoption.md lists: the first [`LINKS_SHOWN`] in table order.
pub fn links_shown(t: &AdoptionTables) -> Cut {
    Cut::top(
        t.link_count,
        LINKS_SHOWN,
        LINKS_SHOWN,
        "links",
        "proposal, theme and measure date",
        |i| i,
    )
}

/// The across-years convergence groups history.md lists for one level
/// (`theme` or `category`); they come most delegates first.
pub fn convergence_groups_shown(level: &str, total: usize) -> Cut {
    Cut::top(
        total,
        select::DETAIL_LIMIT,
        select::DETAIL_LIMIT,
        if level == "theme" {
            "themes"
        } else {
            "categories"
        },
        "most delegates, then id",
        |i| i,
    )
}
