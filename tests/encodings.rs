//! Excel's UTF-8 (BOM, CRLF) reads exactly like clean UTF-8, and a GB18030
//! copy decodes to the same records with a warning naming each file.

use std::fs;
use std::path::Path;

use crate::common::Scratch;
use proposal_diff::dataset::{self, Datasets};
use proposal_diff::error::Diagnostics;

fn load(dir: &Path) -> (Datasets, Diagnostics) {
    let mut diags = Diagnostics::default();
    let ds = dataset::load(dir, &mut diags);
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    (ds, diags)
}

/// Everything but the paths, hashes and byte offsets, which differ by
/// design; the proposals' long text as read back from their files.
fn records(ds: &Datasets) -> String {
    let mut text = dataset::TextReader::bulk(ds);
    let proposals: Vec<String> = (0..ds.proposals.len())
        .map(|i| {
            let p = dataset::Proposal {
                offset: 0,
                ..ds.proposals[i].clone()
            };
            let t = text.read(i).expect("the text reads back");
            format!("{p:?} {:?} {:?} {:?}", t.company(), t.summary(), t.source())
        })
        .collect();
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        proposals,
        ds.spellings.names(),
        ds.phrases.names(),
        ds.phrase_lists,
        ds.delegates,
        ds.memberships,
        ds.sessions,
        ds.themes,
        ds.adoptions
    )
}

fn rewrite_all(dir: &Path, f: &dyn Fn(&str) -> Vec<u8>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rewrite_all(&path, f);
        } else {
            let text = fs::read_to_string(&path).unwrap();
            fs::write(&path, f(&text)).unwrap();
        }
    }
}

#[test]
fn bom_and_crlf_read_like_clean_utf8() {
    let clean = Scratch::shipped();
    let excel = Scratch::shipped();
    rewrite_all(&excel.datasets(), &|t| {
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend(t.replace('\n', "\r\n").into_bytes());
        b
    });
    let (a, _) = load(&clean.datasets());
    let (b, warnings) = load(&excel.datasets());
    assert_eq!(records(&a), records(&b));
    assert!(warnings.warnings.is_empty(), "{:?}", warnings.warnings);
    assert_eq!(b.proposals.len(), 29);
}

#[test]
fn gb18030_decodes_to_the_same_records_with_a_warning_per_file() {
    let clean = Scratch::shipped();
    let gb = Scratch::shipped();
    rewrite_all(&gb.datasets(), &|t| {
        encoding_rs::GB18030.encode(t).0.into_owned()
    });
    let (a, _) = load(&clean.datasets());
    let (b, diags) = load(&gb.datasets());
    assert_eq!(records(&a), records(&b));
    let warned: Vec<&str> = diags
        .warnings
        .iter()
        .filter(|w| w.message.contains("decoded as GB18030"))
        .map(|w| w.path.as_str())
        .collect();
    // Files with Chinese text are not UTF-8 any more; each is named.
    assert!(
        warned.iter().any(|p| p.ends_with("delegates.csv")),
        "{warned:?}"
    );
    assert!(
        warned.iter().any(|p| p.ends_with("themes.csv")),
        "{warned:?}"
    );
}

#[test]
fn year_files_read_in_parallel_come_back_in_year_order() {
    let s = Scratch::small();
    let (ds, diags) = load(&s.datasets());
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    let read: Vec<&str> = ds.inputs.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(
        &read[..4],
        [
            "proposals/2020.csv",
            "proposals/2021.csv",
            "proposals/2022.csv",
            "proposals/2023.csv"
        ]
    );
    // Every proposal points at the file it came from, and rows keep year order.
    for p in &ds.proposals {
        assert!(ds.files[usize::from(p.file)].ends_with(&format!("{}.csv", p.year)));
    }
    assert!(ds.proposals.windows(2).all(|w| w[0].year <= w[1].year));
}
