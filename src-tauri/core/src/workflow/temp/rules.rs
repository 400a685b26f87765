//! The pure transition function of a 临时救助 case: who may take which step, in which state,
//! under the quota, reserve-fund, same-cause, separation-of-duties and near-relative rules; and
//! the deadline of the step a case is waiting for.
//!
//! Checks run in a fixed order, so a user always hears about the most basic obstacle first:
//! near relative → role → township/county → state → 急难型 (for 先行救助) → separation of
//! duties → the step's own data: the county home check, the same-cause override, the amount,
//! the cap, the quota, the reserve fund, the payment plan.

use chrono::{Datelike, Duration, NaiveDate};

use super::error::{TempError, MAX_STAGES};
use super::state::{StagePlan, TempAction, TempActionKind, TempState};
use crate::auth::Role;
use crate::month::Month;
use crate::rules::TempAidKind;
use crate::workflow::{Actor, WorkCalendar};

/// One stage of an approved case's payment plan, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageFact {
    /// 1-based.
    pub no: u32,
    pub month: NaiveDate,
    pub amount_fen: i64,
    pub paid_on: Option<NaiveDate>,
    /// The month whose 月度发放 roster carries this stage: the run pays it, not a hand entry.
    pub roster_month: Option<Month>,
    /// That month is locked: the stage counts as paid by the run.
    pub roster_locked: bool,
}

impl StageFact {
    /// Still to be paid by hand: not paid and not on a roster.
    pub fn open(&self) -> bool {
        self.paid_on.is_none() && self.roster_month.is_none()
    }

    /// Paid: by hand, or by a monthly run whose month is locked.
    pub fn paid(&self) -> bool {
        self.paid_on.is_some() || (self.roster_month.is_some() && self.roster_locked)
    }
}

/// What the case record and the county's settings say, as of the moment of the step. The store
/// fills it in; nothing here reads the database or the clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TempFacts {
    pub kind: TempAidKind,
    pub township_id: i64,
    /// Who registered the application.
    pub created_by: i64,
    pub accepted_by: Option<i64>,
    /// Who recorded the survey or completed the paperwork after an advance.
    pub investigated_by: Option<i64>,
    /// Who granted the 先行救助, and how much (0 when none).
    pub advance_by: Option<i64>,
    pub advance_fen: i64,
    /// The township reviewer who referred the case to the county.
    pub referred_by: Option<i64>,
    /// Numbers of this household's earlier cases this calendar year for the same cause (not
    /// refused). Non-empty means the case repeats a cause.
    pub repeat_of: Vec<String>,
    /// The township reviewer who recorded the override of the same-cause rule.
    pub repeat_override_by: Option<i64>,
    /// Users declared (近亲属备案) as near relatives of a member of this family.
    pub near_relative_user_ids: Vec<i64>,
    /// The case matched a 近亲属备案 of someone who is not a user.
    pub near_relative_filed: bool,
    pub county_home_check_recorded: bool,
    /// The township's approval quota and the 临时救助 cap, in fen, from the standards in force
    /// on the application date.
    pub township_quota_fen: i64,
    pub cap_fen: i64,
    /// What is left in the township's reserve fund (备用金).
    pub reserve_balance_fen: i64,
    /// The payment plan, once approved.
    pub stages: Vec<StageFact>,
    pub today: NaiveDate,
}

impl TempFacts {
    /// A 近亲属备案 case: no money before the county home check.
    pub fn near_relative_flagged(&self) -> bool {
        self.near_relative_filed || !self.near_relative_user_ids.is_empty()
    }

    pub fn repeats_cause(&self) -> bool {
        !self.repeat_of.is_empty()
    }
}

/// The roles that take each step.
pub fn roles_for(kind: TempActionKind) -> &'static [Role] {
    match kind {
        TempActionKind::Accept
        | TempActionKind::RecordSurvey
        | TempActionKind::CompletePaperwork
        | TempActionKind::PayStage => &[Role::Caseworker],
        TempActionKind::GrantAdvance
        | TempActionKind::OverrideRepeat
        | TempActionKind::ApproveTownship
        | TempActionKind::ReferToCounty
        | TempActionKind::RefuseTownship => &[Role::Reviewer],
        TempActionKind::RecordCountyHomeCheck
        | TempActionKind::ApproveCounty
        | TempActionKind::RefuseCounty => &[Role::Approver],
    }
}

