//! A step's data without the database: its date, review classes, the drafted data and amount, and
//! what is recorded on the case row (pay_from, next review, the 渐退期 months).

use serde_json::json;

use super::*;
use crate::auth::User;
use crate::month::Month;
use crate::store::cases::CaseRow;
use crate::workflow::step::{self, Needs, Priced, StepInput};

fn case() -> CaseRow {
    CaseRow {
        township_id: TOWNSHIP,
        applied_on: d(2026, 10, 19),
        accepted_on: Some(d(2026, 10, 20)),
        reviewed_on: Some(d(2026, 10, 26)),
        ..CaseRow::default()
    }
}

fn field(r: Result<impl std::fmt::Debug, crate::error::CmdError>) -> String {
    match r {
        Ok(v) => format!("ok {v:?}"),
        Err(e) => format!("{} {}", e.field.unwrap_or_default(), e.message),
    }
}

#[test]
fn step_dates_are_not_in_the_future_nor_before_the_last_step() {
    let today = d(2026, 11, 23);
    // (requested, expected)
    let table = [
        (None, "ok 2026-11-23"),
        (Some(d(2026, 10, 26)), "ok 2026-10-26"),
        (
            Some(d(2026, 11, 24)),
            "date 办理日期 2026-11-24 晚于今天，不能登记",
        ),
        (
            Some(d(2026, 10, 25)),
            "date 办理日期 2026-10-25 早于此案件上一步的日期 2026-10-26，请按实际顺序登记",
        ),
    ];
    for (requested, want) in table {
        let got = field(step::step_date(requested, &case(), today));
        assert!(got.starts_with(want), "{requested:?}: {got}");
    }
}

#[test]
fn review_classes_and_next_review() {
    // (typed, class, next review after 2026-11-30)
    let table = [
        (None, Some(None), "2027-11-30"),
        (Some(" "), Some(None), "2027-11-30"),
        (Some("A"), Some(Some("A")), "2027-11-30"),
        (Some("B"), Some(Some("B")), "2027-05-30"),
        (Some("C"), Some(Some("C")), "2027-02-28"),
        (Some("D"), None, ""),
    ];
    for (typed, want, next) in table {
        let got = step::review_class(typed);
        match want {
            None => assert_eq!(got.unwrap_err().field.as_deref(), Some("review_class")),
            Some(_) => {
                let class = got.unwrap();
                assert_eq!(class.as_deref(), want.flatten(), "{typed:?}");
                let due = step::next_review_due(d(2026, 11, 30), class.as_deref());
                assert_eq!(due.unwrap().to_string(), next, "{typed:?}");
            }
        }
    }
}

fn input(v: serde_json::Value) -> StepInput {
    let text = |k: &str| v[k].as_str().map(str::to_owned);
    StepInput {
        summary: text("summary"),
        findings: text("findings"),
        reason: text("reason"),
        note: text("note"),
        review_class: text("review_class"),
        grace_months: v["grace_months"].as_u64().map(|g| g as u8),
        investigator_ids: v["investigator_ids"]
            .as_array()
            .map(|a| a.iter().map(|i| i.as_i64().unwrap()).collect()),
        ..StepInput::default()
    }
}

