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
            },
            StageFact {
                no: 2,
                month: d(2026, 12, 1),
                amount_fen: 100_000,
                paid_on: None,
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
        K::PayStage => TempAction::PayStage { stage_no: 2 },
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

#[test]
fn whoever_handled_the_case_cannot_decide_it() {
    // (state, step, role, the user's part in the case)
    let table: &[(TempState, TempActionKind, Role, i64)] = &[
        (S::Applied, K::GrantAdvance, Role::Reviewer, CREATOR),
        (S::Investigated, K::ApproveTownship, Role::Reviewer, CREATOR),
        (
            S::Investigated,
            K::ApproveTownship,
            Role::Reviewer,
            INVESTIGATOR,
        ),
        (
            S::Investigated,
            K::ReferToCounty,
            Role::Reviewer,
            INVESTIGATOR,
        ),
        (S::Investigated, K::RefuseTownship, Role::Reviewer, CREATOR),
        (
            S::Investigated,
            K::OverrideRepeat,
            Role::Reviewer,
            INVESTIGATOR,
        ),
        (S::Referred, K::ApproveCounty, Role::Approver, CREATOR),
        (S::Referred, K::RefuseCounty, Role::Approver, INVESTIGATOR),
    ];
    for (state, kind, role, user_id) in table {
        let mut who = actor(*role);
        who.user_id = *user_id;
        check(
            *state,
            &sample(*kind),
            &who,
            &facts(),
            Err(TempError::HandledCase { action: *kind }),
        );
    }
    // The township reviewer who referred the case (or granted the advance, or signed the
    // override), promoted to approver, still cannot decide it at the county.
    let mut who = actor(Role::Approver);
    who.user_id = REVIEWER;
    for kind in [K::ApproveCounty, K::RefuseCounty] {
        check(
            S::Referred,
            &sample(kind),
            &who,
            &facts(),
            Err(TempError::ReviewedCase { action: kind }),
        );
    }
    let mut f = facts();
    f.referred_by = Some(99);
    f.repeat_override_by = Some(98);
    f.advance_by = Some(REVIEWER);
    check(
        S::Referred,
        &sample(K::ApproveCounty),
        &who,
        &f,
        Err(TempError::ReviewedCase {
            action: K::ApproveCounty,
        }),
    );
    // The same reviewer may grant the advance and later approve within the quota.
    let mut f = facts();
    f.advance_by = Some(REVIEWER);
    f.advance_fen = 50_000;
    let mut reviewer = actor(Role::Reviewer);
    reviewer.user_id = REVIEWER;
    let approve = TempAction::ApproveTownship {
        total_fen: 150_000,
        stages: plan(&[(d(2026, 12, 1), 100_000)]),
    };
    check(S::Investigated, &approve, &reviewer, &f, Ok(S::Approved));
    let msg = TempError::HandledCase {
        action: K::ApproveTownship,
    }
    .to_string();
    assert_eq!(
        msg,
        "您登记、受理或调查了此案件，不能再乡镇审批同意（经办与审核审批须分离）"
    );
}

#[test]
fn a_near_relative_can_take_no_action() {
    for state in TempState::ALL {
        for kind in TempActionKind::ALL {
            for role in Role::ALL {
                let who = actor(role);
                let mut f = facts();
                f.near_relative_user_ids = vec![who.user_id];
                check(state, &sample(kind), &who, &f, Err(TempError::NearRelative));
            }
        }
    }
    let err = TempError::NearRelative.to_cmd_error();
    assert_eq!(err.code, ErrorCode::Forbidden);
    assert!(err.message.contains("近亲属回避"));
}

#[test]
fn a_flagged_case_gets_no_money_before_the_county_home_check() {
    let mut f = facts();
    f.county_home_check_recorded = false;
    let reviewer = actor(Role::Reviewer);
    let approver = actor(Role::Approver);
    let waiting = Err(TempError::AwaitingCountyHomeCheck);
    check(
        S::Applied,
        &sample(K::GrantAdvance),
        &reviewer,
        &f,
        waiting.clone(),
    );
    check(
        S::Investigated,
        &sample(K::ApproveTownship),
        &reviewer,
        &f,
        waiting.clone(),
    );
    check(
        S::Referred,
        &sample(K::ApproveCounty),
        &approver,
        &f,
        waiting,
    );
    // Refusal and referral need no home check; the county records it on any open step.
    check(
        S::Investigated,
        &sample(K::ReferToCounty),
        &reviewer,
        &f,
        Ok(S::Referred),
    );
    check(
        S::Investigated,
        &sample(K::RecordCountyHomeCheck),
        &approver,
        &f,
        Ok(S::Investigated),
    );
    f.county_home_check_recorded = true;
    check(
        S::Referred,
        &sample(K::ApproveCounty),
        &approver,
        &f,
        Ok(S::Approved),
    );
}

#[test]
fn the_same_cause_twice_a_year_needs_a_reviewers_override() {
    let mut f = facts();
    f.repeat_override_by = None;
    let reviewer = actor(Role::Reviewer);
    let refused = Err(TempError::RepeatNotOverridden {
        earlier: vec!["LS2026-0001".into()],
    });
    check(
        S::Investigated,
        &sample(K::ApproveTownship),
        &reviewer,
        &f,
        refused.clone(),
    );
    check(
        S::Applied,
        &sample(K::GrantAdvance),
        &reviewer,
        &f,
        refused.clone(),
    );
    check(
        S::Referred,
        &sample(K::ApproveCounty),
        &actor(Role::Approver),
        &f,
        refused,
    );
    // A caseworker cannot override; a reviewer must give a reason.
    check(
        S::Investigated,
        &sample(K::OverrideRepeat),
        &actor(Role::Caseworker),
        &f,
        Err(TempError::RoleNotAllowed {
            action: K::OverrideRepeat,
            role: Role::Caseworker,
        }),
    );
    check(
        S::Investigated,
        &TempAction::OverrideRepeat {
            reason: "  ".into(),
        },
        &reviewer,
        &f,
        Err(TempError::TextRequired {
            field: "reason",
            what: "特批理由",
        }),
    );
    check(
        S::Investigated,
        &sample(K::OverrideRepeat),
        &reviewer,
        &f,
        Ok(S::Investigated),
    );
    f.repeat_override_by = Some(reviewer.user_id);
    check(
        S::Investigated,
        &sample(K::ApproveTownship),
        &reviewer,
        &f,
        Ok(S::Approved),
    );
    // Nothing to override on a first-time cause.
    let mut g = facts();
    g.repeat_of.clear();
    check(
        S::Investigated,
        &sample(K::OverrideRepeat),
        &reviewer,
        &g,
        Err(TempError::NothingToOverride),
    );
    let msg = TempError::RepeatNotOverridden {
        earlier: vec!["LS2026-0001".into()],
    }
    .to_string();
    assert!(
        msg.contains("同一事由每年只救助一次") && msg.contains("LS2026-0001"),
        "{msg}"
    );
}

#[test]
fn above_the_township_quota_the_county_decides() {
    let over = TempAction::ApproveTownship {
        total_fen: 261_301,
        stages: plan(&[(d(2026, 11, 1), 261_301)]),
    };
    let err = TempError::AboveTownshipQuota {
        amount_fen: 261_301,
        quota_fen: 261_300,
    };
    check(
        S::Investigated,
        &over,
        &actor(Role::Reviewer),
        &facts(),
        Err(err.clone()),
    );
    assert_eq!(
        err.to_string(),
        "救助金额 2,613.01 元超过乡镇审批额度 2,613.00 元，须报县级民政部门审批（请选择“报县级审批”）"
    );
    assert_eq!(err.to_cmd_error().code, ErrorCode::Forbidden);
    // Exactly the quota is the township's to approve.
    let at = TempAction::ApproveTownship {
        total_fen: 261_300,
        stages: plan(&[(d(2026, 11, 1), 261_300)]),
    };
    check(
        S::Investigated,
        &at,
        &actor(Role::Reviewer),
        &facts(),
        Ok(S::Approved),
    );
    // The county approves above the quota, up to the cap.
    let county = TempAction::ApproveCounty {
        total_fen: 871_000,
        stages: plan(&[(d(2026, 11, 1), 871_000)]),
    };
    check(
        S::Referred,
        &county,
        &actor(Role::Approver),
        &facts(),
        Ok(S::Approved),
    );
    let above_cap = TempAction::ApproveCounty {
        total_fen: 871_001,
        stages: plan(&[(d(2026, 11, 1), 871_001)]),
    };
    check(
        S::Referred,
        &above_cap,
        &actor(Role::Approver),
        &facts(),
        Err(TempError::AboveCap {
            amount_fen: 871_001,
            cap_fen: 871_000,
        }),
    );
}

#[test]
fn an_advance_stays_within_the_quota_and_the_reserve_fund() {
    let reviewer = actor(Role::Reviewer);
    let mut f = facts();
    f.reserve_balance_fen = 50_000;
    check(
        S::Applied,
        &TempAction::GrantAdvance { amount_fen: 50_001 },
        &reviewer,
        &f,
        Err(TempError::ReserveFundShort {
            balance_fen: 50_000,
            need_fen: 50_001,
        }),
    );
    check(
        S::Applied,
        &TempAction::GrantAdvance { amount_fen: 50_000 },
        &reviewer,
        &f,
        Ok(S::Advanced),
    );
    check(
        S::Accepted,
        &TempAction::GrantAdvance {
            amount_fen: 261_301,
        },
        &reviewer,
        &facts(),
        Err(TempError::AdvanceAboveQuota {
            amount_fen: 261_301,
            quota_fen: 261_300,
        }),
    );
    check(
        S::Accepted,
        &TempAction::GrantAdvance { amount_fen: 0 },
        &reviewer,
        &facts(),
        Err(TempError::AmountNotPositive),
    );
    let msg = TempError::ReserveFundShort {
        balance_fen: 50_000,
        need_fen: 120_000,
    }
    .to_string();
    assert_eq!(
        msg,
        "乡镇备用金余额不足：余额 500.00 元，本次需 1,200.00 元"
    );
}

#[test]
fn after_an_advance_the_approval_counts_it() {
    let reviewer = actor(Role::Reviewer);
    let mut f = facts();
    f.advance_by = Some(REVIEWER);
    f.advance_fen = 100_000;
    // The advance was all of it: approve the same total, nothing left to pay, closed.
    let same = TempAction::ApproveTownship {
        total_fen: 100_000,
        stages: vec![],
    };
    check(S::Investigated, &same, &reviewer, &f, Ok(S::Closed));
    // Topped up: the stages pay the rest.
    let more = TempAction::ApproveTownship {
        total_fen: 250_000,
        stages: plan(&[(d(2026, 11, 1), 100_000), (d(2027, 1, 1), 50_000)]),
    };
    check(S::Investigated, &more, &reviewer, &f, Ok(S::Approved));
    let less = TempAction::ApproveTownship {
        total_fen: 90_000,
        stages: vec![],
    };
    check(
        S::Investigated,
        &less,
        &reviewer,
        &f,
        Err(TempError::TotalBelowAdvance {
            total_fen: 90_000,
            advance_fen: 100_000,
        }),
    );
    check(
        S::Investigated,
        &sample(K::RefuseTownship),
        &reviewer,
        &f,
        Err(TempError::AdvanceGranted {
            advance_fen: 100_000,
        }),
    );
}

#[test]
fn the_payment_plan_adds_up_and_runs_forward() {
    let reviewer = actor(Role::Reviewer);
    let approve = |stages: &[(NaiveDate, i64)]| TempAction::ApproveTownship {
        total_fen: 240_000,
        stages: plan(stages),
    };
    let table: &[(&[(NaiveDate, i64)], TempError)] = &[
        (
            &[(d(2026, 11, 1), 80_000), (d(2026, 12, 1), 80_000)],
            TempError::StagesDontAddUp {
                sum_fen: 160_000,
                expected_fen: 240_000,
            },
        ),
        (
            &[],
            TempError::StagesDontAddUp {
                sum_fen: 0,
                expected_fen: 240_000,
            },
        ),
        (
            &[(d(2026, 10, 1), 240_000)],
            TempError::StageMonthPast {
                no: 1,
                month: d(2026, 10, 1),
            },
        ),
        (
            &[(d(2026, 12, 1), 120_000), (d(2026, 12, 1), 120_000)],
            TempError::StageMonthsOutOfOrder { no: 2 },
        ),
        (
            &[(d(2026, 11, 1), 240_000), (d(2026, 12, 1), 0)],
            TempError::StageAmountNotPositive { no: 2 },
        ),
    ];
    for (stages, err) in table {
        check(
            S::Investigated,
            &approve(stages),
            &reviewer,
            &facts(),
            Err(err.clone()),
        );
    }
    let three = [
        (d(2026, 11, 1), 80_000),
        (d(2026, 12, 1), 80_000),
        (d(2027, 1, 1), 80_000),
    ];
    check(
        S::Investigated,
        &approve(&three),
        &reviewer,
        &facts(),
        Ok(S::Approved),
    );
    let e = TempError::StageMonthsOutOfOrder { no: 2 }.to_cmd_error();
    assert_eq!(e.field.as_deref(), Some("stages[1].month"));
    let many: Vec<StagePlan> = (0..13)
        .map(|i| StagePlan {
            month: d(2027 + i / 12, (i % 12) as u32 + 1, 1),
            amount_fen: 1,
        })
        .collect();
    check(
        S::Investigated,
        &TempAction::ApproveTownship {
            total_fen: 13,
            stages: many,
        },
        &reviewer,
        &facts(),
        Err(TempError::TooManyStages { count: 13, max: 12 }),
    );
}

#[test]
fn each_stage_is_paid_once_and_the_last_closes_the_case() {
    let caseworker = actor(Role::Caseworker);
    check(
        S::Approved,
        &TempAction::PayStage { stage_no: 1 },
        &caseworker,
        &facts(),
        Err(TempError::StageAlreadyPaid {
            no: 1,
            paid_on: d(2026, 11, 10),
        }),
    );
    check(
        S::Approved,
        &TempAction::PayStage { stage_no: 3 },
        &caseworker,
        &facts(),
        Err(TempError::NoSuchStage { no: 3, count: 2 }),
    );
    let mut f = facts();
    f.stages[0].paid_on = None;
    check(
        S::Approved,
        &TempAction::PayStage { stage_no: 2 },
        &caseworker,
        &f,
        Ok(S::Approved),
    );
    assert_eq!(
        TempError::StageAlreadyPaid {
            no: 1,
            paid_on: d(2026, 11, 10)
        }
        .to_string(),
        "第 1 阶段已于 2026-11-10 发放，不能重复发放"
    );
}

#[test]
fn deadlines_of_each_step() {
    let mut cal = WorkCalendar::default();
    cal.holidays.insert(d(2027, 1, 1));
    let limits = TempLimits {
        procedure_workdays: 15,
        paperwork_workdays: 5,
    };
    let dates = TempDates {
        applied_on: d(2026, 11, 19),
        accepted_on: Some(d(2026, 11, 20)),
        advance_on: Some(d(2026, 11, 20)),
        next_stage_month: Some(d(2026, 12, 1)),
    };
    // Friday 20 Nov + 5 working days = Friday 27 Nov.
    assert_eq!(
        step_deadline(&cal, S::Advanced, &dates, &limits),
        Some(d(2026, 11, 27))
    );
    // + 15 working days = Friday 11 Dec.
    assert_eq!(
        step_deadline(&cal, S::Investigated, &dates, &limits),
        Some(d(2026, 12, 11))
    );
    // Not yet accepted: counted from registration (Thursday 19 Nov → Thursday 10 Dec).
    let unaccepted = TempDates {
        accepted_on: None,
        ..dates
    };
    assert_eq!(
        step_deadline(&cal, S::Applied, &unaccepted, &limits),
        Some(d(2026, 12, 10))
    );
    // The next stage is due by the end of its month, December rolling into the new year.
    assert_eq!(
        step_deadline(&cal, S::Approved, &dates, &limits),
        Some(d(2026, 12, 31))
    );
    // Paperwork over New Year's Day: Wed 30 Dec + 5 = Thu 31, Mon 4, Tue 5, Wed 6, Thu 7 Jan.
    let late = TempDates {
        advance_on: Some(d(2026, 12, 30)),
        ..dates
    };
    assert_eq!(
        step_deadline(&cal, S::Advanced, &late, &limits),
        Some(d(2027, 1, 7))
    );
    assert_eq!(step_deadline(&cal, S::Closed, &dates, &limits), None);
    assert_eq!(step_deadline(&cal, S::Refused, &dates, &limits), None);
}
