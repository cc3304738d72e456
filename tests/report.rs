//! Reports: snapshots of each renderer on the small fixture, the binary's
//! output equal to the library's, byte-identical reruns, atomic writes,
//! and escaping of hostile dataset text.

use std::fs;
use std::path::Path;

use crate::common::{stderr, Expect, Scratch};
use proposal_diff::config;
use proposal_diff::pipeline::prepare;
use proposal_diff::report::{write, Bundle};

fn analysis(datasets: &Path) -> proposal_diff::pipeline::Analysis {
    let config = config::for_datasets(datasets);
    let model = prepare(&config).unwrap();
    proposal_diff::pipeline::analyse(model, &config)
}

/// The files of the whole tree, rendered in memory, whose names end so.
fn rendered(suffix: &str, datasets: &Path) -> Bundle {
    let mut all = proposal_diff::pipeline::render_all(&analysis(datasets)).unwrap();
    all.retain(|name, _| name.ends_with(suffix));
    all
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap()
}

fn fixture() -> std::path::PathBuf {
    crate::common::repo().join("tests/fixtures/small")
}

#[test]
fn markdown_renderer() {
    let out = rendered(".md", &fixture());
    let names: Vec<&str> = out.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "README.md",
            "adoption.md",
            "delegates/alice.md",
            "delegates/bob.md",
            "delegates/carol.md",
            "delegates/dan.md",
            "diff-2020-2021.md",
            "diff-2021-2022.md",
            "diff-2022-2023.md",
            "history.md"
        ]
    );
    for (name, bytes) in &out {
        insta::assert_snapshot!(format!("markdown__{}", name.replace('/', "_")), text(bytes));
    }
}

#[test]
fn csv_renderer() {
    let out = rendered(".csv", &fixture());
    let names: Vec<&str> = out.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "adoption.csv",
            "adoption_links.csv",
            "chance.csv",
            "convergence.csv",
            "delegate_changes.csv",
            "measures.csv",
            "normalization.csv",
            "proposals.csv",
            "theme_changes.csv",
            "theme_history.csv"
        ]
    );
    for (name, bytes) in &out {
        assert!(
            bytes.starts_with(b"\xEF\xBB\xBF"),
            "{name} starts with a BOM for Excel"
        );
        insta::assert_snapshot!(format!("csv__{name}"), text(&bytes[3..]));
    }
}

#[test]
fn chart_renderer() {
    let out = rendered(".svg", &fixture());
    assert_eq!(out.len(), 2);
    for (name, bytes) in &out {
        let svg = text(bytes);
        assert!(svg.starts_with("<svg"), "{name}");
        // Legible in a 960 px column at its own size: no wider, no text under 11 px.
        let width: f64 = attribute_values(&svg, "width")[0];
        assert!(width <= 960.0, "{name} is {width} px wide");
        let smallest = attribute_values(&svg, "font-size")
            .into_iter()
            .fold(f64::INFINITY, f64::min);
        assert!(smallest >= 11.0, "{name} has text of {smallest} px");
        insta::assert_snapshot!(format!("chart__{}", name.replace('/', "_")), svg);
    }
    let heatmap = text(&out["charts/themes-by-year.svg"]);
    assert!(heatmap.contains("Alice Wang 王爱丽"));
    let timeline = text(&out["charts/proposal-to-measure.svg"]);
    assert!(timeline.contains("2020 Alice Wang 王爱丽 · Battery swapping"));
    for legend in [
        "later measure",
        "concurrent (within the window)",
        "under way before, completed later",
        "preceded the proposal",
    ] {
        assert!(timeline.contains(legend), "{legend}");
    }
}

/// The numeric values of an SVG attribute, in document order.
fn attribute_values(svg: &str, name: &str) -> Vec<f64> {
    let needle = format!(" {name}=\"");
    svg.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &svg[i + needle.len()..];
            rest[..rest.find('"')?].trim_end_matches("px").parse().ok()
        })
        .collect()
}

#[test]
fn manifest_renderer() {
    let out = rendered("manifest.json", &fixture());
    let manifest = text(&out["manifest.json"]);
    insta::assert_snapshot!("manifest", manifest);
}

