//! `history.md`: per delegate the theme-by-year matrix, then convergence
//! within a year and across years, delegates per theme, roll-ups to
//! categories and CAP topics, and issue diversity.

use std::fmt::Write as _;

use super::{delegate_name, theme_label, year_span};
use crate::pipeline::Analysis;
use crate::report::escape::md;
use crate::summary::{self, HistoryPage, Summary};

pub fn page(a: &Analysis, summary: &Summary) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# History, {}\n", year_span(&a.model.years));
    let _ = writeln!(s, "[Index](README.md)\n");
    let _ = writeln!(
        s,
        "Legend: ● raised that year; ○ records that year, theme not raised; ?: a member, no record found; \
         ·: no record, membership unknown; –: not a member. \
         A *returning* theme was raised, then not raised in a year with records, then raised again; \
         a *streak* counts consecutive dataset years. \"Not raised\" means not in the records found.\n"
    );
    let page = &summary.history;
    matrices(&mut s, a, summary);
    within_a_year(&mut s, a, page);
    across_years(&mut s, a, summary);
    delegates_per_theme(&mut s, a, page);
    roll_ups(&mut s, a, page);
    issue_diversity(&mut s, a, page);
    s
}

/// The header and rule cells of one column per dataset year.
fn year_columns(m: &crate::normalize::Model) -> (String, String) {
    (
        m.years.iter().map(|y| format!(" {y} |")).collect(),
        m.years.iter().map(|_| ":-:|").collect(),
    )
}

/// Per delegate: the theme-by-year matrix.
fn matrices(s: &mut String, a: &Analysis, summary: &Summary) {
    let ds = &a.model.ds;
    let (years_header, years_rule) = year_columns(&a.model);
    let (matrices, cut) = &summary.history_matrices;
    let _ = writeln!(s, "## Themes by year, per delegate\n");
    if let Some(note) = cut.note(&a.config.tables.cited("theme_history")) {
        let _ = writeln!(s, "{note}\n");
    }
    for x in matrices {
        let _ = writeln!(s, "### {}\n", delegate_name(ds, x.delegate));
        let _ = writeln!(
            s,
            "| Theme |{years_header} Streak | Returning |\n|---|{years_rule}--:|---|"
        );
        for t in &x.rows {
            let _ = writeln!(
                s,
                "| {} |{} {} | {} |",
                theme_label(ds, t.theme as usize),
                super::matrix_cells(&t.cells),
                t.longest_streak,
                if t.returning { "yes" } else { "" }
            );
        }
        let _ = writeln!(s);
    }
}

/// Themes raised by two or more delegates in the same year.
fn within_a_year(s: &mut String, a: &Analysis, page: &HistoryPage) {
    let ds = &a.model.ds;
    let h = &a.history;
    let _ = writeln!(
        s,
        "## Convergence within a year: themes raised by two or more delegates in the same year\n"
    );
    let cut = &page.within_year_cut;
    if page.within_year.is_empty() {
        let _ = writeln!(s, "None in these datasets.\n");
    } else {
        if let Some(note) = cut.note(&a.config.tables.cited("theme_history")) {
            let _ = writeln!(s, "{note}\n");
        }
        let _ = writeln!(s, "| Year | Theme | Delegates |\n|---|---|---|");
        for &i in &page.within_year {
            let t = &h.theme_years[i];
            // At scale a cell names a few and counts the rest.
            let (first, more) = summary::select::named(&t.delegates);
            let mut names: Vec<String> = (first.iter())
                .map(|&d| delegate_name(ds, d as usize))
                .collect();
            if more > 0 {
                names.push(format!("and {more} more"));
            }
            let _ = writeln!(
                s,
                "| {} | {} | {} |",
                t.year,
                theme_label(ds, t.theme),
                names.join(", ")
            );
        }
        let _ = writeln!(s);
    }
}

/// How many delegates raised each theme, year by year.
fn delegates_per_theme(s: &mut String, a: &Analysis, page: &HistoryPage) {
    let m = &a.model;
    let ds = &m.ds;
    let (years_header, years_rule) = year_columns(m);
    let _ = writeln!(s, "## Delegates per theme and year\n");
    let _ = writeln!(
        s,
        "Each cell: how many delegates raised the theme that year. *Delegates* counts distinct delegates over all years.\n"
    );
    let (themes, cut) = (&page.per_theme, &page.per_theme_cut);
    if let Some(note) = cut.note(&a.config.tables.cited("theme_history")) {
        let _ = writeln!(s, "{note}\n");
    }
    let _ = writeln!(
        s,
        "| Theme | Category |{years_header} Delegates |\n|---|---|{years_rule}--:|"
    );
    for &i in &cut.shown {
        let r = &themes[i];
        let cells: String = m
            .years
            .iter()
            .map(|y| {
                let n = r.by_year.iter().find(|(year, _)| year == y).map(|x| x.1);
                format!(" {} |", n.map(|c| c.to_string()).unwrap_or_default())
            })
            .collect();
        let _ = writeln!(
            s,
            "| {} | {} |{cells} {} |",
            theme_label(ds, r.theme),
            md(&ds.themes[r.theme].category),
            r.delegates
        );
    }
    let _ = writeln!(s);
}

