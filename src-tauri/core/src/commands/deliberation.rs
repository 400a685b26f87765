//! 一事一议 cases at the command boundary: file a 申报表, read and list cases, take a step on the
//! case page (`deliberation.act`), the coordination mechanism's settings, and the cases waiting
//! for the signed-in user (for 待我处理). Meeting steps are in `meeting.rs`.
//!
//! Every step runs the pure transition function first; a refused step writes nothing.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::queue::{self, QueueItem};
use super::{input, output, Session, Stamp};
use crate::auth::{Role, User};
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::rules::money::{fen_from_yuan, yuan_text};
use crate::store::deliberation::{self as st, CaseRow, DelibSettings, MeetingRow, VisitRow};
use crate::store::{self};
use crate::workflow::deliberation::{
    available_actions, check_filer, tally, transition, DelibAction, DelibActionKind, DelibFacts,
    DelibState, MeetingFacts, Opinion, Threshold,
};
use crate::workflow::Actor;

const FILERS: &[Role] = &[Role::Caseworker, Role::Reviewer, Role::Approver];

/// The workflow's view of the signed-in user.
pub(super) fn actor_of(s: &Session, user: &User) -> CmdResult<Actor> {
    let area = store::areas::get(&s.conn, user.area_id)?;
    let is_county = area.is_some_and(|a| a.level == store::areas::Level::County);
    Ok(Actor {
        user_id: user.id,
        role: user.role,
        township_id: user.role.works_in_township().then_some(user.area_id),
        is_county,
    })
}

pub(super) fn required(field: &str, text: &str, what: &str) -> CmdResult<String> {
    let t = text.trim();
    if t.is_empty() {
        Err(CmdError::invalid(field, format!("请填写{what}")))
    } else {
        Ok(t.to_owned())
    }
}

pub(super) fn state_of(c: &CaseRow) -> CmdResult<DelibState> {
    DelibState::parse(&c.state)
        .ok_or_else(|| CmdError::internal(format!("一事一议案件状态“{}”无法识别", c.state)))
}

/// A case the signed-in user may see: township staff see their own township's only.
pub(super) fn load_case(s: &Session, id: i64) -> CmdResult<CaseRow> {
    let user = s.user()?;
    let c = st::get_case(&s.conn, id)?
        .ok_or_else(|| CmdError::not_found(format!("一事一议案件 {id} 不存在")))?;
    if user.role.works_in_township() && user.area_id != c.township_id {
        return Err(CmdError::forbidden(
            "此案件不属于您所在的乡镇，您只能查看和办理本乡镇的案件",
        ));
    }
    Ok(c)
}

/// What a meeting knows about one case on its agenda.
pub(super) fn meeting_facts(s: &Session, m: &MeetingRow, case_id: i64) -> CmdResult<MeetingFacts> {
    let attendance = st::attendance(&s.conn, m.id)?;
    let present: Vec<&str> = attendance
        .iter()
        .filter(|a| a.status == "present")
        .map(|a| a.unit.as_str())
        .collect();
    let opinions: Vec<Opinion> = st::opinions(&s.conn, m.id)?
        .into_iter()
        .filter(|o| o.case_id == case_id && present.contains(&o.unit.as_str()))
        .filter_map(|o| Opinion::parse(&o.opinion))
        .collect();
    Ok(MeetingFacts {
        open: m.state == "open",
        expected: attendance.len(),
        present: present.len(),
        tally: tally(present.len(), &opinions),
        units: attendance.iter().map(|a| a.unit.clone()).collect(),
        quorum: Threshold::parse(&m.quorum_rule).unwrap_or(Threshold::MoreThanHalf),
        majority: Threshold::parse(&m.majority_rule).unwrap_or(Threshold::MoreThanHalf),
    })
}

