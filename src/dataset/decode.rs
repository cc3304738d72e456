//! Decoding a file's bytes: UTF-8 (with or without a byte-order mark),
//! else plausible GB18030 with a warning, else refused with the line and
//! column of the first bad byte; and locating an unclosed quote.

use crate::error::Diagnostics;

/// Decodes a file's bytes to text. A UTF-8 BOM is dropped; UTF-16 with a
/// BOM and GB18030 are decoded with a warning; anything else is refused
/// with the place of the first byte that is not UTF-8.
pub fn decode(bytes: Vec<u8>, path: &str, diags: &mut Diagnostics) -> Option<String> {
    decode_with_origin(bytes, path, diags).map(|(text, _)| text)
}

/// Like [`decode`], and says where the text stands in the file: `Some(n)`
/// when it is the file's bytes from byte `n` on (after a UTF-8 BOM),
/// `None` when it was transcoded.
pub fn decode_with_origin(
    bytes: Vec<u8>,
    path: &str,
    diags: &mut Diagnostics,
) -> Option<(String, Option<u64>)> {
    let mut bytes = bytes;
    let mut skip = 0;
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3); // in place: a large file is never held twice
        skip = 3;
    }
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(&bytes) {
        if encoding != encoding_rs::UTF_8 {
            let (text, had_errors) = encoding.decode_with_bom_removal(&bytes);
            if had_errors {
                diags.error(
                    path,
                    1,
                    "file",
                    format!("not valid {}: save the file as UTF-8", encoding.name()),
                );
                return None;
            }
            diags.warn(
                path,
                1,
                "file",
                format!("decoded as {}; UTF-8 is expected", encoding.name()),
            );
            return Some((text.into_owned(), None));
        }
    }
    match String::from_utf8(bytes) {
        Ok(text) => Some((text, Some(skip))),
        Err(err) => {
            let bytes = err.into_bytes();
            if looks_like_gb18030(&bytes) {
                if let Some(text) =
                    encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(&bytes)
                {
                    diags.warn(
                        path,
                        1,
                        "file",
                        "not UTF-8: decoded as GB18030 (save as UTF-8 to silence this)",
                    );
                    return Some((text.into_owned(), None));
                }
            }
            let bad = std::str::from_utf8(&bytes)
                .err()
                .map(|e| e.valid_up_to())
                .unwrap_or(0);
            let (line, column) = line_and_column(&bytes[..bad]);
            diags.error(
                path,
                line,
                "file",
                format!(
                    "byte 0x{:02X} at column {column} is neither UTF-8 nor GB18030: save the file as UTF-8",
                    bytes[bad]
                ),
            );
            None
        }
    }
}

/// GB18030 accepts many byte pairs that are really Windows-1252 or Latin-1
/// text: an accented letter followed by an ASCII letter decodes to a rare
/// ideograph from the GBK extension area. Chinese text in GB18030 is
/// overwhelmingly in the GB2312 area (both bytes 0xA1 or above), and the
/// extension pairs it does use are mostly punctuation (dashes, ellipses).
/// A file whose pairs are mostly extension-area ideographs is refused
/// rather than read as garbage.
pub(crate) fn looks_like_gb18030(bytes: &[u8]) -> bool {
    let (mut plausible, mut implausible, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        let lead = bytes[i];
        if lead < 0x80 {
            i += 1;
            continue;
        }
        let Some(&trail) = bytes.get(i + 1) else {
            return false;
        };
        if (0x30..=0x39).contains(&trail) {
            plausible += 1; // a four-byte sequence: any Unicode character
            i += 4;
            continue;
        }
        if lead >= 0xA1 && trail >= 0xA1 {
            plausible += 1;
        } else {
            let (text, _, bad) = encoding_rs::GB18030.decode(&bytes[i..i + 2]);
            let ideograph = text
                .chars()
                .any(|c| matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF));
            if bad || ideograph {
                implausible += 1;
            } else {
                plausible += 1;
            }
        }
        i += 2;
    }
    plausible >= 4 * implausible && plausible > 0
}

/// 1-based line and character column just after `prefix`.
pub(crate) fn line_and_column(prefix: &[u8]) -> (u64, usize) {
    let line = 1 + prefix.iter().filter(|&&b| b == b'\n').count() as u64;
    let start = prefix
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = 1 + String::from_utf8_lossy(&prefix[start..]).chars().count();
    (line, column)
}

/// Finds a quote opened at the start of a field and never closed. The `csv`
/// crate would silently swallow the rest of the file into that field.
/// Returns the 1-based line where the quote opened and the field's index.
pub(crate) fn unclosed_quote(text: &str) -> Option<(u64, usize)> {
    // The states of a field; a quote inside a quoted field is settled on
    // the spot by the bytes after it. Quoted fields and unquoted ones are
    // crossed at memchr speed: only quotes, commas and line ends matter.
    enum S {
        FieldStart,
        Unquoted,
        Quoted,
    }
    let b = text.as_bytes();
    memchr::memchr(b'"', b)?; // no quote at all: the common case
    let (mut state, mut i, mut field) = (S::FieldStart, 0usize, 0usize);
    let mut opened = (0usize, 0usize);
    while i < b.len() {
        match state {
            S::FieldStart => {
                match b[i] {
                    b'\r' => {}
                    b'"' => {
                        opened = (i, field);
                        state = S::Quoted;
                    }
                    b',' => field += 1,
                    b'\n' => field = 0,
                    _ => state = S::Unquoted,
                }
                i += 1;
            }
            S::Unquoted => match memchr::memchr2(b',', b'\n', &b[i..]) {
                None => return None,
                Some(k) => {
                    field = if b[i + k] == b',' { field + 1 } else { 0 };
                    state = S::FieldStart;
                    i += k + 1;
                }
            },
            S::Quoted => {
                let Some(k) = memchr::memchr(b'"', &b[i..]) else {
                    break; // open to the end
                };
                // A quote: a second one escapes it; CRs are passed over.
                let mut n = i + k + 1;
                while n < b.len() && b[n] == b'\r' {
                    n += 1;
                }
                // A closing quote at the very end closes the field.
                let &next = b.get(n)?;
                match next {
                    b'"' => {}
                    b',' => {
                        field += 1;
                        state = S::FieldStart;
                    }
                    b'\n' => {
                        field = 0;
                        state = S::FieldStart;
                    }
                    _ => state = S::Unquoted,
                }
                i = n + 1;
            }
        }
    }
    match state {
        S::Quoted => {
            let line = 1 + memchr::memchr_iter(b'\n', &b[..opened.0]).count() as u64;
            Some((line, opened.1))
        }
        _ => None,
    }
}