/// Categories and CAP major topics by year.
fn roll_ups(s: &mut String, a: &Analysis, page: &HistoryPage) {
    let m = &a.model;
    let (years_header, years_rule) = year_columns(m);
    for (title, rows, note) in [
        (
            "Categories by year",
            &page.categories,
            "delegates raising a theme of the category (proposal themes in brackets)",
        ),
        (
            "CAP major topics by year",
            &page.cap_topics,
            "Comparative Agendas Project major topic; delegates (proposal themes in brackets)",
        ),
    ] {
        // A study without CAP codes has no CAP section.
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(s, "## {title}\n\nEach cell: {note}.\n");
        let _ = writeln!(s, "| Group |{years_header}\n|---|{years_rule}");
        for (g, by_year) in rows {
            let cells: String = m
                .years
                .iter()
                .map(|y| {
                    format!(
                        " {} |",
                        by_year
                            .get(y)
                            .map(|(d, p)| format!("{d} ({p})"))
                            .unwrap_or_default()
                    )
                })
                .collect();
            let _ = writeln!(s, "| {} |{cells}", md(g));
        }
        let _ = writeln!(s);
    }
}

/// Distinct and effective themes per delegate and year.
fn issue_diversity(s: &mut String, a: &Analysis, page: &HistoryPage) {
    let m = &a.model;
    let ds = &m.ds;
    let (years_header, years_rule) = year_columns(m);
    let _ = writeln!(s, "## Issue diversity\n");
    let _ = writeln!(
        s,
        "Distinct themes per delegate and year, with the effective number of themes in brackets \
         (exp of the Shannon entropy of the delegate's proposals over themes; equal to the count when each theme is raised once).\n"
    );
    if let Some(note) = page
        .diversity_cut
        .note(&a.config.tables.cited("theme_history"))
    {
        let _ = writeln!(s, "{note}\n");
    }
    let _ = writeln!(s, "| Delegate |{years_header}\n|---|{years_rule}");
    for run in &page.diversity {
        let Some(d) = run.first().map(|x| x.delegate) else {
            continue;
        };
        let cells: String = m
            .years
            .iter()
            .map(|&y| match run.iter().find(|x| x.year == y) {
                Some(x) => format!(" {} ({:.2}) |", x.themes, x.diversity),
                None => "  |".to_string(),
            })
            .collect();
        let _ = writeln!(s, "| {} |{cells}", delegate_name(ds, d as usize));
    }
}

/// Convergence across years: which delegates ever raised a theme or a
/// category, and when.
fn across_years(s: &mut String, a: &Analysis, summary: &crate::summary::Summary) {
    let ds = &a.model.ds;
    let groups = &summary.convergence;
    let _ = writeln!(
        s,
        "## Convergence across years: themes and categories raised by two or more delegates\n"
    );
    let _ = writeln!(
        s,
        "Each delegate with the years they raised it, earliest first. `{}` holds every row.\n",
        a.config.tables.file("convergence")
    );
    for level in ["theme", "category"] {
        let rows: Vec<&summary::ConvergenceShown> =
            groups.shown.iter().filter(|g| g.level == level).collect();
        let _ = writeln!(s, "### By {level}\n");
        if rows.is_empty() {
            let _ = writeln!(s, "None in these datasets.\n");
            continue;
        }
        let Some(cut) = summary.history.convergence_cuts.get(level) else {
            continue;
        };
        if let Some(note) = cut.note(&a.config.tables.cited("convergence")) {
            let _ = writeln!(s, "{note}\n");
        }
        let _ = writeln!(
            s,
            "| {} | Delegates | Who, and when |\n|---|---:|---|",
            if level == "theme" {
                "Theme"
            } else {
                "Category"
            }
        );
        for g in cut.shown.iter().map(|&i| rows[i]) {
            let label = if level == "theme" {
                ds.themes
                    .binary_search_by(|t| t.id.as_str().cmp(&g.group))
                    .map(|t| theme_label(ds, t))
                    .unwrap_or_else(|_| md(&g.group))
            } else {
                md(&g.group)
            };
            let mut who: Vec<String> = g
                .first
                .iter()
                .map(|(d, years)| {
                    let ys: Vec<String> = years.iter().map(|y| y.to_string()).collect();
                    format!("{} ({})", delegate_name(ds, *d as usize), ys.join(", "))
                })
                .collect();
            let more = g.delegates - g.first.len();
            if more > 0 {
                who.push(format!("and {more} more"));
            }
            let _ = writeln!(s, "| {label} | {} | {} |", g.delegates, who.join("; "));
        }
        let _ = writeln!(s);
    }
}
