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
    let out = s.run().args(["check", "--quiet"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.starts_with(
            "inputs changed since the reports were made: proposals/2022.csv (changed)"
        ),
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