/// The facts of a case for the transition function; `meeting` is the meeting the step belongs
/// to (by default the one holding the case).
pub(super) fn facts(
    s: &Session,
    c: &CaseRow,
    meeting: Option<&MeetingRow>,
) -> CmdResult<DelibFacts> {
    let near = store::near_relatives::match_household(&s.conn, c.household_id)?;
    let held = match (meeting, c.meeting_id) {
        (Some(m), _) => Some(m.clone()),
        (None, Some(id)) => st::get_meeting(&s.conn, id)?,
        (None, None) => None,
    };
    let meeting = match &held {
        Some(m) => Some(meeting_facts(s, m, c.id)?),
        None => None,
    };
    let payments = st::payments(&s.conn, c.id)?;
    let notice_days = match c.notice_days {
        Some(d) => d,
        None => store::calendar::workflow_settings(&s.conn)?.notice_days,
    };
    Ok(DelibFacts {
        township_id: c.township_id,
        filed_by: c.filed_by,
        near_relative_user_ids: near.user_ids,
        today: s.clock.today(),
        meeting,
        notice_start: c.notice_start,
        notice_days,
        unpaid_stages: payments
            .iter()
            .filter(|p| p.paid_on.is_none())
            .map(|p| p.stage)
            .collect(),
        paid_stages: payments
            .iter()
            .filter(|p| p.paid_on.is_some())
            .map(|p| p.stage)
            .collect(),
        visits: st::visits(&s.conn, c.id)?.len(),
    })
}

/// Apply one step to a case inside a transaction: new state, the step row and the audit row.
#[allow(clippy::too_many_arguments)]
pub(super) fn record_step(
    tx: &rusqlite::Connection,
    stamp: &Stamp,
    command: &str,
    user_id: i64,
    before: &CaseRow,
    after: &CaseRow,
    kind: DelibActionKind,
    data: &Value,
) -> CmdResult<()> {
    st::update_case(tx, after)?;
    st::insert_step(
        tx,
        after.id,
        kind.as_str(),
        &before.state,
        &after.state,
        user_id,
        &stamp.at,
        &data.to_string(),
    )?;
    stamp.record(
        tx,
        command,
        "deliberation_case",
        Some(after.id),
        Some(&json!({"state": before.state})),
        Some(&json!({"state": after.state, "action": kind.as_str(), "data": data})),
    )
}

// ---- the case as the UI reads it ----

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct ReceivedIn {
    programme: String,
    amount: String,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize, Serialize)]
pub(crate) struct ReceivedStored {
    pub(crate) programme: String,
    pub(crate) amount_fen: i64,
    pub(crate) note: String,
}

fn user_name(s: &Session, id: Option<i64>) -> CmdResult<Option<String>> {
    Ok(match id {
        Some(id) => store::users::get(&s.conn, id)?.map(|u| u.display_name),
        None => None,
    })
}

fn decision_label(code: &str) -> &'static str {
    match code {
        "approve" => "同意救助",
        "reject" => "不予救助",
        "refer" => "转介常规救助",
        "defer" => "未作决定，移出议程",
        _ => "",
    }
}

fn action_label(code: &str) -> String {
    if code == "file" {
        return "申报".into();
    }
    if code == "document" {
        return "生成文书".into();
    }
    DelibActionKind::ALL
        .into_iter()
        .find(|k| k.as_str() == code)
        .map(|k| k.label().to_owned())
        .unwrap_or_else(|| code.to_owned())
}

fn state_label(code: &str) -> &'static str {
    DelibState::parse(code).map(|s| s.label()).unwrap_or("")
}

