//! `validate` on the real binary: the shipped datasets pass, and every
//! class of broken input exits 2 naming file, line and column.

use crate::common::{stderr, stdout, Expect, Scratch};
use predicates::prelude::*;

#[test]
fn shipped_datasets_are_valid_and_counted() {
    let out = crate::common::bin()
        .args(["validate", "--datasets"])
        .arg(crate::common::frozen())
        .expect_exit(0);
    let text = stdout(&out);
    assert!(
        text.contains("29 proposals in 8 year files (2018–2025)"),
        "{text}"
    );
    assert!(text.contains("21 measures"), "{text}");
    assert!(text.contains("8 delegates"), "{text}");
}

/// Runs `validate` on a scratch copy and asserts exit 2 with `needle` in stderr.
fn fails_with(scratch: &Scratch, needle: &str) -> String {
    let out = scratch.run().arg("validate").output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(err.contains(needle), "expected `{needle}` in:\n{err}");
    err
}

#[test]
fn missing_column_is_named_with_the_file() {
    let s = Scratch::small();
    s.edit("datasets/proposals/2021.csv", ",source\n", ",origin\n");
    fails_with(&s, "datasets/proposals/2021.csv:1: source: missing column");
}

#[test]
fn duplicate_column_is_an_error() {
    let s = Scratch::small();
    s.edit("datasets/themes.csv", "cap_major\n", "cap_major,label_en\n");
    let text = s
        .read("datasets/themes.csv")
        .replace("8\n", "8,x\n")
        .replace(",10\n", ",10,y\n");
    s.write("datasets/themes.csv", text);
    fails_with(
        &s,
        "datasets/themes.csv:1: label_en: duplicate column (columns 3 and 7)",
    );
}

#[test]
fn empty_header_name_is_an_error() {
    let s = Scratch::small();
    s.edit("datasets/delegates.csv", "company\n", "company,\n");
    let text = s
        .read("datasets/delegates.csv")
        .replace("Acme\n", "Acme,\n");
    s.write("datasets/delegates.csv", text);
    fails_with(
        &s,
        "datasets/delegates.csv:1: column 6: the header name is empty",
    );
}

#[test]
fn empty_required_field_is_located() {
    let s = Scratch::small();
    s.edit(
        "datasets/proposals/2021.csv",
        ",Example Daily 2021-03-06",
        ",",
    );
    fails_with(
        &s,
        "datasets/proposals/2021.csv:2: source: required value is empty",
    );
}

#[test]
fn an_id_used_in_two_years_is_an_error() {
    let s = Scratch::small();
    s.edit("datasets/proposals/2021.csv", "2021-bob,", "2020-bob,");
    fails_with(
        &s,
        "datasets/proposals/2021.csv:3: id: id `2020-bob` is used again (first at datasets/proposals/2020.csv:3)",
    );
}

#[test]
fn a_year_that_does_not_match_its_file_is_an_error() {
    let s = Scratch::small();
    s.edit(
        "datasets/proposals/2022.csv",
        "2022-dan,2022,",
        "2022-dan,2021,",
    );
    fails_with(
        &s,
        "datasets/proposals/2022.csv:4: year: 2021 does not match the file's year 2022",
    );
}

#[test]
fn an_unknown_body_is_an_error() {
    let s = Scratch::small();
    s.edit("datasets/proposals/2022.csv", "Dyna,NPC,", "Dyna,Senate,");
    fails_with(
        &s,
        "datasets/proposals/2022.csv:4: body: unknown body `Senate`",
    );
}

#[test]
fn an_unknown_delegate_is_an_error_with_the_closest_names() {
    let s = Scratch::small();
    s.edit("datasets/proposals/2022.csv", "Dan Zhao", "Dan Zhou");
    let err = fails_with(
        &s,
        "datasets/proposals/2022.csv:4: delegate: unknown delegate `Dan Zhou`",
    );
    assert!(err.contains("closest: dan"), "{err}");
}

#[test]
fn an_ambiguous_delegate_names_both_people() {
    let s = Scratch::small();
    s.edit(
        "datasets/delegates.csv",
        "dan,Dan Zhao,赵丹,,Dyna",
        "dan,Dan Zhao,赵丹,Bob Li,Dyna",
    );
    fails_with(&s, "ambiguous delegate `Bob Li`: it names bob and dan");
}

