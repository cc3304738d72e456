//! Delegate resolution. Identity matters more than convenience: names match
//! by key (or by the same words in another order), never by similarity; a
//! near miss is an error that lists the closest known delegates, and a
//! name that fits two people is an error naming both.

use compact_str::CompactString;

use super::key::{closest, fingerprint, text_key};
use super::themes::Rule;
use crate::dataset::{Delegate, FastMap};

/// Keys are compact strings: inline up to 24 bytes, so millions of names
/// are not millions of small allocations.
pub struct DelegateIndex {
    exact: Keys,
    ids: FastMap<CompactString, u32>,
    fingerprints: Keys,
    names: Vec<(CompactString, usize)>,
}

/// The delegates each key names: almost always one, held as its index in
/// the map; the rare keys naming two or more point into `many`. At a
/// million delegates a vector-or-index value each (24 bytes) was a third
/// of the maps.
#[derive(Default)]
struct Keys {
    /// A delegate index, or with [`MANY`] set an index into `many`.
    map: FastMap<CompactString, u32>,
    many: Vec<Vec<usize>>,
}

/// The bit marking a value of [`Keys::map`] as an index into `many`.
const MANY: u32 = 1 << 31;

impl Keys {
    fn with_capacity(n: usize) -> Keys {
        Keys {
            map: FastMap::with_capacity_and_hasher(n, Default::default()),
            many: Vec::new(),
        }
    }

    /// Adds delegate `i` under `key`; false when it was already there.
    fn add(&mut self, key: &str, i: usize) -> bool {
        // One probe of the map, since most keys are new: the key is made
        // first (inline up to 24 bytes; a longer one is allocated, and
        // dropped again when it was there already).
        let value = match self.map.entry(key.into()) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(delegate_value(i));
                return true;
            }
            std::collections::hash_map::Entry::Occupied(slot) => slot.into_mut(),
        };
        if *value & MANY == 0 {
            let j = *value as usize;
            if j == i {
                return false;
            }
            *value = MANY | self.many.len() as u32;
            self.many.push(vec![j, i]);
            return true;
        }
        let list = &mut self.many[(*value & !MANY) as usize];
        if list.contains(&i) {
            return false;
        }
        list.push(i);
        true
    }

    /// The delegates `key` names, when any.
    fn get(&self, key: &str) -> Option<Named<'_>> {
        let value = *self.map.get(key)?;
        Some(if value & MANY == 0 {
            Named::One(value as usize)
        } else {
            Named::Many(&self.many[(value & !MANY) as usize])
        })
    }
}

/// The delegates a key names: one, or two or more.
enum Named<'a> {
    One(usize),
    Many(&'a [usize]),
}

/// A delegate index as a map value: below [`MANY`], which no delegates
/// file that fits in memory reaches (two billion rows).
fn delegate_value(i: usize) -> u32 {
    u32::try_from(i)
        .ok()
        .filter(|&v| v & MANY == 0)
        .expect("fewer than two billion delegates")
}

/// Why a name did not resolve.
#[derive(Debug, Clone, PartialEq)]
pub enum Unresolved {
    /// No delegate has that name; the closest ids with their similarity.
    Unknown(Vec<(usize, f64)>),
    /// Two or more delegates have that name.
    Ambiguous(Vec<usize>),
}

impl DelegateIndex {
    pub fn new(delegates: &[Delegate]) -> Self {
        let n = delegates.len();
        // The keys and their fingerprints (the costly part: Unicode
        // folding) on every core; then the two maps, which do not depend
        // on each other, at once, each in delegate order.
        let (keys, prints): (Vec<Vec<CompactString>>, Vec<Vec<CompactString>>) =
            crate::parallel::map(delegates, |d| {
                let keys: Vec<CompactString> = [&d.id, &d.name_en, &d.name_zh]
                    .into_iter()
                    .chain(&d.aliases)
                    .map(|name| CompactString::from(text_key(name)))
                    .collect();
                let prints = (keys.iter())
                    .filter(|k| !k.is_empty())
                    .map(|k| CompactString::from(fingerprint(k)))
                    .collect();
                (keys, prints)
            })
            .into_iter()
            .unzip();
        let (exact, ids, names, fingerprints) = std::thread::scope(|scope| {
            // A delegate's fingerprint added twice changes nothing: every
            // key's is added, not only the distinct names'. Each thread
            // consumes its lists as it goes.
            let fingerprints = scope.spawn(move || {
                let mut fingerprints = Keys::with_capacity(prints.iter().map(Vec::len).sum());
                for (i, mine) in prints.into_iter().enumerate() {
                    for print in mine {
                        fingerprints.add(&print, i);
                    }
                }
                fingerprints
            });
            let mut exact = Keys::with_capacity(n * 3);
            let mut ids = FastMap::with_capacity_and_hasher(n, Default::default());
            let mut names = Vec::with_capacity(n * 3);
            for (i, mine) in keys.into_iter().enumerate() {
                for (n, k) in mine.into_iter().enumerate() {
                    if n == 0 {
                        ids.entry(k.clone()).or_insert(delegate_value(i));
                    }
                    if !k.is_empty() && exact.add(&k, i) {
                        names.push((k, i));
                    }
                }
            }
            // A panic on the other thread is a bug: re-raised, as everywhere.
            let fingerprints =
                (fingerprints.join()).unwrap_or_else(|e| std::panic::resume_unwind(e));
            (exact, ids, names, fingerprints)
        });
        DelegateIndex {
            exact,
            ids,
            fingerprints,
            names,
        }
    }

