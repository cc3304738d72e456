//! Arbitrary text as a theme phrase: keys are idempotent and the ladder
//! resolves or leaves it unmapped, never a panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use proposal_diff::dataset::Theme;
use proposal_diff::error::Diagnostics;
use proposal_diff::normalize::key::{fingerprint, text_key};
use proposal_diff::normalize::ThemeIndex;

fn index() -> &'static ThemeIndex {
    static INDEX: OnceLock<ThemeIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let theme = |id: &str, en: &str, zh: &str, aliases: &[&str]| Theme {
            id: id.into(),
            category: "c".into(),
            label_en: en.into(),
            label_zh: zh.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            cap_major: None,
            measures_searched: None,
            line: 2,
        };
        let themes = vec![
            theme("battery-swapping", "Battery swapping", "换电", &["swap stations", "换电站"]),
            theme("sodium-ion-batteries", "Sodium-ion batteries", "钠离子电池", &[]),
            theme("5g", "5G networks", "5G", &["5G commercialization"]),
        ];
        ThemeIndex::new(&themes, 0.85, "themes.csv", &mut Diagnostics::default())
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let key = text_key(text);
    assert_eq!(text_key(&key), key);
    let _ = fingerprint(&key);
    let r = index().resolve(text);
    assert!(r.score >= 0.0 && r.score <= 1.0);
});
