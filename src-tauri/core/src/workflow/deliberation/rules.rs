//! The pure transition function of a 一事一议 case.
//!
//! Checks run in a fixed order, so a user hears about the most basic obstacle first:
//! near relative → role → township/county → state → separation of duties (filer ≠ reviewer or
//! signer, decision recorder ≠ signer, signer ≠ payment recorder) → the step's own data
//! (for a decision: open meeting → quorum → minutes → the decision's terms and majority).

use chrono::NaiveDate;

use super::error::DelibError;
use super::meeting::{check_majority, check_quorum, MeetingFacts};
use super::state::{DelibAction, DelibActionKind, DelibState, Outcome};
use crate::auth::Role;
use crate::month::Month;
use crate::workflow::{notice_end, Actor, WorkCalendar};

/// What the case record knows at the moment of the step. The store fills it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelibFacts {
    pub township_id: i64,
    /// Who filed the 申报表.
    pub filed_by: i64,
    /// Users declared (近亲属备案) as near relatives of a member of the family.
    pub near_relative_user_ids: Vec<i64>,
    pub today: NaiveDate,
    /// The meeting the step belongs to: the one scheduling or deciding the case.
    pub meeting: Option<MeetingFacts>,
    pub notice_start: Option<NaiveDate>,
    /// Length of the 公示 in days.
    pub notice_days: u32,
    /// The work calendar when the county counts the 公示 in working days; `None`: calendar days.
    pub notice_calendar: Option<WorkCalendar>,
    /// The 公示's last day as fixed when it started; `None` for a notice started before the end
    /// was stored, whose end is computed from the settings now.
    pub notice_end_fixed: Option<NaiveDate>,
    /// Payment stages planned and not yet paid, and those paid (numbered from 1).
    pub unpaid_stages: Vec<u32>,
    pub paid_stages: Vec<u32>,
    /// Follow-up visits recorded.
    pub visits: usize,
    /// When the approver signed the decision off: the 公示 announces it, so starts no earlier.
    pub signed_off_on: Option<NaiveDate>,
    /// Who recorded the meeting's decision (会议决定登记人): not the one who signs it off.
    pub decided_by: Option<i64>,
    /// Who signed the decision off (签批人): not the one who records its payments.
    pub signed_off_by: Option<i64>,
    /// The planned month of each stage.
    pub stage_months: Vec<(u32, Month)>,
    /// Stages a monthly run put on its roster, with the run's month: the run pays them.
    pub rosters: Vec<(u32, Month)>,
    /// Those of them whose month is locked: paid by the run.
    pub run_paid: Vec<u32>,
}

impl DelibFacts {
    /// The 公示's last day: the one fixed when it started, else computed from the settings.
    pub fn notice_end(&self) -> Option<NaiveDate> {
        let start = self.notice_start?;
        Some(
            self.notice_end_fixed
                .unwrap_or_else(|| self.notice_end_from(start)),
        )
    }

    /// The last day of a 公示 starting on `start` under the settings in force now.
    pub fn notice_end_from(&self, start: NaiveDate) -> NaiveDate {
        notice_end(start, self.notice_days, self.notice_calendar.as_ref())
    }

    fn roster_of(&self, stage: u32) -> Option<Month> {
        self.rosters
            .iter()
            .find(|(s, _)| *s == stage)
            .map(|(_, m)| *m)
    }

    /// Unpaid stages left to pay by hand: not on a roster.
    pub fn stages_to_pay_by_hand(&self) -> usize {
        self.unpaid_stages
            .iter()
            .filter(|s| self.roster_of(**s).is_none())
            .count()
    }

    /// The first stage on the roster of a month not locked yet: not paid until that lock.
    fn awaiting_lock(&self) -> Option<(u32, Month)> {
        self.unpaid_stages
            .iter()
            .filter(|s| !self.run_paid.contains(s))
            .find_map(|s| Some((*s, self.roster_of(*s)?)))
    }
}

