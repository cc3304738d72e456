//! `generate`: a reproducible synthetic datasets folder for benchmarks and
//! scale tests, as messy as real tags: aliases, case and width variants,
//! Chinese names, small typos and a few phrases no taxonomy knows.
//!
//! The stream of random numbers is ChaCha8 from a seed, so the same
//! arguments give the same bytes on every machine.

use std::fs::{self, File};
use std::io::BufWriter;
use std::path::Path;

use anyhow::{Context, Result};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::config::Config;
use crate::error::{exit, Failure};

/// The shipped taxonomy, used as the generated one.
const TAXONOMY: &str = include_str!("../../datasets/themes.csv");

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

fn taxonomy() -> Vec<Theme> {
    let mut reader = csv::Reader::from_reader(TAXONOMY.as_bytes());
    reader
        .records()
        .map(|r| {
            let r = r.expect("the shipped taxonomy is valid CSV");
            Theme {
                id: r[0].to_string(),
                label_en: r[2].to_string(),
                label_zh: r[3].to_string(),
                aliases: crate::dataset::split_list(&r[4]),
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

/// Writes a datasets folder. Returns the number of proposal rows.
pub fn generate(delegates: usize, years: usize, seed: u64, out: &Path) -> Result<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let themes = taxonomy();
    let first_year = 2026 - years as i32;
    let last_year = 2025;
    fs::create_dir_all(out.join("proposals"))
        .with_context(|| format!("cannot create {}", out.display()))?;
    let writer = |name: &str| -> Result<csv::Writer<BufWriter<File>>> {
        let path = out.join(name);
        let file =
            File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
        Ok(csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(BufWriter::with_capacity(1 << 20, file)))
    };

    fs::write(out.join("themes.csv"), TAXONOMY)
        .with_context(|| format!("cannot write {}", out.display()))?;

    let mut sessions = writer("sessions.csv")?;
    sessions.write_record(["year", "body", "opened"])?;
    for y in first_year..=last_year {
        sessions.write_record([y.to_string().as_str(), "NPC", &format!("{y}-03-05")])?;
        sessions.write_record([y.to_string().as_str(), "CPPCC", &format!("{y}-03-04")])?;
    }
    sessions.flush()?;

    // Delegates and their terms.
    let mut people = writer("delegates.csv")?;
    people.write_record(["id", "name_en", "name_zh", "aliases", "company"])?;
    let mut terms = writer("memberships.csv")?;
    terms.write_record(["delegate", "body", "from", "to", "source"])?;
    struct Person {
        id: String,
        name_en: String,
        name_zh: String,
        alias: String,
        body: &'static str,
        from: i32,
        to: i32,
    }
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
        people.write_record([
            id.as_str(),
            &name_en,
            &name_zh,
            &alias,
            &format!("Company {}", i % 997),
        ])?;
        let from_cell = if from == first_year {
            String::new()
        } else {
            from.to_string()
        };
        let to_cell = if to == last_year {
            String::new()
        } else {
            to.to_string()
        };
        terms.write_record([
            id.as_str(),
            body,
            &from_cell,
            &to_cell,
            "Synthetic register",
        ])?;
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
    people.flush()?;
    terms.flush()?;

    // Proposals, one file per year.
    let mut rows = 0usize;
    for year in first_year..=last_year {
        let mut w = writer(&format!("proposals/{year}.csv"))?;
        w.write_record([
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
                raw.push(messy(&mut rng, t));
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
            w.write_record([
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
            ])?;
            rows += 1;
        }
        w.flush()?;
    }

    // Measures: about half the themes have one or two.
    let mut measures = writer("adoptions.csv")?;
    measures.write_record([
        "id", "theme", "measure", "issuer", "date", "kind", "status", "scope", "source",
    ])?;
    let mut n = 0;
    for t in &themes {
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
            let status = if rng.random_bool(0.85) {
                "adopted"
            } else {
                "partial"
            };
            measures.write_record([
                format!("m{n:05}").as_str(),
                &t.id,
                &format!("Measure on {}", t.label_en.to_lowercase()),
                "Synthetic ministry",
                &date,
                KINDS[rng.random_range(0..KINDS.len())],
                status,
                // Every fifth measure is local; no draw, so the stream stays as it was.
                if n % 5 == 0 { "local" } else { "national" },
                &format!("Synthetic source {seed}"),
            ])?;
        }
    }
    measures.flush()?;
    Ok(rows)
}

pub fn run(
    _config: &Config,
    delegates: usize,
    years: usize,
    seed: u64,
    out: &Path,
) -> Result<u8, Failure> {
    if delegates == 0 || !(1..=60).contains(&years) {
        return Err(Failure::Usage(
            "--delegates must be at least 1 and --years between 1 and 60".into(),
        ));
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
