//! Stage timings for profiling: with `PROPOSAL_DIFF_TRACE` set, each stage
//! prints its wall time and the process's resident memory to stderr.
//! Nothing is printed otherwise; reports never depend on it.

use std::sync::OnceLock;
use std::time::Instant;

fn start() -> Option<Instant> {
    static START: OnceLock<Option<Instant>> = OnceLock::new();
    *START.get_or_init(|| std::env::var_os("PROPOSAL_DIFF_TRACE").map(|_| Instant::now()))
}

type Hook = Box<dyn Fn(&str) + Send + Sync>;

fn hook() -> &'static OnceLock<Hook> {
    static HOOK: OnceLock<Hook> = OnceLock::new();
    &HOOK
}

/// Calls `f` with each stage's name as it ends (the progress bar of
/// `report`); at most one per process, later calls are ignored.
pub fn on_stage(f: impl Fn(&str) + Send + Sync + 'static) {
    let _ = hook().set(Box::new(f));
}

/// Marks the end of a stage.
pub fn stage(name: &str) {
    if let Some(f) = hook().get() {
        f(name);
    }
    if let Some(t0) = start() {
        eprintln!(
            "trace: {:>7.2} s  rss {:>6} MiB  peak {:>6} MiB  {name}",
            t0.elapsed().as_secs_f64(),
            memory("VmRSS:") / 1024,
            memory("VmHWM:") / 1024,
        );
    }
}

/// A `kB` line of /proc/self/status; 0 where there is none.
fn memory(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
