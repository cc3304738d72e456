//! Normalization: every raw theme phrase and delegate name resolved to the
//! taxonomy and the delegate list, each distinct phrase once, with the rule
//! that fired kept for the audit.

pub use crate::key;
mod lists;
pub mod people;
pub mod themes;

use aho_corasick::{AhoCorasick, MatchKind};

use compact_str::CompactString;

use crate::dataset::Datasets;
use crate::error::Diagnostics;
pub use lists::{Groups, Tag, Tags};
pub use themes::{Resolution, Rule, ThemeIndex};

/// Settings of the normalization stage.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub fuzzy_threshold: f64,
    pub infer_themes: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            fuzzy_threshold: themes::DEFAULT_FUZZY_THRESHOLD,
            infer_themes: false,
        }
    }
}

/// What an audit row resolves: delegates sort before themes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AuditKind {
    Delegate,
    Theme,
}

impl AuditKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditKind::Delegate => "delegate",
            AuditKind::Theme => "theme",
        }
    }
}

/// One line of the normalization audit (`normalization.csv`): 96 bytes,
/// one per distinct delegate spelling and theme phrase (4 million at 10
/// million proposals).
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRow {
    pub kind: AuditKind,
    // Compact strings: millions of delegate spellings at scale, most of
    // them short enough to be stored inline.
    pub raw: CompactString,
    pub key: CompactString,
    /// Theme or delegate id; empty when unmapped.
    pub resolved: CompactString,
    pub rule: Rule,
    pub score: f64,
    /// How many rows use the phrase.
    pub count: usize,
}

/// An unmapped phrase with its best suggestions.
#[derive(Debug, Clone, PartialEq)]
pub struct Unmapped {
    pub raw: String,
    pub key: String,
    pub count: usize,
    /// Where it first occurs: display path and line.
    pub first: (String, u64),
    /// Up to three theme ids with their similarity.
    pub suggestions: Vec<(String, f64)>,
}

/// The datasets with every name resolved.
#[derive(Debug, Clone)]
pub struct Model {
    pub ds: Datasets,
    /// Dataset years, ascending.
    pub years: Vec<i32>,
    /// Per proposal: index into `ds.delegates`.
    pub delegate_of: Vec<usize>,
    /// Per proposal: its themes, one tag per theme, by theme index.
    pub tags: Tags,
    /// Per delegate: indices of their memberships ([`Model::terms`]).
    term_lists: Groups,
    /// Per delegate: their proposals ([`Model::proposals_of`]).
    proposal_lists: Groups,
    pub audit: Vec<AuditRow>,
    pub unmapped: Vec<Unmapped>,
    pub options: Options,
}

impl Model {
    /// A delegate's proposals, by year then id.
    pub fn proposals_of(
        &self,
        delegate: usize,
    ) -> impl ExactSizeIterator<Item = usize> + DoubleEndedIterator + Clone + '_ {
        (self.proposal_lists.get(delegate).unwrap_or_default().iter()).map(|&p| p as usize)
    }

    /// Each delegate's proposals (as [`Self::proposals_of`]), by delegate index.
    pub fn proposals_by_delegate(&self) -> impl ExactSizeIterator<Item = &[u32]> + '_ {
        self.proposal_lists.iter()
    }

    /// A delegate's memberships, in file order.
    pub fn terms(
        &self,
        delegate: usize,
    ) -> impl ExactSizeIterator<Item = &crate::dataset::Membership> + Clone + '_ {
        (self.term_lists.get(delegate).unwrap_or_default().iter())
            .map(|&m| &self.ds.memberships[m as usize])
    }

    /// Whether any membership of the delegate is recorded.
    pub fn has_terms(&self, delegate: usize) -> bool {
        !self.term_lists.get(delegate).unwrap_or_default().is_empty()
    }
}

/// Every delegate reference resolved: proposals and memberships.
#[derive(Debug, Clone, Default)]
pub struct DelegateRefs {
    /// Per proposal: the delegate index (`usize::MAX` when unresolved).
    pub of_proposal: Vec<usize>,
    /// Per membership row.
    pub of_membership: Vec<Option<usize>>,
    /// Per distinct raw name used in proposals (in no particular order):
    /// its key, and the delegate, rule and count.
    pub names: Vec<(CompactString, CompactString, (usize, Rule, usize))>,
}

/// A delegate name's resolution: the delegate and the rule, or why not.
type Resolved = Result<(usize, Rule), people::Unresolved>;

