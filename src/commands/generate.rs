//! `generate`: a reproducible synthetic datasets folder for benchmarks and
//! scale tests, as messy as real tags: aliases, case and width variants,
//! Chinese names, small typos and a few phrases no taxonomy knows.
//!
//! The stream of random numbers is ChaCha8 from a seed, so the same
//! arguments give the same bytes on every machine.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::config::Config;
use crate::error::{exit, Failure};
use crate::report::write::TreeKind;
use crate::report::Sink;

/// The shipped taxonomy, used as the generated one.
/// The generator's own taxonomy: the shipped one as it stood at 0.2, frozen
/// so that generated data (and the bench) do not move when the shipped
/// taxonomy grows, with every other theme marked searched for measures.
const TAXONOMY: &str = include_str!("generate_taxonomy.csv");

const SURNAMES: [(&str, &str); 40] = [
    ("Wang", "王"),
    ("Li", "李"),
    ("Zhang", "张"),
    ("Liu", "刘"),
    ("Chen", "陈"),
    ("Yang", "杨"),
    ("Huang", "黄"),
    ("Zhao", "赵"),
    ("Wu", "吴"),
    ("Zhou", "周"),
    ("Xu", "徐"),
    ("Sun", "孙"),
    ("Ma", "马"),
    ("Zhu", "朱"),
    ("Hu", "胡"),
    ("Guo", "郭"),
    ("He", "何"),
    ("Gao", "高"),
    ("Lin", "林"),
    ("Luo", "罗"),
    ("Zheng", "郑"),
    ("Liang", "梁"),
    ("Xie", "谢"),
    ("Song", "宋"),
    ("Tang", "唐"),
    ("Han", "韩"),
    ("Feng", "冯"),
    ("Deng", "邓"),
    ("Cao", "曹"),
    ("Peng", "彭"),
    ("Zeng", "曾"),
    ("Xiao", "肖"),
    ("Tian", "田"),
    ("Dong", "董"),
    ("Pan", "潘"),
    ("Yuan", "袁"),
    ("Cai", "蔡"),
    ("Jiang", "蒋"),
    ("Yu", "余"),
    ("Du", "杜"),
];

/// Given-name syllables, none of them a surname above, so that a name in
/// either order never names another delegate.
const GIVEN: [(&str, &str); 40] = [
    ("wei", "伟"),
    ("fang", "芳"),
    ("min", "敏"),
    ("jing", "静"),
    ("qiang", "强"),
    ("lei", "磊"),
    ("jun", "军"),
    ("xiang", "翔"),
    ("yong", "勇"),
    ("yan", "艳"),
    ("jie", "杰"),
    ("tao", "涛"),
    ("ming", "明"),
    ("chao", "超"),
    ("xia", "霞"),
    ("ping", "平"),
    ("gang", "刚"),
    ("hua", "华"),
    ("hui", "慧"),
    ("xin", "鑫"),
    ("bo", "博"),
    ("yue", "悦"),
    ("hao", "浩"),
    ("kai", "凯"),
    ("lu", "璐"),
    ("dan", "丹"),
    ("pei", "佩"),
    ("long", "龙"),
    ("fei", "飞"),
    ("ning", "宁"),
    ("rui", "瑞"),
    ("shan", "山"),
    ("ting", "婷"),
    ("wen", "文"),
    ("xue", "雪"),
    ("yi", "怡"),
    ("zhen", "振"),
    ("zhi", "志"),
    ("cheng", "成"),
    ("shu", "书"),
];

const KINDS: [&str; 7] = [
    "law",
    "regulation",
    "standard",
    "pilot",
    "local-rule",
    "plan",
    "reply",
];

struct Theme {
    id: String,
    label_en: String,
    label_zh: String,
    aliases: Vec<String>,
}

/// The generator's taxonomy's themes.
fn taxonomy() -> Vec<Theme> {
    taxonomy_from(TAXONOMY)
}

/// A taxonomy's themes, read by column name (column order is free).
fn taxonomy_from(text: &str) -> Vec<Theme> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .expect("the shipped taxonomy has a header")
        .clone();
    let at = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("the shipped taxonomy has a `{name}` column"))
    };
    let (id, en, zh, aliases) = (at("id"), at("label_en"), at("label_zh"), at("aliases"));
    reader
        .records()
        .map(|r| {
            let r = r.expect("the shipped taxonomy is valid CSV");
            Theme {
                id: r[id].to_string(),
                label_en: r[en].to_string(),
                label_zh: r[zh].to_string(),
                aliases: crate::dataset::split_list(&r[aliases]),
            }
        })
        .collect()
}

