//! How the wording of a recurring theme moved: a similarity ratio and an
//! inline diff of the proposal titles, by word for alphabetic text and by
//! character for Chinese (which has no spaces between words).

use similar::{ChangeTag, TextDiff};

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

/// How much of the wording is shared, 0 to 1, without the pieces.
pub fn ratio(old: &str, new: &str) -> f32 {
    if old == new {
        return 1.0;
    }
    text_diff(old, new).ratio()
}

/// Compares two wordings.
pub fn compare(old: &str, new: &str) -> Wording {
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
