//! 一事一议 tests: thresholds, quorum, the decision's minutes and majority, payment after the notice, closing, the tally.

use super::*;

#[test]
fn thresholds() {
    use Threshold as T;
    // (rule, count, base, met)
    let table = [
        (T::MoreThanHalf, 6, 11, true),
        (T::MoreThanHalf, 5, 11, false),
        (T::MoreThanHalf, 2, 4, false),
        (T::MoreThanHalf, 3, 4, true),
        (T::AtLeastHalf, 2, 4, true),
        (T::AtLeastHalf, 5, 11, false),
        (T::AtLeastTwoThirds, 8, 12, true),
        (T::AtLeastTwoThirds, 7, 11, false),
        (T::AtLeastTwoThirds, 8, 11, true),
        (T::All, 11, 11, true),
        (T::All, 10, 11, false),
        (T::MoreThanHalf, 0, 0, false),
        (T::All, 0, 0, false),
    ];
    for (rule, count, base, met) in table {
        assert_eq!(rule.met(count, base), met, "{rule:?} {count}/{base}");
    }
}

#[test]
fn a_meeting_without_quorum_decides_nothing() {
    let approver = actor(Role::Approver);
    let mut f = facts();
    let m = f.meeting.as_mut().unwrap();
    m.expected = 11;
    m.present = 5;
    let err = DelibError::NoQuorum {
        expected: 11,
        present: 5,
        rule: Threshold::MoreThanHalf,
    };
    for outcome in [
        approve(100, vec![100]),
        Outcome::Reject {
            reasons: "可通过临时救助解决".into(),
        },
    ] {
        let decide = DelibAction::Decide {
            outcome,
            minutes: "纪要".into(),
        };
        check(S::OnAgenda, &decide, &approver, &f, Err(err.clone()));
    }
    assert_eq!(
        err.to_string(),
        "会议未达到法定人数：应到 11 个成员单位，实到 5 个，须超过半数"
    );
    assert_eq!(err.to_cmd_error().code, ErrorCode::Conflict);
    // Six of eleven is a quorum; a grant then needs four of the six in favour.
    let m = f.meeting.as_mut().unwrap();
    m.present = 6;
    m.tally = tally(6, &[Opinion::Agree; 3]);
    let no_majority = transition(&S::OnAgenda, &sample(K::Decide), &approver, &f);
    assert!(matches!(
        no_majority,
        Err(DelibError::NoMajority {
            in_favour: 3,
            present: 6,
            ..
        })
    ));
    f.meeting.as_mut().unwrap().tally = tally(6, &[Opinion::Agree; 4]);
    check(
        S::OnAgenda,
        &sample(K::Decide),
        &approver,
        &f,
        Ok(S::Approved),
    );
}

#[test]
fn the_decision_needs_minutes_an_open_meeting_and_a_majority_to_grant() {
    let ap = actor(Role::Approver);
    let decide = |outcome: Outcome, minutes: &str| DelibAction::Decide {
        outcome,
        minutes: minutes.into(),
    };
    let against = {
        let mut f = facts();
        let m = f.meeting.as_mut().unwrap();
        m.tally = tally(
            4,
            &[
                Opinion::Agree,
                Opinion::AgreeWithChanges,
                Opinion::Disagree,
                Opinion::Disagree,
            ],
        );
        f
    };
    let silent = {
        let mut f = facts();
        f.meeting.as_mut().unwrap().tally = tally(4, &[Opinion::Agree, Opinion::Agree]);
        f
    };
    let closed = {
        let mut f = facts();
        f.meeting.as_mut().unwrap().open = false;
        f
    };
    let none = DelibFacts {
        meeting: None,
        ..facts()
    };
    let reject = Outcome::Reject {
        reasons: "已纳入医疗救助，不再重复救助".into(),
    };
    let refer = Outcome::Refer {
        programme: "临时救助（支出型）".into(),
    };
    let table: Vec<(DelibAction, DelibFacts, Result<DelibState, DelibError>)> = vec![
        (
            decide(approve(100, vec![100]), "  "),
            facts(),
            Err(DelibError::TextRequired {
                field: "minutes",
                what: "会议纪要（没有会议纪要不能作出决定）",
            }),
        ),
        (
            decide(approve(100, vec![100]), "纪要"),
            closed,
            Err(DelibError::MeetingClosed),
        ),
        (
            decide(approve(100, vec![100]), "纪要"),
            none,
            Err(DelibError::NoMeeting),
        ),
        // Two of four for, two against: not more than half in favour.
        (
            decide(approve(100, vec![100]), "纪要"),
            against.clone(),
            Err(DelibError::NoMajority {
                in_favour: 2,
                against: 2,
                present: 4,
                rule: Threshold::MoreThanHalf,
            }),
        ),
        // Silent units present count against a grant.
        (
            decide(approve(100, vec![100]), "纪要"),
            silent,
            Err(DelibError::NoMajority {
                in_favour: 2,
                against: 0,
                present: 4,
                rule: Threshold::MoreThanHalf,
            }),
        ),
        // The same meeting may still reject or refer.
        (
            decide(reject.clone(), "纪要"),
            against.clone(),
            Ok(S::Rejected),
        ),
        (decide(refer, "纪要"), against, Ok(S::Referred)),
        (
            decide(Outcome::Reject { reasons: "".into() }, "纪要"),
            facts(),
            Err(DelibError::TextRequired {
                field: "reasons",
                what: "不予救助的理由",
            }),
        ),
        (
            decide(approve(0, vec![]), "纪要"),
            facts(),
            Err(DelibError::AmountNotPositive),
        ),
        (
            decide(approve(100, vec![60, 30]), "纪要"),
            facts(),
            Err(DelibError::StagesDoNotSum {
                total_fen: 90,
                amount_fen: 100,
            }),
        ),
        (
            decide(approve(100, vec![100, 0]), "纪要"),
            facts(),
            Err(DelibError::StageNotPositive { stage: 2 }),
        ),
        (
            decide(
                Outcome::Approve {
                    amount_fen: 100,
                    measures: "救助".into(),
                    responsible_units: vec![],
                    stages_fen: vec![100],
                },
                "纪要",
            ),
            facts(),
            Err(DelibError::NoResponsibleUnit),
        ),
        (
            decide(
                Outcome::Approve {
                    amount_fen: 100,
                    measures: "救助".into(),
                    responsible_units: vec!["税务局".into()],
                    stages_fen: vec![100],
                },
                "纪要",
            ),
            facts(),
            Err(DelibError::UnknownUnit {
                unit: "税务局".into(),
            }),
        ),
    ];
    for (action, f, want) in table {
        check(S::OnAgenda, &action, &ap, &f, want);
    }
    let msg = DelibError::NoMajority {
        in_favour: 2,
        against: 2,
        present: 4,
        rule: Threshold::MoreThanHalf,
    }
    .to_string();
    assert!(msg.contains("同意的须超过半数"), "{msg}");
    // Scheduling onto a closed meeting is refused too.
    let mut f = facts();
    f.meeting.as_mut().unwrap().open = false;
    check(
        S::Reviewed,
        &DelibAction::Schedule,
        &ap,
        &f,
        Err(DelibError::MeetingClosed),
    );
}

