//! How the tables are written: CSV by one hand-written writer, byte for
//! byte what the csv crate writes (measured in isolation: 1.16 to 1.25
//! times as fast as the crate on the 10M tables by the clock, which moves
//! with the machine, and 1.23 times by work under callgrind, over the 20%
//! the design asks of hand-written code: bench/RESULTS.md; a property test
//! holds the two equal), with
//! the formula guard of spreadsheet cells, and the Parquet tables behind
//! the same calls. A table is not flexible: a record without the header's
//! cells is an error in every build. `proposals.csv`'s shared cells are
//! encoded once per proposal by the same encoding ([`Encoder`]), and each
//! row's cells counted.

use std::io::{self, Write};

use super::super::escape::csv_cell;
#[cfg(feature = "parquet")]
use super::super::parquet::ParquetTable;
use super::super::Tables;

pub(super) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Bytes the CSV writer buffers before writing them out.
const CSV_BUFFER: usize = 1 << 16;

/// A table being streamed: cells are written as they come, from borrowed
/// text and integers, with no allocation per row. CSV by default; Parquet
/// with `report --tables parquet` ([`super::parquet`]).
pub(super) struct Table<'w> {
    out: Out<'w>,
    /// Reused for list cells.
    scratch: String,
    numbers: itoa::Buffer,
}

// One per table being written: the size of a variant does not matter.
#[allow(clippy::large_enum_variant)]
pub(super) enum Out<'w> {
    Csv(CsvWriter<'w>),
    #[cfg(feature = "parquet")]
    Parquet(ParquetTable<'w>),
}

impl<'w> Table<'w> {
    pub(super) fn new(out: &'w mut dyn Write, header: &[&str], bom: bool) -> io::Result<Table<'w>> {
        if bom {
            out.write_all(BOM)?;
        }
        // Not flexible: a record whose cells are not the header's is an
        // error in every build, never a shifted column.
        let mut writer = CsvWriter::new(out, header.len());
        for name in header {
            writer.cell(name.as_bytes());
        }
        writer.end()?;
        Ok(Table {
            out: Out::Csv(writer),
            scratch: String::new(),
            numbers: itoa::Buffer::new(),
        })
    }

    /// A table of the reports folder, in the chosen format.
    pub(super) fn open(
        out: &'w mut dyn Write,
        header: &[&str],
        format: Tables,
    ) -> io::Result<Table<'w>> {
        match format {
            Tables::Csv => Table::new(out, header, true),
            #[cfg(feature = "parquet")]
            Tables::Parquet => Ok(Table {
                out: Out::Parquet(ParquetTable::new(out, header)),
                scratch: String::new(),
                numbers: itoa::Buffer::new(),
            }),
            #[cfg(not(feature = "parquet"))]
            Tables::Parquet => Err(io::Error::other(
                "this build has no Parquet support (cargo feature `parquet`)",
            )),
        }
    }

    /// A table of the reports folder in its format, or CSV without a BOM
    /// for stdout.
    pub(super) fn stdout_or(
        out: &'w mut dyn Write,
        header: &[&str],
        reports: Option<Tables>,
    ) -> io::Result<Table<'w>> {
        match reports {
            Some(format) => Table::open(out, header, format),
            None => Table::new(out, header, false),
        }
    }

    /// A text cell, escaped against spreadsheet formulas in CSV.
    pub(super) fn text(&mut self, cell: &str) -> io::Result<()> {
        match &mut self.out {
            Out::Csv(w) => {
                w.cell(csv_cell(cell).as_bytes());
                Ok(())
            }
            #[cfg(feature = "parquet")]
            Out::Parquet(p) => p.text(cell),
        }
    }

    pub(super) fn int(&mut self, n: impl itoa::Integer + TryInto<i64>) -> io::Result<()> {
        match &mut self.out {
            Out::Csv(w) => {
                w.cell(self.numbers.format(n).as_bytes());
                Ok(())
            }
            #[cfg(feature = "parquet")]
            Out::Parquet(p) => p.int(n.try_into().unwrap_or(i64::MAX)),
        }
    }

    pub(super) fn opt_int(
        &mut self,
        n: Option<impl itoa::Integer + TryInto<i64>>,
    ) -> io::Result<()> {
        match n {
            Some(n) => self.int(n),
            None => self.text(""),
        }
    }

    /// A `;`-separated list cell.
    pub(super) fn list<'a>(&mut self, items: impl IntoIterator<Item = &'a str>) -> io::Result<()> {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                scratch.push(';');
            }
            scratch.push_str(item);
        }
        let written = self.text(&scratch);
        self.scratch = scratch;
        written
    }

    pub(super) fn end(&mut self) -> io::Result<()> {
        match &mut self.out {
            Out::Csv(w) => w.end(),
            #[cfg(feature = "parquet")]
            Out::Parquet(p) => p.end(),
        }
    }

    pub(super) fn finish(self) -> io::Result<()> {
        match self.out {
            Out::Csv(mut w) => w.flush(),
            #[cfg(feature = "parquet")]
            Out::Parquet(p) => p.finish(),
        }
    }
}

