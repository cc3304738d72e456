//! Proposal text read back from the year files.
//!
//! The model keeps of each proposal only what the analysis needs (ids,
//! year, delegate, themes, title, date, confidence) and the byte offset of
//! its record. The long text (company, summary, source) is read back from
//! the file when a table or a page writes it: at ten million rows that text
//! would be gigabytes held through the whole run.
//!
//! [`TextReader::bulk`] serves `proposals.csv`, which asks for every row in
//! (year, id) order: a file whose rows are in that order is streamed once;
//! a file in another order is read into memory, one file at a time.
//! [`TextReader::lookup`] serves the pages, which ask for a few rows
//! anywhere: each one is a seek and a short read.

use std::fs::File;
use std::io::{self, Cursor, Read, Seek};
use std::path::PathBuf;
use std::sync::Arc;

use super::read::Stamp;
use super::{Datasets, FastMap};

/// Where the records of one proposal file can be read again.
#[derive(Debug, Clone)]
pub struct RowSource {
    /// The file on disk.
    pub path: PathBuf,
    /// The file as shown in messages.
    pub shown: String,
    /// The file as it was read.
    stamp: Stamp,
    origin: Origin,
    columns: Columns,
}

#[derive(Debug, Clone)]
enum Origin {
    /// The text is the file's bytes from this byte on (after a BOM).
    File(u64),
    /// The file was transcoded: its text is kept, and offsets point into it.
    Text(Arc<str>),
}

/// Column positions of the fields read back.
#[derive(Debug, Clone, Copy)]
struct Columns {
    id: usize,
    company: usize,
    summary: usize,
    source: usize,
}

impl RowSource {
    /// `skip` and `transcoded` as [`super::read::FileTable`] gives them;
    /// `None` when a column read back is missing from the header (the file
    /// then has no rows: loading failed).
    pub fn new(
        path: PathBuf,
        shown: String,
        stamp: Stamp,
        skip: Option<u64>,
        transcoded: Option<String>,
        columns: &FastMap<&'static str, usize>,
    ) -> Option<RowSource> {
        let origin = match (skip, transcoded) {
            (Some(skip), _) => Origin::File(skip),
            (None, Some(text)) => Origin::Text(text.into()),
            (None, None) => return None,
        };
        Some(RowSource {
            path,
            shown,
            stamp,
            origin,
            columns: Columns {
                id: *columns.get("id")?,
                // Optional columns: an absent one reads as empty.
                company: columns.get("company").copied().unwrap_or(usize::MAX),
                summary: columns.get("summary").copied().unwrap_or(usize::MAX),
                source: *columns.get("source")?,
            },
        })
    }
}

/// The text of one proposal, as its file has it (trimmed).
pub struct ProposalText<'r> {
    record: &'r csv::StringRecord,
    columns: Columns,
}

impl<'r> ProposalText<'r> {
    fn get(&self, i: usize) -> &'r str {
        self.record.get(i).map_or("", str::trim)
    }

    pub fn company(&self) -> &'r str {
        self.get(self.columns.company)
    }

    pub fn summary(&self) -> &'r str {
        self.get(self.columns.summary)
    }

    pub fn source(&self) -> &'r str {
        self.get(self.columns.source)
    }
}

trait ReadSeek: Read + Seek + Send {}
impl<T: Read + Seek + Send> ReadSeek for T {}

/// Text bytes shared with a [`RowSource`].
struct Shared(Arc<str>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

enum Open {
    /// A reader over the file (or kept text), seeking only when asked for
    /// a record that is not the next one.
    Stream(csv::Reader<Box<dyn ReadSeek>>),
    /// The whole text of the file: records parsed where they start.
    Memory(Arc<[u8]>),
}

/// Reads proposals' text back; see the module documentation.
pub struct TextReader<'a> {
    ds: &'a Datasets,
    bulk: bool,
    open: Option<(usize, Open)>,
    record: csv::StringRecord,
}

/// The reader's buffer when streaming a whole file, and for one lookup.
const STREAM_BUFFER: usize = 1 << 18;
const LOOKUP_BUFFER: usize = 1 << 12;

impl<'a> TextReader<'a> {
    /// For reading most rows in (year, id) order.
    pub fn bulk(ds: &'a Datasets) -> Self {
        Self::new(ds, true)
    }

