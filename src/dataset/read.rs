//! Reading one CSV file: bytes to text (UTF-8, with BOM, or GB18030), then
//! records, each checked against the table's columns.
//!
//! Every problem is located: file, line, and the column's header name.
//! Structural problems that the `csv` crate accepts silently (ragged rows,
//! a quote left open until the end of the file) are caught here.

use std::collections::HashMap;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::FastMap;
use crate::error::Diagnostics;

use super::decode::unclosed_quote;
pub use super::decode::{decode, decode_with_origin};

/// The largest field accepted, in bytes. A larger one is almost always a
/// broken quote or a pasted document, and would bloat every report.
pub const MAX_FIELD_BYTES: usize = 1 << 20;

/// The columns of one kind of table.
pub struct TableSpec {
    /// Columns that must be present, and must not be empty unless listed in `may_be_empty`.
    pub required: &'static [&'static str],
    /// Required columns whose value may be empty.
    pub may_be_empty: &'static [&'static str],
    /// Columns that may be absent.
    pub optional: &'static [&'static str],
}

/// One record of a table, with access by column name.
pub struct Row<'a> {
    pub path: &'a str,
    pub line: u64,
    /// Byte offset of the record in the decoded text: where to read it back.
    pub offset: u64,
    record: &'a csv::StringRecord,
    index: &'a FastMap<&'static str, usize>,
}

impl<'a> Row<'a> {
    /// The trimmed value of a column; empty when the column is absent.
    pub fn get(&self, column: &str) -> &'a str {
        self.index
            .get(column)
            .and_then(|&i| self.record.get(i))
            .map(str::trim)
            .unwrap_or("")
    }
}

/// Reads a table file and calls `build` for every well-formed record.
/// Returns `None` (with problems recorded) when the file cannot be read as
/// a table at all; rows that are broken are reported and skipped.
pub fn read_table<T>(
    file: &Path,
    input: Input,
    spec: &TableSpec,
    diags: &mut Diagnostics,
    build: impl FnMut(&Row, &mut Diagnostics) -> Option<T>,
) -> Option<Vec<T>> {
    read_file_table(file, input, spec, diags, build).map(|t| t.rows)
}

/// A file's size and modification time: what tells, cheaply, that it was
/// written again after it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Stamp {
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        }
    }
}

/// A table read by [`read_file_table`], with what it takes to read a
/// record back later from the file.
pub struct FileTable<T> {
    pub rows: Vec<T>,
    /// The file's size and modification time when it was read.
    pub stamp: Stamp,
    /// Where the text starts in the file (after a BOM), or `None` when the
    /// file was transcoded.
    pub skip: Option<u64>,
    /// The decoded text, kept only when it was transcoded: offsets then
    /// point into it, not into the file.
    pub transcoded: Option<String>,
    /// Column positions by name.
    pub columns: FastMap<&'static str, usize>,
}

/// Like [`read_table`], keeping where the text stands in the file and the
/// header's column positions.
pub fn read_file_table<T>(
    file: &Path,
    input: Input,
    spec: &TableSpec,
    diags: &mut Diagnostics,
    mut build: impl FnMut(&Row, &mut Diagnostics) -> Option<T>,
) -> Option<FileTable<T>> {
    let path = input.shown.as_str();
    // The size and modification time of what was read, from the same
    // handle: reading a record back later checks them.
    let read = std::fs::File::open(file).and_then(|mut f| {
        let meta = f.metadata()?;
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        std::io::Read::read_to_end(&mut f, &mut bytes)?;
        Ok((bytes, Stamp::of(&meta)))
    });
    let (bytes, stamp) = match read {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            diags.error(
                path,
                1,
                "file",
                format!(
                    "missing file: a datasets folder needs it (a header row is enough: {})",
                    spec.required.join(",")
                ),
            );
            return None;
        }
        Err(e) => {
            diags.error(path, 1, "file", format!("cannot read: {e}"));
            return None;
        }
    };
    let sha256 = hex(&Sha256::digest(&bytes));
    let (text, skip) = decode_with_origin(bytes, path, diags)?;
    let (rows, columns) = read_text_indexed(&text, path, spec, diags, &mut build)?;
    input.inputs.push(InputFile {
        path: input.relative,
        sha256,
        rows: rows.len(),
    });
    Some(FileTable {
        rows,
        stamp,
        skip,
        transcoded: skip.is_none().then_some(text),
        columns,
    })
}

