//! The coordination meeting (协调会议) at the command boundary: convene it, put reviewed cases
//! on its agenda, record attendance, each unit's opinion and commitment, the decision with the
//! minutes, and close it. The county approver records the meeting; a member-unit user records
//! only their own unit's opinion.

mod reply;

use serde::Deserialize;
use serde_json::{json, Value};

use super::deliberation::{
    actor_of, case_view, check_version, facts, load_case, or_taken, state_of,
    take_expected_version, DelibCaseReply, Step,
};
use super::{input, Session, Stamp};
use crate::auth::Role;
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::store::deliberation::{self as st, AttendanceRow, MeetingRow, OpinionRow};
use crate::store::{self};
use crate::workflow::deliberation::{
    self as wf, required, transition, DelibAction, DelibActionKind, DelibError, DelibState,
};
use reply::{view, ListReply, ListedMeeting, MeetingReply};

const RECORDER: &[Role] = &[Role::Approver];
const READERS: &[Role] = &[Role::Approver, Role::MemberUnit, Role::Admin];

fn load_meeting(s: &Session, id: i64) -> CmdResult<MeetingRow> {
    st::get_meeting(&s.conn, id)?.ok_or_else(|| CmdError::not_found(format!("会议 {id} 不存在")))
}

/// The meeting as the user's page showed it: `expected_version` (taken out of the input) against
/// the meeting's version now. Every meeting command runs under the command's write lock.
fn load_expected(s: &Session, expected: Option<i64>, id: i64) -> CmdResult<MeetingRow> {
    let m = load_meeting(s, id)?;
    check_version(expected, m.version)?;
    Ok(m)
}

fn require_open(m: &MeetingRow) -> CmdResult<()> {
    if m.state == "open" {
        Ok(())
    } else {
        Err(DelibError::MeetingClosed.into())
    }
}

// ---- meeting.create / get / list ----