    /// For reading a few rows in any order.
    pub fn lookup(ds: &'a Datasets) -> Self {
        Self::new(ds, false)
    }

    fn new(ds: &'a Datasets, bulk: bool) -> Self {
        TextReader {
            ds,
            bulk,
            open: None,
            record: csv::StringRecord::new(),
        }
    }

    /// The text of proposal `p` (an index into [`Datasets::proposals`]).
    pub fn read(&mut self, p: usize) -> io::Result<ProposalText<'_>> {
        let x = &self.ds.proposals[p];
        let source = self
            .ds
            .sources
            .get(usize::from(x.file))
            .and_then(Option::as_ref)
            .ok_or_else(|| {
                io::Error::other(format!(
                    "proposal `{}` has no file to read its text from",
                    x.id
                ))
            })?;
        let at = match &source.origin {
            Origin::File(skip) => skip + x.offset,
            Origin::Text(_) => x.offset,
        };
        if self
            .open
            .as_ref()
            .is_none_or(|(f, _)| *f != usize::from(x.file))
        {
            let reader: Box<dyn ReadSeek> = match &source.origin {
                Origin::File(_) => Box::new(open_unchanged(source, x)?),
                Origin::Text(text) => Box::new(Cursor::new(Shared(text.clone()))),
            };
            let capacity = if self.bulk {
                STREAM_BUFFER
            } else {
                LOOKUP_BUFFER
            };
            self.open = Some((
                usize::from(x.file),
                Open::Stream(builder(capacity).from_reader(reader)),
            ));
        }
        let (_, open) = self.open.as_mut().expect("opened above");
        if let Open::Stream(reader) = open {
            let here = reader.position().byte();
            if here > at && self.bulk {
                // Rows out of (year, id) order: read the file once into
                // memory rather than seek back and forth.
                *open = Open::Memory(match &source.origin {
                    Origin::File(_) => {
                        let mut bytes = Vec::new();
                        open_unchanged(source, x)?
                            .read_to_end(&mut bytes)
                            .map_err(|e| cannot_read(source, e))?;
                        bytes.into()
                    }
                    Origin::Text(text) => text.clone().into(),
                });
            } else if here != at {
                let mut pos = csv::Position::new();
                pos.set_byte(at);
                reader.seek(pos).map_err(io::Error::other)?;
            }
        }
        let found = match open {
            Open::Stream(reader) => reader.read_record(&mut self.record),
            Open::Memory(bytes) => {
                let start = (at as usize).min(bytes.len());
                builder(LOOKUP_BUFFER)
                    .from_reader(&bytes[start..])
                    .read_record(&mut self.record)
            }
        }
        .map_err(|e| changed(source, x, &e.to_string()))?;
        let columns = source.columns;
        if !found || self.record.get(columns.id).map(str::trim) != Some(x.id.as_str()) {
            return Err(changed(source, x, "the record is not there any more"));
        }
        Ok(ProposalText {
            record: &self.record,
            columns,
        })
    }
}

/// Opens a proposal file, checking that it was not written again since it
/// was loaded: offsets may still land on records, but not on the same text.
fn open_unchanged(source: &RowSource, x: &super::Proposal) -> io::Result<File> {
    let file = File::open(&source.path).map_err(|e| cannot_read(source, e))?;
    let meta = file.metadata().map_err(|e| cannot_read(source, e))?;
    if Stamp::of(&meta) != source.stamp {
        return Err(changed(source, x, "its size or time is not the same"));
    }
    Ok(file)
}

fn cannot_read(source: &RowSource, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("cannot read {}: {e}", source.shown))
}

fn builder(capacity: usize) -> csv::ReaderBuilder {
    let mut b = csv::ReaderBuilder::new();
    b.has_headers(false)
        .flexible(true)
        .buffer_capacity(capacity);
    b
}

/// The error for a file that no longer holds a record where it was read.
fn changed(source: &RowSource, x: &super::Proposal, why: &str) -> io::Error {
    io::Error::other(format!(
        "{}, line {}: the file changed while the reports were written ({why}; expected proposal `{}`): run again",
        source.shown, x.line, x.id
    ))
}
