//! Text keys: the form in which two spellings of one phrase become equal.
//!
//! NFKC folds full-width and compatibility forms, case folding makes case
//! irrelevant, traditional Chinese characters fold to simplified (馬化騰
//! and 马化腾 are one key; the OpenCC tables of the `hanconv` crate), `-`
//! `_` `/` and all whitespace become one space, and punctuation around the
//! phrase is dropped. Chinese needs no word splitting: it is compared
//! character by character.
//!
//! A leaf module: the loader and the normalizer both use it, and it uses
//! neither.

use rapidfuzz::distance::levenshtein;
use unicode_normalization::UnicodeNormalization;

/// Does the text hold a CJK character (where folding to simplified can
/// change anything)? A cheap test that spares most keys the conversion.
fn has_cjk(s: &str) -> bool {
    s.chars()
        .any(|c| ('\u{2E80}'..='\u{FFEF}').contains(&c) || c >= '\u{20000}')
}

/// The text with traditional Chinese characters folded to simplified;
/// borrowed when nothing changes.
pub fn to_simplified(s: &str) -> std::borrow::Cow<'_, str> {
    if !has_cjk(s) {
        return std::borrow::Cow::Borrowed(s);
    }
    let t = hanconv::t2s(s);
    if t == s {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(t)
    }
}

/// Was any traditional character folded in this text's key?
pub fn has_traditional(s: &str) -> bool {
    matches!(to_simplified(s), std::borrow::Cow::Owned(_))
}

/// The comparison key of a phrase.
pub fn text_key(s: &str) -> String {
    // ASCII is its own NFKC form, and its case folding is lowercasing.
    let folded = if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        // NFKC again after folding: folding can leave combining marks out
        // of canonical order (İ folds to i + U+0307), and a key must be
        // its own key.
        let once = caseless::default_case_fold_str(&s.nfkc().collect::<String>());
        let simplified = to_simplified(&once).nfkc().collect::<String>();
        // Folding to simplified can meet a character that folds again
        // (rare compatibility forms); a key must be its own key.
        match to_simplified(&simplified) {
            std::borrow::Cow::Borrowed(_) => simplified,
            std::borrow::Cow::Owned(again) => again.nfkc().collect(),
        }
    };
    let mut out = String::with_capacity(folded.len());
    let mut pending_space = false;
    for c in folded.chars() {
        if c.is_whitespace() || matches!(c, '-' | '_' | '/' | '‐' | '–' | '—') || c.is_control()
        {
            pending_space = true;
            continue;
        }
        if is_invisible(c) {
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
    }
    out.trim_matches(|c: char| !c.is_alphanumeric())
        .trim()
        .to_string()
}

/// Zero-width and direction marks that NFKC keeps but a reader never sees.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// The fingerprint of a key: its words with simple plurals folded, sorted
/// and unique, so that "swap stations" and "station swap" meet.
pub fn fingerprint(key: &str) -> String {
    let mut words: Vec<String> = key
        .split(' ')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(singular)
        .collect();
    words.sort();
    words.dedup();
    words.join(" ")
}

/// English plural folding, deliberately simple: `ies` → `y`, `ches`,
/// `shes`, `xes`, `sses` lose `es`, and a final `s` goes unless the word ends
/// in `ss`, `us` or `is` or is short.
fn singular(w: &str) -> String {
    if !w.is_ascii() || w.len() <= 3 {
        return w.to_string();
    }
    if let Some(stem) = w.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for suffix in ["ches", "shes", "xes", "sses"] {
        if w.ends_with(suffix) {
            return w[..w.len() - 2].to_string();
        }
    }
    if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        return w[..w.len() - 1].to_string();
    }
    w.to_string()
}

/// Similarity of two keys in [0, 1], over characters (so Chinese compares
/// by character): 1 minus the normalized edit distance.
pub fn similarity(a: &str, b: &str) -> f64 {
    score(
        levenshtein::distance(a.chars(), b.chars()),
        a.chars().count(),
        b.chars().count(),
    )
}

/// 1 minus an edit distance over the longer length; 1 for two empty strings.
fn score(distance: usize, a_len: usize, b_len: usize) -> f64 {
    let longest = a_len.max(b_len);
    if longest == 0 {
        1.0
    } else {
        1.0 - distance as f64 / longest as f64
    }
}

