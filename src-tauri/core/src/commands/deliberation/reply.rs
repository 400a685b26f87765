//! The typed reply of a 一事一议 case page (`deliberation.get`, also after filing and every step).

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use super::{actor_of, facts, state_of, ReceivedStored};
use crate::commands::Session;
use crate::error::{CmdError, CmdResult};
use crate::month::Month;
use crate::rules::money::yuan_text;
use crate::store::deliberation::{self as st, CaseRow};
use crate::store::{self};
use crate::workflow::deliberation::{available_actions, decision_label, state_label, step_label};

#[derive(Serialize, JsonSchema)]
pub(crate) struct ReceivedReply {
    programme: String,
    amount: String,
    note: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct PaymentReply {
    stage: u32,
    planned_month: String,
    amount: String,
    paid_on: Option<NaiveDate>,
    /// The month of the monthly run that carries the stage on its roster, and whether that
    /// month is locked (the stage is then paid by the run).
    roster_month: Option<Month>,
    paid_in_run: bool,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct VisitReply {
    visited_on: NaiveDate,
    visitor: String,
    findings: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct ActionChoice {
    action: &'static str,
    label: &'static str,
    /// Taken on the meeting page.
    via_meeting: bool,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct TimelineStep {
    at: String,
    user_name: String,
    action: String,
    action_label: String,
    from_state: String,
    from_label: &'static str,
    to_state: String,
    to_label: &'static str,
    data: Value,
}

/// The whole case: 申报表, decision, payments, visits, the steps this user may take now, and the
/// timeline.
#[derive(Serialize, JsonSchema)]
pub(crate) struct DelibCaseReply {
    id: i64,
    number: String,
    /// Bumped by every step; send it back as `expected_version` when acting.
    version: i64,
    state: String,
    state_label: &'static str,
    waiting_for: &'static str,
    household_id: i64,
    head_name: Option<String>,
    township_id: i64,
    township_name: String,
    village_name: String,
    family_situation: String,
    special_matter: String,
    received: Vec<ReceivedReply>,
    received_total: String,
    proposed_amount: String,
    proposed_measures: String,
    reporting_unit: String,
    township_opinion: String,
    filed_on: NaiveDate,
    filed_by: i64,
    filed_by_name: Option<String>,
    review_opinion: Option<String>,
    reviewed_on: Option<NaiveDate>,
    reviewed_by_name: Option<String>,
    meeting_id: Option<i64>,
    decision: Option<String>,
    decision_label: Option<&'static str>,
    decision_note: Option<String>,
    approved_amount: Option<String>,
    approved_measures: Option<String>,
    responsible_units: Vec<String>,
    decided_on: Option<NaiveDate>,
    signed_off_by_name: Option<String>,
    signed_off_on: Option<NaiveDate>,
    notice_start: Option<NaiveDate>,
    notice_end: Option<NaiveDate>,
    notice_days: u32,
    outcome: Option<String>,
    closed_on: Option<NaiveDate>,
    payments: Vec<PaymentReply>,
    visits: Vec<VisitReply>,
    available_actions: Vec<ActionChoice>,
    timeline: Vec<TimelineStep>,
}

pub(super) fn user_name(s: &Session, id: Option<i64>) -> CmdResult<Option<String>> {
    Ok(match id {
        Some(id) => store::users::get(&s.conn, id)?.map(|u| u.display_name),
        None => None,
    })
}

/// The case page as the signed-in user sees it now.
pub(crate) fn case_view(s: &Session, c: &CaseRow) -> CmdResult<DelibCaseReply> {
    let user = s.user()?;
    let state = state_of(c)?;
    let f = facts(s, c, None)?;
    let actor = actor_of(s, user)?;
    let h = store::registry::household(&s.conn, c.household_id)?
        .ok_or_else(|| CmdError::internal("案件的家庭不存在"))?;
    let head_name = match h.head_id {
        Some(id) => store::registry::person(&s.conn, id)?.map(|p| p.facts.name),
        None => None,
    };
    let received: Vec<ReceivedStored> = serde_json::from_str(&c.received).unwrap_or_default();
    Ok(DelibCaseReply {
        id: c.id,
        version: c.version,
        number: c.number.clone(),
        state: c.state.clone(),
        state_label: state.label(),
        waiting_for: state.waiting_for(),
        household_id: c.household_id,
        head_name,
        township_id: c.township_id,
        township_name: h.township_name,
        village_name: h.village_name,
        family_situation: c.family_situation.clone(),
        special_matter: c.special_matter.clone(),
        received_total: yuan_text(received.iter().map(|r| r.amount_fen).sum()),
        received: received
            .into_iter()
            .map(|r| ReceivedReply {
                programme: r.programme,
                amount: yuan_text(r.amount_fen),
                note: r.note,
            })
            .collect(),
        proposed_amount: yuan_text(c.proposed_amount_fen),
        proposed_measures: c.proposed_measures.clone(),
        reporting_unit: c.reporting_unit.clone(),
        township_opinion: c.township_opinion.clone(),
        filed_on: c.filed_on,
        filed_by: c.filed_by,
        filed_by_name: user_name(s, Some(c.filed_by))?,
        review_opinion: c.review_opinion.clone(),
        reviewed_on: c.reviewed_on,
        reviewed_by_name: user_name(s, c.reviewed_by)?,
        meeting_id: c.meeting_id,
        decision: c.decision.clone(),
        decision_label: c.decision.as_deref().map(decision_label),
        decision_note: c.decision_note.clone(),
        approved_amount: c.approved_amount_fen.map(yuan_text),
        approved_measures: c.approved_measures.clone(),
        responsible_units: serde_json::from_str(&c.responsible_units).unwrap_or_default(),
        decided_on: c.decided_on,
        signed_off_by_name: user_name(s, c.signed_off_by)?,
        signed_off_on: c.signed_off_on,
        notice_start: c.notice_start,
        notice_end: f.notice_end(),
        notice_days: f.notice_days,
        outcome: c.outcome.clone(),
        closed_on: c.closed_on,
        payments: st::payments(&s.conn, c.id)?
            .into_iter()
            .map(|p| PaymentReply {
                roster_month: f.rosters.iter().find(|r| r.0 == p.stage).map(|r| r.1),
                paid_in_run: f.run_paid.contains(&p.stage),
                stage: p.stage,
                planned_month: p.planned_month,
                amount: yuan_text(p.amount_fen),
                paid_on: p.paid_on,
            })
            .collect(),
        visits: st::visits(&s.conn, c.id)?
            .into_iter()
            .map(|v| VisitReply {
                visited_on: v.visited_on,
                visitor: v.visitor,
                findings: v.findings,
            })
            .collect(),
        available_actions: available_actions(state, &actor, &f)
            .into_iter()
            .map(|k| ActionChoice {
                action: k.as_str(),
                label: k.label(),
                via_meeting: k.via_meeting(),
            })
            .collect(),
        timeline: store::timeline::list(&s.conn, store::timeline::Timeline::Deliberation, c.id)?
            .into_iter()
            .map(|t| TimelineStep {
                action_label: step_label(&t.action),
                from_label: state_label(&t.from_state),
                to_label: state_label(&t.to_state),
                data: serde_json::from_str(&t.data).unwrap_or(Value::Null),
                at: t.at,
                user_name: t.user_name,
                action: t.action,
                from_state: t.from_state,
                to_state: t.to_state,
            })
            .collect(),
    })
}
