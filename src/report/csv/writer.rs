//! How the tables are written: CSV by the csv crate, the one CSV writer (a
//! hand-written one was 16% faster on the 10M tables in isolation, short
//! of the 20% the design asks of hand-written code: bench/RESULTS.md),
//! with the formula guard of spreadsheet cells, and the Parquet tables
//! behind the same calls. A table is not flexible: a record without the
//! header's cells is an error. `proposals.csv`'s shared cells are encoded
//! once per proposal by the same crate ([`Encoder`], flexible, since its
//! records are parts of rows), and each row's cells counted.

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
    Csv(csv::Writer<&'w mut dyn Write>),
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
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .buffer_capacity(CSV_BUFFER)
            .from_writer(out);
        writer.write_record(header)?;
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
            Out::Csv(w) => Ok(w.write_field(csv_cell(cell).as_bytes())?),
            #[cfg(feature = "parquet")]
            Out::Parquet(p) => p.text(cell),
        }
    }

    pub(super) fn int(&mut self, n: impl itoa::Integer + TryInto<i64>) -> io::Result<()> {
        match &mut self.out {
            Out::Csv(w) => Ok(w.write_field(self.numbers.format(n).as_bytes())?),
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
            Out::Csv(w) => Ok(w.write_record(None::<&[u8]>)?),
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

/// CSV records encoded in memory, cell by cell as [`Table`] writes them.
pub(super) struct Encoder {
    w: csv::Writer<Shared>,
    bytes: Shared,
    numbers: itoa::Buffer,
    /// Cells encoded since [`Encoder::clear`].
    cells: usize,
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
            cells: 0,
        }
    }

    /// How many cells were encoded since [`Encoder::clear`].
    pub(super) fn cells(&self) -> usize {
        self.cells
    }

    /// Ends the record and gives every byte encoded since [`Encoder::clear`].
    pub(super) fn end(&mut self) -> io::Result<std::cell::Ref<'_, Vec<u8>>> {
        self.w.write_record(None::<&[u8]>)?;
        self.w.flush()?;
        Ok(self.bytes.0.borrow())
    }

    pub(super) fn clear(&mut self) {
        self.bytes.0.borrow_mut().clear();
        self.cells = 0;
    }
}

impl Cells for Encoder {
    fn text(&mut self, cell: &str) -> io::Result<()> {
        self.cells += 1;
        Ok(self.w.write_field(csv_cell(cell).as_bytes())?)
    }

    fn number(&mut self, n: i64) -> io::Result<()> {
        self.cells += 1;
        Ok(self.w.write_field(self.numbers.format(n).as_bytes())?)
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