#[test]
fn the_binary_writes_what_the_library_renders_and_reruns_are_identical() {
    let s = Scratch::small();
    for out in ["one", "two"] {
        s.run()
            .args(["report", "--quiet", "--out", out])
            .assert()
            .code(0);
    }
    let mut one = write::read_tree(&s.path("one")).unwrap();
    let mut two = write::read_tree(&s.path("two")).unwrap();
    // The index quotes the command that made it: only `--out` differs.
    let index = |t: &Bundle, out: &str| {
        String::from_utf8_lossy(&t["README.md"]).replace(&format!(" --out {out}`"), " --out X`")
    };
    assert_eq!(index(&one, "one"), index(&two, "two"));
    let mut expected = proposal_diff::pipeline::render_all(&analysis(&s.datasets())).unwrap();
    for t in [&mut one, &mut two, &mut expected] {
        t.remove("README.md");
    }
    assert_eq!(one, two, "two runs give byte-identical trees");
    assert_eq!(one, expected);
    assert!(one.contains_key("charts/themes-by-year.svg"));
    assert!(one.contains_key("chance.csv"));
    assert_eq!(one.len(), 22, "and README.md");
}

#[test]
fn an_invalid_dataset_leaves_the_previous_reports_untouched() {
    let s = Scratch::small();
    s.run().args(["report", "--quiet"]).assert().code(0);
    let before = write::read_tree(&s.path("reports")).unwrap();
    s.edit("datasets/proposals/2021.csv", "Bob Li", "Nobody");
    s.run().args(["report", "--quiet"]).expect_exit(2);
    assert_eq!(write::read_tree(&s.path("reports")).unwrap(), before);
}

