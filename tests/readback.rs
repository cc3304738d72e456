//! The proposals' long text is read back from the year files by byte
//! offset: in any row order, and never silently from a file that changed.

use std::fs;

use crate::common::Scratch;
use proposal_diff::dataset::{self, TextReader};
use proposal_diff::error::Diagnostics;

/// (id, company, summary, source) of every row, straight from the files.
fn straight(dir: &std::path::Path) -> Vec<[String; 4]> {
    let mut rows = Vec::new();
    let mut files: Vec<_> = fs::read_dir(dir.join("proposals"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        let mut r = csv::Reader::from_path(&f).unwrap();
        let h = r.headers().unwrap().clone();
        let col = |n: &str| h.iter().position(|x| x == n).unwrap();
        let mut year = Vec::new();
        for rec in r.records() {
            let rec = rec.unwrap();
            let get = |n: &str| rec[col(n)].trim().to_string();
            year.push([get("id"), get("company"), get("summary"), get("source")]);
        }
        year.sort();
        rows.extend(year);
    }
    rows
}

fn read_back(ds: &dataset::Datasets, mut reader: TextReader) -> Vec<[String; 4]> {
    (0..ds.proposals.len())
        .map(|i| {
            let t = reader.read(i).expect("the text reads back");
            [
                ds.proposals[i].id.to_string(),
                t.company().to_string(),
                t.summary().to_string(),
                t.source().to_string(),
            ]
        })
        .collect()
}

/// The shipped datasets in a scratch folder, loaded without errors.
fn shipped() -> (Scratch, dataset::Datasets) {
    let s = Scratch::shipped();
    let mut diags = Diagnostics::default();
    let ds = dataset::load(&s.datasets(), &mut diags);
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    (s, ds)
}

#[test]
fn text_reads_back_in_order_and_out_of_order() {
    let (s, ds) = shipped();
    let want = straight(&s.datasets());
    assert_eq!(want.len(), ds.proposals.len());
    // The shipped files are not in id order: the bulk reader takes each
    // file into memory; the lookup reader seeks.
    assert_eq!(read_back(&ds, TextReader::bulk(&ds)), want);
    assert_eq!(read_back(&ds, TextReader::lookup(&ds)), want);
    // Backwards, file by file.
    let mut lookup = TextReader::lookup(&ds);
    for i in (0..ds.proposals.len()).rev() {
        assert_eq!(lookup.read(i).unwrap().source(), want[i][3]);
    }
}

#[test]
fn a_file_changed_after_loading_is_an_error_not_wrong_text() {
    let (s, ds) = shipped();
    // Insert a row at the top of the first year file: every offset moves.
    let file = s.datasets().join("proposals/2018.csv");
    let text = fs::read_to_string(&file).unwrap();
    let (header, rest) = text.split_once('\n').unwrap();
    fs::write(
        &file,
        format!("{header}\nx-new,2018,Pony Ma,Tencent,NPC,T,S,digital economy,,high,src\n{rest}"),
    )
    .unwrap();
    let mut reader = TextReader::bulk(&ds);
    let first = ds.proposals.iter().position(|p| p.year == 2018).unwrap();
    let err = match reader.read(first) {
        Ok(t) => panic!("read {:?} from a changed file", t.source()),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("proposals/2018.csv"), "{err}");
    assert!(err.contains("changed"), "{err}");
}

/// Rewrites every year file with its rows in id order (so the bulk reader
/// streams it), with `bom` and `crlf` as Excel would save it.
fn sorted_copy(dir: &std::path::Path, bom: bool, crlf: bool) {
    for entry in fs::read_dir(dir.join("proposals")).unwrap() {
        let path = entry.unwrap().path();
        let mut r = csv::Reader::from_path(&path).unwrap();
        let header = r.headers().unwrap().clone();
        let mut rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        rows.sort_by(|a, b| a[0].cmp(&b[0]));
        let terminator = if crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        };
        let mut w = csv::WriterBuilder::new()
            .terminator(terminator)
            .from_writer(Vec::new());
        w.write_record(&header).unwrap();
        for row in &rows {
            w.write_record(row).unwrap();
        }
        let mut bytes = if bom {
            b"\xEF\xBB\xBF".to_vec()
        } else {
            Vec::new()
        };
        bytes.extend(w.into_inner().unwrap());
        fs::write(&path, bytes).unwrap();
    }
}

