//! The theme ladder: each raw phrase resolves by the strictest rule that
//! fires: taxonomy id, alias (labels count as aliases), fingerprint, fuzzy
//! similarity above a threshold with no tie, else unmapped.

use std::collections::HashMap;

use super::key::{fingerprint, text_key};
use crate::dataset::Theme;
use crate::error::Diagnostics;

/// The rule that resolved a phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    Id,
    Alias,
    Fingerprint,
    Fuzzy,
    /// Inferred from the title or summary (`--infer-themes`).
    Text,
    Unmapped,
}

impl Rule {
    pub fn as_str(&self) -> &'static str {
        match self {
            Rule::Id => "id",
            Rule::Alias => "alias",
            Rule::Fingerprint => "fingerprint",
            Rule::Fuzzy => "fuzzy",
            Rule::Text => "text",
            Rule::Unmapped => "unmapped",
        }
    }
}

/// Two fuzzy candidates closer than this are a tie.
pub const TIE_MARGIN: f64 = 0.02;
pub const DEFAULT_FUZZY_THRESHOLD: f64 = 0.85;

/// How one phrase resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    pub key: String,
    /// Index into the taxonomy; `None` when unmapped.
    pub theme: Option<usize>,
    pub rule: Rule,
    /// 1 for exact rules, the similarity for fuzzy, the best candidate's for unmapped.
    pub score: f64,
}

/// Lookup structures over the taxonomy.
pub struct ThemeIndex {
    exact: HashMap<String, (usize, Rule)>,
    fingerprints: HashMap<String, Vec<usize>>,
    /// Every name key with its theme, for the fuzzy rung and suggestions.
    names: Vec<(String, usize)>,
    threshold: f64,
}

impl ThemeIndex {
    /// Builds the index; names claimed by two themes are reported against `path`.
    pub fn new(themes: &[Theme], threshold: f64, path: &str, diags: &mut Diagnostics) -> Self {
        let mut exact: HashMap<String, (usize, Rule)> = HashMap::new();
        let mut names = Vec::new();
        // Ids first so that an id always wins over an alias.
        for (i, t) in themes.iter().enumerate() {
            let k = text_key(&t.id);
            if k.is_empty() {
                // Nothing a phrase could match (and, as a pattern, it
                // would match everywhere).
                diags.error(
                    path,
                    t.line,
                    "id",
                    format!(
                        "`{}` has no letter or digit: a theme id needs at least one",
                        t.id
                    ),
                );
                continue;
            }
            if let Some(&(j, _)) = exact.get(&k) {
                if j != i {
                    diags.error(
                        path,
                        t.line,
                        "id",
                        format!("`{}` is also the id of theme `{}`", t.id, themes[j].id),
                    );
                }
                continue;
            }
            exact.insert(k.clone(), (i, Rule::Id));
            names.push((k, i));
        }
        for (i, t) in themes.iter().enumerate() {
            let labels = [&t.label_en, &t.label_zh];
            for (name, column) in labels
                .into_iter()
                .map(|l| (l, "label"))
                .chain(t.aliases.iter().map(|a| (a, "aliases")))
            {
                let k = text_key(name);
                if k.is_empty() {
                    continue;
                }
                match exact.get(&k) {
                    Some(&(j, _)) if j != i => {
                        let column = if column == "label" {
                            "label_en"
                        } else {
                            column
                        };
                        diags.error(
                            path,
                            t.line,
                            column,
                            format!("`{name}` also names theme `{}`: one phrase must resolve to one theme", themes[j].id),
                        );
                    }
                    Some(_) => {}
                    None => {
                        exact.insert(k.clone(), (i, Rule::Alias));
                        names.push((k, i));
                    }
                }
            }
        }
        let mut fingerprints: HashMap<String, Vec<usize>> = HashMap::new();
        for (k, i) in &names {
            let v = fingerprints.entry(fingerprint(k)).or_default();
            if !v.contains(i) {
                v.push(*i);
            }
        }
        ThemeIndex {
            exact,
            fingerprints,
            names,
            threshold,
        }
    }

