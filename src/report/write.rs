//! The one place that writes reports, and reads them back for `check`.
//!
//! A run writes the whole tree into a staging folder beside the target
//! (`.<name>.staging-XXXXXX`), then swaps it in: on Linux with one atomic
//! exchange (`renameat2` with `RENAME_EXCHANGE`), so there is never a
//! moment without a reports folder; elsewhere with two renames. The old
//! tree is removed only after the new one is in place. A failure at any
//! point leaves the previous reports as they were.
//!
//! Runs on one folder never mix: a run holds an advisory lock on the
//! target's parent folder from before it creates its staging folder until
//! the old tree is gone, and a second run says that it waits, then waits
//! for it. Because every writer holds that lock, a staging folder found
//! while holding it belongs to no live run: it is what a killed run left,
//! and it is removed. The system releases the lock of a killed run.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{bail, Context, Result};

use super::{Bundle, Sink};

/// `PROPOSAL_DIFF_ABORT_AFTER_FILES`: a test seam for killed runs, read
/// once per tree written.
fn abort_after() -> Option<usize> {
    std::env::var("PROPOSAL_DIFF_ABORT_AFTER_FILES")
        .ok()
        .and_then(|v| v.parse().ok())
}

/// What kind of folder a tree is, so that a run replaces only a folder it
/// wrote itself: one that holds `marker`.
pub struct TreeKind {
    /// A file every tree of this kind holds.
    pub marker: &'static str,
    /// What the folder is, for messages ("report tree").
    pub what: &'static str,
}

/// The reports folder: it holds `manifest.json`.
pub const REPORTS: TreeKind = TreeKind {
    marker: super::manifest::FILE,
    what: "report tree",
};

/// Refuses targets that would make the swap unsafe.
fn check_target(out: &Path, kind: &TreeKind) -> Result<()> {
    if let Ok(meta) = fs::symlink_metadata(out) {
        if meta.file_type().is_symlink() {
            bail!(
                "{} is a symbolic link: refusing to replace it; point --out at a real folder",
                out.display()
            );
        }
        if !meta.is_dir() {
            bail!("{} exists and is not a folder", out.display());
        }
        // The swap replaces the whole folder: never a folder that is not a
        // report tree (say, a repository root given to --out by mistake).
        let mut entries =
            fs::read_dir(out).with_context(|| format!("cannot read {}", out.display()))?;
        if entries.next().is_some() && !out.join(kind.marker).is_file() {
            bail!(
                "{} is not empty and holds no {}: refusing to replace a folder that is not a {}",
                out.display(),
                kind.marker,
                kind.what
            );
        }
    }
    Ok(())
}

/// The prefix of this tool's staging folders for a target named `name`.
fn staging_prefix(name: &str) -> String {
    format!(".{name}.staging-")
}

/// Is `entry` a folder this tool created for the target `name`: a staging
/// folder, or the old tree set aside by the two-rename swap (also the
/// names of earlier versions)? Only the exact shapes count: the prefix,
/// then the six characters `tempfile` adds.
fn is_own_leftover(entry: &fs::DirEntry, name: &str) -> bool {
    let file_name = entry.file_name();
    let Some(file_name) = file_name.to_str() else {
        return false;
    };
    let own = [
        staging_prefix(name),
        format!(".{name}.new-"),
        format!(".{name}.old-"),
    ]
    .iter()
    .any(|p| {
        file_name
            .strip_prefix(p.as_str())
            .is_some_and(|rest| rest.len() == 6 && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
    });
    // Never follow a link: only a real folder is removed.
    own && entry.file_type().is_ok_and(|t| t.is_dir())
}

/// Removes what killed runs left beside the target. Called with the lock
/// held, so no live run owns any of it.
fn remove_leftovers(parent: &Path, name: &str) -> Result<()> {
    for entry in
        fs::read_dir(parent).with_context(|| format!("cannot read {}", parent.display()))?
    {
        let entry = entry.with_context(|| format!("cannot read {}", parent.display()))?;
        if is_own_leftover(&entry, name) {
            fs::remove_dir_all(entry.path()).with_context(|| {
                format!(
                    "cannot remove {}, left by an interrupted run",
                    entry.path().display()
                )
            })?;
        }
    }
    Ok(())
}

/// The advisory lock on the target's parent folder, held for the whole
/// write. Released when dropped (and by the system when the process dies).
struct Lock(#[allow(dead_code)] fs::File);

fn lock(parent: &Path, out: &Path) -> Result<Lock> {
    let dir = fs::File::open(parent)
        .with_context(|| format!("cannot open {} to lock it", parent.display()))?;
    match dir.try_lock() {
        Ok(()) => return Ok(Lock(dir)),
        Err(fs::TryLockError::WouldBlock) => {}
        Err(fs::TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("cannot lock {}", parent.display()))
        }
    }
    // Another run is writing beside `out`: wait for it, as cargo waits for
    // its build folder, rather than mix files or fail a CI job.
    eprintln!(
        "waiting for another proposal-diff run that is writing in {} ({} is left as it is until then)",
        parent.display(),
        out.display()
    );
    dir.lock()
        .with_context(|| format!("cannot lock {}", parent.display()))?;
    Ok(Lock(dir))
}

fn parent_of(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The staging folder as a sink: each file is streamed to disk as it is
/// rendered.
struct Staging<'a> {
    root: &'a Path,
    written: AtomicUsize,
    fail_after: Option<usize>,
    /// Abort the process after this many files ([`abort_after`]).
    abort_after: Option<usize>,
}

impl Sink for Staging<'_> {
    fn file(
        &self,
        rel: &str,
        body: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        if let Some(n) = self.fail_after {
            if self.written.load(Ordering::SeqCst) >= n {
                bail!("interrupted after {n} files (test injection)");
            }
        }
        let path = self.root.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let file =
            fs::File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        body(&mut out)
            .and_then(|_| out.flush())
            .with_context(|| format!("cannot write {}", path.display()))?;
        crate::trace::stage(&format!("wrote {rel}"));
        let written = self.written.fetch_add(1, Ordering::SeqCst) + 1;
        if self.abort_after == Some(written) {
            std::process::abort();
        }
        Ok(())
    }
}

