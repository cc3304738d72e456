//! Invariants that hold for any data: a diff's new, dropped and recurring
//! themes partition the union of the two years' themes of every continuing
//! delegate; text keys are idempotent and blind to case, width and spacing.

use std::collections::BTreeSet;
use std::path::PathBuf;

use proposal_diff::dataset::{Body, Datasets, Delegate, Proposal, Session, Theme};
use proposal_diff::diff::{self, Change};
use proposal_diff::error::Diagnostics;
use proposal_diff::normalize::{self, key::text_key};
use proptest::prelude::*;

const THEMES: [&str; 6] = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"];

/// Datasets in memory: `themes[d][y]` is the set of theme indices of
/// delegate `d` in year 2020 + `y` (one proposal each, none when empty).
fn datasets(themes: &[Vec<BTreeSet<usize>>]) -> Datasets {
    let mut ds = Datasets {
        root: PathBuf::from("mem"),
        files: vec!["mem/2020.csv".into(), "mem/2021.csv".into()],
        ..Default::default()
    };
    for (i, name) in THEMES.iter().enumerate() {
        ds.themes.push(Theme {
            id: name.to_string(),
            category: "c".into(),
            label_en: name.to_uppercase(),
            label_zh: String::new(),
            aliases: vec![],
            cap_major: None,
            measures_searched: None,
            line: i as u64 + 2,
        });
    }
    for (d, years) in themes.iter().enumerate() {
        ds.delegates.push(Delegate {
            id: format!("d{d}").into(),
            name_en: format!("Delegate {d}").into(),
            name_zh: Default::default(),
            aliases: Box::default(),
            company: Default::default(),
            line: d as u64 + 2,
        });
        for (y, set) in years.iter().enumerate() {
            if set.is_empty() {
                continue;
            }
            let ids: Vec<u32> = (set.iter())
                .map(|&t| ds.phrases.id(&THEMES[t].to_uppercase()))
                .collect();
            ds.phrase_lists.push(&ids).unwrap();
            let title = ds.add_title(y, &format!("Title {d} {y}"));
            ds.proposals.push(Proposal {
                id: format!("p{d}-{y}").into(),
                year: 2020 + y as i32,
                delegate: ds.spellings.id(&format!("d{d}")),
                body: Body::NPC,
                title,
                title_zh: Default::default(),
                date: None,
                confidence: None,
                file: y as u16,
                line: d as u64 + 2,
                offset: 0,
            });
        }
    }
    for y in 2020..=2021 {
        ds.sessions.push(Session {
            year: y,
            body: Body::NPC,
            opened: chrono::NaiveDate::from_ymd_opt(y, 3, 5).unwrap(),
            line: 2,
        });
    }
    ds
}

