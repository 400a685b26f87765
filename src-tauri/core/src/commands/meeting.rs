//! The coordination meeting (协调会议) at the command boundary: convene it, put reviewed cases
//! on its agenda, record attendance, each unit's opinion and commitment, the decision with the
//! minutes, and close it. The county approver records the meeting; a member-unit user records
//! only their own unit's opinion.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::deliberation::{actor_of, case_view, facts, load_case, state_of, DelibCaseReply, Step};
use super::{input, Session, Stamp};
use crate::auth::Role;
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult, ErrorCode};
use crate::rules::money::yuan_text;
use crate::store::deliberation::{self as st, AttendanceRow, MeetingRow, OpinionRow, PaymentRow};
use crate::store::{self};
use crate::workflow::deliberation::{
    self as wf, meeting_state_label, required, transition, DelibAction, DelibActionKind,
    DelibError, DelibState, Opinion, Outcome, Threshold,
};

const RECORDER: &[Role] = &[Role::Approver];
const READERS: &[Role] = &[Role::Approver, Role::MemberUnit, Role::Admin];

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

#[derive(Serialize, JsonSchema)]
pub(crate) struct Rule {
    rule: &'static str,
    label: &'static str,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct Quorum {
    #[serde(flatten)]
    rule: Rule,
    expected: usize,
    present: usize,
    met: bool,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct Attendance {
    unit: String,
    status: String,
    representative: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct UnitOpinion {
    unit: String,
    opinion: String,
    opinion_label: Option<&'static str>,
    commitment: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct TallyReply {
    agree: usize,
    agree_with_changes: usize,
    disagree: usize,
    silent: usize,
    in_favour: usize,
}

/// A case on the agenda with the units' opinions and the live tally.
#[derive(Serialize, JsonSchema)]
pub(crate) struct Item {
    case_id: i64,
    number: String,
    state: String,
    state_label: &'static str,
    position: i64,
    decision: Option<String>,
    head_name: Option<String>,
    township_name: String,
    village_name: String,
    special_matter: String,
    family_situation: String,
    proposed_amount: String,
    proposed_measures: String,
    approved_amount: Option<String>,
    approved_measures: Option<String>,
    responsible_units: Vec<String>,
    decision_note: Option<String>,
    opinions: Vec<UnitOpinion>,
    tally: TallyReply,
    majority_met: bool,
}

/// The meeting page.
#[derive(Serialize, JsonSchema)]
pub(crate) struct MeetingReply {
    id: i64,
    held_on: NaiveDate,
    place: String,
    chair: String,
    recorder: String,
    minutes: String,
    state: String,
    state_label: &'static str,
    quorum: Quorum,
    majority: Rule,
    attendance: Vec<Attendance>,
    items: Vec<Item>,
    /// The approver, while the meeting is open.
    can_record: bool,
    /// The unit a member-unit user speaks for.
    my_unit: Option<String>,
    closed_at: Option<String>,
}

/// The meeting page: agenda with each case's opinions and tally, attendance with the quorum,
/// and what this user may record.
fn view(s: &Session, m: &MeetingRow) -> CmdResult<MeetingReply> {
    let user = s.user()?;
    let attendance = st::attendance(&s.conn, m.id)?;
    let present = attendance.iter().filter(|a| a.status == "present").count();
    let (quorum, majority) = (rule(&m.quorum_rule), rule(&m.majority_rule));
    let opinions = st::opinions(&s.conn, m.id)?;
    let mut items = Vec::new();
    for it in st::items(&s.conn, m.id)? {
        let c = st::get_case(&s.conn, it.case_id)?
            .ok_or_else(|| CmdError::internal("议程上的案件不存在"))?;
        let h = store::registry::household(&s.conn, c.household_id)?
            .ok_or_else(|| CmdError::internal("案件的家庭不存在"))?;
        let head_name = match h.head_id {
            Some(id) => store::registry::person(&s.conn, id)?.map(|p| p.facts.name),
            None => None,
        };
        let t = st::meeting_facts(&s.conn, m, c.id)?.tally;
        items.push(Item {
            case_id: c.id,
            state_label: state_of(&c)?.label(),
            position: it.position,
            decision: it.decision,
            head_name,
            township_name: h.township_name,
            village_name: h.village_name,
            proposed_amount: yuan_text(c.proposed_amount_fen),
            approved_amount: c.approved_amount_fen.map(yuan_text),
            responsible_units: serde_json::from_str(&c.responsible_units).unwrap_or_default(),
            opinions: opinions
                .iter()
                .filter(|o| o.case_id == c.id)
                .map(|o| UnitOpinion {
                    unit: o.unit.clone(),
                    opinion: o.opinion.clone(),
                    opinion_label: Opinion::parse(&o.opinion).map(|x| x.label()),
                    commitment: o.commitment.clone(),
                })
                .collect(),
            tally: TallyReply {
                agree: t.agree,
                agree_with_changes: t.agree_with_changes,
                disagree: t.disagree,
                silent: t.silent,
                in_favour: t.in_favour(),
            },
            majority_met: majority.met(t.in_favour(), present),
            number: c.number,
            state: c.state,
            special_matter: c.special_matter,
            family_situation: c.family_situation,
            proposed_measures: c.proposed_measures,
            approved_measures: c.approved_measures,
            decision_note: c.decision_note,
        });
    }
    let my_unit = match user.role {
        Role::MemberUnit => st::unit_of(&s.conn, user.id)?,
        _ => None,
    };
    Ok(MeetingReply {
        id: m.id,
        held_on: m.held_on,
        place: m.place.clone(),
        chair: m.chair.clone(),
        recorder: m.recorder.clone(),
        minutes: m.minutes.clone(),
        state: m.state.clone(),
        state_label: meeting_state_label(&m.state),
        quorum: Quorum {
            rule: Rule { rule: quorum.as_str(), label: quorum.label() },
            expected: attendance.len(),
            present,
            met: quorum.met(present, attendance.len()),
        },
        majority: Rule { rule: majority.as_str(), label: majority.label() },
        attendance: attendance
            .into_iter()
            .map(|a| Attendance { unit: a.unit, status: a.status, representative: a.representative })
            .collect(),
        items,
        can_record: m.state == "open" && user.role == Role::Approver,
        my_unit,
        closed_at: m.closed_at.clone(),
    })
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

pub(crate) fn create(s: &mut Session, v: Value) -> CmdResult<MeetingReply> {
    let user = s.require(RECORDER, "召开一事一议协调会议")?.clone();
    let i: CreateIn = input(v)?;
    let place = required("place", &i.place, "会议地点")?;
    let chair = required("chair", &i.chair, "会议主持人")?;
    let recorder = required("recorder", &i.recorder, "会议记录人")?;
    let settings = st::settings(&s.conn)?;
    let units = wf::invited_units(&settings.units, i.units.as_deref())?;
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
            let invited = AttendanceRow {
                unit: unit.clone(),
                status: "invited".into(),
                representative: String::new(),
            };
            st::set_attendance(tx, id, &invited)?;
        }
        let after = json!({"held_on": m.held_on, "place": m.place, "chair": m.chair,
            "recorder": m.recorder, "units": units, "quorum": m.quorum_rule,
            "majority": m.majority_rule});
        stamp.record(tx, "meeting.create", "meeting", Some(id), None, Some(&after))?;
        Ok(id)
    })?;
    view(s, &m)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IdIn {
    id: i64,
}

pub(crate) fn get(s: &mut Session, v: Value) -> CmdResult<MeetingReply> {
    s.require(READERS, "查看一事一议协调会议")?;
    let i: IdIn = input(v)?;
    let m = load_meeting(s, i.id)?;
    view(s, &m)
}

/// A meeting in the list.
#[derive(Serialize, JsonSchema)]
pub(crate) struct ListedMeeting {
    id: i64,
    held_on: NaiveDate,
    place: String,
    chair: String,
    state: String,
    state_label: &'static str,
    /// Cases on the agenda, and those not yet decided.
    items: usize,
    undecided: usize,
    expected: usize,
    present: usize,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct ListReply {
    meetings: Vec<ListedMeeting>,
}

pub(crate) fn list(s: &mut Session, _: Value) -> CmdResult<ListReply> {
    s.require(READERS, "查看一事一议协调会议")?;
    let mut meetings = Vec::new();
    for m in st::list_meetings(&s.conn)? {
        let attendance = st::attendance(&s.conn, m.id)?;
        let items = st::items(&s.conn, m.id)?;
        meetings.push(ListedMeeting {
            id: m.id,
            held_on: m.held_on,
            place: m.place,
            chair: m.chair,
            state_label: meeting_state_label(&m.state),
            state: m.state,
            items: items.len(),
            undecided: items.iter().filter(|i| i.decision.is_none()).count(),
            expected: attendance.len(),
            present: attendance.iter().filter(|a| a.status == "present").count(),
        });
    }
    Ok(ListReply { meetings })
}

// ---- agenda ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemIn {
    meeting_id: i64,
    case_id: i64,
}

pub(crate) fn add_item(s: &mut Session, v: Value) -> CmdResult<MeetingReply> {
    let user = s.require(RECORDER, "把案件列入会议议程")?.clone();
    let i: ItemIn = input(v)?;
    let m = load_meeting(s, i.meeting_id)?;
    let before = load_case(s, i.case_id)?;
    let f = facts(s, &before, Some(&m))?;
    let next = transition(&state_of(&before)?, &DelibAction::Schedule, &actor_of(s, &user)?, &f)?;
    let stamp = Stamp::of(s)?;
    let mut after = before.clone();
    after.state = next.as_str().into();
    after.meeting_id = Some(m.id);
    after.updated_at = stamp.at.clone();
    let data = json!({"meeting_id": m.id, "held_on": m.held_on});
    let step = Step { command: "meeting.add_item", user_id: user.id, kind: DelibActionKind::Schedule, data: &data };
    with_tx(&mut s.conn, |tx| {
        st::add_item(tx, m.id, before.id)?;
        step.record(tx, &stamp, &before, &after)
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

fn invited<'a>(rows: &'a [AttendanceRow], unit: &str) -> CmdResult<&'a AttendanceRow> {
    rows.iter().find(|a| a.unit == unit).ok_or_else(|| {
        CmdError::invalid("unit", format!("“{unit}”不是本次会议邀请的成员单位"))
    })
}

pub(crate) fn attendance(s: &mut Session, v: Value) -> CmdResult<MeetingReply> {
    s.require(RECORDER, "登记会议出席情况")?;
    let i: AttendanceIn = input(v)?;
    let m = load_meeting(s, i.meeting_id)?;
    require_open(&m)?;
    wf::check_attendance(&i.status)?;
    let rows = st::attendance(&s.conn, m.id)?;
    let old = invited(&rows, &i.unit)?;
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

pub(crate) fn opinion(s: &mut Session, v: Value) -> CmdResult<MeetingReply> {
    let user = s.require(&[Role::Approver, Role::MemberUnit], "登记成员单位意见")?.clone();
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
    if invited(&st::attendance(&s.conn, m.id)?, &i.unit)?.status != "present" {
        return Err(CmdError::invalid(
            "unit",
            format!("{}未登记出席本次会议，请先登记出席再登记意见", i.unit),
        ));
    }
    let op = wf::parse_opinion(&i.opinion)?;
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
    let audit = |o: &OpinionRow| {
        json!({"case_id": o.case_id, "unit": o.unit, "opinion": o.opinion, "commitment": o.commitment})
    };
    with_tx(&mut s.conn, |tx| {
        st::upsert_opinion(tx, m.id, &row)?;
        let before = old.as_ref().map(audit);
        stamp.record(tx, "meeting.opinion", "meeting", Some(m.id), before.as_ref(), Some(&audit(&row)))
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

pub(crate) fn decide(s: &mut Session, v: Value) -> CmdResult<DelibCaseReply> {
    let user = s.require(RECORDER, "登记会议决定")?.clone();
    let i: DecideIn = input(v)?;
    let m = load_meeting(s, i.meeting_id)?;
    let before = load_case(s, i.case_id)?;
    if before.meeting_id != Some(m.id) {
        return Err(DelibError::NoMeeting.into());
    }
    let decision = wf::DecisionInput {
        decision: i.decision,
        amount: i.amount,
        measures: i.measures,
        responsible_units: i.responsible_units,
        stages: i.stages.into_iter().map(|s| (s.month, s.amount)).collect(),
        reasons: i.reasons,
        programme: i.programme,
    };
    let (outcome, months) = wf::parse_outcome(&decision, m.held_on)?;
    let f = facts(s, &before, Some(&m))?;
    let action = DelibAction::Decide { outcome: outcome.clone(), minutes: i.minutes.clone() };
    let next = transition(&state_of(&before)?, &action, &actor_of(s, &user)?, &f)?;
    let stamp = Stamp::of(s)?;
    let mut after = before.clone();
    after.state = next.as_str().into();
    after.decision = Some(outcome.code().into());
    after.decided_on = Some(m.held_on);
    after.updated_at = stamp.at.clone();
    let mut payments = Vec::new();
    match &outcome {
        Outcome::Approve { amount_fen, measures, responsible_units, stages_fen } => {
            after.approved_amount_fen = Some(*amount_fen);
            after.approved_measures = Some(measures.trim().to_owned());
            after.responsible_units = serde_json::to_string(responsible_units).expect("serializes");
            for (n, (fen, month)) in stages_fen.iter().zip(&months).enumerate() {
                payments.push(PaymentRow {
                    stage: n as u32 + 1,
                    planned_month: month.to_string(),
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
    let step = Step { command: "meeting.decide", user_id: user.id, kind: DelibActionKind::Decide, data: &data };
    with_tx(&mut s.conn, |tx| {
        st::set_minutes(tx, m.id, &minutes)?;
        st::set_item_decision(tx, m.id, before.id, outcome.code())?;
        for p in &payments {
            st::insert_payment(tx, before.id, p)?;
        }
        step.record(tx, &stamp, &before, &after)
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

pub(crate) fn close(s: &mut Session, v: Value) -> CmdResult<MeetingReply> {
    let user = s.require(RECORDER, "结束会议")?.clone();
    let i: CloseIn = input(v)?;
    let m = load_meeting(s, i.id)?;
    require_open(&m)?;
    let minutes = i.minutes.unwrap_or_else(|| m.minutes.clone());
    let minutes = required("minutes", &minutes, "会议纪要（没有会议纪要不能结束会议）")?;
    let actor = actor_of(s, &user)?;
    let mut deferred = Vec::new();
    for it in st::items(&s.conn, m.id)?.into_iter().filter(|it| it.decision.is_none()) {
        let before = load_case(s, it.case_id)?;
        let f = facts(s, &before, Some(&m))?;
        let next = transition(&state_of(&before)?, &DelibAction::Defer, &actor, &f)?;
        let mut after = before.clone();
        after.state = next.as_str().into();
        after.meeting_id = None;
        deferred.push((before, after));
    }
    let stamp = Stamp::of(s)?;
    let data = json!({"meeting_id": m.id});
    let step = Step { command: "meeting.close", user_id: user.id, kind: DelibActionKind::Defer, data: &data };
    with_tx(&mut s.conn, |tx| {
        st::set_minutes(tx, m.id, &minutes)?;
        st::close_meeting(tx, m.id, &stamp.at)?;
        for (before, after) in &mut deferred {
            after.updated_at = stamp.at.clone();
            st::set_item_decision(tx, m.id, before.id, "defer")?;
            step.record(tx, &stamp, before, after)?;
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
