//! Bodies: the assemblies whose sessions the datasets cover. NPC and CPPCC
//! are built in, with their Chinese names and short forms; any other body
//! (a provincial congress, a city's consultative conference) is declared by
//! its rows in `sessions.csv` and named in the optional `bodies.csv`, so a
//! study of one's own never has to pass for the national Two Sessions.

use std::path::Path;

use super::read::{read_table, Input, TableSpec};
use crate::error::Diagnostics;

/// A body: an index into the datasets' [`Bodies`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Body(pub u16);

impl Body {
    /// The National People's Congress (built in).
    pub const NPC: Body = Body(0);
    /// The Chinese People's Political Consultative Conference (built in).
    pub const CPPCC: Body = Body(1);
}

/// What is known of a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyInfo {
    /// How rows name it (`NPC`, or a declared body's id).
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    /// `national`, `provincial`, `municipal` or `county`; empty when not given.
    pub level: String,
    /// `congress` or `consultative`; empty when not given.
    pub kind: String,
    pub built_in: bool,
}

/// Every body of a datasets folder: the two built in, then the declared
/// ones in the order they were first met.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bodies {
    list: Vec<BodyInfo>,
    /// The declared bodies by the text key of their id and names (the
    /// first declared, when two share one): one look per row, however many
    /// bodies a study declares.
    declared: std::collections::HashMap<String, u16>,
}

impl Default for Bodies {
    fn default() -> Self {
        let built_in = |id: &str, en: &str, zh: &str, kind: &str| BodyInfo {
            id: id.into(),
            name_en: en.into(),
            name_zh: zh.into(),
            level: "national".into(),
            kind: kind.into(),
            built_in: true,
        };
        Bodies {
            list: vec![
                built_in(
                    "NPC",
                    "National People's Congress",
                    "全国人民代表大会",
                    "congress",
                ),
                built_in(
                    "CPPCC",
                    "Chinese People's Political Consultative Conference",
                    "中国人民政治协商会议全国委员会",
                    "consultative",
                ),
            ],
            declared: Default::default(),
        }
    }
}

pub const BODY_COLUMNS: TableSpec = TableSpec {
    required: &["id"],
    may_be_empty: &[],
    optional: &["name_en", "name_zh", "level", "kind", "note"],
};

/// The problem of a body declared past the last that fits (two built in
/// and 65,534 declared: a body is a 16-bit index).
pub const TOO_MANY_BODIES: &str = "more than 65,534 declared bodies";

/// The problem of a body id with nothing rows could name it by.
pub fn no_letter(id: &str) -> String {
    format!("body `{id}` has no letter or digit: a body id needs at least one")
}

const LEVELS: [&str; 4] = ["national", "provincial", "municipal", "county"];
const KINDS: [&str; 2] = ["congress", "consultative"];

/// The built-in bodies' spellings, as text keys.
fn built_in(s: &str) -> Option<Body> {
    // The usual spellings, without building a key (this runs per row).
    if s.eq_ignore_ascii_case("npc") {
        return Some(Body::NPC);
    }
    if s.eq_ignore_ascii_case("cppcc") {
        return Some(Body::CPPCC);
    }
    match crate::key::text_key(s).as_str() {
        "npc" | "全国人大" | "全国人民代表大会" | "人大" | "national people's congress" => {
            Some(Body::NPC)
        }
        "cppcc"
        | "全国政协"
        | "政协"
        | "中国人民政治协商会议"
        | "中国人民政治协商会议全国委员会"
        | "chinese people's political consultative conference" => Some(Body::CPPCC),
        _ => None,
    }
}

impl Bodies {
    /// The body a cell names: a declared body by its id or either name
    /// (declared bodies first, so a study's own 人大 is its own), else a
    /// built-in one by any of its spellings.
    pub fn resolve(&self, s: &str) -> Option<Body> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        if !self.declared.is_empty() {
            if let Some(&i) = self.declared.get(&crate::key::text_key(s)) {
                return Some(Body(i));
            }
        }
        built_in(s)
    }

    /// Declares a body by the id rows use for it.
    pub fn declare(&mut self, info: BodyInfo) -> Option<Body> {
        let i = u16::try_from(self.list.len()).ok()?;
        for name in [&info.id, &info.name_en, &info.name_zh] {
            let key = crate::key::text_key(name);
            if !key.is_empty() {
                self.declared.entry(key).or_insert(i);
            }
        }
        self.list.push(info);
        Some(Body(i))
    }

    pub fn get(&self, b: Body) -> &BodyInfo {
        &self.list[usize::from(b.0)]
    }

    /// How the pages and tables write a body: its id (`NPC`, or a declared
    /// body's id).
    pub fn name(&self, b: Body) -> &str {
        &self.get(b).id
    }

    /// Every body's id, for messages.
    pub fn ids(&self) -> Vec<&str> {
        self.list.iter().map(|b| b.id.as_str()).collect()
    }

    /// Whether any body beyond the two built in was declared.
    pub fn declared_any(&self) -> bool {
        self.list.len() > 2
    }

    /// The declared bodies, with their handles.
    pub fn declared(&self) -> impl Iterator<Item = (Body, &BodyInfo)> {
        (self.list.iter().enumerate().skip(2)).map(|(i, b)| (Body(i as u16), b))
    }
}

/// Reads the optional `bodies.csv`: each row declares a body.
pub fn load(file: &Path, input: Input, bodies: &mut Bodies, diags: &mut Diagnostics) {
    if !file.exists() {
        return;
    }
    let rows = read_table(file, input, &BODY_COLUMNS, diags, |row, d| {
        let level = row.get("level").to_ascii_lowercase();
        if !level.is_empty() && !LEVELS.contains(&level.as_str()) {
            d.error(
                row.path,
                row.line,
                "level",
                format!("unknown level `{level}`: expected national, provincial, municipal or county, or empty"),
            );
            return None;
        }
        let kind = row.get("kind").to_ascii_lowercase();
        if !kind.is_empty() && !KINDS.contains(&kind.as_str()) {
            d.error(
                row.path,
                row.line,
                "kind",
                format!("unknown kind `{kind}`: expected congress or consultative, or empty"),
            );
            return None;
        }
        Some((
            row.line,
            row.path.to_string(),
            BodyInfo {
                id: row.get("id").to_string(),
                name_en: row.get("name_en").to_string(),
                name_zh: row.get("name_zh").to_string(),
                level,
                kind,
                built_in: false,
            },
        ))
    })
    .unwrap_or_default();
    for (line, path, info) in rows {
        if crate::key::text_key(&info.id).is_empty() {
            diags.error(&path, line, "id", no_letter(&info.id));
            continue;
        }
        if let Some(b) = built_in(&info.id) {
            // A row naming a built-in body renames it, for this study.
            let known = &mut bodies.list[usize::from(b.0)];
            for (old, new) in [
                (&mut known.name_en, info.name_en),
                (&mut known.name_zh, info.name_zh),
                (&mut known.level, info.level),
                (&mut known.kind, info.kind),
            ] {
                if !new.is_empty() {
                    *old = new;
                }
            }
            continue;
        }
        if bodies
            .resolve(&info.id)
            .is_some_and(|b| !bodies.get(b).built_in)
        {
            diags.error(
                &path,
                line,
                "id",
                format!("body `{}` is declared twice", info.id),
            );
            continue;
        }
        if bodies.declare(info).is_none() {
            diags.error(&path, line, "id", TOO_MANY_BODIES);
        }
    }
}