/// Resolves the delegate of every proposal and membership, each distinct
/// name once; errors go to `diags`.
pub fn resolve_delegates(ds: &Datasets, diags: &mut Diagnostics) -> DelegateRefs {
    let index = people::DelegateIndex::new(&ds.delegates);
    crate::trace::stage("resolve delegates: index");
    // The distinct names were interned at load: count their uses.
    let spellings = ds.spellings.names();
    let mut uses = vec![0usize; spellings.len()];
    for p in &ds.proposals {
        uses[p.delegate as usize] += 1;
    }
    // Each distinct name is resolved once, on every core. Keys are
    // compact (inline up to 24 bytes): millions of them.
    let (keys, resolved): (Vec<CompactString>, Vec<Resolved>) =
        crate::parallel::map(spellings, |n| {
            let key = key::text_key(n);
            let r = index.resolve_key(&key);
            (key.into(), r)
        })
        .into_iter()
        .unzip();
    crate::trace::stage("resolve delegates: names");
    let mut of_proposal = Vec::with_capacity(ds.proposals.len());
    for p in &ds.proposals {
        match &resolved[p.delegate as usize] {
            Ok((i, _)) => of_proposal.push(*i),
            Err(why) => {
                diags.error(
                    &ds.files[usize::from(p.file)],
                    p.line,
                    "delegate",
                    people::describe(ds.spellings.get(p.delegate), why, &ds.delegates),
                );
                of_proposal.push(usize::MAX);
            }
        }
    }
    let path = crate::dataset::display_path(&ds.root, "memberships.csv");
    let mut of_membership = Vec::with_capacity(ds.memberships.len());
    for m in &ds.memberships {
        let r = match ds.spellings.find(&m.delegate) {
            Some(id) => resolved[id as usize].clone(),
            None => index.resolve(&m.delegate),
        };
        match r {
            Ok((i, _)) => of_membership.push(Some(i)),
            Err(why) => {
                diags.error(
                    &path,
                    m.line,
                    "delegate",
                    people::describe(&m.delegate, &why, &ds.delegates),
                );
                of_membership.push(None);
            }
        }
    }
    // The index (about a gigabyte at a million delegates) is done with
    // before the names' list is built.
    drop(index);
    let names = spellings
        .iter()
        .zip(uses)
        .zip(keys)
        .zip(resolved)
        .filter_map(|(((raw, count), key), r)| {
            r.ok().map(|(d, rule)| (raw.clone(), key, (d, rule, count)))
        })
        .collect();
    DelegateRefs {
        of_proposal,
        of_membership,
        names,
    }
}

/// The unmapped theme phrases of datasets that could not be normalized
/// (other problems were found), so that one run lists every problem: each
/// distinct phrase once, with its uses, first place and suggestions.
pub fn unmapped_phrases(ds: &Datasets, options: Options) -> Vec<Unmapped> {
    let mut ignored = Diagnostics::default();
    let themes_path = crate::dataset::display_path(&ds.root, "themes.csv");
    let index = ThemeIndex::new(
        &ds.themes,
        options.fuzzy_threshold,
        &themes_path,
        &mut ignored,
    );
    let names = ds.phrases.names();
    let mut uses: Vec<(usize, (usize, u64))> = vec![(0, (0, 0)); names.len()];
    for (i, p) in ds.proposals.iter().enumerate() {
        for &id in ds.phrases_of(i) {
            let (count, first) = &mut uses[id as usize];
            if *count == 0 {
                *first = (usize::from(p.file), p.line);
            }
            *count += 1;
        }
    }
    let mut unmapped: Vec<Unmapped> = (names.iter().zip(&uses))
        .filter(|(_, (count, _))| *count > 0)
        .filter_map(|(raw, &(count, first))| {
            let r = index.resolve(raw);
            r.theme.is_none().then(|| Unmapped {
                raw: raw.to_string(),
                suggestions: (index.ranked(&r.key, 3).into_iter())
                    .map(|(t, s)| (ds.themes[t].id.clone(), s))
                    .collect(),
                key: r.key,
                count,
                first: (ds.files[first.0].clone(), first.1),
            })
        })
        .collect();
    unmapped.sort_by(|a, b| (&a.key, &a.raw).cmp(&(&b.key, &b.raw)));
    unmapped
}