    /// Resolves a name to one delegate, with the rule that matched.
    pub fn resolve(&self, raw: &str) -> Result<(usize, Rule), Unresolved> {
        self.resolve_key(&text_key(raw))
    }

    /// Resolves a name by its key ([`text_key`]), when the caller has it.
    pub fn resolve_key(&self, key: &str) -> Result<(usize, Rule), Unresolved> {
        let found = match self.exact.get(key) {
            Some(named) => Some((named, Rule::Alias)),
            None => {
                (self.fingerprints.get(&fingerprint(key))).map(|named| (named, Rule::Fingerprint))
            }
        };
        match found {
            Some((Named::One(i), rule)) => {
                let rule = if self.ids.get(key).map(|&id| id as usize) == Some(i) {
                    Rule::Id
                } else {
                    rule
                };
                Ok((i, rule))
            }
            Some((Named::Many(v), _)) => Err(Unresolved::Ambiguous(v.to_vec())),
            None => Err(Unresolved::Unknown(closest(key, &self.names, 3))),
        }
    }
}

/// The message for a name that did not resolve.
pub fn describe(raw: &str, why: &Unresolved, delegates: &[Delegate]) -> String {
    match why {
        Unresolved::Unknown(closest) => {
            let near: Vec<String> = closest
                .iter()
                .map(|(i, s)| format!("{} ({:.2})", delegates[*i].id, s))
                .collect();
            if near.is_empty() {
                format!("unknown delegate `{raw}`: delegates.csv has no delegates")
            } else {
                format!(
                    "unknown delegate `{raw}`: add it to delegates.csv (name or alias); closest: {}",
                    near.join(", ")
                )
            }
        }
        Unresolved::Ambiguous(ids) => {
            let ids: Vec<&str> = ids.iter().map(|&i| delegates[i].id.as_str()).collect();
            format!(
                "ambiguous delegate `{raw}`: it names {}; use the delegate id",
                ids.join(" and ")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delegate(id: &str, en: &str, zh: &str, aliases: &[&str]) -> Delegate {
        Delegate {
            id: id.into(),
            name_en: en.into(),
            name_zh: zh.into(),
            aliases: aliases.iter().map(|&s| s.into()).collect(),
            company: Default::default(),
            line: 2,
        }
    }

    #[test]
    fn every_name_of_a_person_resolves_to_them() {
        let ds = vec![
            delegate("pony-ma", "Pony Ma", "马化腾", &["Ma Huateng"]),
            delegate("lei-jun", "Lei Jun", "雷军", &[]),
        ];
        let ix = DelegateIndex::new(&ds);
        for raw in [
            "Pony Ma",
            "pony-ma",
            "马化腾",
            "MA HUATENG",
            "Huateng Ma",
            " 马化腾 ",
        ] {
            assert_eq!(ix.resolve(raw).map(|r| r.0), Ok(0), "{raw}");
        }
    }

    #[test]
    fn a_near_miss_is_an_error_listing_the_closest() {
        let ds = vec![delegate("lei-jun", "Lei Jun", "雷军", &[])];
        let ix = DelegateIndex::new(&ds);
        match ix.resolve("Lei Jum") {
            Err(Unresolved::Unknown(c)) => assert_eq!(c[0].0, 0),
            other => panic!("expected unknown, got {other:?}"),
        }
        let msg = describe("Lei Jum", &ix.resolve("Lei Jum").unwrap_err(), &ds);
        assert!(msg.contains("closest: lei-jun"), "{msg}");
    }

    #[test]
    fn a_shared_name_is_ambiguous_and_names_both() {
        let ds = vec![
            delegate("zhang-wei-1", "Zhang Wei", "张伟", &[]),
            delegate("zhang-wei-2", "Zhang Wei", "张伟", &[]),
        ];
        let ix = DelegateIndex::new(&ds);
        let err = ix.resolve("张伟").unwrap_err();
        assert_eq!(err, Unresolved::Ambiguous(vec![0, 1]));
        assert!(describe("张伟", &err, &ds).contains("zhang-wei-1 and zhang-wei-2"));
        assert_eq!(ix.resolve("zhang-wei-2").map(|r| r.0), Ok(1));
    }
}
