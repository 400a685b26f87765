//! What the 一事一议 workflow needs to know, loaded from the database: the facts of a case
//! ([`case_facts`]) and of the meeting holding it ([`meeting_facts`]); and a permitted step
//! written into the case record ([`record_action`], [`record_decision`]).

use chrono::NaiveDate;
use rusqlite::Connection;
use serde_json::{json, Value};

use super::super::timeline::{self, Timeline};
use super::{get_meeting, payments, visits, CaseRow, MeetingRow, PaymentRow};
use crate::error::CmdResult;
use crate::month::Month;
use crate::rules::money::yuan_text;
use crate::workflow::deliberation::{
    tally, DelibAction, DelibActionKind, DelibFacts, MeetingFacts, Opinion, Outcome, Threshold,
};

/// What a meeting knows about one case on its agenda: only present units' opinions count.
pub fn meeting_facts(conn: &Connection, m: &MeetingRow, case_id: i64) -> CmdResult<MeetingFacts> {
    let attendance = super::attendance(conn, m.id)?;
    let present: Vec<&str> = attendance
        .iter()
        .filter(|a| a.status == "present")
        .map(|a| a.unit.as_str())
        .collect();
    let opinions: Vec<Opinion> = super::opinions(conn, m.id)?
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

/// The facts of a case for the transition function as of `today`; `meeting` is the meeting the
/// step belongs to (by default the one holding the case).
pub fn case_facts(
    conn: &Connection,
    c: &CaseRow,
    meeting: Option<&MeetingRow>,
    today: NaiveDate,
) -> CmdResult<DelibFacts> {
    let near = crate::store::near_relatives::match_household(conn, c.household_id)?;
    let held = match (meeting, c.meeting_id) {
        (Some(m), _) => Some(m.clone()),
        (None, Some(id)) => get_meeting(conn, id)?,
        (None, None) => None,
    };
    let meeting = match &held {
        Some(m) => Some(meeting_facts(conn, m, c.id)?),
        None => None,
    };
    let payments = payments(conn, c.id)?;
    let rosters = super::stage_rosters(conn, c.id)?;
    let settings = crate::store::calendar::workflow_settings(conn)?;
    let notice_days = c.notice_days.unwrap_or(settings.notice_days);
    let notice_calendar = settings.notice_calendar(&crate::store::calendar::load(conn)?);
    let stages = |paid: bool| {
        payments
            .iter()
            .filter(|p| p.paid_on.is_some() == paid)
            .map(|p| p.stage)
            .collect()
    };
    Ok(DelibFacts {
        township_id: c.township_id,
        filed_by: c.filed_by,
        near_relative_user_ids: near.user_ids,
        today,
        meeting,
        notice_start: c.notice_start,
        notice_days,
        notice_calendar,
        notice_end_fixed: c.notice_end,
        unpaid_stages: stages(false),
        paid_stages: stages(true),
        visits: visits(conn, c.id)?.len(),
        signed_off_on: c.signed_off_on,
        decided_by: timeline::list(conn, Timeline::Deliberation, c.id)?
            .into_iter()
            .rev()
            .find(|s| s.action == DelibActionKind::Decide.as_str())
            .map(|s| s.user_id),
        signed_off_by: c.signed_off_by,
        stage_months: payments
            .iter()
            .filter_map(|p| Some((p.stage, Month::parse(&p.planned_month)?)))
            .collect(),
        rosters: rosters.iter().map(|(s, m, _)| (*s, *m)).collect(),
        run_paid: rosters.iter().filter(|r| r.2).map(|(s, _, _)| *s).collect(),
    })
}

/// A permitted case-page step written into the case record (not yet saved): who and when, and
/// what the step sets. Payments and visits have rows of their own.
pub fn record_action(
    c: &mut CaseRow,
    action: &DelibAction,
    user_id: i64,
    today: NaiveDate,
    f: &DelibFacts,
) {
    match action {
        DelibAction::Review { opinion: text } | DelibAction::Return { reasons: text } => {
            c.review_opinion = Some(text.trim().to_owned());
            c.reviewed_by = Some(user_id);
            c.reviewed_on = Some(today);
        }
        DelibAction::SignOff => {
            c.signed_off_by = Some(user_id);
            c.signed_off_on = Some(today);
        }
        DelibAction::StartNotice { start } => {
            // The end is fixed now: a later change of the settings or the calendar does not
            // move a running notice.
            c.notice_start = Some(*start);
            c.notice_days = Some(f.notice_days);
            c.notice_end = Some(f.notice_end_from(*start));
        }
        DelibAction::Close { outcome } => {
            c.outcome = Some(outcome.trim().to_owned());
            c.closed_on = Some(today);
        }
        DelibAction::Resubmit { .. }
        | DelibAction::RecordPayment { .. }
        | DelibAction::RecordVisit { .. }
        | DelibAction::Schedule
        | DelibAction::Decide { .. }
        | DelibAction::Defer => {}
    }
}

/// The meeting's decision written into the case record (not yet saved), with the payment
/// stages of an approval, and what the step records: the decision, its terms and the tally.
pub fn record_decision(
    c: &mut CaseRow,
    outcome: &Outcome,
    months: &[Month],
    meeting_id: i64,
    held_on: NaiveDate,
    mf: &MeetingFacts,
) -> (Vec<PaymentRow>, Value) {
    c.decision = Some(outcome.code().into());
    c.decided_on = Some(held_on);
    let mut payments = Vec::new();
    match outcome {
        Outcome::Approve {
            amount_fen,
            measures,
            responsible_units,
            stages_fen,
        } => {
            c.approved_amount_fen = Some(*amount_fen);
            c.approved_measures = Some(measures.trim().to_owned());
            c.responsible_units =
                serde_json::to_string(responsible_units).unwrap_or_else(|_| "[]".into());
            for (n, (fen, month)) in stages_fen.iter().zip(months).enumerate() {
                payments.push(PaymentRow {
                    stage: n as u32 + 1,
                    planned_month: month.to_string(),
                    amount_fen: *fen,
                    paid_on: None,
                    paid_by: None,
                });
            }
        }
        Outcome::Reject { reasons } => c.decision_note = Some(reasons.trim().to_owned()),
        Outcome::Refer { programme } => c.decision_note = Some(programme.trim().to_owned()),
    }
    let stages: Vec<Value> = payments
        .iter()
        .map(|p| json!({"stage": p.stage, "month": p.planned_month, "amount": yuan_text(p.amount_fen)}))
        .collect();
    let data = json!({
        "meeting_id": meeting_id, "decision": outcome.code(), "decision_label": outcome.label(),
        "amount": c.approved_amount_fen.map(yuan_text), "measures": c.approved_measures,
        "responsible_units": serde_json::from_str::<Value>(&c.responsible_units).unwrap_or(Value::Null),
        "stages": stages,
        "note": c.decision_note,
        "expected": mf.expected, "present": mf.present,
        "agree": mf.tally.agree, "agree_with_changes": mf.tally.agree_with_changes,
        "disagree": mf.tally.disagree,
    });
    (payments, data)
}
