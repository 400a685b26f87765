//! The coordination meeting (协调会议) at the command boundary: convene it, put reviewed cases
//! on its agenda, record attendance, each unit's opinion and commitment, the decision with the
//! minutes, and close it. The county approver records the meeting; a member-unit user records
//! only their own unit's opinion.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use serde_json::{json, Value};

use super::deliberation::{
    actor_of, case_view, facts, load_case, meeting_facts, record_step, required, state_of,
};
use super::{input, output, Session, Stamp};
use crate::auth::Role;
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult, ErrorCode};
use crate::rules::money::{fen_from_yuan, yuan_text};
use crate::store::deliberation::{self as st, AttendanceRow, MeetingRow, OpinionRow, PaymentRow};
use crate::store::{self};
use crate::workflow::deliberation::{
    transition, DelibAction, DelibError, DelibState, Opinion, Outcome, Threshold,
};

const RECORDER: &[Role] = &[Role::Approver];

fn load_meeting(s: &Session, id: i64) -> CmdResult<MeetingRow> {
    st::get_meeting(&s.conn, id)?.ok_or_else(|| CmdError::not_found(format!("会议 {id} 不存在")))
}

fn require_open(m: &MeetingRow) -> CmdResult<()> {
    if m.state == "open" {
        Ok(())
    } else {
        Err(DelibError::MeetingClosed.into())
    }
}

fn rule(code: &str) -> Threshold {
    Threshold::parse(code).unwrap_or(Threshold::MoreThanHalf)
}

/// The meeting page: agenda with each case's opinions and tally, attendance with the quorum,
/// and what this user may record.
fn view(s: &Session, m: &MeetingRow) -> CmdResult<Value> {
    let user = s.user()?;
    let attendance = st::attendance(&s.conn, m.id)?;
    let present = attendance.iter().filter(|a| a.status == "present").count();
    let quorum = rule(&m.quorum_rule);
    let majority = rule(&m.majority_rule);
    let opinions = st::opinions(&s.conn, m.id)?;
    let mut items = Vec::new();
    for it in st::items(&s.conn, m.id)? {
        let c = st::get_case(&s.conn, it.case_id)?
            .ok_or_else(|| CmdError::internal("议程上的案件不存在"))?;
        let h = store::registry::household(&s.conn, c.household_id)?
            .ok_or_else(|| CmdError::internal("案件的家庭不存在"))?;
        let head = match h.head_id {
            Some(id) => store::registry::person(&s.conn, id)?.map(|p| p.facts.name),
            None => None,
        };
        let mf = meeting_facts(s, m, c.id)?;
        let ops: Vec<Value> = opinions
            .iter()
            .filter(|o| o.case_id == c.id)
            .map(|o| {
                json!({"unit": o.unit, "opinion": o.opinion,
                    "opinion_label": Opinion::parse(&o.opinion).map(|x| x.label()),
                    "commitment": o.commitment})
            })
            .collect();
        items.push(json!({
            "case_id": c.id, "number": c.number, "state": c.state,
            "state_label": state_of(&c)?.label(), "position": it.position,
            "decision": it.decision, "head_name": head, "township_name": h.township_name,
            "village_name": h.village_name, "special_matter": c.special_matter,
            "family_situation": c.family_situation,
            "proposed_amount": yuan_text(c.proposed_amount_fen), "proposed_measures": c.proposed_measures,
            "approved_amount": c.approved_amount_fen.map(yuan_text), "approved_measures": c.approved_measures,
            "responsible_units": serde_json::from_str::<Value>(&c.responsible_units).unwrap_or(Value::Null),
            "decision_note": c.decision_note,
            "opinions": ops,
            "tally": {"agree": mf.tally.agree, "agree_with_changes": mf.tally.agree_with_changes,
                "disagree": mf.tally.disagree, "silent": mf.tally.silent,
                "in_favour": mf.tally.in_favour()},
            "majority_met": majority.met(mf.tally.in_favour(), present),
        }));
    }
    let my_unit = if user.role == Role::MemberUnit {
        st::unit_of(&s.conn, user.id)?
    } else {
        None
    };
    let open = m.state == "open";
    output(json!({
        "id": m.id, "held_on": m.held_on, "place": m.place, "chair": m.chair,
        "recorder": m.recorder, "minutes": m.minutes, "state": m.state,
        "state_label": if open { "进行中" } else { "已结束" },
        "quorum": {"rule": quorum.as_str(), "label": quorum.label(), "expected": attendance.len(),
            "present": present, "met": quorum.met(present, attendance.len())},
        "majority": {"rule": majority.as_str(), "label": majority.label()},
        "attendance": attendance.iter().map(|a| json!({"unit": a.unit, "status": a.status,
            "representative": a.representative})).collect::<Vec<_>>(),
        "items": items,
        "can_record": open && user.role == Role::Approver,
        "my_unit": my_unit,
        "closed_at": m.closed_at,
    }))
}

