//! Tests of the 一事一议 state machine and meeting rules: the exhaustive state × action × role
//! table against literal tables, then each rule's own cases.

use chrono::NaiveDate;

use super::*;
use crate::auth::Role;
use crate::error::ErrorCode;
use crate::workflow::Actor;

use DelibActionKind as K;
use DelibState as S;

const TOWNSHIP: i64 = 7;
const FILER: i64 = 1;
/// The approver who recorded the meeting's decision, and the one who signed it off.
const DECIDER: i64 = 2;
const SIGNER: i64 = 3;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn units() -> Vec<String> {
    ["民政局", "财政局", "医保局", "教育局", "残联"]
        .map(String::from)
        .to_vec()
}

/// An open meeting of five units, four present, three in favour and one against.
fn meeting() -> MeetingFacts {
    MeetingFacts {
        open: true,
        expected: 5,
        present: 4,
        tally: tally(
            4,
            &[
                Opinion::Agree,
                Opinion::AgreeWithChanges,
                Opinion::Agree,
                Opinion::Disagree,
            ],
        ),
        units: units(),
        quorum: Threshold::MoreThanHalf,
        majority: Threshold::MoreThanHalf,
    }
}

/// Facts under which every step's data passes: a quorate meeting, the notice (1–7 November
/// 2026) ended, stage 1 paid and stage 2 due, one visit on file.
fn month(y: i32, m: u32) -> crate::month::Month {
    crate::month::Month::new(y, m).unwrap()
}

fn facts() -> DelibFacts {
    DelibFacts {
        township_id: TOWNSHIP,
        filed_by: FILER,
        near_relative_user_ids: vec![],
        today: d(2026, 11, 20),
        meeting: Some(meeting()),
        notice_start: Some(d(2026, 11, 1)),
        notice_days: 7,
        notice_calendar: None,
        notice_end_fixed: None,
        unpaid_stages: vec![2],
        paid_stages: vec![1],
        visits: 1,
        signed_off_on: Some(d(2026, 10, 30)),
        decided_by: Some(DECIDER),
        signed_off_by: Some(SIGNER),
        stage_months: vec![(1, month(2026, 11)), (2, month(2026, 11))],
        rosters: vec![],
        run_paid: vec![],
    }
}

/// The facts for a sample of this kind: closing needs every stage paid.
fn facts_for(kind: DelibActionKind) -> DelibFacts {
    let mut f = facts();
    if kind == K::Close {
        f.unpaid_stages.clear();
        f.paid_stages = vec![1, 2];
    }
    f
}

fn actor(role: Role) -> Actor {
    let user_id = 10 + Role::ALL.iter().position(|r| *r == role).unwrap() as i64;
    Actor {
        user_id,
        role,
        township_id: role.works_in_township().then_some(TOWNSHIP),
        is_county: !role.works_in_township(),
    }
}

fn approve(amount_fen: i64, stages_fen: Vec<i64>) -> Outcome {
    Outcome::Approve {
        amount_fen,
        measures: "一次性救助 2 万元，医保局二次报销，教育局资助子女学费".into(),
        responsible_units: vec!["民政局".into(), "医保局".into()],
        stages_fen,
    }
}

fn sample(kind: DelibActionKind) -> DelibAction {
    match kind {
        K::Review => DelibAction::Review {
            opinion: "情况属实，符合一事一议条件".into(),
        },
        K::Return => DelibAction::Return {
            reasons: "缺少医疗费用票据".into(),
        },
        K::Resubmit => DelibAction::Resubmit {
            note: "已补充住院发票".into(),
        },
        K::Schedule => DelibAction::Schedule,
        K::Decide => DelibAction::Decide {
            outcome: approve(2_000_000, vec![1_200_000, 800_000]),
            minutes: "会议研究决定给予一次审批、分两期救助".into(),
        },
        K::Defer => DelibAction::Defer,
        K::SignOff => DelibAction::SignOff,
        K::StartNotice => DelibAction::StartNotice {
            start: d(2026, 11, 1),
        },
        K::RecordPayment => DelibAction::RecordPayment {
            stage: 2,
            paid_on: d(2026, 11, 20),
            reason: String::new(),
        },
        K::RecordVisit => DelibAction::RecordVisit {
            findings: "患者已出院，家庭生活基本稳定".into(),
        },
        K::Close => DelibAction::Close {
            outcome: "救助金已全部发放，家庭度过难关".into(),
        },
    }
}

