//! 定期核查 as a batch: "no change" recorded for many enrolled cases in one command. The input
//! names each case with the version the page showed; each case is decided on its own (a case
//! that moved on since, is in another township or no longer waits for a review is refused with
//! its reason, the rest proceed), and each gets its own step and audit row.
//!
//! Pure: [`check_batch`] reads the input (fields `cases`, `cases[i].expected_version`,
//! `findings`); the command loads each case, checks it with [`super::check_actor`] and
//! [`super::conflict::check_version`], and drafts its step with [`super::step::draft`].

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::error::{CmdError, CmdResult};

/// The most cases one batch takes (a caseworker's reviews of a quarter fit well within it).
pub const MAX_CASES: usize = 500;

/// The findings recorded for every case when the user writes none.
pub const NO_CHANGE: &str = "经定期核查，家庭人口、收入和财产状况无变化，继续保障";

/// One case of the batch as the page showed it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchCase {
    pub case_id: i64,
    /// The case's version when it was shown; required: a batch runs on what the user saw.
    pub expected_version: Option<i64>,
}

/// `case.review_batch`'s input.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchInput {
    pub cases: Vec<BatchCase>,
    /// The day of the reviews (default today).
    pub date: Option<NaiveDate>,
    /// What was found; blank is [`NO_CHANGE`].
    pub findings: Option<String>,
}

/// The cases to review, each with the version it was shown at, and the findings to record:
/// at least one case, at most [`MAX_CASES`], none twice, every version given.
/// `today` bounds the date (no review dated in the future).
pub fn check_batch(i: &BatchInput, today: NaiveDate) -> CmdResult<(Vec<(i64, i64)>, String)> {
    if let Some(d) = i.date.filter(|d| *d > today) {
        return Err(CmdError::invalid(
            "date",
            format!("核查日期 {d} 晚于今天，不能登记"),
        ));
    }
    if i.cases.is_empty() {
        return Err(CmdError::invalid(
            "cases",
            "请至少选择一个需要定期核查的案件",
        ));
    }
    if i.cases.len() > MAX_CASES {
        return Err(CmdError::invalid(
            "cases",
            format!(
                "一次最多批量登记 {MAX_CASES} 个案件，已选 {} 个，请分批办理",
                i.cases.len()
            ),
        ));
    }
    let mut seen = HashSet::new();
    let mut cases = Vec::with_capacity(i.cases.len());
    for (n, c) in i.cases.iter().enumerate() {
        if !seen.insert(c.case_id) {
            return Err(CmdError::invalid(
                &format!("cases[{n}].case_id"),
                format!("案件 {} 选了两次，每个案件只能登记一次", c.case_id),
            ));
        }
        let Some(v) = c.expected_version.filter(|v| *v >= 0) else {
            return Err(CmdError::invalid(
                &format!("cases[{n}].expected_version"),
                "请随每个案件附上页面显示时的版本号（expected_version），以免登记他人刚刚改动的案件",
            ));
        };
        cases.push((c.case_id, v));
    }
    let findings = match i.findings.as_deref().map(str::trim) {
        None | Some("") => NO_CHANGE.to_owned(),
        Some(t) if t.chars().count() > 2000 => {
            return Err(CmdError::invalid("findings", "核查情况不能超过 2000 个字"))
        }
        Some(t) => t.to_owned(),
    };
    Ok((cases, findings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn field(v: serde_json::Value) -> String {
        let i: BatchInput = serde_json::from_value(v).unwrap();
        match check_batch(&i, today()) {
            Ok(_) => String::new(),
            Err(e) => e.field.unwrap_or_default(),
        }
    }

    #[test]
    fn a_batch_names_each_case_once_with_its_version() {
        // (input, the field refused or "" for accepted)
        let many: Vec<_> = (0..=MAX_CASES as i64)
            .map(|i| json!({"case_id": i, "expected_version": 1}))
            .collect();
        let table = [
            (json!({"cases": []}), "cases"),
            (json!({"cases": many}), "cases"),
            (
                json!({"cases": [{"case_id": 1, "expected_version": 3}, {"case_id": 1, "expected_version": 3}]}),
                "cases[1].case_id",
            ),
            (
                json!({"cases": [{"case_id": 1, "expected_version": 3}, {"case_id": 2}]}),
                "cases[1].expected_version",
            ),
            (
                json!({"cases": [{"case_id": 1, "expected_version": -1}]}),
                "cases[0].expected_version",
            ),
            (
                json!({"cases": [{"case_id": 1, "expected_version": 3}], "findings": "变".repeat(2001)}),
                "findings",
            ),
            (
                json!({"cases": [{"case_id": 1, "expected_version": 3}], "date": "2026-11-24"}),
                "date",
            ),
            (
                json!({"cases": [{"case_id": 1, "expected_version": 3}, {"case_id": 2, "expected_version": 0}]}),
                "",
            ),
        ];
        for (input, want) in table {
            assert_eq!(field(input.clone()), want, "{input}");
        }
        let i: BatchInput = serde_json::from_value(
            json!({"cases": [{"case_id": 7, "expected_version": 4}], "findings": "  "}),
        )
        .unwrap();
        assert_eq!(
            check_batch(&i, today()).unwrap(),
            (vec![(7, 4)], NO_CHANGE.to_owned())
        );
    }
}