/// Normalizes validated datasets (sorted by `dataset::load`).
pub fn normalize(
    mut ds: Datasets,
    refs: DelegateRefs,
    options: Options,
    diags: &mut Diagnostics,
) -> Model {
    // Every name is resolved: the lookups from strings to ids can go.
    ds.spellings.seal();
    ds.phrases.seal();
    let themes_path = crate::dataset::display_path(&ds.root, "themes.csv");
    let index = ThemeIndex::new(&ds.themes, options.fuzzy_threshold, &themes_path, diags);
    let DelegateRefs {
        of_proposal: delegate_of,
        of_membership: membership_of,
        names: people,
    } = refs;

    let term_lists = Groups::grouped(
        ds.delegates.len(),
        (membership_of.iter().enumerate())
            .filter_map(|(m, d)| Some(((*d)?, u32::try_from(m).ok()?))),
    )
    .unwrap_or_else(|_| {
        lists::too_large(diags, &ds.root, "memberships");
        Groups::default()
    });

    // The delegate rows of the audit (millions of names at scale) are
    // built and sorted on another thread while the themes resolve here.
    // Room is made for the theme rows, appended after them: growing
    // millions of rows to fit a few more would double the allocation.
    let ids: Vec<CompactString> = ds.delegates.iter().map(|d| d.id.as_str().into()).collect();
    let theme_rows = ds.phrases.names().len();
    let delegate_audit = std::thread::spawn(move || {
        let mut rows: Vec<AuditRow> = Vec::with_capacity(people.len() + theme_rows);
        rows.extend(
            people
                .into_iter()
                .map(|(raw, key, (d, rule, count))| AuditRow {
                    kind: AuditKind::Delegate,
                    key,
                    raw,
                    resolved: ids[d].clone(),
                    rule,
                    score: 1.0,
                    count,
                }),
        );
        rows.sort_by(|a, b| (&a.key, &a.raw).cmp(&(&b.key, &b.raw)));
        rows
    });

    // Each distinct raw phrase (interned at load) is resolved once, on two
    // threads; then one pass over the proposals counts each phrase's uses,
    // finds the first of them, and tags the proposals.
    let resolved = crate::parallel::map(ds.phrases.names(), |raw| index.resolve(raw));
    let mut phrases: Vec<(usize, (usize, u64))> = vec![(0, (0, 0)); resolved.len()];
    let mut tags = Tags::with_capacity(ds.proposals.len(), ds.phrase_lists.total());
    let mut mine: Vec<Tag> = Vec::new();
    for (i, p) in ds.proposals.iter().enumerate() {
        mine.clear();
        for &id in ds.phrases_of(i) {
            let (count, first) = &mut phrases[id as usize];
            if *count == 0 {
                *first = (usize::from(p.file), p.line);
            }
            *count += 1;
            let r = &resolved[id as usize];
            if let Some(theme) = r.theme {
                let theme = theme as u32;
                match mine.iter_mut().find(|t| t.theme == theme) {
                    // Keep the strictest rule when two phrases name one theme.
                    Some(t) => t.rule = t.rule.min(r.rule),
                    None => mine.push(Tag {
                        theme,
                        rule: r.rule,
                    }),
                }
            }
        }
        mine.sort_by_key(|t| t.theme);
        if tags.push(&mine).is_err() {
            lists::too_large(diags, &ds.root, "proposal themes");
            break;
        }
    }
    drop(mine);
    // Every proposal tagged (a list past its limit stops the run above).
    if options.infer_themes && tags.len() == ds.proposals.len() {
        if let Err(e) = infer(&ds, &index, &mut tags, diags) {
            let path = crate::dataset::display_path(&ds.root, "proposals");
            diags.error(
                &path,
                1,
                "summary",
                format!("cannot read the summaries: {e}"),
            );
        }
    }
    crate::trace::stage("normalize: themes");

    let mut audit = Vec::new();
    let mut unmapped = Vec::new();
    for ((raw, &(count, first)), r) in ds.phrases.names().iter().zip(&phrases).zip(resolved) {
        if r.theme.is_none() {
            unmapped.push(Unmapped {
                raw: raw.to_string(),
                key: r.key.clone(),
                count,
                first: (ds.files[first.0].clone(), first.1),
                suggestions: index
                    .ranked(&r.key, 3)
                    .into_iter()
                    .map(|(t, s)| (ds.themes[t].id.clone(), s))
                    .collect(),
            });
        }
        audit.push(AuditRow {
            kind: AuditKind::Theme,
            raw: raw.clone(),
            key: r.key.into(),
            resolved: r
                .theme
                .map(|t| ds.themes[t].id.as_str().into())
                .unwrap_or_default(),
            rule: r.rule,
            score: r.score,
            count,
        });
    }
    drop(phrases);
    // The raw phrases now live on in `tags` (resolved) and in the audit
    // (as written); at millions of rows their lists are worth freeing.
    ds.phrase_lists = Default::default();
    audit.sort_by(|a, b| (&a.key, &a.raw).cmp(&(&b.key, &b.raw)));
    // Sorted by kind first: the delegate rows, then the theme rows.
    let mut delegate_rows = delegate_audit
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e));
    delegate_rows.append(&mut audit);
    let audit = delegate_rows;
    crate::trace::stage("normalize: audit");
    unmapped.sort_by(|a, b| (&a.key, &a.raw).cmp(&(&b.key, &b.raw)));

    // Proposals come sorted by year: one entry per run.
    let mut years: Vec<i32> = ds
        .proposals
        .chunk_by(|a, b| a.year == b.year)
        .map(|run| run[0].year)
        .collect();
    for f in &ds.files {
        if let Some(y) = f
            .rsplit('/')
            .next()
            .and_then(|n| n.strip_suffix(".csv"))
            .and_then(|y| y.parse().ok())
        {
            years.push(y);
        }
    }
    years.sort();
    years.dedup();
    // Unresolved proposals (`usize::MAX`) are out of range, left out.
    let proposal_lists = Groups::grouped(
        ds.delegates.len(),
        (delegate_of.iter().enumerate()).filter_map(|(p, &d)| Some((d, u32::try_from(p).ok()?))),
    )
    .unwrap_or_else(|_| {
        lists::too_large(diags, &ds.root, "proposals");
        Groups::default()
    });
    Model {
        ds,
        years,
        proposal_lists,
        delegate_of,
        tags,
        term_lists,
        audit,
        unmapped,
        options,
    }
}

