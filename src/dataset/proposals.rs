//! Reading the year files of proposals (one per session year, in
//! parallel) and `sessions.csv`, which declares the bodies that are not
//! built in.

use chrono::Datelike;

use super::bodies::{no_letter, TOO_MANY_BODIES};

use super::*;

/// Reads `proposals/<YYYY>.csv`, every year file in year order.
/// Reads `sessions.csv`. A `body` that is neither built in nor named in
/// `bodies.csv` is declared here, by its sessions.
pub(super) fn load_sessions(
    file: &Path,
    path: Input,
    bodies: &mut Bodies,
    diags: &mut Diagnostics,
) -> Vec<Session> {
    let named = bodies.declared_any();
    let mut declared: Vec<(String, u64, String)> = Vec::new();
    let sessions = read_table(file, path, &SESSION_COLUMNS, diags, |row, d| {
        let year = parse_year(row, "year", d);
        let cell = row.get("body");
        let body = match bodies.resolve(cell) {
            Some(b) => Some(b),
            None if cell.is_empty() => {
                d.error(
                    row.path,
                    row.line,
                    "body",
                    "empty: every session belongs to a body",
                );
                None
            }
            None if named => {
                d.error(
                    row.path,
                    row.line,
                    "body",
                    format!(
                        "unknown body `{cell}`: bodies.csv names {}; add it there",
                        bodies.ids().join(", ")
                    ),
                );
                None
            }
            None if crate::key::text_key(cell).is_empty() => {
                d.error(row.path, row.line, "body", no_letter(cell));
                None
            }
            None => {
                let body = bodies.declare(BodyInfo {
                    id: cell.to_string(),
                    name_en: String::new(),
                    name_zh: String::new(),
                    level: String::new(),
                    kind: String::new(),
                    built_in: false,
                });
                match body {
                    Some(_) => declared.push((row.path.to_string(), row.line, cell.to_string())),
                    None => d.error(row.path, row.line, "body", TOO_MANY_BODIES),
                }
                body
            }
        };
        let opened = date::parse_day(row.get("opened"))
            .map_err(|m| d.error(row.path, row.line, "opened", m))
            .ok()
            .inspect(|opened| {
                // An error, but the session stays: its proposals need not
                // report a missing session as well.
                if let Some(y) = year.filter(|&y| opened.year() != y) {
                    d.error(
                        row.path,
                        row.line,
                        "opened",
                        format!("{opened} is not in {y}: a session opens in the year it is listed under"),
                    );
                }
            });
        Some(Session {
            year: year?,
            body: body?,
            opened: opened?,
            line: row.line,
        })
    })
    .unwrap_or_default();
    for (path, line, id) in declared {
        diags.warn(
            &path,
            line,
            "body",
            format!("`{id}` is not NPC or CPPCC: declared as a body of its own by its sessions here; give it a name in bodies.csv"),
        );
    }
    sessions
}

pub(super) fn load_proposals(root: &Path, ds: &mut Datasets, diags: &mut Diagnostics) {
    let dir = root.join("proposals");
    let shown = display_path(root, "proposals");
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) => {
            diags.error(&shown, 1, "file", format!("cannot read the folder: {e}"));
            return;
        }
    };
    let mut years = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let year = name
            .strip_suffix(".csv")
            .filter(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|s| s.parse::<i32>().ok());
        match year {
            Some(y) => years.push((y, name)),
            None => diags.warn(
                &format!("{shown}/{name}"),
                1,
                "file",
                "ignored: proposal files are named <YYYY>.csv",
            ),
        }
    }
    if years.is_empty() {
        diags.error(&shown, 1, "file", "no proposal files (<YYYY>.csv) found");
        return;
    }
    years.sort();
    // Year files are independent: read them on every core, then merge in
    // year order so that rows, messages and inputs come out the same.
    struct Read {
        rows: Option<Vec<Proposal>>,
        source: Option<RowSource>,
        names: Names,
        diags: Diagnostics,
        inputs: Vec<InputFile>,
    }
    let first_file = ds.files.len();
    let bodies = &ds.bodies;
    let read = |file: usize, year: i32, name: &str| {
        let path = format!("{shown}/{name}");
        let mut out = Read {
            rows: None,
            source: None,
            names: Names::default(),
            diags: Diagnostics::default(),
            inputs: Vec::new(),
        };
        let input = Input {
            relative: format!("proposals/{name}"),
            shown: path.clone(),
            inputs: &mut out.inputs,
        };
        let table = read_file_table(
            &dir.join(name),
            input,
            &PROPOSAL_COLUMNS,
            &mut out.diags,
            |row, d| build_proposal(row, d, (year, file, bodies), &mut out.names),
        );
        if let Some(t) = table {
            out.source = RowSource::new(
                dir.join(name),
                path.clone(),
                t.stamp,
                t.skip,
                t.transcoded,
                &t.columns,
            );
            out.rows = Some(t.rows);
        }
        if out.rows.as_ref().is_some_and(Vec::is_empty) && out.diags.errors.is_empty() {
            out.diags.warn(
                &path,
                1,
                "file",
                "a header but no rows: every delegate has no record this year",
            );
        }
        out
    };
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some((year, name)) = years.get(i) else {
                return done;
            };
            done.push((i, read(first_file + i, *year, name)));
        }
    };
    // Year files are read by as many workers as the machine has cores,
    // each taking the next file.
    let mut results: Vec<(usize, Read)> = crate::parallel::run(work);
    results.sort_by_key(|r| r.0);
    let total: usize = results
        .iter()
        .map(|(_, r)| r.rows.as_ref().map_or(0, Vec::len))
        .sum();
    ds.proposals.reserve_exact(total);
    for ((_, name), (_, r)) in years.iter().zip(results) {
        ds.files.push(format!("{shown}/{name}"));
        ds.sources.push(r.source);
        let mut titles = r.names.titles;
        titles.shrink_to_fit();
        ds.titles.push(titles);
        // The file's own ids become the folder's, in file order.
        let spelling = ds.spellings.merge(&r.names.spellings);
        let phrase = ds.phrases.merge(&r.names.phrases);
        let mut rows = r.rows.unwrap_or_default();
        for p in &mut rows {
            p.delegate = spelling[p.delegate as usize];
        }
        // A file that failed part-way has phrase lists but no rows: none
        // kept. Past what the lists can address, the rest of the file is
        // left out, with an error.
        let mut kept = 0;
        for group in r.names.lists.iter().take(rows.len()) {
            let ids = group.iter().map(|&l| phrase[l as usize]);
            if ds.phrase_lists.push_iter(ids).is_err() {
                diags.error(
                    &format!("{shown}/{name}"),
                    rows[kept].line,
                    "themes",
                    format!(
                        "the datasets' theme phrases pass {}: split the study",
                        u32::MAX
                    ),
                );
                break;
            }
            kept += 1;
        }
        rows.truncate(kept);
        diags.errors.extend(r.diags.errors);
        diags.warnings.extend(r.diags.warnings);
        ds.inputs.extend(r.inputs);
        ds.proposals.extend(rows);
    }
}