/// A unique English and Chinese name for delegate `i`: the digits of `i` in
/// base 40 pick a surname and up to three given-name syllables.
fn names(i: usize) -> (String, String, String) {
    let (s_en, s_zh) = SURNAMES[i % 40];
    let mut rest = i / 40;
    let (mut given_en, mut given_zh) = (String::new(), String::new());
    loop {
        let (en, zh) = GIVEN[rest % 40];
        given_en.push_str(en);
        given_zh.push_str(zh);
        rest /= 40;
        if rest == 0 {
            break;
        }
        rest -= 1;
    }
    let mut given = given_en.clone();
    given[..1].make_ascii_uppercase();
    (
        format!("{s_en} {given}"),
        format!("{s_zh}{given_zh}"),
        format!("{given} {s_en}"),
    )
}

/// A raw theme phrase as a tagger might have written it.
fn messy(rng: &mut ChaCha8Rng, t: &Theme) -> String {
    let english: Vec<&String> = t.aliases.iter().filter(|a| a.is_ascii()).collect();
    let chinese: Vec<&String> = t.aliases.iter().filter(|a| !a.is_ascii()).collect();
    let roll = rng.random_range(0..100);
    let base = if roll < 10 {
        t.id.clone()
    } else if roll < 30 {
        t.label_en.clone()
    } else if roll < 60 && !english.is_empty() {
        english[rng.random_range(0..english.len())].clone()
    } else if roll < 80 && !chinese.is_empty() {
        chinese[rng.random_range(0..chinese.len())].clone()
    } else if !t.label_zh.is_empty() {
        t.label_zh.clone()
    } else {
        t.label_en.clone()
    };
    let roll = rng.random_range(0..100);
    match roll {
        0..10 => base.to_uppercase(),
        10..20 => base.to_lowercase(),
        20..23 => base
            .chars()
            .map(|c| match c {
                '!'..='~' => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c),
                ' ' => '\u{3000}',
                c => c,
            })
            .collect(),
        23..30 => base.replace(' ', "-"),
        30..34 if base.is_ascii() && base.len() > 8 => {
            // A small typo: one letter dropped.
            let at = rng.random_range(1..base.len() - 1);
            format!("{}{}", &base[..at], &base[at + 1..])
        }
        34..38 => format!(" {base}. "),
        38..42 if base.contains(' ') => {
            // Words in another order, as in "stations, swap".
            base.split(' ').rev().collect::<Vec<_>>().join(" ")
        }
        _ => base,
    }
}

/// The marker of a generated datasets folder: `generate` replaces only a
/// folder that holds it (never real datasets given to --out by mistake).
pub const MARKER: &str = ".proposal-diff-generated";

/// A CSV table streamed into a file of the tree.
fn table(w: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(1 << 16)
        .from_writer(w)
}

/// One generated delegate.
struct Person {
    id: String,
    name_en: String,
    name_zh: String,
    alias: String,
    body: &'static str,
    from: i32,
    to: i32,
}

/// Writes a datasets folder through the one writer (a staging folder
/// swapped in whole). Returns the number of proposal rows.
pub fn generate(delegates: usize, years: usize, seed: u64, out: &Path) -> Result<usize> {
    let kind = TreeKind {
        marker: MARKER,
        what: "generated datasets folder",
    };
    let mut rows = 0usize;
    crate::report::write::write_tree(out, &kind, None, |sink| {
        rows = write_datasets(sink, delegates, years, seed)?;
        Ok(())
    })?;
    Ok(rows)
}

