//! 临时救助 tests: separation of duties, near relatives, the county home check and the same-cause rule.

use super::*;

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
