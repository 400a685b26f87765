//! Tests of the case state machine: fixtures and the exhaustive state × action × role table.

use chrono::NaiveDate;

use super::*;
use crate::auth::Role;
use crate::rules::GraceLimits;

mod duties;
mod step_data;
mod steps;

use ActionKind as K;
use CaseState as S;

const TOWNSHIP: i64 = 7;
const CREATOR: i64 = 1;
const INVESTIGATORS: [i64; 2] = [2, 3];
const REVIEWER: i64 = 4;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A case where every separation rule passes for the actors of [`actor`], the notice
/// (1–7 November 2026) has ended and both survey and verification are on file.
fn facts() -> CaseFacts {
    CaseFacts {
        township_id: TOWNSHIP,
        created_by: CREATOR,
        accepted_by: Some(CREATOR),
        investigator_ids: INVESTIGATORS.to_vec(),
        verification_recorded: true,
        reviewed_by: Some(REVIEWER),
        near_relative_user_ids: vec![],
        near_relative_filed: false,
        county_home_check_recorded: false,
        today: d(2026, 11, 20),
        notice_start: Some(d(2026, 11, 1)),
        notice_days: 7,
        notice_calendar: None,
        notice_end_fixed: None,
        grace_limits: GraceLimits {
            work_months: 12,
            voluntary_months: 3,
        },
        phase_out_end: Some(d(2026, 11, 1)),
        refusal_served_on: None,
    }
}

/// A fresh user of this role: township roles in the case's township, the others at the county.
fn actor(role: Role) -> Actor {
    let user_id = 10 + Role::ALL.iter().position(|r| *r == role).unwrap() as i64;
    Actor {
        user_id,
        role,
        township_id: role.works_in_township().then_some(TOWNSHIP),
        is_county: !role.works_in_township(),
    }
}

/// A well-formed action of each kind.
fn sample(kind: ActionKind) -> Action {
    match kind {
        K::Accept => Action::Accept,
        K::RecordVerification => Action::RecordVerification,
        K::RecordSurvey => Action::RecordSurvey {
            investigator_ids: INVESTIGATORS.to_vec(),
        },
        K::RecordAppraisal => Action::RecordAppraisal,
        K::RecordCountyHomeCheck => Action::RecordCountyHomeCheck,
        K::ReviewTownship => Action::ReviewTownship {
            opinion: "经调查，家庭收入低于当地低保标准，同意上报".into(),
        },
        K::StartNotice => Action::StartNotice {
            start: d(2026, 11, 1),
        },
        K::RecordObjection => Action::RecordObjection {
            summary: "村民反映其子女有稳定收入".into(),
        },
        K::Approve => Action::Approve {
            monthly_amount_fen: 52_000,
        },
        K::Refuse => Action::Refuse {
            reasons: "家庭人均收入高于当地低保标准".into(),
        },
        K::RecordPeriodicReview => Action::RecordPeriodicReview,
        K::RecordChange => Action::RecordChange,
        K::Exit => Action::Exit {
            reason: ExitReason::Voluntary,
            grace_months: 2,
        },
        K::ServeRefusal => Action::ServeRefusal {
            method: "直接送达".into(),
        },
        K::EndPhaseOut => Action::EndPhaseOut,
    }
}

/// Who takes each step. Written out independently of `roles_for`.
const WHO: &[(ActionKind, &[Role])] = &[
    (K::Accept, &[Role::Caseworker]),
    (K::RecordVerification, &[Role::Caseworker]),
    (K::RecordSurvey, &[Role::Caseworker]),
    (K::RecordAppraisal, &[Role::Caseworker]),
    (K::RecordCountyHomeCheck, &[Role::Approver]),
    (K::ReviewTownship, &[Role::Reviewer]),
    (K::StartNotice, &[Role::Caseworker, Role::Reviewer]),
    (K::RecordObjection, &[Role::Caseworker, Role::Reviewer]),
    (K::Approve, &[Role::Approver]),
    (K::Refuse, &[Role::Approver]),
    (K::RecordPeriodicReview, &[Role::Caseworker]),
    (K::RecordChange, &[Role::Caseworker]),
    (K::Exit, &[Role::Approver]),
    (K::EndPhaseOut, &[Role::Caseworker]),
    (K::ServeRefusal, &[Role::Caseworker, Role::Reviewer]),
];