// ---- meeting.create / get / list ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateIn {
    held_on: NaiveDate,
    place: String,
    chair: String,
    recorder: String,
    /// The member units invited; all configured units when absent.
    #[serde(default)]
    units: Option<Vec<String>>,
}

pub(crate) fn create(s: &mut Session, v: Value) -> CmdResult<Value> {
    let user = s.require(RECORDER, "召开一事一议协调会议")?.clone();
    let i: CreateIn = input(v)?;
    let place = required("place", &i.place, "会议地点")?;
    let chair = required("chair", &i.chair, "会议主持人")?;
    let recorder = required("recorder", &i.recorder, "会议记录人")?;
    let settings = st::settings(&s.conn)?;
    let units = match i.units {
        None => settings.units.clone(),
        Some(list) => {
            for (n, u) in list.iter().enumerate() {
                if !settings.units.contains(u) {
                    return Err(CmdError::invalid(
                        &format!("units[{n}]"),
                        format!("“{u}”不在成员单位名单中"),
                    ));
                }
            }
            settings
                .units
                .iter()
                .filter(|u| list.contains(u))
                .cloned()
                .collect()
        }
    };
    if units.is_empty() {
        return Err(CmdError::invalid("units", "请至少邀请一个成员单位"));
    }
    let stamp = Stamp::of(s)?;
    let mut m = MeetingRow {
        id: 0,
        held_on: i.held_on,
        place,
        chair,
        recorder,
        minutes: String::new(),
        state: "open".into(),
        quorum_rule: settings.quorum.as_str().into(),
        majority_rule: settings.majority.as_str().into(),
        created_by: user.id,
        created_at: stamp.at.clone(),
        closed_at: None,
    };
    m.id = with_tx(&mut s.conn, |tx| {
        let id = st::insert_meeting(tx, &m)?;
        for unit in &units {
            st::set_attendance(
                tx,
                id,
                &AttendanceRow {
                    unit: unit.clone(),
                    status: "invited".into(),
                    representative: String::new(),
                },
            )?;
        }
        stamp.record(
            tx,
            "meeting.create",
            "meeting",
            Some(id),
            None,
            Some(
                &json!({"held_on": m.held_on, "place": m.place, "chair": m.chair,
                "recorder": m.recorder, "units": units, "quorum": m.quorum_rule,
                "majority": m.majority_rule}),
            ),
        )?;
        Ok(id)
    })?;
    view(s, &m)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IdIn {
    id: i64,
}

pub(crate) fn get(s: &mut Session, v: Value) -> CmdResult<Value> {
    s.require(
        &[Role::Approver, Role::MemberUnit, Role::Admin],
        "查看一事一议协调会议",
    )?;
    let i: IdIn = input(v)?;
    let m = load_meeting(s, i.id)?;
    view(s, &m)
}

pub(crate) fn list(s: &mut Session, _: Value) -> CmdResult<Value> {
    s.require(
        &[Role::Approver, Role::MemberUnit, Role::Admin],
        "查看一事一议协调会议",
    )?;
    let mut out = Vec::new();
    for m in st::list_meetings(&s.conn)? {
        let attendance = st::attendance(&s.conn, m.id)?;
        let items = st::items(&s.conn, m.id)?;
        out.push(
            json!({"id": m.id, "held_on": m.held_on, "place": m.place, "chair": m.chair,
            "state": m.state, "state_label": if m.state == "open" { "进行中" } else { "已结束" },
            "items": items.len(),
            "undecided": items.iter().filter(|i| i.decision.is_none()).count(),
            "expected": attendance.len(),
            "present": attendance.iter().filter(|a| a.status == "present").count()}),
        );
    }
    output(json!({ "meetings": out }))
}

// ---- agenda ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemIn {
    meeting_id: i64,
    case_id: i64,
}

