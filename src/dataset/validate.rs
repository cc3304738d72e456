//! Checks that need more than one row or file.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};

use super::{display_path, Datasets, FastMap};
use crate::error::Diagnostics;

/// Every proposal whose id an earlier one has, with the latest earlier
/// one, by index. Loading sorts each year's proposals by id, so a merge
/// of the years' runs meets equal ids one after another, in index order:
/// no map of every id (at 10 million rows, 400 MB).
fn repeated_ids(ds: &Datasets) -> Vec<(usize, usize)> {
    let id = |i: usize| ds.proposals[i].id.as_str();
    // Runs of one year in id order: as loaded, or sorted here if not.
    let mut runs: Vec<Vec<usize>> = Vec::new();
    let mut start = 0;
    for run in ds.proposals.chunk_by(|a, b| a.year == b.year) {
        let mut indices: Vec<usize> = (start..start + run.len()).collect();
        if !run.is_sorted_by(|a, b| a.id <= b.id) {
            indices.sort_by(|&a, &b| id(a).cmp(id(b)));
        }
        start += run.len();
        runs.push(indices);
    }
    let mut heads: BinaryHeap<Reverse<(&str, usize, usize, usize)>> = (runs.iter().enumerate())
        .filter(|(_, r)| !r.is_empty())
        .map(|(n, r)| Reverse((id(r[0]), r[0], n, 0)))
        .collect();
    let (mut repeats, mut previous) = (Vec::new(), None);
    while let Some(Reverse((this, i, run, at))) = heads.pop() {
        if let Some((before, first)) = previous {
            if before == this {
                repeats.push((i, first));
            }
        }
        previous = Some((this, i));
        if let Some(&next) = runs[run].get(at + 1) {
            heads.push(Reverse((id(next), next, run, at + 1)));
        }
    }
    repeats.sort_unstable();
    repeats
}

