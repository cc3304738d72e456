//! The one CSV writer of the tables: cells copied whole when they need no
//! quotes (byte for byte what the csv crate writes, held so by a property
//! test), the formula guard of spreadsheet cells, and the Parquet tables
//! behind the same calls.

use std::io::{self, Write};

use super::super::escape::csv_cell;
#[cfg(feature = "parquet")]
use super::super::parquet::ParquetTable;
use super::super::Tables;

pub(super) const BOM: &[u8] = b"\xEF\xBB\xBF";

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

/// CSV records written by hand, byte for byte what the csv crate writes
/// with these settings (`,` between cells; `"` around a cell that holds a
/// delimiter, a quote or a line end, with its quotes doubled; `\n` after
/// each record; `""` for a record of one empty cell). Most cells at scale
/// (ids, years, counts) need no quotes and are copied as they are, where
/// the csv crate's encoder stepped through every byte: a tenth of all CPU
/// time at 10 million rows. Reading stays with the csv crate.
pub(super) struct CsvWriter<'w> {
    out: &'w mut dyn Write,
    buf: Vec<u8>,
    /// Cells per record (the header's).
    width: usize,
    /// Cells in the record being written, and where it starts in `buf`.
    cells: usize,
    start: usize,
}

/// Bytes buffered before they are written out.
const CSV_BUFFER: usize = 1 << 16;

impl<'w> CsvWriter<'w> {
    pub(super) fn new(out: &'w mut dyn Write, width: usize) -> CsvWriter<'w> {
        CsvWriter {
            out,
            buf: Vec::with_capacity(CSV_BUFFER + 1024),
            width,
            cells: 0,
            start: 0,
        }
    }

    fn cell(&mut self, cell: &[u8]) {
        if self.cells > 0 {
            self.buf.push(b',');
        }
        self.cells += 1;
        if cell
            .iter()
            .any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
        {
            self.buf.push(b'"');
            for &b in cell {
                if b == b'"' {
                    self.buf.push(b'"');
                }
                self.buf.push(b);
            }
            self.buf.push(b'"');
        } else {
            self.buf.extend_from_slice(cell);
        }
    }

    pub(super) fn end(&mut self) -> io::Result<()> {
        debug_assert_eq!(self.cells, self.width, "a record has the header's cells");
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

    fn flush(&mut self) -> io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        self.start = 0;
        self.out.flush()
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

/// CSV records encoded in memory, cell by cell as [`Table`] writes them.
pub(super) struct Encoder {
    w: csv::Writer<Shared>,
    bytes: Shared,
    numbers: itoa::Buffer,
}

/// The encoder's output, which it reads and clears between records.
#[derive(Clone, Default)]
pub(super) struct Shared(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Encoder {
    pub(super) fn new() -> Encoder {
        let bytes = Shared::default();
        Encoder {
            // Records of the shared cells and of the rest differ in length.
            w: csv::WriterBuilder::new()
                .terminator(csv::Terminator::Any(b'\n'))
                .flexible(true)
                .from_writer(bytes.clone()),
            bytes,
            numbers: itoa::Buffer::new(),
        }
    }

    /// Ends the record and gives every byte encoded since [`Encoder::clear`].
    pub(super) fn end(&mut self) -> io::Result<std::cell::Ref<'_, Vec<u8>>> {
        self.w.write_record(None::<&[u8]>)?;
        self.w.flush()?;
        Ok(self.bytes.0.borrow())
    }

    pub(super) fn clear(&mut self) {
        self.bytes.0.borrow_mut().clear();
    }
}

impl Cells for Encoder {
    fn text(&mut self, cell: &str) -> io::Result<()> {
        Ok(self.w.write_field(csv_cell(cell).as_bytes())?)
    }

    fn number(&mut self, n: i64) -> io::Result<()> {
        Ok(self.w.write_field(self.numbers.format(n).as_bytes())?)
    }
}

#[cfg(test)]
mod tests {
    use super::CsvWriter;
    use proptest::prelude::*;

    /// Records of `width` cells, with delimiters, quotes, line ends and
    /// empty cells among them.
    fn records() -> impl Strategy<Value = (usize, Vec<Vec<String>>)> {
        (1usize..4).prop_flat_map(|width| {
            let cell = prop_oneof![Just(String::new()), "[a-z ,\"\r\n'=;中]{0,5}"];
            let record = proptest::collection::vec(cell, width);
            (Just(width), proptest::collection::vec(record, 1..6))
        })
    }

    proptest! {
        #[test]
        fn hand_written_csv_is_byte_for_byte_the_csv_crates((width, rows) in records()) {
            let mut expected = csv::WriterBuilder::new()
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(Vec::new());
            for row in &rows {
                expected.write_record(row).unwrap();
            }
            let expected = expected.into_inner().unwrap();
            let mut ours = Vec::new();
            let mut w = CsvWriter::new(&mut ours, width);
            for row in &rows {
                for cell in row {
                    w.cell(cell.as_bytes());
                }
                w.end().unwrap();
            }
            w.flush().unwrap();
            prop_assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&expected));
        }
    }
}
