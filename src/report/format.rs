//! How numbers are written on every page, so that every page rounds alike.

/// A share as a whole percentage, rounded half away from zero (12.5% is
/// 13%, as 37.5% is 38%), so that every page rounds alike.
pub fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "—".into();
    }
    // floor(100 × part / whole + ½) in integers: exact halves round up.
    let (part, whole) = (part as u128, whole as u128);
    format!("{}%", (200 * part + whole) / (2 * whole))
}

/// A share of a fractional count, as a whole percent ("—" of nothing).
pub fn percent_f(part: f64, whole: usize) -> String {
    if whole == 0 {
        return "—".into();
    }
    format!("{:.0}%", 100.0 * part / whole as f64)
}

/// A number of days with at most one decimal, rounded half away from zero
/// ("6.5 days", "55 days").
pub fn days(x: f64) -> String {
    let tenths = (x * 10.0).round();
    if tenths % 10.0 == 0.0 {
        format!("{}", (tenths / 10.0) as i64)
    } else {
        format!("{:.1}", tenths / 10.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_half_away_from_zero() {
        assert_eq!(percent(1, 8), "13%");
        assert_eq!(percent(3, 8), "38%");
        assert_eq!(percent(1, 3), "33%");
        assert_eq!(percent(2, 3), "67%");
        assert_eq!(percent(0, 5), "0%");
        assert_eq!(percent(5, 5), "100%");
        assert_eq!(percent(1, 0), "—");
    }

    #[test]
    fn days_keep_one_decimal_only_when_needed() {
        assert_eq!(days(55.0), "55");
        assert_eq!(days(6.5), "6.5");
        assert_eq!(days(0.25), "0.3");
    }
}
