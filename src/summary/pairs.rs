//! What a year pair's page shows: its counts and the delegates it details.

use super::*;

/// The counts of one year pair, as the index's year-over-year table shows them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PairCounts {
    pub from: i32,
    pub to: i32,
    pub continuing: usize,
    pub joined: usize,
    pub first_record: usize,
    pub resumed: usize,
    pub left: usize,
    pub no_record: usize,
    /// New themes never raised by the delegate before.
    pub first_raised: usize,
    /// New themes the delegate had raised in an earlier year.
    pub returning: usize,
    pub dropped: usize,
    pub recurring: usize,
}

pub fn pair_counts(d: &YearDiff) -> PairCounts {
    let mut c = PairCounts {
        from: d.from,
        to: d.to,
        ..Default::default()
    };
    for x in &d.delegates {
        match (x.state, x.arrival) {
            (State::Continuing, _) => c.continuing += 1,
            (State::Left, _) => c.left += 1,
            (State::NoRecord, _) => c.no_record += 1,
            (_, Some(Arrival::Joined)) => c.joined += 1,
            (_, Some(Arrival::FirstRecord)) => c.first_record += 1,
            (_, _) => c.resumed += 1,
        }
    }
    for t in &d.themes {
        match (t.change, t.last_raised) {
            (Change::New, None) => c.first_raised += 1,
            (Change::New, Some(_)) => c.returning += 1,
            (Change::Dropped, _) => c.dropped += 1,
            (Change::Recurring, _) => c.recurring += 1,
        }
    }
    c
}

/// A year pair as its page needs it, kept once the pair's rows are
/// written: the counts, and only the delegates the page details with
/// their theme changes, verdicts, texts and wording diffs. At scale a
/// pair's full diff is millions of rows; this is a few hundred.
#[derive(Debug, Clone)]
pub struct PairPage {
    /// The delegates the page details, in display order, and their themes.
    pub diff: YearDiff,
    /// Counts over the whole pair.
    pub counts: PairCounts,
    /// Which delegates the page details, out of how many; its `shown` are
    /// the indices of `diff.delegates`.
    pub cut: Cut,
    /// Per detailed delegate (as `diff.delegates`): what its part shows.
    pub sections: Vec<DelegateSection>,
}

impl PairPage {
    /// The page of a pair; proposal texts are read back from the year
    /// files, which can fail.
    pub fn new(
        model: &Model,
        adoption: &AdoptionTables,
        mut diff: YearDiff,
    ) -> std::io::Result<PairPage> {
        let counts = pair_counts(&diff);
        let mut cut = diff_delegates(&diff);
        diff.keep(&cut.shown);
        cut.shown = (0..cut.shown.len()).collect();
        let mut text = crate::dataset::TextReader::lookup(&model.ds);
        let sections = (diff.delegates.iter())
            .map(|x| DelegateSection::new(model, adoption, &diff, x, &mut text))
            .collect::<std::io::Result<_>>()?;
        Ok(PairPage {
            diff,
            counts,
            cut,
            sections,
        })
    }
}

/// One proposal as a page lists it, with the text read back.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposalShown {
    pub year: i32,
    pub proposal: usize,
    pub summary: String,
    pub source: String,
}

/// How a recurring theme's wording moved, for the themes behind the same
/// proposals.
#[derive(Debug, Clone, PartialEq)]
pub struct WordingShown {
    pub themes: Vec<u32>,
    /// The diff of the delegate's own titles, or which years have none
    /// (first year, second year).
    pub wording: Result<Vec<crate::diff::wording::Piece>, (bool, bool)>,
}

/// What a year pair's page shows of one delegate.
#[derive(Debug, Clone, PartialEq)]
pub struct DelegateSection {
    pub arrival: Option<Arrival>,
    pub moved: Option<(Body, Body)>,
    /// No membership row at all.
    pub terms_unknown: bool,
    /// Membership unknown in the first and in the second year.
    pub unknown_in: (bool, bool),
    /// The latest year a source confirms an open term.
    pub last_confirmed: Option<i32>,
    /// New, dropped and recurring themes.
    pub new: usize,
    pub dropped: usize,
    pub recurring: usize,
    /// Both years' proposals, first year first.
    pub proposals: Vec<ProposalShown>,
    /// The delegate's theme changes (indices into its
    /// [`YearDiff::themes_of_delegate`]) by theme label, as readers scan.
    pub theme_order: Vec<usize>,
    /// The verdict on each proposal theme the part lists, by (proposal,
    /// theme).
    pub verdicts: BTreeMap<(u32, u32), Judged>,
    pub wordings: Vec<WordingShown>,
}

