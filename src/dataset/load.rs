//! Loading a datasets folder: every file read, every problem of each
//! gathered; the bodies first, since every other file names them.

use super::*;

/// Reads the whole datasets folder. Every problem goes to `diags`; the
/// caller decides whether to stop (see [`Diagnostics::into_result`]).
pub fn load(root: &Path, diags: &mut Diagnostics) -> Datasets {
    let mut ds = Datasets {
        root: root.to_path_buf(),
        ..Default::default()
    };
    if !root.is_dir() {
        diags.error(
            &display_path(root, ""),
            1,
            "file",
            "the datasets folder does not exist: name it with --datasets DIR, or start one with `proposal-diff init DIR`",
        );
        return ds;
    }
    fn table<'a>(root: &Path, name: &str, inputs: &'a mut Vec<InputFile>) -> (PathBuf, Input<'a>) {
        let input = Input {
            relative: name.to_string(),
            shown: display_path(root, name),
            inputs,
        };
        (root.join(name), input)
    }
    // Bodies first: `bodies.csv` names them, `sessions.csv` declares the
    // ones not built in; every other file's `body` cells resolve against
    // them. The inputs keep their usual order in the manifest.
    let mut early = Vec::new();
    let (file, path) = table(root, "bodies.csv", &mut early);
    bodies::load(&file, path, &mut ds.bodies, diags);
    let mut session_inputs = Vec::new();
    let (file, path) = table(root, "sessions.csv", &mut session_inputs);
    ds.sessions = load_sessions(&file, path, &mut ds.bodies, diags);
    load_proposals(root, &mut ds, diags);

    let (file, path) = table(root, "delegates.csv", &mut ds.inputs);
    ds.delegates = read_table(&file, path, &DELEGATE_COLUMNS, diags, |row, _| {
        Some(Delegate {
            id: row.get("id").into(),
            name_en: row.get("name_en").into(),
            name_zh: row.get("name_zh").into(),
            // Boxed to its length: a vector collected from an iterator
            // keeps room for four, at a million delegates 100 MB unused.
            aliases: split_items(row.get("aliases"))
                .map(Into::into)
                .collect::<Vec<_>>()
                .into_boxed_slice(),
            company: row.get("company").into(),
            line: row.line,
        })
    })
    .unwrap_or_default();

    let (file, path) = table(root, "memberships.csv", &mut ds.inputs);
    let bodies = &ds.bodies;
    ds.memberships = read_table(&file, path, &MEMBERSHIP_COLUMNS, diags, |row, d| {
        let body = parse_body(row, bodies, d);
        let from = parse_optional_year(row, "from", d);
        let to = parse_optional_year(row, "to", d);
        let last_seen = parse_optional_year(row, "last_seen", d);
        if let (Some(Some(_)), Some(Some(_))) = (to, last_seen) {
            d.warn(
                row.path,
                row.line,
                "last_seen",
                "`last_seen` is for a term without `to`: ignored",
            );
        }
        Some(Membership {
            delegate: row.get("delegate").into(),
            body: body?,
            from: from?,
            to: to?,
            last_seen: last_seen?,
            source: row.get("source").into(),
            note: row.get("note").into(),
            line: row.line,
        })
    })
    .unwrap_or_default();

    ds.inputs.append(&mut session_inputs);

    let (file, path) = table(root, "themes.csv", &mut ds.inputs);
    ds.themes = read_table(&file, path, &THEME_COLUMNS, diags, |row, d| {
        let cap = row.get("cap_major");
        let cap_major = if cap.is_empty() {
            None
        } else {
            match cap
                .parse::<u8>()
                .ok()
                .filter(|c| cap_topic_name(*c).is_some())
            {
                Some(c) => Some(c),
                None => {
                    d.error(
                        row.path,
                        row.line,
                        "cap_major",
                        format!("`{cap}` is not a CAP major topic code (1-10, 12-21, 23)"),
                    );
                    return None;
                }
            }
        };
        let measures_searched = match row.get("measures_searched") {
            "" => None,
            s => match parse_year_range(s) {
                Some(r) => Some(r),
                None => {
                    d.error(
                        row.path,
                        row.line,
                        "measures_searched",
                        format!("`{s}` is not a range of years: expected YYYY-YYYY, or empty"),
                    );
                    return None;
                }
            },
        };
        Some(Theme {
            id: row.get("id").to_string(),
            category: row.get("category").to_string(),
            label_en: row.get("label_en").to_string(),
            label_zh: row.get("label_zh").to_string(),
            aliases: split_list(row.get("aliases")),
            cap_major,
            measures_searched,
            line: row.line,
        })
    })
    .unwrap_or_default();

    let (file, path) = table(root, "adoptions.csv", &mut ds.inputs);
    ds.adoptions = measures::load(&file, path, diags);
    ds.inputs.append(&mut early);
    check_counts(&ds, diags);
    ds.sort();
    ds
}

/// Every later stage indexes proposals, delegates, memberships, themes and
/// measures with 32 bits: a table past that is an input error naming the
/// first row that does not fit, never a wrapped index.
fn check_counts(ds: &Datasets, diags: &mut Diagnostics) {
    let limit = u32::MAX as usize;
    // A row past the limit exactly when the table has more rows than it.
    let past: [(&str, Option<u64>); 5] = [
        ("delegates.csv", ds.delegates.get(limit).map(|x| x.line)),
        ("memberships.csv", ds.memberships.get(limit).map(|x| x.line)),
        ("themes.csv", ds.themes.get(limit).map(|x| x.line)),
        ("adoptions.csv", ds.adoptions.get(limit).map(|x| x.line)),
        ("proposals", ds.proposals.get(limit).map(|x| x.line)),
    ];
    for (file, line) in past {
        if let Some(line) = line {
            diags.error(
                &display_path(&ds.root, file),
                line,
                "file",
                format!(
                    "more than {limit} rows: split the study (fewer years or delegates per run)"
                ),
            );
        }
    }
}
