//! `check --format github`: validation problems as GitHub Actions
//! annotations on their file, line and column, and the reviewer's summary
//! appended to the step summary (`GITHUB_STEP_SUMMARY`) as Markdown.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;

use crate::error::Problem;

/// Text of an annotation's message: `%`, CR and LF escaped as GitHub
/// requires.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A value of an annotation's property: also `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The 1-based position of a column in a CSV file's header, when the file
/// has one and the column is there.
fn column_number(path: &str, column: &str) -> Option<usize> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(Path::new(path))
        .ok()?;
    let header = r.records().next()?.ok()?;
    header
        .iter()
        .position(|h| h.trim_start_matches('\u{feff}').trim() == column)
        .map(|i| i + 1)
}

/// One `::error` line per problem. The column's number comes from the
/// file's header (each file is read once); problems about a whole file or
/// row carry none.
pub fn annotations(problems: &[Problem]) -> String {
    let mut headers: BTreeMap<(String, String), Option<usize>> = BTreeMap::new();
    let mut out = String::new();
    for p in problems {
        let col = headers
            .entry((p.path.clone(), p.column.clone()))
            .or_insert_with(|| column_number(&p.path, &p.column));
        let col = col.map(|c| format!(",col={c}")).unwrap_or_default();
        out.push_str(&format!(
            "::error file={},line={}{col},title={}::{}\n",
            escape_property(&p.path),
            p.line,
            escape_property(&format!("{}: {}", p.path, p.column)),
            escape_data(&format!("{}: {}", p.column, p.message)),
        ));
    }
    out
}

/// Appends Markdown to the step summary when `GITHUB_STEP_SUMMARY` names
/// a file; nothing otherwise.
pub fn step_summary(markdown: &str) -> std::io::Result<()> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY") else {
        return Ok(());
    };
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    f.write_all(markdown.as_bytes())?;
    if !markdown.ends_with('\n') {
        f.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_properties_are_escaped_as_github_requires() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
