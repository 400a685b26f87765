//! Notice dates, objections, the data each step records, and a case from application to enrolment.

use super::*;
use crate::error::ErrorCode;
use chrono::NaiveDate;

#[test]
fn approval_waits_for_the_end_of_the_notice() {
    let approver = actor(Role::Approver);
    let still = TransitionError::StillOnNotice {
        start: d(2026, 11, 1),
        end: d(2026, 11, 7),
    };
    let on_notice = Err(still.clone());
    for (today, want) in [
        (d(2026, 11, 1), on_notice.clone()),
        (d(2026, 11, 7), on_notice.clone()),
        (d(2026, 11, 8), Ok(S::Enrolled)),
    ] {
        let mut f = facts();
        f.today = today;
        check(S::OnNotice, &sample(K::Approve), &approver, &f, want);
    }
    let msg = still.to_string();
    assert_eq!(
        msg,
        "此案件正在公示中（2026-11-01 至 2026-11-07），公示期满后才能审批"
    );
    // A notice across 29 February.
    let mut f = facts();
    f.notice_start = Some(d(2028, 2, 26));
    assert_eq!(f.notice_end(), Some(d(2028, 3, 3)));
    f.notice_start = None;
    check(
        S::OnNotice,
        &sample(K::Refuse),
        &approver,
        &f,
        Err(TransitionError::NoticeNotRecorded),
    );
}

#[test]
fn an_objection_sends_the_case_back_to_investigation() {
    let caseworker = actor(Role::Caseworker);
    check(
        S::OnNotice,
        &sample(K::RecordObjection),
        &caseworker,
        &facts(),
        Ok(S::Accepted),
    );
    // The store clears the old survey; the case then waits for both again.
    let mut f = facts();
    f.investigator_ids.clear();
    f.verification_recorded = false;
    check(
        S::Accepted,
        &Action::RecordVerification,
        &caseworker,
        &f,
        Ok(S::Accepted),
    );
    f.verification_recorded = true;
    check(
        S::Accepted,
        &sample(K::RecordSurvey),
        &caseworker,
        &f,
        Ok(S::Investigated),
    );
    let err = TransitionError::WrongState {
        state: S::Accepted,
        action: K::ReviewTownship,
    };
    assert_eq!(
        err.to_string(),
        "此案件正在等待登记家庭经济状况核对报告和入户调查，现在不能乡镇审核"
    );
    assert_eq!(err.to_cmd_error().code, ErrorCode::Conflict);
}

