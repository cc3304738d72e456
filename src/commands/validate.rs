//! `validate`: every dataset checked, every problem listed.

use crate::config::Config;
use crate::error::{exit, Failure};
use crate::normalize::AuditKind;

pub fn run(config: &Config) -> Result<u8, Failure> {
    let model = crate::pipeline::prepare(config)?;
    let ds = &model.ds;
    let years = match (model.years.first(), model.years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => "no years".to_string(),
    };
    let mapped = model
        .audit
        .iter()
        .filter(|r| r.kind == AuditKind::Theme && !r.resolved.is_empty())
        .count();
    let phrases = model
        .audit
        .iter()
        .filter(|r| r.kind == AuditKind::Theme)
        .count();
    crate::write_stdout(
        format!(
            "valid: {} proposals in {} year files ({years}), {} delegates, {} memberships, {} sessions, {} themes, {} measures; {mapped} of {phrases} theme phrases resolve\n",
            ds.proposals.len(),
            ds.files.len(),
            ds.delegates.len(),
            ds.memberships.len(),
            ds.sessions.len(),
            ds.themes.len(),
            ds.adoptions.len(),
        )
        .as_bytes(),
    )?;
    Ok(exit::OK)
}
