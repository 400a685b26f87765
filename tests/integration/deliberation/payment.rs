//! 一事一议 payment through the command layer: after the 公示, a stage is paid once, by hand or by
//! the monthly run, whichever comes first; by hand before its planned month only with a reason;
//! and the work queue.

use super::*;
use crate::common::seed_standards;

/// Reopen the county's file on `date` (YYYY-MM-DD), signed in as `user`.
pub(crate) fn on_day(c: &mut County, date: &str, user: &str) {
    let day: chrono::NaiveDate = date.parse().unwrap();
    let path = c.path();
    c.s = doudi_core::Session::open(&path, Box::new(doudi_core::FixedClock::on(day))).unwrap();
    c.sign_in(user);
}

fn queue_actions(c: &mut County, case: i64) -> Vec<String> {
    let q = c.ok("work.queue", json!({}));
    q["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "deliberation" && i["id"] == case)
        .map(|i| {
            i["actions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn deliberation_rows(c: &County) -> i64 {
    c.s.connection()
        .query_row(
            "SELECT count(*) FROM payment WHERE kind = 'deliberation'",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn a_stage_on_the_roster_is_not_paid_by_hand_nor_early_without_a_reason() {
    let mut c = county();
    let household = setup(&mut c);
    seed_standards(&mut c, "jbr1");
    // Stages: 12,000 in 2026-11, 8,000 in 2026-12. Signed off and posted on 23 November.
    let case = to_approved(&mut c, household, "jbr1", "spr");
    c.sign_in("spr2");
    act(&mut c, case, "sign_off", json!({}));
    c.sign_in("jbr1");
    act(&mut c, case, "start_notice", json!({"start": "2026-11-23"}));
    // While the 公示 runs, the monthly run pays nothing of the case either.
    c.sign_in("spr");
    c.ok("payment.run", json!({"month": "2026-12"}));
    assert_eq!(deliberation_rows(&c), 0);
    on_day(&mut c, "2026-11-30", "spr");
    act(
        &mut c,
        case,
        "pay",
        json!({"stage": 1, "paid_on": "2026-11-30"}),
    );
    // Stage 2 is planned for December: paying it in November needs a reason.
    let before = snapshot(&c);
    let e = act_err(
        &mut c,
        case,
        "pay",
        json!({"stage": 2, "paid_on": "2026-11-30"}),
    );
    assert_eq!(e.field.as_deref(), Some("reason"));
    assert_eq!(
        e.message,
        "第 2 期计划于 2026-12 发放，提前登记发放须填写提前发放的理由（reason）"
    );
    assert_eq!(snapshot(&c), before);
    assert!(queue_actions(&mut c, case).contains(&"登记发放".to_owned()));
    // The December run puts stage 2 on its roster: the hand route is closed.
    c.ok("payment.run", json!({"month": "2026-12"}));
    assert!(!queue_actions(&mut c, case).contains(&"登记发放".to_owned()));
    let v = c.ok("deliberation.get", json!({"id": case}));
    assert!(!actions(&v).contains(&"pay".to_owned()));
    let before = snapshot(&c);
    let e = act_err(
        &mut c,
        case,
        "pay",
        json!({"stage": 2, "paid_on": "2026-11-30", "reason": "患者急需手术费"}),
    );
    assert_eq!(e.code, ErrorCode::Conflict);
    assert_eq!(e.field.as_deref(), Some("stage"));
    assert_eq!(
        e.message,
        "第 2 期已列入 2026-12 月度发放花名册，不能再登记发放"
    );
    assert_eq!(snapshot(&c), before);
    // The run pays stage 2 once December is locked: closing waits for that lock.
    let e = act_err(&mut c, case, "close", json!({"outcome": "已解决"}));
    assert_eq!(e.code, ErrorCode::Conflict);
    assert_eq!(
        e.message,
        "第 2 期已列入 2026-12 月度发放花名册，该月发放锁定后才算发放完毕，才能结案"
    );
    c.ok("payment.review", json!({"month": "2026-12"}));
    c.ok("payment.lock", json!({"month": "2026-12"}));
    let v = c.ok("deliberation.get", json!({"id": case}));
    assert_eq!(v["payments"][1]["roster_month"], "2026-12");
    assert_eq!(v["payments"][1]["paid_in_run"], true);
    let step = v["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(step["action_label"], "月度发放已支付");
    assert_eq!(step["user_name"], "陈审批");
    assert_eq!(
        step["data"]["note"],
        "第 2 期 8000.00 元已在 2026-12 月度发放中支付"
    );
    // Now closing waits only for the follow-up visit, as after a last stage paid by hand.
    let e = act_err(&mut c, case, "close", json!({"outcome": "已解决"}));
    assert_eq!(e.message, "结案前须至少登记一次跟踪回访");
    act(
        &mut c,
        case,
        "visit",
        json!({"visited_on": "2026-11-30", "visitor": "王经办", "findings": "已完成手术，恢复良好"}),
    );
    let v = act(&mut c, case, "close", json!({"outcome": "已解决"}));
    assert_eq!(v["state"], "closed");
}

#[test]
fn an_early_stage_paid_with_a_reason_keeps_it_on_the_timeline() {
    let mut c = county();
    let household = setup(&mut c);
    seed_standards(&mut c, "jbr1");
    let case = to_approved(&mut c, household, "jbr1", "spr");
    c.sign_in("spr2");
    act(&mut c, case, "sign_off", json!({}));
    c.sign_in("jbr1");
    act(&mut c, case, "start_notice", json!({"start": "2026-11-23"}));
    on_day(&mut c, "2026-11-30", "spr");
    let v = act(
        &mut c,
        case,
        "pay",
        json!({"stage": 2, "paid_on": "2026-11-30", "reason": "患者急需手术费"}),
    );
    let last = v["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["data"]["reason"], "患者急需手术费");
    // The December run does not pay it again.
    c.ok("payment.run", json!({"month": "2026-12"}));
    assert_eq!(deliberation_rows(&c), 0);
}

#[test]
fn the_queue_lists_what_each_user_can_do_now() {
    let mut c = county();
    let household = setup(&mut c);
    c.ok("deliberation.file", file_input(household));
    let mine = c.ok("deliberation.list", json!({"mine": true}));
    assert_eq!(mine["items"], json!([]));
    c.sign_in("spr");
    let mine = c.ok("deliberation.list", json!({"mine": true}));
    assert_eq!(mine["items"][0]["actions"], json!(["县局审查", "退回补充"]));
    assert_eq!(mine["items"][0]["head_name"], "张三");
    c.sign_in("jbr2");
    assert_eq!(
        c.ok("deliberation.list", json!({}))["cases"],
        json!([]),
        "another township sees nothing"
    );
    let e = c.err("deliberation.file", file_input(household));
    assert_eq!(e.code, ErrorCode::Forbidden);
}

#[test]
fn a_running_notice_keeps_the_end_it_started_with() {
    let mut c = county();
    let household = setup(&mut c);
    seed_standards(&mut c, "jbr1");
    let case = to_approved(&mut c, household, "jbr1", "spr");
    c.sign_in("spr2");
    act(&mut c, case, "sign_off", json!({}));
    c.sign_in("jbr1");
    // Seven calendar days from Monday 23 November: the last day is Sunday 29 November.
    let v = act(&mut c, case, "start_notice", json!({"start": "2026-11-23"}));
    assert_eq!(v["notice_end"], "2026-11-29");
    // Working days from now on would end it on 1 December; the running notice keeps its end.
    c.sign_in("admin");
    c.ok(
        "workflow.set_settings",
        json!({"notice_days": 7, "notice_day_kind": "workdays", "approval_workdays": 10, "procedure_workdays": 30, "refusal_notice_workdays": 3, "tekun_survey_workdays": 15, "temp_procedure_workdays": 15, "temp_paperwork_workdays": 5}),
    );
    on_day(&mut c, "2026-11-30", "spr");
    let v = c.ok("deliberation.get", json!({"id": case}));
    assert_eq!(v["notice_end"], "2026-11-29");
    let v = act(
        &mut c,
        case,
        "pay",
        json!({"stage": 1, "paid_on": "2026-11-30"}),
    );
    assert_eq!(v["state"], "paying");
}
