//! Flat lists: every proposal's theme tags in one vector with offsets
//! ([`Tags`]), and any per-item groups the same way ([`Groups`]), instead of
//! a vector per proposal or per delegate (millions of them at scale).

use super::*;

/// A theme on a proposal, with how it was found (the strictest rule when
/// several phrases name it; the audit has each phrase's score).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tag {
    pub theme: u32,
    pub rule: Rule,
}

/// Every proposal's themes in one list, not a vector each: `tags[p]` is
/// proposal `p`'s, one tag per theme, by theme index.
#[derive(Debug, Clone, PartialEq)]
pub struct Tags {
    /// Where each proposal's tags start in `all`, then where the last ends.
    starts: Vec<u32>,
    all: Vec<Tag>,
}

impl Default for Tags {
    fn default() -> Self {
        Tags::with_capacity(0, 0)
    }
}

impl Tags {
    pub fn with_capacity(proposals: usize, tags: usize) -> Tags {
        let mut starts = Vec::with_capacity(proposals + 1);
        starts.push(0);
        Tags {
            starts,
            all: Vec::with_capacity(tags),
        }
    }

    /// Appends the next proposal's tags.
    pub fn push(&mut self, tags: &[Tag]) {
        self.all.extend_from_slice(tags);
        let end = u32::try_from(self.all.len()).expect("fewer than 4 billion proposal themes");
        self.starts.push(end);
    }

    /// How many proposals.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Proposal `p`'s tags, when there is such a proposal.
    pub fn get(&self, p: usize) -> Option<&[Tag]> {
        (p < self.len()).then(|| &self[p])
    }

    /// How many proposal themes in all.
    pub fn total(&self) -> usize {
        self.all.len()
    }

    /// Each proposal's tags, in proposal order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &[Tag]> + '_ {
        self.starts
            .windows(2)
            .map(|w| &self.all[w[0] as usize..w[1] as usize])
    }
}

impl std::ops::Index<usize> for Tags {
    type Output = [Tag];

    fn index(&self, p: usize) -> &[Tag] {
        &self.all[self.starts[p] as usize..self.starts[p + 1] as usize]
    }
}

/// Items grouped by key in one flat list: the items of key `k` are
/// `items[starts[k]..starts[k + 1]]`, in the order they were given. At a
/// million delegates a vector each (24 bytes, and room for four items on
/// the first push) cost more than the items themselves.
#[derive(Debug, Clone, PartialEq)]
pub struct Groups<T = u32> {
    /// Where each key's items start, then where the last ends.
    starts: Vec<usize>,
    items: Vec<T>,
}

impl<T: Copy + Default> Default for Groups<T> {
    fn default() -> Self {
        Groups::new(0, std::iter::empty())
    }
}

impl<T: Copy + Default> Groups<T> {
    /// Groups `(key, item)` pairs under keys `0..keys` by counting sort:
    /// within a key, items keep the order they come in. A pair whose key
    /// is out of range is left out. `pairs` is walked twice.
    pub fn new(keys: usize, pairs: impl Iterator<Item = (usize, T)> + Clone) -> Groups<T> {
        let mut starts = vec![0usize; keys + 1];
        for (k, _) in pairs.clone() {
            if k < keys {
                starts[k + 1] += 1;
            }
        }
        for k in 0..keys {
            starts[k + 1] += starts[k];
        }
        let mut next = starts[..keys].to_vec();
        let mut items = vec![T::default(); starts[keys]];
        for (k, item) in pairs {
            if let Some(at) = next.get_mut(k) {
                items[*at] = item;
                *at += 1;
            }
        }
        Groups { starts, items }
    }

    /// How many keys.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The items of key `k`.
    pub fn get(&self, k: usize) -> &[T] {
        &self.items[self.starts[k]..self.starts[k + 1]]
    }

    /// Each key's items, in key order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &[T]> + '_ {
        self.starts.windows(2).map(|w| &self.items[w[0]..w[1]])
    }
}