#[test]
fn payment_waits_for_the_notice_and_closing_for_payments_and_a_visit() {
    let ap = actor(Role::Approver);
    let pay = |stage, paid_on| DelibAction::RecordPayment {
        stage,
        paid_on,
        reason: String::new(),
    };
    let on = |today: NaiveDate| DelibFacts { today, ..facts() };
    let table: Vec<(
        DelibState,
        DelibAction,
        DelibFacts,
        Result<DelibState, DelibError>,
    )> = vec![
        (
            S::OnNotice,
            pay(2, d(2026, 11, 7)),
            on(d(2026, 11, 7)),
            Err(DelibError::StillOnNotice {
                start: d(2026, 11, 1),
                end: d(2026, 11, 7),
            }),
        ),
        (
            S::OnNotice,
            pay(2, d(2026, 11, 8)),
            on(d(2026, 11, 8)),
            Ok(S::Paying),
        ),
        (
            S::OnNotice,
            pay(2, d(2026, 11, 7)),
            on(d(2026, 11, 8)),
            Err(DelibError::PaidDuringNotice {
                end: d(2026, 11, 7),
            }),
        ),
        (
            S::Paying,
            pay(2, d(2026, 11, 21)),
            facts(),
            Err(DelibError::DateInFuture {
                field: "paid_on",
                date: d(2026, 11, 21),
            }),
        ),
        (
            S::Paying,
            pay(1, d(2026, 11, 20)),
            facts(),
            Err(DelibError::StageAlreadyPaid { stage: 1 }),
        ),
        (
            S::Paying,
            pay(3, d(2026, 11, 20)),
            facts(),
            Err(DelibError::UnknownStage { stage: 3 }),
        ),
        (
            S::OnNotice,
            pay(2, d(2026, 11, 20)),
            DelibFacts {
                notice_start: None,
                ..facts()
            },
            Err(DelibError::NoticeNotRecorded),
        ),
        (
            S::Paying,
            sample(K::Close),
            facts(),
            Err(DelibError::UnpaidStages { count: 1 }),
        ),
        (
            S::Paying,
            sample(K::Close),
            DelibFacts {
                visits: 0,
                ..facts_for(K::Close)
            },
            Err(DelibError::NoFollowUpVisit),
        ),
        (
            S::SignedOff,
            DelibAction::StartNotice {
                start: d(2026, 11, 21),
            },
            facts(),
            Err(DelibError::DateInFuture {
                field: "start",
                date: d(2026, 11, 21),
            }),
        ),
    ];
    for (state, action, f, want) in table {
        check(state, &action, &ap, &f, want);
    }
}