fn theme_set() -> impl Strategy<Value = BTreeSet<usize>> {
    proptest::collection::btree_set(0..THEMES.len(), 0..=THEMES.len())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn new_dropped_and_recurring_partition_the_union(
        data in proptest::collection::vec(proptest::collection::vec(theme_set(), 2), 1..6)
    ) {
        let mut ds = datasets(&data);
        ds.sort();
        let mut diags = Diagnostics::default();
        let refs = normalize::resolve_delegates(&ds, &mut diags);
        let model = normalize::normalize(ds, refs, Default::default(), &mut diags);
        prop_assert!(diags.errors.is_empty());
        let (facts, history) = diff::history::build(&model);
        let pair = diff::diff_years(&model, &facts, &history, 2020, 2021);
        for (d, years) in data.iter().enumerate() {
            let (a, b) = (&years[0], &years[1]);
            let index = model.ds.delegates.iter().position(|x| x.id == format!("d{d}")).unwrap();
            let mine: Vec<_> = pair.themes.iter().filter(|t| t.delegate as usize == index).collect();
            // Each change names exactly the proposals of its side that carry the theme.
            for t in &mine {
                for (span, year) in [(t.from, 2020), (t.to, 2021)] {
                    let named: Vec<usize> = pair.proposals(span).iter().map(|&p| p as usize).collect();
                    let expected: Vec<usize> = model
                        .proposals_of(index)
                        .filter(|&p| model.ds.proposals[p].year == year
                            && model.tags[p].iter().any(|g| g.theme == t.theme))
                        .collect();
                    prop_assert_eq!(named, expected);
                }
            }
            if a.is_empty() || b.is_empty() {
                // Not continuing: never reported as gaining or dropping themes.
                prop_assert!(mine.is_empty());
                continue;
            }
            let of = |c: Change| -> BTreeSet<usize> {
                mine.iter().filter(|t| t.change == c).map(|t| t.theme as usize).collect()
            };
            let by_name = |set: &BTreeSet<usize>| -> BTreeSet<usize> {
                set.iter().map(|&t| model.ds.themes.iter().position(|x| x.id == THEMES[t]).unwrap()).collect()
            };
            let (a, b) = (by_name(a), by_name(b));
            prop_assert_eq!(of(Change::New), &b - &a);
            prop_assert_eq!(of(Change::Dropped), &a - &b);
            prop_assert_eq!(of(Change::Recurring), &a & &b);
            prop_assert_eq!(mine.len(), (&a | &b).len());
        }
    }

    #[test]
    fn text_keys_are_idempotent(s in "\\PC{0,40}") {
        let k = text_key(&s);
        prop_assert_eq!(text_key(&k), k);
    }

    #[test]
    fn text_keys_ignore_case_width_and_spacing(words in proptest::collection::vec("[a-zA-Z]{1,8}", 1..5)) {
        let plain = words.join(" ");
        let shouty = words.join("  ").to_uppercase();
        let dashed = words.join("-");
        let wide: String = plain
            .chars()
            .map(|c| if c.is_ascii_alphabetic() { char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap() } else { '\u{3000}' })
            .collect();
        let k = text_key(&plain);
        prop_assert_eq!(&text_key(&shouty), &k);
        prop_assert_eq!(&text_key(&dashed), &k);
        prop_assert_eq!(&text_key(&wide), &k);
        prop_assert_eq!(&text_key(&format!("  {plain}. ")), &k);
    }
}

/// Inputs found by `make fuzz`, kept so that the bugs they found stay fixed:
/// each one is checked for the property its target tests, and each folder
/// must hold at least one input (an emptied folder fails, never passes).
#[test]
fn fuzz_regressions_stay_fixed() {
    let root =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz-regressions");
    let files = |target: &str| -> Vec<Vec<u8>> {
        let mut v: Vec<_> = std::fs::read_dir(root.join(target))
            .unwrap()
            .map(|e| std::fs::read(e.unwrap().path()).unwrap())
            .collect();
        v.sort();
        assert!(!v.is_empty(), "no regression inputs for {target}");
        v
    };
    // normalize: a key is its own key, the fingerprint of a fingerprint is itself.
    for bytes in files("normalize") {
        let text = String::from_utf8_lossy(&bytes);
        let key = text_key(&text);
        assert_eq!(text_key(&key), key, "{text:?}");
        let fp = proposal_diff::key::fingerprint(&key);
        assert_eq!(proposal_diff::key::fingerprint(&fp), fp);
    }
    // load_csv: decoded or refused, every problem located on a real line.
    for bytes in files("load_csv") {
        let lines = bytes.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        let mut diags = Diagnostics::default();
        if let Some(text) = proposal_diff::dataset::read::decode(bytes, "x.csv", &mut diags) {
            let _ = proposal_diff::dataset::read::read_text(
                &text,
                "x.csv",
                &proposal_diff::dataset::PROPOSAL_COLUMNS,
                &mut diags,
                &mut |row, _| Some(row.line),
            );
        }
        assert!(
            !diags.errors.is_empty(),
            "a regression input is invalid CSV"
        );
        for p in diags.errors.iter().chain(&diags.warnings) {
            assert!((1..=lines).contains(&p.line), "{p}");
        }
    }
}

proptest! {
    /// The pruned nearest-name search gives exactly what scoring every
    /// name gives, whatever the names, key and n.
    #[test]
    fn closest_is_exact(
        names in proptest::collection::vec(("[ab换电 ]{0,8}", 0usize..6), 0..30),
        key in "[ab换电 ]{0,8}",
        n in 0usize..5,
    ) {
        let names: Vec<(String, usize)> = names;
        let mut best = std::collections::HashMap::new();
        for (name, e) in &names {
            let s = proposal_diff::key::similarity(&key, name);
            let b = best.entry(*e).or_insert(0.0_f64);
            *b = b.max(s);
        }
        let mut every: Vec<(usize, f64)> = best.into_iter().collect();
        every.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        every.truncate(n);
        prop_assert_eq!(proposal_diff::key::closest(&key, &names, n), every);
    }
}