/// The `n` entities whose names are most similar to `key`, best first,
/// one score per entity (its best name); equal scores in entity order.
///
/// The edit distance is at least the difference in length, so a name's
/// similarity is at most `1 - |len(key) - len(name)| / max`. Names are
/// scored from the highest such bound down, and the scan stops once the
/// bound falls below the n-th best score so far: no name left could enter
/// the top `n` or change a score in it. The result is exactly that of
/// scoring every name.
///
/// Each distance is computed bit-parallel against the key's pattern, and
/// once `n` entities are in hand it is cut off where the name could no
/// longer reach the n-th best score.
pub fn closest<N: AsRef<str>>(key: &str, names: &[(N, usize)], n: usize) -> Vec<(usize, f64)> {
    let key_len = key.chars().count();
    let pattern = levenshtein::BatchComparator::new(key.chars());
    let bound = |name: &str| {
        let len = name.chars().count();
        let longest = key_len.max(len);
        if longest == 0 {
            1.0
        } else {
            1.0 - key_len.abs_diff(len) as f64 / longest as f64
        }
    };
    let mut order: Vec<(f64, usize)> = names
        .iter()
        .enumerate()
        .map(|(i, (name, _))| (bound(name.as_ref()), i))
        .collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut best: std::collections::HashMap<usize, f64> = std::collections::HashMap::new();
    // The entities with the n best scores so far, highest first.
    let mut top: Vec<(usize, f64)> = Vec::with_capacity(n + 1);
    for (upper, i) in order {
        if n > 0 && top.len() == n && upper < top[n - 1].1 {
            break;
        }
        let (name, entity) = &names[i];
        let name = name.as_ref();
        let name_len = name.chars().count();
        let s = if n > 0 && top.len() == n {
            // Names at most this far off can still tie the n-th best; one
            // more than needed, so rounding never cuts a name that counts.
            let longest = key_len.max(name_len) as f64;
            let reach = ((1.0 - top[n - 1].1) * longest).floor() as usize + 1;
            let args = levenshtein::Args::default().score_cutoff(reach);
            match pattern.distance_with_args(name.chars(), &args) {
                Some(d) => score(d, key_len, name_len),
                None => continue,
            }
        } else {
            score(pattern.distance(name.chars()), key_len, name_len)
        };
        // Unscored entities start below any score, so a first 0 counts.
        let e = best.entry(*entity).or_insert(f64::NEG_INFINITY);
        if s <= *e {
            continue;
        }
        *e = s;
        match top.iter_mut().find(|t| t.0 == *entity) {
            Some(t) => t.1 = *e,
            None => top.push((*entity, *e)),
        }
        top.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        top.truncate(n);
    }
    let mut v: Vec<(usize, f64)> = best.into_iter().collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(n);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_width_and_separators() {
        assert_eq!(text_key("  Battery-Swapping "), "battery swapping");
        assert_eq!(text_key("battery_swapping"), "battery swapping");
        assert_eq!(text_key("ＢＡＴＴＥＲＹ　swapping"), "battery swapping");
        assert_eq!(text_key("V2G/B2G"), "v2g b2g");
        assert_eq!(text_key("“换电”。"), "换电");
        assert_eq!(text_key("(AI)"), "ai");
        assert_eq!(text_key("e\u{200B}-bike"), "e bike");
    }

    #[test]
    fn traditional_characters_fold_to_simplified() {
        assert_eq!(text_key("馬化騰"), text_key("马化腾"));
        assert_eq!(text_key("李彥宏"), "李彦宏");
        assert_eq!(text_key("自動駕駛"), "自动驾驶");
        assert_eq!(text_key("換電站"), "换电站");
        assert_eq!(text_key("數字文旅"), "数字文旅");
        assert!(has_traditional("自動駕駛"));
        assert!(!has_traditional("自动驾驶"));
        assert!(!has_traditional("battery swapping"));
    }

    /// The pruned scan gives exactly what scoring every name gives.
    #[test]
    fn closest_matches_scoring_every_name() {
        let names: Vec<(String, usize)> = [
            ("battery swapping", 0),
            ("swap stations", 0),
            ("sodium ion batteries", 1),
            ("battery recycling", 2),
            ("换电", 0),
            ("钠离子电池", 1),
            ("smart ports", 3),
            ("a", 4),
            ("", 5),
        ]
        .iter()
        .map(|(s, e)| (s.to_string(), *e))
        .collect();
        let everything = |key: &str, n: usize| {
            let mut best = std::collections::HashMap::new();
            for (name, e) in &names {
                let s = similarity(key, name);
                let b = best.entry(*e).or_insert(0.0_f64);
                *b = b.max(s);
            }
            let mut v: Vec<(usize, f64)> = best.into_iter().collect();
            v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            v.truncate(n);
            v
        };
        for key in [
            "battery swaping",
            "sodium",
            "换电站",
            "",
            "zzzzzzzzzzzzzzzzzzzzzzzzzzzz",
            "smart port",
            "b",
        ] {
            for n in [0, 1, 2, 3, 10] {
                assert_eq!(closest(key, &names, n), everything(key, n), "{key:?} {n}");
            }
        }
    }

    proptest::proptest! {
        /// The bit-parallel distance gives the reference's similarity,
        /// and the pruned scan the same nearest names as scoring each.
        #[test]
        fn similarity_is_the_reference_levenshtein(
            a in "[ab c换电站é\u{301}-]{0,14}",
            b in "[ab c换电站é\u{301}-]{0,14}",
            others in proptest::collection::vec("[ab c换电站é]{0,10}", 0..12),
        ) {
            proptest::prop_assert_eq!(similarity(&a, &b), strsim::normalized_levenshtein(&a, &b));
            let names: Vec<(String, usize)> =
                others.into_iter().enumerate().map(|(i, s)| (s, i % 4)).collect();
            for n in [1, 2, 3] {
                let mut best = std::collections::HashMap::new();
                for (name, e) in &names {
                    let s = strsim::normalized_levenshtein(&a, name);
                    let b = best.entry(*e).or_insert(f64::NEG_INFINITY);
                    *b = b.max(s);
                }
                let mut want: Vec<(usize, f64)> = best.into_iter().collect();
                want.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
                want.truncate(n);
                proptest::prop_assert_eq!(closest(&a, &names, n), want);
            }
        }
    }

    #[test]
    fn fingerprints_fold_plurals_and_order() {
        assert_eq!(fingerprint("swap stations"), fingerprint("station swap"));
        assert_eq!(fingerprint("sodium ion batteries"), "battery ion sodium");
        assert_eq!(singular("boxes"), "box");
        assert_eq!(singular("business"), "business");
        assert_eq!(singular("gas"), "gas");
    }
}