/// A table written to memory, for stdout.
pub(super) fn in_memory(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Vec<u8> {
    let mut bytes = Vec::new();
    write(&mut bytes).expect("writing to memory cannot fail");
    bytes
}

/// Where the cells of `proposals.csv` go: a [`Table`], or an [`Encoder`]
/// of rows that share their first cells.
pub(super) trait Cells {
    fn text(&mut self, cell: &str) -> io::Result<()>;
    fn number(&mut self, n: i64) -> io::Result<()>;
}

impl Cells for Table<'_> {
    fn text(&mut self, cell: &str) -> io::Result<()> {
        Table::text(self, cell)
    }

    fn number(&mut self, n: i64) -> io::Result<()> {
        self.int(n)
    }
}

/// CSV records written by hand, byte for byte what the csv crate writes
/// with these settings (`,` between cells; `"` around a cell that holds a
/// delimiter, a quote or a line end, with its quotes doubled; `\n` after
/// each record; `""` for a record of one empty cell). Most cells at scale
/// (ids, years, counts) need no quotes and are copied as they are. Reading
/// stays with the csv crate.
pub struct CsvWriter<'w> {
    out: &'w mut dyn Write,
    buf: Vec<u8>,
    /// Cells per record (the header's).
    width: usize,
    /// Cells in the record being written, and where it starts in `buf`.
    cells: usize,
    start: usize,
}

impl<'w> CsvWriter<'w> {
    /// A writer of records of `width` cells.
    pub fn new(out: &'w mut dyn Write, width: usize) -> CsvWriter<'w> {
        CsvWriter {
            out,
            buf: Vec::with_capacity(CSV_BUFFER + 1024),
            width,
            cells: 0,
            start: 0,
        }
    }

    /// Appends a cell to the record being written.
    #[inline]
    pub fn cell(&mut self, cell: &[u8]) {
        encode_cell(&mut self.buf, cell, self.cells > 0);
        self.cells += 1;
    }

    /// Ends the record. A record whose cells are not the header's is a bug
    /// in the table's writer: an error in every build, never a shifted
    /// column.
    pub fn end(&mut self) -> io::Result<()> {
        check_width(self.cells, self.width)?;
        if self.cells == 1 && self.buf.len() == self.start {
            // One empty cell: quoted, or the record would read as no record.
            self.buf.extend_from_slice(b"\"\"");
        }
        self.buf.push(b'\n');
        self.cells = 0;
        if self.buf.len() >= CSV_BUFFER {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        self.start = self.buf.len();
        Ok(())
    }

    /// Writes out every record ended so far.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        self.start = 0;
        self.out.flush()
    }
}

/// One cell as the csv crate writes it, after a delimiter when `after`.
/// Inlined at its callers: at scale it runs for every cell written.
#[inline]
fn encode_cell(buf: &mut Vec<u8>, cell: &[u8], after: bool) {
    if cell
        .iter()
        .any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        encode_quoted(buf, cell, after);
        return;
    }
    buf.reserve(cell.len() + 1);
    if after {
        buf.push(b',');
    }
    buf.extend_from_slice(cell);
}