    /// Resolves one raw phrase down the ladder.
    pub fn resolve(&self, raw: &str) -> Resolution {
        let key = text_key(raw);
        if let Some(&(theme, rule)) = self.exact.get(&key) {
            return Resolution {
                key,
                theme: Some(theme),
                rule,
                score: 1.0,
            };
        }
        if let Some(candidates) = self.fingerprints.get(&fingerprint(&key)) {
            if candidates.len() == 1 {
                return Resolution {
                    key,
                    theme: Some(candidates[0]),
                    rule: Rule::Fingerprint,
                    score: 1.0,
                };
            }
        }
        let best = self.ranked(&key, 2);
        match best.as_slice() {
            [(t, s), rest @ ..]
                if *s >= self.threshold
                    && rest.first().is_none_or(|(_, s2)| s - s2 > TIE_MARGIN) =>
            {
                Resolution {
                    key,
                    theme: Some(*t),
                    rule: Rule::Fuzzy,
                    score: *s,
                }
            }
            _ => {
                let score = best.first().map_or(0.0, |b| b.1);
                Resolution {
                    key,
                    theme: None,
                    rule: Rule::Unmapped,
                    score,
                }
            }
        }
    }

    /// The `n` most similar themes to a key, best first, one score per
    /// theme (its best name). Ties in score are broken by theme index so
    /// the order is stable.
    pub fn ranked(&self, key: &str, n: usize) -> Vec<(usize, f64)> {
        super::key::closest(key, &self.names, n)
    }

    /// Name keys with their themes, for the text matcher.
    pub fn names(&self) -> &[(String, usize)] {
        &self.names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(id: &str, en: &str, zh: &str, aliases: &[&str]) -> Theme {
        Theme {
            id: id.into(),
            category: "c".into(),
            label_en: en.into(),
            label_zh: zh.into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            cap_major: None,
            measures_searched: None,
            line: 2,
        }
    }

    fn index() -> ThemeIndex {
        let themes = vec![
            theme(
                "battery-swapping",
                "Battery swapping",
                "换电",
                &["swap stations"],
            ),
            theme(
                "sodium-ion-batteries",
                "Sodium-ion batteries",
                "钠离子电池",
                &[],
            ),
            theme("smart-port", "Smart ports", "", &[]),
            theme("smart-fort", "Smart forts", "", &[]),
        ];
        let mut d = Diagnostics::default();
        let ix = ThemeIndex::new(&themes, DEFAULT_FUZZY_THRESHOLD, "themes.csv", &mut d);
        assert!(d.errors.is_empty());
        ix
    }

    #[test]
    fn each_rung_of_the_ladder_fires() {
        let ix = index();
        let cases = [
            ("Battery_Swapping", Some(0), Rule::Id),
            ("Swap Stations", Some(0), Rule::Alias),
            ("换电", Some(0), Rule::Alias),
            ("Ｓｗａｐ stations", Some(0), Rule::Alias),
            ("station swap", Some(0), Rule::Fingerprint),
            ("batteries sodium-ion", Some(1), Rule::Fingerprint),
            ("battery swaping", Some(0), Rule::Fuzzy),
            ("quantum computing", None, Rule::Unmapped),
        ];
        for (raw, theme, rule) in cases {
            let r = ix.resolve(raw);
            assert_eq!((r.theme, r.rule), (theme, rule), "{raw}");
        }
    }

    #[test]
    fn a_fuzzy_tie_stays_unmapped() {
        let ix = index();
        // "smart xorts" is as close to "smart ports" as to "smart forts".
        let r = ix.resolve("smart xorts");
        assert_eq!(r.rule, Rule::Unmapped);
        assert!(r.score >= DEFAULT_FUZZY_THRESHOLD);
    }

    #[test]
    fn an_alias_naming_two_themes_is_a_taxonomy_error() {
        let themes = vec![
            theme("a", "A", "", &["shared"]),
            theme("b", "B", "", &["Shared"]),
        ];
        let mut d = Diagnostics::default();
        ThemeIndex::new(&themes, 0.85, "themes.csv", &mut d);
        assert_eq!(d.errors.len(), 1);
        assert!(d.errors[0].message.contains("also names theme `a`"));
    }
}
