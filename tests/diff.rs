//! The diff on the real binary and the library: hand-computed expectations
//! on the shipped data and on a small fixture.

use crate::common::{stderr, stdout, Expect, Scratch};
use serde_json::Value;

/// `diff` of two years in a format, which must succeed.
fn diff_out(datasets: &std::path::Path, from: i32, to: i32, format: &str) -> String {
    let out = crate::common::on(datasets)
        .args([
            "diff",
            "--from",
            &from.to_string(),
            "--to",
            &to.to_string(),
            "--format",
            format,
        ])
        .expect_exit(0);
    stdout(&out)
}

fn diff_json(datasets: &std::path::Path, from: i32, to: i32) -> Value {
    serde_json::from_str(&diff_out(datasets, from, to, "json")).unwrap()
}

fn delegate<'a>(diff: &'a Value, id: &str) -> &'a Value {
    crate::common::delegate_in(diff, id)
}

fn themes(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|t| t["theme"].as_str().unwrap())
        .collect()
}

fn shipped() -> std::path::PathBuf {
    crate::common::frozen()
}

#[test]
fn pony_ma_left_in_2023_and_drops_nothing() {
    let d = diff_json(&shipped(), 2022, 2023);
    let ma = delegate(&d, "pony-ma");
    assert_eq!(ma["state"], "left");
    assert_eq!(ma["themes_from"].as_array().unwrap().len(), 6);
    assert!(ma["dropped"].as_array().unwrap().is_empty());
    // Robin Li and Ding Lei left at the same turnover.
    assert_eq!(delegate(&d, "robin-li")["state"], "left");
    assert_eq!(delegate(&d, "ding-lei")["state"], "left");
    // Li Shufu was an NPC deputy in 2022 and a CPPCC member from 2023: still a member, no record in 2023.
    assert_eq!(delegate(&d, "li-shufu")["state"], "no-record");
}

#[test]
fn li_shufu_resumes_in_2021() {
    let d = diff_json(&shipped(), 2020, 2021);
    let li = delegate(&d, "li-shufu");
    assert_eq!(li["state"], "resumed");
    assert!(li["new"].as_array().unwrap().is_empty());
}

#[test]
fn robin_li_2021_to_2022_recurring_themes_link_both_proposals() {
    let d = diff_json(&shipped(), 2021, 2022);
    let li = delegate(&d, "robin-li");
    assert_eq!(li["state"], "continuing");
    assert_eq!(
        themes(&li["recurring"]),
        vec![
            "autonomous-driving",
            "carbon-neutrality",
            "smart-transportation"
        ]
    );
    for t in li["recurring"].as_array().unwrap() {
        assert_eq!(t["proposals_from"], serde_json::json!(["2021-robin-li"]));
        assert_eq!(t["proposals_to"], serde_json::json!(["2022-robin-li"]));
        // No original title (title_zh) on record: the English glosses are
        // never compared.
        assert!(t["similarity"].is_null(), "{t}");
    }
    assert_eq!(
        themes(&li["new"]),
        vec!["data-center-emissions", "green-ai"]
    );
    assert!(li["dropped"].as_array().unwrap().is_empty());
}

#[test]
fn csv_format_has_the_public_columns_and_every_row() {
    let out = crate::common::on(&shipped())
        .args(["diff", "--from", "2021", "--to", "2022", "--format", "csv"])
        .output()
        .unwrap();
    let text = stdout(&out);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("from_year,to_year,delegate,theme,change,proposals_from,proposals_to,similarity,last_raised,confidence")
    );
    let rows: Vec<&str> = lines.collect();
    // 20 new, 8 dropped, 3 recurring among the five continuing delegates.
    assert_eq!(rows.len(), 31);
    assert!(rows.contains(&"2021,2022,lei-jun,fast-charging,new,,2022-lei-jun,,,high"));
    assert!(rows.contains(&"2021,2022,pony-ma,fintech,dropped,2021-pony-ma,,,,high"));
    assert!(rows.contains(
        &"2021,2022,robin-li,smart-transportation,recurring,2021-robin-li,2022-robin-li,,,low"
    ));
}

