//! Membership commands: set the head, add, correct, leave, death. History is kept: memberships
//! are closed, never deleted.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::households::{
    check_day, check_relation, enrol_person, load_household, person_json, view, HouseholdView,
    PersonIn, WRITE,
};
use super::{input, Session, Stamp};
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::store::registry::Membership;
use crate::store::{self};
use crate::{pinyin_index, registry};

fn open_membership(s: &Session, household_id: i64, person_id: i64) -> CmdResult<Membership> {
    store::registry::memberships(&s.conn, household_id)?
        .into_iter()
        .find(|m| m.person.id == person_id && m.left_on.is_none())
        .ok_or_else(|| CmdError::invalid("person_id", "此人不是本户的在册成员"))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetHeadIn {
    household_id: i64,
    person_id: i64,
    /// The relation the old head takes to the new one, if the old head stays.
    old_head_relation: Option<String>,
}

pub(crate) fn set_head(s: &mut Session, v: Value) -> CmdResult<HouseholdView> {
    let i: SetHeadIn = input(v)?;
    let h = load_household(s, i.household_id, WRITE, "变更户主")?;
    let new_head = open_membership(s, h.id, i.person_id)?;
    let old_head = store::registry::memberships(&s.conn, h.id)?
        .into_iter()
        .find(|m| m.left_on.is_none() && m.relation == "head");
    registry::check_new_head(
        &new_head.relation,
        old_head.is_some(),
        i.old_head_relation.as_deref(),
    )?;
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        if let (Some(old), Some(rel)) = (&old_head, i.old_head_relation.as_deref()) {
            store::registry::set_relation(tx, old.id, rel)?;
        }
        store::registry::set_relation(tx, new_head.id, "head")?;
        store::registry::set_head(tx, h.id, Some(i.person_id), &stamp.at)?;
        stamp.record(
            tx,
            "household.set_head",
            "household",
            Some(h.id),
            Some(&json!({"head_id": h.head_id})),
            Some(&json!({"head_id": i.person_id, "old_head_relation": i.old_head_relation})),
        )
    })?;
    view(s, h.id)
}

#[derive(Deserialize)]
struct MemberAddIn {
    household_id: i64,
    joined_on: Option<NaiveDate>,
}

pub(crate) fn member_add(s: &mut Session, v: Value) -> CmdResult<HouseholdView> {
    let person: PersonIn = input(v.clone())?;
    let i: MemberAddIn = input(v)?;
    let h = load_household(s, i.household_id, WRITE, "增加家庭成员")?;
    let today = s.clock.today();
    let relation = person.relation.clone().unwrap_or_default();
    check_relation("relation", &relation)?;
    let has_head = h.head_id.is_some();
    if relation == "head" && has_head {
        return Err(CmdError::invalid(
            "relation",
            "本户已有户主；如需变更户主，请先加入成员再办理变更户主",
        ));
    }
    let facts = person.validate(today)?;
    let joined_on = i.joined_on.unwrap_or(today);
    check_day("joined_on", "入户日期", joined_on, today)?;
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        let pid = enrol_person(tx, &stamp, "member.add", h.id, &facts, &relation, joined_on)?;
        if relation == "head" {
            store::registry::set_head(tx, h.id, Some(pid), &stamp.at)?;
        }
        Ok(pid)
    })?;
    view(s, h.id)
}

#[derive(Deserialize)]
struct MemberUpdateIn {
    household_id: i64,
    person_id: i64,
}

pub(crate) fn member_update(s: &mut Session, v: Value) -> CmdResult<HouseholdView> {
    let person: PersonIn = input(v.clone())?;
    let i: MemberUpdateIn = input(v)?;
    let h = load_household(s, i.household_id, WRITE, "修改成员信息")?;
    let m = open_membership(s, h.id, i.person_id)?;
    let facts = person.validate(s.clock.today())?;
    if let Some(r) = &person.relation {
        check_relation("relation", r)?;
        if (r == "head") != (m.relation == "head") {
            return Err(CmdError::invalid("relation", "户主请通过“变更户主”办理"));
        }
    }
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        let initials = pinyin_index::index_text(&facts.name);
        store::registry::update_person(tx, i.person_id, &facts, &initials, &stamp.at)?;
        stamp.record(
            tx,
            "member.update",
            "person",
            Some(i.person_id),
            Some(&person_json(&m.person.facts)),
            Some(&person_json(&facts)),
        )?;
        if let Some(r) = person.relation.as_deref().filter(|r| *r != m.relation) {
            store::registry::set_relation(tx, m.id, r)?;
            stamp.record(
                tx,
                "member.update",
                "membership",
                Some(m.id),
                Some(&json!({"relation": m.relation})),
                Some(&json!({"relation": r})),
            )?;
        }
        Ok(())
    })?;
    view(s, h.id)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberLeaveIn {
    household_id: i64,
    person_id: i64,
    left_on: NaiveDate,
    reason: String,
}