/// The steps each state takes.
pub fn actions_in(state: TempState) -> &'static [TempActionKind] {
    use TempActionKind as K;
    match state {
        TempState::Applied => &[
            K::Accept,
            K::GrantAdvance,
            K::OverrideRepeat,
            K::RecordCountyHomeCheck,
        ],
        TempState::Accepted => &[
            K::RecordSurvey,
            K::GrantAdvance,
            K::OverrideRepeat,
            K::RecordCountyHomeCheck,
        ],
        TempState::Advanced => &[K::CompletePaperwork, K::RecordCountyHomeCheck],
        TempState::Investigated => &[
            K::ApproveTownship,
            K::ReferToCounty,
            K::RefuseTownship,
            K::OverrideRepeat,
            K::RecordCountyHomeCheck,
        ],
        TempState::Referred => &[
            K::ApproveCounty,
            K::RefuseCounty,
            K::OverrideRepeat,
            K::RecordCountyHomeCheck,
        ],
        TempState::Approved => &[K::PayStage],
        TempState::Closed | TempState::Refused => &[],
    }
}

/// Take one step: the next state, or the rule that forbids it. Pure: the caller stores the
/// result, the step's data, any reserve-fund entry and the audit row.
pub fn transition(
    state: &TempState,
    action: &TempAction,
    actor: &Actor,
    facts: &TempFacts,
) -> Result<TempState, TempError> {
    check_actor(*state, action.kind(), actor, facts)?;
    check_step_data(action, facts)?;
    Ok(next_state(*state, action, facts))
}

/// Everything but the step's own data: whether this user may take this kind of step now.
pub fn check_actor(
    state: TempState,
    kind: TempActionKind,
    actor: &Actor,
    facts: &TempFacts,
) -> Result<(), TempError> {
    use TempActionKind as K;
    if facts.near_relative_user_ids.contains(&actor.user_id) {
        return Err(TempError::NearRelative);
    }
    if !roles_for(kind).contains(&actor.role) {
        return Err(TempError::RoleNotAllowed {
            action: kind,
            role: actor.role,
        });
    }
    if actor.role.works_in_township() {
        if actor.township_id != Some(facts.township_id) {
            return Err(TempError::OtherTownship);
        }
    } else if !actor.is_county {
        return Err(TempError::NotCountyStaff);
    }
    if !actions_in(state).contains(&kind) {
        return Err(TempError::WrongState {
            state,
            action: kind,
        });
    }
    if kind == K::GrantAdvance && facts.kind != TempAidKind::Emergency {
        return Err(TempError::NotEmergency);
    }
    let (decides, county) = match kind {
        K::GrantAdvance
        | K::OverrideRepeat
        | K::ApproveTownship
        | K::ReferToCounty
        | K::RefuseTownship => (true, false),
        K::ApproveCounty | K::RefuseCounty => (true, true),
        K::Accept
        | K::RecordSurvey
        | K::CompletePaperwork
        | K::RecordCountyHomeCheck
        | K::PayStage => (false, false),
    };
    if decides {
        let handled = facts.created_by == actor.user_id
            || facts.accepted_by == Some(actor.user_id)
            || facts.investigated_by == Some(actor.user_id);
        if handled {
            return Err(TempError::HandledCase { action: kind });
        }
    }
    if county {
        let me = Some(actor.user_id);
        if facts.referred_by == me || facts.advance_by == me || facts.repeat_override_by == me {
            return Err(TempError::ReviewedCase { action: kind });
        }
    }
    Ok(())
}

/// The kinds of step this user may take on the case now, for the case page and the work queue.
/// A step listed here may still be refused for its data (an amount above the quota, a blank
/// reason). 特批 is listed only when the case repeats a cause and has no override yet, the county
/// home check only on a 近亲属备案 case.
pub fn available_actions(
    state: TempState,
    actor: &Actor,
    facts: &TempFacts,
) -> Vec<TempActionKind> {
    actions_in(state)
        .iter()
        .copied()
        .filter(|k| {
            *k != TempActionKind::OverrideRepeat
                || (facts.repeats_cause() && facts.repeat_override_by.is_none())
        })
        .filter(|k| *k != TempActionKind::RecordCountyHomeCheck || facts.near_relative_flagged())
        .filter(|k| *k != TempActionKind::PayStage || facts.stages.iter().any(StageFact::open))
        .filter(|k| check_actor(state, *k, actor, facts).is_ok())
        .collect()
}

fn require_text(text: &str, field: &'static str, what: &'static str) -> Result<(), TempError> {
    if text.trim().is_empty() {
        Err(TempError::TextRequired { field, what })
    } else {
        Ok(())
    }
}