/// The roles that take each step.
pub fn roles_for(kind: DelibActionKind) -> &'static [Role] {
    match kind {
        DelibActionKind::Resubmit | DelibActionKind::StartNotice | DelibActionKind::RecordVisit => {
            &[Role::Caseworker, Role::Reviewer, Role::Approver]
        }
        DelibActionKind::Review
        | DelibActionKind::Return
        | DelibActionKind::Schedule
        | DelibActionKind::Decide
        | DelibActionKind::Defer
        | DelibActionKind::SignOff
        | DelibActionKind::RecordPayment
        | DelibActionKind::Close => &[Role::Approver],
    }
}

/// The steps each state takes.
pub fn actions_in(state: DelibState) -> &'static [DelibActionKind] {
    match state {
        DelibState::Filed => &[DelibActionKind::Review, DelibActionKind::Return],
        DelibState::Returned => &[DelibActionKind::Resubmit],
        DelibState::Reviewed => &[DelibActionKind::Schedule],
        DelibState::OnAgenda => &[DelibActionKind::Decide, DelibActionKind::Defer],
        DelibState::Approved => &[DelibActionKind::SignOff],
        DelibState::SignedOff => &[DelibActionKind::StartNotice],
        DelibState::OnNotice => &[DelibActionKind::RecordPayment],
        DelibState::Paying => &[
            DelibActionKind::RecordPayment,
            DelibActionKind::RecordVisit,
            DelibActionKind::Close,
        ],
        DelibState::Rejected | DelibState::Referred | DelibState::Closed => &[],
    }
}

/// Who may file a 申报表 for a household of `township_id`: township staff of that township, or
/// the county approver (the bureau files too). A near relative may not file.
pub fn check_filer(
    actor: &Actor,
    township_id: i64,
    near_relative_user_ids: &[i64],
) -> Result<(), DelibError> {
    if near_relative_user_ids.contains(&actor.user_id) {
        return Err(DelibError::NearRelative);
    }
    match actor.role {
        Role::Caseworker | Role::Reviewer => {
            if actor.township_id != Some(township_id) {
                return Err(DelibError::OtherTownship);
            }
        }
        Role::Approver => {
            if !actor.is_county {
                return Err(DelibError::NotCountyStaff);
            }
        }
        Role::MemberUnit | Role::Admin => return Err(DelibError::MayNotFile { role: actor.role }),
    }
    Ok(())
}

/// Take one step: the next state, or the rule that forbids it.
pub fn transition(
    state: &DelibState,
    action: &DelibAction,
    actor: &Actor,
    facts: &DelibFacts,
) -> Result<DelibState, DelibError> {
    check_actor(*state, action.kind(), actor, facts)?;
    check_step_data(action, facts)?;
    Ok(next_state(*state, action))
}

/// Everything but the step's own data: whether this user may take this kind of step now.
pub fn check_actor(
    state: DelibState,
    kind: DelibActionKind,
    actor: &Actor,
    facts: &DelibFacts,
) -> Result<(), DelibError> {
    if facts.near_relative_user_ids.contains(&actor.user_id) {
        return Err(DelibError::NearRelative);
    }
    if !roles_for(kind).contains(&actor.role) {
        return Err(DelibError::RoleNotAllowed {
            action: kind,
            role: actor.role,
        });
    }
    if actor.role.works_in_township() {
        if actor.township_id != Some(facts.township_id) {
            return Err(DelibError::OtherTownship);
        }
    } else if !actor.is_county {
        return Err(DelibError::NotCountyStaff);
    }
    if !actions_in(state).contains(&kind) {
        return Err(DelibError::WrongState {
            state,
            action: kind,
        });
    }
    let separated = match kind {
        DelibActionKind::Review | DelibActionKind::Return | DelibActionKind::SignOff => true,
        DelibActionKind::Resubmit
        | DelibActionKind::Schedule
        | DelibActionKind::Decide
        | DelibActionKind::Defer
        | DelibActionKind::StartNotice
        | DelibActionKind::RecordPayment
        | DelibActionKind::RecordVisit
        | DelibActionKind::Close => false,
    };
    if separated && facts.filed_by == actor.user_id {
        return Err(DelibError::FiledCase { action: kind });
    }
    match kind {
        DelibActionKind::SignOff if facts.decided_by == Some(actor.user_id) => {
            Err(DelibError::DecidedCase)
        }
        DelibActionKind::RecordPayment if facts.signed_off_by == Some(actor.user_id) => {
            Err(DelibError::SignedOffCase)
        }
        _ => Ok(()),
    }
}

