//! The pure transition function of a 低保/特困 case: who may take which step, in which state,
//! under the separation-of-duties and near-relative rules.
//!
//! Checks run in a fixed order, so a user always hears about the most basic obstacle first:
//! near relative → role → township/county → state → separation of duties → the step's own data
//! and dates.

use chrono::{Duration, NaiveDate};

use super::calendar::WorkCalendar;
use super::error::TransitionError;
use super::state::{Action, ActionKind, CaseState};
use crate::auth::Role;
use crate::rules::GraceLimits;

/// The user taking a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub role: Role,
    /// The township of a township role; `None` for county staff.
    pub township_id: Option<i64>,
    pub is_county: bool,
}

/// What the case record knows, as of the moment of the step. The store fills it in; nothing
/// here reads the database or the clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub township_id: i64,
    /// Who registered the application.
    pub created_by: i64,
    pub accepted_by: Option<i64>,
    /// Staff who signed the household survey (empty until recorded).
    pub investigator_ids: Vec<i64>,
    pub verification_recorded: bool,
    /// Who signed the township review.
    pub reviewed_by: Option<i64>,
    /// Users declared (近亲属备案) as near relatives of a member of this family.
    pub near_relative_user_ids: Vec<i64>,
    /// The case matched a 近亲属备案 of someone who is not a user (e.g. a village committee member).
    pub near_relative_filed: bool,
    pub county_home_check_recorded: bool,
    pub today: NaiveDate,
    pub notice_start: Option<NaiveDate>,
    /// Length of the 公示 in days (default 7).
    pub notice_days: u32,
    /// The work calendar when the county counts the 公示 in working days; `None`: calendar days.
    pub notice_calendar: Option<WorkCalendar>,
    /// The 公示's last day as fixed when it started; `None` for a notice started before the end
    /// was stored, whose end is computed from the three fields above.
    pub notice_end_fixed: Option<NaiveDate>,
    /// The longest 渐退期 the county grants, by exit reason (its dated standards).
    pub grace_limits: GraceLimits,
    pub phase_out_end: Option<NaiveDate>,
    /// The day the 不予批准通知书 was served, once recorded.
    pub refusal_served_on: Option<NaiveDate>,
}

impl CaseFacts {
    /// A 近亲属备案 case: flagged for the county home check before approval.
    pub fn near_relative_flagged(&self) -> bool {
        self.near_relative_filed || !self.near_relative_user_ids.is_empty()
    }

    /// Last day of the 公示 (inclusive), when a start date is recorded: the one fixed when it
    /// started, else computed from the settings now.
    pub fn notice_end(&self) -> Option<NaiveDate> {
        let start = self.notice_start?;
        Some(
            self.notice_end_fixed.unwrap_or_else(|| {
                notice_end(start, self.notice_days, self.notice_calendar.as_ref())
            }),
        )
    }
}

/// Last day (inclusive) of a notice of `days` days starting on `start`: calendar days when
/// `workdays` is `None`; otherwise working days of that calendar, `start` counting when it is
/// one, so holidays and weekends extend the notice.
pub fn notice_end(start: NaiveDate, days: u32, workdays: Option<&WorkCalendar>) -> NaiveDate {
    match workdays {
        None => start + Duration::days(i64::from(days.max(1)) - 1),
        Some(cal) => cal.add_workdays(start - Duration::days(1), days.max(1)),
    }
}

/// The roles that take each step.
pub fn roles_for(kind: ActionKind) -> &'static [Role] {
    match kind {
        ActionKind::Accept
        | ActionKind::RecordVerification
        | ActionKind::RecordSurvey
        | ActionKind::RecordAppraisal
        | ActionKind::RecordPeriodicReview
        | ActionKind::RecordChange
        | ActionKind::EndPhaseOut => &[Role::Caseworker],
        ActionKind::StartNotice | ActionKind::RecordObjection | ActionKind::ServeRefusal => {
            &[Role::Caseworker, Role::Reviewer]
        }
        ActionKind::ReviewTownship => &[Role::Reviewer],
        ActionKind::RecordCountyHomeCheck
        | ActionKind::Approve
        | ActionKind::Refuse
        | ActionKind::Exit => &[Role::Approver],
    }
}