/// [`encode_cell`] for a cell that needs quotes, its quotes doubled.
#[inline(never)]
fn encode_quoted(buf: &mut Vec<u8>, cell: &[u8], after: bool) {
    if after {
        buf.push(b',');
    }
    buf.push(b'"');
    for part in cell.split_inclusive(|&b| b == b'"') {
        buf.extend_from_slice(part);
        if part.last() == Some(&b'"') {
            buf.push(b'"');
        }
    }
    buf.push(b'"');
}

/// Parts of CSV records encoded in memory, cell by cell as [`Table`]
/// writes them, by the same encoding: `proposals.csv`'s cells shared by a
/// proposal's rows, and each row's own.
pub(super) struct Encoder {
    bytes: Vec<u8>,
    numbers: itoa::Buffer,
    /// Cells encoded since [`Encoder::clear`].
    cells: usize,
}

impl Encoder {
    pub(super) fn new() -> Encoder {
        Encoder {
            bytes: Vec::new(),
            numbers: itoa::Buffer::new(),
            cells: 0,
        }
    }

    /// How many cells were encoded since [`Encoder::clear`].
    pub(super) fn cells(&self) -> usize {
        self.cells
    }

    /// Ends the record and gives every byte encoded since [`Encoder::clear`].
    pub(super) fn end(&mut self) -> io::Result<&[u8]> {
        self.bytes.push(b'\n');
        Ok(&self.bytes)
    }

    pub(super) fn clear(&mut self) {
        self.bytes.clear();
        self.cells = 0;
    }
}

impl Cells for Encoder {
    fn text(&mut self, cell: &str) -> io::Result<()> {
        encode_cell(&mut self.bytes, csv_cell(cell).as_bytes(), self.cells > 0);
        self.cells += 1;
        Ok(())
    }

    fn number(&mut self, n: i64) -> io::Result<()> {
        encode_cell(
            &mut self.bytes,
            self.numbers.format(n).as_bytes(),
            self.cells > 0,
        );
        self.cells += 1;
        Ok(())
    }
}

/// A record of `cells` cells in a table of `width` columns is an error
/// unless the two agree (a bug in a table's writer, never a shifted column).
pub(super) fn check_width(cells: usize, width: usize) -> io::Result<()> {
    if cells == width {
        return Ok(());
    }
    Err(io::Error::other(format!(
        "internal error: a record of {cells} cells in a table of {width} columns"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the csv crate writes for the same records.
    fn by_the_crate(records: &[Vec<String>]) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        for r in records {
            w.write_record(r).unwrap();
        }
        w.into_inner().unwrap()
    }

    proptest::proptest! {
        #[test]
        fn the_writer_writes_what_the_csv_crate_writes(
            width in 1usize..4,
            cells in proptest::collection::vec("[a ,\"\r\n'=é]{0,4}", 0..12),
        ) {
            let records: Vec<Vec<String>> =
                cells.chunks_exact(width).map(<[String]>::to_vec).collect();
            let mut out = Vec::new();
            let mut w = CsvWriter::new(&mut out, width);
            for r in &records {
                for c in r {
                    w.cell(c.as_bytes());
                }
                w.end().unwrap();
            }
            w.flush().unwrap();
            proptest::prop_assert_eq!(out, by_the_crate(&records));
        }
    }

    #[test]
    fn a_record_without_the_headers_cells_is_an_error() {
        let mut out = Vec::new();
        let mut t = Table::new(&mut out, &["a", "b"], false).unwrap();
        t.text("x").unwrap();
        t.int(1).unwrap();
        t.end().unwrap();
        t.text("short").unwrap();
        assert!(t.end().is_err());
    }

    #[test]
    fn cells_are_quoted_only_when_they_must_be_and_guarded_against_formulas() {
        let mut out = Vec::new();
        let mut t = Table::new(&mut out, &["a", "b", "c"], true).unwrap();
        for cell in ["plain", "a,b", "say \"hi\""] {
            t.text(cell).unwrap();
        }
        t.end().unwrap();
        t.text("=1+1").unwrap();
        t.text("").unwrap();
        t.list(["x", "y"]).unwrap();
        t.end().unwrap();
        t.finish().unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "\u{feff}a,b,c\nplain,\"a,b\",\"say \"\"hi\"\"\"\n'=1+1,,x;y\n"
        );
    }
}