/// Adds a `title_zh` column to a year file of a scratch folder, with the
/// titles given by proposal id.
fn with_own_titles(s: &Scratch, year: i32, titles: &[(&str, &str)]) {
    let rel = format!("datasets/proposals/{year}.csv");
    let text = s.read(&rel);
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let id = line.split(',').next().unwrap_or_default();
        let cell = match i {
            0 => "title_zh",
            _ => titles.iter().find(|t| t.0 == id).map_or("", |t| t.1),
        };
        out.push_str(&format!("{line},{cell}\n"));
    }
    s.write(&rel, out);
}

#[test]
fn recurring_wording_compares_the_delegates_own_titles_character_by_character() {
    let s = Scratch::small();
    with_own_titles(&s, 2022, &[("2022-alice", "《关于建设自动化港口的建议》")]);
    with_own_titles(
        &s,
        2023,
        &[("2023-alice", "《关于加快建设智慧港口的建议》")],
    );
    let d = diff_json(&s.datasets(), 2022, 2023);
    let alice = delegate(&d, "alice");
    let ports = &alice["recurring"][0];
    assert_eq!(ports["theme"], "smart-ports");
    // Eight characters of 《关于建设…港口的建议》 shared out of 14 and 16.
    let r = ports["similarity"].as_f64().unwrap();
    assert!(r > 0.5 && r < 1.0, "{r}");
    let page = diff_out(&s.datasets(), 2022, 2023, "md");
    assert!(page.contains("**加快**"), "{page}");
    assert!(
        page.contains("~~自动化~~") && page.contains("**智慧**"),
        "{page}"
    );
}

#[test]
fn without_both_original_titles_the_wording_is_not_compared() {
    let s = Scratch::small();
    with_own_titles(
        &s,
        2023,
        &[("2023-alice", "《关于加快建设智慧港口的建议》")],
    );
    let page = diff_out(&s.datasets(), 2022, 2023, "md");
    assert!(
        page.contains("no original wording on record for 2022, so nothing is compared"),
        "{page}"
    );
    assert!(!page.contains("~~Automated~~"), "{page}");
}