pub(crate) fn add_item(s: &mut Session, v: Value) -> CmdResult<Value> {
    let user = s.require(RECORDER, "把案件列入会议议程")?.clone();
    let i: ItemIn = input(v)?;
    let m = load_meeting(s, i.meeting_id)?;
    let before = load_case(s, i.case_id)?;
    let f = facts(s, &before, Some(&m))?;
    let next = transition(
        &state_of(&before)?,
        &DelibAction::Schedule,
        &actor_of(s, &user)?,
        &f,
    )?;
    let mut after = before.clone();
    let stamp = Stamp::of(s)?;
    after.state = next.as_str().into();
    after.meeting_id = Some(m.id);
    after.updated_at = stamp.at.clone();
    let data = json!({"meeting_id": m.id, "held_on": m.held_on});
    with_tx(&mut s.conn, |tx| {
        st::add_item(tx, m.id, before.id)?;
        record_step(
            tx,
            &stamp,
            "meeting.add_item",
            user.id,
            &before,
            &after,
            crate::workflow::deliberation::DelibActionKind::Schedule,
            &data,
        )
    })?;
    view(s, &m)
}

// ---- attendance ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AttendanceIn {
    meeting_id: i64,
    unit: String,
    status: String,
    #[serde(default)]
    representative: String,
}

pub(crate) fn attendance(s: &mut Session, v: Value) -> CmdResult<Value> {
    s.require(RECORDER, "登记会议出席情况")?;
    let i: AttendanceIn = input(v)?;
    let m = load_meeting(s, i.meeting_id)?;
    require_open(&m)?;
    if !["present", "absent", "invited"].contains(&i.status.as_str()) {
        return Err(CmdError::invalid(
            "status",
            format!(
                "出席情况“{}”无效，可选 present（出席）、absent（缺席）",
                i.status
            ),
        ));
    }
    let rows = st::attendance(&s.conn, m.id)?;
    let old = rows.iter().find(|a| a.unit == i.unit).ok_or_else(|| {
        CmdError::invalid("unit", format!("“{}”不是本次会议邀请的成员单位", i.unit))
    })?;
    let new = AttendanceRow {
        unit: old.unit.clone(),
        status: i.status.clone(),
        representative: i.representative.trim().to_owned(),
    };
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        st::set_attendance(tx, m.id, &new)?;
        stamp.record(
            tx,
            "meeting.attendance",
            "meeting",
            Some(m.id),
            Some(&json!({"unit": old.unit, "status": old.status, "representative": old.representative})),
            Some(&json!({"unit": new.unit, "status": new.status, "representative": new.representative})),
        )
    })?;
    view(s, &m)
}

// ---- opinions ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OpinionIn {
    meeting_id: i64,
    case_id: i64,
    unit: String,
    opinion: String,
    #[serde(default)]
    commitment: String,
}

pub(crate) fn opinion(s: &mut Session, v: Value) -> CmdResult<Value> {
    let user = s
        .require(&[Role::Approver, Role::MemberUnit], "登记成员单位意见")?
        .clone();
    let i: OpinionIn = input(v)?;
    let m = load_meeting(s, i.meeting_id)?;
    let c = load_case(s, i.case_id)?;
    let near = store::near_relatives::match_household(&s.conn, c.household_id)?;
    if near.user_ids.contains(&user.id) {
        return Err(DelibError::NearRelative.into());
    }
    if user.role == Role::MemberUnit {
        let mine = st::unit_of(&s.conn, user.id)?.ok_or_else(|| {
            CmdError::forbidden("您还没有对应的成员单位，请管理员在一事一议设置中指定")
        })?;
        if mine != i.unit {
            return Err(CmdError::forbidden(format!(
                "您代表{mine}，只能登记本单位的意见，不能登记{}的意见",
                i.unit
            )));
        }
    }
    require_open(&m)?;
    let on_agenda = st::items(&s.conn, m.id)?
        .iter()
        .any(|it| it.case_id == c.id && it.decision.is_none());
    if !on_agenda || state_of(&c)? != DelibState::OnAgenda {
        return Err(CmdError::new(
            ErrorCode::Conflict,
            format!("案件 {} 不在这次会议待议的议程上", c.number),
        ));
    }
    let att = st::attendance(&s.conn, m.id)?;
    let unit = att.iter().find(|a| a.unit == i.unit).ok_or_else(|| {
        CmdError::invalid("unit", format!("“{}”不是本次会议邀请的成员单位", i.unit))
    })?;
    if unit.status != "present" {
        return Err(CmdError::invalid(
            "unit",
            format!("{}未登记出席本次会议，请先登记出席再登记意见", i.unit),
        ));
    }
    let op = Opinion::parse(&i.opinion).ok_or_else(|| {
        CmdError::invalid(
            "opinion",
            format!(
                "意见“{}”无效，可选 agree（同意）、disagree（不同意）、agree_with_changes（修改后同意）",
                i.opinion
            ),
        )
    })?;
    let old = st::opinions(&s.conn, m.id)?
        .into_iter()
        .find(|o| o.case_id == c.id && o.unit == i.unit);
    let stamp = Stamp::of(s)?;
    let row = OpinionRow {
        case_id: c.id,
        unit: i.unit.clone(),
        opinion: op.as_str().into(),
        commitment: i.commitment.trim().to_owned(),
        recorded_by: user.id,
        recorded_at: stamp.at.clone(),
    };
    with_tx(&mut s.conn, |tx| {
        st::upsert_opinion(tx, m.id, &row)?;
        stamp.record(
            tx,
            "meeting.opinion",
            "meeting",
            Some(m.id),
            old.as_ref()
                .map(|o| json!({"case_id": o.case_id, "unit": o.unit, "opinion": o.opinion, "commitment": o.commitment}))
                .as_ref(),
            Some(&json!({"case_id": row.case_id, "unit": row.unit, "opinion": row.opinion, "commitment": row.commitment})),
        )
    })?;
    view(s, &m)
}

