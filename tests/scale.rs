//! The reports on 200,000 generated rows stay byte-identical across
//! rewrites of the pipeline: the SHA-256 of every file is recorded in
//! `tests/fixtures/generated-200k.sha256`, taken from the tool before the
//! scale work (issue 16). When a change to the reports is intended, rerun
//! with `UPDATE_DIGESTS=1` and commit the new list with the change.

use std::fmt::Write as _;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::common::bin;

const DIGESTS: &str = "tests/fixtures/generated-200k.sha256";

/// `<sha256>  <path>` for every file under `root`, sorted by path.
fn digests(root: &Path) -> String {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((rel, path));
            }
        }
    }
    files.sort();
    let mut out = String::new();
    for (rel, path) in files {
        let hash = Sha256::digest(std::fs::read(&path).unwrap());
        let _ = writeln!(out, "{hash:x}  {rel}");
    }
    out
}

#[test]
fn reports_on_200k_generated_rows_are_byte_identical_to_the_recorded_ones() {
    let dir = tempfile::tempdir().unwrap();
    let (data, reports) = (dir.path().join("data"), dir.path().join("reports"));
    bin()
        .args([
            "generate",
            "--delegates",
            "26700",
            "--years",
            "10",
            "--seed",
            "3",
            "--quiet",
        ])
        .arg("--out")
        .arg(&data)
        .assert()
        .success();
    // Relative folders: the index quotes the command that made it.
    bin()
        .current_dir(dir.path())
        .args([
            "--datasets",
            "data",
            "report",
            "--quiet",
            "--out",
            "reports",
        ])
        .assert()
        .success();
    let actual = digests(&reports);
    let path = crate::common::repo().join(DIGESTS);
    if std::env::var_os("UPDATE_DIGESTS").is_some() {
        std::fs::write(&path, &actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    let lines =
        |s: &str| -> std::collections::BTreeSet<String> { s.lines().map(str::to_string).collect() };
    let (want, got) = (lines(&expected), lines(&actual));
    let differ: Vec<_> = want.symmetric_difference(&got).collect();
    assert!(
        differ.is_empty(),
        "reports on 200k generated rows changed (rerun with UPDATE_DIGESTS=1 if intended):\n{}",
        differ
            .iter()
            .map(|l| format!("  {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(got.iter().any(|l| l.ends_with("  theme_changes.csv")));
}
