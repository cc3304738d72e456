//! The long-form tables as Parquet (`report --tables parquet`), for users
//! at scale who query them with DuckDB or polars. Same tables, same column
//! names and rows as the CSV contract; typed columns (years, counts and
//! lags as integers, similarities and scores as decimals, the rest text),
//! and empty cells as nulls. Text is written as it is: the spreadsheet
//! formula guard of the CSV tables does not apply here.
//!
//! Rows are gathered in batches of [`BATCH`] and each batch is written as
//! one row group, so memory stays flat however long the table.

use std::io::{self, Write};

use polars::prelude::*;

/// Rows per row group.
const BATCH: usize = 1 << 16;

/// Columns holding whole numbers, in any table.
const INTEGER: &[&str] = &[
    "from_year",
    "to_year",
    "last_raised",
    "year",
    "first_year",
    "last_year",
    "longest_streak",
    "n_years",
    "lag_days",
    "strength",
    "max_strength",
    "cap_major",
    "proposal_themes_followed",
    "shortest_lag_days",
    "count",
    "first_proposal_lag_days",
    "proposal_themes",
    "judged",
    "too_recent",
    "low",
    "high",
    "proposals",
    "proposals_followed",
    "themes_searched",
    "measures",
    "proposals_low",
    "proposals_high",
    "bundles",
    "open_followed",
    "proposals_open",
    "unsearched",
];
/// Columns holding decimals.
const DECIMAL: &[&str] = &[
    "similarity",
    "score",
    "chance",
    "expected",
    "lift",
    "proposals_expected",
    "proposals_lift",
];

enum Cells {
    Int(PrimitiveChunkedBuilder<Int64Type>),
    Float(PrimitiveChunkedBuilder<Float64Type>),
    Text(StringChunkedBuilder),
}

impl Cells {
    fn new(name: &str, dtype: &DataType) -> Cells {
        let name = PlSmallStr::from(name);
        match dtype {
            DataType::Int64 => Cells::Int(PrimitiveChunkedBuilder::new(name, BATCH)),
            DataType::Float64 => Cells::Float(PrimitiveChunkedBuilder::new(name, BATCH)),
            _ => Cells::Text(StringChunkedBuilder::new(name, BATCH)),
        }
    }

    fn null(&mut self) {
        match self {
            Cells::Int(b) => b.append_null(),
            Cells::Float(b) => b.append_null(),
            Cells::Text(b) => b.append_null(),
        }
    }

    fn finish(self) -> Column {
        match self {
            Cells::Int(b) => b.finish().into_column(),
            Cells::Float(b) => b.finish().into_column(),
            Cells::Text(b) => b.finish().into_column(),
        }
    }
}

/// One table being written as Parquet, a cell at a time.
pub struct ParquetTable<'w> {
    schema: Schema,
    cells: Vec<Cells>,
    /// The column the next cell goes to.
    at: usize,
    rows: usize,
    out: Option<&'w mut dyn Write>,
    writer: Option<polars::io::parquet::write::BatchedWriter<&'w mut dyn Write>>,
}

fn failed(e: PolarsError) -> io::Error {
    io::Error::other(e)
}

impl<'w> ParquetTable<'w> {
    pub fn new(out: &'w mut dyn Write, header: &[&str]) -> ParquetTable<'w> {
        let schema: Schema = header
            .iter()
            .map(|&h| {
                let dtype = if INTEGER.contains(&h) {
                    DataType::Int64
                } else if DECIMAL.contains(&h) {
                    DataType::Float64
                } else {
                    DataType::String
                };
                Field::new(h.into(), dtype)
            })
            .collect();
        let cells = fresh(&schema);
        ParquetTable {
            schema,
            cells,
            at: 0,
            rows: 0,
            out: Some(out),
            writer: None,
        }
    }

    fn next(&mut self) -> io::Result<&mut Cells> {
        let at = self.at;
        self.at += 1;
        self.cells.get_mut(at).ok_or_else(|| {
            io::Error::other(format!("a row has more than {} cells", self.schema.len()))
        })
    }

    /// A text cell; empty is null. In a number column the text is parsed.
    pub fn text(&mut self, s: &str) -> io::Result<()> {
        let cell = self.next()?;
        match cell {
            _ if s.is_empty() => cell.null(),
            Cells::Text(b) => b.append_value(s),
            Cells::Int(b) => b.append_option(s.parse().ok()),
            Cells::Float(b) => b.append_option(s.parse().ok()),
        }
        Ok(())
    }

    pub fn int(&mut self, n: i64) -> io::Result<()> {
        match self.next()? {
            Cells::Int(b) => b.append_value(n),
            Cells::Float(b) => b.append_value(n as f64),
            Cells::Text(b) => b.append_value(itoa::Buffer::new().format(n)),
        }
        Ok(())
    }

    pub fn end(&mut self) -> io::Result<()> {
        if self.at != self.cells.len() {
            return Err(io::Error::other(format!(
                "a row has {} cells, the table {}",
                self.at,
                self.cells.len()
            )));
        }
        self.at = 0;
        self.rows += 1;
        if self.rows == BATCH {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the gathered rows as one row group.
    fn flush(&mut self) -> io::Result<()> {
        let cells = std::mem::replace(&mut self.cells, fresh(&self.schema));
        let columns: Vec<Column> = cells.into_iter().map(Cells::finish).collect();
        let frame = DataFrame::new_infer_height(columns).map_err(failed)?;
        self.rows = 0;
        if self.writer.is_none() {
            let out = self
                .out
                .take()
                .expect("the output is kept until the writer opens");
            let writer = ParquetWriter::new(out)
                .with_compression(ParquetCompression::Snappy)
                .batched(&self.schema)
                .map_err(failed)?;
            self.writer = Some(writer);
        }
        let writer = self.writer.as_mut().expect("opened above");
        if frame.height() > 0 {
            writer.write_batch(&frame).map_err(failed)?;
        }
        Ok(())
    }

    /// Writes the last row group and the footer.
    pub fn finish(mut self) -> io::Result<()> {
        if self.rows > 0 || self.writer.is_none() {
            self.flush()?;
        }
        self.writer
            .take()
            .expect("flush opens the writer")
            .finish()
            .map_err(failed)?;
        Ok(())
    }
}

fn fresh(schema: &Schema) -> Vec<Cells> {
    schema
        .iter()
        .map(|(name, dtype)| Cells::new(name, dtype))
        .collect()
}
