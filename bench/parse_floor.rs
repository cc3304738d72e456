//! The parse floor for `make bench`: one pass of the `csv` crate over every
//! CSV file under a folder, counting records and nothing else. `report`
//! cannot be faster than this; the benchmark reports its ratio to it.

use std::path::Path;

fn count(dir: &Path, total: &mut u64) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            count(&path, total)?;
        } else if path.extension().is_some_and(|e| e == "csv") {
            let mut reader = csv::ReaderBuilder::new().flexible(true).from_path(&path)?;
            let mut record = csv::ByteRecord::new();
            while reader.read_byte_record(&mut record)? {
                *total += 1;
            }
        }
    }
    Ok(())
}

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "datasets".into());
    let mut total = 0;
    if let Err(e) = count(Path::new(&dir), &mut total) {
        eprintln!("error: {dir}: {e}");
        std::process::exit(3);
    }
    println!("{total}");
}