/// What every grant of money needs: the county home check of a flagged case, and a reviewer's
/// override when the cause repeats.
fn check_may_pay(facts: &TempFacts) -> Result<(), TempError> {
    if facts.near_relative_flagged() && !facts.county_home_check_recorded {
        return Err(TempError::AwaitingCountyHomeCheck);
    }
    if facts.repeats_cause() && facts.repeat_override_by.is_none() {
        return Err(TempError::RepeatNotOverridden {
            earlier: facts.repeat_of.clone(),
        });
    }
    Ok(())
}

fn month_of(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("the first of a month exists")
}

/// An approval: the total (advance included) within the cap and, for the township, the quota;
/// the stages pay exactly what the advance has not, month after month from this month on.
fn check_approval(
    total_fen: i64,
    stages: &[StagePlan],
    township: bool,
    facts: &TempFacts,
) -> Result<(), TempError> {
    check_may_pay(facts)?;
    if total_fen <= 0 {
        return Err(TempError::AmountNotPositive);
    }
    if total_fen < facts.advance_fen {
        return Err(TempError::TotalBelowAdvance {
            total_fen,
            advance_fen: facts.advance_fen,
        });
    }
    if total_fen > facts.cap_fen {
        return Err(TempError::AboveCap {
            amount_fen: total_fen,
            cap_fen: facts.cap_fen,
        });
    }
    if township && total_fen > facts.township_quota_fen {
        return Err(TempError::AboveTownshipQuota {
            amount_fen: total_fen,
            quota_fen: facts.township_quota_fen,
        });
    }
    if stages.len() > MAX_STAGES {
        return Err(TempError::TooManyStages {
            count: stages.len(),
            max: MAX_STAGES,
        });
    }
    let this_month = month_of(facts.today);
    for (i, st) in stages.iter().enumerate() {
        let no = i + 1;
        if st.amount_fen <= 0 {
            return Err(TempError::StageAmountNotPositive { no });
        }
        if st.month < this_month {
            return Err(TempError::StageMonthPast {
                no,
                month: st.month,
            });
        }
        if i > 0 && st.month <= stages[i - 1].month {
            return Err(TempError::StageMonthsOutOfOrder { no });
        }
    }
    let sum_fen: i64 = stages.iter().map(|s| s.amount_fen).sum();
    let expected_fen = total_fen - facts.advance_fen;
    if sum_fen != expected_fen {
        return Err(TempError::StagesDontAddUp {
            sum_fen,
            expected_fen,
        });
    }
    Ok(())
}

fn check_refusal(reasons: &str, facts: &TempFacts) -> Result<(), TempError> {
    if facts.advance_fen > 0 {
        return Err(TempError::AdvanceGranted {
            advance_fen: facts.advance_fen,
        });
    }
    require_text(reasons, "reasons", "不予救助的理由（将书面告知申请人）")
}

fn check_step_data(action: &TempAction, facts: &TempFacts) -> Result<(), TempError> {
    match action {
        TempAction::Accept => Ok(()),
        TempAction::RecordSurvey { findings } | TempAction::CompletePaperwork { findings } => {
            require_text(findings, "findings", "调查情况（事后补充说明）")
        }
        TempAction::RecordCountyHomeCheck { findings } => {
            require_text(findings, "findings", "县级入户核查情况")
        }
        TempAction::OverrideRepeat { reason } => {
            if !facts.repeats_cause() {
                return Err(TempError::NothingToOverride);
            }
            require_text(reason, "reason", "特批理由")
        }
        TempAction::GrantAdvance { amount_fen } => {
            check_may_pay(facts)?;
            if *amount_fen <= 0 {
                return Err(TempError::AmountNotPositive);
            }
            if *amount_fen > facts.township_quota_fen {
                return Err(TempError::AdvanceAboveQuota {
                    amount_fen: *amount_fen,
                    quota_fen: facts.township_quota_fen,
                });
            }
            if *amount_fen > facts.reserve_balance_fen {
                return Err(TempError::ReserveFundShort {
                    balance_fen: facts.reserve_balance_fen,
                    need_fen: *amount_fen,
                });
            }
            Ok(())
        }
        TempAction::ApproveTownship { total_fen, stages } => {
            check_approval(*total_fen, stages, true, facts)
        }
        TempAction::ApproveCounty { total_fen, stages } => {
            check_approval(*total_fen, stages, false, facts)
        }
        TempAction::ReferToCounty { opinion } => require_text(opinion, "opinion", "乡镇审核意见"),
        TempAction::RefuseTownship { reasons } | TempAction::RefuseCounty { reasons } => {
            check_refusal(reasons, facts)
        }
        TempAction::PayStage { stage_no, reason } => {
            let Some(stage) = facts.stages.iter().find(|s| s.no == *stage_no) else {
                return Err(TempError::NoSuchStage {
                    no: *stage_no,
                    count: facts.stages.len(),
                });
            };
            if let Some(paid_on) = stage.paid_on {
                return Err(TempError::StageAlreadyPaid {
                    no: *stage_no,
                    paid_on,
                });
            }
            if let Some(month) = stage.roster_month {
                return Err(TempError::StageOnRoster {
                    no: *stage_no,
                    month,
                });
            }
            if month_of(facts.today) < stage.month && reason.trim().is_empty() {
                return Err(TempError::EarlyPaymentNeedsReason {
                    no: *stage_no,
                    month: Month::of(stage.month),
                });
            }
            Ok(())
        }
    }
}