/// The steps each state takes.
pub fn actions_in(state: CaseState) -> &'static [ActionKind] {
    match state {
        CaseState::Applied => &[ActionKind::Accept],
        CaseState::Accepted => &[
            ActionKind::RecordVerification,
            ActionKind::RecordSurvey,
            ActionKind::RecordCountyHomeCheck,
        ],
        CaseState::Investigated => &[
            ActionKind::RecordAppraisal,
            ActionKind::RecordCountyHomeCheck,
            ActionKind::ReviewTownship,
        ],
        CaseState::TownshipReviewed => {
            &[ActionKind::StartNotice, ActionKind::RecordCountyHomeCheck]
        }
        CaseState::OnNotice => &[
            ActionKind::RecordObjection,
            ActionKind::RecordCountyHomeCheck,
            ActionKind::Approve,
            ActionKind::Refuse,
        ],
        CaseState::Enrolled => &[
            ActionKind::RecordPeriodicReview,
            ActionKind::RecordChange,
            ActionKind::Exit,
        ],
        CaseState::PhasingOut => &[ActionKind::EndPhaseOut],
        CaseState::Refused => &[ActionKind::ServeRefusal],
        CaseState::Exited => &[],
    }
}

/// Take one step: the next state, or the rule that forbids it. Pure: the caller stores the
/// result, the step's data and the audit row.
pub fn transition(
    state: &CaseState,
    action: &Action,
    actor: &Actor,
    facts: &CaseFacts,
) -> Result<CaseState, TransitionError> {
    let kind = action.kind();
    check_actor(*state, kind, actor, facts)?;
    check_step_data(action, facts)?;
    Ok(next_state(*state, action, facts))
}

/// Everything but the step's own data: whether this user may take this kind of step now.
pub fn check_actor(
    state: CaseState,
    kind: ActionKind,
    actor: &Actor,
    facts: &CaseFacts,
) -> Result<(), TransitionError> {
    if facts.near_relative_user_ids.contains(&actor.user_id) {
        return Err(TransitionError::NearRelative);
    }
    if !roles_for(kind).contains(&actor.role) {
        return Err(TransitionError::RoleNotAllowed {
            action: kind,
            role: actor.role,
        });
    }
    if actor.role.works_in_township() {
        if actor.township_id != Some(facts.township_id) {
            return Err(TransitionError::OtherTownship);
        }
    } else if !actor.is_county {
        return Err(TransitionError::NotCountyStaff);
    }
    if !actions_in(state).contains(&kind) {
        return Err(TransitionError::WrongState {
            state,
            action: kind,
        });
    }
    let decides = match kind {
        ActionKind::ReviewTownship | ActionKind::Approve | ActionKind::Refuse => true,
        ActionKind::Accept
        | ActionKind::RecordVerification
        | ActionKind::RecordSurvey
        | ActionKind::RecordAppraisal
        | ActionKind::RecordCountyHomeCheck
        | ActionKind::StartNotice
        | ActionKind::RecordObjection
        | ActionKind::RecordPeriodicReview
        | ActionKind::RecordChange
        | ActionKind::Exit
        | ActionKind::ServeRefusal
        | ActionKind::EndPhaseOut => false,
    };
    if decides {
        let handled = facts.created_by == actor.user_id
            || facts.accepted_by == Some(actor.user_id)
            || facts.investigator_ids.contains(&actor.user_id);
        if handled {
            return Err(TransitionError::HandledCase { action: kind });
        }
        if kind != ActionKind::ReviewTownship && facts.reviewed_by == Some(actor.user_id) {
            return Err(TransitionError::ReviewedCase { action: kind });
        }
    }
    Ok(())
}

/// The kinds of step this user may take on the case now, for the case page and the work queue.
/// A step listed here may still be refused for its data (a blank opinion, an early date).
pub fn available_actions(state: CaseState, actor: &Actor, facts: &CaseFacts) -> Vec<ActionKind> {
    actions_in(state)
        .iter()
        .copied()
        .filter(|k| check_actor(state, *k, actor, facts).is_ok())
        .collect()
}

