//! The spread chance allows: the 5–95% range of the number of successes of
//! independent trials with given chances (a Poisson-binomial), computed
//! exactly up to [`EXACT_LIMIT`] trials and from a normal approximation
//! past it. No random numbers: the same inputs give the same reports.

/// Above this many chances the 5–95% range comes from a normal
/// approximation with continuity correction instead of the exact
/// distribution (whose cost, with the negligible tails trimmed, grows with
/// the count times its square root).
pub const EXACT_LIMIT: usize = 5_000;

/// The 5–95% range of the number of successes, from each distinct chance
/// and how many trials have it: `low` is the smallest k with
/// P(X ≤ k) ≥ 0.05, `high` the smallest k with P(X ≤ k) ≥ 0.95.
pub fn range_of_counted(chances: &[(f64, usize)]) -> (usize, usize) {
    let n: usize = chances.iter().map(|&(_, k)| k).sum();
    if n > EXACT_LIMIT {
        let mean: f64 = chances.iter().map(|&(p, k)| p * k as f64).sum();
        let var: f64 = chances.iter().map(|&(p, k)| p * (1.0 - p) * k as f64).sum();
        return normal_quantiles(mean, var, n);
    }
    let all = chances.iter().flat_map(|&(p, k)| std::iter::repeat_n(p, k));
    let (offset, pmf) = banded(all);
    (offset + quantile(&pmf, 0.05), offset + quantile(&pmf, 0.95))
}

/// Adds one trial of chance `p` to the distribution `pmf`.
fn add_trial(pmf: &mut Vec<f64>, p: f64) {
    let p = p.clamp(0.0, 1.0);
    pmf.push(0.0);
    for k in (0..pmf.len()).rev() {
        let moved = if k > 0 { pmf[k - 1] * p } else { 0.0 };
        pmf[k] = pmf[k] * (1.0 - p) + moved;
    }
}

/// The exact distribution with its negligible tails trimmed as it grows:
/// the first count it holds, and the probabilities from there. Values
/// under 1e-17 of the largest are dropped from either end (far less mass
/// in all than could move a 5% or 95% quantile), so the band stays a few
/// standard deviations wide instead of the whole count.
fn banded(chances: impl Iterator<Item = f64>) -> (usize, Vec<f64>) {
    let mut offset = 0;
    let mut pmf = vec![1.0];
    for p in chances {
        add_trial(&mut pmf, p);
        let eps = pmf.iter().copied().fold(0.0, f64::max) * 1e-17;
        let end = pmf.iter().rposition(|&x| x >= eps).map_or(1, |i| i + 1);
        pmf.truncate(end);
        let start = pmf.iter().position(|&x| x >= eps).unwrap_or(0);
        if start > 0 {
            pmf.drain(..start);
            offset += start;
        }
    }
    (offset, pmf)
}

/// The smallest k whose cumulative probability reaches `q`. A relative
/// tolerance keeps sums that equal `q` in exact arithmetic from missing it
/// by a rounding error.
fn quantile(pmf: &[f64], q: f64) -> usize {
    let mut cumulative = 0.0;
    for (k, &p) in pmf.iter().enumerate() {
        cumulative += p;
        if cumulative >= q * (1.0 - 1e-12) {
            return k;
        }
    }
    pmf.len().saturating_sub(1)
}

/// The range of a normal distribution with this mean and variance, with
/// continuity correction, over counts 0 to `n`.
fn normal_quantiles(mean: f64, var: f64, n: usize) -> (usize, usize) {
    let sd = var.sqrt();
    // z for 0.05 and 0.95.
    const Z: f64 = 1.644_853_626_951_472_2;
    let n = n as f64;
    let at = |z: f64| (mean + z * sd - 0.5).ceil().clamp(0.0, n) as usize;
    (at(-Z), at(Z))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole distribution, untrimmed.
    fn poisson_binomial(chances: &[f64]) -> Vec<f64> {
        let mut pmf = vec![1.0];
        for &p in chances {
            add_trial(&mut pmf, p);
        }
        pmf
    }

    fn range(chances: &[f64]) -> (usize, usize) {
        let counted: Vec<(f64, usize)> = chances.iter().map(|&p| (p, 1)).collect();
        range_of_counted(&counted)
    }

    fn normal_range(chances: &[f64]) -> (usize, usize) {
        let mean: f64 = chances.iter().sum();
        let var: f64 = chances.iter().map(|p| p * (1.0 - p)).sum();
        normal_quantiles(mean, var, chances.len())
    }

    #[test]
    fn the_exact_distribution_sums_to_one_and_matches_a_binomial() {
        let pmf = poisson_binomial(&[0.5; 4]);
        let expected = [1.0, 4.0, 6.0, 4.0, 1.0].map(|c| c / 16.0);
        for (a, b) in pmf.iter().zip(expected) {
            assert!((a - b).abs() < 1e-12, "{pmf:?}");
        }
    }

    #[test]
    fn the_range_follows_its_definition() {
        // Four fair coins: P(X<=0)=1/16 >= 0.05, so low is 0; P(X<=3)=15/16 >= 0.95? No:
        // 15/16 = 0.9375 < 0.95, so high is 4.
        assert_eq!(range(&[0.5; 4]), (0, 4));
        // Certain and impossible trials.
        assert_eq!(range(&[1.0, 1.0, 0.0]), (2, 2));
        assert_eq!(range(&[]), (0, 0));
    }

    #[test]
    fn the_trimmed_distribution_gives_the_quantiles_of_the_full_one() {
        for n in [1usize, 7, 60, 400, 3000] {
            let chances: Vec<f64> = (0..n).map(|i| ((i * 37) % 100) as f64 / 100.0).collect();
            let full = poisson_binomial(&chances);
            let exact = (quantile(&full, 0.05), quantile(&full, 0.95));
            assert_eq!(range(&chances), exact, "{n}");
        }
    }

    #[test]
    fn the_normal_range_is_close_to_the_exact_one_where_both_apply() {
        let chances: Vec<f64> = (0..5000)
            .map(|i| 0.05 + 0.9 * ((i % 17) as f64 / 17.0))
            .collect();
        let pmf = poisson_binomial(&chances);
        let exact = (quantile(&pmf, 0.05), quantile(&pmf, 0.95));
        let approx = normal_range(&chances);
        assert!(exact.0.abs_diff(approx.0) <= 1, "{exact:?} {approx:?}");
        assert!(exact.1.abs_diff(approx.1) <= 1, "{exact:?} {approx:?}");
    }
}