/// The state after a permitted step. An approval that leaves nothing to pay (the advance was the
/// whole of it) closes the case; so does paying the last unpaid stage.
fn next_state(state: TempState, action: &TempAction, facts: &TempFacts) -> TempState {
    match action {
        TempAction::Accept => TempState::Accepted,
        TempAction::RecordSurvey { .. } | TempAction::CompletePaperwork { .. } => {
            TempState::Investigated
        }
        TempAction::GrantAdvance { .. } => TempState::Advanced,
        TempAction::RecordCountyHomeCheck { .. } | TempAction::OverrideRepeat { .. } => state,
        TempAction::ApproveTownship { stages, .. } | TempAction::ApproveCounty { stages, .. } => {
            if stages.is_empty() {
                TempState::Closed
            } else {
                TempState::Approved
            }
        }
        TempAction::ReferToCounty { .. } => TempState::Referred,
        TempAction::RefuseTownship { .. } | TempAction::RefuseCounty { .. } => TempState::Refused,
        TempAction::PayStage { stage_no, .. } => after_payment(state, facts, Some(*stage_no)),
    }
}

/// The state once stages are paid (`now`, by hand, besides those the facts show paid): an
/// approved case whose every stage is paid, by hand or by a locked monthly run in any mix, is
/// closed. A stage on the roster of a month not yet locked is not paid yet: the lock closes the
/// case then.
fn after_payment(state: TempState, facts: &TempFacts, now: Option<u32>) -> TempState {
    let all_paid = facts.stages.iter().all(|s| s.paid() || Some(s.no) == now);
    if state == TempState::Approved && all_paid {
        TempState::Closed
    } else {
        state
    }
}

/// The state after the lock of a monthly run that paid stages of this case (the facts read
/// after the lock, so those stages count as paid): closed when nothing is left to pay, exactly
/// as when the last stage is paid by hand.
pub fn paid_by_run(state: TempState, facts: &TempFacts) -> TempState {
    after_payment(state, facts, None)
}

/// The county's 临时救助 time limits in working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TempLimits {
    /// The whole procedure, from 受理 (or registration when 先行救助 came first). Default 15.
    pub procedure_workdays: u32,
    /// 补齐手续 after 先行救助. Default 5.
    pub paperwork_workdays: u32,
}

/// The dates a deadline is counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TempDates {
    pub applied_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub advance_on: Option<NaiveDate>,
    /// The planned month of the first unpaid stage.
    pub next_stage_month: Option<NaiveDate>,
}

/// The deadline of the step the case is waiting for: the paperwork limit after an advance, the
/// procedure limit before a decision, the end of the planned month for the next stage; none
/// once final.
pub fn step_deadline(
    cal: &WorkCalendar,
    state: TempState,
    dates: &TempDates,
    limits: &TempLimits,
) -> Option<NaiveDate> {
    let from = dates.accepted_on.unwrap_or(dates.applied_on);
    match state {
        TempState::Applied
        | TempState::Accepted
        | TempState::Investigated
        | TempState::Referred => Some(cal.add_workdays(from, limits.procedure_workdays)),
        TempState::Advanced => Some(cal.add_workdays(
            dates.advance_on.unwrap_or(dates.applied_on),
            limits.paperwork_workdays,
        )),
        TempState::Approved => dates.next_stage_month.map(last_day_of_month),
        TempState::Closed | TempState::Refused => None,
    }
}

fn last_day_of_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).expect("valid month") - Duration::days(1)
}
