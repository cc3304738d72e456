//! Follow-up against chance: a frozen fixture counted by hand, the window
//! and its censoring, and lift on generated data where the answer is known
//! (measures placed independently of the proposals, or just after them).

use std::fmt::Write as _;
use std::path::Path;

use proposal_diff::adoption::chance::{Measures, Window};
use proposal_diff::adoption::{self, AdoptionTables, Followed, Options, ThemeAdoption};
use proposal_diff::config;
use proposal_diff::normalize::Model;
use proposal_diff::pipeline::prepare;
use rand::{RngExt, SeedableRng};

fn model(dir: &Path) -> Model {
    prepare(&config::for_datasets(dir)).unwrap()
}

fn as_of(day: &str) -> Options {
    Options {
        as_of: Some(proposal_diff::dataset::date::parse_day(day).unwrap()),
        ..Options::default()
    }
}

fn fixture() -> (Model, AdoptionTables) {
    let m = model(&crate::common::repo().join("tests/fixtures/chance"));
    let t = adoption::compute(&m, as_of("2025-01-01"));
    (m, t)
}

fn verdict(m: &Model, t: &AdoptionTables, proposal: &str, theme: &str) -> ThemeAdoption {
    t.themes(m)
        .into_iter()
        .find(|v| {
            m.ds.proposals[v.proposal as usize].id == proposal
                && m.ds.themes[v.theme as usize].id == theme
        })
        .unwrap()
}

#[test]
fn chance_expected_range_and_lift_are_what_a_hand_count_gives() {
    let (m, t) = fixture();
    // Sessions whose 730 days have passed by 2025-01-01: 2018 to 2022.
    // Ports: the 2019-06-01 rules came within the window after the 2018
    // and 2019 openings: 2 of 5. Grids: the 2020-01-10 plan after 2018
    // and 2019, the 2022-09-01 law after 2021 and 2022: 4 of 5. The
    // 2020-06-01 draft and the proposal-search parks plan never count.
    let theme = |id: &str| m.ds.themes.iter().position(|x| x.id == id).unwrap() as u32;
    let body = proposal_diff::dataset::Body::NPC;
    assert_eq!(
        t.chance.chance(theme("ports"), body, Measures::All),
        Some(0.4)
    );
    assert_eq!(
        t.chance.chance(theme("grids"), body, Measures::All),
        Some(0.8)
    );
    assert_eq!(t.chance.chance(theme("parks"), body, Measures::All), None);

    // Judged: ports 2018 (yes), 2019 (yes), 2020 (no: only the draft),
    // 2022 (no); grids 2019 (yes) and 2021 (yes). Expected 4 × 0.4 + 2 ×
    // 0.8 = 3.2; the exact distribution puts P(X ≤ 0) = 0.005 and P(X ≤ 1)
    // = 0.060, so low is 1; P(X ≤ 4) = 0.877 and P(X ≤ 5) = 0.984, so high
    // is 5. Lift 4 / 3.2 = 1.25.
    let c = &t.compared;
    let x = c.themes();
    assert_eq!((c.proposal_themes, c.judged, c.followed), (9, 6, 4));
    assert!((x.expected - 3.2).abs() < 1e-9, "{}", x.expected);
    assert_eq!((x.low, x.high), (1, 5));
    assert!((x.lift.unwrap() - 1.25).abs() < 1e-9);
    // By proposal: 2019-bo's chance is 1 − 0.6 × 0.2 = 0.88; 2018-ann,
    // 2020-ann and 2022-ann 0.4 each, 2021-bo 0.8: 2.88 expected, 3
    // followed (2018-ann, 2019-bo, 2021-bo), range 1 to 4.
    let p = c.proposals_against();
    assert_eq!((c.proposals, c.proposals_followed), (5, 3));
    assert!((p.expected - 2.88).abs() < 1e-9, "{}", p.expected);
    assert_eq!((p.low, p.high), (1, 4));
    // Window open on 2024-03-05: cy's ports not followed yet, bo's grids
    // already followed (2024-10-01); neither is judged. Parks: never searched.
    assert_eq!((c.too_recent, c.open_followed, c.unsearched), (1, 1, 1));
    assert_eq!((c.themes_searched, c.measures), (2, 4));
}

#[test]
fn a_draft_makes_a_theme_partial_and_never_followed_within_the_window() {
    let (m, t) = fixture();
    let v = verdict(&m, &t, "2020-ann", "ports");
    assert_eq!(v.followed, Followed::Partial);
    assert_eq!(v.within_window, Window::No);
    assert!(!v.searched_followed);
}