impl DelegateSection {
    fn new(
        model: &Model,
        adoption: &AdoptionTables,
        d: &YearDiff,
        x: &DelegateChange,
        text: &mut crate::dataset::TextReader,
    ) -> std::io::Result<DelegateSection> {
        let ds = &model.ds;
        let delegate = x.delegate as usize;
        let mut proposals = Vec::new();
        for year in [d.from, d.to] {
            for p in model.proposals_of(delegate) {
                if ds.proposals[p].year == year {
                    let t = text.read(p)?;
                    proposals.push(ProposalShown {
                        year,
                        proposal: p,
                        summary: t.summary().to_string(),
                        source: t.source().to_string(),
                    });
                }
            }
        }
        let mine = d.themes_of_delegate(x.delegate);
        let count = |c: Change| mine.iter().filter(|t| t.change == c).count();
        let mut theme_order: Vec<usize> = (0..mine.len()).collect();
        theme_order.sort_by_cached_key(|&i| {
            let t = mine[i].theme;
            (ds.themes[t as usize].label_en.to_lowercase(), t)
        });
        // The verdicts the part shows: new themes' proposals of the later
        // year, dropped ones' of the earlier, recurring ones' of the later.
        let mut verdicts = BTreeMap::new();
        let unknown = |y| crate::diff::standing(model, delegate, y) == Standing::Unknown;
        let compared = x.state == State::Continuing;
        for t in mine.iter().filter(|_| compared) {
            let span = if t.change == Change::Dropped {
                t.from
            } else {
                t.to
            };
            for &p in d.proposals(span) {
                if let Some(j) = judged(model, adoption, p, t.theme) {
                    verdicts.insert((p, t.theme), j);
                }
            }
        }
        Ok(DelegateSection {
            arrival: x.arrival,
            moved: x.moved,
            terms_unknown: !model.has_terms(delegate),
            unknown_in: (unknown(d.from), unknown(d.to)),
            last_confirmed: (model.terms(delegate))
                .filter(|t| t.to.is_none())
                .filter_map(|t| t.last_seen)
                .max(),
            new: count(Change::New),
            dropped: count(Change::Dropped),
            recurring: count(Change::Recurring),
            proposals,
            wordings: wordings(model, d, &theme_order, mine),
            theme_order,
            verdicts,
        })
    }
}

/// The recurring themes' wording diffs, in label order: themes behind the
/// same proposals share one.
fn wordings(
    model: &Model,
    d: &YearDiff,
    order: &[usize],
    mine: &[ThemeChange],
) -> Vec<WordingShown> {
    let mut groups: Vec<(&[u32], &[u32], Vec<u32>)> = Vec::new();
    for t in order.iter().map(|&i| &mine[i]) {
        if t.change != Change::Recurring {
            continue;
        }
        let (f, to) = (d.proposals(t.from), d.proposals(t.to));
        match groups.iter_mut().find(|g| g.0 == f && g.1 == to) {
            Some(g) => g.2.push(t.theme),
            None => groups.push((f, to, vec![t.theme])),
        }
    }
    (groups.into_iter())
        .map(|(f, to, themes)| {
            let wording = match (
                crate::diff::own_titles(model, f),
                crate::diff::own_titles(model, to),
            ) {
                (Some(a), Some(b)) => Ok(crate::diff::wording::compare(&a, &b)),
                (a, b) => Err((a.is_none(), b.is_none())),
            };
            WordingShown { themes, wording }
        })
        .collect()
}

/// The delegates a year pair's page details: all of them, or at scale
/// the ones that moved most (new plus dropped themes).
pub fn diff_delegates(d: &YearDiff) -> Cut {
    let total = d.delegates.len();
    if total <= select::DETAIL_LIMIT {
        return Cut::all(total, "delegates");
    }
    // New plus dropped themes per delegate, in one walk: both lists are
    // sorted by delegate.
    let mut moves = vec![0usize; total];
    let mut j = 0;
    for (i, x) in d.delegates.iter().enumerate() {
        while j < d.themes.len() && d.themes[j].delegate < x.delegate {
            j += 1;
        }
        while j < d.themes.len() && d.themes[j].delegate == x.delegate {
            moves[i] += usize::from(d.themes[j].change != Change::Recurring);
            j += 1;
        }
    }
    Cut::top(
        total,
        select::DETAIL_LIMIT,
        select::SHORT,
        "delegates",
        "most new and dropped themes, then id",
        |i| (std::cmp::Reverse(moves[i]), d.delegates[i].delegate),
    )
}
