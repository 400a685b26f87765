//! What an imported ledger row writes besides its people: the enrolled case, the data of its one
//! `import` step, its amount's trail and the household's audit row. Pure; the JSON of steps,
//! amounts and audit rows is serialised straight from borrowed fields (40,000 rows).

use chrono::NaiveDate;
use serde::Serialize;

use super::rows::LedgerRow;
use crate::store::cases::CaseRow;

/// Where a row came from and who imports it, when.
pub struct Origin<'a> {
    pub file: &'a str,
    pub row: u32,
    pub admin_id: i64,
    pub today: NaiveDate,
    /// The import's timestamp.
    pub at: &'a str,
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
    amount: &'a str,
    persons: u32,
}

pub fn step_data<'a>(r: &'a LedgerRow, o: &Origin<'a>, amount: &'a str) -> StepData<'a> {
    StepData {
        source: "原台账",
        file: o.file,
        row: o.row,
        pay_from: &r.pay_from,
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