#[test]
fn files_in_id_order_stream_back_with_bom_and_crlf() {
    for (bom, crlf) in [(false, false), (true, false), (false, true), (true, true)] {
        let s = Scratch::shipped();
        sorted_copy(&s.datasets(), bom, crlf);
        let mut diags = Diagnostics::default();
        let ds = dataset::load(&s.datasets(), &mut diags);
        assert!(diags.errors.is_empty(), "{:?}", diags.errors);
        let want = straight(&s.datasets());
        // In file order: the bulk reader never seeks back.
        let mut offsets: Vec<(u16, u64)> =
            ds.proposals.iter().map(|p| (p.file, p.offset)).collect();
        assert!(offsets.is_sorted(), "bom {bom}, crlf {crlf}");
        offsets.dedup();
        assert_eq!(offsets.len(), ds.proposals.len());
        assert_eq!(
            read_back(&ds, TextReader::bulk(&ds)),
            want,
            "bom {bom}, crlf {crlf}"
        );
        assert_eq!(
            read_back(&ds, TextReader::lookup(&ds)),
            want,
            "bom {bom}, crlf {crlf}"
        );
    }
}

#[test]
fn a_file_rewritten_with_the_same_offsets_is_still_an_error() {
    let (s, ds) = shipped();
    // One letter changed: ids and offsets all stay put.
    let file = s.datasets().join("proposals/2019.csv");
    let text = fs::read_to_string(&file).unwrap();
    let at = text.find("digital").expect("a word to edit");
    let edited = format!("{}D{}", &text[..at], &text[at + 1..]);
    assert_eq!(edited.len(), text.len());
    fs::write(&file, edited).unwrap();
    // Whatever the clock's grain, the time is not the one loaded.
    let day = std::time::Duration::from_secs(86_400);
    fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(std::time::SystemTime::UNIX_EPOCH + day)
        .unwrap();
    let first = ds.proposals.iter().position(|p| p.year == 2019).unwrap();
    for mut reader in [TextReader::bulk(&ds), TextReader::lookup(&ds)] {
        let err = match reader.read(first) {
            Ok(t) => panic!("read {:?} from a rewritten file", t.summary()),
            Err(e) => e.to_string(),
        };
        assert!(
            err.contains("proposals/2019.csv") && err.contains("changed"),
            "{err}"
        );
    }
}

/// The shipped files are not in id order, so loading sorts the proposals:
/// each keeps its own title and raw theme phrases, which are held beside
/// the records and reordered with them.
#[test]
fn sorting_by_id_keeps_each_proposal_its_own_phrases_and_title() {
    let (s, ds) = shipped();
    let mut cells = std::collections::BTreeMap::new();
    for f in fs::read_dir(s.datasets().join("proposals")).unwrap() {
        let mut r = csv::Reader::from_path(f.unwrap().path()).unwrap();
        let h = r.headers().unwrap().clone();
        let col = |n: &str| h.iter().position(|x| x == n).unwrap();
        for rec in r.records() {
            let rec = rec.unwrap();
            let get = |n: &str| rec[col(n)].trim().to_string();
            cells.insert((get("year"), get("id")), (get("title"), get("themes")));
        }
    }
    assert_eq!(cells.len(), ds.proposals.len());
    let mut moved = 0;
    for (i, p) in ds.proposals.iter().enumerate() {
        let (title, themes) = &cells[&(p.year.to_string(), p.id.to_string())];
        assert_eq!(ds.title(p), title);
        let phrases: Vec<&str> = (ds.phrases_of(i).iter())
            .map(|&x| ds.phrases.get(x))
            .collect();
        let written: Vec<&str> = (themes.split([';', '；', '|']).map(str::trim))
            .filter(|x| !x.is_empty())
            .collect();
        assert_eq!(phrases, written, "{}", p.id);
        moved += usize::from(
            i > 0 && p.line < ds.proposals[i - 1].line && p.file == ds.proposals[i - 1].file,
        );
    }
    // Some proposal was read after one that now follows it.
    assert!(moved > 0);
}
