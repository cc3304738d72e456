//! Adoption on the shipped data, with lags counted by hand from the
//! session opening dates, and precision and `--as-of` on the fixture.

mod common;

use common::Scratch;
use proposal_diff::adoption::{self, Adopted, AdoptionTables, Options};
use proposal_diff::dataset::Timing;
use proposal_diff::normalize::Model;
use proposal_diff::{config, prepare};

fn shipped() -> Model {
    prepare(&config::for_datasets(common::repo().join("datasets"))).unwrap()
}

/// Timing and lag of the link between a proposal and a measure.
fn link(model: &Model, t: &AdoptionTables, proposal: &str, measure: &str) -> (Timing, Option<i32>) {
    let l = t
        .links
        .iter()
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
    let v = t
        .themes
        .iter()
        .find(|v| {
            m.ds.proposals[v.proposal as usize].id == "2022-robin-li"
                && m.ds.themes[v.theme as usize].id == "autonomous-driving"
        })
        .unwrap();
    assert_eq!(v.adopted, Adopted::Yes);
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
    let v = t
        .themes
        .iter()
        .find(|v| {
            m.ds.proposals[v.proposal as usize].id == "2025-lei-jun"
                && m.ds.themes[v.theme as usize].id == "deepfakes"
        })
        .unwrap();
    assert_eq!(
        v.adopted,
        Adopted::No,
        "a concurrent measure is not adoption"
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
        .links
        .iter()
        .find(|l| m.ds.adoptions[l.measure as usize].id == "m-2020-reply-industrial-internet")
        .unwrap();
    assert_eq!(l.strength, 1);
    // Dong Mingzhu's share-sale proposal met only a partial measure.
    let v = t
        .themes
        .iter()
        .find(|v| {
            m.ds.proposals[v.proposal as usize].id == "2024-dong-mingzhu"
                && m.ds.themes[v.theme as usize].id == "share-reductions"
        })
        .unwrap();
    assert_eq!((v.adopted, v.lag_days), (Adopted::Partial, Some(80)));
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
        },
    );
    assert!(t
        .links
        .iter()
        .all(|l| m.ds.adoptions[l.measure as usize].date.start() <= as_of.unwrap()));
    let v = t
        .themes
        .iter()
        .find(|v| {
            m.ds.proposals[v.proposal as usize].id == "2022-lei-jun"
                && m.ds.themes[v.theme as usize].id == "fast-charging"
        })
        .unwrap();
    assert_eq!(v.adopted, Adopted::No);
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
    let r = &t.by_delegate[&alice];
    // Alice: 2020 swap + sodium, 2021 swap, 2022 ports, 2023 swap + ports = 6 proposal themes.
    // Later: 2020 swap (yes, June 2021), 2021 swap (yes), 2022 ports (partial, 2023-03-20: 380 days).
    assert_eq!((r.total, r.yes, r.partial), (6, 2, 1));
    assert_eq!(r.median_lag_days, Some(380.0));
}
