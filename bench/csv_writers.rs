//! The CSV writers compared in isolation: every record of the CSV tables
//! under a reports folder is read (untimed) in batches, then written to
//! memory, three times each (the fastest counts), by the tables' own
//! hand-written writer (`proposal_diff::report::csv::CsvWriter`) and by the
//! csv crate's `Writer` with the same settings; only the writing is timed.
//! The two outputs are checked to be the same bytes. The design keeps a
//! hand-written writer only if it beats the crate by 20% or more on the
//! 10M tables: 16% in session 9's measurement, 21% and 25% in session
//! 10's two `make bench` runs, 17% in session 11's, and 23% by work under
//! callgrind (bench/RESULTS.md), so the tables use it.
//! `make bench` runs this on each size's reports.
//!
//! `csv_writers <reports>` prints one line per table: its name, bytes,
//! and the seconds of each writer: hand-written, the crate a cell at a time
//! (as the tables write), and the crate a whole record at a time, each
//! record built a cell at a time into a reused one first (the other way the
//! tables could use it; slower).

use std::io::Write;

use proposal_diff::report::csv::CsvWriter;
use std::path::Path;
use std::time::{Duration, Instant};

use std::io;

/// Records read before each timed write.
const BATCH: usize = 50_000;

/// Times each writer writes each batch; the fastest counts.
const REPEAT: usize = 3;

fn tables(dir: &Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut paths: Vec<_> = (std::fs::read_dir(dir)?)
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    paths.retain(|p| p.extension().is_some_and(|e| e == "csv"));
    paths.sort();
    Ok(paths)
}

fn hand(batch: &[csv::ByteRecord], width: usize, out: &mut Vec<u8>) -> std::io::Result<()> {
    let mut w = CsvWriter::new(out, width);
    for r in batch {
        for cell in r {
            w.cell(cell);
        }
        w.end()?;
    }
    w.flush()
}

fn krate(batch: &[csv::ByteRecord], out: &mut Vec<u8>) -> std::io::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    for r in batch {
        for cell in r {
            w.write_field(cell)?;
        }
        w.write_record(None::<&[u8]>)?;
    }
    w.flush()
}

/// The csv crate given whole records, each built a cell at a time into
/// one reused record.
fn krate_records(batch: &[csv::ByteRecord], out: &mut Vec<u8>) -> std::io::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    let mut record = csv::ByteRecord::new();
    for r in batch {
        record.clear();
        for cell in r {
            record.push_field(cell);
        }
        w.write_byte_record(&record)?;
    }
    w.flush()
}

/// How long `write` takes.
fn timed(write: impl FnOnce() -> io::Result<()>) -> io::Result<Duration> {
    let start = Instant::now();
    write()?;
    Ok(start.elapsed())
}

/// The two writers' bytes must be the same.
fn same(a: &[u8], b: &[u8], path: &Path) -> io::Result<()> {
    if a == b {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "{}: the writers differ",
            path.display()
        )))
    }
}

/// (bytes, hand-written, csv crate by cell, csv crate by record) for one table.
fn measure(path: &Path) -> std::io::Result<(u64, Duration, Duration, Duration)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)?;
    let (mut bytes, mut t_hand, mut t_crate) = (0u64, Duration::ZERO, Duration::ZERO);
    let mut t_records = Duration::ZERO;
    let mut batch: Vec<csv::ByteRecord> = Vec::with_capacity(BATCH);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let mut width = 0;
    loop {
        batch.clear();
        let mut record = csv::ByteRecord::new();
        while batch.len() < BATCH && reader.read_byte_record(&mut record)? {
            width = record.len();
            batch.push(std::mem::take(&mut record));
        }
        if batch.is_empty() {
            break;
        }
        // Each writer three times over the batch, in turn; the fastest of
        // each counts, so a pause of the machine is not charged to one.
        let (mut h, mut c, mut r) = (Duration::MAX, Duration::MAX, Duration::MAX);
        for _ in 0..REPEAT {
            a.clear();
            h = h.min(timed(|| hand(&batch, width, &mut a))?);
            b.clear();
            c = c.min(timed(|| krate(&batch, &mut b))?);
            same(&a, &b, path)?;
            b.clear();
            r = r.min(timed(|| krate_records(&batch, &mut b))?);
            same(&a, &b, path)?;
        }
        t_hand += h;
        t_crate += c;
        t_records += r;
        bytes += a.len() as u64;
    }
    Ok((bytes, t_hand, t_crate, t_records))
}

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: csv_writers <reports folder>");
        std::process::exit(2);
    };
    let run = || -> std::io::Result<()> {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        for path in tables(Path::new(&dir))? {
            let (bytes, h, c, r) = measure(&path)?;
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let s = |d: Duration| d.as_secs_f64();
            writeln!(out, "{name} {bytes} {:.3} {:.3} {:.3}", s(h), s(c), s(r))?;
        }
        Ok(())
    };
    if let Err(e) = run() {
        eprintln!("error: {dir}: {e}");
        std::process::exit(3);
    }
}