/// One year file's delegate names and theme phrases, with ids of its own
/// until the files are merged, and its titles.
#[derive(Default)]
pub(super) struct Names {
    spellings: Interned,
    phrases: Interned,
    /// Per row kept: its phrases, as ids of `phrases`.
    lists: crate::flat::FlatList<u32>,
    /// The row being read's phrases, until it is kept.
    row_phrases: Vec<u32>,
    titles: String,
}

/// Appends a title to a file's titles; `None` past 4 GiB of titles.
pub(super) fn push_title(titles: &mut String, title: &str) -> Option<Title> {
    let start = u32::try_from(titles.len()).ok()?;
    let len = u32::try_from(title.len()).ok()?;
    start.checked_add(len)?;
    titles.push_str(title);
    Some(Title { start, len })
}

pub(super) fn build_proposal(
    row: &Row,
    d: &mut Diagnostics,
    (file_year, file, bodies): (i32, usize, &Bodies),
    names: &mut Names,
) -> Option<Proposal> {
    let year = parse_year(row, "year", d);
    if let Some(y) = year {
        if y != file_year {
            d.error(
                row.path,
                row.line,
                "year",
                format!("{y} does not match the file's year {file_year}"),
            );
        }
    }
    let body = parse_body(row, bodies, d);
    let date = match row.get("date") {
        "" => Some(None),
        s => match date::parse_day(s) {
            Ok(day) => Some(Some(day)),
            Err(m) => {
                d.error(row.path, row.line, "date", m);
                None
            }
        },
    };
    let confidence = parse_confidence(row, d);
    let title = push_title(&mut names.titles, row.get("title"));
    let title_zh = push_title(&mut names.titles, row.get("title_zh"));
    if title.is_none() || title_zh.is_none() {
        d.error(
            row.path,
            row.line,
            "title",
            "the titles of this file pass 4 GiB: split the year file",
        );
    }
    names.row_phrases.clear();
    for phrase in split_items(row.get("themes")) {
        let id = names.phrases.id(phrase);
        names.row_phrases.push(id);
    }
    let file = u16::try_from(file).expect("at most 10,000 year files (four-digit names)");
    if names.row_phrases.is_empty() {
        d.warn(
            row.path,
            row.line,
            "themes",
            "no themes: the proposal is left out of the diff",
        );
    }
    let proposal = Proposal {
        id: row.get("id").into(),
        year: year.filter(|y| *y == file_year)?,
        delegate: names.spellings.id(row.get("delegate")),
        body: body?,
        title: title?,
        title_zh: title_zh?,
        date: date?,
        confidence: confidence?,
        file,
        line: row.line,
        offset: row.offset,
    };
    if names.lists.push(&names.row_phrases).is_err() {
        d.error(
            row.path,
            row.line,
            "themes",
            format!(
                "the theme phrases of this file pass {}: split the year file",
                u32::MAX
            ),
        );
        return None;
    }
    Some(proposal)
}
