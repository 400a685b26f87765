//! A 公示 counted in working days (`workflow.set_settings` `notice_day_kind` = `workdays`):
//! weekends and the work calendar's holidays extend it, and approval waits for its real end.

use serde_json::json;

use super::{act, act_err, setup, steps, user_id};
use crate::common::county;

#[test]
fn a_seven_working_day_notice_ends_after_the_weekend_and_holiday() {
    let mut c = county();
    let h = setup(&mut c);
    c.sign_in("admin");
    let v = c.ok("workflow.settings", json!({}));
    assert_eq!(
        v["notice_day_kind"], "calendar",
        "today's behaviour by default"
    );
    let v = c.ok(
        "workflow.set_settings",
        json!({"notice_days": 7, "notice_day_kind": "workdays", "approval_workdays": 10, "procedure_workdays": 30, "refusal_notice_workdays": 3, "tekun_survey_workdays": 15, "temp_procedure_workdays": 15, "temp_paperwork_workdays": 5}),
    );
    assert_eq!(v["notice_day_kind"], "workdays");
    c.ok(
        "calendar.set",
        json!({"date": "2026-11-18", "kind": "holiday", "note": "县里放假"}),
    );
    let jbr1 = user_id(&mut c, "jbr1");
    let jbr3 = user_id(&mut c, "jbr3");
    c.sign_in("jbr1");
    let case = c.ok(
        "case.create",
        json!({"household_id": h, "programme": "dibao", "applied_on": "2026-11-02"}),
    )["id"]
        .as_i64()
        .unwrap();
    act(&mut c, case, "accept", json!({"date": "2026-11-02"}));
    act(
        &mut c,
        case,
        "record_verification",
        json!({"date": "2026-11-03", "summary": "核对无异常"}),
    );
    act(
        &mut c,
        case,
        "record_survey",
        json!({"date": "2026-11-04", "investigator_ids": [jbr1, jbr3], "findings": "属实"}),
    );
    c.sign_in("shr1");
    act(
        &mut c,
        case,
        "review_township",
        json!({"date": "2026-11-05", "opinion": "同意"}),
    );
    c.sign_in("jbr1");
    // Monday 16 November: 16, 17, 19, 20, 23, 24, 25 (18 a holiday, 21–22 a weekend); seven
    // calendar days would have ended on Sunday 22 November.
    let v = act(
        &mut c,
        case,
        "start_notice",
        json!({"date": "2026-11-16", "start": "2026-11-16"}),
    );
    assert_eq!(v["notice"]["end"], "2026-11-25");
    let v = c.ok("case.get", json!({"case_id": case}));
    assert_eq!(v["notice"]["end"], "2026-11-25");
    // Today (2026-11-23) the notice still runs: approval is refused and nothing is written.
    c.sign_in("spr");
    let before = steps(&c, case);
    let e = act_err(&mut c, case, "approve", json!({}));
    assert_eq!(
        e.message,
        "此案件正在公示中（2026-11-16 至 2026-11-25），公示期满后才能审批"
    );
    assert_eq!(steps(&c, case), before);
    let v = c.ok("case.get", json!({"case_id": case}));
    assert_eq!(v["state"], "on_notice");
}

/// The 公示 end is fixed when the notice starts: changing the day kind or the calendar later
/// moves neither the case page's end nor the approval gate nor the work queue.
#[test]
fn a_running_notice_keeps_the_end_it_started_with() {
    let mut c = county();
    let h = setup(&mut c);
    let jbr1 = user_id(&mut c, "jbr1");
    let jbr3 = user_id(&mut c, "jbr3");
    c.sign_in("jbr1");
    let case = c.ok(
        "case.create",
        json!({"household_id": h, "programme": "dibao", "applied_on": "2026-11-02"}),
    )["id"]
        .as_i64()
        .unwrap();
    act(&mut c, case, "accept", json!({"date": "2026-11-02"}));
    act(
        &mut c,
        case,
        "record_verification",
        json!({"date": "2026-11-03", "summary": "核对无异常"}),
    );
    act(
        &mut c,
        case,
        "record_survey",
        json!({"date": "2026-11-04", "investigator_ids": [jbr1, jbr3], "findings": "属实"}),
    );
    c.sign_in("shr1");
    act(
        &mut c,
        case,
        "review_township",
        json!({"date": "2026-11-05", "opinion": "同意"}),
    );
    c.sign_in("jbr1");
    // Seven calendar days from Monday 16 November: the last day is Sunday 22 November.
    let v = act(
        &mut c,
        case,
        "start_notice",
        json!({"date": "2026-11-16", "start": "2026-11-16"}),
    );
    assert_eq!(v["notice"]["end"], "2026-11-22");
    // The county then switches to working days and marks a holiday inside the notice: seven
    // working days from the 16th would now end on the 25th.
    c.sign_in("admin");
    c.ok(
        "workflow.set_settings",
        json!({"notice_days": 7, "notice_day_kind": "workdays", "approval_workdays": 10, "procedure_workdays": 30, "refusal_notice_workdays": 3, "tekun_survey_workdays": 15, "temp_procedure_workdays": 15, "temp_paperwork_workdays": 5}),
    );
    c.ok(
        "calendar.set",
        json!({"date": "2026-11-18", "kind": "holiday", "note": "县里放假"}),
    );
    c.sign_in("spr");
    let v = c.ok("case.get", json!({"case_id": case}));
    assert_eq!(v["notice"]["end"], "2026-11-22");
    let queue = c.ok("work.queue", json!({}));
    let item = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "case" && i["id"] == case)
        .cloned()
        .unwrap_or_else(|| panic!("the case waits for approval: {queue}"));
    assert!(
        item["actions"].to_string().contains("审批"),
        "{}",
        item["actions"]
    );
    // Today (23 November) the notice has ended: the county approves.
    let v = act(&mut c, case, "approve", json!({}));
    assert_eq!(v["state"], "enrolled");
}
