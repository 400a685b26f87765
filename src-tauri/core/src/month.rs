//! A calendar month ("2026-11"): the unit payments, amounts and statistics are kept in.
//!
//! The one place months are parsed, formatted and shifted. It is stored and sent as the text
//! `YYYY-MM`, which sorts as the months do.

use std::fmt;

use chrono::{Datelike, Months, NaiveDate};

use crate::error::{CmdError, CmdResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month {
    year: i32,
    /// 1–12.
    month: u32,
}

impl Month {
    /// The month of `year` and `month` (1–12); `None` for a month that does not exist.
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1..=12).contains(&month) && (1000..=9999).contains(&year))
            .then_some(Month { year, month })
    }

    /// The month a date falls in.
    pub fn of(date: NaiveDate) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    /// `YYYY-MM` (or `YYYY-M`; surrounding spaces allowed); `None` for anything else.
    pub fn parse(text: &str) -> Option<Month> {
        let t = text.trim();
        let (y, m) = t.split_once('-')?;
        if y.len() != 4
            || !(1..=2).contains(&m.len())
            || !(y.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit())
        {
            return None;
        }
        Month::new(y.parse().ok()?, m.parse().ok()?)
    }

    /// A month typed into `field`, or a Chinese message naming the field and the format.
    pub fn parse_field(field: &str, text: &str) -> CmdResult<Month> {
        Month::parse(text).ok_or_else(|| {
            CmdError::invalid(
                field,
                format!("月份“{text}”格式不对，应为 YYYY-MM，如 2026-11"),
            )
        })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    /// 1–12.
    pub fn number(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a Month is a real month")
    }

    pub fn last_day(self) -> NaiveDate {
        self.next()
            .first_day()
            .pred_opt()
            .expect("a Month is a real month")
    }

    /// `n` months later (earlier for a negative `n`).
    pub fn shift(self, n: i32) -> Month {
        let total = self.year * 12 + self.month as i32 - 1 + n;
        Month {
            year: total.div_euclid(12),
            month: total.rem_euclid(12) as u32 + 1,
        }
    }

    pub fn next(self) -> Month {
        self.shift(1)
    }

    pub fn prev(self) -> Month {
        self.shift(-1)
    }

    /// Months from `self` to `later` (negative when `later` is earlier): 2026-11 → 2027-02 is 3.
    pub fn months_until(self, later: Month) -> i32 {
        (later.year - self.year) * 12 + later.month as i32 - self.month as i32
    }

    /// Every month from `self` to `last`, both included (empty when `last` is earlier).
    pub fn through(self, last: Month) -> impl Iterator<Item = Month> {
        (0..=self.months_until(last)).map(move |n| self.shift(n))
    }

    /// The same day `n` months on, clamped to the month's end (chrono's rule): 01-31 + 1 → 02-28.
    pub fn add_to_date(date: NaiveDate, n: u32) -> NaiveDate {
        date.checked_add_months(Months::new(n)).unwrap_or(date)
    }

    /// Chinese, as printed: 2026年11月.
    pub fn chinese(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl serde::Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl schemars::JsonSchema for Month {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Month".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"})
    }
}

/// `YYYY-MM` of a date: the text the store keeps months in.
pub fn month_text(date: NaiveDate) -> String {
    Month::of(date).to_string()
}

/// A stored `YYYY-MM` shifted by `n` months. The text must be a month the store wrote.
pub fn shift_text(month: &str, n: i32) -> String {
    Month::parse(month)
        .expect("months are validated before they are stored")
        .shift(n)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(t: &str) -> Month {
        Month::parse(t).unwrap()
    }

    #[test]
    fn parses_only_real_months() {
        assert_eq!(m(" 2026-11 ").to_string(), "2026-11");
        for bad in [
            "2026-13",
            "2026-00",
            "2026-111",
            "26-11",
            "2026/11",
            "",
            "2026-11-01",
            "abcd-ef",
        ] {
            assert!(Month::parse(bad).is_none(), "{bad}");
        }
        let e = Month::parse_field("month", "2026/11").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("month"));
        assert!(e.message.contains("YYYY-MM"));
    }

    #[test]
    fn shifts_across_years_and_counts() {
        let table = [
            ("2026-11", 2, "2027-01"),
            ("2026-01", -1, "2025-12"),
            ("2026-12", 1, "2027-01"),
            ("2026-03", -27, "2023-12"),
            ("2026-05", 0, "2026-05"),
        ];
        for (from, n, to) in table {
            assert_eq!(m(from).shift(n), m(to), "{from} {n}");
            assert_eq!(m(from).months_until(m(to)), n, "{from} → {to}");
            assert_eq!(shift_text(from, n), to);
        }
        let months: Vec<String> = m("2026-11")
            .through(m("2027-02"))
            .map(|x| x.to_string())
            .collect();
        assert_eq!(months, ["2026-11", "2026-12", "2027-01", "2027-02"]);
        assert_eq!(m("2026-11").through(m("2026-10")).count(), 0);
    }

    #[test]
    fn days_of_a_month() {
        assert_eq!(m("2028-02").last_day().to_string(), "2028-02-29");
        assert_eq!(m("2026-02").last_day().to_string(), "2026-02-28");
        assert_eq!(m("2026-12").last_day().to_string(), "2026-12-31");
        assert_eq!(m("2026-12").first_day().to_string(), "2026-12-01");
        let d = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
        assert_eq!(Month::add_to_date(d, 1).to_string(), "2026-02-28");
        assert_eq!(month_text(d), "2026-01");
        assert_eq!(m("2026-01").chinese(), "2026年1月");
        assert!(m("2026-09") < m("2026-10") && m("2025-12") < m("2026-01"));
    }
}