/// The kinds of step this user may take on the case now, for the case page and the work queue.
pub fn available_actions(
    state: DelibState,
    actor: &Actor,
    facts: &DelibFacts,
) -> Vec<DelibActionKind> {
    actions_in(state)
        .iter()
        .copied()
        .filter(|k| *k != DelibActionKind::RecordPayment || facts.stages_to_pay_by_hand() > 0)
        .filter(|k| check_actor(state, *k, actor, facts).is_ok())
        .collect()
}

fn require_text(text: &str, field: &'static str, what: &'static str) -> Result<(), DelibError> {
    if text.trim().is_empty() {
        Err(DelibError::TextRequired { field, what })
    } else {
        Ok(())
    }
}

fn open_meeting(facts: &DelibFacts) -> Result<&MeetingFacts, DelibError> {
    let m = facts.meeting.as_ref().ok_or(DelibError::NoMeeting)?;
    if !m.open {
        return Err(DelibError::MeetingClosed);
    }
    Ok(m)
}

fn check_outcome(outcome: &Outcome, m: &MeetingFacts) -> Result<(), DelibError> {
    match outcome {
        Outcome::Approve {
            amount_fen,
            measures,
            responsible_units,
            stages_fen,
        } => {
            check_majority(m.majority, m.present, &m.tally)?;
            if *amount_fen <= 0 {
                return Err(DelibError::AmountNotPositive);
            }
            require_text(measures, "measures", "救助措施")?;
            if responsible_units.is_empty() {
                return Err(DelibError::NoResponsibleUnit);
            }
            if let Some(unit) = responsible_units.iter().find(|u| !m.units.contains(u)) {
                return Err(DelibError::UnknownUnit { unit: unit.clone() });
            }
            for (i, fen) in stages_fen.iter().enumerate() {
                if *fen <= 0 {
                    return Err(DelibError::StageNotPositive {
                        stage: i as u32 + 1,
                    });
                }
            }
            let total: i64 = stages_fen.iter().sum();
            if total != *amount_fen {
                return Err(DelibError::StagesDoNotSum {
                    total_fen: total,
                    amount_fen: *amount_fen,
                });
            }
            Ok(())
        }
        Outcome::Reject { reasons } => require_text(reasons, "reasons", "不予救助的理由"),
        Outcome::Refer { programme } => require_text(programme, "programme", "转介的救助项目"),
    }
}

