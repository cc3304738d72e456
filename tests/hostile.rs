//! Hostile and broken input: every case of the corpus under
//! `tests/fixtures/hostile/` gives its expected exit code and messages, or
//! is accepted and rendered safely. Never a panic, never exit 101.
//!
//! A case folder holds files that replace the small fixture's, and an
//! `expected.txt` with lines `command: validate|report`, `exit: N`,
//! optionally `args:` (options before the command), and `stderr: text
//! that must appear` (a reminder: stderr is a snapshot).

use std::fs;
use std::path::Path;

use crate::common::{stderr, Expect, Scratch};
use proposal_diff::dataset::read::{self, TableSpec};
use proposal_diff::dataset::PROPOSAL_COLUMNS;
use proposal_diff::error::Diagnostics;
use proptest::prelude::*;

fn overlay(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            overlay(&entry.path(), &target);
        } else if entry.file_name() != "expected.txt" {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// File names a report tree may hold: fixed names and years only.
fn allowed(name: &str) -> bool {
    let fixed = [
        "README.md",
        "history.md",
        "adoption.md",
        "manifest.json",
        "theme_changes.csv",
        "delegate_changes.csv",
        "theme_history.csv",
        "adoption_links.csv",
        "adoption.csv",
        "normalization.csv",
        "proposals.csv",
        "measures.csv",
        "chance.csv",
        "convergence.csv",
        "charts/themes-by-year.svg",
        "charts/proposal-to-measure.svg",
    ];
    let pair = name
        .strip_prefix("diff-")
        .and_then(|r| r.strip_suffix(".md"))
        .is_some_and(|r| {
            r.len() == 9
                && r.bytes().enumerate().all(|(i, b)| {
                    if i == 4 {
                        b == b'-'
                    } else {
                        b.is_ascii_digit()
                    }
                })
        });
    // Profiles: a plain slug or `_delegate-<n>`, never other dataset text.
    let profile = name.strip_prefix("delegates/").is_some_and(|f| {
        f.strip_suffix(".md").is_some_and(|stem| {
            !stem.is_empty()
                && stem
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        })
    });
    fixed.contains(&name) || pair || profile
}

/// What a rendered tree must never contain, whatever the input.
fn assert_rendered_safely(s: &Scratch) {
    let tree = proposal_diff::report::write::read_tree(&s.path("reports")).unwrap();
    for (name, bytes) in &tree {
        assert!(allowed(name), "unexpected report file {name}");
        let text = String::from_utf8_lossy(bytes);
        if name.ends_with(".md") {
            assert!(!text.contains("<script"), "{name} carries raw HTML");
            assert!(
                !text.contains('\u{202E}') && !text.contains('\u{200B}'),
                "{name} carries invisible marks"
            );
        }
        if name.ends_with(".csv") {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(bytes.as_slice());
            for record in reader.records() {
                for cell in record.unwrap().iter() {
                    let cell = cell.trim_start_matches('\u{FEFF}');
                    let risky = matches!(cell.chars().next(), Some('=' | '+' | '@' | '\t' | '\r'))
                        || (cell.starts_with('-') && cell.parse::<f64>().is_err());
                    assert!(!risky, "{name}: cell `{cell}` would run as a formula");
                }
            }
        }
    }
    // Nothing was written outside the reports folder: the scratch folder
    // holds only the datasets and the reports, and no file anywhere under
    // it is named after dataset text.
    let mut top: Vec<String> = fs::read_dir(s.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, ["datasets", "reports"]);
    assert!(tree
        .keys()
        .all(|k| !k.contains("passwd") && !k.contains("..")));
}

/// Every case of the hostile corpus: `expected.txt` gives the command and
/// the exit code; the whole of stderr, and for `report` the files that
/// name dataset text, are snapshots (`cargo insta review` after a change).
#[test]
fn every_corpus_case_has_its_expected_outcome() {
    insta::glob!("fixtures/hostile/*/expected.txt", |path| {
        let case = path.parent().unwrap();
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let expected = fs::read_to_string(path).unwrap();
        let field = |key: &str| {
            expected
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .unwrap_or_else(|| panic!("{name}: no `{key}` line"))
                .trim()
                .to_string()
        };
        let command = field("command:");
        let code: i32 = field("exit:").parse().unwrap();
        let s = Scratch::small();
        overlay(case, &s.datasets());
        // Optional options before the command (`args: --infer-themes`).
        let args: Vec<&str> = (expected.lines())
            .find_map(|l| l.strip_prefix("args:"))
            .map_or(Vec::new(), |a| a.split_whitespace().collect());
        let out = s.run().args(&args).arg(&command).output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(code), "{name}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("internal error"),
            "{name}: {err}"
        );
        let mut shot = format!("command: {command}\nexit: {code}\n--- stderr ---\n{err}");
        if command == "report" {
            assert_rendered_safely(&s);
            // The tables that carry dataset text, as written.
            for file in ["proposals.csv", "normalization.csv"] {
                let bytes = fs::read(s.path("reports").join(file)).unwrap();
                shot.push_str(&format!(
                    "--- {file} ---\n{}",
                    String::from_utf8_lossy(&bytes).trim_start_matches('\u{FEFF}')
                ));
            }
        }
        insta::assert_snapshot!(shot);
    });
}

