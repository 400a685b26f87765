//! Each document's data filled from the loaded records: what goes on an 审批表, a 公示, an 不予批准
//! 通知书, a 一事一议 申报表 or 会议纪要 — labels, rows, sign-offs, the refusals when a record
//! lacks what the document needs. Pure: the command loads the records through the store, calls
//! these, renders the result and saves it.
//!
//! Entry points: [`family`] (the family block of an 审批表), [`approval_form`] (低保/特困),
//! [`temp_aid_form`] (临时救助), [`refusal_notice`], [`notice`] (公示 of the cases on notice in a
//! village or township), [`minutes_meeting`] and [`meeting_minutes`], [`deliberation_application`].
//! Errors name the command's input field (`case_id`, `id`, `area_id`).

mod cases;
mod deliberation;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

pub use cases::{
    approval_form, notice, notice_area, notice_input, place_name, refusal_notice, temp_aid_form,
    Basis, NoticeEntry, NoticePlace,
};
pub use deliberation::{deliberation_application, meeting_minutes, minutes_meeting, recorded_aid};

use super::{DocError, DocResult, FamilyInfo, IncomeItem, Member};
use crate::registry::{self, PersonFacts};
use crate::rules::money::yuan_text;
use crate::store::finances::Finances;
use crate::store::registry::{Household, Membership};

/// Users' display names by id; an unknown or absent user signs as "".
pub type UserNames = HashMap<i64, String>;

fn name_of(users: &UserNames, id: Option<i64>) -> String {
    id.and_then(|id| users.get(&id).cloned())
        .unwrap_or_default()
}

/// A household as its documents need it: the household, its memberships and its finances.
pub struct FamilyRecords<'a> {
    pub household: &'a Household,
    pub memberships: &'a [Membership],
    pub finances: &'a Finances,
}

/// The family block of an 审批表: head, address, hukou, phone; open members; each income item as
/// an annual amount. Refused (field `case_id`, for a 临时救助 case too) when the household has no
/// head.
pub fn family(r: &FamilyRecords) -> DocResult<(FamilyInfo, Vec<Member>, Vec<IncomeItem>)> {
    let h = r.household;
    let members: Vec<&Membership> = r
        .memberships
        .iter()
        .filter(|m| m.left_on.is_none())
        .collect();
    let name_of = |pid: i64| {
        members
            .iter()
            .find(|m| m.person.id == pid)
            .map(|m| m.person.facts.name.clone())
            .unwrap_or_default()
    };
    let incomes = r
        .finances
        .incomes
        .iter()
        .map(|i| {
            let annual = if i.period == "annual" {
                i.amount_fen
            } else {
                i.amount_fen * 12
            };
            IncomeItem {
                member: name_of(i.person_id),
                kind: registry::label(registry::INCOME_KINDS, &i.kind)
                    .unwrap_or("其他")
                    .to_owned(),
                annual_amount: yuan_text(annual),
                note: if i.exempt {
                    format!("豁免：{}", i.exempt_reason.clone().unwrap_or_default())
                } else {
                    "计入".into()
                },
            }
        })
        .collect();
    let head = h
        .head_id
        .map(name_of)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| DocError::new("case_id", "此家庭没有户主，审批表缺少申请人"))?;
    let family = FamilyInfo {
        head,
        address: h.facts.address.clone(),
        hukou: if h.facts.hukou == "urban" {
            "城镇"
        } else {
            "农村"
        }
        .into(),
        phone: h.facts.phone.clone().unwrap_or_default(),
    };
    let members = members
        .iter()
        .map(|m| Member {
            name: m.person.facts.name.clone(),
            relation: registry::label(registry::RELATIONS, &m.relation)
                .unwrap_or("其他")
                .to_owned(),
            id_number: m.person.facts.id_number.clone(),
            note: member_note(&m.person.facts),
        })
        .collect();
    Ok((family, members, incomes))
}

/// What the 审批表 notes beside a member: 残疾, 重病, 在校学生.
fn member_note(f: &PersonFacts) -> String {
    let mut parts = vec![];
    if f.disability_grade.is_some() {
        parts.push("残疾".to_owned());
    }
    if f.serious_illness.as_deref().is_some_and(|x| !x.is_empty()) {
        parts.push("重病".to_owned());
    }
    if f.student.as_deref().is_some_and(|x| !x.is_empty()) {
        parts.push("在校学生".to_owned());
    }
    parts.join("、")
}
