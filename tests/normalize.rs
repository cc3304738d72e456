//! `normalize` on the real binary: the audit, suggestions for unmapped
//! phrases, and the limit that fails a run.

use crate::common::{stderr, stdout, Expect, Scratch};

#[test]
fn shipped_phrases_all_resolve_with_their_rule() {
    let out = crate::common::on(&crate::common::frozen())
        .args(["normalize", "--format", "csv"])
        .expect_exit(0);
    let text = stdout(&out);
    let mut rows = text.lines();
    assert_eq!(
        rows.next(),
        Some("kind,raw,key,resolved,rule,score,count,traditional")
    );
    let rows: Vec<Vec<&str>> = rows.map(|r| r.split(',').collect()).collect();
    let themes: Vec<_> = rows.iter().filter(|r| r[0] == "theme").collect();
    assert_eq!(themes.len(), 79);
    assert!(
        themes
            .iter()
            .all(|r| !r[3].is_empty() && r[4] != "unmapped"),
        "{text}"
    );
    assert!(text.contains("theme,swap standards,swap standards,battery-standards,alias,1.000,1,"));
    assert!(text.contains("delegate,Pony Ma,pony ma,pony-ma,id,1.000,5,"));
}

#[test]
fn chinese_and_respelled_phrases_resolve_like_their_english_form() {
    let s = Scratch::shipped();
    s.edit(
        "datasets/proposals/2021.csv",
        "battery standard; battery swapping",
        "电池标准 | 换电",
    );
    s.edit(
        "datasets/proposals/2022.csv",
        "battery-swapping stations",
        "Swap-Stations",
    );
    s.edit("datasets/proposals/2019.csv", "Lei Jun", "雷军");
    let out = s
        .run()
        .args(["normalize", "--format", "json"])
        .expect_exit(0);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let resolved = |raw: &str| {
        v["audit"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["raw"] == raw)
            .unwrap()["resolved"]
            .clone()
    };
    assert_eq!(resolved("换电"), "battery-swapping");
    assert_eq!(resolved("电池标准"), "battery-standards");
    assert_eq!(resolved("Swap-Stations"), "battery-swapping");
    assert_eq!(resolved("雷军"), "lei-jun");
    // The diff is unchanged by the respelling: Ding Lei still drops both themes in 2022.
    let out = s
        .run()
        .args(["diff", "--from", "2021", "--to", "2022", "--format", "csv"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(
        text.contains("2021,2022,ding-lei,battery-swapping,dropped,2021-ding-lei,,"),
        "{text}"
    );
    assert!(
        text.contains("2021,2022,ding-lei,battery-standards,dropped,2021-ding-lei,,"),
        "{text}"
    );
}

#[test]
fn unmapped_phrases_fail_with_suggestions_unless_allowed() {
    let s = Scratch::small();
    s.edit(
        "datasets/proposals/2021.csv",
        "swap stations,",
        "quantum batteries,",
    );
    let out = s.run().arg("normalize").expect_exit(2);
    let text = stdout(&out);
    assert!(text.contains("quantum batteries"), "{text}");
    assert!(text.contains("1 unmapped"), "{text}");
    assert!(
        stderr(&out).contains("datasets/proposals/2021.csv:2: themes: unmapped theme `quantum batteries` (1 use); closest themes: sodium-ion-batteries"),
        "{}",
        stderr(&out)
    );
    s.run()
        .args(["normalize", "--max-unmapped", "1"])
        .assert()
        .code(0);
    // One rule for the gates: validate fails too, unless allowed.
    s.run().arg("validate").assert().code(2);
    s.run()
        .args(["validate", "--max-unmapped", "1"])
        .assert()
        .code(0);
}

#[test]
fn fuzzy_threshold_is_configurable_and_checked() {
    let s = Scratch::small();
    // "battery swaping" resolves fuzzily at 0.94; a stricter threshold leaves it unmapped.
    s.run()
        .args(["normalize", "--fuzzy-threshold", "0.95"])
        .assert()
        .code(2);
    s.run()
        .args(["normalize", "--fuzzy-threshold", "1.5"])
        .assert()
        .code(2);
    s.run()
        .args(["normalize", "--fuzzy-threshold", "0.9"])
        .assert()
        .code(0);
}

#[test]
fn infer_themes_tags_themes_named_in_the_text() {
    let s = Scratch::small();
    s.edit(
        "datasets/proposals/2021.csv",
        "Research.",
        "Research and smart ports.",
    );
    let bob_2021 = s
        .run()
        .args([
            "diff",
            "--from",
            "2020",
            "--to",
            "2021",
            "--format",
            "json",
            "--infer-themes",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&bob_2021.stdout).unwrap();
    let bob = crate::common::delegate_in(&v, "bob");
    assert!(
        bob["themes_to"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("smart-ports")),
        "{bob}"
    );
    let plain = s
        .run()
        .args(["diff", "--from", "2020", "--to", "2021", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
    let bob = crate::common::delegate_in(&v, "bob");
    assert!(!bob["themes_to"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("smart-ports")));
}

#[test]
fn traditional_characters_resolve_like_simplified_ones() {
    let s = Scratch::small();
    // A name and a theme as a Hong Kong or Taiwan outlet writes them, and a
    // taxonomy alias in traditional characters.
    s.edit("datasets/proposals/2022.csv", "Carol Zhang", "張卡羅");
    s.edit("datasets/proposals/2022.csv", "battery swaping", "換電站");
    s.edit(
        "datasets/themes.csv",
        "swap stations;换电站",
        "swap stations;換電站",
    );
    let out = s
        .run()
        .args(["normalize", "--format", "csv"])
        .expect_exit(0);
    let text = stdout(&out);
    // Each resolves by its rule; the last column says folding was needed.
    for row in [
        "delegate,張卡羅,张卡罗,carol,alias,1.000,1,yes\n",
        "theme,換電站,换电站,battery-swapping,alias,1.000,1,yes\n",
        // The simplified spelling elsewhere meets the traditional alias.
        "theme,换电站,换电站,battery-swapping,alias,1.000,1,\n",
    ] {
        assert!(text.contains(row), "no `{row}` in:\n{text}");
    }
}

#[test]
fn adding_next_years_file_to_the_shipped_datasets_keeps_them_valid() {
    // The shipped-data checks run on a copy with next year's file added:
    // adding a year never breaks them.
    let s = Scratch::from(&crate::common::repo().join("datasets"));
    let last: i32 = std::fs::read_dir(s.path("datasets/proposals"))
        .unwrap()
        .filter_map(|e| {
            e.ok()?
                .file_name()
                .to_str()?
                .strip_suffix(".csv")?
                .parse()
                .ok()
        })
        .max()
        .unwrap();
    let next = last + 1;
    let header = s
        .read(&format!("datasets/proposals/{last}.csv"))
        .lines()
        .next()
        .unwrap()
        .to_string();
    let columns: Vec<&str> = header.split(',').collect();
    let cell = |c: &str| match c {
        "id" => format!("{next}-lei-jun-test"),
        "year" => next.to_string(),
        "delegate" => "雷軍".into(),
        "company" => "Xiaomi".into(),
        "body" => "NPC".into(),
        "title" => "A test proposal".into(),
        "themes" => "自動駕駛".into(),
        "source" => format!("Test Daily {next}-03-05"),
        _ => String::new(),
    };
    let row: Vec<String> = columns.iter().map(|c| cell(c)).collect();
    s.write(
        &format!("datasets/proposals/{next}.csv"),
        format!("{header}\n{}\n", row.join(",")),
    );
    let mut sessions = s.read("datasets/sessions.csv");
    sessions.push_str(&format!(
        "{next},NPC,{next}-03-05,\n{next},CPPCC,{next}-03-04,\n"
    ));
    s.write("datasets/sessions.csv", sessions);
    let out = s.run().args(["validate"]).expect_exit(0);
    assert!(
        stdout(&out).contains(&format!("(2018–{next})")),
        "{}",
        stdout(&out)
    );
    s.run().args(["report", "--quiet"]).assert().code(0);
    s.run().args(["check", "--quiet"]).expect_exit(0);
    assert!(s.path(&format!("reports/diff-{last}-{next}.md")).exists());
}