fn write_datasets(sink: &dyn Sink, delegates: usize, years: usize, seed: u64) -> Result<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let themes = taxonomy();
    let first_year = 2026 - years as i32;
    let last_year = 2025;
    sink.put(
        MARKER,
        format!("proposal-diff generate --delegates {delegates} --years {years} --seed {seed}\n")
            .as_bytes(),
    )?;
    sink.put("themes.csv", TAXONOMY.as_bytes())?;

    sink.file("sessions.csv", &mut |w| {
        let mut t = table(w);
        t.write_record(["year", "body", "opened"])?;
        for y in first_year..=last_year {
            t.write_record([y.to_string().as_str(), "NPC", &format!("{y}-03-05")])?;
            t.write_record([y.to_string().as_str(), "CPPCC", &format!("{y}-03-04")])?;
        }
        t.flush()
    })?;

    // Delegates and their terms, drawn first, then written.
    let mut persons = Vec::with_capacity(delegates);
    for i in 0..delegates {
        let (name_en, name_zh, alias) = names(i);
        let id = format!("d{i:07}");
        let body = if rng.random_bool(0.6) { "NPC" } else { "CPPCC" };
        let from = if rng.random_bool(0.7) {
            first_year
        } else {
            rng.random_range(first_year..=last_year)
        };
        let to = if rng.random_bool(0.8) {
            last_year
        } else {
            rng.random_range(from..=last_year)
        };
        persons.push(Person {
            id,
            name_en,
            name_zh,
            alias,
            body,
            from,
            to,
        });
    }
    sink.file("delegates.csv", &mut |w| {
        let mut t = table(w);
        t.write_record(["id", "name_en", "name_zh", "aliases", "company"])?;
        for (i, p) in persons.iter().enumerate() {
            t.write_record([
                p.id.as_str(),
                &p.name_en,
                &p.name_zh,
                &p.alias,
                &format!("Company {}", i % 997),
            ])?;
        }
        t.flush()
    })?;
    sink.file("memberships.csv", &mut |w| {
        let mut t = table(w);
        t.write_record(["delegate", "body", "from", "to", "source"])?;
        for p in &persons {
            let from = if p.from == first_year {
                String::new()
            } else {
                p.from.to_string()
            };
            let to = if p.to == last_year {
                String::new()
            } else {
                p.to.to_string()
            };
            t.write_record([p.id.as_str(), p.body, &from, &to, "Synthetic register"])?;
        }
        t.flush()
    })?;

    // Proposals, one file per year.
    let mut rows = 0usize;
    for year in first_year..=last_year {
        sink.file(&format!("proposals/{year}.csv"), &mut |w| {
            let mut t = table(w);
            t.write_record([
                "id",
                "year",
                "delegate",
                "company",
                "body",
                "title",
                "summary",
                "themes",
                "date",
                "confidence",
                "source",
            ])?;
            for (i, p) in persons.iter().enumerate() {
                if year < p.from || year > p.to || rng.random_bool(0.05) {
                    continue;
                }
                t.write_record(proposal(&mut rng, &themes, p, i, year, seed))?;
                rows += 1;
            }
            t.flush()
        })?;
    }

    // Measures: about half the themes have one or two.
    sink.file("adoptions.csv", &mut |w| {
        let mut t = table(w);
        t.write_record([
            "id", "theme", "measure", "issuer", "date", "kind", "stage", "extent", "found_by",
            "scope", "source",
        ])?;
        let mut n = 0;
        for (ti, th) in themes.iter().enumerate() {
            if !rng.random_bool(0.5) {
                continue;
            }
            for _ in 0..rng.random_range(1..=2) {
                n += 1;
                let y = rng.random_range(first_year..=last_year);
                let m = rng.random_range(1..=12);
                let date = match rng.random_range(0..10) {
                    0 => y.to_string(),
                    1..3 => format!("{y}-{m:02}"),
                    _ => format!("{y}-{m:02}-{:02}", rng.random_range(1..=28)),
                };
                let extent = if rng.random_bool(0.85) {
                    "full"
                } else {
                    "partial"
                };
                // No draws below, so the stream stays as it was: every
                // seventh measure is a draft, and the measures of a searched
                // theme (every other one) were found by theme search.
                let stage = if n % 7 == 0 { "draft" } else { "final" };
                let found_by = if ti % 2 == 0 {
                    "theme-search"
                } else {
                    "proposal-search"
                };
                t.write_record([
                    format!("m{n:05}").as_str(),
                    &th.id,
                    &format!("Measure on {}", th.label_en.to_lowercase()),
                    "Synthetic ministry",
                    &date,
                    KINDS[rng.random_range(0..KINDS.len())],
                    stage,
                    extent,
                    found_by,
                    // Every fifth measure is local; no draw, so the stream stays as it was.
                    if n % 5 == 0 { "local" } else { "national" },
                    &format!("Synthetic source {seed}"),
                ])?;
            }
        }
        t.flush()
    })?;
    Ok(rows)
}

