//! 近亲属备案: declared near relatives of caseworkers and village committee members. A household
//! with a filed member is flagged on every case: the declared user takes no step on it, and the
//! county home-checks it before approval.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{input, Session, Stamp};
use crate::auth::Role;
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::store::near_relatives::Filing;
use crate::store::{self};
use crate::workflow::near_relative::{check_filing, check_withdraw_reason, Typed, RELATIONS};

/// The areas a user's filings may name: a township user's township and its villages.
fn area_ids_in_scope(s: &Session, township_id: i64) -> CmdResult<Vec<i64>> {
    Ok(store::areas::all(&s.conn)?
        .into_iter()
        .filter(|a| a.id == township_id || a.parent_id == Some(township_id))
        .map(|a| a.id)
        .collect())
}

/// A filing, with its area's and recorder's names and the household the relative is now in.
#[derive(Serialize, JsonSchema)]
pub(crate) struct FilingReply {
    id: i64,
    user_id: Option<i64>,
    staff_name: String,
    staff_post: String,
    area_id: i64,
    area_name: String,
    relative_id_number: String,
    relative_name: String,
    relation: String,
    #[schemars(with = "String")]
    declared_on: NaiveDate,
    recorded_by: String,
    recorded_at: String,
    #[schemars(with = "Option<String>")]
    withdrawn_on: Option<NaiveDate>,
    withdraw_reason: Option<String>,
    household_id: Option<i64>,
}

fn filing_reply(s: &Session, f: Filing) -> CmdResult<FilingReply> {
    let area = store::areas::get(&s.conn, f.area_id)?
        .map(|a| a.name)
        .unwrap_or_default();
    let recorded_by = store::users::get(&s.conn, f.recorded_by)?
        .map(|u| u.display_name)
        .unwrap_or_default();
    let household_id = match store::registry::person_by_id_number(&s.conn, &f.relative_id_number)? {
        Some(p) => store::registry::active_membership(&s.conn, p.id)?.map(|(_, h)| h),
        None => None,
    };
    Ok(FilingReply {
        id: f.id,
        user_id: f.user_id,
        staff_name: f.staff_name,
        staff_post: f.staff_post,
        area_id: f.area_id,
        area_name: area,
        relative_id_number: f.relative_id_number,
        relative_name: f.relative_name,
        relation: f.relation,
        declared_on: f.declared_on,
        recorded_by,
        recorded_at: f.recorded_at,
        withdrawn_on: f.withdrawn_on,
        withdraw_reason: f.withdraw_reason,
        household_id,
    })
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct ListReply {
    filings: Vec<FilingReply>,
    /// The relations that count as near relatives.
    relations: Vec<&'static str>,
}

pub(crate) fn list(s: &mut Session, _: Value) -> CmdResult<ListReply> {
    let user = s.require(
        &[
            Role::Caseworker,
            Role::Reviewer,
            Role::Approver,
            Role::Admin,
        ],
        "查看近亲属备案",
    )?;
    let scope = if user.role.works_in_township() {
        Some(area_ids_in_scope(s, user.area_id)?)
    } else {
        None
    };
    let filings = store::near_relatives::list(&s.conn, scope.as_deref())?;
    let filings = (filings.into_iter())
        .map(|f| filing_reply(s, f))
        .collect::<CmdResult<Vec<_>>>()?;
    let relations = RELATIONS.to_vec();
    Ok(ListReply { filings, relations })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileIn {
    user_id: Option<i64>,
    staff_name: Option<String>,
    staff_post: String,
    area_id: i64,
    relative_id_number: String,
    relative_name: String,
    relation: String,
    declared_on: Option<NaiveDate>,
}

pub(crate) fn file(s: &mut Session, v: Value) -> CmdResult<FilingReply> {
    let user = s
        .require(
            &[Role::Reviewer, Role::Approver, Role::Admin],
            "登记近亲属备案",
        )?
        .clone();
    let i: FileIn = input(v)?;
    let today = s.clock.today();
    let area = store::areas::get(&s.conn, i.area_id)?
        .ok_or_else(|| CmdError::invalid("area_id", format!("区划 {} 不存在", i.area_id)))?;
    if user.role.works_in_township() && !area_ids_in_scope(s, user.area_id)?.contains(&area.id) {
        return Err(CmdError::invalid(
            "area_id",
            "只能为本乡镇（街道）及其村（社区）的工作人员登记备案",
        ));
    }
    let user_name = match i.user_id {
        Some(uid) => Some(
            store::users::get(&s.conn, uid)?
                .ok_or_else(|| CmdError::invalid("user_id", format!("用户 {uid} 不存在")))?
                .display_name,
        ),
        None => None,
    };
    let typed = Typed {
        user_name,
        staff_name: i.staff_name.as_deref(),
        staff_post: &i.staff_post,
        relative_id_number: &i.relative_id_number,
        relative_name: &i.relative_name,
        relation: &i.relation,
        declared_on: i.declared_on,
    };
    let c = check_filing(typed, today)?;
    let stamp = Stamp::of(s)?;
    let f = Filing {
        id: 0,
        user_id: i.user_id,
        staff_name: c.staff_name,
        staff_post: c.staff_post,
        area_id: area.id,
        relative_id_number: c.relative_id_number,
        relative_name: c.relative_name,
        relation: c.relation,
        declared_on: c.declared_on,
        recorded_by: user.id,
        recorded_at: stamp.at.clone(),
        withdrawn_on: None,
        withdraw_reason: None,
    };
    let id = with_tx(&mut s.conn, |tx| {
        let id = store::near_relatives::insert(tx, &f)?;
        let after = json!({"user_id": f.user_id, "staff_name": f.staff_name, "staff_post": f.staff_post,
            "area_id": f.area_id, "relative_id_number": f.relative_id_number, "relative_name": f.relative_name,
            "relation": f.relation, "declared_on": f.declared_on});
        stamp.record(
            tx,
            "near_relative.file",
            "near_relative",
            Some(id),
            None,
            Some(&after),
        )?;
        Ok(id)
    })?;
    let f = store::near_relatives::get(&s.conn, id)?
        .ok_or_else(|| CmdError::internal("备案保存后读取失败"))?;
    filing_reply(s, f)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WithdrawIn {
    id: i64,
    reason: String,
}

pub(crate) fn withdraw(s: &mut Session, v: Value) -> CmdResult<FilingReply> {
    s.require(&[Role::Approver, Role::Admin], "撤销近亲属备案")?;
    let i: WithdrawIn = input(v)?;
    let f = store::near_relatives::get(&s.conn, i.id)?
        .ok_or_else(|| CmdError::not_found(format!("备案 {} 不存在", i.id)))?;
    if f.withdrawn_on.is_some() {
        return Err(CmdError::conflict("id", "此备案已撤销"));
    }
    let reason = check_withdraw_reason(&i.reason)?;
    let today = s.clock.today();
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        store::near_relatives::withdraw(tx, f.id, today, reason)?;
        stamp.record(
            tx,
            "near_relative.withdraw",
            "near_relative",
            Some(f.id),
            Some(&json!({"withdrawn_on": null})),
            Some(&json!({"withdrawn_on": today, "reason": reason})),
        )
    })?;
    let f = store::near_relatives::get(&s.conn, f.id)?
        .ok_or_else(|| CmdError::internal("备案读取失败"))?;
    filing_reply(s, f)
}