/// A stage is paid once, by hand or by the run; by hand before its planned month only with a
/// reason; the 公示 starts no earlier than the sign-off it announces.
#[test]
fn a_stage_on_a_roster_early_payment_and_the_notice_after_the_sign_off() {
    let ap = actor(Role::Approver);
    let pay = |stage, paid_on, reason: &str| DelibAction::RecordPayment {
        stage,
        paid_on,
        reason: reason.into(),
    };
    let nov = super::month(2026, 11);
    let dec = super::month(2026, 12);
    let on_roster = DelibFacts {
        rosters: vec![(2, nov)],
        ..facts()
    };
    let december = DelibFacts {
        stage_months: vec![(1, nov), (2, dec)],
        ..facts()
    };
    let notice = |start| DelibAction::StartNotice { start };
    let table: Vec<(
        DelibState,
        DelibAction,
        DelibFacts,
        Result<DelibState, DelibError>,
    )> = vec![
        (
            S::Paying,
            pay(2, d(2026, 11, 20), ""),
            on_roster.clone(),
            Err(DelibError::StageOnRoster {
                stage: 2,
                month: nov,
            }),
        ),
        (
            S::Paying,
            pay(2, d(2026, 11, 20), ""),
            december.clone(),
            Err(DelibError::EarlyPaymentNeedsReason {
                stage: 2,
                month: dec,
            }),
        ),
        (
            S::Paying,
            pay(2, d(2026, 11, 20), "患者急需手术费"),
            december,
            Ok(S::Paying),
        ),
        (
            S::SignedOff,
            notice(d(2026, 10, 29)),
            facts(),
            Err(DelibError::NoticeBeforeSignOff {
                start: d(2026, 10, 29),
                signed_off_on: d(2026, 10, 30),
            }),
        ),
        (
            S::SignedOff,
            notice(d(2026, 10, 30)),
            facts(),
            Ok(S::OnNotice),
        ),
        // Stage 2 on the roster is the run's: closing waits for that month's lock, not a hand
        // entry; once locked the run has paid it.
        (
            S::Paying,
            sample(K::Close),
            on_roster.clone(),
            Err(DelibError::AwaitingRunLock {
                stage: 2,
                month: nov,
            }),
        ),
        (
            S::Paying,
            sample(K::Close),
            DelibFacts {
                run_paid: vec![2],
                ..on_roster.clone()
            },
            Ok(S::Closed),
        ),
    ];
    for (state, action, f, want) in table {
        check(state, &action, &ap, &f, want);
    }
    assert!(!available_actions(S::Paying, &ap, &on_roster).contains(&K::RecordPayment));
    // The lock of a run paying a stage moves the case on as a hand payment does.
    for (state, want) in [
        (S::OnNotice, S::Paying),
        (S::Paying, S::Paying),
        (S::Closed, S::Closed),
    ] {
        assert_eq!(paid_by_run(state), want, "{state:?}");
    }
    assert_eq!(
        DelibError::AwaitingRunLock {
            stage: 2,
            month: nov
        }
        .to_string(),
        "第 2 期已列入 2026-11 月度发放花名册，该月发放锁定后才算发放完毕，才能结案"
    );
    assert!(available_actions(S::Paying, &ap, &facts()).contains(&K::RecordPayment));
    assert_eq!(
        DelibError::StageOnRoster {
            stage: 2,
            month: nov
        }
        .to_string(),
        "第 2 期已列入 2026-11 月度发放花名册，不能再登记发放"
    );
}

#[test]
fn the_tally_counts_silent_units_present() {
    let t = tally(
        6,
        &[Opinion::Agree, Opinion::AgreeWithChanges, Opinion::Disagree],
    );
    assert_eq!(
        (
            t.agree,
            t.agree_with_changes,
            t.disagree,
            t.silent,
            t.in_favour()
        ),
        (1, 1, 1, 3, 2)
    );
    assert!(check_majority(Threshold::MoreThanHalf, 6, &t).is_err());
    assert_eq!(check_quorum(Threshold::MoreThanHalf, 11, 6), Ok(()));
}

/// The 公示's end is the one fixed when it started; a notice started before the end was stored
/// computes it from the settings now.
#[test]
fn the_notice_end_fixed_at_the_start_is_kept() {
    let ap = actor(Role::Approver);
    let pay = DelibAction::RecordPayment {
        stage: 1,
        paid_on: d(2026, 11, 20),
        reason: String::new(),
    };
    // Started 1 November for 7 days: computed end 7 November.
    assert_eq!(facts().notice_end(), Some(d(2026, 11, 7)));
    assert_eq!(facts().notice_end_from(d(2026, 11, 2)), d(2026, 11, 8));
    let fixed = DelibFacts {
        notice_end_fixed: Some(d(2026, 11, 20)),
        ..facts()
    };
    assert_eq!(fixed.notice_end(), Some(d(2026, 11, 20)));
    check(
        S::Paying,
        &pay,
        &ap,
        &DelibFacts {
            today: d(2026, 11, 20),
            ..fixed
        },
        Err(DelibError::StillOnNotice {
            start: d(2026, 11, 1),
            end: d(2026, 11, 20),
        }),
    );
}
