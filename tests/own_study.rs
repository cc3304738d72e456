//! A study of one's own: any body, the optional columns left out, `init`,
//! every problem in one run, and the README's walkthrough.

use std::path::Path;

use crate::common::{bin, on, stderr, stdout, Expect};

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// Three provincial deputies over three years, a provincial congress of
/// their own, no company, summary, confidence, note, cap_major or aliases
/// columns anywhere.
fn provincial(dir: &Path) {
    write(
        dir,
        &[
            (
                "bodies.csv",
                "id,name_en,name_zh,level,kind\nzj,Zhejiang Provincial People's Congress,浙江省人民代表大会,provincial,congress\n",
            ),
            (
                "sessions.csv",
                "year,body,opened\n2022,zj,2022-01-16\n2023,zj,2023-01-12\n2024,zj,2024-01-23\n",
            ),
            (
                "delegates.csv",
                "id,name_en,name_zh\nzhao,Zhao Min,赵敏\nqian,Qian Hua,钱华\nsun,Sun Jie,孙杰\n",
            ),
            (
                "memberships.csv",
                "delegate,body,from,to,last_seen,source\nzhao,zj,2018,,2024,Register\nqian,zj,2018,2022,,Register\nsun,zj,2023,,2023,Register\n",
            ),
            (
                "themes.csv",
                "id,category,label_en,label_zh,measures_searched\nroads,transport,Rural roads,农村公路,2020-2026\ncare,social,Elderly care,养老服务,2020-2026\n",
            ),
            (
                "adoptions.csv",
                "id,theme,measure,issuer,date,kind,scope,found_by,source\nm1,roads,Rural road plan,Provincial government,2022-08-01,plan,provincial,theme-search,Gazette\nm2,care,Elderly-care rules,Standing committee,2021-05-01,local-rule,provincial,theme-search,Gazette\n",
            ),
            (
                "proposals/2022.csv",
                "id,year,delegate,body,title,themes,source\n2022-zhao,2022,Zhao Min,zj,Roads,Rural roads,Paper\n2022-qian,2022,钱华,zj,Care,养老服务,Paper\n",
            ),
            (
                "proposals/2023.csv",
                "id,year,delegate,body,title,themes,source\n2023-zhao,2023,Zhao Min,zj,Roads and care,rural roads; elderly care,Paper\n2023-sun,2023,Sun Jie,浙江省人民代表大会,Care,care,Paper\n",
            ),
            (
                "proposals/2024.csv",
                "id,year,delegate,body,title,themes,source\n2024-zhao,2024,Zhao Min,zj,Care,care,Paper\n",
            ),
        ],
    );
}

#[test]
fn a_provincial_study_reports_with_its_own_body_and_never_says_npc() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    provincial(&data);
    let out = on(&data)
        .args(["report", "--out"])
        .arg(dir.path().join("reports"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let tree = proposal_diff::report::write::read_tree(&dir.path().join("reports")).unwrap();
    for (name, bytes) in &tree {
        let text = String::from_utf8_lossy(bytes);
        for word in ["NPC", "CPPCC", "Two Sessions"] {
            assert!(!text.contains(word), "{name} says {word}");
        }
        if name.ends_with(".md") {
            assert!(
                !text.contains("| Company |"),
                "{name} has an empty Company column"
            );
            assert!(
                !text.contains("CAP major topics"),
                "{name} has an empty CAP section"
            );
        }
    }
    let readme = String::from_utf8_lossy(&tree["README.md"]);
    assert!(
        readme.starts_with("# Proposals to Zhejiang Provincial People's Congress"),
        "{readme}"
    );
    // What *proposal* stands for at the NPC and the CPPCC is said only of
    // a study with proposals to them.
    assert!(!readme.contains("A *proposal* here is"), "{readme}");
    // States: Qian's term ended in 2022 (left); Sun has no record in 2024
    // and was last confirmed in 2023 (membership unknown); Sun's 2023 row
    // names the body by its Chinese name.
    let changes = String::from_utf8_lossy(&tree["delegate_changes.csv"]);
    assert!(
        changes.contains("2022,2023,qian,left,care,,not-member,"),
        "{changes}"
    );
    assert!(
        changes.contains("2023,2024,sun,no-record,care,,unknown,"),
        "{changes}"
    );
    assert!(
        changes.contains("2022,2023,sun,joined,,care,not-member,"),
        "{changes}"
    );
    // Chance for the provincial body: rural roads followed (plan of
    // 2022-08-01) after the 2022 opening only, of the one year (2022)
    // whose 730 days have passed by as-of.
    let chance = String::from_utf8_lossy(&tree["chance.csv"]);
    let roads = chance
        .lines()
        .find(|l| l.starts_with("theme,roads,"))
        .unwrap();
    assert!(roads.starts_with("theme,roads,2,1,"), "{roads}");
}

#[test]
fn init_writes_a_folder_that_validates_and_reports_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let study = dir.path().join("study");
    bin().arg("init").arg(&study).expect_exit(0);
    let out = on(&study).arg("validate").expect_exit(0);
    assert!(
        stdout(&out).starts_with("valid: 2 proposals"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).trim().is_empty(), "{}", stderr(&out));
    on(&study)
        .args(["report", "--quiet", "--out"])
        .arg(dir.path().join("reports"))
        .expect_exit(0);
    assert!(dir.path().join("reports/diff-2025-2026.md").exists());
    // A folder with files in it is never overwritten.
    let again = bin().arg("init").arg(&study).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("not empty"), "{}", stderr(&again));
}

