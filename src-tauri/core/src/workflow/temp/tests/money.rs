//! 临时救助 tests: quota and cap, advances from the reserve fund, the payment plan, paying stages, deadlines.

use super::*;

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
        &pay(1, ""),
        &caseworker,
        &facts(),
        Err(TempError::StageAlreadyPaid {
            no: 1,
            paid_on: d(2026, 11, 10),
        }),
    );
    check(
        S::Approved,
        &pay(3, ""),
        &caseworker,
        &facts(),
        Err(TempError::NoSuchStage { no: 3, count: 2 }),
    );
    let mut f = facts();
    f.stages[0].paid_on = None;
    check(
        S::Approved,
        &pay(2, "提前发放"),
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

fn pay(stage_no: u32, reason: &str) -> TempAction {
    TempAction::PayStage {
        stage_no,
        reason: reason.into(),
    }
}

/// A stage is paid once, by hand or by the monthly run, whichever comes first; paying by hand
/// before the planned month needs a reason.
#[test]
fn a_stage_on_a_roster_or_not_yet_due_is_not_paid_by_hand() {
    let caseworker = actor(Role::Caseworker);
    let nov = crate::month::Month::new(2026, 11).unwrap();
    let dec = crate::month::Month::new(2026, 12).unwrap();
    let mut on_roster = facts();
    on_roster.stages[0].paid_on = None;
    on_roster.stages[0].roster_month = Some(nov);
    let mut in_december = on_roster.clone();
    in_december.today = d(2026, 12, 3);
    let mut nov_locked = on_roster.clone();
    nov_locked.stages[0].roster_locked = true;
    let table: [(&TempFacts, TempAction, Result<TempState, TempError>); 7] = [
        // Stage 1 (November) is on the November roster: the run pays it.
        (
            &on_roster,
            pay(1, "提前发放"),
            Err(TempError::StageOnRoster { no: 1, month: nov }),
        ),
        // Stage 2 is planned for December; it is 20 November.
        (
            &on_roster,
            pay(2, ""),
            Err(TempError::EarlyPaymentNeedsReason { no: 2, month: dec }),
        ),
        (
            &on_roster,
            pay(2, "   "),
            Err(TempError::EarlyPaymentNeedsReason { no: 2, month: dec }),
        ),
        // With a reason it is paid; stage 1 is the run's, paid once November is locked: the
        // case stays approved until then.
        (&on_roster, pay(2, "春节前集中发放"), Ok(S::Approved)),
        (&nov_locked, pay(2, "春节前集中发放"), Ok(S::Closed)),
        // In December stage 2 is due: no reason needed.
        (&in_december, pay(2, ""), Ok(S::Approved)),
        (
            &facts(),
            pay(2, ""),
            Err(TempError::EarlyPaymentNeedsReason { no: 2, month: dec }),
        ),
    ];
    for (f, action, want) in table {
        check(S::Approved, &action, &caseworker, f, want);
    }
    // The work queue offers 登记发放 only while a stage is left to pay by hand.
    let mut all_on_roster = on_roster.clone();
    all_on_roster.stages[1].roster_month = Some(dec);
    assert!(available_actions(S::Approved, &caseworker, &on_roster).contains(&K::PayStage));
    assert!(available_actions(S::Approved, &caseworker, &all_on_roster).is_empty());
    // The lock of a run closes the case once every stage is paid, by hand or by locked runs in
    // any mix; a roster whose month is still open leaves it approved.
    let mut all_locked = all_on_roster.clone();
    all_locked.stages[0].roster_locked = true;
    let mut dec_locked = all_locked.clone();
    dec_locked.stages[1].roster_locked = true;
    let mut hand_and_run = nov_locked.clone();
    hand_and_run.stages[1].paid_on = Some(d(2026, 12, 3));
    for (f, want) in [
        (&all_on_roster, S::Approved),
        (&all_locked, S::Approved),
        (&dec_locked, S::Closed),
        (&hand_and_run, S::Closed),
        (&facts(), S::Approved),
    ] {
        assert_eq!(paid_by_run(S::Approved, f), want);
    }
    assert_eq!(paid_by_run(S::Closed, &dec_locked), S::Closed);
    let e = TempError::StageOnRoster { no: 1, month: nov };
    assert_eq!(
        e.to_string(),
        "第 1 阶段已列入 2026-11 月度发放花名册，不能再登记发放"
    );
    assert_eq!(e.to_cmd_error().field.as_deref(), Some("stage_no"));
    let e = TempError::EarlyPaymentNeedsReason { no: 2, month: dec };
    assert_eq!(e.to_cmd_error().field.as_deref(), Some("reason"));
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
