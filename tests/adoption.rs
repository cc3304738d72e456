//! Follow-up on the frozen copy of the round-1 data, with lags counted by
//! hand from the session opening dates, and precision and `--as-of` on the
//! small fixture.

use crate::common::Scratch;
use proposal_diff::adoption::chance::Window;
use proposal_diff::adoption::{self, AdoptionTables, Followed, Options, ThemeAdoption};
use proposal_diff::config;
use proposal_diff::dataset::Timing;
use proposal_diff::normalize::Model;
use proposal_diff::pipeline::prepare;

fn shipped() -> Model {
    prepare(&config::for_datasets(crate::common::frozen())).unwrap()
}

/// The verdict on one proposal theme.
fn verdict(model: &Model, t: &AdoptionTables, proposal: &str, theme: &str) -> ThemeAdoption {
    t.themes(model)
        .into_iter()
        .find(|v| {
            model.ds.proposals[v.proposal as usize].id == proposal
                && model.ds.themes[v.theme as usize].id == theme
        })
        .unwrap_or_else(|| panic!("no verdict {proposal} / {theme}"))
}

/// Timing and lag of the link between a proposal and a measure.
fn link(model: &Model, t: &AdoptionTables, proposal: &str, measure: &str) -> (Timing, Option<i32>) {
    let l = t
        .links(model)
        .into_iter()
        .find(|l| {
            model.ds.proposals[l.proposal as usize].id == proposal
                && model.ds.adoptions[l.measure as usize].id == measure
        })
        .unwrap_or_else(|| panic!("no link {proposal} → {measure}"));
    (l.timing, l.lag_days)
}

#[test]
fn robin_li_2022_is_followed_by_beijing_after_55_days() {
    let m = shipped();
    let t = adoption::compute(&m, Options::default());
    // CPPCC opened 2022-03-04; the Beijing measure is dated 2022-04-28.
    assert_eq!(
        link(&m, &t, "2022-robin-li", "m-2022-beijing-robotaxi-no-driver"),
        (Timing::Later, Some(55))
    );
    let v = verdict(&m, &t, "2022-robin-li", "autonomous-driving");
    assert_eq!(v.followed, Followed::Yes);
    assert_eq!(
        m.ds.adoptions[v.first_measure.unwrap() as usize].id,
        "m-2022-beijing-robotaxi-no-driver"
    );
    assert_eq!(v.lag_days, Some(55));
    assert_eq!(v.strength, Some(3));
}

#[test]
fn robin_li_2018_and_the_beijing_test_plates_are_concurrent() {
    let m = shipped();
    let t = adoption::compute(&m, Options::default());
    // CPPCC opened 2018-03-03; the plates came 19 days later.
    assert_eq!(
        link(&m, &t, "2018-robin-li", "m-2018-beijing-av-test-plates"),
        (Timing::Concurrent, Some(19))
    );
}

#[test]
fn lei_jun_2025_deepfakes_and_the_labelling_rules_are_concurrent() {
    let m = shipped();
    let t = adoption::compute(&m, Options::default());
    // NPC opened 2025-03-05; the rules are dated 2025-03-14.
    assert_eq!(
        link(&m, &t, "2025-lei-jun", "m-2025-ai-content-labelling-rules"),
        (Timing::Concurrent, Some(9))
    );
    let v = verdict(&m, &t, "2025-lei-jun", "deepfakes");
    assert_eq!(
        v.followed,
        Followed::No,
        "a concurrent measure is not a follow-up"
    );
}

#[test]
fn the_2020_swap_station_measure_preceded_ding_lei_2021() {
    let m = shipped();
    let t = adoption::compute(&m, Options::default());
    // Month precision: May 2020 lies wholly before the window around 2021-03-04; no lag in days.
    assert_eq!(
        link(
            &m,
            &t,
            "2021-ding-lei",
            "m-2020-swap-stations-new-infrastructure"
        ),
        (Timing::Preceded, None)
    );
    assert_eq!(
        link(&m, &t, "2021-ding-lei", "m-2021-battery-swap-pilot"),
        (Timing::Later, None)
    );
    assert_eq!(
        link(&m, &t, "2022-li-shufu", "m-2021-battery-swap-pilot"),
        (Timing::Preceded, None)
    );
}

#[test]
fn an_explicit_reply_links_its_proposal_as_weak_partial_evidence() {
    let m = shipped();
    let t = adoption::compute(&m, Options::default());
    assert_eq!(
        link(&m, &t, "2019-pony-ma", "m-2020-reply-industrial-internet"),
        (Timing::Later, None)
    );
    let l = t
        .links(&m)
        .into_iter()
        .find(|l| m.ds.adoptions[l.measure as usize].id == "m-2020-reply-industrial-internet")
        .unwrap();
    assert_eq!(l.strength, 1);
    // Dong Mingzhu's share-sale proposal met only a partial measure.
    let v = verdict(&m, &t, "2024-dong-mingzhu", "share-reductions");
    assert_eq!((v.followed, v.lag_days), (Followed::Partial, Some(80)));
}