#[test]
fn an_unwritable_target_exits_3_and_changes_nothing() {
    let s = Scratch::small();
    s.write("blocker", "a file where a folder should be");
    let out = s
        .run()
        .args(["report", "--quiet", "--out", "blocker/reports"])
        .expect_exit(3);
    assert!(
        stderr(&out).contains("cannot write the reports to blocker/reports"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        fs::read_to_string(s.path("blocker")).unwrap(),
        "a file where a folder should be"
    );
}

#[cfg(unix)]
#[test]
fn a_reports_symlink_is_refused_with_exit_3() {
    let s = Scratch::small();
    fs::create_dir(s.path("elsewhere")).unwrap();
    fs::write(s.path("elsewhere/keep.txt"), "keep").unwrap();
    std::os::unix::fs::symlink(s.path("elsewhere"), s.path("reports")).unwrap();
    let out = s.run().args(["report", "--quiet"]).expect_exit(3);
    assert!(
        stderr(&out).contains("is a symbolic link"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        fs::read_to_string(s.path("elsewhere/keep.txt")).unwrap(),
        "keep"
    );
}

#[test]
fn a_folder_that_is_not_a_report_tree_is_never_replaced() {
    let s = Scratch::small();
    s.write("project/src/main.rs", "fn main() {}");
    let out = s
        .run()
        .args(["report", "--quiet", "--out", "project"])
        .expect_exit(3);
    assert!(
        stderr(&out).contains("not a report tree"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        fs::read_to_string(s.path("project/src/main.rs")).unwrap(),
        "fn main() {}"
    );
    // An empty folder is fine.
    fs::create_dir(s.path("empty")).unwrap();
    s.run()
        .args(["report", "--quiet", "--out", "empty"])
        .assert()
        .code(0);
}

#[test]
fn an_interrupted_write_leaves_the_old_tree_and_no_debris() {
    let s = Scratch::small();
    s.run().args(["report", "--quiet"]).assert().code(0);
    let before = write::read_tree(&s.path("reports")).unwrap();
    let mut changed = before.clone();
    changed.insert("README.md".into(), b"new".to_vec());
    changed.insert("extra.md".into(), b"extra".to_vec());
    for fail_after in [0, 1, 5, changed.len() - 1] {
        let err = write::write_bundle(&s.path("reports"), &changed, Some(fail_after)).unwrap_err();
        assert!(err.to_string().contains("interrupted"));
        assert_eq!(write::read_tree(&s.path("reports")).unwrap(), before);
    }
    assert_eq!(debris(&s), Vec::<String>::new());
    // A successful write replaces the tree, removing files no longer produced.
    let mut smaller = before.clone();
    smaller.remove("history.md");
    write::write_bundle(&s.path("reports"), &smaller, None).unwrap();
    assert_eq!(write::read_tree(&s.path("reports")).unwrap(), smaller);
}

/// The names of the entries beside `reports/` that start with `.reports`.
fn debris(s: &Scratch) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(s.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".reports"))
        .collect();
    v.sort();
    v
}

#[test]
fn a_killed_run_leaves_the_reports_whole_and_the_next_run_clears_its_debris() {
    let s = Scratch::small();
    s.run().args(["report", "--quiet"]).assert().code(0);
    let before = write::read_tree(&s.path("reports")).unwrap();
    s.edit(
        "datasets/proposals/2021.csv",
        "Sodium batteries",
        "Sodium cells",
    );
    // The process dies after staging three files, as a SIGKILL would end it.
    let out = s
        .run()
        .env("PROPOSAL_DIFF_ABORT_AFTER_FILES", "3")
        .args(["report", "--quiet"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(write::read_tree(&s.path("reports")).unwrap(), before);
    let left = debris(&s);
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].starts_with(".reports.staging-"), "{left:?}");
    // The next run removes it and writes the new tree.
    s.run().args(["report", "--quiet"]).assert().code(0);
    assert_eq!(debris(&s), Vec::<String>::new());
    let after = write::read_tree(&s.path("reports")).unwrap();
    assert_ne!(after, before);
    assert!(String::from_utf8_lossy(&after["proposals.csv"]).contains("Sodium cells"));
}

#[test]
fn only_this_tools_own_leftovers_are_removed() {
    let s = Scratch::small();
    s.run().args(["report", "--quiet"]).assert().code(0);
    for own in [
        ".reports.staging-a1B2c3",
        ".reports.new-Zz9yX8",
        ".reports.old-000000",
    ] {
        s.write(&format!("{own}/README.md"), "half a tree");
    }
    // Not ours: another name, another length, a file, another target.
    for other in [
        ".reports.staging-mine",
        ".reports.staging-a1B2c3d4",
        ".reportsX.new-abcdef",
    ] {
        s.write(&format!("{other}/keep.txt"), "keep");
    }
    s.write(".reports.new-qwerty", "a file, not a folder");
    s.run().args(["report", "--quiet"]).assert().code(0);
    assert_eq!(
        debris(&s),
        [
            ".reports.new-qwerty",
            ".reports.staging-a1B2c3d4",
            ".reports.staging-mine",
            ".reportsX.new-abcdef"
        ]
    );
}

#[test]
fn a_second_run_on_the_same_folder_waits_and_never_mixes_files() {
    let s = Scratch::small();
    s.run().args(["report", "--quiet"]).assert().code(0);
    let before = write::read_tree(&s.path("reports")).unwrap();
    // Another run holds the lock on the folder that holds reports/.
    let held = fs::File::open(s.dir.path()).unwrap();
    held.try_lock().unwrap();
    s.edit(
        "datasets/proposals/2021.csv",
        "Sodium batteries",
        "Sodium cells",
    );
    let mut second = std::process::Command::new(env!("CARGO_BIN_EXE_proposal-diff"))
        .current_dir(s.dir.path())
        .args(["report"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // It says it waits, and touches nothing while it does.
    let mut err = std::io::BufReader::new(second.stderr.take().unwrap());
    let mut first_line = String::new();
    std::io::BufRead::read_line(&mut err, &mut first_line).unwrap();
    assert!(
        first_line.starts_with("waiting for another proposal-diff run that is writing in"),
        "{first_line}"
    );
    assert!(second.try_wait().unwrap().is_none(), "it waits");
    assert_eq!(write::read_tree(&s.path("reports")).unwrap(), before);
    assert_eq!(debris(&s), Vec::<String>::new());
    // Once the lock is released, it goes through and writes the whole tree.
    drop(held);
    assert!(second.wait().unwrap().success());
    let after = write::read_tree(&s.path("reports")).unwrap();
    assert_ne!(after, before);
    assert!(String::from_utf8_lossy(&after["proposals.csv"]).contains("Sodium cells"));
    assert_eq!(debris(&s), Vec::<String>::new());
}

#[test]
fn hostile_text_is_escaped_where_it_lands() {
    let s = Scratch::small();
    s.edit(
        "datasets/proposals/2021.csv",
        "Swap stations for trucks",
        "| <script>alert(1)</script> `x`",
    );
    s.edit(
        "datasets/proposals/2021.csv",
        "Sodium batteries",
        "=HYPERLINK(\"http://evil\")",
    );
    s.edit(
        "datasets/themes.csv",
        "swap stations;换电站",
        "swap stations;换电站;@SUM(1+1)",
    );
    s.edit(
        "datasets/proposals/2022.csv",
        "battery swaping",
        "@SUM(1+1)",
    );
    s.run().args(["report", "--quiet"]).assert().code(0);
    let page = s.read("reports/diff-2020-2021.md");
    assert!(
        page.contains("\\| &lt;script&gt;alert(1)&lt;/script&gt; \\`x\\`"),
        "{page}"
    );
    assert!(!page.contains("<script>"));
    let history_page = s.read("reports/diff-2021-2022.md");
    assert!(
        history_page.contains("=HYPERLINK(\"http://evil\")"),
        "Markdown shows it as text"
    );
    let audit = s.read("reports/normalization.csv");
    assert!(audit.contains("theme,'@SUM(1+1),"), "{audit}");
    assert!(!audit.contains(",@SUM"), "{audit}");
}

#[test]
fn the_trace_variable_prints_stage_timings_and_changes_no_report() {
    let s = Scratch::small();
    let plain = crate::common::bin()
        .args(["--datasets"])
        .arg(s.datasets())
        .args(["report", "--out"])
        .arg(s.path("plain"))
        .env_remove("PROPOSAL_DIFF_TRACE")
        .output()
        .unwrap();
    assert!(plain.status.success());
    assert!(!stderr(&plain).contains("trace:"), "{}", stderr(&plain));

    let traced = crate::common::bin()
        .args(["--datasets"])
        .arg(s.datasets())
        .args(["report", "--out"])
        .arg(s.path("traced"))
        .env("PROPOSAL_DIFF_TRACE", "1")
        .output()
        .unwrap();
    assert!(traced.status.success());
    let err = stderr(&traced);
    for stage in [
        "load",
        "normalize",
        "diff",
        "history",
        "adoption",
        "render: history, adoption, proposals, audit",
        "render: pair tables, Markdown, charts, convergence, manifest",
        "wrote proposals.csv",
    ] {
        assert!(
            err.lines()
                .any(|l| l.starts_with("trace:") && l.ends_with(stage)),
            "no `{stage}` stage in:\n{err}"
        );
    }
    let mut plain = write::read_tree(&s.path("plain")).unwrap();
    let mut traced = write::read_tree(&s.path("traced")).unwrap();
    let index = |t: &mut Bundle, out: &str| {
        let text = String::from_utf8(t.remove("README.md").unwrap()).unwrap();
        text.replace(&format!(" --out {out}`"), " --out X`")
    };
    let (p, t) = (s.path("plain"), s.path("traced"));
    assert_eq!(
        index(&mut plain, &p.to_string_lossy()),
        index(&mut traced, &t.to_string_lossy())
    );
    assert_eq!(plain, traced);
}

/// The frozen round-1 data rendered to a scratch folder.
fn frozen_reports() -> Bundle {
    let s = Scratch::shipped();
    s.run().args(["report", "--quiet"]).assert().code(0);
    write::read_tree(&s.path("reports")).unwrap()
}

#[test]
fn no_page_claims_adoption_and_follow_up_is_explained_where_used() {
    let tree = frozen_reports();
    // `grep -riE "adopted later|[0-9]+ adopted"`, and the old chart title.
    let claims = |t: &str| {
        let t = t.to_lowercase();
        t.contains("adopted later")
            || t.contains("from proposal to measure")
            || t.match_indices(" adopted").any(|(i, _)| {
                t[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_digit())
            })
    };
    for (name, bytes) in &tree {
        let t = String::from_utf8_lossy(bytes);
        assert!(!claims(&t), "{name} claims adoption");
        if name.ends_with(".md") && t.contains("Followed") {
            assert!(t.contains("It says nothing about cause"), "{name}");
        }
        if name.ends_with(".md") && t.contains(" ⚠") {
            assert!(
                t.contains("⚠ marks") || t.contains("are marked ⚠ (`confidence=low`"),
                "{name} uses ⚠ without saying what it means"
            );
        }
    }
    let header = String::from_utf8_lossy(&tree["adoption.csv"]);
    assert!(header.trim_start_matches('\u{FEFF}').starts_with(
        "proposal,year,delegate,theme,followed,first_measure,first_measure_date,lag_days,strength,max_strength,confidence,\
         deciding_measure,measure_confidence,within_window,chance,compared\n"
    ));
}

#[test]
fn returning_themes_first_records_and_moves_are_said_where_they_happen() {
    let tree = frozen_reports();
    let page = |n: &str| String::from_utf8_lossy(&tree[n]).into_owned();
    // Li Shufu's methanol (2018) is returning in 2022, not first raised.
    let p = page("diff-2021-2022.md");
    assert!(
        p.contains("Methanol vehicles and fuel (甲醇汽车与燃料) — returning (last raised 2018)")
    );
    // Zeng Yuqun and Dong Mingzhu's first records are in 2024: never "records resume".
    let p = page("diff-2023-2024.md");
    assert!(p.contains("| [Zeng Yuqun (曾毓群)](#d-zeng-yuqun) | CATL | first record |"));
    assert!(p.contains("2024 is the first year with a record for this delegate in the datasets"));
    // Li Shufu moves from the NPC to the CPPCC in 2023.
    let p = page("diff-2022-2023.md");
    assert!(p.contains("no record found (moved NPC → CPPCC)"));
    assert!(p.contains("Moved between bodies: NPC in 2022, CPPCC in 2023."));
    // The index counts returning themes apart: 2021 → 2022 has one (methanol).
    let readme = page("README.md");
    assert!(
        readme.contains("| [2021 → 2022](diff-2021-2022.md) | 19 | 1 | 8 | 3 |"),
        "{readme}"
    );
    assert!(
        readme.contains("| 2021 → 2022 | 5 | 0 | 0 | 0 | 0 | 0 |"),
        "{readme}"
    );
}

#[test]
fn identical_wording_diffs_are_printed_once_with_every_theme_they_cover() {
    let tree = frozen_reports();
    let p = String::from_utf8_lossy(&tree["diff-2021-2022.md"]).into_owned();
    let robin = &p[p.find("## Robin Li").unwrap()..];
    let bullets: Vec<&str> = robin
        .lines()
        .skip_while(|l| !l.starts_with("How the wording"))
        .skip(2)
        .take_while(|l| l.starts_with("- "))
        .collect();
    assert_eq!(bullets.len(), 1, "{bullets:?}");
    assert!(bullets[0].starts_with(
        "- Autonomous driving (自动驾驶); Carbon peaking and neutrality (碳达峰碳中和); Smart transportation (智慧交通):"
    ));
}

#[test]
fn delegates_per_theme_counts_distinct_delegates() {
    let tree = rendered(".md", &fixture());
    let h = String::from_utf8_lossy(&tree["history.md"]).into_owned();
    // Battery swapping: Alice (2020, 2021, 2023), Bob (2020), Dan (2022):
    // 3 distinct delegates, not 5 delegate-years; first in the table.
    let table = &h[h.find("## Delegates per theme and year").unwrap()..];
    let first_row = table
        .lines()
        .find(|l| {
            l.starts_with("| Battery") || l.starts_with("| Smart") || l.starts_with("| Sodium")
        })
        .unwrap();
    assert_eq!(
        first_row,
        "| Battery swapping (换电) | energy | 2 | 1 | 1 | 1 | 3 |"
    );
}

/// `report --only` writes the named tables, byte for byte as a full run
/// writes them, and the manifest; nothing else.
#[test]
fn only_writes_the_named_tables_as_a_full_run_does() {
    let dir = tempfile::tempdir().unwrap();
    let (full, some) = (dir.path().join("full"), dir.path().join("some"));
    crate::common::on(&crate::common::frozen())
        .args(["report", "--quiet", "--out"])
        .arg(&full)
        .assert()
        .success();
    crate::common::on(&crate::common::frozen())
        .args([
            "report",
            "--quiet",
            "--only",
            "delegate_changes,proposals,chance",
            "--out",
        ])
        .arg(&some)
        .assert()
        .success();
    let written = write::tree_paths(&some).unwrap();
    assert_eq!(
        written,
        [
            "chance.csv",
            "delegate_changes.csv",
            "manifest.json",
            "proposals.csv"
        ]
    );
    for f in &written {
        assert_eq!(
            std::fs::read(some.join(f)).unwrap(),
            std::fs::read(full.join(f)).unwrap(),
            "{f} differs from the full run's"
        );
    }
    // A folder written with --only is a report tree: a full run replaces it.
    crate::common::on(&crate::common::frozen())
        .args(["report", "--quiet", "--out"])
        .arg(&some)
        .assert()
        .success();
    assert!(some.join("README.md").is_file());
}

#[test]
fn only_never_replaces_a_full_report_tree() {
    let dir = tempfile::tempdir().unwrap();
    let full = dir.path().join("reports");
    crate::common::on(&crate::common::frozen())
        .args(["report", "--quiet", "--out"])
        .arg(&full)
        .assert()
        .success();
    let before = write::tree_paths(&full).unwrap();
    let out = crate::common::on(&crate::common::frozen())
        .args(["report", "--quiet", "--only", "proposals", "--out"])
        .arg(&full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("would replace the full reports"),
        "{}",
        stderr(&out)
    );
    assert_eq!(write::tree_paths(&full).unwrap(), before);
}

#[test]
fn only_refuses_a_name_that_is_not_a_table_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::common::on(&crate::common::frozen())
        .args(["report", "--quiet", "--only", "proposals,README", "--out"])
        .arg(dir.path().join("r"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("`README` is not a table"), "{err}");
    assert!(err.contains("theme_changes, delegate_changes"), "{err}");
    assert!(!dir.path().join("r").exists());
}