#[test]
fn malformed_dates_are_errors() {
    for (bad, message) in [
        ("2022-13-01", "`2022-13-01` is not a calendar date"),
        ("2022-02-30", "`2022-02-30` is not a calendar date"),
        (
            "March 2022",
            "`March 2022` is not a date of the form YYYY-MM-DD",
        ),
    ] {
        let s = Scratch::small();
        s.edit("datasets/proposals/2022.csv", "source\n", "source,date\n");
        let text = s
            .read("datasets/proposals/2022.csv")
            .replace("03-08\n", &format!("03-08,{bad}\n"));
        let text = text
            .replace("03-06\n", "03-06,\n")
            .replace("03-07\n", "03-07,\n");
        s.write("datasets/proposals/2022.csv", text);
        fails_with(
            &s,
            &format!("datasets/proposals/2022.csv:4: date: {}", message),
        );
    }
}

#[test]
fn a_malformed_measure_date_is_an_error() {
    let s = Scratch::small();
    s.edit("datasets/adoptions.csv", ",2021-06,", ",2021-13,");
    fails_with(
        &s,
        "datasets/adoptions.csv:2: date: `2021-13` has no month 13",
    );
}

#[test]
fn an_adoption_with_an_unknown_theme_or_proposal_is_an_error() {
    let s = Scratch::small();
    s.edit(
        "datasets/adoptions.csv",
        "m-swap-pilot,battery-swapping,",
        "m-swap-pilot,battery-swap,",
    );
    s.edit("datasets/adoptions.csv", ",2022-alice,", ",2022-alicia,");
    let err = fails_with(
        &s,
        "datasets/adoptions.csv:2: theme: unknown theme `battery-swap`",
    );
    assert!(
        err.contains("datasets/adoptions.csv:4: proposals: unknown proposal id `2022-alicia`"),
        "{err}"
    );
}

#[test]
fn overlapping_and_backward_memberships_are_errors() {
    let s = Scratch::small();
    s.edit(
        "datasets/memberships.csv",
        "dan,NPC,2022,,Example Daily 2020-03-01\n",
        "dan,NPC,2022,,Example Daily 2020-03-01\ndan,CPPCC,2021,2023,X\ncarol,CPPCC,2019,2018,X\n",
    );
    let err = fails_with(
        &s,
        "datasets/memberships.csv:6: from: this term overlaps the term at line 5",
    );
    assert!(
        err.contains("datasets/memberships.csv:7: to: the term runs backwards: from 2019 to 2018"),
        "{err}"
    );
}

#[test]
fn a_ragged_row_is_located() {
    let s = Scratch::small();
    s.edit(
        "datasets/proposals/2021.csv",
        "Research.,",
        "Research.,extra,",
    );
    fails_with(
        &s,
        "datasets/proposals/2021.csv:3: row: the row has 10 fields, the header has 9",
    );
}

#[test]
fn an_unclosed_quote_is_located_where_it_opens() {
    let s = Scratch::small();
    s.edit(
        "datasets/proposals/2022.csv",
        "Automated ports,",
        "\"Automated ports,",
    );
    fails_with(
        &s,
        "datasets/proposals/2022.csv:2: row: a quote opened here is never closed",
    );
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let s = Scratch::small();
    s.edit(
        "datasets/proposals/2021.csv",
        "CPPCC,Sodium",
        "Senate,Sodium",
    );
    s.edit("datasets/adoptions.csv", ",2019,", ",19,");
    let err = fails_with(&s, "body: unknown body `Senate`");
    assert!(err.contains("adoptions.csv:3: date:"), "{err}");
    assert!(err.contains("error: invalid input: 2 problems"), "{err}");
}

#[test]
fn a_missing_datasets_folder_is_invalid_input() {
    crate::common::bin()
        .args(["validate", "--datasets", "/nonexistent/datasets"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the datasets folder does not exist",
        ));
}

#[test]
fn unknown_columns_are_a_warning_only() {
    let s = Scratch::small();
    s.edit("datasets/delegates.csv", "company\n", "company,twitter\n");
    let text = s
        .read("datasets/delegates.csv")
        .replace("Acme\n", "Acme,@a\n")
        .replace("Bolt\n", "Bolt,\n")
        .replace("Cargo\n", "Cargo,\n")
        .replace("Dyna\n", "Dyna,\n");
    s.write("datasets/delegates.csv", text);
    s.run()
        .arg("validate")
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "warning: datasets/delegates.csv:1: twitter: unknown column, ignored",
        ));
}

#[test]
fn bytes_neither_utf8_nor_gb18030_are_refused_with_their_line() {
    let s = Scratch::small();
    let mut bytes = s.read("datasets/proposals/2021.csv").into_bytes();
    let at = bytes.windows(8).position(|w| w == b"Research").unwrap();
    bytes.splice(at..at, [0xE9u8, b'x', 0xFC, b'l']);
    s.write("datasets/proposals/2021.csv", bytes);
    fails_with(
        &s,
        "datasets/proposals/2021.csv:3: file: byte 0xE9 at column",
    );
}

