//! The streamed comparison: each rendered file is compared with the
//! committed one as its bytes come ([`CompareSink`]), holding neither tree
//! in memory; a differing file up to 16 MiB is kept, both versions, for the
//! line diff.

use std::path::Path;

use crate::report::{self, manifest, Bundle};

/// Files up to this size that differ are kept, both versions, for a line
/// diff; a larger one is reported by the line where it starts to differ.
pub(super) const DIFF_LIMIT: usize = 16 << 20;

/// What `check` found for one file the run produces.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    Same,
    Missing,
    /// Both versions, when neither is over [`DIFF_LIMIT`].
    Differ(Option<(Vec<u8>, Vec<u8>)>, Mismatch),
}

/// Where a file starts to differ from the committed one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mismatch {
    /// The first line (from 1) that differs.
    pub line: u64,
    pub committed_bytes: u64,
    pub fresh_bytes: u64,
}

/// The outcome of comparing a fresh tree with a committed one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Comparison {
    /// Every file the run produces.
    pub files: std::collections::BTreeMap<String, Found>,
    /// Committed files the run no longer produces.
    pub stray: Vec<String>,
    /// `manifest.json`, fresh and committed: which inputs changed.
    pub manifests: (Option<Vec<u8>>, Option<Vec<u8>>),
}

impl Comparison {
    /// Compares two trees held in memory.
    pub fn of(fresh: &Bundle, committed: &Bundle) -> Comparison {
        let files = fresh
            .iter()
            .map(|(path, new)| {
                let found = match committed.get(path) {
                    None => Found::Missing,
                    Some(old) if old == new => Found::Same,
                    Some(old) => {
                        Found::Differ(Some((old.clone(), new.clone())), mismatch(old, new))
                    }
                };
                (path.clone(), found)
            })
            .collect();
        Comparison {
            files,
            stray: committed
                .keys()
                .filter(|k| !fresh.contains_key(*k))
                .cloned()
                .collect(),
            manifests: (
                fresh.get(manifest::FILE).cloned(),
                committed.get(manifest::FILE).cloned(),
            ),
        }
    }
}

/// Where two byte strings start to differ, by line.
pub(super) fn mismatch(old: &[u8], new: &[u8]) -> Mismatch {
    let same = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    Mismatch {
        line: 1 + memchr::memchr_iter(b'\n', &new[..same]).count() as u64,
        committed_bytes: old.len() as u64,
        fresh_bytes: new.len() as u64,
    }
}

/// A committed file that exists but cannot be read.
#[derive(Debug)]
pub(super) struct Unreadable(pub(super) anyhow::Error);

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:#}", self.0)
    }
}

impl std::error::Error for Unreadable {}

/// A sink that compares each rendered file with the committed one as its
/// bytes come, keeping only small files that differ.
pub(super) struct CompareSink {
    root: std::path::PathBuf,
    files: std::sync::Mutex<std::collections::BTreeMap<String, Found>>,
    manifest: std::sync::Mutex<Option<Vec<u8>>>,
}

impl CompareSink {
    pub(super) fn new(root: &Path) -> CompareSink {
        CompareSink {
            root: root.to_path_buf(),
            files: Default::default(),
            manifest: Default::default(),
        }
    }

    /// The comparison, given the committed tree's paths.
    pub(super) fn finish(self, committed: &[String]) -> anyhow::Result<Comparison> {
        let files = self.files.into_inner().unwrap_or_else(|e| e.into_inner());
        let old_manifest = regular_file(&self.root.join(manifest::FILE))
            .and_then(|file| {
                file.map(|mut f| {
                    let mut bytes = Vec::new();
                    std::io::Read::read_to_end(&mut f, &mut bytes).map(|_| bytes)
                })
                .transpose()
            })
            .map_err(|e| anyhow::Error::new(e).context(manifest::FILE))?;
        Ok(Comparison {
            stray: committed
                .iter()
                .filter(|p| !files.contains_key(*p))
                .cloned()
                .collect(),
            files,
            manifests: (
                self.manifest
                    .into_inner()
                    .unwrap_or_else(|e| e.into_inner()),
                old_manifest,
            ),
        })
    }
}