/// Where a table comes from, and the list that records what was read.
pub struct Input<'a> {
    /// Path relative to the datasets folder, with `/` separators.
    pub relative: String,
    /// Path as shown in messages.
    pub shown: String,
    pub inputs: &'a mut Vec<InputFile>,
}

/// A file that was read: for the manifest and for `check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub path: String,
    pub sha256: String,
    /// Records read (valid rows).
    pub rows: usize,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Like [`read_table`], over text already decoded.
pub fn read_text<T>(
    text: &str,
    path: &str,
    spec: &TableSpec,
    diags: &mut Diagnostics,
    build: &mut dyn FnMut(&Row, &mut Diagnostics) -> Option<T>,
) -> Option<Vec<T>> {
    read_text_indexed(text, path, spec, diags, build).map(|(rows, _)| rows)
}

/// Like [`read_text`], with the header's column positions.
fn read_text_indexed<T>(
    text: &str,
    path: &str,
    spec: &TableSpec,
    diags: &mut Diagnostics,
    build: &mut dyn FnMut(&Row, &mut Diagnostics) -> Option<T>,
) -> Option<(Vec<T>, FastMap<&'static str, usize>)> {
    if text.trim().is_empty() {
        diags.error(
            path,
            1,
            "file",
            format!(
                "the file is empty: a header row is expected ({})",
                spec.required.join(",")
            ),
        );
        return None;
    }
    let cut = unclosed_quote(text);
    if let Some((line, _)) = cut {
        diags.error(
            path,
            line,
            "row",
            "a quote opened here is never closed: the rest of the file would be one field",
        );
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut header = csv::StringRecord::new();
    match reader.read_record(&mut header) {
        Ok(true) => {}
        Ok(false) => return None,
        Err(e) => {
            diags.error(path, 1, "header", format!("cannot read the header: {e}"));
            return None;
        }
    }
    let index = header_index(&header, path, spec, diags)?;
    let names: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    // Lines are counted here from byte offsets: the csv crate counts CRLF
    // (Excel's line ends) differently, and every message must name the
    // line an editor shows.
    let mut lines = LineCounter::new(text);
    // About one row per line: reserve once instead of growing (and moving
    // every row) as the vector doubles.
    let mut out = Vec::with_capacity(text.bytes().filter(|&b| b == b'\n').count());
    // One record, reused: no allocation per row.
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(1, |p| lines.at(p.byte()));
                diags.error(path, line, "row", format!("cannot read the row: {e}"));
                continue;
            }
        }
        let offset = record.position().map_or(0, |p| p.byte());
        let line = lines.at(offset);
        if let Some((open_line, _)) = cut {
            if line >= open_line {
                break;
            }
        }
        if record.len() == 1 && record.get(0).is_some_and(|f| f.trim().is_empty()) {
            continue; // a blank line
        }
        if record.len() != header.len() {
            diags.error(
                path,
                line,
                "row",
                format!(
                    "the row has {} fields, the header has {}",
                    record.len(),
                    header.len()
                ),
            );
            continue;
        }
        if !fields_ok(&record, &names, path, line, diags) {
            continue;
        }
        let row = Row {
            path,
            line,
            offset,
            record: &record,
            index: &index,
        };
        let mut empty = false;
        for &col in spec.required {
            if !spec.may_be_empty.contains(&col) && row.get(col).is_empty() {
                diags.error(path, line, col, "required value is empty");
                empty = true;
            }
        }
        if empty {
            continue;
        }
        if let Some(value) = build(&row, diags) {
            out.push(value);
        }
    }
    Some((out, index))
}

/// 1-based line numbers of byte offsets, asked in increasing order.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    fn at(&mut self, byte: u64) -> u64 {
        let mut byte = (byte as usize).min(self.text.len());
        // After a CRLF the csv crate may report the record as starting at
        // the LF; a record never starts with a line end, so step over it.
        while byte < self.text.len() && matches!(self.text[byte], b'\r' | b'\n') {
            byte += 1;
        }
        if byte < self.offset {
            // Not expected (records come in order), but never wrong.
            self.offset = 0;
            self.line = 1;
        }
        self.line += memchr::memchr_iter(b'\n', &self.text[self.offset..byte]).count() as u64;
        self.offset = byte;
        self.line
    }
}

