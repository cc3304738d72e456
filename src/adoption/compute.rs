//! One pass over every proposal theme: the rates, the measures' figures,
//! the first links and the comparison with chance, counted as each verdict
//! is judged and never held.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::*;

/// Computes every adoption table.
pub fn compute(model: &Model, options: Options) -> AdoptionTables {
    let ds = &model.ds;
    let (as_of, as_of_source) = match options.as_of {
        Some(d) => (d, None),
        None => default_as_of(model),
    };
    let theme_index: BTreeMap<&str, usize> = ds
        .themes
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    // Measures in force by theme, and explicit answers by proposal.
    let mut ignored = Vec::new();
    let mut on_theme: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let named = ds.named_proposals();
    let mut answers: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (m, a) in ds.adoptions.iter().enumerate() {
        if a.date.start() > as_of {
            ignored.push(m);
            continue;
        }
        if let Some(&t) = theme_index.get(a.theme.as_str()) {
            on_theme.entry(t).or_default().push(m);
        }
        for p in &a.proposals {
            if let Some(&i) = named.get(p.as_str()) {
                answers.entry(i).or_default().push(m);
            }
        }
    }

    // Date order once per theme, not once per proposal theme.
    for measures in on_theme.values_mut() {
        measures.sort_by(|&a, &b| by_date(ds, a, b));
    }

    let own_theme = ds
        .adoptions
        .iter()
        .map(|a| theme_index.get(a.theme.as_str()).map(|&t| t as u32))
        .collect();
    let openings = (ds.sessions.iter())
        .map(|s| {
            let at = Dated::new(s.opened, options.concurrent_days, options.window_days);
            (s.year, s.body, at)
        })
        .collect();
    let judge = Judge {
        options,
        as_of,
        on_theme,
        answers,
        own_theme,
        openings,
    };

    // One pass over every proposal theme: the verdicts and links are
    // counted, never kept.
    let mut stats = vec![MeasureStats::default(); ds.adoptions.len()];
    let mut first_date: Vec<Option<NaiveDate>> = vec![None; ds.adoptions.len()];
    // Per measure: does it have any link, and are all of them preceded?
    let mut seen = vec![(false, true); ds.adoptions.len()];
    let (mut link_count, mut first_links) = (0usize, Vec::new());
    let mut names_links = 0usize;
    let mut bundles = Vec::new();
    let mut linked_themes = std::collections::BTreeSet::new();
    let mut linked_count = 0;
    let mut linked_per_year: BTreeMap<i32, usize> = BTreeMap::new();
    let mut by_theme: BTreeMap<usize, Tally> = BTreeMap::new();
    let mut joined: Vec<usize> = Vec::new();
    let chance = ChanceModel::new(ds, as_of, &judge.openings);
    let mut tables = AdoptionTables {
        as_of,
        concurrent_days: options.concurrent_days,
        ignored: Vec::new(),
        link_count: 0,
        names_proposer_links: 0,
        bundles: Vec::new(),
        first_links: Vec::new(),
        linked_themes: Default::default(),
        linked_count: 0,
        linked_per_year: BTreeMap::new(),
        by_theme: BTreeMap::new(),
        already_in_place: Vec::new(),
        unlinked: Vec::new(),
        measures: Vec::new(),
        window_days: options.window_days,
        as_of_source: None,
        chance,
        compared: Comparison::default(),
        compared_high: Comparison::default(),
        followups: Default::default(),
        compared_by_category: BTreeMap::new(),
        compared_by_theme: BTreeMap::new(),
        judge,
    };
    let judge = &tables.judge;
    let (mut compared, mut compared_high) = (ChanceTally::default(), ChanceTally::default());
    let mut followups: [FollowUpCounts; 2] = Default::default();
    // Categories and themes by index: a comparison each, filled in one
    // pass without a map lookup or a string comparison per proposal theme.
    let categories: Vec<&str> = {
        let mut c: Vec<&str> = ds.themes.iter().map(|t| t.category.as_str()).collect();
        c.sort_unstable();
        c.dedup();
        c
    };
    let category_of: Vec<usize> = (ds.themes.iter())
        .map(|t| categories.binary_search(&t.category.as_str()).unwrap_or(0))
        .collect();
    let mut by_category: Vec<Option<ChanceTally>> = vec![None; categories.len()];
    let mut by_theme_slots: Vec<Option<ChanceTally>> = vec![None; ds.themes.len()];
    let mut cats: Vec<usize> = Vec::new();
    // Per proposal: each theme's (theme, standing, high-confidence standing).
    let mut standings: Vec<(u32, chance::Standing, chance::Standing)> = Vec::new();
    let mut part: Vec<chance::Standing> = Vec::new();
    for (p, tags) in model.tags.iter().enumerate() {
        let at = judge.dated(model, p);
        let (date, followup) = (at.date, (as_of - at.date).num_days());
        standings.clear();
        for k in 0..tags.len() {
            let mut any = false;
            let v = judge.verdict(model, (p, at), k, &mut joined, &mut |l, counts| {
                let m = l.measure as usize;
                if counts {
                    let st = &mut stats[m];
                    st.themes_followed += 1;
                    if first_date[m].is_none_or(|d| date < d) {
                        first_date[m] = Some(date);
                        st.first_proposal = Some(p as u32);
                        st.first_proposal_lag_days = l.lag_days;
                    }
                    if let Some(lag) = l.lag_days {
                        st.shortest_lag_days =
                            Some(st.shortest_lag_days.map_or(lag, |x| x.min(lag)));
                    }
                }
                let e = &mut seen[m];
                e.0 = true;
                e.1 &= l.timing == Timing::Preceded;
                link_count += 1;
                names_links += usize::from(names_proposer(model, m, p));
                if first_links.len() < FIRST_LINKS {
                    first_links.push(l.clone());
                }
                any = true;
            });
            if any {
                linked_themes.insert(v.theme as usize);
                linked_count += 1;
                *linked_per_year.entry(ds.proposals[p].year).or_default() += 1;
            }
            // The headline: every proposal; high-confidence proposals,
            // whose follow-up counts only on a high-confidence measure.
            followups[0].add(&v, true);
            if ds.proposals[p].confidence != Some(Confidence::Low) {
                let weak = (v.deciding_measure)
                    .is_some_and(|m| ds.adoptions[m as usize].confidence == Some(Confidence::Low));
                followups[1].add(&v, !weak);
            }
            // Rates by theme; by delegate they are computed for the
            // delegates shown ([`AdoptionTables::delegate_rate`]).
            by_theme
                .entry(v.theme as usize)
                .or_default()
                .add(&v, followup);
            standings.push((
                v.theme,
                tables.standing_on(model, &v, &at, Measures::All),
                tables.standing_on(model, &v, &at, Measures::HighConfidence),
            ));
        }
        let n = standings.len();
        if n >= 4 {
            bundles.push(p as u32);
        }
        part.clear();
        part.extend(standings.iter().map(|s| s.1));
        compared.add_proposal(&part, n);
        part.clear();
        part.extend(standings.iter().map(|s| s.2));
        compared_high.add_proposal(&part, n);
        for &(t, s, _) in &standings {
            (by_theme_slots[t as usize].get_or_insert_with(ChanceTally::default))
                .add_proposal(&[s], n);
        }
        cats.clear();
        cats.extend(standings.iter().map(|s| category_of[s.0 as usize]));
        cats.sort_unstable();
        cats.dedup();
        for &cat in &cats {
            part.clear();
            part.extend(
                (standings.iter())
                    .filter(|s| category_of[s.0 as usize] == cat)
                    .map(|s| s.1),
            );
            (by_category[cat].get_or_insert_with(ChanceTally::default)).add_proposal(&part, n);
        }
    }
    let by_theme_compared: BTreeMap<usize, ChanceTally> = (by_theme_slots.into_iter().enumerate())
        .filter_map(|(t, c)| Some((t, c?)))
        .collect();
    let by_category: Vec<(&str, ChanceTally)> = (categories.iter().zip(by_category))
        .filter_map(|(&cat, c)| Some((cat, c?)))
        .collect();
    let themes_of = |cat: Option<&str>| -> Vec<u32> {
        (0..ds.themes.len() as u32)
            .filter(|&t| cat.is_none_or(|c| ds.themes[t as usize].category == c))
            .collect()
    };
    for (cat, mut c) in by_category {
        let raised: Vec<u32> = themes_of(Some(cat))
            .into_iter()
            .filter(|t| by_theme_compared.contains_key(&(*t as usize)))
            .collect();
        tables.rests_on(&mut c, raised);
        (tables.compared_by_category).insert(cat.to_string(), c.finish());
    }
    for (t, mut c) in by_theme_compared {
        tables.rests_on(&mut c, [t as u32]);
        tables.compared_by_theme.insert(t, c.finish());
    }
    let raised: Vec<u32> = themes_of(None)
        .into_iter()
        .filter(|t| tables.compared_by_theme.contains_key(&(*t as usize)))
        .collect();
    tables.rests_on(&mut compared, raised.iter().copied());
    tables.rests_on(&mut compared_high, raised);
    tables.followups = followups;
    tables.compared = compared.finish();
    tables.compared_high = compared_high.finish();
    let by_theme = (by_theme.into_iter())
        .map(|(t, tally)| (t, tally.rate()))
        .collect();

    let mut already_in_place = Vec::new();
    let mut unlinked = Vec::new();
    for (m, &(any, all_preceded)) in seen.iter().enumerate() {
        if ignored.contains(&m) {
            continue;
        }
        if !any {
            unlinked.push(m);
        } else if all_preceded {
            already_in_place.push(m);
        }
    }
    // Lists of measures read in date order.
    for list in [&mut already_in_place, &mut unlinked] {
        list.sort_by(|&a, &b| by_date(ds, a, b));
    }
    tables.ignored = ignored;
    tables.link_count = link_count;
    tables.names_proposer_links = names_links;
    tables.bundles = bundles;
    tables.first_links = first_links;
    tables.linked_themes = linked_themes;
    tables.linked_count = linked_count;
    tables.linked_per_year = linked_per_year;
    tables.by_theme = by_theme;
    tables.already_in_place = already_in_place;
    tables.unlinked = unlinked;
    tables.measures = stats;
    tables.as_of_source = as_of_source;
    tables
}