/// The whole case: 申报表, decision, payments, visits, the steps this user may take now, and the
/// timeline.
pub(super) fn case_view(s: &Session, c: &CaseRow) -> CmdResult<Value> {
    let user = s.user()?;
    let state = state_of(c)?;
    let f = facts(s, c, None)?;
    let actor = actor_of(s, user)?;
    let actions: Vec<Value> = available_actions(state, &actor, &f)
        .into_iter()
        .map(|k| json!({"action": k.as_str(), "label": k.label(), "via_meeting": k.via_meeting()}))
        .collect();
    let h = store::registry::household(&s.conn, c.household_id)?
        .ok_or_else(|| CmdError::internal("案件的家庭不存在"))?;
    let head_name = match h.head_id {
        Some(id) => store::registry::person(&s.conn, id)?.map(|p| p.facts.name),
        None => None,
    };
    let received: Vec<ReceivedStored> = serde_json::from_str(&c.received).unwrap_or_default();
    let received_total: i64 = received.iter().map(|r| r.amount_fen).sum();
    let units: Vec<String> = serde_json::from_str(&c.responsible_units).unwrap_or_default();
    let payments: Vec<Value> = st::payments(&s.conn, c.id)?
        .iter()
        .map(|p| {
            json!({"stage": p.stage, "planned_month": p.planned_month, "amount": yuan_text(p.amount_fen),
                "paid_on": p.paid_on})
        })
        .collect();
    let visits: Vec<Value> = st::visits(&s.conn, c.id)?
        .iter()
        .map(|v| json!({"visited_on": v.visited_on, "visitor": v.visitor, "findings": v.findings}))
        .collect();
    let timeline: Vec<Value> = st::steps(&s.conn, c.id)?
        .into_iter()
        .map(|t| {
            json!({"at": t.at, "user_name": t.user_name, "action": t.action,
                "action_label": action_label(&t.action),
                "from_state": t.from_state, "from_label": state_label(&t.from_state),
                "to_state": t.to_state, "to_label": state_label(&t.to_state),
                "data": serde_json::from_str::<Value>(&t.data).unwrap_or(Value::Null)})
        })
        .collect();
    let mut view = json!({
        "id": c.id, "number": c.number, "state": c.state, "state_label": state.label(),
        "waiting_for": state.waiting_for(),
        "household_id": c.household_id, "head_name": head_name,
        "township_id": c.township_id, "township_name": h.township_name, "village_name": h.village_name,
        "family_situation": c.family_situation, "special_matter": c.special_matter,
        "received": received.iter().map(|r| json!({"programme": r.programme, "amount": yuan_text(r.amount_fen), "note": r.note})).collect::<Vec<_>>(),
        "received_total": yuan_text(received_total),
        "proposed_amount": yuan_text(c.proposed_amount_fen), "proposed_measures": c.proposed_measures,
        "reporting_unit": c.reporting_unit, "township_opinion": c.township_opinion,
        "filed_on": c.filed_on, "filed_by": c.filed_by, "filed_by_name": user_name(s, Some(c.filed_by))?,
        "review_opinion": c.review_opinion, "reviewed_on": c.reviewed_on,
        "reviewed_by_name": user_name(s, c.reviewed_by)?,
    });
    let decision = json!({
        "meeting_id": c.meeting_id,
        "decision": c.decision, "decision_label": c.decision.as_deref().map(decision_label),
        "decision_note": c.decision_note,
        "approved_amount": c.approved_amount_fen.map(yuan_text), "approved_measures": c.approved_measures,
        "responsible_units": units, "decided_on": c.decided_on,
        "signed_off_by_name": user_name(s, c.signed_off_by)?, "signed_off_on": c.signed_off_on,
        "notice_start": c.notice_start, "notice_end": f.notice_end(), "notice_days": f.notice_days,
        "outcome": c.outcome, "closed_on": c.closed_on,
        "payments": payments, "visits": visits,
        "available_actions": actions, "timeline": timeline,
    });
    if let (Some(v), Value::Object(d)) = (view.as_object_mut(), decision) {
        v.extend(d);
    }
    output(view)
}

// ---- deliberation.file ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileIn {
    household_id: i64,
    family_situation: String,
    special_matter: String,
    #[serde(default)]
    received: Vec<ReceivedIn>,
    proposed_amount: String,
    proposed_measures: String,
    reporting_unit: String,
    township_opinion: String,
    filed_on: Option<NaiveDate>,
}