// ---- the decision ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StageIn {
    month: String,
    amount: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DecideIn {
    meeting_id: i64,
    case_id: i64,
    /// approve / reject / refer.
    decision: String,
    minutes: String,
    amount: Option<String>,
    #[serde(default)]
    measures: String,
    #[serde(default)]
    responsible_units: Vec<String>,
    /// Payment stages; one stage of the whole amount in the meeting's month when absent.
    #[serde(default)]
    stages: Vec<StageIn>,
    #[serde(default)]
    reasons: String,
    #[serde(default)]
    programme: String,
}

fn parse_month(field: &str, text: &str) -> CmdResult<String> {
    let t = text.trim();
    let ok = t.len() == 7
        && NaiveDate::parse_from_str(&format!("{t}-01"), "%Y-%m-%d").is_ok()
        && t.as_bytes()[4] == b'-';
    if ok {
        Ok(t.to_owned())
    } else {
        Err(CmdError::invalid(
            field,
            format!("月份“{text}”无效，请按 年-月 填写，如 2026-12"),
        ))
    }
}

pub(crate) fn decide(s: &mut Session, v: Value) -> CmdResult<Value> {
    let user = s.require(RECORDER, "登记会议决定")?.clone();
    let i: DecideIn = input(v)?;
    let m = load_meeting(s, i.meeting_id)?;
    let before = load_case(s, i.case_id)?;
    if before.meeting_id != Some(m.id) {
        return Err(DelibError::NoMeeting.into());
    }
    let mut months = Vec::new();
    let outcome = match i.decision.as_str() {
        "approve" => {
            let amount_fen = match &i.amount {
                Some(a) => fen_from_yuan("amount", a)?,
                None => return Err(CmdError::invalid("amount", "请填写决定的救助金额（元）")),
            };
            let mut stages_fen = Vec::new();
            for (n, st) in i.stages.iter().enumerate() {
                months.push(parse_month(&format!("stages[{n}].month"), &st.month)?);
                stages_fen.push(fen_from_yuan(&format!("stages[{n}].amount"), &st.amount)?);
            }
            if stages_fen.is_empty() {
                months.push(format!("{:04}-{:02}", m.held_on.year(), m.held_on.month()));
                stages_fen.push(amount_fen);
            }
            Outcome::Approve {
                amount_fen,
                measures: i.measures.clone(),
                responsible_units: i.responsible_units.iter().map(|u| u.trim().to_owned()).collect(),
                stages_fen,
            }
        }
        "reject" => Outcome::Reject {
            reasons: i.reasons.clone(),
        },
        "refer" => Outcome::Refer {
            programme: i.programme.clone(),
        },
        other => {
            return Err(CmdError::invalid(
                "decision",
                format!("决定“{other}”无效，可选 approve（同意救助）、reject（不予救助）、refer（转介常规救助）"),
            ))
        }
    };
    let f = facts(s, &before, Some(&m))?;
    let action = DelibAction::Decide {
        outcome: outcome.clone(),
        minutes: i.minutes.clone(),
    };
    let next = transition(&state_of(&before)?, &action, &actor_of(s, &user)?, &f)?;
    let stamp = Stamp::of(s)?;
    let mut after = before.clone();
    after.state = next.as_str().into();
    after.decision = Some(outcome.code().into());
    after.decided_on = Some(m.held_on);
    after.updated_at = stamp.at.clone();
    let mut payments = Vec::new();
    match &outcome {
        Outcome::Approve {
            amount_fen,
            measures,
            responsible_units,
            stages_fen,
        } => {
            after.approved_amount_fen = Some(*amount_fen);
            after.approved_measures = Some(measures.trim().to_owned());
            after.responsible_units = serde_json::to_string(responsible_units).expect("serializes");
            for (n, (fen, month)) in stages_fen.iter().zip(&months).enumerate() {
                payments.push(PaymentRow {
                    stage: n as u32 + 1,
                    planned_month: month.clone(),
                    amount_fen: *fen,
                    paid_on: None,
                    paid_by: None,
                });
            }
        }
        Outcome::Reject { reasons } => after.decision_note = Some(reasons.trim().to_owned()),
        Outcome::Refer { programme } => after.decision_note = Some(programme.trim().to_owned()),
    }
    let mf = f.meeting.clone().ok_or(DelibError::NoMeeting)?;
    let data = json!({
        "meeting_id": m.id, "decision": outcome.code(), "decision_label": outcome.label(),
        "amount": after.approved_amount_fen.map(yuan_text), "measures": after.approved_measures,
        "responsible_units": serde_json::from_str::<Value>(&after.responsible_units).unwrap_or(Value::Null),
        "stages": payments.iter().map(|p| json!({"stage": p.stage, "month": p.planned_month, "amount": yuan_text(p.amount_fen)})).collect::<Vec<_>>(),
        "note": after.decision_note,
        "expected": mf.expected, "present": mf.present,
        "agree": mf.tally.agree, "agree_with_changes": mf.tally.agree_with_changes,
        "disagree": mf.tally.disagree,
    });
    let minutes = i.minutes.trim().to_owned();
    with_tx(&mut s.conn, |tx| {
        st::set_minutes(tx, m.id, &minutes)?;
        st::set_item_decision(tx, m.id, before.id, outcome.code())?;
        for p in &payments {
            st::insert_payment(tx, before.id, p)?;
        }
        record_step(
            tx,
            &stamp,
            "meeting.decide",
            user.id,
            &before,
            &after,
            crate::workflow::deliberation::DelibActionKind::Decide,
            &data,
        )
    })?;
    case_view(s, &after)
}

