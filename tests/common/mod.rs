//! Shared helpers for behaviour tests on the real binary.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// The `proposal-diff` binary built by cargo for this test run.
pub fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_proposal-diff"));
    cmd.env_remove("RUST_BACKTRACE");
    cmd
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The frozen copy of the round-1 datasets: hand-counted tests run on it,
/// so adding data to `datasets/` never breaks them.
pub fn frozen() -> PathBuf {
    repo().join("tests/fixtures/frozen")
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A scratch folder holding a copy of a dataset folder under `datasets/`.
pub struct Scratch {
    pub dir: TempDir,
}

impl Scratch {
    /// A copy of the frozen round-1 datasets.
    pub fn shipped() -> Scratch {
        Scratch::from(&frozen())
    }

    /// A copy of the small fixture.
    pub fn small() -> Scratch {
        Scratch::from(&repo().join("tests/fixtures/small"))
    }

    pub fn from(datasets: &Path) -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(datasets, &dir.path().join("datasets"));
        Scratch { dir }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn datasets(&self) -> PathBuf {
        self.path("datasets")
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap()
    }

    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        let p = self.path(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    /// Replaces the first occurrence of `from` in a file; panics when absent,
    /// so a fixture edit can never silently miss.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} has no `{from}`");
        self.write(rel, text.replacen(from, to, 1));
    }

    /// The binary run from the scratch folder (so the defaults
    /// `datasets/` and `reports/` point into it).
    pub fn run(&self) -> Command {
        let mut cmd = bin();
        cmd.current_dir(self.dir.path());
        cmd
    }
}

pub fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The binary with `--datasets` set.
pub fn on(datasets: &Path) -> Command {
    let mut cmd = bin();
    cmd.arg("--datasets").arg(datasets);
    cmd
}

/// One delegate's entry in `diff --format json` output.
pub fn delegate_in<'a>(diff: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    diff["delegates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["delegate"] == id)
        .unwrap_or_else(|| panic!("{id} not in the diff"))
}

/// Runs a command and expects an exit code: the test reads "run this,
/// expect that", and a wrong code fails with the command's whole output.
pub trait Expect {
    fn expect_exit(&mut self, code: i32) -> std::process::Output;
}

impl Expect for Command {
    fn expect_exit(&mut self, code: i32) -> std::process::Output {
        let out = self.output().expect("the binary runs");
        assert_eq!(
            out.status.code(),
            Some(code),
            "expected exit {code}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            stdout(&out),
            stderr(&out)
        );
        out
    }
}