fn check_step_data(action: &DelibAction, facts: &DelibFacts) -> Result<(), DelibError> {
    match action {
        DelibAction::Review { opinion } => require_text(opinion, "opinion", "县局审查意见"),
        DelibAction::Return { reasons } => require_text(reasons, "reasons", "退回补充的理由"),
        DelibAction::Resubmit { note } => require_text(note, "note", "补充情况说明"),
        DelibAction::Schedule => open_meeting(facts).map(|_| ()),
        DelibAction::Decide { outcome, minutes } => {
            let m = open_meeting(facts)?;
            check_quorum(m.quorum, m.expected, m.present)?;
            require_text(minutes, "minutes", "会议纪要（没有会议纪要不能作出决定）")?;
            check_outcome(outcome, m)
        }
        DelibAction::Defer | DelibAction::SignOff => Ok(()),
        DelibAction::StartNotice { start } => {
            if *start > facts.today {
                return Err(DelibError::DateInFuture {
                    field: "start",
                    date: *start,
                });
            }
            match facts.signed_off_on {
                Some(signed_off_on) if *start < signed_off_on => {
                    Err(DelibError::NoticeBeforeSignOff {
                        start: *start,
                        signed_off_on,
                    })
                }
                _ => Ok(()),
            }
        }
        DelibAction::RecordPayment {
            stage,
            paid_on,
            reason,
        } => {
            let (Some(start), Some(end)) = (facts.notice_start, facts.notice_end()) else {
                return Err(DelibError::NoticeNotRecorded);
            };
            if facts.today <= end {
                return Err(DelibError::StillOnNotice { start, end });
            }
            if *paid_on > facts.today {
                return Err(DelibError::DateInFuture {
                    field: "paid_on",
                    date: *paid_on,
                });
            }
            if *paid_on <= end {
                return Err(DelibError::PaidDuringNotice { end });
            }
            if facts.paid_stages.contains(stage) {
                return Err(DelibError::StageAlreadyPaid { stage: *stage });
            }
            if !facts.unpaid_stages.contains(stage) {
                return Err(DelibError::UnknownStage { stage: *stage });
            }
            if let Some(month) = facts.roster_of(*stage) {
                return Err(DelibError::StageOnRoster {
                    stage: *stage,
                    month,
                });
            }
            let planned = facts.stage_months.iter().find(|(s, _)| s == stage);
            if let Some((_, month)) = planned {
                if Month::of(*paid_on) < *month && reason.trim().is_empty() {
                    return Err(DelibError::EarlyPaymentNeedsReason {
                        stage: *stage,
                        month: *month,
                    });
                }
            }
            Ok(())
        }
        DelibAction::RecordVisit { findings } => require_text(findings, "findings", "回访情况"),
        DelibAction::Close { outcome } => {
            require_text(outcome, "outcome", "结案情况（救助效果）")?;
            // A stage on a roster is paid by the run, once its month is locked.
            let count = facts.stages_to_pay_by_hand();
            if count > 0 {
                return Err(DelibError::UnpaidStages { count });
            }
            if let Some((stage, month)) = facts.awaiting_lock() {
                return Err(DelibError::AwaitingRunLock { stage, month });
            }
            if facts.visits == 0 {
                return Err(DelibError::NoFollowUpVisit);
            }
            Ok(())
        }
    }
}

fn next_state(state: DelibState, action: &DelibAction) -> DelibState {
    match action {
        DelibAction::Review { .. } => DelibState::Reviewed,
        DelibAction::Return { .. } => DelibState::Returned,
        DelibAction::Resubmit { .. } => DelibState::Filed,
        DelibAction::Schedule => DelibState::OnAgenda,
        DelibAction::Decide { outcome, .. } => match outcome {
            Outcome::Approve { .. } => DelibState::Approved,
            Outcome::Reject { .. } => DelibState::Rejected,
            Outcome::Refer { .. } => DelibState::Referred,
        },
        DelibAction::Defer => DelibState::Reviewed,
        DelibAction::SignOff => DelibState::SignedOff,
        DelibAction::StartNotice { .. } => DelibState::OnNotice,
        DelibAction::RecordPayment { .. } | DelibAction::RecordVisit { .. } => paid_by_run(state),
        DelibAction::Close { .. } => DelibState::Closed,
    }
}

/// The state once a stage is paid, by hand or by the lock of a monthly run whose roster carries
/// it (the same rule): a case on notice moves to 发放中, where visits are recorded and it is
/// closed; any other state stays.
pub fn paid_by_run(state: DelibState) -> DelibState {
    match state {
        DelibState::OnNotice => DelibState::Paying,
        other => other,
    }
}