/// Checks field sizes and control characters.
fn fields_ok(
    record: &csv::StringRecord,
    names: &[String],
    path: &str,
    line: u64,
    diags: &mut Diagnostics,
) -> bool {
    let mut ok = true;
    for (field, name) in record.iter().zip(names) {
        if field.len() > MAX_FIELD_BYTES {
            diags.error(
                path,
                line,
                name.as_str(),
                format!(
                    "the value is {} bytes; the limit is {} bytes",
                    field.len(),
                    MAX_FIELD_BYTES
                ),
            );
            ok = false;
        } else if field.contains('\0') {
            diags.error(path, line, name.as_str(), "the value contains a NUL byte");
            ok = false;
        }
    }
    ok
}

/// Maps known column names to their index, reporting missing, duplicate,
/// empty and unknown header names.
fn header_index(
    header: &csv::StringRecord,
    path: &str,
    spec: &TableSpec,
    diags: &mut Diagnostics,
) -> Option<FastMap<&'static str, usize>> {
    let mut index = FastMap::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut ok = true;
    for (i, raw) in header.iter().enumerate() {
        let name = raw.trim();
        if name.is_empty() {
            diags.error(
                path,
                1,
                format!("column {}", i + 1),
                "the header name is empty",
            );
            ok = false;
            continue;
        }
        if let Some(first) = seen.insert(name.to_string(), i) {
            diags.error(
                path,
                1,
                name,
                format!("duplicate column (columns {} and {})", first + 1, i + 1),
            );
            ok = false;
            continue;
        }
        match spec
            .required
            .iter()
            .chain(spec.optional)
            .find(|&&known| known == name)
        {
            Some(&known) => {
                index.insert(known, i);
            }
            None => diags.warn(path, 1, name, "unknown column, ignored"),
        }
    }
    for &col in spec.required {
        if !index.contains_key(col) {
            diags.error(path, 1, col, "missing column");
            ok = false;
        }
    }
    ok.then_some(index)
}

#[cfg(test)]
mod tests {
    use super::super::decode::{line_and_column, looks_like_gb18030};
    use super::*;

    #[test]
    fn unclosed_quote_is_found_at_its_line() {
        assert_eq!(unclosed_quote("a,b\n1,\"x\n2,3\n"), Some((2, 1)));
        assert_eq!(unclosed_quote("a,b\n1,\"x\"\"y\"\n"), None);
        assert_eq!(unclosed_quote("a,b\r\n1,\"x\r\ny\"\r\n"), None);
        assert_eq!(unclosed_quote("a,b\n1,x\"y\n"), None);
    }

    /// The byte-by-byte state machine the fast scan must agree with.
    fn unclosed_quote_reference(text: &str) -> Option<(u64, usize)> {
        #[derive(Clone, Copy)]
        enum S {
            FieldStart,
            Unquoted,
            Quoted,
            QuoteInQuoted,
        }
        let (mut state, mut line, mut field) = (S::FieldStart, 1u64, 0usize);
        let mut opened = (1u64, 0usize);
        for b in text.bytes() {
            state = match (state, b) {
                (S::Quoted, b'"') => S::QuoteInQuoted,
                (S::Quoted, _) => S::Quoted,
                (S::FieldStart, b'"') => {
                    opened = (line, field);
                    S::Quoted
                }
                (S::QuoteInQuoted, b'"') => S::Quoted,
                (_, b',') => {
                    field += 1;
                    S::FieldStart
                }
                (_, b'\n') => {
                    field = 0;
                    S::FieldStart
                }
                (S::QuoteInQuoted, b'\r') => S::QuoteInQuoted,
                (S::FieldStart, b'\r') => S::FieldStart,
                _ => S::Unquoted,
            };
            if b == b'\n' {
                line += 1;
            }
        }
        matches!(state, S::Quoted).then_some(opened)
    }

    proptest::proptest! {
        #[test]
        fn the_fast_quote_scan_agrees_with_the_state_machine(text in "[a\",\r\n]{0,40}") {
            proptest::prop_assert_eq!(unclosed_quote(&text), unclosed_quote_reference(&text));
        }
    }

    #[test]
    fn latin1_text_is_not_taken_for_gb18030() {
        assert!(!looks_like_gb18030(b"M\xFCller,Caf\xE9 au lait"));
        assert!(!looks_like_gb18030(b"M\xFCller und S\xF6hne"));
        let (gb, _, _) = encoding_rs::GB18030.encode("雷军,小米");
        assert!(looks_like_gb18030(&gb));
        let (gb, _, _) = encoding_rs::GB18030.encode("Digital–real integration… 2021–2023");
        assert!(looks_like_gb18030(&gb));
    }

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_and_column(b"ab\ncd"), (2, 3));
        assert_eq!(line_and_column("é".as_bytes()), (1, 2));
    }
}
