//! Checks that need more than one row or file.

use std::collections::{HashMap, HashSet};

use super::{display_path, Datasets, FastMap};
use crate::error::Diagnostics;

/// Reports every cross-file problem to `diags`. `of_membership` is the
/// delegate of each membership row, as resolved by `normalize`.
pub fn validate(ds: &Datasets, of_membership: &[Option<usize>], diags: &mut Diagnostics) {
    let path = |name: &str| display_path(&ds.root, name);

    // Proposal ids are unique across all years. The map holds the last
    // proposal seen with each id by index, not its file and line: at 10
    // million rows every byte of an entry is 16 MB.
    let mut ids: FastMap<&str, usize> =
        FastMap::with_capacity_and_hasher(ds.proposals.len(), Default::default());
    for (i, p) in ds.proposals.iter().enumerate() {
        if let Some(first) = ids.insert(&p.id, i) {
            let first = &ds.proposals[first];
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
                    s.body.as_str(),
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
                    p.body.as_str(),
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
    for terms in by_delegate.values() {
        for (n, &a) in terms.iter().enumerate() {
            for &b in &terms[n + 1..] {
                let (ma, mb) = (&ds.memberships[a], &ds.memberships[b]);
                let lo = ma.from.unwrap_or(i32::MIN).max(mb.from.unwrap_or(i32::MIN));
                let hi = ma.to.unwrap_or(i32::MAX).min(mb.to.unwrap_or(i32::MAX));
                if lo <= hi {
                    diags.error(
                        &mpath,
                        mb.line,
                        "from",
                        format!(
                            "this term overlaps the term at line {} for `{}`: a delegate sits in one body at a time",
                            ma.line, mb.delegate
                        ),
                    );
                }
            }
        }
    }

    // Adoptions point at a known theme and known proposals.
    let apath = path("adoptions.csv");
    let theme_ids: HashSet<&str> = ds.themes.iter().map(|t| t.id.as_str()).collect();
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
            if !ids.contains_key(p.as_str()) {
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
