//! What an imported ledger row writes besides its people: the enrolled case, the data of its one
//! `import` step, its amount's trail and the household's audit row. Pure; the JSON of steps,
//! amounts and audit rows is serialised straight from borrowed fields (40,000 rows).

use chrono::NaiveDate;
use serde::Serialize;

use super::rows::LedgerRow;
use crate::error::{CmdError, CmdResult};
use crate::month::Month;
use crate::store::cases::CaseRow;

/// The first month Doudi pays the imported cases: the month after the latest month run in Doudi
/// (this month when none has been run), or the month the importer chose (field
/// `first_paid_month`), never earlier: the months before were paid by the old system. The
/// ledger's own start month stays the case's `pay_from` (the start of the benefit).
pub fn first_paid_month(
    latest_run: Option<Month>,
    today: NaiveDate,
    chosen: Option<&str>,
) -> CmdResult<Month> {
    let earliest = latest_run.map_or(Month::of(today), Month::next);
    let Some(text) = chosen.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(earliest);
    };
    let month = Month::parse_field("first_paid_month", text)?;
    if month < earliest {
        let why = match latest_run {
            Some(last) => format!("{last} 及以前的月份已在本系统执行发放"),
            None => format!("本系统尚未发放过，最早从本月 {earliest} 起"),
        };
        return Err(CmdError::invalid(
            "first_paid_month",
            format!(
                "本系统起付月份不能早于 {earliest}：{why}，此前各月由原系统发放，导入的家庭不再补发"
            ),
        ));
    }
    Ok(month)
}

/// Where a row came from and who imports it, when.
pub struct Origin<'a> {
    pub file: &'a str,
    pub row: u32,
    pub admin_id: i64,
    pub today: NaiveDate,
    /// The import's timestamp.
    pub at: &'a str,
    /// The first month Doudi pays (`first_paid_month`), `YYYY-MM`.
    pub paid_from: &'a str,
}

/// The enrolled case of a row, numbered `number`, for household `household_id`.
pub fn case_row(
    r: &LedgerRow,
    o: &Origin,
    number: &str,
    household_id: i64,
    township_id: i64,
) -> CaseRow {
    CaseRow {
        number: number.to_owned(),
        programme: r.programme.into(),
        household_id,
        township_id,
        state: "enrolled".into(),
        applied_on: o.today,
        application_note: format!("由原台账转入（{} 第 {} 行）", o.file, o.row),
        support_mode: r.support_mode.map(str::to_owned),
        created_by: o.admin_id,
        created_at: o.at.to_owned(),
        pay_from: Some(r.pay_from.clone()),
        updated_at: o.at.to_owned(),
        ..CaseRow::default()
    }
}

/// The `import` step's data.
#[derive(Serialize)]
pub struct StepData<'a> {
    source: &'static str,
    file: &'a str,
    row: u32,
    pay_from: &'a str,
    /// The first month Doudi pays: the months before were paid by the old system.
    paid_from: &'a str,
    amount: &'a str,
    persons: u32,
}

pub fn step_data<'a>(r: &'a LedgerRow, o: &Origin<'a>, amount: &'a str) -> StepData<'a> {
    StepData {
        source: "原台账",
        file: o.file,
        row: o.row,
        pay_from: &r.pay_from,
        paid_from: o.paid_from,
        amount,
        persons: r.persons,
    }
}

/// One line of the amount's trail.
#[derive(Serialize)]
pub struct TrailNote<'a> {
    kind: &'static str,
    text: String,
    amount: &'a str,
}

/// The amount's trail: the ledger's amount, not recomputed.
pub fn trail<'a>(o: &Origin, amount: &'a str) -> [TrailNote<'a>; 1] {
    [TrailNote {
        kind: "note",
        text: format!(
            "原台账金额（{} 第 {} 行），导入时未按标准重新计算",
            o.file, o.row
        ),
        amount,
    }]
}

#[derive(Serialize)]
pub struct PersonAudit<'a> {
    name: &'a str,
    id_number: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    relation: Option<&'a str>,
}

#[derive(Serialize)]
pub struct CaseAudit<'a> {
    id: i64,
    number: &'a str,
    programme: &'a str,
    support_mode: Option<&'a str>,
    pay_from: &'a str,
    amount: &'a str,
    persons: u32,
}

/// A household's audit row: everything the row wrote.
#[derive(Serialize)]
pub struct HouseholdAudit<'a> {
    file: &'a str,
    row: u32,
    head: PersonAudit<'a>,
    members: Vec<PersonAudit<'a>>,
    village_id: i64,
    group_id: Option<i64>,
    address: &'a str,
    hukou: &'a str,
    phone: Option<&'a str>,
    bank_name: Option<&'a str>,
    bank_account: Option<&'a str>,
    case: CaseAudit<'a>,
}

/// The audit row of a row written as case `case_id` numbered `number`.
pub fn household_audit<'a>(
    r: &'a LedgerRow,
    o: &Origin<'a>,
    case_id: i64,
    number: &'a str,
    amount: &'a str,
) -> HouseholdAudit<'a> {
    let h = &r.household;
    HouseholdAudit {
        file: o.file,
        row: o.row,
        head: PersonAudit {
            name: &r.head.name,
            id_number: &r.head.id_number,
            relation: None,
        },
        members: r
            .members
            .iter()
            .map(|(rel, m)| PersonAudit {
                name: &m.name,
                id_number: &m.id_number,
                relation: Some(rel),
            })
            .collect(),
        village_id: h.village_id,
        group_id: h.group_id,
        address: &h.address,
        hukou: &h.hukou,
        phone: h.phone.as_deref(),
        bank_name: h.bank_name.as_deref(),
        bank_account: h.bank_account.as_deref(),
        case: CaseAudit {
            id: case_id,
            number,
            programme: r.programme,
            support_mode: r.support_mode,
            pay_from: &r.pay_from,
            amount,
            persons: r.persons,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(t: &str) -> Month {
        Month::parse(t).unwrap()
    }

    /// (latest month run, month asked for, month used or the refusal's words).
    type Case<'a> = (Option<&'a str>, Option<&'a str>, Result<&'a str, &'a str>);

    #[test]
    fn imported_cases_are_paid_from_the_first_month_not_yet_run() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let cases: [Case; 7] = [
            // No month run yet: from this month.
            (None, None, Ok("2026-11")),
            (None, Some("2027-01"), Ok("2027-01")),
            (None, Some("2026-10"), Err("最早从本月 2026-11 起")),
            // Months run up to October: from November, never earlier.
            (Some("2026-10"), None, Ok("2026-11")),
            (Some("2026-10"), Some(" "), Ok("2026-11")),
            (
                Some("2026-10"),
                Some("2015-03"),
                Err("不能早于 2026-11：2026-10 及以前的月份已在本系统执行发放"),
            ),
            (Some("2026-10"), Some("2026-13"), Err("")),
        ];
        for (last, chosen, want) in cases {
            let got = first_paid_month(last.map(m), today, chosen);
            match (got, want) {
                (Ok(got), Ok(w)) => assert_eq!(got.to_string(), w, "{last:?} {chosen:?}"),
                (Err(e), Err(w)) => {
                    assert_eq!(e.field.as_deref(), Some("first_paid_month"));
                    assert!(e.message.contains(w), "{}", e.message);
                }
                (got, want) => panic!("{last:?} {chosen:?}: {got:?} vs {want:?}"),
            }
        }
    }
}