/// Every permitted (state, step) and the state it leads to. Anything not listed is refused.
const ALLOWED: &[(CaseState, ActionKind, CaseState)] = &[
    (S::Applied, K::Accept, S::Accepted),
    // With survey on file, recording verification completes the investigation, and vice versa.
    (S::Accepted, K::RecordVerification, S::Investigated),
    (S::Accepted, K::RecordSurvey, S::Investigated),
    (S::Accepted, K::RecordCountyHomeCheck, S::Accepted),
    (S::Investigated, K::RecordAppraisal, S::Investigated),
    (S::Investigated, K::RecordCountyHomeCheck, S::Investigated),
    (S::Investigated, K::ReviewTownship, S::TownshipReviewed),
    (S::TownshipReviewed, K::StartNotice, S::OnNotice),
    (
        S::TownshipReviewed,
        K::RecordCountyHomeCheck,
        S::TownshipReviewed,
    ),
    (S::OnNotice, K::RecordObjection, S::Accepted),
    (S::OnNotice, K::RecordCountyHomeCheck, S::OnNotice),
    (S::OnNotice, K::Approve, S::Enrolled),
    (S::OnNotice, K::Refuse, S::Refused),
    (S::Enrolled, K::RecordPeriodicReview, S::Enrolled),
    (S::Enrolled, K::RecordChange, S::Enrolled),
    (S::Enrolled, K::Exit, S::PhasingOut),
    (S::PhasingOut, K::EndPhaseOut, S::Exited),
    (S::Refused, K::ServeRefusal, S::Refused),
];

fn expected(state: CaseState, kind: ActionKind, role: Role) -> Result<CaseState, TransitionError> {
    let (_, roles) = WHO.iter().find(|(k, _)| *k == kind).unwrap();
    if !roles.contains(&role) {
        return Err(TransitionError::RoleNotAllowed { action: kind, role });
    }
    match ALLOWED.iter().find(|(s, k, _)| *s == state && *k == kind) {
        Some((_, _, next)) => Ok(*next),
        None => Err(TransitionError::WrongState {
            state,
            action: kind,
        }),
    }
}

fn check(
    state: CaseState,
    action: &Action,
    actor: &Actor,
    facts: &CaseFacts,
    want: Result<CaseState, TransitionError>,
) {
    let got = transition(&state, action, actor, facts);
    assert_eq!(got, want, "{state:?} × {action:?} by {actor:?}");
}

#[test]
fn every_state_action_role() {
    let mut allowed = 0;
    for state in CaseState::ALL {
        for kind in ActionKind::ALL {
            for role in Role::ALL {
                let want = expected(state, kind, role);
                allowed += usize::from(want.is_ok());
                check(state, &sample(kind), &actor(role), &facts(), want);
            }
        }
    }
    // StartNotice, RecordObjection and ServeRefusal are open to two roles each.
    assert_eq!(allowed, ALLOWED.len() + 3);
}

#[test]
fn available_actions_match_the_table() {
    for state in CaseState::ALL {
        for role in Role::ALL {
            let got = available_actions(state, &actor(role), &facts());
            let want: Vec<ActionKind> = ActionKind::ALL
                .into_iter()
                .filter(|k| expected(state, *k, role).is_ok())
                .collect();
            let mut got_sorted = got.clone();
            got_sorted.sort();
            assert_eq!(got_sorted, want, "{state:?} {role:?}");
        }
    }
}

#[test]
fn final_states_take_nothing() {
    for state in CaseState::ALL {
        assert_eq!(state.is_final(), actions_in(state).is_empty(), "{state:?}");
        assert_eq!(CaseState::parse(state.as_str()), Some(state));
    }
}
