//! How the wording of a recurring theme moved: a similarity ratio and an
//! inline diff of the proposal titles, by word for alphabetic text and by
//! character for Chinese (which has no spaces between words).

use similar::{ChangeTag, DiffableStr, TextDiff};

/// Past this many words (characters, in Chinese) on either side, two
/// wordings are compared whole: the ratio from the longest common
/// subsequence of their words, counted bit-parallel (a megabyte cell takes seconds, where
/// the inline diff's time grows with the square of the length), and no
/// inline diff. A title is tens of characters; a delegate's titles on one
/// theme in one year, joined, a few hundred.
pub const MAX_DIFFED_TOKENS: usize = 2_000;

/// One run of an inline diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Same(String),
    Removed(String),
    Added(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Wording {
    /// 0 to 1: how much of the wording is shared.
    pub ratio: f64,
    pub pieces: Vec<Piece>,
}

/// True when the text holds CJK ideographs, which diff by character.
pub fn is_cjk(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
    })
}

fn text_diff<'a>(old: &'a str, new: &'a str) -> TextDiff<'a, 'a, 'a, str> {
    if is_cjk(old) || is_cjk(new) {
        TextDiff::from_chars(old, new)
    } else {
        TextDiff::from_words(old, new)
    }
}

/// The words of a wording as the inline diff takes them: characters when
/// either side holds Chinese, else words and the spaces between them.
fn tokens(s: &str, by_char: bool) -> Vec<&str> {
    if by_char {
        s.tokenize_chars()
    } else {
        s.tokenize_words()
    }
}

/// The two wordings' words when either side has more than
/// [`MAX_DIFFED_TOKENS`]; `None` when both are short enough to diff.
fn too_long<'a>(old: &'a str, new: &'a str) -> Option<(Vec<&'a str>, Vec<&'a str>)> {
    // Fewer bytes than the limit cannot hold more words than it.
    if old.len() <= MAX_DIFFED_TOKENS && new.len() <= MAX_DIFFED_TOKENS {
        return None;
    }
    let by_char = is_cjk(old) || is_cjk(new);
    let (a, b) = (tokens(old, by_char), tokens(new, by_char));
    (a.len() > MAX_DIFFED_TOKENS || b.len() > MAX_DIFFED_TOKENS).then_some((a, b))
}

/// The diff's ratio (twice the words in common over all the words) from
/// the longest common subsequence of the words, which is what a minimal
/// diff keeps.
fn ratio_of_tokens<'a>(a: &[&'a str], b: &[&'a str]) -> f32 {
    let total = a.len() + b.len();
    if total == 0 {
        return 1.0;
    }
    // Each distinct word as a number (at most `total` of them).
    let mut ids: std::collections::HashMap<&'a str, u32> = std::collections::HashMap::new();
    let mut id = |t: &'a str| {
        let next = u32::try_from(ids.len()).unwrap_or(u32::MAX);
        *ids.entry(t).or_insert(next)
    };
    let a: Vec<u32> = a.iter().map(|&t| id(t)).collect();
    let b: Vec<u32> = b.iter().map(|&t| id(t)).collect();
    let common = (total - rapidfuzz::distance::indel::distance(a, b)) / 2;
    2.0 * common as f32 / total as f32
}

/// How much of the wording is shared, 0 to 1, without the pieces.
pub fn ratio(old: &str, new: &str) -> f32 {
    if old == new {
        return 1.0;
    }
    if let Some((a, b)) = too_long(old, new) {
        return ratio_of_tokens(&a, &b);
    }
    text_diff(old, new).ratio()
}

/// Compares two wordings; past [`MAX_DIFFED_TOKENS`] words, whole (the
/// old wording removed, the new one added).
pub fn compare(old: &str, new: &str) -> Wording {
    if old != new {
        if let Some((a, b)) = too_long(old, new) {
            return Wording {
                ratio: f64::from(ratio_of_tokens(&a, &b)),
                pieces: vec![
                    Piece::Removed(old.to_string()),
                    Piece::Added(new.to_string()),
                ],
            };
        }
    }
    let diff = text_diff(old, new);
    let mut pieces: Vec<Piece> = Vec::new();
    for change in diff.iter_all_changes() {
        let text = change.value();
        let piece = match change.tag() {
            ChangeTag::Equal => Piece::Same(text.to_string()),
            ChangeTag::Delete => Piece::Removed(text.to_string()),
            ChangeTag::Insert => Piece::Added(text.to_string()),
        };
        // Merge runs of one kind so the rendering stays readable.
        match (pieces.last_mut(), &piece) {
            (Some(Piece::Same(a)), Piece::Same(b))
            | (Some(Piece::Removed(a)), Piece::Removed(b))
            | (Some(Piece::Added(a)), Piece::Added(b)) => a.push_str(b),
            _ => pieces.push(piece),
        }
    }
    Wording {
        ratio: f64::from(diff.ratio()),
        pieces,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_titles_have_ratio_one() {
        let w = compare("Battery swapping", "Battery swapping");
        assert_eq!(w.ratio, 1.0);
        assert_eq!(w.pieces, vec![Piece::Same("Battery swapping".into())]);
    }

    #[test]
    fn english_diffs_by_word() {
        let w = compare("Battery swap standards", "Battery swap stations");
        assert_eq!(
            w.pieces,
            vec![
                Piece::Same("Battery swap ".into()),
                Piece::Removed("standards".into()),
                Piece::Added("stations".into())
            ]
        );
        assert!(w.ratio > 0.5 && w.ratio < 1.0);
    }

    #[test]
    fn long_wordings_are_compared_whole_with_the_diffs_ratio() {
        // Just past the limit, the fast ratio equals the diff's own.
        let old: String = "甲醇汽车换电站".repeat(300);
        let new: String = "绿色甲醇汽车".repeat(300);
        assert!(old.chars().count() > MAX_DIFFED_TOKENS);
        let by_diff = TextDiff::from_chars(old.as_str(), new.as_str()).ratio();
        assert_eq!(ratio(&old, &new), by_diff);
        let w = compare(&old, &new);
        assert_eq!(w.ratio, f64::from(by_diff));
        assert_eq!(
            w.pieces,
            vec![Piece::Removed(old.clone()), Piece::Added(new.clone())]
        );
        let words = |s: &str| s.repeat(700);
        let (a, b) = (words("battery swap "), words("battery stations "));
        let by_diff = TextDiff::from_words(a.as_str(), b.as_str()).ratio();
        assert_eq!(ratio(&a, &b), by_diff);
        // A megabyte-long title does not take hours.
        let huge: String = "甲".repeat(50_000) + "乙";
        let other: String = "乙".to_string() + &"甲".repeat(50_000);
        assert!(ratio(&huge, &other) > 0.99);
        assert_eq!(
            compare(&huge, &huge).pieces,
            vec![Piece::Same(huge.clone())]
        );
    }

    #[test]
    fn chinese_diffs_by_character() {
        let w = compare("甲醇汽车", "绿色甲醇");
        assert!(
            w.pieces.contains(&Piece::Same("甲醇".into())),
            "{:?}",
            w.pieces
        );
        assert!(w.pieces.contains(&Piece::Removed("汽车".into())));
    }
}