#[test]
fn the_default_as_of_is_the_latest_date_in_the_data() {
    let m = shipped();
    let t = adoption::compute(&m, Options::default());
    assert_eq!(t.as_of.to_string(), "2025-12-30");
    assert!(t.ignored.is_empty());
}

#[test]
fn as_of_cuts_later_measures_off() {
    let m = shipped();
    let as_of = chrono::NaiveDate::from_ymd_opt(2022, 6, 30);
    let t = adoption::compute(
        &m,
        Options {
            as_of,
            concurrent_days: 30,
            window_days: adoption::WINDOW_DAYS,
        },
    );
    assert!(t
        .links(&m)
        .iter()
        .all(|l| m.ds.adoptions[l.measure as usize].date.start() <= as_of.unwrap()));
    let v = verdict(&m, &t, "2022-lei-jun", "fast-charging");
    assert_eq!(v.followed, Followed::No);
    assert!(t
        .ignored
        .iter()
        .any(|&i| m.ds.adoptions[i].id == "m-2025-high-power-charging-plan"));
}

#[test]
fn fixture_month_and_year_precision() {
    let s = Scratch::small();
    let m = prepare(&config::for_datasets(s.datasets())).unwrap();
    let t = adoption::compute(&m, Options::default());
    // June 2021 vs Alice 2021 (NPC opened 2021-03-05): later, no day invented.
    assert_eq!(
        link(&m, &t, "2021-alice", "m-swap-pilot"),
        (Timing::Later, None)
    );
    // June 2021 vs Dan 2022: preceded.
    assert_eq!(
        link(&m, &t, "2022-dan", "m-swap-pilot"),
        (Timing::Preceded, None)
    );
    // A year-precision 2019 standard preceded every sodium-ion proposal: already in place.
    assert_eq!(
        link(&m, &t, "2020-carol", "m-sodium-standard"),
        (Timing::Preceded, None)
    );
    assert!(t
        .already_in_place
        .iter()
        .any(|&i| m.ds.adoptions[i].id == "m-sodium-standard"));
    // A wider window makes June 2021 concurrent with a proposal of March 2021.
    let wide = adoption::compute(
        &m,
        Options {
            as_of: None,
            concurrent_days: 120,
            window_days: adoption::WINDOW_DAYS,
        },
    );
    assert_eq!(
        link(&m, &wide, "2021-alice", "m-swap-pilot"),
        (Timing::Concurrent, None)
    );
}

#[test]
fn rates_per_delegate_count_later_measures() {
    let s = Scratch::small();
    let m = prepare(&config::for_datasets(s.datasets())).unwrap();
    let t = adoption::compute(&m, Options::default());
    let alice = m.ds.delegates.iter().position(|d| d.id == "alice").unwrap();
    let r = &t.delegate_rate(&m, alice);
    // Alice: 2020 swap + sodium, 2021 swap, 2022 ports, 2023 swap + ports = 6 proposal themes.
    // Later: 2020 swap (yes, June 2021), 2021 swap (yes), 2022 ports (partial, 2023-03-20: 380 days).
    assert_eq!((r.total, r.yes, r.partial), (6, 2, 1));
    assert_eq!(r.median_lag_days, Some(380.0));
}

#[test]
fn the_earthquake_network_completed_four_years_later_is_under_way_not_followed() {
    let m = shipped();
    let t = adoption::compute(&m, Options::default());
    // adoptions.csv says `timing=concurrent` (begun before, completed
    // 2024-07-26): 1,526 days after the 2020 NPC opening (2020-05-22) is no
    // concurrency, so the link is under way, with no lag.
    assert_eq!(
        link(&m, &t, "2020-lei-jun", "m-2024-earthquake-warning-network"),
        (Timing::UnderWay, None)
    );
    let v = verdict(&m, &t, "2020-lei-jun", "disaster-warning");
    assert_eq!(v.followed, Followed::No);
    // No concurrent link lies further apart than the window.
    for l in &t.links(&m) {
        if l.timing == Timing::Concurrent {
            let me = &m.ds.adoptions[l.measure as usize];
            let p = adoption::proposal_date(&m, l.proposal as usize);
            assert!(me.date.start() <= p + chrono::Duration::days(30));
            assert!(me.date.end() >= p - chrono::Duration::days(30));
        }
    }
}

#[test]
fn strength_is_the_first_measures_and_max_strength_the_strongest() {
    let m = shipped();
    let t = adoption::compute(&m, Options::default());
    // 2019-pony-ma industrial internet: first the reply (2020, strength 1,
    // partial), then the MIIT action plan (2021-01-13, plan, 2, adopted).
    let v = verdict(&m, &t, "2019-pony-ma", "industrial-internet");
    assert_eq!(
        m.ds.adoptions[v.first_measure.unwrap() as usize].id,
        "m-2020-reply-industrial-internet"
    );
    assert_eq!((v.strength, v.max_strength), (Some(1), Some(2)));
    // The verdict is yes because of the action plan, and names it.
    assert_eq!(v.followed, Followed::Yes);
    assert_eq!(
        m.ds.adoptions[v.deciding_measure.unwrap() as usize].id,
        "m-2021-industrial-internet-action-plan"
    );
}