pub(crate) fn file(s: &mut Session, v: Value) -> CmdResult<Value> {
    let user = s.require(FILERS, "申报一事一议")?.clone();
    let i: FileIn = input(v)?;
    let h = store::registry::household(&s.conn, i.household_id)?.ok_or_else(|| {
        CmdError::invalid("household_id", format!("家庭 {} 不存在", i.household_id))
    })?;
    let near = store::near_relatives::match_household(&s.conn, h.id)?;
    check_filer(&actor_of(s, &user)?, h.township_id, &near.user_ids)?;
    let family_situation = required("family_situation", &i.family_situation, "家庭基本情况")?;
    let special_matter = required("special_matter", &i.special_matter, "特殊困难事项")?;
    let mut received = Vec::new();
    for (n, r) in i.received.iter().enumerate() {
        let programme = required(
            &format!("received[{n}].programme"),
            &r.programme,
            "已享受的救助项目名称",
        )?;
        let amount_fen = fen_from_yuan(&format!("received[{n}].amount"), &r.amount)?;
        received.push(ReceivedStored {
            programme,
            amount_fen,
            note: r.note.trim().to_owned(),
        });
    }
    let proposed_amount_fen = fen_from_yuan("proposed_amount", &i.proposed_amount)?;
    if proposed_amount_fen == 0 {
        return Err(CmdError::invalid("proposed_amount", "拟救助金额必须大于 0"));
    }
    let proposed_measures = required(
        "proposed_measures",
        &i.proposed_measures,
        "拟采取的救助措施",
    )?;
    let reporting_unit = required("reporting_unit", &i.reporting_unit, "申报单位")?;
    let township_opinion = required("township_opinion", &i.township_opinion, "申报单位意见")?;
    let today = s.clock.today();
    let filed_on = i.filed_on.unwrap_or(today);
    if filed_on > today {
        return Err(CmdError::invalid(
            "filed_on",
            format!("申报日期 {filed_on} 晚于今天，不能预先登记"),
        ));
    }
    let stamp = Stamp::of(s)?;
    let number = st::next_number(&s.conn, filed_on.year())?;
    let mut row = CaseRow {
        id: 0,
        number,
        household_id: h.id,
        township_id: h.township_id,
        state: DelibState::Filed.as_str().into(),
        family_situation,
        special_matter,
        received: serde_json::to_string(&received).expect("serializes"),
        proposed_amount_fen,
        proposed_measures,
        reporting_unit,
        township_opinion,
        filed_on,
        filed_by: user.id,
        review_opinion: None,
        reviewed_by: None,
        reviewed_on: None,
        meeting_id: None,
        decision: None,
        decision_note: None,
        approved_amount_fen: None,
        approved_measures: None,
        responsible_units: "[]".into(),
        decided_on: None,
        signed_off_by: None,
        signed_off_on: None,
        notice_start: None,
        notice_days: None,
        outcome: None,
        closed_on: None,
        created_at: stamp.at.clone(),
        updated_at: stamp.at.clone(),
    };
    let id = with_tx(&mut s.conn, |tx| {
        let id = st::insert_case(tx, &row)?;
        let data = json!({"number": row.number, "household_id": row.household_id,
            "special_matter": row.special_matter, "proposed_amount": yuan_text(row.proposed_amount_fen)});
        st::insert_step(
            tx,
            id,
            "file",
            "",
            "filed",
            user.id,
            &stamp.at,
            &data.to_string(),
        )?;
        stamp.record(
            tx,
            "deliberation.file",
            "deliberation_case",
            Some(id),
            None,
            Some(&json!({"state": "filed", "data": data})),
        )?;
        Ok(id)
    })?;
    row.id = id;
    case_view(s, &row)
}

// ---- deliberation.get / list ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IdIn {
    id: i64,
}