const A: &[Role] = &[Role::Approver];
const TA: &[Role] = &[Role::Caseworker, Role::Reviewer, Role::Approver];

/// Who takes each step. Written out independently of `roles_for`.
const WHO: &[(DelibActionKind, &[Role])] = &[
    (K::Review, A),
    (K::Return, A),
    (K::Resubmit, TA),
    (K::Schedule, A),
    (K::Decide, A),
    (K::Defer, A),
    (K::SignOff, A),
    (K::StartNotice, TA),
    (K::RecordPayment, A),
    (K::RecordVisit, TA),
    (K::Close, A),
];

/// Every permitted (state, step) with the state it leads to (for the sample data). Anything
/// not listed is refused as out of order.
const ALLOWED: &[(DelibState, DelibActionKind, DelibState)] = &[
    (S::Filed, K::Review, S::Reviewed),
    (S::Filed, K::Return, S::Returned),
    (S::Returned, K::Resubmit, S::Filed),
    (S::Reviewed, K::Schedule, S::OnAgenda),
    (S::OnAgenda, K::Decide, S::Approved),
    (S::OnAgenda, K::Defer, S::Reviewed),
    (S::Approved, K::SignOff, S::SignedOff),
    (S::SignedOff, K::StartNotice, S::OnNotice),
    (S::OnNotice, K::RecordPayment, S::Paying),
    (S::Paying, K::RecordPayment, S::Paying),
    (S::Paying, K::RecordVisit, S::Paying),
    (S::Paying, K::Close, S::Closed),
];

fn expected(
    state: DelibState,
    kind: DelibActionKind,
    role: Role,
) -> Result<DelibState, DelibError> {
    let (_, roles) = WHO.iter().find(|(k, _)| *k == kind).unwrap();
    if !roles.contains(&role) {
        return Err(DelibError::RoleNotAllowed { action: kind, role });
    }
    match ALLOWED.iter().find(|(s, k, _)| *s == state && *k == kind) {
        Some((_, _, next)) => Ok(*next),
        None => Err(DelibError::WrongState {
            state,
            action: kind,
        }),
    }
}

fn check(
    state: DelibState,
    action: &DelibAction,
    actor: &Actor,
    facts: &DelibFacts,
    want: Result<DelibState, DelibError>,
) {
    let got = transition(&state, action, actor, facts);
    assert_eq!(got, want, "{state:?} × {action:?} by {actor:?}");
}

#[test]
fn every_state_action_role() {
    let mut allowed = 0;
    for state in DelibState::ALL {
        for kind in DelibActionKind::ALL {
            for role in Role::ALL {
                let want = expected(state, kind, role);
                allowed += usize::from(want.is_ok());
                check(state, &sample(kind), &actor(role), &facts_for(kind), want);
            }
        }
    }
    // Resubmit, StartNotice and RecordVisit (once each) are open to three roles.
    assert_eq!(allowed, ALLOWED.len() + 3 * 2);
}

#[test]
fn available_actions_match_the_table() {
    for state in DelibState::ALL {
        for role in Role::ALL {
            let mut got = available_actions(state, &actor(role), &facts());
            got.sort();
            let want: Vec<DelibActionKind> = DelibActionKind::ALL
                .into_iter()
                .filter(|k| expected(state, *k, role).is_ok())
                .collect();
            assert_eq!(got, want, "{state:?} {role:?}");
        }
    }
}

#[test]
fn final_states_take_nothing_and_codes_round_trip() {
    for state in DelibState::ALL {
        assert_eq!(state.is_final(), actions_in(state).is_empty(), "{state:?}");
        assert_eq!(DelibState::parse(state.as_str()), Some(state));
    }
    for t in Threshold::ALL {
        assert_eq!(Threshold::parse(t.as_str()), Some(t));
    }
    for o in Opinion::ALL {
        assert_eq!(Opinion::parse(o.as_str()), Some(o));
    }
}

