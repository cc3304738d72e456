//! The model's flat lists ([`crate::flat::FlatList`]): every proposal's
//! theme tags ([`Tags`]), and each delegate's memberships and proposals
//! ([`Groups`]).

use super::*;

/// A theme on a proposal, with how it was found (the strictest rule when
/// several phrases name it; the audit has each phrase's score).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tag {
    pub theme: u32,
    pub rule: Rule,
}

/// Every proposal's themes: `tags[p]` is proposal `p`'s, one tag per
/// theme, by theme index.
pub type Tags = crate::flat::FlatList<Tag>;

/// Items grouped by key (by delegate index): `groups[k]`.
pub type Groups<T = u32> = crate::flat::FlatList<T>;

/// Records, as an input error, that a list passed what its offsets can
/// address; the run then fails with it instead of wrapping.
pub(super) fn too_large(diags: &mut Diagnostics, root: &std::path::Path, what: &str) {
    diags.error(
        &root.display().to_string(),
        0,
        what,
        format!(
            "more than {} {what} in the datasets: split the study (fewer years or delegates per run)",
            u32::MAX
        ),
    );
}