pub(crate) fn get(s: &mut Session, v: Value) -> CmdResult<Value> {
    s.user()?;
    let i: IdIn = input(v)?;
    let c = load_case(s, i.id)?;
    case_view(s, &c)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListIn {
    #[serde(default)]
    state: Option<String>,
    /// Only the cases waiting for the signed-in user, as 待我处理 items.
    #[serde(default)]
    mine: bool,
}

pub(crate) fn list(s: &mut Session, v: Value) -> CmdResult<Value> {
    let user = s.user()?.clone();
    let i: ListIn = input(v)?;
    if i.mine {
        let items = queue_items(s, s.clock.today())?;
        return output(json!({ "items": items }));
    }
    let states: Vec<&str> = match i.state.as_deref() {
        None | Some("") => vec![],
        Some("open") => DelibState::ALL
            .iter()
            .filter(|st| !st.is_final())
            .map(|st| st.as_str())
            .collect(),
        Some(code) => match DelibState::parse(code) {
            Some(st) => vec![st.as_str()],
            None => {
                return Err(CmdError::invalid(
                    "state",
                    format!("状态“{code}”无效，可选 open 或某一案件状态"),
                ))
            }
        },
    };
    let township = user.role.works_in_township().then_some(user.area_id);
    let cases: Vec<Value> = st::list_cases(&s.conn, township, &states)?
        .into_iter()
        .map(|l| {
            let c = &l.case;
            json!({"id": c.id, "number": c.number, "state": c.state, "state_label": state_label(&c.state),
                "household_id": c.household_id, "head_name": l.head_name,
                "township_name": l.township_name, "village_name": l.village_name,
                "special_matter": c.special_matter, "proposed_amount": yuan_text(c.proposed_amount_fen),
                "approved_amount": c.approved_amount_fen.map(yuan_text), "filed_on": c.filed_on,
                "meeting_id": c.meeting_id})
        })
        .collect();
    output(json!({ "cases": cases }))
}

// ---- deliberation.act ----

#[derive(Deserialize, Serialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
enum ActIn {
    Review {
        id: i64,
        opinion: String,
    },
    Return {
        id: i64,
        reasons: String,
    },
    Resubmit {
        id: i64,
        note: String,
    },
    SignOff {
        id: i64,
        #[serde(default)]
        note: String,
    },
    StartNotice {
        id: i64,
        start: NaiveDate,
    },
    Pay {
        id: i64,
        stage: u32,
        paid_on: NaiveDate,
    },
    Visit {
        id: i64,
        visited_on: NaiveDate,
        visitor: String,
        findings: String,
    },
    Close {
        id: i64,
        outcome: String,
    },
}

const ACT_ACTIONS: [&str; 8] = [
    "review",
    "return",
    "resubmit",
    "sign_off",
    "start_notice",
    "pay",
    "visit",
    "close",
];

pub(crate) fn act(s: &mut Session, v: Value) -> CmdResult<Value> {
    let user = s.user()?.clone();
    let action = v.get("action").and_then(Value::as_str).unwrap_or("");
    if !ACT_ACTIONS.contains(&action) {
        let via_meeting = ["schedule", "decide", "defer"].contains(&action);
        let msg = if via_meeting {
            format!("“{}”须在会议页面办理", action_label(action))
        } else {
            format!(
                "请指明要办理的步骤 action，可选：{}",
                ACT_ACTIONS.join("、")
            )
        };
        return Err(CmdError::invalid("action", msg));
    }
    let i: ActIn = input(v)?;
    let id = match &i {
        ActIn::Review { id, .. }
        | ActIn::Return { id, .. }
        | ActIn::Resubmit { id, .. }
        | ActIn::SignOff { id, .. }
        | ActIn::StartNotice { id, .. }
        | ActIn::Pay { id, .. }
        | ActIn::Visit { id, .. }
        | ActIn::Close { id, .. } => *id,
    };
    let before = load_case(s, id)?;
    let state = state_of(&before)?;
    let action = match &i {
        ActIn::Review { opinion, .. } => DelibAction::Review {
            opinion: opinion.clone(),
        },
        ActIn::Return { reasons, .. } => DelibAction::Return {
            reasons: reasons.clone(),
        },
        ActIn::Resubmit { note, .. } => DelibAction::Resubmit { note: note.clone() },
        ActIn::SignOff { .. } => DelibAction::SignOff,
        ActIn::StartNotice { start, .. } => DelibAction::StartNotice { start: *start },
        ActIn::Pay { stage, paid_on, .. } => DelibAction::RecordPayment {
            stage: *stage,
            paid_on: *paid_on,
        },
        ActIn::Visit { findings, .. } => DelibAction::RecordVisit {
            findings: findings.clone(),
        },
        ActIn::Close { outcome, .. } => DelibAction::Close {
            outcome: outcome.clone(),
        },
    };
    let f = facts(s, &before, None)?;
    let next = transition(&state, &action, &actor_of(s, &user)?, &f)?;
    let today = s.clock.today();
    if let ActIn::Visit {
        visited_on,
        visitor,
        ..
    } = &i
    {
        required("visitor", visitor, "回访人员")?;
        if *visited_on > today {
            return Err(CmdError::invalid(
                "visited_on",
                format!("回访日期 {visited_on} 晚于今天，不能预先登记"),
            ));
        }
    }
    let mut after = before.clone();
    after.state = next.as_str().into();
    let stamp = Stamp::of(s)?;
    after.updated_at = stamp.at.clone();
    match &i {
        ActIn::Review { opinion, .. } => {
            after.review_opinion = Some(opinion.trim().to_owned());
            after.reviewed_by = Some(user.id);
            after.reviewed_on = Some(today);
        }
        ActIn::Return { reasons, .. } => {
            after.review_opinion = Some(reasons.trim().to_owned());
            after.reviewed_by = Some(user.id);
            after.reviewed_on = Some(today);
        }
        ActIn::Resubmit { .. } | ActIn::Pay { .. } | ActIn::Visit { .. } => {}
        ActIn::SignOff { .. } => {
            after.signed_off_by = Some(user.id);
            after.signed_off_on = Some(today);
        }
        ActIn::StartNotice { start, .. } => {
            after.notice_start = Some(*start);
            after.notice_days = Some(f.notice_days);
        }
        ActIn::Close { outcome, .. } => {
            after.outcome = Some(outcome.trim().to_owned());
            after.closed_on = Some(today);
        }
    }
    let mut data = serde_json::to_value(&i).expect("serializes");
    if let Some(o) = data.as_object_mut() {
        o.remove("id");
        o.remove("action");
    }
    let kind = action.kind();
    with_tx(&mut s.conn, |tx| {
        match &i {
            ActIn::Pay { stage, paid_on, .. } => st::mark_paid(tx, id, *stage, *paid_on, user.id)?,
            ActIn::Visit {
                visited_on,
                visitor,
                findings,
                ..
            } => {
                st::insert_visit(
                    tx,
                    id,
                    &VisitRow {
                        id: 0,
                        visited_on: *visited_on,
                        visitor: visitor.trim().to_owned(),
                        findings: findings.trim().to_owned(),
                        recorded_by: user.id,
                        recorded_at: stamp.at.clone(),
                    },
                )?;
            }
            _ => {}
        }
        record_step(
            tx,
            &stamp,
            "deliberation.act",
            user.id,
            &before,
            &after,
            kind,
            &data,
        )
    })?;
    case_view(s, &after)
}

// ---- settings ----

fn threshold_choices() -> Vec<Value> {
    Threshold::ALL
        .iter()
        .map(|t| json!({"code": t.as_str(), "label": t.label()}))
        .collect()
}

fn settings_view(s: &Session, d: &DelibSettings) -> CmdResult<Value> {
    let mut user_units = Vec::new();
    for (user_id, unit) in st::user_units(&s.conn)? {
        let name = user_name(s, Some(user_id))?.unwrap_or_default();
        user_units.push(json!({"user_id": user_id, "display_name": name, "unit": unit}));
    }
    output(json!({
        "units": d.units, "quorum": d.quorum.as_str(), "quorum_label": d.quorum.label(),
        "majority": d.majority.as_str(), "majority_label": d.majority.label(),
        "thresholds": threshold_choices(), "user_units": user_units,
        "default_units": st::DEFAULT_UNITS,
    }))
}

pub(crate) fn settings(s: &mut Session, _: Value) -> CmdResult<Value> {
    s.user()?;
    let d = st::settings(&s.conn)?;
    settings_view(s, &d)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UserUnitIn {
    user_id: i64,
    unit: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetSettingsIn {
    units: Vec<String>,
    quorum: String,
    majority: String,
    #[serde(default)]
    user_units: Vec<UserUnitIn>,
}

fn parse_threshold(field: &str, code: &str) -> CmdResult<Threshold> {
    Threshold::parse(code).ok_or_else(|| {
        let all: Vec<String> = Threshold::ALL
            .iter()
            .map(|t| format!("{}（{}）", t.as_str(), t.label()))
            .collect();
        CmdError::invalid(field, format!("规则“{code}”无效，可选：{}", all.join("、")))
    })
}

pub(crate) fn set_settings(s: &mut Session, v: Value) -> CmdResult<Value> {
    s.require(&[Role::Admin], "修改一事一议设置")?;
    let i: SetSettingsIn = input(v)?;
    let mut units: Vec<String> = Vec::new();
    for (n, u) in i.units.iter().enumerate() {
        let u = required(&format!("units[{n}]"), u, "成员单位名称")?;
        if units.contains(&u) {
            return Err(CmdError::invalid(
                &format!("units[{n}]"),
                format!("成员单位“{u}”重复"),
            ));
        }
        units.push(u);
    }
    if units.is_empty() {
        return Err(CmdError::invalid("units", "请至少填写一个成员单位"));
    }
    let d = DelibSettings {
        units,
        quorum: parse_threshold("quorum", &i.quorum)?,
        majority: parse_threshold("majority", &i.majority)?,
    };
    let mut pairs: Vec<(i64, String)> = Vec::new();
    for (n, uu) in i.user_units.iter().enumerate() {
        let field = format!("user_units[{n}]");
        let u = store::users::get(&s.conn, uu.user_id)?.ok_or_else(|| {
            CmdError::invalid(
                &format!("{field}.user_id"),
                format!("用户 {} 不存在", uu.user_id),
            )
        })?;
        if u.role != Role::MemberUnit {
            return Err(CmdError::invalid(
                &format!("{field}.user_id"),
                format!(
                    "{}是{}，只有成员单位代表才能对应成员单位",
                    u.display_name,
                    u.role.label()
                ),
            ));
        }
        let unit = uu.unit.trim().to_owned();
        if !d.units.contains(&unit) {
            return Err(CmdError::invalid(
                &format!("{field}.unit"),
                format!("“{unit}”不在成员单位名单中"),
            ));
        }
        if pairs.iter().any(|(id, _)| *id == u.id) {
            return Err(CmdError::invalid(
                &format!("{field}.user_id"),
                format!("{}已对应了一个成员单位", u.display_name),
            ));
        }
        pairs.push((u.id, unit));
    }
    let old = st::settings(&s.conn)?;
    let old_pairs = st::user_units(&s.conn)?;
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        st::set_settings(tx, &d)?;
        st::set_user_units(tx, &pairs)?;
        stamp.record(
            tx,
            "deliberation.set_settings",
            "setting",
            None,
            Some(&json!({"units": old.units, "quorum": old.quorum.as_str(),
                "majority": old.majority.as_str(), "user_units": old_pairs})),
            Some(&json!({"units": d.units, "quorum": d.quorum.as_str(),
                "majority": d.majority.as_str(), "user_units": pairs})),
        )
    })?;
    settings_view(s, &d)
}

// ---- 待我处理 ----

/// The 一事一议 cases the signed-in user can act on now, for `work.queue`.
pub(crate) fn queue_items(s: &Session, today: NaiveDate) -> CmdResult<Vec<QueueItem>> {
    let user = s.user()?;
    let actor = actor_of(s, user)?;
    let township = user.role.works_in_township().then_some(user.area_id);
    let open: Vec<&str> = DelibState::ALL
        .iter()
        .filter(|st| !st.is_final())
        .map(|st| st.as_str())
        .collect();
    let mut items = Vec::new();
    for l in st::list_cases(&s.conn, township, &open)? {
        let c = &l.case;
        let state = state_of(c)?;
        let mut f = facts(s, c, None)?;
        f.today = today;
        let actions = available_actions(state, &actor, &f);
        if actions.is_empty() {
            continue;
        }
        // Payment may start the day after the 公示 ends.
        let deadline = match state {
            DelibState::OnNotice => f.notice_end().map(|e| e + Duration::days(1)),
            _ => None,
        };
        items.push(QueueItem {
            kind: "deliberation",
            kind_label: "一事一议".into(),
            id: c.id,
            number: c.number.clone(),
            household_id: Some(c.household_id),
            head_name: l.head_name.clone(),
            township_name: l.township_name.clone(),
            village_name: l.village_name.clone(),
            state_label: state.label().into(),
            waiting_for: state.waiting_for().into(),
            actions: actions.iter().map(|k| k.label().to_owned()).collect(),
            deadline,
            overdue: false,
        });
    }
    queue::sort(&mut items);
    Ok(items)
}