/// Renders a tree as the complete contents of `out`: `render` writes every
/// file into a staging folder beside it, which is then swapped in. Returns
/// the number of files. `fail_after`, for tests, aborts after that many
/// files have been written, as an interrupted run would.
///
/// For tests of a killed run, `PROPOSAL_DIFF_ABORT_AFTER_FILES=N` makes the
/// process abort (as a SIGKILL would end it) after N files are staged.
pub fn write_tree(
    out: &Path,
    kind: &TreeKind,
    fail_after: Option<usize>,
    render: impl FnOnce(&dyn Sink) -> Result<()>,
) -> Result<usize> {
    check_target(out, kind)?;
    let parent = parent_of(out);
    fs::create_dir_all(&parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "reports".into());
    let _lock = lock(&parent, out)?;
    remove_leftovers(&parent, &name)?;
    let staging = tempfile::Builder::new()
        .prefix(&staging_prefix(&name))
        .rand_bytes(6)
        .tempdir_in(&parent)
        .with_context(|| format!("cannot create a temporary folder in {}", parent.display()))?;
    let sink = Staging {
        root: staging.path(),
        written: AtomicUsize::new(0),
        fail_after,
        abort_after: abort_after(),
    };
    render(&sink)?;
    let written = sink.written.into_inner();
    let staged = staging.keep();
    let result = swap_in(out, &staged, &parent, &name);
    if result.is_err() {
        let _ = fs::remove_dir_all(&staged);
    }
    result.map(|_| written)
}

/// Writes a bundle rendered in memory as the complete contents of `out`.
pub fn write_bundle(out: &Path, bundle: &Bundle, fail_after: Option<usize>) -> Result<usize> {
    write_tree(out, &REPORTS, fail_after, |sink| {
        bundle
            .iter()
            .try_for_each(|(rel, bytes)| sink.put(rel, bytes))
    })
}

fn swap_in(out: &Path, staged: &Path, parent: &Path, name: &str) -> Result<()> {
    if !out.exists() {
        return fs::rename(staged, out)
            .with_context(|| format!("cannot move the new reports to {}", out.display()));
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        // One atomic exchange: `out` is the new tree at every instant
        // after this call, and `staged` holds the old one.
        match renameat_with(CWD, staged, CWD, out, RenameFlags::EXCHANGE) {
            Ok(()) => {
                return fs::remove_dir_all(staged).with_context(|| {
                    format!("cannot remove the old reports at {}", staged.display())
                })
            }
            // A file system without the exchange: fall back to two renames.
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => {
                return Err(std::io::Error::from(e))
                    .with_context(|| format!("cannot swap the new reports into {}", out.display()))
            }
        }
    }
    let old = tempfile::Builder::new()
        .prefix(&format!(".{name}.old-"))
        .tempdir_in(parent)
        .with_context(|| format!("cannot create a temporary folder in {}", parent.display()))?
        .keep();
    fs::remove_dir(&old).ok();
    fs::rename(out, &old)
        .with_context(|| format!("cannot move the old reports aside ({})", out.display()))?;
    if let Err(e) = fs::rename(staged, out) {
        fs::rename(&old, out).ok();
        return Err(e).with_context(|| format!("cannot move the new reports to {}", out.display()));
    }
    fs::remove_dir_all(&old)
        .with_context(|| format!("cannot remove the old reports at {}", old.display()))
}

/// The relative paths (with `/`) of every file under `dir`, sorted. Hidden
/// files count: a stray file is a difference.
pub fn tree_paths(dir: &Path) -> Result<Vec<String>> {
    let meta = fs::metadata(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    if !meta.is_dir() {
        bail!("{} is not a folder", dir.display());
    }
    let mut paths = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let here = dir.join(&rel);
        for entry in
            fs::read_dir(&here).with_context(|| format!("cannot read {}", here.display()))?
        {
            let entry = entry.with_context(|| format!("cannot read {}", here.display()))?;
            let rel = rel.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                stack.push(rel);
            } else {
                paths.push(
                    rel.components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect::<Vec<_>>()
                        .join("/"),
                );
            }
        }
    }
    paths.sort();
    Ok(paths)
}

/// Reads a whole tree into memory (for tests and small trees).
pub fn read_tree(dir: &Path) -> Result<Bundle> {
    let mut bundle = Bundle::new();
    for rel in tree_paths(dir)? {
        let path = dir.join(&rel);
        let bytes = fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        bundle.insert(rel, bytes);
    }
    Ok(bundle)
}