#[test]
fn one_run_lists_a_bad_session_a_bad_body_an_unknown_delegate_and_an_unmapped_theme() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    provincial(&data);
    // A session with an impossible date, a proposal naming a body nobody
    // declared, a delegate nobody listed, and a phrase no theme has.
    let sessions = std::fs::read_to_string(data.join("sessions.csv")).unwrap();
    std::fs::write(
        data.join("sessions.csv"),
        sessions.replace("2023-01-12", "2023-02-30"),
    )
    .unwrap();
    write(
        &data,
        &[(
            "proposals/2024.csv",
            "id,year,delegate,body,title,themes,source\n2024-zhao,2024,Zhao Min,Jiangsu congress,Care,care,Paper\n2024-zhou,2024,Zhou Nobody,zj,Tea,quantum tea,Paper\n",
        )],
    );
    let out = on(&data).arg("validate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("sessions.csv:3: opened:"), "{err}");
    assert!(
        err.contains("proposals/2024.csv:2: body: unknown body `Jiangsu congress`"),
        "{err}"
    );
    assert!(err.contains("proposals/2024.csv:3: delegate:"), "{err}");
    assert!(err.contains("unmapped theme `quantum tea`"), "{err}");
    // Each unmapped phrase once.
    assert_eq!(
        err.matches("unmapped theme `quantum tea`").count(),
        1,
        "{err}"
    );
}

#[test]
fn an_unmapped_phrase_fails_the_gates_once_and_report_only_warns() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    provincial(&data);
    write(
        &data,
        &[(
            "proposals/2024.csv",
            "id,year,delegate,body,title,themes,source\n2024-zhao,2024,Zhao Min,zj,Tea,quantum tea,Paper\n",
        )],
    );
    for cmd in ["validate", "normalize"] {
        let out = on(&data).arg(cmd).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        let err = stderr(&out);
        assert_eq!(
            err.matches("unmapped theme `quantum tea`").count(),
            1,
            "{cmd}: {err}"
        );
        assert!(err.contains("1 theme phrase is unmapped"), "{cmd}: {err}");
        assert!(err.contains("add a theme row"), "{cmd}: {err}");
    }
    let ok = on(&data)
        .args(["validate", "--max-unmapped", "1"])
        .output()
        .unwrap();
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let report = on(&data)
        .args(["report", "--out"])
        .arg(dir.path().join("reports"))
        .output()
        .unwrap();
    assert_eq!(report.status.code(), Some(0));
    assert!(stderr(&report).contains("warning: "), "{}", stderr(&report));
}

#[test]
fn outside_a_datasets_folder_the_message_says_how_to_name_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .current_dir(dir.path())
        .arg("validate")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("--datasets DIR") && err.contains("proposal-diff init DIR"),
        "{err}"
    );
}

#[test]
fn a_single_pair_printed_alone_links_to_no_index() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    provincial(&data);
    let out = on(&data)
        .args(["diff", "--from", "2022", "--to", "2023", "--format", "md"])
        .expect_exit(0);
    assert!(!stdout(&out).contains("(README.md)"), "{}", stdout(&out));
}

/// The README's "Your own study" walkthrough, run as written.
#[test]
fn the_readme_walkthrough_runs_as_written() {
    let readme = std::fs::read_to_string(crate::common::repo().join("README.md")).unwrap();
    let start = readme.find("## Your own study").expect("the section");
    let block = &readme[start..];
    let block = &block[block.find("```sh").unwrap() + 5..];
    let block = &block[..block.find("```").unwrap()];
    let dir = tempfile::tempdir().unwrap();
    for line in block
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let args: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(args[0], "proposal-diff", "{line}");
        let out = bin()
            .current_dir(dir.path())
            .args(&args[1..])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{line}: {}", stderr(&out));
    }
    assert!(dir.path().join("my-study-reports/README.md").exists());
}