/// The `theme_changes.csv` row of one delegate and theme in a pair.
fn change_row(from: i32, to: i32, delegate: &str, theme: &str) -> String {
    let out = crate::common::on(&shipped())
        .args([
            "diff",
            "--from",
            &from.to_string(),
            "--to",
            &to.to_string(),
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let prefix = format!("{from},{to},{delegate},{theme},");
    stdout(&out)
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no row {prefix}"))
        .to_string()
}

#[test]
fn a_new_theme_raised_in_an_earlier_year_carries_the_year_last_raised() {
    // Li Shufu's methanol: raised 2018, absent 2019-2021, raised 2022.
    assert_eq!(
        change_row(2021, 2022, "li-shufu", "methanol-fuel"),
        "2021,2022,li-shufu,methanol-fuel,new,,2022-li-shufu,,2018,high"
    );
    // Robin Li's autonomous driving: raised 2018, again 2021 (a ⚠ row).
    assert_eq!(
        change_row(2020, 2021, "robin-li", "autonomous-driving"),
        "2020,2021,robin-li,autonomous-driving,new,,2021-robin-li,,2018,low"
    );
    // Lei Jun's carbon footprint: raised 2022, again 2024.
    assert_eq!(
        change_row(2023, 2024, "lei-jun", "carbon-footprint"),
        "2023,2024,lei-jun,carbon-footprint,new,,2024-lei-jun,,2022,high"
    );
    // A theme never raised before has no year.
    assert_eq!(
        change_row(2021, 2022, "lei-jun", "fast-charging"),
        "2021,2022,lei-jun,fast-charging,new,,2022-lei-jun,,,high"
    );
}

#[test]
fn markdown_format_reads_as_a_report() {
    let out = crate::common::on(&shipped())
        .args([
            "diff",
            "--from",
            "2021",
            "--to",
            "2022",
            "--delegate",
            "李彦宏",
        ])
        .expect_exit(0);
    let text = stdout(&out);
    assert!(text.starts_with("# 2021 → 2022"), "{text}");
    assert!(text.contains("## Robin Li (李彦宏)"));
    assert!(text.contains("**Recurring**"));
    assert!(text.contains("Smart transportation (智慧交通)"));
    assert!(
        !text.contains("Pony Ma"),
        "the delegate filter keeps one delegate"
    );
}

#[test]
fn a_year_without_data_or_a_backward_pair_is_a_usage_error() {
    for args in [
        ["--from", "2017", "--to", "2018"],
        ["--from", "2022", "--to", "2021"],
    ] {
        crate::common::on(&shipped())
            .arg("diff")
            .args(args)
            .expect_exit(2);
    }
    let out = crate::common::on(&shipped())
        .args([
            "diff",
            "--from",
            "2021",
            "--to",
            "2022",
            "--delegate",
            "Nobody Here",
        ])
        .expect_exit(2);
    assert!(stderr(&out).contains("unknown delegate `Nobody Here`"));
}

#[test]
fn fixture_states_follow_memberships() {
    let s = Scratch::small();
    let d = diff_json(&s.datasets(), 2020, 2021);
    assert_eq!(delegate(&d, "alice")["state"], "continuing");
    assert_eq!(delegate(&d, "carol")["state"], "no-record");
    let alice = delegate(&d, "alice");
    assert_eq!(themes(&alice["recurring"]), vec!["battery-swapping"]);
    assert_eq!(themes(&alice["dropped"]), vec!["sodium-ion-batteries"]);
    let bob = delegate(&d, "bob");
    assert_eq!(themes(&bob["new"]), vec!["sodium-ion-batteries"]);
    assert_eq!(themes(&bob["dropped"]), vec!["battery-swapping"]);

    let d = diff_json(&s.datasets(), 2021, 2022);
    assert_eq!(delegate(&d, "bob")["state"], "left");
    assert_eq!(delegate(&d, "carol")["state"], "resumed");
    assert_eq!(delegate(&d, "dan")["state"], "joined");

    // Any pair, not only consecutive years.
    let d = diff_json(&s.datasets(), 2020, 2023);
    let alice = delegate(&d, "alice");
    assert_eq!(themes(&alice["recurring"]), vec!["battery-swapping"]);
    assert_eq!(themes(&alice["new"]), vec!["smart-ports"]);
}

/// The model and history of a datasets folder.
fn history_of(
    datasets: &std::path::Path,
) -> (
    proposal_diff::normalize::Model,
    proposal_diff::diff::history::History,
) {
    use proposal_diff::pipeline::prepare;
    use proposal_diff::{config, diff};
    let model = prepare(&config::for_datasets(datasets)).unwrap();
    let (_, h) = diff::history::build(&model);
    (model, h)
}

/// One delegate's record on one theme, by ids.
fn record<'a>(
    model: &proposal_diff::normalize::Model,
    h: &'a proposal_diff::diff::history::History,
    delegate: &str,
    theme: &str,
) -> &'a proposal_diff::diff::history::ThemeHistory {
    h.themes()
        .iter()
        .find(|x| {
            model.ds.delegates[x.delegate as usize].id == delegate
                && model.ds.themes[x.theme as usize].id == theme
        })
        .unwrap_or_else(|| panic!("no history for {delegate} on {theme}"))
}