pub(crate) fn member_leave(s: &mut Session, v: Value) -> CmdResult<HouseholdView> {
    let i: MemberLeaveIn = input(v)?;
    let h = load_household(s, i.household_id, WRITE, "办理成员迁出")?;
    let m = open_membership(s, h.id, i.person_id)?;
    let others = store::registry::memberships(&s.conn, h.id)?
        .iter()
        .filter(|o| o.left_on.is_none() && o.id != m.id)
        .count();
    registry::check_leave(
        &i.reason,
        m.relation == "head",
        others,
        i.left_on,
        m.joined_on,
        s.clock.today(),
    )?;
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        store::registry::close_membership(tx, m.id, i.left_on, &i.reason)?;
        if m.relation == "head" {
            store::registry::set_head(tx, h.id, None, &stamp.at)?;
        }
        stamp.record(
            tx,
            "member.leave",
            "membership",
            Some(m.id),
            None,
            Some(&json!({"left_on": i.left_on, "reason": i.reason})),
        )
    })?;
    view(s, h.id)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberDeathIn {
    household_id: i64,
    person_id: i64,
    death_date: NaiveDate,
}

/// Death closes the membership; if the head died, the household has no head until one is chosen.
pub(crate) fn member_death(s: &mut Session, v: Value) -> CmdResult<HouseholdView> {
    let i: MemberDeathIn = input(v)?;
    let h = load_household(s, i.household_id, WRITE, "登记死亡")?;
    let m = open_membership(s, h.id, i.person_id)?;
    let left_on = registry::death_left_on(
        i.death_date,
        m.person.facts.birth_date,
        m.joined_on,
        s.clock.today(),
    )?;
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        store::registry::set_death(tx, i.person_id, i.death_date, &stamp.at)?;
        store::registry::close_membership(tx, m.id, left_on, "death")?;
        if m.relation == "head" {
            store::registry::set_head(tx, h.id, None, &stamp.at)?;
        }
        stamp.record(
            tx,
            "member.death",
            "person",
            Some(i.person_id),
            None,
            Some(&json!({"death_date": i.death_date})),
        )
    })?;
    view(s, h.id)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SixItemsIn {
    eating: Option<bool>,
    dressing: Option<bool>,
    getting_up: Option<bool>,
    toileting: Option<bool>,
    walking_indoors: Option<bool>,
    bathing: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssessIn {
    household_id: i64,
    person_id: i64,
    /// Each item: true = can do it alone, false = cannot.
    items: SixItemsIn,
}

/// The household after the assessment, and the assessment's result.
#[derive(Serialize, JsonSchema)]
pub(crate) struct AssessReply {
    #[serde(flatten)]
    view: HouseholdView,
    assessment: Assessment,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct Assessment {
    self_care: String,
    label: &'static str,
    /// The labels of the items the person cannot do alone.
    failed: Vec<&'static str>,
}

/// The six-item self-care assessment (吃饭, 穿衣, 上下床, 如厕, 室内行走, 洗澡): all six must be
/// answered; the level follows (all met = 自理, 1–3 failed = 半护理, ≥ 4 failed = 全护理) and is
/// stored on the person, with the answers in the audit row.
pub(crate) fn assess_self_care(s: &mut Session, v: Value) -> CmdResult<AssessReply> {
    use crate::rules::SixItems;
    let i: AssessIn = input(v)?;
    let h = load_household(s, i.household_id, WRITE, "评估自理能力")?;
    let m = open_membership(s, h.id, i.person_id)?;
    let it = &i.items;
    let six = SixItems {
        eating: it.eating,
        dressing: it.dressing,
        getting_up: it.getting_up,
        toileting: it.toileting,
        walking_indoors: it.walking_indoors,
        bathing: it.bathing,
    };
    let assessed = crate::registry::assess_self_care(six, m.person.id, &m.person.facts)?;
    let mut facts = m.person.facts.clone();
    facts.self_care = assessed.code.to_owned();
    let failed = assessed.failed;
    let level = assessed.level;
    let stamp = Stamp::of(s)?;
    let answers = json!({
        "items": six.items().iter().map(|(f, _, v)| (f.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
        "failed": failed, "self_care": facts.self_care,
    });
    with_tx(&mut s.conn, |tx| {
        let initials = pinyin_index::index_text(&facts.name);
        store::registry::update_person(tx, m.person.id, &facts, &initials, &stamp.at)?;
        stamp.record(
            tx,
            "member.assess_self_care",
            "person",
            Some(m.person.id),
            Some(&json!({"self_care": m.person.facts.self_care})),
            Some(&answers),
        )
    })?;
    Ok(AssessReply {
        view: view(s, h.id)?,
        assessment: Assessment {
            self_care: facts.self_care,
            label: level.label(),
            failed,
        },
    })
}
