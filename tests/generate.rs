//! `generate`: deterministic, valid, and as messy as real tags.

use std::path::Path;

use crate::common::{stderr, stdout, Expect};
use proposal_diff::config;
use proposal_diff::pipeline::prepare;
use proposal_diff::report::write::read_tree;

fn generate(out: &Path, seed: &str) {
    crate::common::bin()
        .args([
            "generate",
            "--delegates",
            "300",
            "--years",
            "4",
            "--seed",
            seed,
            "--out",
        ])
        .arg(out)
        .expect_exit(0);
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_does_not() {
    let dir = tempfile::tempdir().unwrap();
    generate(&dir.path().join("a"), "42");
    generate(&dir.path().join("b"), "42");
    generate(&dir.path().join("c"), "43");
    let a = read_tree(&dir.path().join("a")).unwrap();
    assert_eq!(a, read_tree(&dir.path().join("b")).unwrap());
    assert_ne!(a, read_tree(&dir.path().join("c")).unwrap());
    let names: Vec<&str> = a.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            ".proposal-diff-generated",
            "adoptions.csv",
            "delegates.csv",
            "memberships.csv",
            "proposals/2022.csv",
            "proposals/2023.csv",
            "proposals/2024.csv",
            "proposals/2025.csv",
            "sessions.csv",
            "themes.csv"
        ]
    );
}

/// A folder with generated `datasets/` and the `reports/` made from them.
fn reported(seed: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("datasets");
    generate(&data, seed);
    crate::common::on(&data)
        .args(["report", "--quiet", "--out"])
        .arg(dir.path().join("reports"))
        .expect_exit(0);
    dir
}

#[test]
fn generate_replaces_only_a_folder_it_generated() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("data");
    generate(&out, "1");
    generate(&out, "2"); // its own folder: replaced whole
    assert!(out.join(".proposal-diff-generated").is_file());
    // Real datasets given to --out by mistake are never replaced.
    let real = dir.path().join("datasets");
    crate::common::copy_dir(&crate::common::frozen(), &real);
    let before = read_tree(&real).unwrap();
    let o = crate::common::bin()
        .args(["generate", "--delegates", "5", "--years", "2", "--out"])
        .arg(&real)
        .expect_exit(3);
    assert!(
        stderr(&o).contains("holds no .proposal-diff-generated: refusing to replace a folder that is not a generated datasets folder"),
        "{}",
        stderr(&o)
    );
    assert_eq!(read_tree(&real).unwrap(), before);
}

#[test]
fn generated_data_validates_with_messy_tags_resolved() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), "7");
    // Generated tags are messy on purpose: a few stay unmapped.
    let out = crate::common::bin()
        .arg("--datasets")
        .arg(dir.path())
        .args(["validate", "--max-unmapped", "100"])
        .expect_exit(0);
    assert!(stdout(&out).contains("300 delegates"));
    let audit = crate::common::bin()
        .arg("--datasets")
        .arg(dir.path())
        .args(["normalize", "--format", "csv", "--max-unmapped", "100"])
        .output()
        .unwrap();
    let text = stdout(&audit);
    for rule in [",id,", ",alias,", ",fingerprint,", ",fuzzy,"] {
        assert!(text.contains(rule), "no phrase resolved by {rule}");
    }
    assert!(
        text.lines()
            .any(|l| l.starts_with("theme,") && !l.is_ascii()),
        "Chinese phrases"
    );
    assert!(text.contains(",unmapped,"), "a few phrases stay unmapped");
}