#[test]
fn step_data_is_checked() {
    let cw = actor(Role::Caseworker);
    let rv = actor(Role::Reviewer);
    let ap = actor(Role::Approver);
    let f = facts();
    let survey = |ids: Vec<i64>| Action::RecordSurvey {
        investigator_ids: ids,
    };
    let exit = |reason, grace_months| Action::Exit {
        reason,
        grace_months,
    };
    let table: Vec<(
        CaseState,
        Action,
        &Actor,
        Result<CaseState, TransitionError>,
    )> = vec![
        (
            S::Accepted,
            survey(vec![2]),
            &cw,
            Err(TransitionError::TooFewInvestigators { count: 1 }),
        ),
        (
            S::Accepted,
            survey(vec![2, 2]),
            &cw,
            Err(TransitionError::TooFewInvestigators { count: 1 }),
        ),
        (S::Accepted, survey(vec![2, 5]), &cw, Ok(S::Investigated)),
        (
            S::Investigated,
            Action::ReviewTownship {
                opinion: "  ".into(),
            },
            &rv,
            Err(TransitionError::TextRequired {
                field: "opinion",
                what: "乡镇审核意见",
            }),
        ),
        (
            S::OnNotice,
            Action::Refuse {
                reasons: String::new(),
            },
            &ap,
            Err(TransitionError::TextRequired {
                field: "reasons",
                what: "不予批准的理由（将书面告知申请人）",
            }),
        ),
        (
            S::OnNotice,
            Action::Approve {
                monthly_amount_fen: 0,
            },
            &ap,
            Err(TransitionError::AmountNotPositive),
        ),
        (
            S::Enrolled,
            exit(ExitReason::Voluntary, 0),
            &ap,
            Ok(S::Exited),
        ),
        (
            S::Enrolled,
            exit(ExitReason::Voluntary, 3),
            &ap,
            Ok(S::PhasingOut),
        ),
        (
            S::Enrolled,
            exit(ExitReason::Voluntary, 4),
            &ap,
            Err(TransitionError::GraceMonthsNotAllowed {
                reason: ExitReason::Voluntary,
                months: 4,
                max: 3,
            }),
        ),
        (
            S::Enrolled,
            exit(ExitReason::IncomeAboveStandardAfterWork, 12),
            &ap,
            Ok(S::PhasingOut),
        ),
        (
            S::Enrolled,
            exit(ExitReason::IncomeAboveStandardAfterWork, 24),
            &ap,
            Err(TransitionError::GraceMonthsNotAllowed {
                reason: ExitReason::IncomeAboveStandardAfterWork,
                months: 24,
                max: 12,
            }),
        ),
        (
            S::Enrolled,
            exit(ExitReason::Other, 1),
            &ap,
            Err(TransitionError::GraceMonthsNotAllowed {
                reason: ExitReason::Other,
                months: 1,
                max: 0,
            }),
        ),
    ];
    for (state, action, who, want) in table {
        check(state, &action, who, &f, want);
    }
    let mut g = facts();
    g.phase_out_end = Some(d(2026, 12, 31));
    check(
        S::PhasingOut,
        &Action::EndPhaseOut,
        &cw,
        &g,
        Err(TransitionError::PhaseOutNotEnded {
            end: d(2026, 12, 31),
        }),
    );
    g.today = d(2026, 12, 31);
    check(S::PhasingOut, &Action::EndPhaseOut, &cw, &g, Ok(S::Exited));
    assert_eq!(
        TransitionError::TooFewInvestigators { count: 1 }
            .to_cmd_error()
            .field
            .as_deref(),
        Some("investigator_ids")
    );
}

#[test]
fn role_message_names_who_takes_the_step() {
    let err = TransitionError::RoleNotAllowed {
        action: K::StartNotice,
        role: Role::Admin,
    };
    assert_eq!(
        err.to_string(),
        "管理员不能张贴公示，此步骤须由乡镇经办人或乡镇审核人办理"
    );
}

/// Two different users take a case from application to approval.
#[test]
fn a_case_from_application_to_enrolment() {
    let cw = actor(Role::Caseworker);
    let rv = actor(Role::Reviewer);
    let ap = actor(Role::Approver);
    let mut f = facts();
    f.created_by = cw.user_id;
    f.accepted_by = None;
    f.investigator_ids.clear();
    f.verification_recorded = false;
    f.reviewed_by = None;
    f.notice_start = None;
    f.today = d(2026, 10, 20);

    let mut state = S::Applied;
    state = transition(&state, &Action::Accept, &cw, &f).unwrap();
    f.accepted_by = Some(cw.user_id);
    let survey = Action::RecordSurvey {
        investigator_ids: vec![cw.user_id, 5],
    };
    state = transition(&state, &survey, &cw, &f).unwrap();
    assert_eq!(state, S::Accepted);
    f.investigator_ids = vec![cw.user_id, 5];
    state = transition(&state, &Action::RecordVerification, &cw, &f).unwrap();
    assert_eq!(state, S::Investigated);
    f.verification_recorded = true;
    state = transition(&state, &sample(K::ReviewTownship), &rv, &f).unwrap();
    f.reviewed_by = Some(rv.user_id);
    state = transition(&state, &sample(K::StartNotice), &cw, &f).unwrap();
    f.notice_start = Some(d(2026, 11, 1));
    f.today = d(2026, 11, 9);
    state = transition(&state, &sample(K::Approve), &ap, &f).unwrap();
    assert_eq!(state, S::Enrolled);
    assert_eq!(first_paid_month(f.today).to_string(), "2026-12");
}

