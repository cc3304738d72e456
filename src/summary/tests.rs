use super::*;

#[test]
fn median_of_even_and_odd_counts() {
    assert_eq!(median(&[]), None);
    assert_eq!(median(&[5]), Some(5.0));
    assert_eq!(median(&[1, 3, 10]), Some(3.0));
    assert_eq!(median(&[1, 3, 10, 20]), Some(6.5));
}

#[test]
fn a_cut_table_says_how_many_of_how_many_and_by_what() {
    let keys = [5, 1, 4, 1, 3, 9, 2];
    let cut = Cut::top(keys.len(), 3, 2, "rows", "smallest key", |i| (keys[i], i));
    assert_eq!(cut.shown, vec![1, 3]);
    assert_eq!(
        cut.note("`x.csv`").as_deref(),
        Some("The first 2 of 7 rows, by smallest key; every row is in `x.csv`.")
    );
    let whole = Cut::top(keys.len(), 10, 2, "rows", "smallest key", |i| (keys[i], i));
    assert_eq!(whole.shown, (0..7).collect::<Vec<_>>());
    assert_eq!(whole.note("`x.csv`"), None);
}

#[test]
fn top_n_picks_the_smallest_keys_in_key_order() {
    let keys = [5, 1, 4, 1, 3, 9, 2];
    // Ties broken by index, as callers break them by id.
    assert_eq!(
        select::top_n(keys.len(), 3, |i| (keys[i], i)),
        vec![1, 3, 6]
    );
    assert_eq!(
        select::top_n(keys.len(), 0, |i| (keys[i], i)),
        Vec::<usize>::new()
    );
    assert_eq!(select::top_n(3, 10, std::cmp::Reverse), vec![2, 1, 0]);
    assert_eq!(select::top_n(0, 5, |i| i), Vec::<usize>::new());
}

/// The small fixture, analysed: 9 proposals by 4 delegates, 2020–2023.
fn small() -> crate::pipeline::Analysis {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small");
    crate::pipeline::run(&crate::config::for_datasets(dir)).unwrap()
}

fn delegate(a: &crate::pipeline::Analysis, id: &str) -> usize {
    a.model
        .ds
        .delegates
        .iter()
        .position(|d| d.id == id)
        .unwrap()
}

#[test]
fn headline_figures_match_a_hand_count() {
    let a = small();
    let f = headline(&a.model, &a.adoption).all;
    // 2020: alice (swap, sodium), bob (swap), carol (sodium); 2021: alice
    // (swap), bob (sodium); 2022: alice (ports), carol (sodium), dan (swap);
    // 2023: alice (swap, ports).
    assert_eq!((f.proposals, f.delegates, f.proposal_themes), (9, 4, 11));
    // Later measures: the June 2021 swap pilot after 2020-alice, 2020-bob and
    // 2021-alice (yes); the 2023-03-20 port rules after 2022-alice (partial).
    assert_eq!((f.followed_yes, f.followed_partial), (3, 1));
    // The only day-dated lag: 2022-03-05 to 2023-03-20 is 380 days.
    assert_eq!((f.median_lag_days, f.lags), (Some(380.0), 1));
    // 2020: swap by alice and bob, sodium by alice and carol; of the nine
    // theme-years raised (two in 2020, two in 2021, three in 2022, two in
    // 2023).
    assert_eq!((f.convergent, f.theme_years), (2, 9));
    // Alice's swap: 2020, 2021, not 2022 (a year with records), 2023; of
    // the three delegate-themes raised in two or more years (alice's swap
    // and ports, carol's sodium).
    assert_eq!((f.returning, f.raised_again), (1, 3));
    assert_eq!(f.low, 0);
}

#[test]
fn high_confidence_figures_leave_weak_sources_out() {
    let a = small();
    let ds = &a.model.ds;
    let bob2020 = ds
        .proposals
        .iter()
        .position(|p| p.id == "2020-bob")
        .unwrap();
    // As if 2020-bob were from a weak source.
    let f = figures(&a.model, &a.adoption, |p| p != bob2020);
    assert_eq!((f.proposals, f.proposal_themes), (8, 10));
    assert_eq!((f.followed_yes, f.followed_partial), (2, 1));
    // Without Bob, swapping in 2020 is Alice's alone.
    assert_eq!(f.convergent, 1);
}