/// The binary's diff against an oracle written here with plain sets: per
/// delegate with records in both years, the themes of each year from the
/// normalized tags, and their differences.
#[test]
fn the_cli_diff_matches_a_set_oracle_on_generated_data() {
    use std::collections::{BTreeMap, BTreeSet};
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), "9");
    let out = crate::common::bin()
        .arg("--datasets")
        .arg(dir.path())
        .args([
            "diff", "--from", "2023", "--to", "2024", "--format", "csv", "--quiet",
        ])
        .expect_exit(0);
    let got: BTreeSet<(String, String, String)> = stdout(&out)
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            (c[2].to_string(), c[3].to_string(), c[4].to_string())
        })
        .collect();

    let model = prepare(&config::for_datasets(dir.path())).unwrap();
    let ds = &model.ds;
    let mut by_year: BTreeMap<(i32, &str), BTreeSet<&str>> = BTreeMap::new();
    for (p, tags) in model.tags.iter().enumerate() {
        let year = ds.proposals[p].year;
        let d = ds.delegates[model.delegate_of[p]].id.as_str();
        let e = by_year.entry((year, d)).or_default();
        e.extend(tags.iter().map(|t| ds.themes[t.theme as usize].id.as_str()));
    }
    let mut expected = BTreeSet::new();
    for ((year, d), from) in by_year.range((2023, "")..(2024, "")) {
        assert_eq!(*year, 2023);
        let Some(to) = by_year.get(&(2024, d)) else {
            continue;
        };
        for t in from.union(to) {
            let change = match (from.contains(t), to.contains(t)) {
                (true, true) => "recurring",
                (true, false) => "dropped",
                _ => "new",
            };
            expected.insert((d.to_string(), t.to_string(), change.to_string()));
        }
    }
    assert!(expected.len() > 100);
    assert_eq!(got, expected);
}

#[test]
fn with_more_than_200_delegates_the_markdown_summarizes_and_the_csv_stays_complete() {
    let dir = reported("3");
    let page = std::fs::read_to_string(dir.path().join("reports/diff-2023-2024.md")).unwrap();
    assert!(
        page.contains("The first 50 of 271 delegates, by most new and dropped themes, then id; every row is in"),
        "{}",
        &page[..500]
    );
    let sections = page.matches("<a id=\"d-").count();
    assert_eq!(sections, 50);
    let csv = std::fs::read_to_string(dir.path().join("reports/delegate_changes.csv")).unwrap();
    let delegates_2023_2024: std::collections::BTreeSet<&str> = csv
        .lines()
        .filter(|l| l.starts_with("2023,2024,"))
        .map(|l| l.split(',').nth(2).unwrap())
        .collect();
    assert!(
        delegates_2023_2024.len() > 200,
        "every delegate is in the CSV"
    );
}

#[test]
fn the_timeline_draws_forty_rows_with_every_year_present_and_says_so() {
    let dir = reported("3");
    let svg =
        std::fs::read_to_string(dir.path().join("reports/charts/proposal-to-measure.svg")).unwrap();
    let title = svg
        .split("Proposal themes and measures on the same theme (")
        .nth(1)
        .expect("a shortened chart says so in its title");
    assert!(title.starts_with("40 of "), "{}", &title[..40]);
    // Rows from every session year of the data (2022 to 2025), not only
    // the first ones by date.
    for year in 2022..=2025 {
        assert!(svg.contains(&format!("\n{year} ")), "no row from {year}");
    }
}

#[test]
fn a_closed_pipe_ends_a_run_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("datasets");
    // Enough delegates that the table is far larger than a pipe's buffer.
    crate::common::bin()
        .args([
            "generate",
            "--delegates",
            "3000",
            "--years",
            "2",
            "--seed",
            "5",
            "--quiet",
            "--out",
        ])
        .arg(&data)
        .assert()
        .success();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_proposal-diff"))
        .arg("--datasets")
        .arg(&data)
        .args(["diff", "--from", "2024", "--to", "2025", "--format", "csv"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line, then close the pipe, as `| head -1` does.
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut out, &mut first).unwrap();
    assert!(first.starts_with("from_year,to_year,delegate"), "{first}");
    drop(out);
    let done = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&done.stderr);
    assert_eq!(done.status.code(), Some(0), "{err}");
    assert!(!err.contains("error"), "{err}");
}

#[test]
fn more_delegates_than_memory_allows_is_a_usage_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("g");
    for n in ["0", "20000001", "100000000000000000"] {
        let run = crate::common::bin()
            .args(["generate", "--delegates", n, "--years", "1", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(2), "{n}");
        assert!(
            crate::common::stderr(&run).contains("--delegates must be between 1 and 20000000"),
            "{n}"
        );
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