/// Adds taxonomy themes whose names occur in a proposal's title or summary.
/// ASCII names must stand as whole words ("ai" is not found in "maintain");
/// Chinese names match as characters anywhere.
/// The summaries are read back from the year files, which can fail.
fn infer(
    ds: &Datasets,
    index: &ThemeIndex,
    tags: &mut Tags,
    diags: &mut Diagnostics,
) -> std::io::Result<()> {
    let names = index.names();
    let matcher = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(names.iter().map(|(k, _)| k.as_str()))
        .expect("theme names build a matcher");
    let mut reader = crate::dataset::TextReader::bulk(ds);
    let mut inferred = Tags::with_capacity(tags.len(), tags.total());
    let mut mine: Vec<Tag> = Vec::new();
    for (i, p) in ds.proposals.iter().enumerate() {
        mine.clear();
        mine.extend_from_slice(&tags[i]);
        let text = format!(
            "{} \n {}",
            key::text_key(ds.title(p)),
            key::text_key(reader.read(i)?.summary())
        );
        for m in matcher.find_iter(&text) {
            let (name, theme) = &names[m.pattern().as_usize()];
            if name.is_ascii() {
                let before = text[..m.start()].chars().next_back();
                let after = text[m.end()..].chars().next();
                if before.is_some_and(|c| c.is_alphanumeric())
                    || after.is_some_and(|c| c.is_alphanumeric())
                {
                    continue;
                }
            }
            let theme = *theme as u32;
            if !mine.iter().any(|t| t.theme == theme) {
                mine.push(Tag {
                    theme,
                    rule: Rule::Text,
                });
            }
        }
        mine.sort_by_key(|t| t.theme);
        // Past what the lists can address: said as it is, not as a read.
        if inferred.push(&mine).is_err() {
            lists::too_large(diags, &ds.root, "proposal themes");
            return Ok(());
        }
    }
    *tags = inferred;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Groups;

    #[test]
    fn groups_keep_each_keys_items_in_order_and_leave_out_other_keys() {
        let pairs = [
            (2, 10),
            (0, 11),
            (2, 12),
            (9, 13),
            (0, 14),
            (usize::MAX, 15),
        ];
        let g: Groups = Groups::grouped(4, pairs.iter().copied()).unwrap();
        assert_eq!(g.len(), 4);
        assert_eq!(&g[0], &[11, 14]);
        assert_eq!(g.get(1), Some(&[] as &[u32]));
        assert_eq!(g.get(2), Some(&[10, 12][..]));
        assert_eq!(g.get(3), Some(&[] as &[u32]));
        assert_eq!(g.get(4), None);
        let all: Vec<&[u32]> = g.iter().collect();
        assert_eq!(all, [&[11, 14][..], &[], &[10, 12], &[]]);
        assert!(Groups::<u32>::default().is_empty());
        assert_eq!(Groups::<i32>::default().iter().count(), 0);
    }
}
