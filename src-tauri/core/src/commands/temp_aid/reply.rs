//! The typed replies of the 临时救助 commands: the case page (`temp_aid.get`, also after
//! `create` and `act`), a listed case, and the choices.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use super::{actor_of, state_of};
use crate::commands::queue::QueueItem;
use crate::commands::Session;
use crate::error::CmdResult;
use crate::month::Month;
use crate::rules::money::yuan_text;
use crate::rules::TempAidLimits;
use crate::store::temp_aid::{Clocking, TempCase};
use crate::store::{self};
use crate::workflow::is_overdue;
use crate::workflow::temp::{self as wf, cause_label, kind_label, state_label, step_label};

/// Who did something and when.
#[derive(Serialize, JsonSchema)]
pub(crate) struct Signed {
    on: NaiveDate,
    by_name: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct Advance {
    amount: String,
    on: NaiveDate,
    by_name: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct CountyCheck {
    #[serde(flatten)]
    signed: Signed,
    findings: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct Override {
    #[serde(flatten)]
    signed: Signed,
    reason: Option<String>,
}

/// The household's earlier cases for the same cause this year, and the reviewer's override.
#[derive(Serialize, JsonSchema)]
pub(crate) struct Repeat {
    earlier: Vec<String>,
    #[serde(rename = "override")]
    override_: Option<Override>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct Referral {
    #[serde(flatten)]
    signed: Signed,
    opinion: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct Decision {
    #[serde(flatten)]
    signed: Signed,
    level: Option<String>,
    approved_amount: Option<String>,
    refusal_reasons: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct StageReply {
    no: u32,
    month: Month,
    amount: String,
    paid_on: Option<NaiveDate>,
    paid_by_name: Option<String>,
    /// The month of the monthly run that carries the stage on its roster, and whether that
    /// month is locked (the stage is then paid by the run).
    roster_month: Option<Month>,
    paid_in_run: bool,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct Choice {
    pub(crate) code: &'static str,
    pub(crate) label: &'static str,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct ActionChoice {
    action: &'static str,
    label: &'static str,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct TimelineStep {
    at: String,
    user_name: String,
    action: String,
    label: &'static str,
    from_state: String,
    from_label: &'static str,
    to_state: String,
    to_label: &'static str,
    /// What the step recorded.
    data: Value,
}

/// The case page.
#[derive(Serialize, JsonSchema)]
pub(crate) struct TempCaseReply {
    pub(crate) id: i64,
    number: String,
    /// Bumped by every step; send it back as `expected_version` when acting.
    version: i64,
    kind: String,
    kind_label: &'static str,
    cause: String,
    cause_label: &'static str,
    household_id: i64,
    head_name: String,
    township_id: i64,
    township_name: String,
    village_name: String,
    state: String,
    state_label: &'static str,
    waiting_for: &'static str,
    pub(crate) applied_on: NaiveDate,
    description: String,
    requested_amount: Option<String>,
    created_by_name: Option<String>,
    accepted_on: Option<NaiveDate>,
    accepted_by_name: Option<String>,
    investigated_on: Option<NaiveDate>,
    investigated_by_name: Option<String>,
    findings: Option<String>,
    advance: Option<Advance>,
    near_relative_flagged: bool,
    county_check: Option<CountyCheck>,
    pub(crate) repeat: Option<Repeat>,
    referral: Option<Referral>,
    decision: Option<Decision>,
    township_quota: Option<String>,
    cap: Option<String>,
    emergency_min: Option<String>,
    limits_error: Option<String>,
    reserve_balance: String,
    stages: Vec<StageReply>,
    paid_amount: String,
    unpaid_amount: String,
    closed_on: Option<NaiveDate>,
    deadline: Option<NaiveDate>,
    overdue: bool,
    available_actions: Vec<ActionChoice>,
    timeline: Vec<TimelineStep>,
}

impl TempCaseReply {
    /// The earlier same-cause case numbers ([] when none).
    pub(crate) fn earlier(&self) -> &[String] {
        self.repeat.as_ref().map_or(&[], |r| &r.earlier)
    }
}

/// A newly registered case, with the same-cause warning.
#[derive(Serialize, JsonSchema)]
pub(crate) struct CreatedReply {
    #[serde(flatten)]
    pub(crate) case: TempCaseReply,
    pub(crate) warning: Option<String>,
}

fn user_name(s: &Session, id: Option<i64>) -> CmdResult<Option<String>> {
    Ok(match id {
        Some(id) => store::users::get(&s.conn, id)?.map(|u| u.display_name),
        None => None,
    })
}

fn signed(s: &Session, on: Option<NaiveDate>, by: Option<i64>) -> Option<Signed> {
    on.map(|on| Signed {
        on,
        by_name: user_name(s, by).ok().flatten(),
    })
}

/// The case page: the record, limits, plan, what this user may do now, and the timeline.
pub(crate) fn view(
    s: &Session,
    c: &TempCase,
    limits: Result<TempAidLimits, String>,
) -> CmdResult<TempCaseReply> {
    let user = s.user()?;
    let today = s.clock.today();
    let state = state_of(c)?;
    let lim = limits.as_ref().ok().copied();
    let f = store::temp_aid::facts(&s.conn, c, lim, today)?;
    let stages = store::temp_aid::stages(&s.conn, c.id)?;
    // The next stage to pay by hand: one on a roster is the run's.
    let next_stage = f.stages.iter().find(|s| s.open()).map(|s| s.month);
    let deadline = Clocking::load(&s.conn)?.deadline(c, state, next_stage);
    let paid_fen: i64 = f
        .stages
        .iter()
        .filter(|s| s.paid())
        .map(|s| s.amount_fen)
        .sum();
    let planned_fen: i64 = stages.iter().map(|s| s.amount_fen).sum();
    let timeline = store::timeline::list(&s.conn, store::timeline::Timeline::TempAid, c.id)?
        .into_iter()
        .map(|st| TimelineStep {
            label: step_label(&st.action),
            from_label: state_label(&st.from_state),
            to_label: state_label(&st.to_state),
            data: serde_json::from_str(&st.data).unwrap_or(Value::Null),
            at: st.at,
            user_name: st.user_name,
            action: st.action,
            from_state: st.from_state,
            to_state: st.to_state,
        })
        .collect();
    let repeat = (!f.repeat_of.is_empty()).then(|| Repeat {
        earlier: f.repeat_of.clone(),
        override_: signed(s, c.override_on, c.override_by).map(|signed| Override {
            signed,
            reason: c.override_reason.clone(),
        }),
    });
    Ok(TempCaseReply {
        id: c.id,
        version: c.version,
        number: c.number.clone(),
        kind: c.kind.clone(),
        kind_label: kind_label(&c.kind),
        cause: c.cause.clone(),
        cause_label: cause_label(&c.cause).unwrap_or(""),
        household_id: c.household_id,
        head_name: c.head_name.clone(),
        township_id: c.township_id,
        township_name: c.township_name.clone(),
        village_name: c.village_name.clone(),
        state: c.state.clone(),
        state_label: state.label(),
        waiting_for: state.waiting_for(),
        applied_on: c.applied_on,
        description: c.description.clone(),
        requested_amount: c.requested_fen.map(yuan_text),
        created_by_name: user_name(s, Some(c.created_by))?,
        accepted_on: c.accepted_on,
        accepted_by_name: user_name(s, c.accepted_by)?,
        investigated_on: c.investigated_on,
        investigated_by_name: user_name(s, c.investigated_by)?,
        findings: c.findings.clone(),
        advance: c.advance_on.map(|on| Advance {
            amount: yuan_text(c.advance_fen),
            on,
            by_name: user_name(s, c.advance_by).ok().flatten(),
        }),
        near_relative_flagged: f.near_relative_flagged(),
        county_check: signed(s, c.county_check_on, c.county_check_by).map(|signed| CountyCheck {
            signed,
            findings: c.county_check_findings.clone(),
        }),
        repeat,
        referral: signed(s, c.referred_on, c.referred_by).map(|signed| Referral {
            signed,
            opinion: c.referral_opinion.clone(),
        }),
        decision: signed(s, c.decided_on, c.decided_by).map(|signed| Decision {
            signed,
            level: c.decision_level.clone(),
            approved_amount: c.approved_fen.map(yuan_text),
            refusal_reasons: c.refusal_reasons.clone(),
        }),
        township_quota: lim.map(|l| yuan_text(l.township_quota_fen)),
        cap: lim.map(|l| yuan_text(l.cap_fen)),
        emergency_min: lim.map(|l| yuan_text(l.emergency_min_fen)),
        limits_error: limits.err(),
        reserve_balance: yuan_text(f.reserve_balance_fen),
        paid_amount: yuan_text(c.advance_fen + paid_fen),
        unpaid_amount: yuan_text(planned_fen - paid_fen),
        stages: stages
            .into_iter()
            .zip(&f.stages)
            .map(|(st, fact)| StageReply {
                no: st.no,
                month: Month::of(st.month),
                amount: yuan_text(st.amount_fen),
                paid_on: st.paid_on,
                paid_by_name: st.paid_by_name,
                roster_month: fact.roster_month,
                paid_in_run: fact.roster_month.is_some() && fact.roster_locked,
            })
            .collect(),
        closed_on: c.closed_on,
        deadline,
        overdue: deadline.is_some_and(|d| is_overdue(d, today)),
        available_actions: wf::available_actions(state, &actor_of(user), &f)
            .into_iter()
            .map(|k| ActionChoice {
                action: k.as_str(),
                label: k.label(),
            })
            .collect(),
        timeline,
    })
}

/// A case in the list.
#[derive(Serialize, JsonSchema)]
pub(crate) struct ListedCase {
    id: i64,
    number: String,
    /// Bumped by every step; send it back as `expected_version` when acting.
    version: i64,
    kind: String,
    kind_label: &'static str,
    cause: String,
    cause_label: &'static str,
    household_id: i64,
    head_name: String,
    township_name: String,
    village_name: String,
    state: String,
    state_label: &'static str,
    applied_on: NaiveDate,
    advance_amount: Option<String>,
    approved_amount: Option<String>,
    deadline: Option<NaiveDate>,
    overdue: bool,
}

impl ListedCase {
    pub(crate) fn of(c: TempCase, deadline: Option<NaiveDate>, overdue: bool) -> ListedCase {
        ListedCase {
            kind_label: kind_label(&c.kind),
            cause_label: cause_label(&c.cause).unwrap_or(""),
            state_label: state_label(&c.state),
            advance_amount: (c.advance_fen > 0).then(|| yuan_text(c.advance_fen)),
            approved_amount: c.approved_fen.map(yuan_text),
            id: c.id,
            version: c.version,
            number: c.number,
            kind: c.kind,
            cause: c.cause,
            household_id: c.household_id,
            head_name: c.head_name,
            township_name: c.township_name,
            village_name: c.village_name,
            state: c.state,
            applied_on: c.applied_on,
            deadline,
            overdue,
        }
    }
}

/// A listed case, or with `mine` a work-queue item.
#[derive(Serialize, JsonSchema)]
#[serde(untagged)]
pub(crate) enum Listed {
    Case(ListedCase),
    Item(QueueItem),
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct ListReply {
    pub(crate) count: usize,
    pub(crate) cases: Vec<Listed>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct ChoicesReply {
    pub(crate) kinds: Vec<Choice>,
    pub(crate) causes: Vec<Choice>,
    pub(crate) states: Vec<Choice>,
    pub(crate) actions: Vec<Choice>,
    pub(crate) max_stages: usize,
}
