//! `validate`: every dataset checked, every problem listed.

use crate::config::Config;
use crate::error::{exit, Failure};
use crate::normalize::AuditKind;
use crate::report::markdown::plural as n;

pub fn run(config: &Config, max_unmapped: usize) -> Result<u8, Failure> {
    let model = crate::pipeline::prepare(config)?;
    super::normalize::too_many_unmapped(&model, max_unmapped)?;
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
            "valid: {} in {} ({years}), {}, {}, {}, {}, {}; {mapped} of {} resolve\n",
            n(ds.proposals.len(), "proposal", "proposals"),
            n(ds.files.len(), "year file", "year files"),
            n(ds.delegates.len(), "delegate", "delegates"),
            n(ds.memberships.len(), "membership", "memberships"),
            n(ds.sessions.len(), "session", "sessions"),
            n(ds.themes.len(), "theme", "themes"),
            n(ds.adoptions.len(), "measure", "measures"),
            n(phrases, "theme phrase", "theme phrases"),
        )
        .as_bytes(),
    )?;
    Ok(exit::OK)
}