#[test]
fn a_notice_in_working_days_is_extended_by_weekends_and_holidays() {
    use crate::workflow::{notice_end, WorkCalendar};
    let mut cal = WorkCalendar::default();
    // 2026 National Day: 1–8 October off, Saturday 10 October a make-up workday.
    for day in 1..=8 {
        cal.holidays.insert(d(2026, 10, day));
    }
    cal.makeup_workdays.insert(d(2026, 10, 10));
    let cases = [
        // (start, days, calendar days end, working days end)
        (d(2026, 11, 2), 7, d(2026, 11, 8), d(2026, 11, 10)), // Monday: one weekend inside
        (d(2026, 11, 7), 7, d(2026, 11, 13), d(2026, 11, 17)), // starts on a Saturday
        (d(2026, 9, 28), 7, d(2026, 10, 4), d(2026, 10, 13)), // across the holiday and 10 Oct
        (d(2026, 11, 2), 1, d(2026, 11, 2), d(2026, 11, 2)),
    ];
    for (start, days, calendar_end, workday_end) in cases {
        assert_eq!(
            notice_end(start, days, None),
            calendar_end,
            "{start} {days}"
        );
        assert_eq!(
            notice_end(start, days, Some(&cal)),
            workday_end,
            "{start} {days}"
        );
    }
    let mut f = facts();
    f.notice_start = Some(d(2026, 9, 28));
    f.notice_calendar = Some(cal);
    assert_eq!(f.notice_end(), Some(d(2026, 10, 13)));
    // The end fixed when the notice started wins over today's settings and calendar.
    f.notice_end_fixed = Some(d(2026, 10, 4));
    assert_eq!(f.notice_end(), Some(d(2026, 10, 4)));
    f.notice_start = None;
    assert_eq!(f.notice_end(), None, "no notice, no end");
}

#[test]
fn a_stored_notice_end_is_used_and_an_old_row_computes_its_own() {
    use crate::store::cases::CaseRow;
    use crate::workflow::{case_row::notice_end_of, WorkCalendar};
    let mut cal = WorkCalendar::default();
    cal.holidays.insert(d(2026, 11, 18));
    let row = |end: Option<NaiveDate>, days: Option<u32>| CaseRow {
        notice_start: Some(d(2026, 11, 16)),
        notice_days: days,
        notice_end: end,
        ..CaseRow::default()
    };
    let table = [
        // (stored end, stored days, county days, working days?, end)
        (Some(d(2026, 11, 22)), Some(7), 7, true, d(2026, 11, 22)),
        (Some(d(2026, 11, 25)), Some(7), 5, false, d(2026, 11, 25)),
        // Old rows: from their days (or the county's) and the settings now.
        (None, Some(7), 5, false, d(2026, 11, 22)),
        (None, Some(7), 5, true, d(2026, 11, 25)),
        (None, None, 5, false, d(2026, 11, 20)),
    ];
    for (end, days, county_days, workdays, want) in table {
        let got = notice_end_of(&row(end, days), county_days, workdays.then_some(&cal));
        assert_eq!(got, Some(want), "{end:?} {days:?} {county_days} {workdays}");
    }
    let none = CaseRow::default();
    assert_eq!(notice_end_of(&none, 7, None), None);
}

#[test]
fn a_refusal_notice_is_served_once_with_its_method() {
    let caseworker = actor(Role::Caseworker);
    let serve = |method: &str| Action::ServeRefusal {
        method: method.into(),
    };
    let mut f = facts();
    check(
        S::Refused,
        &serve("留置送达"),
        &caseworker,
        &f,
        Ok(S::Refused),
    );
    check(
        S::Refused,
        &serve(" "),
        &caseworker,
        &f,
        Err(TransitionError::TextRequired {
            field: "method",
            what: "送达方式",
        }),
    );
    f.refusal_served_on = Some(d(2026, 11, 20));
    check(
        S::Refused,
        &serve("直接送达"),
        &caseworker,
        &f,
        Err(TransitionError::RefusalServed {
            on: d(2026, 11, 20),
        }),
    );
}
