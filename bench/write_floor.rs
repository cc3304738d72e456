//! The write floor for `make bench`: writes, into a new folder, files of
//! the same names and sizes as every file under a finished reports folder,
//! from one buffer in memory, through the same 1 MiB buffered writes the
//! report writer uses. `report` cannot write its output faster than this;
//! the benchmark adds it to the parse floor.
//!
//! `write_floor <reports> <scratch>` prints the bytes written.

use std::io::Write;
use std::path::Path;

fn copy_sizes(from: &Path, to: &Path, chunk: &[u8], total: &mut u64) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    let mut entries: Vec<_> = std::fs::read_dir(from)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let (path, target) = (entry.path(), to.join(entry.file_name()));
        if path.is_dir() {
            copy_sizes(&path, &target, chunk, total)?;
            continue;
        }
        let mut left = entry.metadata()?.len();
        let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&target)?);
        while left > 0 {
            let n = left.min(chunk.len() as u64) as usize;
            out.write_all(&chunk[..n])?;
            left -= n as u64;
            *total += n as u64;
        }
        out.into_inner().map_err(|e| e.into_error())?;
    }
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [from, to] = args.as_slice() else {
        eprintln!("usage: write_floor <reports folder> <scratch folder>");
        std::process::exit(2);
    };
    // Text-like bytes: CSV rows of digits and commas, never one repeated page.
    let chunk: Vec<u8> = (0..64 * 1024)
        .map(|i| {
            if i % 17 == 16 {
                b'\n'
            } else {
                b"0123456789,abcdef"[i % 17]
            }
        })
        .collect();
    let mut total = 0;
    if let Err(e) = copy_sizes(Path::new(from), Path::new(to), &chunk, &mut total) {
        eprintln!("error: {to}: {e}");
        std::process::exit(3);
    }
    println!("{total}");
}
