//! A household's finances: itemised income per member, rigid expenditure and assets. The
//! statement is replaced as a whole, validated first, with the old one kept in the audit row.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::households::{load_household, READ, WRITE};
use super::{input, output as json_value, Session, Stamp};
use crate::db::with_tx;
use crate::error::CmdResult;
use crate::registry::{self, RawAssets, RawExpenditure, RawIncome};
use crate::rules::money::yuan_text;
use crate::store::finances::Finances;
use crate::store::{self};

/// A household's statement as the page shows it: money in yuan, each item with its person's name.
#[derive(Serialize, JsonSchema)]
pub(crate) struct Statement {
    household_id: i64,
    incomes: Vec<IncomeDto>,
    expenditures: Vec<ExpenditureDto>,
    assets: AssetsDto,
}

#[derive(Serialize, JsonSchema)]
struct IncomeDto {
    person_id: i64,
    person_name: String,
    kind: String,
    period: String,
    amount: String,
    exempt: bool,
    exempt_reason: Option<String>,
    note: Option<String>,
}

#[derive(Serialize, JsonSchema)]
struct ExpenditureDto {
    person_id: Option<i64>,
    person_name: Option<String>,
    kind: String,
    annual_amount: String,
    note: Option<String>,
}

#[derive(Serialize, JsonSchema)]
struct AssetsDto {
    deposits: String,
    vehicles: i64,
    extra_housing: i64,
    note: Option<String>,
}

impl Statement {
    pub fn of(
        conn: &rusqlite::Connection,
        household_id: i64,
        f: &Finances,
    ) -> CmdResult<Statement> {
        let name = |pid: i64| -> CmdResult<String> {
            Ok(store::registry::person(conn, pid)?
                .map(|p| p.facts.name)
                .unwrap_or_default())
        };
        let incomes = f
            .incomes
            .iter()
            .map(|i| {
                Ok(IncomeDto {
                    person_id: i.person_id,
                    person_name: name(i.person_id)?,
                    kind: i.kind.clone(),
                    period: i.period.clone(),
                    amount: yuan_text(i.amount_fen),
                    exempt: i.exempt,
                    exempt_reason: i.exempt_reason.clone(),
                    note: i.note.clone(),
                })
            })
            .collect::<CmdResult<_>>()?;
        let expenditures = f
            .expenditures
            .iter()
            .map(|e| {
                Ok(ExpenditureDto {
                    person_id: e.person_id,
                    person_name: e.person_id.map(name).transpose()?,
                    kind: e.kind.clone(),
                    annual_amount: yuan_text(e.annual_fen),
                    note: e.note.clone(),
                })
            })
            .collect::<CmdResult<_>>()?;
        let a = &f.assets;
        Ok(Statement {
            household_id,
            incomes,
            expenditures,
            assets: AssetsDto {
                deposits: yuan_text(a.deposits_fen),
                vehicles: a.vehicles,
                extra_housing: a.extra_housing,
                note: a.note.clone(),
            },
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GetIn {
    household_id: i64,
}

pub(crate) fn get(s: &mut Session, v: Value) -> CmdResult<Statement> {
    let i: GetIn = input(v)?;
    let h = load_household(s, i.household_id, READ, "查看家庭收入")?;
    let f = store::finances::get(&s.conn, h.id)?;
    Statement::of(&s.conn, h.id, &f)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IncomeIn {
    person_id: i64,
    kind: String,
    period: String,
    amount: String,
    #[serde(default)]
    exempt: bool,
    exempt_reason: Option<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpenditureIn {
    person_id: Option<i64>,
    kind: String,
    annual_amount: String,
    note: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct AssetsIn {
    deposits: Option<String>,
    vehicles: Option<i64>,
    extra_housing: Option<i64>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetIn {
    household_id: i64,
    #[serde(default)]
    incomes: Vec<IncomeIn>,
    #[serde(default)]
    expenditures: Vec<ExpenditureIn>,
    #[serde(default)]
    assets: AssetsIn,
}

pub(crate) fn set(s: &mut Session, v: Value) -> CmdResult<Statement> {
    let i: SetIn = input(v)?;
    let h = load_household(s, i.household_id, WRITE, "登记家庭收入和财产")?;
    let members: Vec<i64> = store::registry::memberships(&s.conn, h.id)?
        .iter()
        .filter(|m| m.left_on.is_none())
        .map(|m| m.person.id)
        .collect();
    let incomes: Vec<RawIncome> = i
        .incomes
        .iter()
        .map(|x| RawIncome {
            person_id: x.person_id,
            kind: &x.kind,
            period: &x.period,
            amount: &x.amount,
            exempt: x.exempt,
            exempt_reason: x.exempt_reason.as_deref(),
            note: x.note.as_deref(),
        })
        .collect();
    let expenditures: Vec<RawExpenditure> = i
        .expenditures
        .iter()
        .map(|x| RawExpenditure {
            person_id: x.person_id,
            kind: &x.kind,
            annual_amount: &x.annual_amount,
            note: x.note.as_deref(),
        })
        .collect();
    let assets = RawAssets {
        deposits: i.assets.deposits.as_deref(),
        vehicles: i.assets.vehicles,
        extra_housing: i.assets.extra_housing,
        note: i.assets.note.as_deref(),
    };
    let new = registry::validate_finances(&members, &incomes, &expenditures, &assets)?;
    let old = store::finances::get(&s.conn, h.id)?;
    let before = Statement::of(&s.conn, h.id, &old)?;
    let after = Statement::of(&s.conn, h.id, &new)?;
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        store::finances::replace(tx, h.id, &new)?;
        stamp.record(
            tx,
            "finances.set",
            "household",
            Some(h.id),
            Some(&json_value(&before)?),
            Some(&json_value(&after)?),
        )
    })?;
    Ok(after)
}
