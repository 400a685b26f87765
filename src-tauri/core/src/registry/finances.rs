//! What a valid finances statement is: incomes of open members with a known kind, period and
//! amount (an exempt one with its reason), rigid expenditure, and assets. Pure, like the rest of
//! the registry: raw input in, the statement to store or the first broken rule (by field) out.

use crate::error::{CmdError, CmdResult};
use crate::rules::money::fen_from_yuan;
use crate::store::finances::{Assets, Expenditure, Finances, Income};

use super::{label, Choice, EXPENDITURE_KINDS, INCOME_KINDS, INCOME_PERIODS};

/// One income as typed: money in yuan.
pub struct RawIncome<'a> {
    pub person_id: i64,
    pub kind: &'a str,
    pub period: &'a str,
    pub amount: &'a str,
    pub exempt: bool,
    pub exempt_reason: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// One rigid expenditure as typed, of a member or of the household.
pub struct RawExpenditure<'a> {
    pub person_id: Option<i64>,
    pub kind: &'a str,
    pub annual_amount: &'a str,
    pub note: Option<&'a str>,
}

#[derive(Default)]
pub struct RawAssets<'a> {
    pub deposits: Option<&'a str>,
    pub vehicles: Option<i64>,
    pub extra_housing: Option<i64>,
    pub note: Option<&'a str>,
}

fn code(field: &str, what: &str, choices: &[Choice], v: &str) -> CmdResult<String> {
    if label(choices, v).is_some() {
        Ok(v.to_owned())
    } else {
        let allowed: Vec<&str> = choices.iter().map(|(_, l)| *l).collect();
        Err(CmdError::invalid(
            field,
            format!("{what}“{v}”不在可选范围内（{}）", allowed.join("、")),
        ))
    }
}

fn blank_to_none(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The statement to store, for a household whose open members are `members` (person ids).
pub fn validate_finances(
    members: &[i64],
    incomes: &[RawIncome<'_>],
    expenditures: &[RawExpenditure<'_>],
    assets: &RawAssets<'_>,
) -> CmdResult<Finances> {
    let member = |field: &str, pid: i64| -> CmdResult<i64> {
        if members.contains(&pid) {
            Ok(pid)
        } else {
            Err(CmdError::invalid(
                field,
                "收入或支出所属的人不是本户在册成员",
            ))
        }
    };
    let mut out_incomes = Vec::with_capacity(incomes.len());
    for (n, x) in incomes.iter().enumerate() {
        let f = |name: &str| format!("incomes[{n}].{name}");
        let exempt_reason = blank_to_none(x.exempt_reason);
        if x.exempt && exempt_reason.is_none() {
            return Err(CmdError::invalid(
                &f("exempt_reason"),
                "不计入收入的项目请写明豁免依据（如 见义勇为奖励）",
            ));
        }
        out_incomes.push(Income {
            person_id: member(&f("person_id"), x.person_id)?,
            kind: code(&f("kind"), "收入类别", INCOME_KINDS, x.kind)?,
            period: code(&f("period"), "收入周期", INCOME_PERIODS, x.period)?,
            amount_fen: fen_from_yuan(&f("amount"), x.amount)?,
            exempt: x.exempt,
            exempt_reason,
            note: blank_to_none(x.note),
        });
    }
    let mut out_expenditures = Vec::with_capacity(expenditures.len());
    for (n, x) in expenditures.iter().enumerate() {
        let f = |name: &str| format!("expenditures[{n}].{name}");
        out_expenditures.push(Expenditure {
            person_id: x
                .person_id
                .map(|p| member(&f("person_id"), p))
                .transpose()?,
            kind: code(&f("kind"), "刚性支出类别", EXPENDITURE_KINDS, x.kind)?,
            annual_fen: fen_from_yuan(&f("annual_amount"), x.annual_amount)?,
            note: blank_to_none(x.note),
        });
    }
    let count = |field: &str, v: Option<i64>| -> CmdResult<i64> {
        match v.unwrap_or(0) {
            n if (0..=99).contains(&n) => Ok(n),
            _ => Err(CmdError::invalid(field, "数量应在 0–99 之间")),
        }
    };
    Ok(Finances {
        incomes: out_incomes,
        expenditures: out_expenditures,
        assets: Assets {
            deposits_fen: match assets.deposits {
                None | Some("") => 0,
                Some(t) => fen_from_yuan("assets.deposits", t)?,
            },
            vehicles: count("assets.vehicles", assets.vehicles)?,
            extra_housing: count("assets.extra_housing", assets.extra_housing)?,
            note: blank_to_none(assets.note),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn income<'a>(person_id: i64, kind: &'a str, amount: &'a str, exempt: bool) -> RawIncome<'a> {
        RawIncome {
            person_id,
            kind,
            period: "monthly",
            amount,
            exempt,
            exempt_reason: None,
            note: Some("  "),
        }
    }

    #[test]
    fn a_statement_is_checked_item_by_item() {
        // (incomes, vehicles, Ok(first income's fen) or Err(field))
        type Case<'a> = (Vec<RawIncome<'a>>, Option<i64>, Result<i64, &'a str>);
        let table: Vec<Case> = vec![
            (vec![income(1, "wage", "1200.5", false)], None, Ok(120_050)),
            (
                vec![income(9, "wage", "1", false)],
                None,
                Err("incomes[0].person_id"),
            ),
            (
                vec![income(1, "lottery", "1", false)],
                None,
                Err("incomes[0].kind"),
            ),
            (
                vec![income(1, "wage", "abc", false)],
                None,
                Err("incomes[0].amount"),
            ),
            (
                vec![income(1, "wage", "1", true)],
                None,
                Err("incomes[0].exempt_reason"),
            ),
            (vec![], Some(100), Err("assets.vehicles")),
        ];
        for (incomes, vehicles, want) in table {
            let assets = RawAssets {
                vehicles,
                ..RawAssets::default()
            };
            let got = validate_finances(&[1, 2], &incomes, &[], &assets);
            match (got, want) {
                (Ok(f), Ok(fen)) => {
                    assert_eq!(f.incomes[0].amount_fen, fen);
                    assert_eq!(f.incomes[0].note, None, "a blank note is none");
                }
                (Err(e), Err(field)) => assert_eq!(e.field.as_deref(), Some(field)),
                (got, want) => panic!("{got:?}, want {want:?}"),
            }
        }
    }
}
