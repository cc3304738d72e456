//! Escaping dataset text where it lands.

/// Text for a Markdown table cell or inline run: pipes, backticks,
/// emphasis and link brackets, and HTML are neutralized; line breaks and
/// invisible direction marks are removed, so a cell stays one cell.
pub fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c)
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' | '\n' | '\t' => out.push(' '),
            '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A CSV cell that a spreadsheet would run as a formula (leading `=`, `+`,
/// `-`, `@`, tab or CR) gets a leading `'`, as OWASP advises; plain numbers
/// such as `-3` or `+1.5` stay numbers.
pub fn csv_cell(s: &str) -> std::borrow::Cow<'_, str> {
    let risky = matches!(
        s.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    );
    if risky && s.parse::<f64>().is_err() {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_cells_cannot_break_the_table_or_inject_html() {
        assert_eq!(md("a | <script>"), "a \\| &lt;script&gt;");
        assert_eq!(md("`code` *x*"), "\\`code\\` \\*x\\*");
        assert_eq!(md("line\nbreak"), "line break");
        assert_eq!(md("[link](http://x)"), "\\[link\\](http://x)");
        assert_eq!(md("a\u{202E}b\u{200B}c"), "abc");
    }

    #[test]
    fn formulas_are_defused_but_numbers_stay() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("+cmd"), "'+cmd");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell("-12"), "-12");
        assert_eq!(csv_cell("-0.5"), "-0.5");
        assert_eq!(csv_cell("Plain"), "Plain");
    }
}
