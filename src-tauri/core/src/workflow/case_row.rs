//! What the workflow reads from a stored 低保/特困 case row: its [`CaseFacts`], the deadline of
//! the step it waits for, the steps it waits for (what puts it in someone's work queue), and the
//! dated amount it is paid in a month.

use chrono::{Duration, NaiveDate};

use super::{notice_end, ActionKind, CaseFacts, CaseState, DeadlineRules, WorkCalendar};
use crate::month::Month;
use crate::programme::Programme;
use crate::rules::GraceLimits;
use crate::store::cases::{Amount, CaseRow};

/// The facts of `c` on `today`; `near_relative_user_ids` and `filed` come from the 近亲属备案
/// matching the household, `notice_days` is the county's 公示 length (for a notice not started),
/// `notice_calendar` the work calendar when the county counts it in working days.
pub fn facts(
    c: &CaseRow,
    near_relative_user_ids: Vec<i64>,
    filed: bool,
    today: NaiveDate,
    (notice_days, notice_calendar): (u32, Option<WorkCalendar>),
    grace_limits: GraceLimits,
) -> CaseFacts {
    CaseFacts {
        township_id: c.township_id,
        created_by: c.created_by,
        accepted_by: c.accepted_by,
        investigator_ids: c.investigator_ids.clone(),
        verification_recorded: c.verification_on.is_some(),
        reviewed_by: c.reviewed_by,
        near_relative_user_ids,
        near_relative_filed: filed || c.near_relative_filed,
        county_home_check_recorded: c.county_check_on.is_some(),
        today,
        notice_start: c.notice_start,
        notice_days: c.notice_days.unwrap_or(notice_days),
        notice_calendar,
        notice_end_fixed: c.notice_end,
        grace_limits,
        phase_out_end: c.phase_out_end,
        refusal_served_on: c.refusal_served_on,
    }
}

/// The last day of `c`'s 公示: the one stored when it started; for a notice started before the
/// end was stored, computed from its length and the county's day kind and calendar now
/// (`notice_days` the county's length when the row has none, `workdays` the calendar when the
/// county counts working days).
pub fn notice_end_of(
    c: &CaseRow,
    notice_days: u32,
    workdays: Option<&WorkCalendar>,
) -> Option<NaiveDate> {
    let start = c.notice_start?;
    Some(
        c.notice_end
            .unwrap_or_else(|| notice_end(start, c.notice_days.unwrap_or(notice_days), workdays)),
    )
}

/// The deadline of the step `c` waits for in `state`.
pub fn deadline(
    c: &CaseRow,
    state: CaseState,
    calendar: &WorkCalendar,
    rules: &DeadlineRules,
    (notice_days, notice_workdays): (u32, bool),
) -> Option<NaiveDate> {
    let notice_end = notice_end_of(c, notice_days, notice_workdays.then_some(calendar));
    match state {
        CaseState::Enrolled => c.next_review_due,
        CaseState::PhasingOut => c.phase_out_end,
        CaseState::Refused => match (c.decided_on, c.refusal_served_on) {
            (Some(on), None) => Some(calendar.refusal_notice_deadline(on, rules)),
            _ => None,
        },
        CaseState::Accepted if c.programme == Programme::Tekun.code() && c.survey_on.is_none() => c
            .accepted_on
            .map(|a| calendar.tekun_survey_deadline(a, rules)),
        _ => calendar.step_deadline(state, c.accepted_on, notice_end, rules),
    }
}

/// Whether an enrolled or phasing-out case waits for anything on `today` (a review due within
/// 30 days, a 渐退期 ended); other states always may.
pub fn may_wait(c: &CaseRow, state: CaseState, today: NaiveDate) -> bool {
    match state {
        CaseState::Enrolled => c
            .next_review_due
            .is_some_and(|d| d <= today + Duration::days(30)),
        CaseState::PhasingOut => c.phase_out_end.is_some_and(|d| today >= d),
        _ => true,
    }
}

/// The steps `c` waits for in `state` on `today`.
pub fn awaited(
    c: &CaseRow,
    state: CaseState,
    facts: &CaseFacts,
    today: NaiveDate,
) -> Vec<ActionKind> {
    let mut kinds = match state {
        CaseState::Applied => vec![ActionKind::Accept],
        CaseState::Accepted => {
            let mut k = vec![];
            if c.verification_on.is_none() {
                k.push(ActionKind::RecordVerification);
            }
            if c.survey_on.is_none() {
                k.push(ActionKind::RecordSurvey);
            }
            k
        }
        CaseState::Investigated => vec![ActionKind::ReviewTownship],
        CaseState::TownshipReviewed => vec![ActionKind::StartNotice],
        CaseState::OnNotice => match facts.notice_end() {
            Some(end) if today > end => vec![ActionKind::Approve, ActionKind::Refuse],
            _ => vec![],
        },
        CaseState::Enrolled if may_wait(c, state, today) => {
            vec![ActionKind::RecordPeriodicReview]
        }
        CaseState::PhasingOut if may_wait(c, state, today) => vec![ActionKind::EndPhaseOut],
        CaseState::Enrolled | CaseState::PhasingOut => vec![],
        CaseState::Refused if c.refusal_served_on.is_none() => vec![ActionKind::ServeRefusal],
        CaseState::Exited | CaseState::Refused => vec![],
    };
    let before_decision = matches!(
        state,
        CaseState::Accepted
            | CaseState::Investigated
            | CaseState::TownshipReviewed
            | CaseState::OnNotice
    );
    if before_decision && facts.near_relative_flagged() && !facts.county_home_check_recorded {
        kinds.push(ActionKind::RecordCountyHomeCheck);
    }
    kinds
}

/// The dated amount in force in `month`: the latest that starts on or before it.
pub fn amount_in(amounts: &[Amount], month: Month) -> Option<&Amount> {
    let month = month.to_string();
    amounts
        .iter()
        .rev()
        .find(|a| a.from_month.as_str() <= month.as_str())
}

/// What `c` is paid for `month`: its dated amount, from `pay_from` through `pay_until`; nothing
/// for a refused case.
pub fn amount_paid(c: &CaseRow, amounts: &[Amount], month: Month) -> Option<i64> {
    let text = month.to_string();
    let from = c.pay_from.as_deref()?;
    if c.state == CaseState::Refused.as_str() || text.as_str() < from {
        return None;
    }
    if c.pay_until.as_deref().is_some_and(|u| text.as_str() > u) {
        return None;
    }
    amount_in(amounts, month).map(|a| a.amount_fen)
}