#[test]
fn coverage_counts_delegate_years_in_office_against_records() {
    let a = small();
    let c = coverage(&a.model);
    // In office: alice 2020–2023 (4), bob to 2021 (2), carol from 2020 (4),
    // dan from 2022 (2). With records: alice 4, bob 2, carol 2020 and 2022,
    // dan 2022.
    assert_eq!((c.years_in_office, c.years_in_office_with_records), (12, 9));
    assert!(c.unknown_terms.is_empty());
    let busiest: Vec<(i32, usize)> = c
        .busiest_years
        .iter()
        .map(|y| (y.year, y.proposal_themes))
        .collect();
    assert_eq!(busiest, [(2020, 4)]);
    assert_eq!(c.busiest_delegate, Some((delegate(&a, "alice"), 6)));
    let per_year: Vec<(i32, usize, usize)> = c
        .years
        .iter()
        .map(|y| (y.year, y.proposals, y.delegates))
        .collect();
    assert_eq!(
        per_year,
        [(2020, 3, 3), (2021, 2, 2), (2022, 3, 3), (2023, 1, 1)]
    );
}

#[test]
fn pair_counts_tell_first_records_from_resumed_records() {
    let a = small();
    let c = a.diff_pairs(&mut |_| Ok(())).unwrap()[1].counts.clone();
    // 2021 → 2022: alice continues, bob left, carol's records resume (she
    // has 2020), dan joined.
    assert_eq!((c.from, c.to), (2021, 2022));
    assert_eq!(
        (c.continuing, c.left, c.resumed, c.first_record, c.joined),
        (1, 1, 1, 0, 1)
    );
    // Alice: ports new (never raised), swap dropped.
    assert_eq!(
        (c.first_raised, c.returning, c.dropped, c.recurring),
        (1, 0, 1, 0)
    );
    let c = a.diff_pairs(&mut |_| Ok(())).unwrap()[2].counts.clone();
    // 2022 → 2023: alice's swap returns (last raised 2021); ports recur.
    assert_eq!((c.first_raised, c.returning, c.recurring), (0, 1, 1));
}

#[test]
fn a_profile_leads_with_figures_from_the_data() {
    let a = small();
    let p = profile(&a.model, &a.adoption, delegate(&a, "alice"));
    assert_eq!(p.proposals, 4);
    assert_eq!(p.years, [2020, 2021, 2022, 2023]);
    assert_eq!((p.proposal_themes, p.followed, p.low), (6, 3, 0));
    assert_eq!(p.top_category, Some(("energy".to_string(), 4)));
    let ids = |ts: &[usize]| -> Vec<String> {
        ts.iter()
            .map(|&t| a.model.ds.themes[t].id.clone())
            .collect()
    };
    assert_eq!(ids(&p.recurring), ["battery-swapping", "smart-ports"]);
    assert_eq!(ids(&p.returning), ["battery-swapping"]);
}

#[test]
fn convergence_groups_stream_in_report_order_and_the_summary_keeps_the_first() {
    let a = small();
    let mut all: Vec<Convergence> = Vec::new();
    for_each_convergence(&a.model, &a.history, &mut |g| {
        all.push(g.clone());
        Ok(())
    })
    .unwrap();
    assert!(!all.is_empty());
    assert!(all.iter().all(|g| g.len() >= 2));
    let key = |g: &Convergence| (g.level, std::cmp::Reverse(g.len()), g.group.clone());
    assert!(all.windows(2).all(|w| key(&w[0]) < key(&w[1])));
    // The summary history.md shows, counted in one pass, is the start of
    // every group built in full.
    for (groups, names) in [(1, 1), (2, 3), (1000, 1000)] {
        let sum = convergence_summary(&a.model, &a.history, groups, names);
        for level in ["category", "theme"] {
            let mine: Vec<&Convergence> = all.iter().filter(|g| g.level == level).collect();
            assert_eq!(sum.totals.get(level).copied().unwrap_or(0), mine.len());
            let shown: Vec<&ConvergenceShown> =
                sum.shown.iter().filter(|g| g.level == level).collect();
            assert_eq!(shown.len(), mine.len().min(groups));
            for (s, g) in shown.iter().zip(&mine) {
                assert_eq!((&s.group, s.delegates), (&g.group, g.len()));
                let first: Vec<(u32, Vec<i32>)> = g
                    .raised()
                    .take(names)
                    .map(|(d, y)| (d, y.to_vec()))
                    .collect();
                assert_eq!(s.first, first);
            }
        }
    }
}

#[test]
fn the_headline_counted_in_the_follow_up_pass_is_the_one_judged_again() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for fixture in [
        "tests/fixtures/small",
        "tests/fixtures/frozen",
        "tests/fixtures/chance",
    ] {
        let config = crate::config::for_datasets(root.join(fixture));
        let a = crate::pipeline::run(&config).unwrap();
        let ds = &a.model.ds;
        let high = |p: usize| ds.proposals[p].confidence != Some(Confidence::Low);
        let again = figures_of(&a.model, &a.adoption, &[(&|_| true, false), (&high, true)]);
        let h = headline(&a.model, &a.adoption);
        assert!(h.all.proposal_themes > 0, "{fixture}");
        assert_eq!(vec![h.all, h.high], again, "{fixture}");
    }
}