/// One proposal row of delegate `p` (the `i`-th) in `year`.
fn proposal(
    rng: &mut ChaCha8Rng,
    themes: &[Theme],
    p: &Person,
    i: usize,
    year: i32,
    seed: u64,
) -> [String; 11] {
    let n = rng.random_range(1..=4);
    let mut picked: Vec<&Theme> = Vec::with_capacity(n);
    let mut raw: Vec<String> = Vec::with_capacity(n);
    for _ in 0..n {
        if rng.random_range(0..1000) < 2 {
            raw.push(format!("miscellaneous topic {}", rng.random_range(0..20)));
            continue;
        }
        let t = &themes[rng.random_range(0..themes.len())];
        picked.push(t);
        raw.push(messy(rng, t));
    }
    let delegate = match rng.random_range(0..10) {
        0..4 => p.id.clone(),
        4..7 => p.name_en.clone(),
        7..9 => p.name_zh.clone(),
        _ => p.alias.clone(),
    };
    let label = picked
        .first()
        .map_or("local affairs", |t| t.label_en.as_str());
    let title = format!("On {} ({} {})", label.to_lowercase(), year, i % 100);
    let summary = match picked.get(1) {
        Some(t2) => format!(
            "Proposes action on {} and {}.",
            label.to_lowercase(),
            t2.label_en.to_lowercase()
        ),
        None => format!("Proposes action on {}.", label.to_lowercase()),
    };
    let date = if rng.random_bool(0.2) {
        format!("{year}-03-{:02}", rng.random_range(5..=15))
    } else {
        String::new()
    };
    let confidence = if rng.random_bool(0.1) { "low" } else { "high" };
    let body = if rng.random_bool(0.1) {
        p.body.to_lowercase()
    } else {
        p.body.to_string()
    };
    [
        format!("p{year}-{}", &p.id[1..]),
        year.to_string(),
        delegate,
        format!("Company {}", i % 997),
        body,
        title,
        summary,
        raw.join(if rng.random_bool(0.1) { "；" } else { "; " }),
        date,
        confidence.to_string(),
        format!("Synthetic source {seed}"),
    ]
}

/// The most delegates `generate` draws: they are held in memory while
/// their rows are written (about 150 bytes each).
pub const MAX_DELEGATES: usize = 20_000_000;

pub fn run(
    _config: &Config,
    delegates: usize,
    years: usize,
    seed: u64,
    out: &Path,
) -> Result<u8, Failure> {
    if !(1..=MAX_DELEGATES).contains(&delegates) || !(1..=60).contains(&years) {
        return Err(Failure::Usage(format!(
            "--delegates must be between 1 and {MAX_DELEGATES} (each makes about 7 proposals per 10 years) and --years between 1 and 60"
        )));
    }
    let rows = generate(delegates, years, seed, out).map_err(Failure::Tool)?;
    eprintln!(
        "generated {rows} proposals by {delegates} delegates over {years} years in {}",
        out.display()
    );
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_taxonomy_is_read_by_column_name() {
        let text = "aliases,cap_major,label_zh,id,category,label_en\n\
                    swap stations;换电站,8,换电,battery-swapping,energy,Battery swapping\n";
        let t = taxonomy_from(text);
        assert_eq!(t.len(), 1);
        assert_eq!(
            (
                t[0].id.as_str(),
                t[0].label_en.as_str(),
                t[0].label_zh.as_str()
            ),
            ("battery-swapping", "Battery swapping", "换电")
        );
        assert_eq!(t[0].aliases, ["swap stations", "换电站"]);
    }

    #[test]
    fn given_syllables_are_not_surnames() {
        for (g, _) in GIVEN {
            assert!(
                !SURNAMES.iter().any(|(s, _)| s.eq_ignore_ascii_case(g)),
                "{g}"
            );
        }
    }

    #[test]
    fn names_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for i in 0..100_000 {
            let (en, zh, _) = names(i);
            assert!(seen.insert(en), "{i}");
            assert!(seen.insert(zh), "{i}");
        }
    }
}