// ---- closing ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CloseIn {
    id: i64,
    /// The final minutes; the recorded ones are kept when absent.
    minutes: Option<String>,
}

pub(crate) fn close(s: &mut Session, v: Value) -> CmdResult<Value> {
    let user = s.require(RECORDER, "结束会议")?.clone();
    let i: CloseIn = input(v)?;
    let m = load_meeting(s, i.id)?;
    require_open(&m)?;
    let minutes = i.minutes.unwrap_or_else(|| m.minutes.clone());
    let minutes = required("minutes", &minutes, "会议纪要（没有会议纪要不能结束会议）")?;
    let actor = actor_of(s, &user)?;
    let mut deferred = Vec::new();
    for it in st::items(&s.conn, m.id)?
        .into_iter()
        .filter(|it| it.decision.is_none())
    {
        let before = load_case(s, it.case_id)?;
        let f = facts(s, &before, Some(&m))?;
        let next = transition(&state_of(&before)?, &DelibAction::Defer, &actor, &f)?;
        let mut after = before.clone();
        after.state = next.as_str().into();
        after.meeting_id = None;
        deferred.push((before, after));
    }
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        st::set_minutes(tx, m.id, &minutes)?;
        st::close_meeting(tx, m.id, &stamp.at)?;
        for (before, after) in &mut deferred {
            after.updated_at = stamp.at.clone();
            st::set_item_decision(tx, m.id, before.id, "defer")?;
            record_step(
                tx,
                &stamp,
                "meeting.close",
                user.id,
                before,
                after,
                crate::workflow::deliberation::DelibActionKind::Defer,
                &json!({"meeting_id": m.id}),
            )?;
        }
        stamp.record(
            tx,
            "meeting.close",
            "meeting",
            Some(m.id),
            Some(&json!({"state": "open", "minutes": m.minutes})),
            Some(&json!({"state": "closed", "minutes": minutes,
                "deferred": deferred.iter().map(|(b, _)| b.id).collect::<Vec<_>>()})),
        )
    })?;
    let m = load_meeting(s, m.id)?;
    view(s, &m)
}