#[test]
fn window_days_decides_what_is_followed_within_the_window_and_nothing_else() {
    let m = shipped();
    // Robin Li 2022: the Beijing measure came 55 days later.
    let within = |n| {
        let t = adoption::compute(
            &m,
            Options {
                window_days: n,
                ..Options::default()
            },
        );
        let v = verdict(&m, &t, "2022-robin-li", "autonomous-driving");
        (v.followed, v.within_window)
    };
    assert_eq!(within(55), (Followed::Yes, Window::Yes));
    // Outside a 54-day window, which ended long before as-of: not followed
    // within it, while `followed` (at any time) stays yes.
    assert_eq!(within(54), (Followed::Yes, Window::No));
}

#[test]
fn a_measure_is_counted_once_with_what_it_came_after() {
    let m = shipped();
    let t = adoption::compute(&m, Options::default());
    let i =
        m.ds.adoptions
            .iter()
            .position(|a| a.id == "m-2022-beijing-robotaxi-no-driver")
            .unwrap();
    let st = &t.measures[i];
    // Later than Robin Li's 2018, 2021 and 2022 autonomous-driving proposals
    // (2018: 1,517 days; 2021: 420; 2022: 55).
    assert_eq!(st.themes_followed, 3);
    assert_eq!(
        m.ds.proposals[st.first_proposal.unwrap() as usize].id,
        "2018-robin-li"
    );
    assert_eq!(st.shortest_lag_days, Some(55));
}

/// On the shipped data (whatever it holds next year): no proposal theme is
/// followed "yes" by a measure whose own note says it was not a response.
#[test]
fn no_yes_rests_on_a_measure_its_notes_call_no_response() {
    let m = prepare(&config::for_datasets(
        crate::common::repo().join("datasets"),
    ))
    .unwrap();
    let t = adoption::compute(&m, Options::default());
    for v in t
        .themes(&m)
        .into_iter()
        .filter(|v| v.followed == Followed::Yes)
    {
        let me = &m.ds.adoptions[v.deciding_measure.unwrap() as usize];
        let note = me.note.to_lowercase();
        assert!(
            !note.contains("not a response") && !note.contains("not caused"),
            "{} is yes because of {}, whose note says: {}",
            m.ds.proposals[v.proposal as usize].id,
            me.id,
            me.note
        );
        assert_eq!(
            t.links_of(&m, v.proposal, v.theme)
                .iter()
                .find(|l| l.measure == v.deciding_measure.unwrap())
                .unwrap()
                .timing,
            Timing::Later
        );
    }
}

/// The follow-up tables keep counts and the first links, and compute each
/// verdict again where it is needed: every way in gives the same answer.
#[test]
fn what_the_follow_up_tables_keep_matches_the_verdicts_computed_again() {
    let m = shipped();
    let t = adoption::compute(&m, Options::default());
    let links = t.links(&m);
    assert!(links.len() > 10);
    assert_eq!(t.link_count, links.len());
    assert_eq!(
        t.first_links,
        links[..links.len().min(adoption::FIRST_LINKS)]
    );
    let themes: std::collections::BTreeSet<usize> =
        links.iter().map(|l| l.theme as usize).collect();
    assert_eq!(t.linked_themes, themes);
    let mut keys: Vec<(u32, u32)> = links.iter().map(|l| (l.proposal, l.theme)).collect();
    keys.dedup();
    // Linked proposal themes are found without judging, and agree.
    let mut linked = Vec::new();
    t.for_each_linked(&m, &mut |date, p, theme| {
        assert_eq!(date, adoption::proposal_date(&m, p as usize));
        linked.push((p, theme));
    });
    assert_eq!(linked, keys);
    assert_eq!(t.linked_count, keys.len());
    // Some link answers a proposal by name, so both ways in are tested.
    assert!(m.ds.adoptions.iter().any(|a| !a.proposals.is_empty()));
    let verdicts = t.themes(&m);
    assert_eq!(verdicts.len(), m.tags.total());
    for v in &verdicts {
        assert_eq!(t.verdict(&m, v.proposal, v.theme).as_ref(), Some(v));
        let mine: Vec<_> = links
            .iter()
            .filter(|l| (l.proposal, l.theme) == (v.proposal, v.theme))
            .cloned()
            .collect();
        assert_eq!(t.links_of(&m, v.proposal, v.theme), mine);
    }
    // A theme the proposal does not carry has no verdict.
    assert_eq!(t.verdict(&m, 0, u32::MAX), None);
}