pub(crate) fn create(s: &mut Session, v: Value) -> CmdResult<MeetingReply> {
    let user = s.require(RECORDER, "召开一事一议协调会议")?.clone();
    let i: wf::MeetingInput = input(v)?;
    let settings = st::settings(&s.conn)?;
    let (i, units) = wf::check_meeting(&i, &settings.units, s.clock.today())?;
    let stamp = Stamp::of(s)?;
    let mut m = MeetingRow {
        id: 0,
        held_on: i.held_on,
        place: i.place,
        chair: i.chair,
        recorder: i.recorder,
        minutes: String::new(),
        state: "open".into(),
        quorum_rule: settings.quorum.as_str().into(),
        majority_rule: settings.majority.as_str().into(),
        created_by: user.id,
        created_at: stamp.at.clone(),
        closed_at: None,
        version: 0,
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
        stamp.record(
            tx,
            "meeting.create",
            "meeting",
            Some(id),
            None,
            Some(&after),
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

pub(crate) fn get(s: &mut Session, v: Value) -> CmdResult<MeetingReply> {
    s.require(READERS, "查看一事一议协调会议")?;
    let i: IdIn = input(v)?;
    let m = load_meeting(s, i.id)?;
    view(s, &m)
}

pub(crate) fn list(s: &mut Session, _: Value) -> CmdResult<ListReply> {
    s.require(READERS, "查看一事一议协调会议")?;
    let meetings = st::list_meetings(&s.conn)?
        .into_iter()
        .map(|m| ListedMeeting::of(s, m))
        .collect::<CmdResult<_>>()?;
    Ok(ListReply { meetings })
}

// ---- agenda ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemIn {
    meeting_id: i64,
    case_id: i64,
}

pub(crate) fn add_item(s: &mut Session, mut v: Value) -> CmdResult<MeetingReply> {
    let user = s.require(RECORDER, "把案件列入会议议程")?.clone();
    let expected = take_expected_version(&mut v)?;
    let i: ItemIn = input(v)?;
    let m = load_expected(s, expected, i.meeting_id)?;
    let before = load_case(s, i.case_id)?;
    let f = facts(s, &before, Some(&m))?;
    let next = transition(
        &state_of(&before)?,
        &DelibAction::Schedule,
        &actor_of(s, &user)?,
        &f,
    )
    .map_err(|e| or_taken(s, before.id, DelibActionKind::Schedule, e))?;
    let stamp = Stamp::of(s)?;
    let mut after = before.clone();
    after.state = next.as_str().into();
    after.meeting_id = Some(m.id);
    after.updated_at = stamp.at.clone();
    let data = json!({"meeting_id": m.id, "held_on": m.held_on});
    let step = Step {
        command: "meeting.add_item",
        user_id: user.id,
        kind: DelibActionKind::Schedule,
        data: &data,
    };
    with_tx(&mut s.conn, |tx| {
        st::add_item(tx, m.id, before.id)?;
        step.record(tx, &stamp, &before, &after)
    })?;
    view(s, &load_meeting(s, m.id)?)
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
    rows.iter()
        .find(|a| a.unit == unit)
        .ok_or_else(|| CmdError::invalid("unit", format!("“{unit}”不是本次会议邀请的成员单位")))
}

pub(crate) fn attendance(s: &mut Session, mut v: Value) -> CmdResult<MeetingReply> {
    s.require(RECORDER, "登记会议出席情况")?;
    let expected = take_expected_version(&mut v)?;
    let i: AttendanceIn = input(v)?;
    let m = load_expected(s, expected, i.meeting_id)?;
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
    view(s, &load_meeting(s, m.id)?)
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
    /// A county user entering the unit's opinion: the unit's signed paper opinion received.
    #[serde(default)]
    paper_opinion_ref: String,
}

pub(crate) fn opinion(s: &mut Session, mut v: Value) -> CmdResult<MeetingReply> {
    let user = s
        .require(&[Role::Approver, Role::MemberUnit], "登记成员单位意见")?
        .clone();
    let expected = take_expected_version(&mut v)?;
    let i: OpinionIn = input(v)?;
    let m = load_expected(s, expected, i.meeting_id)?;
    let c = load_case(s, i.case_id)?;
    let near = store::near_relatives::match_household(&s.conn, c.household_id)?;
    let my_unit = match user.role {
        Role::MemberUnit => Some(st::unit_of(&s.conn, user.id)?),
        _ => None,
    };
    let items = st::items(&s.conn, m.id)?;
    let attendance = st::attendance(&s.conn, m.id)?;
    let f = wf::OpinionFacts {
        user_id: user.id,
        my_unit: my_unit.as_ref().map(Option::as_deref),
        near_relative_user_ids: &near.user_ids,
        meeting_open: m.state == "open",
        on_agenda: state_of(&c)? == DelibState::OnAgenda
            && items
                .iter()
                .any(|it| it.case_id == c.id && it.decision.is_none()),
        case_number: &c.number,
        unit_status: attendance
            .iter()
            .find(|a| a.unit == i.unit)
            .map(|a| a.status.as_str()),
    };
    let (op, paper_ref) = wf::check_opinion(&f, &i.unit, &i.opinion, &i.paper_opinion_ref)?;
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
        recorded_by_name: user.display_name.clone(),
        recorded_at: stamp.at.clone(),
        paper_ref,
    };
    let audit = |o: &OpinionRow| json!({"case_id": o.case_id, "unit": o.unit, "opinion": o.opinion, "commitment": o.commitment, "paper_ref": o.paper_ref});
    with_tx(&mut s.conn, |tx| {
        st::upsert_opinion(tx, m.id, &row)?;
        let before = old.as_ref().map(audit);
        stamp.record(
            tx,
            "meeting.opinion",
            "meeting",
            Some(m.id),
            before.as_ref(),
            Some(&audit(&row)),
        )
    })?;
    view(s, &load_meeting(s, m.id)?)
}

// ---- the decision ----

pub(crate) fn decide(s: &mut Session, mut v: Value) -> CmdResult<DelibCaseReply> {
    let user = s.require(RECORDER, "登记会议决定")?.clone();
    let expected = take_expected_version(&mut v)?;
    let i: wf::DecisionInput = input(v)?;
    let m = load_expected(s, expected, i.meeting_id)?;
    let before = load_case(s, i.case_id)?;
    if before.meeting_id != Some(m.id) {
        return Err(DelibError::NoMeeting.into());
    }
    wf::check_held_on(m.held_on, s.clock.today())?;
    let (outcome, months) = wf::parse_outcome(&i, m.held_on)?;
    let f = facts(s, &before, Some(&m))?;
    let action = DelibAction::Decide {
        outcome: outcome.clone(),
        minutes: i.minutes.clone(),
    };
    let next = transition(&state_of(&before)?, &action, &actor_of(s, &user)?, &f)
        .map_err(|e| or_taken(s, before.id, DelibActionKind::Decide, e))?;
    let stamp = Stamp::of(s)?;
    let mut after = before.clone();
    after.state = next.as_str().into();
    after.updated_at = stamp.at.clone();
    let mf = f.meeting.as_ref().ok_or(DelibError::NoMeeting)?;
    let (payments, data) = st::record_decision(&mut after, &outcome, &months, m.id, m.held_on, mf);
    let minutes = i.minutes.trim().to_owned();
    let step = Step {
        command: "meeting.decide",
        user_id: user.id,
        kind: DelibActionKind::Decide,
        data: &data,
    };
    with_tx(&mut s.conn, |tx| {
        st::set_minutes(tx, m.id, &minutes)?;
        st::set_item_decision(tx, m.id, before.id, outcome.code())?;
        for p in &payments {
            st::insert_payment(tx, before.id, p)?;
        }
        step.record(tx, &stamp, &before, &after)
    })?;
    case_view(s, &load_case(s, before.id)?)
}

// ---- closing ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CloseIn {
    id: i64,
    /// The final minutes; the recorded ones are kept when absent.
    minutes: Option<String>,
}

pub(crate) fn close(s: &mut Session, mut v: Value) -> CmdResult<MeetingReply> {
    let user = s.require(RECORDER, "结束会议")?.clone();
    let expected = take_expected_version(&mut v)?;
    let i: CloseIn = input(v)?;
    let m = load_expected(s, expected, i.id)?;
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
    let data = json!({"meeting_id": m.id});
    let step = Step {
        command: "meeting.close",
        user_id: user.id,
        kind: DelibActionKind::Defer,
        data: &data,
    };
    with_tx(&mut s.conn, |tx| {
        st::set_minutes(tx, m.id, &minutes)?;
        st::close_meeting(tx, m.id, &stamp.at)?;
        for (before, after) in &mut deferred {
            after.updated_at = stamp.at.clone();
            st::set_item_decision(tx, m.id, before.id, "defer")?;
            step.record(tx, &stamp, before, after)?;
        }
        let ids: Vec<i64> = deferred.iter().map(|(b, _)| b.id).collect();
        let before = json!({"state": "open", "minutes": m.minutes});
        let after = json!({"state": "closed", "minutes": minutes, "deferred": ids});
        stamp.record(
            tx,
            "meeting.close",
            "meeting",
            Some(m.id),
            Some(&before),
            Some(&after),
        )
    })?;
    let m = load_meeting(s, m.id)?;
    view(s, &m)
}
