//! The rules engine's tests: tables of cases run by one `check()`, plus property tests.

mod cases_dibao;
mod cases_other;
mod cases_standards;
mod props;

use chrono::NaiveDate;

use super::*;
use crate::error::{CmdError, CmdResult, ErrorCode};
use crate::idcard::Sex;

pub(super) fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a test date")
}

/// The example county's standards in force on `date`.
pub(super) fn st(date: &str) -> Standards {
    Standards::as_of(&demo_rows(), day(date))
}

/// The example county's standards with some values replaced from `date` on.
pub(super) fn st_with(date: &str, changes: &[(&str, Scope, &str)]) -> Standards {
    let mut rows = demo_rows();
    for (key, scope, value) in changes {
        let row = StandardRow {
            key: (*key).to_owned(),
            scope: *scope,
            effective_from: day(date),
            value: (*value).to_owned(),
        };
        validate_row(&row).expect("a valid test standard");
        rows.push(row);
    }
    Standards::as_of(&rows, day(date))
}

/// An adult of working age, covered, able to care for themself, with a supporter.
pub(super) fn adult(id: i64, name: &str, birth: &str) -> Member {
    Member {
        person_id: id,
        name: name.to_owned(),
        birth_date: day(birth),
        sex: if id % 2 == 0 { Sex::Female } else { Sex::Male },
        disability_type: None,
        disability_grade: None,
        serious_illness: None,
        labour_capacity: LabourCapacity::Full,
        self_care: SelfCareFacts::Level(SelfCare::Able),
        student: None,
        employment: None,
        covered: true,
        able_supporter: true,
    }
}

/// Three working-age adults: 张三 (1), 李四 (2), 王五 (3).
pub(super) fn three() -> Vec<Member> {
    vec![
        adult(1, "张三", "1975-03-01"),
        adult(2, "李四", "1978-06-01"),
        adult(3, "王五", "1990-09-01"),
    ]
}

pub(super) fn hh(area: Area, members: Vec<Member>) -> Household {
    Household {
        area,
        members,
        incomes: Vec::new(),
        expenditures: Vec::new(),
        assets: Assets::default(),
    }
}

pub(super) fn income(person: i64, kind: IncomeKind, fen: i64, period: Period) -> IncomeItem {
    IncomeItem {
        person_id: Some(person),
        kind,
        description: kind.label().to_owned(),
        amount_fen: fen,
        period,
        exempt_reason: None,
        earned: false,
    }
}

/// Monthly wages, earned by work.
pub(super) fn wage(person: i64, fen: i64) -> IncomeItem {
    IncomeItem {
        earned: true,
        description: "务工".to_owned(),
        ..income(person, IncomeKind::Wage, fen, Period::Monthly)
    }
}

/// A monthly transfer (pension, remittance): countable, not earned.
pub(super) fn transfer(person: i64, fen: i64) -> IncomeItem {
    income(person, IncomeKind::Transfer, fen, Period::Monthly)
}

pub(super) fn rigid(person: i64, kind: ExpenditureKind, annual_fen: i64) -> RigidExpenditure {
    RigidExpenditure {
        person_id: Some(person),
        kind,
        description: kind.label().to_owned(),
        annual_fen,
    }
}

pub(super) fn with(mut h: Household, incomes: Vec<IncomeItem>) -> Household {
    h.incomes = incomes;
    h
}

pub(super) enum Want {
    /// The amount in fen, and text each expected to be found in some trail line.
    Amount(i64, &'static [&'static str]),
    /// An invalid-input error on the field, whose message contains the text.
    Error(&'static str, &'static str),
    /// An invalid-input error on the field with exactly this message.
    ErrorExact(&'static str, &'static str),
}

pub(super) struct Case {
    pub name: &'static str,
    pub run: Box<dyn Fn() -> CmdResult<Outcome>>,
    pub want: Want,
}

pub(super) fn ok(
    name: &'static str,
    run: impl Fn() -> CmdResult<Outcome> + 'static,
    amount_fen: i64,
    lines: &'static [&'static str],
) -> Case {
    Case {
        name,
        run: Box::new(run),
        want: Want::Amount(amount_fen, lines),
    }
}

pub(super) fn err(
    name: &'static str,
    run: impl Fn() -> CmdResult<Outcome> + 'static,
    field: &'static str,
    message: &'static str,
) -> Case {
    Case {
        name,
        run: Box::new(run),
        want: Want::Error(field, message),
    }
}

pub(super) fn err_exact(
    name: &'static str,
    run: impl Fn() -> CmdResult<Outcome> + 'static,
    field: &'static str,
    message: &'static str,
) -> Case {
    Case {
        name,
        run: Box::new(run),
        want: Want::ErrorExact(field, message),
    }
}

/// An outcome with no amount, for checks that only validate or classify.
pub(super) fn lines_only(trail: Trail) -> Outcome {
    Outcome {
        amount_fen: 0,
        trail,
    }
}

fn describe(e: &CmdError) -> String {
    format!("{:?} field={:?} message={}", e.code, e.field, e.message)
}

/// Run every case; report all that fail, not just the first.
pub(super) fn check(cases: Vec<Case>) {
    let mut failures = Vec::new();
    let total = cases.len();
    for c in cases {
        let got = (c.run)();
        let problem = match (&c.want, got) {
            (Want::Amount(amount, lines), Ok(out)) => {
                let mut p = Vec::new();
                if out.amount_fen != *amount {
                    p.push(format!("amount {} ≠ expected {}", out.amount_fen, amount));
                }
                for want in *lines {
                    if !out.trail.texts().any(|t| t.contains(want)) {
                        p.push(format!("no trail line contains “{want}”"));
                    }
                }
                if p.is_empty() {
                    None
                } else {
                    let trail: Vec<&str> = out.trail.texts().collect();
                    Some(format!(
                        "{}\n    trail:\n      {}",
                        p.join("; "),
                        trail.join("\n      ")
                    ))
                }
            }
            (Want::Amount(..), Err(e)) => Some(format!("unexpected error: {}", describe(&e))),
            (Want::Error(field, msg) | Want::ErrorExact(field, msg), Err(e)) => {
                let exact = matches!(c.want, Want::ErrorExact(..));
                let msg_ok = if exact {
                    e.message == *msg
                } else {
                    e.message.contains(msg)
                };
                if e.code == ErrorCode::InvalidInput && e.field.as_deref() == Some(*field) && msg_ok
                {
                    None
                } else {
                    Some(format!(
                        "wanted error on {field} with “{msg}”, got {}",
                        describe(&e)
                    ))
                }
            }
            (Want::Error(field, _) | Want::ErrorExact(field, _), Ok(out)) => Some(format!(
                "wanted an error on {field}, got amount {}",
                out.amount_fen
            )),
        };
        if let Some(p) = problem {
            failures.push(format!("- {}: {p}", c.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
