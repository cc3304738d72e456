//! Data parallelism sized to the machine: as many workers as it has
//! cores (`std::thread::available_parallelism`), never a constant. The
//! stages that run two different jobs side by side (follow-up beside the
//! history, the two halves of the rendering) are task parallelism and do
//! not use this.

/// How many workers to run: the machine's available parallelism, 1 when
/// it cannot be told.
pub fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// `f` of every item, in order, computed by [`workers`] threads, each on
/// one contiguous part of the list.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    map_with(workers(), items, f)
}

/// [`map`] on `n` threads (at least one).
pub fn map_with<T: Sync, R: Send>(n: usize, items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let n = n.clamp(1, items.len().max(1));
    if n == 1 {
        return items.iter().map(&f).collect();
    }
    let size = items.len().div_ceil(n);
    let f = &f;
    std::thread::scope(|scope| {
        let parts: Vec<_> = items
            .chunks(size)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut all = Vec::with_capacity(items.len());
        for part in parts {
            // A panic on a worker is a bug: surface it as one.
            all.extend(part.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        all
    })
}

/// Runs `work` on [`workers`] threads at once (it takes its jobs from a
/// shared counter) and gathers what each returns.
pub fn run<R: Send>(work: impl Fn() -> Vec<R> + Sync) -> Vec<R> {
    let n = workers();
    if n == 1 {
        return work();
    }
    let work = &work;
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..n).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        for h in helpers {
            all.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        all
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn map_keeps_the_order_whatever_the_number_of_threads() {
        let items: Vec<u32> = (0..103).collect();
        let doubled: Vec<u32> = items.iter().map(|x| x * 2).collect();
        for n in [1, 2, 3, 7, 200] {
            assert_eq!(
                super::map_with(n, &items, |x| x * 2),
                doubled,
                "{n} threads"
            );
        }
        assert!(super::map_with(4, &Vec::<u32>::new(), |x| *x).is_empty());
    }
}