#[test]
fn drafts_check_the_data_and_say_what_amount_they_need() {
    let on = d(2026, 11, 23);
    let dec = Month::parse("2026-12").unwrap();
    let staff = |id, area_id, active| User {
        id,
        username: format!("u{id}"),
        display_name: format!("员工{id}"),
        role: Role::Caseworker,
        area_id,
        active,
        must_change_password: false,
    };
    let reviewer = User {
        role: Role::Reviewer,
        ..staff(5, TOWNSHIP, true)
    };
    let users = [
        staff(1, TOWNSHIP, true),
        staff(2, 99, true),
        staff(3, TOWNSHIP, false),
        staff(4, TOWNSHIP, true),
        reviewer,
        staff(6, TOWNSHIP, true),
    ];
    // (step, input, expected needs or error)
    let table: Vec<(K, serde_json::Value, Result<Needs, &str>)> = vec![
        (K::Accept, json!({}), Ok(Needs::Nothing)),
        (
            K::RecordVerification,
            json!({"summary": " "}),
            Err("summary 请填写核对报告摘要"),
        ),
        (K::Approve, json!({}), Ok(Needs::RulesAmount(dec))),
        (
            K::Approve,
            json!({"review_class": "X"}),
            Err("review_class"),
        ),
        (
            K::RecordChange,
            json!({"summary": "收入减少"}),
            Ok(Needs::RulesAmount(dec)),
        ),
        (
            K::Exit,
            json!({"reason": "gone", "note": "x"}),
            Err("reason 请选择退出原因"),
        ),
        (
            K::Exit,
            json!({"reason": "other", "note": ""}),
            Err("note 请填写退出情况说明"),
        ),
        (
            K::Exit,
            json!({"reason": "other", "note": "迁出"}),
            Ok(Needs::Nothing),
        ),
        (
            K::Exit,
            json!({"reason": "voluntary", "note": "主动", "grace_months": 2}),
            Ok(Needs::PhaseOutAmount {
                from: dec,
                months: 2,
            }),
        ),
        (
            K::RecordSurvey,
            json!({"findings": "属实", "investigator_ids": [1, 2]}),
            Err("investigator_ids 调查人员“员工2”不是本乡镇（街道）的工作人员"),
        ),
        (
            K::RecordSurvey,
            json!({"findings": "属实", "investigator_ids": [1, 3]}),
            Err("investigator_ids 调查人员 3 不是有效用户"),
        ),
        (
            K::RecordSurvey,
            json!({"findings": "属实", "investigator_ids": [1, 4]}),
            Err("investigator_ids 调查人员“员工4”已备案为此家庭成员的近亲属，须回避"),
        ),
        // The township's reviewer would then be barred from reviewing: the case would stall.
        (
            K::RecordSurvey,
            json!({"findings": "属实", "investigator_ids": [1, 5]}),
            Err("investigator_ids “员工5”是乡镇审核人，须审核此案件，不能作为入户调查人员"),
        ),
        (
            K::RecordSurvey,
            json!({"findings": "属实", "investigator_ids": [1, 6]}),
            Ok(Needs::Nothing),
        ),
    ];
    // Who the case page offers: active caseworkers of the township, not its reviewer.
    let offered: Vec<i64> = users
        .iter()
        .filter(|u| step::may_investigate(u, TOWNSHIP))
        .map(|u| u.id)
        .collect();
    assert_eq!(offered, [1, 4, 6]);
    for (kind, v, want) in table {
        let mut c = case();
        let got = step::draft(
            kind,
            &input(v.clone()),
            &mut c,
            on,
            on,
            (7, None),
            &users,
            &[4],
        );
        match (got, want) {
            (Ok(draft), Ok(needs)) => assert_eq!(draft.needs, needs, "{kind:?} {v}"),
            (Err(e), Err(prefix)) => {
                let text = format!("{} {}", e.field.unwrap_or_default(), e.message);
                assert!(text.starts_with(prefix), "{kind:?} {v}: {text}");
            }
            (got, want) => panic!("{kind:?} {v}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn priced_steps_carry_their_amount_and_are_recorded() {
    let on = d(2026, 11, 23);
    let priced = |fen| Priced {
        amount_fen: fen,
        persons: 3,
        trail: json!([]),
    };
    // Approval: paid from next month at the rules' amount, next review by class.
    let mut c = case();
    let i = input(json!({"review_class": "B"}));
    let draft = step::draft(K::Approve, &i, &mut c, on, on, (7, None), &[], &[]).unwrap();
    let (action, data, amount) = draft.priced(Some(priced(120_000))).unwrap();
    assert_eq!(data["pay_from"], "2026-12");
    assert_eq!(data["amount"], "1200.00");
    assert_eq!(amount.unwrap().from_month.to_string(), "2026-12");
    step::record(&mut c, &action, on, 7, 7);
    assert_eq!(c.pay_from.as_deref(), Some("2026-12"));
    assert_eq!(c.next_review_due, Some(d(2027, 5, 23)));
    // A change to nothing is for the county to exit.
    let mut c = case();
    let i = input(json!({"summary": "收入增加"}));
    let draft = step::draft(K::RecordChange, &i, &mut c, on, on, (7, None), &[], &[]).unwrap();
    let e = draft.priced(Some(priced(0))).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("summary"));
    // Exit with a 渐退期: the capped amount from the next month, paid until the last grace month.
    let mut c = case();
    let i = input(json!({"reason": "voluntary", "note": "主动", "grace_months": 2}));
    let draft = step::draft(K::Exit, &i, &mut c, on, on, (7, None), &[], &[]).unwrap();
    let (action, data, amount) = draft.priced(Some(priced(90_000))).unwrap();
    assert_eq!(data["from_month"], "2026-12");
    assert_eq!(amount.unwrap().amount_fen, 90_000);
    step::record(&mut c, &action, on, 7, 7);
    assert_eq!(c.pay_until.as_deref(), Some("2027-01"));
    assert_eq!(c.phase_out_end, Some(d(2027, 1, 31)));
    assert_eq!(c.grace_months, Some(2));
}