fn require_text(
    text: &str,
    field: &'static str,
    what: &'static str,
) -> Result<(), TransitionError> {
    if text.trim().is_empty() {
        Err(TransitionError::TextRequired { field, what })
    } else {
        Ok(())
    }
}

fn check_decision_date(facts: &CaseFacts) -> Result<(), TransitionError> {
    let (Some(start), Some(end)) = (facts.notice_start, facts.notice_end()) else {
        return Err(TransitionError::NoticeNotRecorded);
    };
    if facts.today <= end {
        return Err(TransitionError::StillOnNotice { start, end });
    }
    Ok(())
}

fn check_step_data(action: &Action, facts: &CaseFacts) -> Result<(), TransitionError> {
    match action {
        Action::Accept
        | Action::RecordVerification
        | Action::RecordAppraisal
        | Action::RecordCountyHomeCheck
        | Action::StartNotice { .. }
        | Action::RecordPeriodicReview
        | Action::RecordChange => Ok(()),
        Action::RecordSurvey { investigator_ids } => {
            let mut ids = investigator_ids.clone();
            ids.sort_unstable();
            ids.dedup();
            if ids.len() < 2 {
                return Err(TransitionError::TooFewInvestigators { count: ids.len() });
            }
            Ok(())
        }
        Action::ReviewTownship { opinion } => require_text(opinion, "opinion", "乡镇审核意见"),
        Action::RecordObjection { summary } => require_text(summary, "summary", "异议内容"),
        Action::Approve { monthly_amount_fen } => {
            check_decision_date(facts)?;
            if facts.near_relative_flagged() && !facts.county_home_check_recorded {
                return Err(TransitionError::AwaitingCountyHomeCheck);
            }
            if *monthly_amount_fen <= 0 {
                return Err(TransitionError::AmountNotPositive);
            }
            Ok(())
        }
        Action::Refuse { reasons } => {
            check_decision_date(facts)?;
            require_text(reasons, "reasons", "不予批准的理由（将书面告知申请人）")
        }
        Action::Exit {
            reason,
            grace_months,
        } => {
            let max = facts.grace_limits.max_months(reason.leaving());
            if u32::from(*grace_months) > max {
                return Err(TransitionError::GraceMonthsNotAllowed {
                    reason: *reason,
                    months: *grace_months,
                    max,
                });
            }
            Ok(())
        }
        Action::ServeRefusal { method } => {
            if let Some(on) = facts.refusal_served_on {
                return Err(TransitionError::RefusalServed { on });
            }
            require_text(method, "method", "送达方式")
        }
        Action::EndPhaseOut => match facts.phase_out_end {
            Some(end) if facts.today < end => Err(TransitionError::PhaseOutNotEnded { end }),
            Some(_) | None => Ok(()),
        },
    }
}

/// The state after a permitted step. Survey and verification may come in either order; the case
/// is investigated once both are recorded.
fn next_state(state: CaseState, action: &Action, facts: &CaseFacts) -> CaseState {
    match action {
        Action::Accept => CaseState::Accepted,
        Action::RecordVerification => {
            if facts.investigator_ids.len() >= 2 {
                CaseState::Investigated
            } else {
                state
            }
        }
        Action::RecordSurvey { .. } => {
            if facts.verification_recorded {
                CaseState::Investigated
            } else {
                state
            }
        }
        Action::RecordAppraisal
        | Action::RecordCountyHomeCheck
        | Action::RecordPeriodicReview
        | Action::RecordChange => state,
        Action::ReviewTownship { .. } => CaseState::TownshipReviewed,
        Action::StartNotice { .. } => CaseState::OnNotice,
        Action::RecordObjection { .. } => CaseState::Accepted,
        Action::Approve { .. } => CaseState::Enrolled,
        Action::Refuse { .. } | Action::ServeRefusal { .. } => CaseState::Refused,
        Action::Exit { grace_months, .. } => {
            if *grace_months > 0 {
                CaseState::PhasingOut
            } else {
                CaseState::Exited
            }
        }
        Action::EndPhaseOut => CaseState::Exited,
    }
}