/// Reports every cross-file problem to `diags`. `of_membership` is the
/// delegate of each membership row, as resolved by `normalize`.
pub fn validate(ds: &Datasets, of_membership: &[Option<usize>], diags: &mut Diagnostics) {
    let path = |name: &str| display_path(&ds.root, name);

    // Proposal ids are unique across all years.
    for (i, first) in repeated_ids(ds) {
        let (p, first) = (&ds.proposals[i], &ds.proposals[first]);
        diags.error(
            &ds.files[usize::from(p.file)],
            p.line,
            "id",
            format!(
                "id `{}` is used again (first at {}:{})",
                p.id,
                ds.files[usize::from(first.file)],
                first.line
            ),
        );
    }

    // A proposal with no date takes its session's opening date.
    let sessions_path = path("sessions.csv");
    let mut sessions = FastMap::default();
    for s in &ds.sessions {
        if let Some(line) = sessions.insert((s.year, s.body), s.line) {
            diags.error(
                &sessions_path,
                s.line,
                "year",
                format!(
                    "{} {} is listed twice (first at line {line})",
                    ds.bodies.name(s.body),
                    s.year
                ),
            );
        }
    }
    for p in &ds.proposals {
        if p.date.is_none() && !sessions.contains_key(&(p.year, p.body)) {
            diags.error(
                &ds.files[usize::from(p.file)],
                p.line,
                "date",
                format!(
                    "no date, and sessions.csv has no {} session in {} to take it from",
                    ds.bodies.name(p.body),
                    p.year
                ),
            );
        }
    }

    unique(
        diags,
        &path("delegates.csv"),
        "id",
        ds.delegates.iter().map(|d| (d.id.as_str(), d.line)),
    );
    unique(
        diags,
        &path("themes.csv"),
        "id",
        ds.themes.iter().map(|t| (t.id.as_str(), t.line)),
    );
    unique(
        diags,
        &path("adoptions.csv"),
        "id",
        ds.adoptions.iter().map(|a| (a.id.as_str(), a.line)),
    );

    // Memberships run forwards and do not overlap for one person.
    let mpath = path("memberships.csv");
    let mut by_delegate: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, m) in ds.memberships.iter().enumerate() {
        if let (Some(f), Some(t)) = (m.from, m.to) {
            if f > t {
                diags.error(
                    &mpath,
                    m.line,
                    "to",
                    format!("the term runs backwards: from {f} to {t}"),
                );
                continue;
            }
        }
        if let Some(d) = of_membership[i] {
            by_delegate.entry(d).or_default().push(i);
        }
    }
    // Each term, in file order, against every earlier one: one problem
    // per overlapping row, never one per pair (a thousand copies of a row
    // are a thousand problems, not half a million). The years the earlier
    // terms cover are kept as disjoint pieces, each with a term that
    // covers all of it; a term takes over the pieces it covers, so each
    // look and each update touches only the pieces it meets.
    for terms in by_delegate.values() {
        let mut covered: BTreeMap<i32, (i32, usize)> = BTreeMap::new();
        for &b in terms {
            let mb = &ds.memberships[b];
            let (from, to) = (mb.from.unwrap_or(i32::MIN), mb.to.unwrap_or(i32::MAX));
            // The pieces reaching into this term: the last ones starting
            // by its end, back to the first that ends before its start.
            let met: Vec<(i32, i32, usize)> = (covered.range(..=to).rev())
                .take_while(|(_, &(end, _))| end >= from)
                .map(|(&start, &(end, owner))| (start, end, owner))
                .collect();
            // The earliest row among the terms whose pieces it meets (each
            // of them overlaps it).
            if let Some(a) = met.iter().map(|m| m.2).min() {
                diags.error(
                    &mpath,
                    mb.line,
                    "from",
                    format!(
                        "this term overlaps the term at line {} for `{}`: a delegate sits in one body at a time",
                        ds.memberships[a].line, mb.delegate
                    ),
                );
            }
            for (start, end, owner) in met {
                covered.remove(&start);
                if start < from {
                    covered.insert(start, (from - 1, owner));
                }
                if end > to {
                    covered.insert(to + 1, (end, owner));
                }
            }
            covered.insert(from, (to, b));
        }
    }

    // Adoptions point at a known theme and known proposals.
    let apath = path("adoptions.csv");
    let theme_ids: HashSet<&str> = ds.themes.iter().map(|t| t.id.as_str()).collect();
    let named = ds.named_proposals();
    for a in &ds.adoptions {
        if !theme_ids.contains(a.theme.as_str()) {
            diags.error(
                &apath,
                a.line,
                "theme",
                format!(
                    "unknown theme `{}`: use a theme id from themes.csv",
                    a.theme
                ),
            );
        }
        for p in &a.proposals {
            if !named.contains_key(p.as_str()) {
                diags.error(
                    &apath,
                    a.line,
                    "proposals",
                    format!("unknown proposal id `{p}`"),
                );
            }
        }
    }
}

fn unique<'a>(
    diags: &mut Diagnostics,
    path: &str,
    column: &str,
    items: impl Iterator<Item = (&'a str, u64)>,
) {
    let mut seen: HashMap<&str, u64> = HashMap::new();
    for (id, line) in items {
        if let Some(first) = seen.insert(id, line) {
            diags.error(
                path,
                line,
                column,
                format!("id `{id}` is used twice (first at line {first})"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{Body, Proposal};

    fn proposal(year: i32, id: &str) -> Proposal {
        Proposal {
            id: id.into(),
            year,
            delegate: 0,
            body: Body::NPC,
            title: Default::default(),
            title_zh: Default::default(),
            date: None,
            confidence: None,
            file: 0,
            line: 0,
            offset: 0,
        }
    }

    #[test]
    fn repeated_ids_pair_each_repeat_with_the_latest_before_it_across_and_within_years() {
        let mut ds = Datasets::default();
        // 2021 is out of id order on purpose: it is sorted for the merge.
        for (y, id) in [
            (2020, "a"),
            (2020, "b"),
            (2020, "b"),
            (2021, "c"),
            (2021, "a"),
            (2022, "a"),
            (2022, "d"),
        ] {
            ds.proposals.push(proposal(y, id));
        }
        assert_eq!(repeated_ids(&ds), [(2, 1), (4, 0), (5, 4)]);
        assert_eq!(repeated_ids(&Datasets::default()), []);
    }
}