impl report::Sink for CompareSink {
    fn file(
        &self,
        path: &str,
        body: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        let committed = self.root.join(path);
        let unreadable = |e: std::io::Error| {
            Unreadable(
                anyhow::Error::new(e).context(format!("cannot read {}", committed.display())),
            )
        };
        let file = regular_file(&committed).map_err(unreadable)?;
        let mut cmp = Comparer {
            committed: file.map(|f| std::io::BufReader::with_capacity(1 << 20, f)),
            equal: true,
            fresh: Some(Vec::new()),
            fresh_bytes: 0,
            line: 1,
            scratch: Vec::new(),
            failure: None,
        };
        body(&mut cmp)?;
        if let Some(e) = cmp.failure.take() {
            return Err(unreadable(e).into());
        }
        if path == manifest::FILE {
            *self.manifest.lock().unwrap_or_else(|e| e.into_inner()) = cmp.fresh.clone();
        }
        let found = cmp.finish(&committed).map_err(unreadable)?;
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), found);
        Ok(())
    }
}

/// A committed file, opened when it is a regular file. A missing one, or a
/// folder or a pipe in its place, is `None`: opening a pipe would wait for
/// a writer.
pub(super) fn regular_file(path: &Path) -> std::io::Result<Option<std::fs::File>> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => std::fs::File::open(path).map(Some),
        Ok(_) => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Compares the bytes written to it with a committed file's.
pub(super) struct Comparer {
    /// The committed file; `None` when there is none.
    committed: Option<std::io::BufReader<std::fs::File>>,
    /// Whether every byte so far matched.
    equal: bool,
    /// The fresh bytes, while they fit in [`DIFF_LIMIT`].
    fresh: Option<Vec<u8>>,
    fresh_bytes: u64,
    /// The line the matching bytes have reached.
    line: u64,
    scratch: Vec<u8>,
    /// A read error on the committed file, reported once the body is done.
    failure: Option<std::io::Error>,
}

impl std::io::Write for Comparer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.fresh_bytes += buf.len() as u64;
        if let Some(f) = &mut self.fresh {
            if f.len() + buf.len() <= DIFF_LIMIT {
                f.extend_from_slice(buf);
            } else {
                self.fresh = None;
            }
        }
        if let (true, Some(r)) = (self.equal, &mut self.committed) {
            let same = match same_prefix(r, buf, &mut self.scratch) {
                Ok(n) => n,
                Err(e) => {
                    self.failure = Some(e);
                    0
                }
            };
            self.line += memchr::memchr_iter(b'\n', &buf[..same]).count() as u64;
            self.equal = same == buf.len();
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Comparer {
    fn finish(mut self, path: &Path) -> std::io::Result<Found> {
        use std::io::Read;
        let Some(r) = self.committed.as_mut() else {
            return Ok(Found::Missing);
        };
        // Equal so far: the same when the committed file ends here too.
        if self.equal && r.read(&mut [0u8; 1])? == 0 {
            return Ok(Found::Same);
        }
        let committed_bytes = std::fs::metadata(path)?.len();
        let texts = match self.fresh.take() {
            Some(fresh) if committed_bytes <= DIFF_LIMIT as u64 => {
                Some((std::fs::read(path)?, fresh))
            }
            _ => None,
        };
        Ok(Found::Differ(
            texts,
            Mismatch {
                line: self.line,
                committed_bytes,
                fresh_bytes: self.fresh_bytes,
            },
        ))
    }
}

/// How many of `buf`'s bytes the reader's next bytes match, reading as
/// many as it compares.
pub(super) fn same_prefix(
    r: &mut impl std::io::Read,
    buf: &[u8],
    scratch: &mut Vec<u8>,
) -> std::io::Result<usize> {
    scratch.resize(buf.len(), 0);
    let mut off = 0;
    while off < buf.len() {
        let n = match r.read(&mut scratch[off..]) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            return Ok(off);
        }
        if let Some(i) = scratch[off..off + n]
            .iter()
            .zip(&buf[off..off + n])
            .position(|(a, b)| a != b)
        {
            return Ok(off + i);
        }
        off += n;
    }
    Ok(off)
}