#[test]
fn fixture_history_matches_a_hand_count() {
    let s = Scratch::small();
    let (model, h) = history_of(&s.datasets());
    let alice_swap = record(&model, &h, "alice", "battery-swapping");
    assert_eq!(h.years(alice_swap), [2020, 2021, 2023]);
    assert_eq!(h.span(alice_swap), (2020, 2023));
    let (d, t) = (alice_swap.delegate, alice_swap.theme);
    assert_eq!(h.last_raised_before(d, t, 2023), Some(2021));
    assert_eq!(h.last_raised_before(d, t, 2021), Some(2020));
    assert_eq!(h.last_raised_before(d, t, 2020), None);
    assert_eq!(h.next_raised_after(d, t, 2021), Some(2023));
    assert_eq!(h.next_raised_after(d, t, 2023), None);
    assert_eq!(h.next_raised_after(d, t + 1000, 2020), None);
    assert_eq!(alice_swap.longest_streak, 2);
    assert!(alice_swap.returning);
    let alice_ports = record(&model, &h, "alice", "smart-ports");
    assert_eq!(
        (alice_ports.longest_streak, alice_ports.returning),
        (2, false)
    );
    // Carol raised sodium-ion in 2020 and 2022 with no record in 2021: not a return.
    let carol = record(&model, &h, "carol", "sodium-ion-batteries");
    assert_eq!((carol.longest_streak, carol.returning), (1, false));
    // Convergence in 2020: swapping by alice and bob, sodium-ion by alice and carol.
    let convergent: Vec<(i32, &str, usize)> = h
        .theme_years
        .iter()
        .filter(|t| t.delegates.len() >= 2)
        .map(|t| {
            (
                t.year,
                model.ds.themes[t.theme].id.as_str(),
                t.delegates.len(),
            )
        })
        .collect();
    assert_eq!(
        convergent,
        vec![
            (2020, "battery-swapping", 2),
            (2020, "sodium-ion-batteries", 2)
        ]
    );
    // Alice 2020: two themes once each, so the effective number is 2.
    let alice = model
        .ds
        .delegates
        .iter()
        .position(|d| d.id == "alice")
        .unwrap();
    let dy = h
        .delegate_years(alice as u32)
        .into_iter()
        .find(|x| x.year == 2020)
        .unwrap();
    assert_eq!(dy.themes, 2);
    assert!((dy.diversity - 2.0).abs() < 1e-9);
    // Energy category in 2020: three delegates, four proposal themes.
    let energy = h
        .categories
        .iter()
        .find(|r| r.group == "energy" && r.year == 2020)
        .unwrap();
    assert_eq!((energy.delegates, energy.proposal_themes), (3, 4));
    let cap = h
        .cap_topics
        .iter()
        .find(|r| r.group == "10 Transportation" && r.year == 2023)
        .unwrap();
    assert_eq!(cap.delegates, 1);
}

#[test]
fn a_proposal_without_themes_is_still_a_record() {
    let s = Scratch::small();
    s.edit(
        "datasets/proposals/2022.csv",
        "Automate the ports.,smart port,",
        "Automate the ports.,,",
    );
    let d = diff_json(&s.datasets(), 2021, 2022);
    let alice = delegate(&d, "alice");
    assert_eq!(alice["state"], "continuing");
    assert_eq!(themes(&alice["dropped"]), vec!["battery-swapping"]);
    assert!(alice["new"].as_array().unwrap().is_empty());
}

#[test]
fn a_year_with_only_theme_less_proposals_still_has_records_in_the_history() {
    let s = Scratch::small();
    s.edit(
        "datasets/proposals/2022.csv",
        "Automate the ports.,smart port,",
        "Automate the ports.,,",
    );
    let (model, h) = history_of(&s.datasets());
    let swap = record(&model, &h, "alice", "battery-swapping");
    // 2022 has a record (a proposal without themes), so the 2023 swapping
    // proposal is a return, exactly as the 2021→2022 diff calls it dropped.
    assert_eq!(h.years(swap), [2020, 2021, 2023]);
    assert!(swap.returning);
}
