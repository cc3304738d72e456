//! The shipped datasets meet the targets of the data rounds. Thresholds,
//! not exact counts: next year's file only adds to them, so it never breaks
//! these tests.

use std::path::Path;

use crate::common::repo;

/// Every row of a CSV file, as (header, rows) of cells by column name.
fn rows(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn proposals() -> Vec<std::collections::BTreeMap<String, String>> {
    let dir = repo().join("datasets/proposals");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    files.iter().flat_map(|f| rows(f)).collect()
}

#[test]
fn the_shipped_datasets_validate_without_a_warning() {
    let out = crate::common::bin()
        .current_dir(repo())
        .args(["validate"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.trim().is_empty(), "{err}");
}

#[test]
fn the_shipped_datasets_meet_the_round_3_targets() {
    let d = repo().join("datasets");
    let props = proposals();
    assert!(props.len() >= 190, "{} proposals", props.len());
    let delegates: std::collections::BTreeSet<&str> =
        props.iter().map(|p| p["delegate"].as_str()).collect();
    assert!(
        delegates.len() >= 20,
        "{} delegates with records",
        delegates.len()
    );
    let y2026 = props.iter().filter(|p| p["year"] == "2026").count();
    assert!(y2026 >= 15, "{y2026} proposals in 2026");

    let measures = rows(&d.join("adoptions.csv"));
    assert!(measures.len() >= 100, "{} measures", measures.len());
    let searched_measures = measures
        .iter()
        .filter(|m| m["found_by"] == "theme-search")
        .count();
    assert!(
        searched_measures >= 60,
        "{searched_measures} theme-search measures"
    );
    let themes = rows(&d.join("themes.csv"));
    let searched = themes
        .iter()
        .filter(|t| !t["measures_searched"].is_empty())
        .count();
    assert!(searched >= 40, "{searched} searched themes");

    // Every row has a source; 90% of them with a URL.
    let sourced: Vec<&str> = props
        .iter()
        .chain(&measures)
        .map(|r| r["source"].as_str())
        .collect();
    assert!(sourced.iter().all(|s| !s.trim().is_empty()));
    let with_url = sourced.iter().filter(|s| s.contains("http")).count();
    assert!(
        with_url * 10 >= sourced.len() * 9,
        "{with_url} of {} with a URL",
        sourced.len()
    );
    for m in rows(&d.join("memberships.csv")) {
        assert!(!m["source"].trim().is_empty(), "{m:?}");
    }
}
