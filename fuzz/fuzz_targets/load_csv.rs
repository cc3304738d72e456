//! Arbitrary bytes as a proposals file: decoded or refused, read or
//! reported, never a panic; every problem has a line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use proposal_diff::dataset::read;
use proposal_diff::dataset::PROPOSAL_COLUMNS;
use proposal_diff::error::Diagnostics;

fuzz_target!(|data: &[u8]| {
    let mut diags = Diagnostics::default();
    if let Some(text) = read::decode(data.to_vec(), "fuzz.csv", &mut diags) {
        let _ = read::read_text(&text, "fuzz.csv", &PROPOSAL_COLUMNS, &mut diags, &mut |row, _| {
            Some(row.get("themes").len())
        });
    }
    assert!(diags.errors.iter().chain(&diags.warnings).all(|p| p.line >= 1));
});
