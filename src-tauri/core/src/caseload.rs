//! A stored household as the rules engine sees it: its open members already born on the day,
//! their itemised finances, urban or rural by 户籍. Pure: the caller loads memberships and
//! finances (`store::caseload` does, for one household or the whole registry).

use chrono::NaiveDate;

use crate::rules::{
    self, Area, Assets, ExpenditureKind, IncomeItem, IncomeKind, LabourCapacity, Member, Period,
    RigidExpenditure, SelfCare, SelfCareFacts,
};
use crate::store::finances::Finances;
use crate::store::registry::Membership;

/// A child born after `on` is not yet a member for that day's (month's) amount.
pub fn engine_household(
    hukou: &str,
    open: Vec<Membership>,
    fin: Finances,
    on: NaiveDate,
) -> rules::Household {
    let members: Vec<Member> = open
        .into_iter()
        .filter(|m| m.person.facts.birth_date <= on)
        .map(|m| {
            let f = m.person.facts;
            Member {
                person_id: m.person.id,
                name: f.name,
                birth_date: f.birth_date,
                sex: f.sex,
                disability_type: f.disability_type,
                disability_grade: f.disability_grade,
                serious_illness: f.serious_illness,
                labour_capacity: LabourCapacity::from_code(&f.labour_capacity)
                    .unwrap_or(LabourCapacity::Full),
                self_care: SelfCareFacts::Level(
                    SelfCare::from_code(&f.self_care).unwrap_or(SelfCare::Able),
                ),
                student: f.student,
                employment: f.employment,
                covered: true,
                able_supporter: false,
            }
        })
        .collect();
    let present = |pid: i64| members.iter().any(|m| m.person_id == pid);
    let incomes = fin
        .incomes
        .into_iter()
        .filter(|i| present(i.person_id))
        .filter_map(|i| {
            let kind = IncomeKind::from_code(&i.kind)?;
            Some(IncomeItem {
                person_id: Some(i.person_id),
                kind,
                description: i.note.clone().unwrap_or_else(|| kind.label().to_owned()),
                amount_fen: i.amount_fen,
                period: if i.period == "annual" {
                    Period::Annual
                } else {
                    Period::Monthly
                },
                exempt_reason: if i.exempt { i.exempt_reason } else { None },
                earned: matches!(kind, IncomeKind::Wage | IncomeKind::Business),
            })
        })
        .collect();
    let expenditures = fin
        .expenditures
        .into_iter()
        .filter_map(|e| {
            let kind = ExpenditureKind::from_code(&e.kind)?;
            Some(RigidExpenditure {
                person_id: e.person_id,
                kind,
                description: e.note.unwrap_or_else(|| kind.label().to_owned()),
                annual_fen: e.annual_fen,
            })
        })
        .collect();
    rules::Household {
        area: Area::from_code(hukou).unwrap_or(Area::Rural),
        members,
        incomes,
        expenditures,
        assets: Assets {
            deposits_fen: fin.assets.deposits_fen,
            vehicles: fin.assets.vehicles as u32,
            extra_housing: fin.assets.extra_housing as u32,
        },
    }
}

#[cfg(test)]
mod tests;
