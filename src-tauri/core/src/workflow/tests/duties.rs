//! Separation of duties, near relatives and township boundaries.

use super::*;
use crate::error::ErrorCode;

#[test]
fn whoever_handled_the_case_cannot_review_or_approve() {
    // (state, step, role, the user's part in the case)
    let table: &[(CaseState, ActionKind, Role, i64)] = &[
        (S::Investigated, K::ReviewTownship, Role::Reviewer, CREATOR),
        (
            S::Investigated,
            K::ReviewTownship,
            Role::Reviewer,
            INVESTIGATORS[1],
        ),
        (S::OnNotice, K::Approve, Role::Approver, CREATOR),
        (S::OnNotice, K::Approve, Role::Approver, INVESTIGATORS[0]),
        (S::OnNotice, K::Refuse, Role::Approver, INVESTIGATORS[1]),
    ];
    for (state, kind, role, user_id) in table {
        let mut who = actor(*role);
        who.user_id = *user_id;
        check(
            *state,
            &sample(*kind),
            &who,
            &facts(),
            Err(TransitionError::HandledCase { action: *kind }),
        );
    }
    // The township reviewer, promoted to approver, still cannot approve what they reviewed.
    let mut who = actor(Role::Approver);
    who.user_id = REVIEWER;
    for kind in [K::Approve, K::Refuse] {
        check(
            S::OnNotice,
            &sample(kind),
            &who,
            &facts(),
            Err(TransitionError::ReviewedCase { action: kind }),
        );
    }
    let msg = TransitionError::HandledCase { action: K::Approve }.to_string();
    assert!(
        msg.contains("不能再审批同意") && msg.contains("分离"),
        "{msg}"
    );
}

#[test]
fn a_near_relative_can_take_no_action() {
    for state in CaseState::ALL {
        for kind in ActionKind::ALL {
            for role in Role::ALL {
                let who = actor(role);
                let mut f = facts();
                f.near_relative_user_ids = vec![who.user_id];
                check(
                    state,
                    &sample(kind),
                    &who,
                    &f,
                    Err(TransitionError::NearRelative),
                );
            }
        }
    }
    let err = TransitionError::NearRelative.to_cmd_error();
    assert_eq!(err.code, ErrorCode::Forbidden);
    assert!(err.message.contains("近亲属"));
}

#[test]
fn a_flagged_case_needs_the_county_home_check_before_approval() {
    let approver = actor(Role::Approver);
    let mut f = facts();
    f.near_relative_user_ids = vec![99];
    let approve = sample(K::Approve);
    check(
        S::OnNotice,
        &approve,
        &approver,
        &f,
        Err(TransitionError::AwaitingCountyHomeCheck),
    );
    // A village committee member's relation, filed without a user id, flags the case too.
    let mut g = facts();
    g.near_relative_filed = true;
    check(
        S::OnNotice,
        &approve,
        &approver,
        &g,
        Err(TransitionError::AwaitingCountyHomeCheck),
    );
    // Refusal needs no home check.
    check(
        S::OnNotice,
        &sample(K::Refuse),
        &approver,
        &g,
        Ok(S::Refused),
    );
    f.county_home_check_recorded = true;
    check(S::OnNotice, &approve, &approver, &f, Ok(S::Enrolled));
}

#[test]
fn township_staff_act_only_in_their_township() {
    let mut caseworker = actor(Role::Caseworker);
    caseworker.township_id = Some(TOWNSHIP + 1);
    check(
        S::Applied,
        &Action::Accept,
        &caseworker,
        &facts(),
        Err(TransitionError::OtherTownship),
    );
    caseworker.township_id = None;
    check(
        S::Applied,
        &Action::Accept,
        &caseworker,
        &facts(),
        Err(TransitionError::OtherTownship),
    );
    let mut approver = actor(Role::Approver);
    approver.is_county = false;
    approver.township_id = Some(TOWNSHIP);
    check(
        S::OnNotice,
        &sample(K::Approve),
        &approver,
        &facts(),
        Err(TransitionError::NotCountyStaff),
    );
}

#[test]
fn ending_a_case_before_its_notice_is_a_decision_of_someone_who_did_not_handle_it() {
    for (who_id, role) in [
        (CREATOR, Role::Reviewer),
        (INVESTIGATORS[0], Role::Reviewer),
        (INVESTIGATORS[1], Role::Approver),
    ] {
        let mut who = actor(role);
        who.user_id = who_id;
        check(
            S::Investigated,
            &sample(K::Terminate),
            &who,
            &facts(),
            Err(TransitionError::HandledCase {
                action: K::Terminate,
            }),
        );
    }
    // The township reviewer who signed the review may still end it before the 公示 …
    let mut reviewer = actor(Role::Reviewer);
    reviewer.user_id = REVIEWER;
    let end = sample(K::Terminate);
    check(
        S::TownshipReviewed,
        &end,
        &reviewer,
        &facts(),
        Ok(S::Refused),
    );
    // … but once promoted to county approver, not decide on what they reviewed.
    let mut approver = actor(Role::Approver);
    approver.user_id = REVIEWER;
    check(
        S::TownshipReviewed,
        &end,
        &approver,
        &facts(),
        Err(TransitionError::ReviewedCase {
            action: K::Terminate,
        }),
    );
    // A caseworker records a withdrawal, even on a case they handled: it is the applicant's.
    let mut caseworker = actor(Role::Caseworker);
    caseworker.user_id = CREATOR;
    check(
        S::OnNotice,
        &sample(K::Withdraw),
        &caseworker,
        &facts(),
        Ok(S::Withdrawn),
    );
    // Neither takes a blank reason.
    let blank = [
        (
            Action::Terminate {
                reasons: " ".into(),
            },
            "reasons",
            actor(Role::Approver),
        ),
        (
            Action::Withdraw { reason: "".into() },
            "reason",
            actor(Role::Caseworker),
        ),
    ];
    for (action, field, who) in blank {
        let e = transition(&S::Accepted, &action, &who, &facts()).unwrap_err();
        assert_eq!(e.to_cmd_error().field.as_deref(), Some(field), "{action:?}");
    }
}
