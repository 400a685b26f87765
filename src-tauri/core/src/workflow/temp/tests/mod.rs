//! Tests of the 临时救助 state machine: the exhaustive kind × state × action × role table against
//! literal tables, then separation of duties, near relatives, the same-cause rule, quota, cap,
//! reserve fund, the payment plan and deadlines.

use chrono::NaiveDate;

use super::*;
use crate::auth::Role;
use crate::error::ErrorCode;
use crate::rules::TempAidKind;
use crate::workflow::{Actor, WorkCalendar};

use TempActionKind as K;
use TempState as S;

const TOWNSHIP: i64 = 7;
const CREATOR: i64 = 1;
const INVESTIGATOR: i64 = 2;
const REVIEWER: i64 = 4;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// An emergency case where every rule passes for the actors of [`actor`]: it repeats a cause and
/// the override is on file, a village cadre's relation is filed and the county has checked; no advance; quota 2,613 yuan (3 × 871), cap 8,710, 10,000 in the
/// fund; an approved plan of two stages, the first paid.
fn facts() -> TempFacts {
    TempFacts {
        kind: TempAidKind::Emergency,
        township_id: TOWNSHIP,
        created_by: CREATOR,
        accepted_by: Some(CREATOR),
        investigated_by: Some(INVESTIGATOR),
        advance_by: None,
        advance_fen: 0,
        referred_by: Some(REVIEWER),
        repeat_of: vec!["LS2026-0001".into()],
        repeat_override_by: Some(REVIEWER),
        near_relative_user_ids: vec![],
        near_relative_filed: true,
        county_home_check_recorded: true,
        township_quota_fen: 261_300,
        cap_fen: 871_000,
        reserve_balance_fen: 1_000_000,
        stages: vec![
            StageFact {
                no: 1,
                month: d(2026, 11, 1),
                amount_fen: 100_000,
                paid_on: Some(d(2026, 11, 10)),
                roster_month: None,
                roster_locked: false,
            },
            StageFact {
                no: 2,
                month: d(2026, 12, 1),
                amount_fen: 100_000,
                paid_on: None,
                roster_month: None,
                roster_locked: false,
            },
        ],
        today: d(2026, 11, 20),
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

fn plan(stages: &[(NaiveDate, i64)]) -> Vec<StagePlan> {
    stages
        .iter()
        .map(|(month, amount_fen)| StagePlan {
            month: *month,
            amount_fen: *amount_fen,
        })
        .collect()
}

/// A well-formed action of each kind.
fn sample(kind: TempActionKind) -> TempAction {
    let stages = plan(&[(d(2026, 11, 1), 100_000), (d(2026, 12, 1), 100_000)]);
    match kind {
        K::Accept => TempAction::Accept,
        K::RecordSurvey => TempAction::RecordSurvey {
            findings: "户主突发脑梗住院，家中无其他收入".into(),
        },
        K::GrantAdvance => TempAction::GrantAdvance {
            amount_fen: 100_000,
        },
        K::CompletePaperwork => TempAction::CompletePaperwork {
            findings: "已补齐住院证明和家庭收入说明".into(),
        },
        K::RecordCountyHomeCheck => TempAction::RecordCountyHomeCheck {
            findings: "县级入户核查属实".into(),
        },
        K::OverrideRepeat => TempAction::OverrideRepeat {
            reason: "年内再次住院手术，费用远超家庭承受能力".into(),
        },
        K::ApproveTownship => TempAction::ApproveTownship {
            total_fen: 200_000,
            stages,
        },
        K::ReferToCounty => TempAction::ReferToCounty {
            opinion: "金额超过乡镇额度，建议县级审批".into(),
        },
        K::RefuseTownship => TempAction::RefuseTownship {
            reasons: "家庭收入足以承担".into(),
        },
        K::ApproveCounty => TempAction::ApproveCounty {
            total_fen: 200_000,
            stages,
        },
        K::RefuseCounty => TempAction::RefuseCounty {
            reasons: "家庭收入足以承担".into(),
        },
        K::PayStage => TempAction::PayStage {
            stage_no: 2,
            reason: "年关前提前发放".into(),
        },
    }
}

/// Who takes each step. Written out independently of `roles_for`.
const WHO: &[(TempActionKind, Role)] = &[
    (K::Accept, Role::Caseworker),
    (K::RecordSurvey, Role::Caseworker),
    (K::GrantAdvance, Role::Reviewer),
    (K::CompletePaperwork, Role::Caseworker),
    (K::RecordCountyHomeCheck, Role::Approver),
    (K::OverrideRepeat, Role::Reviewer),
    (K::ApproveTownship, Role::Reviewer),
    (K::ReferToCounty, Role::Reviewer),
    (K::RefuseTownship, Role::Reviewer),
    (K::ApproveCounty, Role::Approver),
    (K::RefuseCounty, Role::Approver),
    (K::PayStage, Role::Caseworker),
];

/// Every permitted (state, step) and the state it leads to. Anything not listed is refused.
const ALLOWED: &[(TempState, TempActionKind, TempState)] = &[
    (S::Applied, K::Accept, S::Accepted),
    (S::Applied, K::GrantAdvance, S::Advanced),
    (S::Applied, K::OverrideRepeat, S::Applied),
    (S::Applied, K::RecordCountyHomeCheck, S::Applied),
    (S::Accepted, K::RecordSurvey, S::Investigated),
    (S::Accepted, K::GrantAdvance, S::Advanced),
    (S::Accepted, K::OverrideRepeat, S::Accepted),
    (S::Accepted, K::RecordCountyHomeCheck, S::Accepted),
    (S::Advanced, K::CompletePaperwork, S::Investigated),
    (S::Advanced, K::RecordCountyHomeCheck, S::Advanced),
    (S::Investigated, K::ApproveTownship, S::Approved),
    (S::Investigated, K::ReferToCounty, S::Referred),
    (S::Investigated, K::RefuseTownship, S::Refused),
    (S::Investigated, K::OverrideRepeat, S::Investigated),
    (S::Investigated, K::RecordCountyHomeCheck, S::Investigated),
    (S::Referred, K::ApproveCounty, S::Approved),
    (S::Referred, K::RefuseCounty, S::Refused),
    (S::Referred, K::OverrideRepeat, S::Referred),
    (S::Referred, K::RecordCountyHomeCheck, S::Referred),
    // Stage 2 is the last unpaid one.
    (S::Approved, K::PayStage, S::Closed),
];

fn expected(
    kind: TempAidKind,
    state: TempState,
    action: TempActionKind,
    role: Role,
) -> Result<TempState, TempError> {
    if !WHO.contains(&(action, role)) {
        return Err(TempError::RoleNotAllowed { action, role });
    }
    let Some((_, _, next)) = ALLOWED.iter().find(|(s, k, _)| *s == state && *k == action) else {
        return Err(TempError::WrongState { state, action });
    };
    if action == K::GrantAdvance && kind == TempAidKind::Expenditure {
        return Err(TempError::NotEmergency);
    }
    Ok(*next)
}

fn check(
    state: TempState,
    action: &TempAction,
    actor: &Actor,
    facts: &TempFacts,
    want: Result<TempState, TempError>,
) {
    let got = transition(&state, action, actor, facts);
    assert_eq!(got, want, "{state:?} × {action:?} by {actor:?}");
}

#[test]
fn every_kind_state_action_role() {
    let mut allowed = 0;
    for kind in [TempAidKind::Emergency, TempAidKind::Expenditure] {
        let mut f = facts();
        f.kind = kind;
        for state in TempState::ALL {
            for action in TempActionKind::ALL {
                for role in Role::ALL {
                    let want = expected(kind, state, action, role);
                    allowed += usize::from(want.is_ok());
                    check(state, &sample(action), &actor(role), &f, want);
                }
            }
        }
    }
    // Every listed step for both kinds, but 先行救助 (in two states) only for 急难型.
    assert_eq!(allowed, 2 * ALLOWED.len() - 2);
}

#[test]
fn available_actions_match_the_table() {
    for kind in [TempAidKind::Emergency, TempAidKind::Expenditure] {
        let mut f = facts();
        f.kind = kind;
        // An override already on file is not offered again.
        f.repeat_override_by = None;
        for state in TempState::ALL {
            for role in Role::ALL {
                let mut got = available_actions(state, &actor(role), &f);
                got.sort();
                let want: Vec<TempActionKind> = TempActionKind::ALL
                    .into_iter()
                    .filter(|k| expected(kind, state, *k, role).is_ok())
                    .collect();
                assert_eq!(got, want, "{kind:?} {state:?} {role:?}");
            }
        }
    }
    let got = available_actions(S::Referred, &actor(Role::Reviewer), &facts());
    assert_eq!(got, vec![], "the override is on file");
    // Without a repeated cause there is nothing to override, so it is not offered.
    let mut f = facts();
    f.repeat_of.clear();
    f.repeat_override_by = None;
    let got = available_actions(S::Investigated, &actor(Role::Reviewer), &f);
    assert_eq!(
        got,
        vec![K::ApproveTownship, K::ReferToCounty, K::RefuseTownship]
    );
    // Nor is the county home check on a case nobody filed.
    f.near_relative_filed = false;
    let got = available_actions(S::Referred, &actor(Role::Approver), &f);
    assert_eq!(got, vec![K::ApproveCounty, K::RefuseCounty]);
}

#[test]
fn final_states_take_nothing_and_codes_round_trip() {
    for state in TempState::ALL {
        assert_eq!(state.is_final(), actions_in(state).is_empty(), "{state:?}");
        assert_eq!(TempState::parse(state.as_str()), Some(state));
    }
    for kind in TempActionKind::ALL {
        assert_eq!(TempActionKind::parse(kind.as_str()), Some(kind));
    }
    assert_eq!(parse_kind("emergency"), Some(TempAidKind::Emergency));
    assert_eq!(parse_kind("urgent"), None);
}

mod duties;
mod input;
mod money;
