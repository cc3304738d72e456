//! One list of lists, flat: every group's items in one vector, with where
//! each group starts. At millions of proposals or delegates a vector each
//! (24 bytes, and room to grow) costs more than the items themselves.
//!
//! Offsets are `u32`: a list passing 4,294,967,295 items is refused with
//! [`TooLarge`], which the stages turn into an input error naming what to
//! split, never a wrapped offset or a panic.

/// More items than a `u32` offset can address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge;

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "more than {} items in one list", u32::MAX)
    }
}

impl std::error::Error for TooLarge {}

/// Groups of items in one vector: group `i` is `list[i]`, a slice.
#[derive(Debug, Clone, PartialEq)]
pub struct FlatList<T> {
    /// Where each group starts in `items`, then where the last ends.
    starts: Vec<u32>,
    items: Vec<T>,
}

impl<T> Default for FlatList<T> {
    fn default() -> Self {
        FlatList::with_capacity(0, 0)
    }
}

impl<T> FlatList<T> {
    /// An empty list with room for `groups` groups of `items` items in all.
    pub fn with_capacity(groups: usize, items: usize) -> FlatList<T> {
        let mut starts = Vec::with_capacity(groups + 1);
        starts.push(0);
        FlatList {
            starts,
            items: Vec::with_capacity(items),
        }
    }

    /// Appends a group, from its items.
    pub fn push_iter(&mut self, group: impl IntoIterator<Item = T>) -> Result<(), TooLarge> {
        let before = self.items.len();
        self.items.extend(group);
        match u32::try_from(self.items.len()) {
            Ok(end) => {
                self.starts.push(end);
                Ok(())
            }
            Err(_) => {
                self.items.truncate(before);
                Err(TooLarge)
            }
        }
    }

    /// How many groups.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Group `i`, when there is one.
    pub fn get(&self, i: usize) -> Option<&[T]> {
        let (&lo, &hi) = (self.starts.get(i)?, self.starts.get(i + 1)?);
        self.items.get(lo as usize..hi as usize)
    }

    /// How many items in all groups.
    pub fn total(&self) -> usize {
        self.items.len()
    }

    /// Every item, group after group.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// Where group `i` starts among [`Self::items`] (for a list kept
    /// beside the items, one entry per item).
    pub fn start_of(&self, i: usize) -> Option<usize> {
        self.starts.get(i).map(|&s| s as usize)
    }

    /// Each group, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &[T]> + '_ {
        (self.starts.windows(2)).map(|w| &self.items[w[0] as usize..w[1] as usize])
    }
}

impl<T: Clone> FlatList<T> {
    /// Appends a group.
    pub fn push(&mut self, group: &[T]) -> Result<(), TooLarge> {
        self.push_iter(group.iter().cloned())
    }

    /// The same groups in another order: group `i` of the result is group
    /// `order[i]` of this one (`order` a permutation of the groups).
    pub fn reordered(&self, order: &[u32]) -> FlatList<T> {
        let mut out = FlatList::with_capacity(order.len(), self.total());
        for &g in order {
            // The same items as here, so never too large.
            let _ = out.push(&self[g as usize]);
        }
        out
    }
}

impl<T: Copy + Default> FlatList<T> {
    /// Groups `(key, item)` pairs under keys `0..keys` by counting sort:
    /// within a key, items keep the order they come in. A pair whose key
    /// is out of range is left out. `pairs` is walked twice.
    pub fn grouped(
        keys: usize,
        pairs: impl Iterator<Item = (usize, T)> + Clone,
    ) -> Result<FlatList<T>, TooLarge> {
        let mut counts = vec![0usize; keys + 1];
        for (k, _) in pairs.clone() {
            if k < keys {
                counts[k + 1] += 1;
            }
        }
        for k in 0..keys {
            counts[k + 1] += counts[k];
        }
        let total = counts[keys];
        if u32::try_from(total).is_err() {
            return Err(TooLarge);
        }
        let mut next = counts[..keys].to_vec();
        let mut items = vec![T::default(); total];
        for (k, item) in pairs {
            if let Some(at) = next.get_mut(k) {
                items[*at] = item;
                *at += 1;
            }
        }
        // Every count is at most the total, which fits.
        let starts = counts.into_iter().map(|c| c as u32).collect();
        Ok(FlatList { starts, items })
    }
}

impl<T> std::ops::Index<usize> for FlatList<T> {
    type Output = [T];

    fn index(&self, i: usize) -> &[T] {
        &self.items[self.starts[i] as usize..self.starts[i + 1] as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn a_flat_list_holds_what_a_vector_of_vectors_holds(
            groups in proptest::collection::vec(proptest::collection::vec(any::<i16>(), 0..6), 0..12)
        ) {
            let mut flat = FlatList::default();
            for g in &groups {
                flat.push(g).unwrap();
            }
            prop_assert_eq!(flat.len(), groups.len());
            prop_assert_eq!(flat.total(), groups.iter().map(Vec::len).sum::<usize>());
            let back: Vec<Vec<i16>> = flat.iter().map(<[i16]>::to_vec).collect();
            prop_assert_eq!(&back, &groups);
            for (i, g) in groups.iter().enumerate() {
                prop_assert_eq!(&flat[i], g.as_slice());
                prop_assert_eq!(flat.get(i), Some(g.as_slice()));
            }
            prop_assert_eq!(flat.get(groups.len()), None);
            // Reordered: reversed, as the vectors reversed.
            let order: Vec<u32> = (0..groups.len() as u32).rev().collect();
            let rev: Vec<Vec<i16>> = flat.reordered(&order).iter().map(<[i16]>::to_vec).collect();
            let mut expected = groups.clone();
            expected.reverse();
            prop_assert_eq!(rev, expected);
        }

        #[test]
        fn grouping_pairs_keeps_their_order_within_a_key(
            pairs in proptest::collection::vec((0usize..6, any::<u8>()), 0..40),
            keys in 0usize..5,
        ) {
            let flat = FlatList::grouped(keys, pairs.iter().copied()).unwrap();
            let mut expected = vec![Vec::new(); keys];
            for &(k, v) in &pairs {
                if k < keys {
                    expected[k].push(v);
                }
            }
            let back: Vec<Vec<u8>> = flat.iter().map(<[u8]>::to_vec).collect();
            prop_assert_eq!(back, expected);
        }
    }

    #[test]
    fn an_empty_list_has_no_groups() {
        let empty: FlatList<u32> = FlatList::default();
        assert!(empty.is_empty());
        assert_eq!(empty.iter().count(), 0);
        assert_eq!(empty.get(0), None);
    }
}