#[test]
fn a_too_recent_proposal_theme_never_enters_a_rate() {
    let (m, t) = fixture();
    let recent = verdict(&m, &t, "2024-cy", "ports");
    assert_eq!(recent.within_window, Window::TooRecent);
    let early = verdict(&m, &t, "2024-bo", "grids");
    assert_eq!(early.within_window, Window::Yes);
    // Neither is among the judged, in any unit or level.
    for v in [&recent, &early] {
        let s = t.standing(&m, v, Measures::All);
        assert!(!s.judged(), "{s:?}");
    }
    let cy = m.ds.delegates.iter().position(|d| d.id == "cy").unwrap();
    let c = t.delegate_comparison(&m, cy);
    assert_eq!((c.judged, c.proposals, c.too_recent), (0, 0, 1));
    assert_eq!(c.themes().expected, 0.0);
    // Moving as-of past the window judges both.
    let later = adoption::compute(&m, as_of("2026-03-05"));
    assert_eq!(later.compared.judged, 8);
}

#[test]
fn the_chance_table_is_written_with_the_hand_counted_figures() {
    let s = crate::common::Scratch::from(&crate::common::repo().join("tests/fixtures/chance"));
    s.run()
        .args(["--as-of", "2025-01-01", "report", "--quiet"])
        .assert()
        .code(0);
    let table = s.read("reports/chance.csv");
    let all = table.lines().nth(1).unwrap();
    assert!(
        all.starts_with("all,,9,6,1,4,3.20,1,5,1.25,5,3,2.88,2,4,1,4,1.04,0,1,2,1"),
        "{all}"
    );
    // As on the pages, no lift over fewer than five judged: the rows of a
    // category, theme or delegate with one to four judged give their
    // counts and expected counts, and an empty lift.
    let few: Vec<Vec<&str>> = (table.lines().skip(1))
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|c| (1..5).contains(&c[3].parse::<usize>().unwrap()))
        .collect();
    assert!(few.iter().any(|c| c[6] != "0.00"), "{table}");
    for c in &few {
        assert_eq!((c[9], c[17]), ("", ""), "{c:?}");
    }
    let page = s.read("reports/README.md");
    assert!(
        page.contains("| Proposal themes | 6 | 4 (67%) | 3.2, 53% (1–5) | 1.25 | 1, 1 |"),
        "{page}"
    );
}

/// A generated study: `themes` searched themes, sessions 2010–2021, each
/// theme "hot" in three years, and delegates proposing hot themes only.
/// `after` places each measure 100–400 days after a hot year's opening;
/// otherwise measures fall on random days, independent of the proposals.
fn generated(dir: &Path, seed: u64, after: bool) {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let (themes, delegates, years) = (60usize, 40usize, 2010..=2021);
    let day = |y: i32, offset: i64| {
        chrono::NaiveDate::from_ymd_opt(y, 3, 5).unwrap() + chrono::Duration::days(offset)
    };
    std::fs::create_dir_all(dir.join("proposals")).unwrap();
    let mut t = String::from("id,category,label_en,label_zh,aliases,cap_major,measures_searched\n");
    for i in 0..themes {
        let _ = writeln!(t, "t{i},c,Theme {i},,,,2009-2026");
    }
    std::fs::write(dir.join("themes.csv"), t).unwrap();
    let mut d = String::from("id,name_en,name_zh,aliases,company\n");
    for i in 0..delegates {
        let _ = writeln!(d, "d{i},D {i},,,");
    }
    std::fs::write(dir.join("delegates.csv"), d).unwrap();
    std::fs::write(
        dir.join("memberships.csv"),
        "delegate,body,from,to,source\n",
    )
    .unwrap();
    let mut s = String::from("year,body,opened\n");
    for y in years.clone() {
        let _ = writeln!(s, "{y},NPC,{y}-03-05");
    }
    std::fs::write(dir.join("sessions.csv"), s).unwrap();
    // Each theme's three hot years.
    let hot: Vec<Vec<i32>> = (0..themes)
        .map(|_| {
            let mut ys: Vec<i32> = Vec::new();
            while ys.len() < 3 {
                let y = rng.random_range(2010..=2021);
                if !ys.contains(&y) {
                    ys.push(y);
                }
            }
            ys
        })
        .collect();
    for y in years.clone() {
        let on: Vec<usize> = (0..themes).filter(|&i| hot[i].contains(&y)).collect();
        let mut p = String::from("id,year,delegate,company,body,title,summary,themes,source\n");
        for i in 0..delegates {
            if on.is_empty() {
                break;
            }
            let th = on[rng.random_range(0..on.len())];
            let _ = writeln!(p, "{y}-d{i},{y},d{i},,NPC,T,,t{th},S");
        }
        std::fs::write(dir.join(format!("proposals/{y}.csv")), p).unwrap();
    }
    let mut a = String::from("id,theme,measure,issuer,date,kind,stage,extent,found_by,source\n");
    let mut n = 0;
    for (i, ys) in hot.iter().enumerate() {
        for &y in ys {
            let date = if after {
                day(y, rng.random_range(100..=400))
            } else {
                day(2009, rng.random_range(0..365 * 17))
            };
            n += 1;
            let _ = writeln!(a, "m{n},t{i},M,X,{date},plan,final,full,theme-search,S");
        }
    }
    std::fs::write(dir.join("adoptions.csv"), a).unwrap();
}