#[test]
fn a_ten_megabyte_field_is_refused_with_its_place() {
    let s = Scratch::small();
    let huge = "x".repeat(10 << 20);
    s.edit(
        "datasets/proposals/2021.csv",
        "Build more swap stations.",
        &huge,
    );
    let out = s.run().arg("validate").expect_exit(2);
    assert!(
        stderr(&out).contains("datasets/proposals/2021.csv:2: summary: the value is 10485760 bytes; the limit is 1048576 bytes"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn thousands_of_themes_on_one_row_are_accepted() {
    let s = Scratch::small();
    let themes: Vec<String> = (0..3000)
        .map(|i| {
            if i % 2 == 0 {
                "swap stations".into()
            } else {
                format!("topic {i}")
            }
        })
        .collect();
    s.edit(
        "datasets/proposals/2021.csv",
        "swap stations,",
        &format!("{},", themes.join(";")),
    );
    s.run().args(["report", "--quiet"]).expect_exit(0);
    assert_rendered_safely(&s);
    // The unmapped ones are counted, and the gate refuses them.
    let out = s.run().args(["check", "--quiet"]).expect_exit(2);
    assert!(
        stderr(&out).contains("1500 theme phrases are unmapped"),
        "{}",
        stderr(&out)
    );
}

const SPEC: &TableSpec = &PROPOSAL_COLUMNS;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Arbitrary bytes never panic the reader: they decode or are refused.
    #[test]
    fn arbitrary_bytes_never_panic_the_reader(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut diags = Diagnostics::default();
        if let Some(text) = read::decode(bytes, "x.csv", &mut diags) {
            let _ = read::read_text(&text, "x.csv", SPEC, &mut diags, &mut |row, _| Some(row.line));
        }
        for p in diags.errors.iter().chain(&diags.warnings) {
            prop_assert!(p.line >= 1);
        }
    }

    /// CSV-shaped noise with the right header never panics either, and
    /// every row and problem it yields is on a line of the text, rows in
    /// ascending order.
    #[test]
    fn csv_shaped_noise_never_panics(body in "[a-z0-9,\"\\n\\r;|；é雷 ]{0,300}") {
        let text = format!("id,year,delegate,company,body,title,summary,themes,source\n{body}");
        let lines = text.matches(['\n', '\r']).count() as u64 + 1;
        let mut diags = Diagnostics::default();
        let rows = read::read_text(&text, "x.csv", SPEC, &mut diags, &mut |row, _| Some(row.line));
        if let Some(rows) = rows {
            prop_assert!(rows.iter().all(|&l| (2..=lines).contains(&l)), "{rows:?}");
            prop_assert!(rows.windows(2).all(|w| w[0] < w[1]), "{rows:?}");
        }
        for p in diags.errors.iter().chain(&diags.warnings) {
            prop_assert!((1..=lines).contains(&p.line), "{p}");
        }
    }

    /// Any phrase gets a key that is its own key, with no surrounding
    /// space, and a fingerprint whose words are sorted and unique.
    #[test]
    fn any_phrase_normalizes(s in "\\PC{0,60}") {
        let key = proposal_diff::key::text_key(&s);
        prop_assert_eq!(proposal_diff::key::text_key(&key), key.clone());
        prop_assert_eq!(key.trim(), key.as_str());
        let fp = proposal_diff::key::fingerprint(&key);
        let words: Vec<&str> = fp.split(' ').filter(|w| !w.is_empty()).collect();
        prop_assert!(words.windows(2).all(|w| w[0] < w[1]), "{fp}");
    }
}
