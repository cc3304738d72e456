//! `check`, the CI gate, on a scratch copy of the shipped data.

use crate::common::{stderr, stdout, Expect, Scratch};

fn with_reports() -> Scratch {
    let s = Scratch::shipped();
    s.run().args(["report", "--quiet"]).assert().code(0);
    s
}

#[test]
fn current_reports_pass() {
    let s = with_reports();
    let out = s.run().args(["check", "--quiet"]).expect_exit(0);
    let files = proposal_diff::report::write::read_tree(&s.path("reports"))
        .unwrap()
        .len();
    assert!(
        stdout(&out).contains(&format!("are current ({files} files)")),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_changed_theme_shows_the_input_and_the_changed_lines() {
    let s = with_reports();
    s.edit(
        "datasets/proposals/2022.csv",
        "platform; e-bike safety; first aid",
        "platform; first aid",
    );
    let out = s
        .run()
        .args(["check", "--quiet", "--max-diff-lines", "100000"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("inputs changed since the reports were made: proposals/2022.csv (changed)"),
        "{text}"
    );
    assert!(
        text.contains("--- reports/diff-2021-2022.md (committed)"),
        "{text}"
    );
    assert!(
        text.contains("+++ reports/diff-2021-2022.md (from the datasets)"),
        "{text}"
    );
    assert!(
        text.contains("\n-| E-bike safety (电动自行车安全) |"),
        "{text}"
    );
    assert!(
        text.contains("\n-2021,2022,ding-lei,e-bike-safety,new,,2022-ding-lei,"),
        "{text}"
    );
    assert!(
        text.lines().last().unwrap().starts_with("check: "),
        "{text}"
    );
}

#[test]
fn a_wording_change_that_moves_no_figure_still_shows() {
    let s = with_reports();
    s.edit(
        "datasets/proposals/2023.csv",
        "Humanoid robots; car data",
        "Humanoid robots and car data",
    );
    let out = s.run().args(["check", "--quiet"]).expect_exit(1);
    assert!(
        stdout(&out).contains("+- 2023: NPC *Humanoid robots and car data*"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_deleted_report_is_named() {
    let s = with_reports();
    std::fs::remove_file(s.path("reports/history.md")).unwrap();
    let out = s.run().args(["check", "--quiet"]).expect_exit(1);
    assert!(
        stdout(&out).contains("missing: reports/history.md"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_stray_report_is_named() {
    let s = with_reports();
    s.write("reports/diff-2017-2018.md", "# old");
    let out = s.run().args(["check", "--quiet"]).expect_exit(1);
    assert!(
        stdout(&out).contains("no longer produced: reports/diff-2017-2018.md"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_broken_csv_exits_2() {
    let s = with_reports();
    s.edit("datasets/adoptions.csv", ",2022-04-28,", ",2022-04-31,");
    let out = s.run().args(["check", "--quiet"]).expect_exit(2);
    assert!(
        stderr(&out).contains("datasets/adoptions.csv:10: date:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unmapped_themes_beyond_the_limit_exit_2() {
    let s = with_reports();
    s.edit(
        "datasets/proposals/2022.csv",
        "platform; e-bike safety;",
        "platform; quantum widgets;",
    );
    let out = s.run().args(["check", "--quiet"]).expect_exit(2);
    assert!(
        stderr(&out).contains("unmapped theme `quantum widgets`"),
        "{}",
        stderr(&out)
    );
    s.run()
        .args(["check", "--quiet", "--max-unmapped", "1"])
        .expect_exit(1);
}

#[test]
fn an_unreadable_reports_folder_exits_3() {
    let s = Scratch::shipped();
    s.write("reports", "not a folder");
    let out = s.run().args(["check", "--quiet"]).expect_exit(3);
    assert!(
        stderr(&out).contains("cannot read the committed reports"),
        "{}",
        stderr(&out)
    );
}

/// A next-year file made from the last year's rows, with new ids.
fn add_a_year(s: &Scratch) {
    let last = s.read("datasets/proposals/2025.csv");
    let mut next = String::new();
    for (i, line) in last.lines().enumerate() {
        if i == 0 {
            next.push_str(line);
        } else {
            next.push_str(
                &line
                    .replacen("2025-", "2026-", 1)
                    .replacen(",2025,", ",2026,", 1),
            );
        }
        next.push('\n');
    }
    s.write("datasets/proposals/2026.csv", next);
    let mut sessions = s.read("datasets/sessions.csv");
    sessions.push_str("2026,NPC,2026-03-05,\n2026,CPPCC,2026-03-04,\n");
    s.write("datasets/sessions.csv", sessions);
}

#[test]
fn a_reviewer_sees_first_what_adding_a_year_changes() {
    let s = with_reports();
    add_a_year(&s);
    let added = s.read("datasets/proposals/2026.csv").lines().count() - 1;
    let out = s.run().args(["check", "--quiet"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    // The summary comes before any diff.
    let summary = &text[..text.find("--- reports/").expect("diffs follow")];
    assert!(
        summary.starts_with("## What the data change does"),
        "{summary}"
    );
    assert!(summary.contains("`proposals/2026.csv` (new)"), "{summary}");
    assert!(summary.contains("`sessions.csv` (changed)"), "{summary}");
    assert!(
        summary.contains(&format!(
            "- Proposals: {added} added, 0 removed, 0 changed."
        )),
        "{summary}"
    );
    assert!(summary.contains("`2026-lei-jun`"), "{summary}");
    // The headline's proposal count, before and after.
    let before: usize = s
        .read("reports/proposals.csv")
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    assert!(
        summary.contains(&format!("  - Proposals: {before} | ")),
        "{summary}"
    );
    assert!(
        summary.contains(&format!(" → {} | ", before + added)),
        "{summary}"
    );
}

#[test]
fn a_deleted_proposal_and_a_moved_measure_date_are_named_by_id() {
    let s = with_reports();
    let year = s.read("datasets/proposals/2019.csv");
    let kept: Vec<&str> = year
        .lines()
        .filter(|l| !l.starts_with("2019-robin-li,"))
        .collect();
    s.write("datasets/proposals/2019.csv", kept.join("\n") + "\n");
    s.edit(
        "datasets/adoptions.csv",
        ",2019-03-19,plan,",
        ",2019-04-19,plan,",
    );
    let text = stdout(&s.run().args(["check", "--quiet"]).output().unwrap());
    assert!(
        text.contains("- Proposals: 0 added, 1 removed, 0 changed."),
        "{text}"
    );
    assert!(text.contains("  - removed: `2019-robin-li`"), "{text}");
    assert!(
        text.contains("- Measures: 0 added, 0 removed, 1 changed."),
        "{text}"
    );
    assert!(
        text.contains("  - changed: `m-2019-methanol-vehicle-guidance` (date)"),
        "{text}"
    );
}

#[test]
fn a_newly_unmapped_phrase_is_named_with_its_closest_themes() {
    let s = with_reports();
    s.edit(
        "datasets/proposals/2022.csv",
        "platform; e-bike safety; first aid",
        "platform; e-bike safety; first aid; quantum tea ceremonies",
    );
    let out = s.run().args(["check", "--quiet"]).output().unwrap();
    let text = stdout(&out);
    // Over --max-unmapped: invalid input, after the summary says why.
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains("- Theme phrases newly unmapped (1): \"quantum tea ceremonies\""),
        "{text}"
    );
    assert!(text.contains("an alias of an existing theme"), "{text}");
}

#[test]
fn the_diffs_are_capped_and_the_rest_counted_per_file() {
    let s = with_reports();
    add_a_year(&s);
    let text = stdout(
        &s.run()
            .args(["check", "--quiet", "--max-diff-lines", "5"])
            .output()
            .unwrap(),
    );
    let diff_lines = text
        .lines()
        .filter(|l| l.starts_with("--- ") || l.starts_with("+++ ") || l.starts_with("@@"))
        .count();
    assert!(diff_lines <= 5, "{text}");
    let rest = text
        .lines()
        .find(|l| l.starts_with("… past --max-diff-lines 5: and "))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(rest.contains(" more lines in theme_changes.csv"), "{rest}");
}

#[test]
fn github_format_annotates_each_problem_on_its_file_line_and_column() {
    let s = with_reports();
    // The delegate cell is column 3 of the header.
    s.edit(
        "datasets/proposals/2022.csv",
        "2022,Ding Lei,",
        "2022,Nobody 100%,",
    );
    let summary = s.path("step-summary.md");
    let out = s
        .run()
        .args(["check", "--quiet", "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    let line = text
        .lines()
        .find(|l| l.starts_with("::error file="))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains("proposals/2022.csv,line="), "{line}");
    assert!(line.contains(",col=3,"), "{line}");
    // `%` is escaped in the message.
    assert!(line.contains("Nobody 100%25"), "{line}");
    let written = std::fs::read_to_string(&summary).unwrap();
    assert!(written.contains("## The datasets are invalid"), "{written}");
}

#[test]
fn github_format_appends_the_summary_to_the_step_summary() {
    let s = with_reports();
    add_a_year(&s);
    let summary = s.path("step-summary.md");
    std::fs::write(&summary, "earlier steps\n").unwrap();
    let out = s
        .run()
        .args(["check", "--quiet", "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let written = std::fs::read_to_string(&summary).unwrap();
    assert!(
        written.starts_with("earlier steps\n## What the data change does"),
        "{written}"
    );
    assert!(written.contains("`proposals/2026.csv` (new)"), "{written}");
    assert!(
        written
            .trim_end()
            .ends_with("run `proposal-diff report` and commit the result"),
        "{written}"
    );
}

#[test]
fn the_readme_workflow_check_line_runs_as_written() {
    let readme = std::fs::read_to_string(crate::common::repo().join("README.md")).unwrap();
    let line = readme
        .lines()
        .find(|l| l.trim_start().starts_with("- run: proposal-diff check"))
        .expect("the workflow's check step");
    let args: Vec<&str> = line.trim_start()["- run: proposal-diff ".len()..]
        .split_whitespace()
        .collect();
    let s = with_reports();
    s.run().args(&args).expect_exit(0);
}

/// A measure's `names` cell is compared as measures.csv writes it (one
/// escaped cell): a second name that a spreadsheet would read as a
/// formula never shows the measure as changed when nothing changed.
#[test]
fn a_name_guarded_against_formulas_is_not_a_change() {
    let s = Scratch::shipped();
    let text = s.read("datasets/adoptions.csv");
    let mut lines = text.lines();
    let mut out = vec![format!("{},names", lines.next().unwrap())];
    for (i, line) in lines.enumerate() {
        out.push(if i == 0 {
            format!("{line},Baidu; -Robin Li; =X")
        } else {
            format!("{line},")
        });
    }
    s.write("datasets/adoptions.csv", out.join("\n") + "\n");
    s.run().args(["report", "--quiet"]).assert().code(0);
    let measures = s.read("reports/measures.csv");
    // One cell, guarded as a whole: its first character is a letter.
    assert!(measures.contains(",Baidu;-Robin Li;=X,"), "{measures}");
    let out = s.run().args(["check", "--quiet"]).expect_exit(0);
    let text = stdout(&out);
    assert!(text.contains("are current"), "{text}");
    assert!(!text.contains("changed: `m-"), "{text}");
}