fn lift(seed: u64, after: bool) -> f64 {
    let dir = tempfile::tempdir().unwrap();
    generated(dir.path(), seed, after);
    let m = model(dir.path());
    let t = adoption::compute(&m, as_of("2026-06-30"));
    assert!(t.compared.judged > 300, "{}", t.compared.judged);
    t.compared.themes().lift.unwrap()
}

#[test]
fn measures_placed_independently_of_proposals_give_a_lift_near_one() {
    let lifts: Vec<f64> = (1..=6).map(|seed| lift(seed, false)).collect();
    let mean = lifts.iter().sum::<f64>() / lifts.len() as f64;
    assert!((0.8..=1.2).contains(&mean), "{lifts:?}");
    assert!(lifts.iter().all(|l| (0.6..=1.4).contains(l)), "{lifts:?}");
}

#[test]
fn measures_placed_just_after_proposals_give_a_lift_well_above_one() {
    for seed in 1..=6 {
        let l = lift(seed, true);
        assert!(l > 1.8, "seed {seed}: {l}");
    }
}

/// The `adoption.csv` row of a proposal theme, as cells by column.
fn adoption_row(s: &crate::common::Scratch, proposal: &str, theme: &str) -> Vec<String> {
    let table = s.read("reports/adoption.csv");
    let line = table
        .lines()
        .find(|l| l.starts_with(&format!("{proposal},")) && l.contains(&format!(",{theme},")))
        .unwrap_or_else(|| panic!("no row {proposal} {theme}"))
        .to_string();
    line.split(',').map(str::to_string).collect()
}

#[test]
fn window_days_on_the_command_line_sets_the_window_and_the_manifest_says_so() {
    let s = crate::common::Scratch::from(&crate::common::repo().join("tests/fixtures/chance"));
    // 2018-ann's ports: the rules came 453 days later.
    s.run()
        .args([
            "--as-of",
            "2025-01-01",
            "--window-days",
            "453",
            "report",
            "--quiet",
        ])
        .assert()
        .code(0);
    assert_eq!(adoption_row(&s, "2018-ann", "ports")[13], "yes");
    assert!(s
        .read("reports/manifest.json")
        .contains("\"window_days\": 453"));
    s.run()
        .args([
            "--as-of",
            "2025-01-01",
            "--window-days",
            "452",
            "report",
            "--quiet",
        ])
        .assert()
        .code(0);
    let row = adoption_row(&s, "2018-ann", "ports");
    // Outside the window, though followed (at any time) all the same.
    assert_eq!((row[4].as_str(), row[13].as_str()), ("yes", "no"));
}

#[test]
fn concurrent_days_on_the_command_line_widens_what_counts_as_concurrent() {
    let s = crate::common::Scratch::from(&crate::common::repo().join("tests/fixtures/chance"));
    let timing = |days: &str| {
        s.run()
            .args([
                "--as-of",
                "2025-01-01",
                "--concurrent-days",
                days,
                "report",
                "--quiet",
            ])
            .assert()
            .code(0);
        let links = s.read("reports/adoption_links.csv");
        let line = links
            .lines()
            .find(|l| l.starts_with("2019-bo,") && l.contains(",m-ports-2019,"))
            .unwrap()
            .to_string();
        line.split(',').nth(6).unwrap().to_string()
    };
    // The rules came 88 days after 2019-bo's proposal.
    assert_eq!(timing("30"), "later");
    assert_eq!(timing("88"), "concurrent");
}

#[test]
fn windows_past_the_calendars_end_reach_its_last_day_and_do_not_fail() {
    let s = crate::common::Scratch::from(&crate::common::repo().join("tests/fixtures/chance"));
    let most = u32::MAX.to_string();
    s.run()
        .args(["--as-of", "2025-01-01", "--window-days", &most])
        .args(["--concurrent-days", "0", "report", "--quiet"])
        .assert()
        .code(0);
    // Followed (the rules came later), but its window never ends: it
    // stays out of the comparison with chance.
    let row = adoption_row(&s, "2018-ann", "ports");
    assert_eq!(row[4], "yes");
    let table = s.read("reports/adoption.csv");
    let compared: std::collections::BTreeSet<&str> = (table.lines().skip(1))
        .map(|l| l.rsplit(',').next().unwrap())
        .collect();
    assert_eq!(
        compared.into_iter().collect::<Vec<_>>(),
        ["not-searched", "window-open"]
    );
    // Every measure is concurrent with every proposal.
    s.run()
        .args(["--as-of", "2025-01-01", "--concurrent-days", &most])
        .args(["report", "--quiet"])
        .assert()
        .code(0);
    let links = s.read("reports/adoption_links.csv");
    let timings: std::collections::BTreeSet<&str> = (links.lines().skip(1))
        .map(|l| l.split(',').nth(6).unwrap())
        .collect();
    assert_eq!(timings.into_iter().collect::<Vec<_>>(), ["concurrent"]);
}