#[test]
fn a_missing_file_is_named_with_the_columns_it_needs() {
    let s = Scratch::small();
    std::fs::remove_file(s.path("datasets/adoptions.csv")).unwrap();
    fails_with(&s, "datasets/adoptions.csv:1: file: missing file: a datasets folder needs it (a header row is enough: id,theme,measure");
}

#[test]
fn bodies_are_recognised_in_english_and_chinese() {
    let s = Scratch::small();
    s.edit(
        "datasets/proposals/2022.csv",
        "Dyna,NPC,",
        "Dyna,National People's Congress,",
    );
    s.edit(
        "datasets/proposals/2021.csv",
        "Bolt,CPPCC,",
        "Bolt,全国政协,",
    );
    s.run().arg("validate").assert().code(0);
}

#[test]
fn a_flood_of_problems_prints_the_first_thousand_and_counts_the_rest() {
    let s = Scratch::small();
    // 2,500 rows whose year does not match the file: one problem each.
    let mut text = s.read("datasets/proposals/2021.csv");
    for i in 0..2500 {
        text.push_str(&format!(
            "flood-{i},1999,Alice Wang,Acme,NPC,T,S,battery swapping,Example\n"
        ));
    }
    s.write("datasets/proposals/2021.csv", &text);
    let out = s.run().args(["validate"]).expect_exit(2);
    let err = stderr(&out);
    let located = err
        .lines()
        .filter(|l| l.starts_with("datasets/proposals/2021.csv:") && l.contains(": year: "))
        .filter(|l| !l.ends_with(" more"))
        .count();
    assert_eq!(located, 1000, "{}", &err[..err.len().min(2000)]);
    assert!(err
        .contains("… and 1500 more problems not shown (pass --all-problems to print every one):"));
    assert!(err.contains("datasets/proposals/2021.csv: year: 1500 more"));
    assert!(err
        .trim_end()
        .ends_with("error: invalid input: 2500 problems"));
    // Asked for, every problem is printed; the exit code is the same.
    let all = s.run().args(["validate", "--all-problems"]).expect_exit(2);
    let located = stderr(&all)
        .lines()
        .filter(|l| l.contains(": year: "))
        .count();
    assert_eq!(located, 2500);
}

#[test]
fn many_overlapping_terms_are_one_problem_each_not_one_per_pair() {
    let s = Scratch::small();
    let copies = "alice,NPC,,,x\n".repeat(2000);
    let text = format!("{}{copies}", s.read("datasets/memberships.csv"));
    s.write("datasets/memberships.csv", text);
    let out = s
        .run()
        .args(["validate", "--all-problems"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2));
    // Each copy overlaps alice's open term on line 2 and every copy
    // before it: one problem each, naming one of those.
    let overlaps: Vec<&str> = err.lines().filter(|l| l.contains("overlaps")).collect();
    assert_eq!(overlaps.len(), 2000, "{}", &err[..err.len().min(2000)]);
    assert!(overlaps[0].contains(":6: from: this term overlaps the term at line 2 "));
    assert!(overlaps.iter().all(|l| l.contains("for `alice`")));
    // The last copy (line 2005) is among them.
    assert!(
        err.contains("memberships.csv:2005: from:"),
        "{}",
        &err[..err.len().min(2000)]
    );
}

#[test]
fn a_term_overlapping_only_a_term_already_reported_is_reported_too() {
    let s = Scratch::small();
    // Carol in the CPPCC: 2010–2012, 2012–2014 (overlaps the first), 2014–2016 (overlaps
    // only the second), 2017 onwards (overlaps nothing).
    s.edit(
        "datasets/memberships.csv",
        "dan,NPC,2022,,Example Daily 2020-03-01\n",
        "dan,NPC,2022,,Example Daily 2020-03-01\ncarol,CPPCC,2010,2012,x\ncarol,CPPCC,2012,2014,x\ncarol,CPPCC,2014,2016,x\ncarol,CPPCC,2017,2017,x\n",
    );
    let out = s.run().args(["validate"]).output().unwrap();
    let err = stderr(&out);
    let overlaps: Vec<&str> = err.lines().filter(|l| l.contains("overlaps")).collect();
    assert_eq!(
        overlaps,
        [
            "datasets/memberships.csv:7: from: this term overlaps the term at line 6 for `carol`: a delegate sits in one body at a time",
            "datasets/memberships.csv:8: from: this term overlaps the term at line 7 for `carol`: a delegate sits in one body at a time",
        ],
        "{err}"
    );
}
