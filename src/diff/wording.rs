//! How the wording of a recurring theme moved: a similarity ratio and an
//! inline diff of the proposal titles, by word for alphabetic text and by
//! character for Chinese (which has no spaces between words).

use similar::{ChangeTag, DiffableStr, TextDiff};

/// Past this many tokens (characters in Chinese; words and the spaces
/// between them otherwise) on either side, two wordings are compared
/// whole: no inline diff, whose time grows with the square of the length,
/// and the ratio from the longest common subsequence of their tokens,
/// counted bit-parallel (a 64th of the square). A title is tens of
/// characters; a delegate's titles on one theme in one year, joined, a
/// few hundred.
pub const MAX_DIFFED_TOKENS: usize = 2_000;

/// Past this many tokens on either side, no ratio at all: a wording that
/// long is not a title, and even the bit-parallel count grows with the
/// square (100,000 tokens: about a tenth of a second).
pub const MAX_COMPARED_TOKENS: usize = 100_000;

/// One run of an inline diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Same(String),
    Removed(String),
    Added(String),
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

/// How much of the wording is shared, 0 to 1 (the diff's ratio: twice
/// the tokens in common over all the tokens); `None` past
/// [`MAX_COMPARED_TOKENS`].
pub fn ratio(old: &str, new: &str) -> Option<f32> {
    if old == new {
        return Some(1.0);
    }
    match too_long(old, new) {
        Some((a, b)) if a.len().max(b.len()) > MAX_COMPARED_TOKENS => None,
        Some((a, b)) => Some(ratio_of_tokens(&a, &b)),
        None => Some(text_diff(old, new).ratio()),
    }
}

/// The inline diff of two wordings, runs of one kind merged; past
/// [`MAX_DIFFED_TOKENS`], whole (the old wording removed, the new one
/// added).
pub fn compare(old: &str, new: &str) -> Vec<Piece> {
    if old != new && too_long(old, new).is_some() {
        return vec![
            Piece::Removed(old.to_string()),
            Piece::Added(new.to_string()),
        ];
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
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_titles_have_ratio_one() {
        let same = "Battery swapping";
        assert_eq!(ratio(same, same), Some(1.0));
        assert_eq!(compare(same, same), vec![Piece::Same(same.into())]);
    }

    #[test]
    fn english_diffs_by_word() {
        let (old, new) = ("Battery swap standards", "Battery swap stations");
        assert_eq!(
            compare(old, new),
            vec![
                Piece::Same("Battery swap ".into()),
                Piece::Removed("standards".into()),
                Piece::Added("stations".into())
            ]
        );
        assert!(ratio(old, new).is_some_and(|r| r > 0.5 && r < 1.0));
    }

    #[test]
    fn long_wordings_are_compared_whole_with_the_diffs_ratio() {
        // Just past the limit, the fast ratio equals the diff's own.
        let old: String = "甲醇汽车换电站".repeat(300);
        let new: String = "绿色甲醇汽车".repeat(300);
        assert!(old.chars().count() > MAX_DIFFED_TOKENS);
        let by_diff = TextDiff::from_chars(old.as_str(), new.as_str()).ratio();
        assert_eq!(ratio(&old, &new), Some(by_diff));
        assert_eq!(
            compare(&old, &new),
            vec![Piece::Removed(old.clone()), Piece::Added(new.clone())]
        );
        // Words and the spaces between them are the tokens.
        let words = |s: &str| s.repeat(700);
        let (a, b) = (words("battery swap "), words("battery stations "));
        let by_diff = TextDiff::from_words(a.as_str(), b.as_str()).ratio();
        assert_eq!(ratio(&a, &b), Some(by_diff));
        // Long, but under the last limit: a ratio, quickly.
        let long: String = "甲".repeat(50_000) + "乙";
        let other: String = "乙".to_string() + &"甲".repeat(50_000);
        assert!(ratio(&long, &other).is_some_and(|r| r > 0.99));
        assert_eq!(compare(&long, &long), vec![Piece::Same(long.clone())]);
        // Past it: none.
        let huge: String = "甲".repeat(MAX_COMPARED_TOKENS + 1);
        assert_eq!(ratio(&huge, &other), None);
        assert_eq!(ratio(&huge, &huge), Some(1.0));
    }

    #[test]
    fn chinese_diffs_by_character() {
        let pieces = compare("甲醇汽车", "绿色甲醇");
        assert!(pieces.contains(&Piece::Same("甲醇".into())), "{pieces:?}");
        assert!(pieces.contains(&Piece::Removed("汽车".into())));
    }
}