#[test]
fn a_near_relative_can_take_no_action() {
    for state in DelibState::ALL {
        for kind in DelibActionKind::ALL {
            for role in Role::ALL {
                let who = actor(role);
                let mut f = facts_for(kind);
                f.near_relative_user_ids = vec![who.user_id];
                check(
                    state,
                    &sample(kind),
                    &who,
                    &f,
                    Err(DelibError::NearRelative),
                );
            }
        }
    }
    let who = actor(Role::Caseworker);
    assert_eq!(
        check_filer(&who, TOWNSHIP, &[who.user_id]),
        Err(DelibError::NearRelative)
    );
    let e = DelibError::NearRelative.to_cmd_error();
    assert_eq!(e.code, ErrorCode::Forbidden);
    assert!(e.message.contains("近亲属回避"));
}

#[test]
fn the_filer_neither_reviews_nor_signs_off() {
    let mut filer = actor(Role::Approver);
    filer.user_id = FILER;
    for (state, kind) in [
        (S::Filed, K::Review),
        (S::Filed, K::Return),
        (S::Approved, K::SignOff),
    ] {
        check(
            state,
            &sample(kind),
            &filer,
            &facts(),
            Err(DelibError::FiledCase { action: kind }),
        );
    }
    // The filer may still record the meeting and pay.
    check(
        S::OnAgenda,
        &sample(K::Decide),
        &filer,
        &facts(),
        Ok(S::Approved),
    );
    assert_eq!(
        DelibError::FiledCase { action: K::SignOff }.to_string(),
        "此案件由您申报，不能再签批（申报与审查、审批须由不同人员办理）"
    );
}

/// Separation of duties after the meeting: state × action × which approver acts.
#[test]
fn the_decider_does_not_sign_off_and_the_signer_does_not_pay() {
    let approver = |user_id: i64| Actor {
        user_id,
        ..actor(Role::Approver)
    };
    let table: [(S, K, i64, Result<S, DelibError>); 7] = [
        (
            S::Approved,
            K::SignOff,
            DECIDER,
            Err(DelibError::DecidedCase),
        ),
        (S::Approved, K::SignOff, SIGNER, Ok(S::SignedOff)),
        (S::Approved, K::SignOff, 99, Ok(S::SignedOff)),
        (
            S::OnNotice,
            K::RecordPayment,
            SIGNER,
            Err(DelibError::SignedOffCase),
        ),
        (
            S::Paying,
            K::RecordPayment,
            SIGNER,
            Err(DelibError::SignedOffCase),
        ),
        (S::OnNotice, K::RecordPayment, DECIDER, Ok(S::Paying)),
        // The signer still records visits and closes the case.
        (S::Paying, K::Close, SIGNER, Ok(S::Closed)),
    ];
    for (state, kind, who, want) in table {
        check(state, &sample(kind), &approver(who), &facts_for(kind), want);
    }
    // The case page offers neither step to the person barred from it.
    assert!(!available_actions(S::Approved, &approver(DECIDER), &facts()).contains(&K::SignOff));
    assert!(!available_actions(S::Paying, &approver(SIGNER), &facts()).contains(&K::RecordPayment));
    assert_eq!(
        DelibError::DecidedCase.to_string(),
        "会议决定由您登记，作出决定的人不能同时签批，请由另一位县级审批人签批"
    );
    assert_eq!(
        DelibError::SignedOffCase.to_string(),
        "此决定由您签批，签批人不能同时登记发放，请由另一位县局人员登记发放"
    );
}

#[test]
fn who_may_file() {
    let mut other = actor(Role::Caseworker);
    other.township_id = Some(TOWNSHIP + 1);
    let table = [
        (actor(Role::Caseworker), Ok(())),
        (actor(Role::Reviewer), Ok(())),
        (actor(Role::Approver), Ok(())),
        (other, Err(DelibError::OtherTownship)),
        (
            actor(Role::MemberUnit),
            Err(DelibError::MayNotFile {
                role: Role::MemberUnit,
            }),
        ),
        (
            actor(Role::Admin),
            Err(DelibError::MayNotFile { role: Role::Admin }),
        ),
    ];
    for (who, want) in table {
        assert_eq!(check_filer(&who, TOWNSHIP, &[]), want, "{who:?}");
    }
    let mut outsider = actor(Role::Caseworker);
    outsider.township_id = Some(99);
    check(
        S::Paying,
        &sample(K::RecordVisit),
        &outsider,
        &facts(),
        Err(DelibError::OtherTownship),
    );
}

mod input;
mod meeting_rules;
