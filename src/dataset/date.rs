//! Dates as precise as the source gives them.
//!
//! A measure dated `2021-10` happened some day in October 2021; the tool
//! never picks that day. Such a date is an interval, and comparisons say
//! only what the interval allows.

use std::fmt;

use chrono::{Datelike, NaiveDate};

/// A calendar date, strictly `YYYY-MM-DD`.
pub fn parse_day(s: &str) -> Result<NaiveDate, String> {
    let b = s.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return Err(format!("`{s}` is not a date of the form YYYY-MM-DD"));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("`{s}` is not a calendar date"))
}

/// A date with the precision its source gives: a year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartialDate {
    Year(i32),
    Month(i32, u32),
    Day(NaiveDate),
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<PartialDate, String> {
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit());
        match s.len() {
            4 if digits(s) => Ok(PartialDate::Year(s.parse().expect("four digits"))),
            // Slicing by byte is safe only on ASCII (`2021年` is 7 bytes too).
            7 if s.is_ascii() && digits(&s[..4]) && &s[4..5] == "-" && digits(&s[5..]) => {
                let year: i32 = s[..4].parse().expect("four digits");
                let month: u32 = s[5..].parse().expect("two digits");
                if (1..=12).contains(&month) {
                    Ok(PartialDate::Month(year, month))
                } else {
                    Err(format!("`{s}` has no month {month}"))
                }
            }
            10 => parse_day(s).map(PartialDate::Day),
            _ => Err(format!(
                "`{s}` is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"
            )),
        }
    }

    /// First day the date may stand for.
    pub fn start(&self) -> NaiveDate {
        match *self {
            PartialDate::Year(y) => NaiveDate::from_ymd_opt(y, 1, 1),
            PartialDate::Month(y, m) => NaiveDate::from_ymd_opt(y, m, 1),
            PartialDate::Day(d) => Some(d),
        }
        .expect("validated on parse")
    }

    /// Last day the date may stand for.
    pub fn end(&self) -> NaiveDate {
        match *self {
            PartialDate::Year(y) => NaiveDate::from_ymd_opt(y, 12, 31).expect("valid"),
            PartialDate::Month(y, m) => {
                let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                NaiveDate::from_ymd_opt(ny, nm, 1)
                    .expect("valid")
                    .pred_opt()
                    .expect("valid")
            }
            PartialDate::Day(d) => d,
        }
    }

    pub fn is_day(&self) -> bool {
        matches!(self, PartialDate::Day(_))
    }

    pub fn year(&self) -> i32 {
        match *self {
            PartialDate::Year(y) | PartialDate::Month(y, _) => y,
            PartialDate::Day(d) => d.year(),
        }
    }

    /// Sort key: by the first possible day, then the last, so `2021` sorts
    /// before `2021-10` and `2021-10` before `2021-10-05`'s later days.
    pub fn sort_key(&self) -> (NaiveDate, NaiveDate) {
        (self.start(), self.end())
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartialDate::Year(y) => write!(f, "{y:04}"),
            PartialDate::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            PartialDate::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_is_kept() {
        assert_eq!(PartialDate::parse("2020").unwrap().to_string(), "2020");
        assert_eq!(
            PartialDate::parse("2021-09").unwrap().to_string(),
            "2021-09"
        );
        assert_eq!(
            PartialDate::parse("2022-04-28").unwrap().to_string(),
            "2022-04-28"
        );
    }

    #[test]
    fn month_interval_covers_the_whole_month() {
        let d = PartialDate::parse("2024-02").unwrap();
        assert_eq!(d.start().to_string(), "2024-02-01");
        assert_eq!(d.end().to_string(), "2024-02-29");
        let d = PartialDate::parse("2023-12").unwrap();
        assert_eq!(d.end().to_string(), "2023-12-31");
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert!(PartialDate::parse("2022-13").is_err());
        assert!(PartialDate::parse("2022-13-01").is_err());
        assert!(PartialDate::parse("2022-02-30").is_err());
        assert!(parse_day("2022-3-5").is_err());
        assert!(parse_day("２０２２-03-05").is_err());
        assert!(PartialDate::parse("22-03").is_err());
    }

    #[test]
    fn any_text_is_refused_without_panicking() {
        // Seven bytes but not ASCII (byte slicing would split a
        // character), ten bytes but not ASCII, and longer ones.
        for s in [
            "2021年",
            "2019。",
            "123é-0",
            "2021-0é",
            "2022-03-é",
            "２０２２-03",
            "2022年03月05",
        ] {
            assert!(PartialDate::parse(s).is_err(), "{s}");
        }
        proptest::proptest!(|(s in "\\PC{0,12}")| {
            let _ = PartialDate::parse(&s);
            let _ = parse_day(&s);
        });
    }
}
