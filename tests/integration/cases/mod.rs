//! 低保/特困 cases through the command layer: the whole procedure by different users, separation
//! of duties, near-relative filing, objection, change, exit, deadlines and the work queue.

use serde_json::{json, Value};

use crate::common::{county, household_input, id, pdf_text, seed_standards, County, PASSWORD};

mod batch;
mod dates;
mod documents;
mod exit;
mod list;
mod notice;
mod refusal;
mod withdraw;

/// A county with standards, a second caseworker (jbr3) in the first township, and a family of
/// three on 1,000 yuan a month. Returns the household id.
fn setup(c: &mut County) -> i64 {
    seed_standards(c, "admin");
    c.add_user(
        json!({"username": "jbr3", "display_name": "孙调查", "role": "caseworker", "area_id": c.township, "password": PASSWORD}),
    );
    c.sign_in("jbr1");
    let mut input = household_input(c, "张三", &id("19700101", 11));
    input["members"] = json!([
        {"relation": "spouse", "name": "李梅", "id_number": id("19720305", 22)},
        {"relation": "child", "name": "张小宝", "id_number": id("20030601", 33)},
    ]);
    let v = c.ok("household.create", input);
    let h = v["household"]["id"].as_i64().unwrap();
    let head = v["members"][0]["person_id"].as_i64().unwrap();
    c.ok(
        "finances.set",
        json!({"household_id": h, "incomes": [{"person_id": head, "kind": "other", "period": "monthly", "amount": "1000"}]}),
    );
    h
}

fn user_id(c: &mut County, username: &str) -> i64 {
    let me = c.s.user().map(|u| u.username.clone()).ok();
    c.sign_in("admin");
    let users = c.ok("user.list", json!({}));
    if let Some(me) = me {
        c.sign_in(&me);
    }
    users["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == username)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

fn act(c: &mut County, case: i64, action: &str, extra: Value) -> Value {
    let mut input = json!({"case_id": case, "action": action});
    for (k, v) in extra.as_object().unwrap() {
        input[k] = v.clone();
    }
    c.ok("case.act", input)
}

fn act_err(c: &mut County, case: i64, action: &str, extra: Value) -> doudi_core::CmdError {
    let mut input = json!({"case_id": case, "action": action});
    for (k, v) in extra.as_object().unwrap() {
        input[k] = v.clone();
    }
    c.err("case.act", input)
}

fn codes(v: &Value) -> Vec<String> {
    v["available_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap().to_owned())
        .collect()
}

fn steps(c: &County, case: i64) -> i64 {
    c.s.connection()
        .query_row(
            "SELECT count(*) FROM case_step WHERE case_id = ?1",
            [case],
            |r| r.get(0),
        )
        .unwrap()
}

/// Application to the end of the notice, back-dated so today (2026-11-23) is after it.
fn to_notice(c: &mut County, h: i64) -> i64 {
    let jbr3 = user_id(c, "jbr3");
    let jbr1 = user_id(c, "jbr1");
    c.sign_in("jbr1");
    let v = c.ok(
        "case.create",
        json!({"household_id": h, "programme": "dibao", "applied_on": "2026-10-19", "application_note": "丈夫患病，无力务工"}),
    );
    let case = v["id"].as_i64().unwrap();
    assert_eq!(v["state"], "applied");
    assert_eq!(v["number"], "DB-2026-000001");
    assert_eq!(codes(&v), ["accept", "withdraw"]);
    act(c, case, "accept", json!({"date": "2026-10-20"}));
    let v = act(
        c,
        case,
        "record_verification",
        json!({"date": "2026-10-21", "summary": "无车辆、无工商登记，存款 3,000 元"}),
    );
    assert_eq!(v["state"], "accepted", "survey still missing");
    let v = act(
        c,
        case,
        "record_survey",
        json!({"date": "2026-10-22", "investigator_ids": [jbr1, jbr3], "findings": "住房简陋，丈夫卧床"}),
    );
    assert_eq!(v["state"], "investigated");
    assert_eq!(v["survey"]["investigators"], json!(["王经办", "孙调查"]));
    c.sign_in("shr1");
    act(
        c,
        case,
        "review_township",
        json!({"date": "2026-10-26", "opinion": "情况属实，同意上报"}),
    );
    c.sign_in("jbr1");
    let v = act(
        c,
        case,
        "start_notice",
        json!({"date": "2026-10-27", "start": "2026-10-27"}),
    );
    assert_eq!(v["notice"]["end"], "2026-11-02");
    case
}

#[test]
fn dibao_from_application_to_approval_by_different_users() {
    let mut c = county();
    let h = setup(&mut c);
    let case = to_notice(&mut c, h);
    // The caseworker who registered the case cannot approve it, nor can the reviewer: county only.
    let e = act_err(&mut c, case, "approve", json!({}));
    assert_eq!(e.code, doudi_core::ErrorCode::Forbidden);
    assert!(e.message.contains("县级审批人"), "{}", e.message);
    c.sign_in("spr");
    let v = c.ok("case.get", json!({"case_id": case}));
    assert_eq!(codes(&v), ["approve", "refuse"]);
    let v = act(&mut c, case, "approve", json!({"review_class": "B"}));
    assert_eq!(v["state"], "enrolled");
    assert_eq!(v["pay_from"], "2026-12");
    // 3 persons, rural 低保 standard of the example county minus 1,000 a month.
    let amount = v["amounts"][0]["amount"].as_str().unwrap().to_owned();
    let calc = c.ok(
        "benefit.calculate",
        json!({"household_id": h, "programme": "dibao", "month": "2026-12"}),
    );
    assert_eq!(amount, calc["amount"].as_str().unwrap());
    assert!(amount.parse::<f64>().unwrap() > 0.0);
    assert_eq!(v["next_review_due"], "2027-05-23");
    assert_eq!(
        v["current_amount"],
        Value::Null,
        "not paid in the month of approval"
    );
    // The timeline has every step with who took it.
    let names: Vec<&str> = v["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["user_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "王经办",
            "王经办",
            "王经办",
            "王经办",
            "李审核",
            "王经办",
            "陈审批"
        ]
    );
    let audit = c.ok("audit.list", json!({"entity": "case", "entity_id": case}));
    assert_eq!(
        audit["rows"].as_array().unwrap().len(),
        7,
        "one audit row per step"
    );
}

#[test]
fn separation_of_duties() {
    let mut c = county();
    let h = setup(&mut c);
    let jbr1 = user_id(&mut c, "jbr1");
    let shr1 = user_id(&mut c, "shr1");
    c.sign_in("jbr1");
    let case = c.ok(
        "case.create",
        json!({"household_id": h, "programme": "dibao", "applied_on": "2026-11-02"}),
    )["id"]
        .as_i64()
        .unwrap();
    act(&mut c, case, "accept", json!({}));
    act(
        &mut c,
        case,
        "record_verification",
        json!({"summary": "核对无异常"}),
    );
    // One investigator is not enough.
    let before = steps(&c, case);
    let e = act_err(
        &mut c,
        case,
        "record_survey",
        json!({"investigator_ids": [jbr1], "findings": "属实"}),
    );
    assert_eq!(e.field.as_deref(), Some("investigator_ids"));
    assert!(e.message.contains("至少 2 名"), "{}", e.message);
    assert_eq!(steps(&c, case), before, "nothing written");
    // The reviewer may not be named an investigator (who investigated may not review).
    let e = act_err(
        &mut c,
        case,
        "record_survey",
        json!({"investigator_ids": [jbr1, shr1], "findings": "属实"}),
    );
    assert_eq!(e.field.as_deref(), Some("investigator_ids"));
    assert_eq!(steps(&c, case), before, "nothing written");
    // Named from the township's caseworkers, the survey leaves the reviewer free to review.
    let jbr3 = user_id(&mut c, "jbr3");
    act(
        &mut c,
        case,
        "record_survey",
        json!({"investigator_ids": [jbr1, jbr3], "findings": "属实"}),
    );
    c.sign_in("shr1");
    let v = c.ok("case.get", json!({"case_id": case}));
    assert!(codes(&v).contains(&"review_township".to_owned()));
    // Another township's caseworker sees nothing of it.
    c.sign_in("jbr2");
    let e = c.err("case.get", json!({"case_id": case}));
    assert_eq!(e.code, doudi_core::ErrorCode::Forbidden);
    // Out of order: a notice before the review.
    c.sign_in("jbr1");
    let e = act_err(&mut c, case, "start_notice", json!({}));
    assert_eq!(e.code, doudi_core::ErrorCode::Conflict);
    assert!(e.message.contains("正在等待乡镇审核"), "{}", e.message);
}

#[test]
fn near_relative_filing_flags_and_blocks() {
    let mut c = county();
    let h = setup(&mut c);
    let jbr3 = user_id(&mut c, "jbr3");
    let jbr1 = user_id(&mut c, "jbr1");
    // jbr3 declares that 李梅 (a member of the family) is his sister.
    c.sign_in("shr1");
    let bad = c.err(
        "near_relative.file",
        json!({"user_id": jbr3, "staff_post": "乡镇经办人", "area_id": c.township, "relative_id_number": "410122197203052", "relative_name": "李梅", "relation": "兄弟姐妹"}),
    );
    assert_eq!(bad.field.as_deref(), Some("relative_id_number"));
    c.ok(
        "near_relative.file",
        json!({"user_id": jbr3, "staff_post": "乡镇经办人", "area_id": c.township, "relative_id_number": id("19720305", 22), "relative_name": "李梅", "relation": "兄弟姐妹"}),
    );
    // A village cadre's relative elsewhere doesn't touch this case.
    c.ok(
        "near_relative.file",
        json!({"staff_name": "刘主任", "staff_post": "村委会主任", "area_id": c.village, "relative_id_number": id("19500101", 55), "relative_name": "刘老汉", "relation": "父母"}),
    );
    // jbr3 cannot register the family's application.
    c.sign_in("jbr3");
    let e = c.err(
        "case.create",
        json!({"household_id": h, "programme": "dibao"}),
    );
    assert!(e.message.contains("近亲属回避"), "{}", e.message);
    c.sign_in("jbr1");
    let v = c.ok(
        "case.create",
        json!({"household_id": h, "programme": "dibao", "applied_on": "2026-10-19"}),
    );
    let case = v["id"].as_i64().unwrap();
    assert_eq!(v["near_relative"]["flagged"], true);
    assert_eq!(v["near_relative"]["filings"][0]["staff_name"], "孙调查");
    act(&mut c, case, "accept", json!({"date": "2026-10-20"}));
    // jbr3 may take no step, and cannot be an investigator.
    c.sign_in("jbr3");
    let v = c.ok("case.get", json!({"case_id": case}));
    assert_eq!(codes(&v), Vec::<String>::new());
    let e = act_err(&mut c, case, "record_verification", json!({"summary": "x"}));
    assert!(e.message.contains("近亲属回避"), "{}", e.message);
    c.sign_in("jbr1");
    let e = act_err(
        &mut c,
        case,
        "record_survey",
        json!({"investigator_ids": [jbr1, jbr3], "findings": "x"}),
    );
    assert!(e.message.contains("回避"), "{}", e.message);
    // Through the notice with other staff; approval waits for the county home check.
    c.sign_in("admin");
    c.add_user(
        json!({"username": "jbr4", "display_name": "周调查", "role": "caseworker", "area_id": c.township, "password": PASSWORD}),
    );
    let jbr4 = user_id(&mut c, "jbr4");
    c.sign_in("jbr1");
    act(
        &mut c,
        case,
        "record_verification",
        json!({"date": "2026-10-21", "summary": "核对无异常"}),
    );
    act(
        &mut c,
        case,
        "record_survey",
        json!({"date": "2026-10-22", "investigator_ids": [jbr1, jbr4], "findings": "属实"}),
    );
    c.sign_in("shr1");
    act(
        &mut c,
        case,
        "review_township",
        json!({"date": "2026-10-26", "opinion": "同意"}),
    );
    c.sign_in("jbr1");
    act(&mut c, case, "start_notice", json!({"date": "2026-10-27"}));
    c.sign_in("spr");
    let q = c.ok("work.queue", json!({}));
    let item = q["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == case)
        .unwrap()
        .clone();
    assert!(
        item["actions"]
            .as_array()
            .unwrap()
            .contains(&json!("登记县级入户核查")),
        "{item}"
    );
    let before = steps(&c, case);
    let e = act_err(&mut c, case, "approve", json!({}));
    assert!(e.message.contains("县级入户核查"), "{}", e.message);
    assert_eq!(steps(&c, case), before);
    act(
        &mut c,
        case,
        "record_county_home_check",
        json!({"findings": "入户核实，情况属实"}),
    );
    let v = act(&mut c, case, "approve", json!({}));
    assert_eq!(v["state"], "enrolled");
    assert_eq!(v["near_relative"]["county_check"]["by"], "陈审批");
}

#[test]
fn objection_sends_the_case_back_for_reinvestigation() {
    let mut c = county();
    let h = setup(&mut c);
    let case = to_notice(&mut c, h);
    let e = act_err(&mut c, case, "record_objection", json!({"summary": "  "}));
    assert_eq!(e.field.as_deref(), Some("summary"));
    let v = act(
        &mut c,
        case,
        "record_objection",
        json!({"summary": "群众反映家中有经营性车辆"}),
    );
    assert_eq!(v["state"], "accepted");
    assert_eq!(v["survey"]["on"], Value::Null);
    assert_eq!(v["verification"]["on"], Value::Null);
    assert_eq!(v["notice"]["start"], Value::Null);
    assert_eq!(
        codes(&v),
        ["record_verification", "record_survey", "withdraw"]
    );
    // The first round stays in the timeline.
    let actions: Vec<&str> = v["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"review_township") && actions.ends_with(&["record_objection"]));
    // The approver can no longer approve: the case waits for re-investigation.
    c.sign_in("spr");
    let e = act_err(&mut c, case, "approve", json!({}));
    assert_eq!(e.code, doudi_core::ErrorCode::Conflict);
    assert!(e.message.contains("核对报告和入户调查"), "{}", e.message);
}

#[test]
fn approval_waits_for_the_notice_and_bad_input_changes_nothing() {
    let mut c = county();
    let h = setup(&mut c);
    let jbr1 = user_id(&mut c, "jbr1");
    let jbr3 = user_id(&mut c, "jbr3");
    c.sign_in("jbr1");
    let future = c.err(
        "case.create",
        json!({"household_id": h, "programme": "dibao", "applied_on": "2026-12-01"}),
    );
    assert_eq!(future.field.as_deref(), Some("applied_on"));
    let tekun = c.err(
        "case.create",
        json!({"household_id": h, "programme": "tekun"}),
    );
    assert_eq!(tekun.field.as_deref(), Some("support_mode"));
    let case = c.ok(
        "case.create",
        json!({"household_id": h, "programme": "dibao", "applied_on": "2026-11-16"}),
    )["id"]
        .as_i64()
        .unwrap();
    let again = c.err(
        "case.create",
        json!({"household_id": h, "programme": "dibao"}),
    );
    assert!(again.message.contains("不能重复申请"), "{}", again.message);
    act(&mut c, case, "accept", json!({"date": "2026-11-16"}));
    let early = act_err(
        &mut c,
        case,
        "record_verification",
        json!({"date": "2026-11-10", "summary": "x"}),
    );
    assert_eq!(early.field.as_deref(), Some("date"));
    act(
        &mut c,
        case,
        "record_verification",
        json!({"date": "2026-11-17", "summary": "无异常"}),
    );
    act(
        &mut c,
        case,
        "record_survey",
        json!({"date": "2026-11-17", "investigator_ids": [jbr1, jbr3], "findings": "属实"}),
    );
    c.sign_in("shr1");
    let blank = act_err(&mut c, case, "review_township", json!({"opinion": ""}));
    assert_eq!(blank.field.as_deref(), Some("opinion"));
    act(
        &mut c,
        case,
        "review_township",
        json!({"date": "2026-11-18", "opinion": "同意"}),
    );
    act(&mut c, case, "start_notice", json!({"date": "2026-11-19"}));
    c.sign_in("spr");
    let before = (c.counts(), steps(&c, case));
    let e = act_err(&mut c, case, "approve", json!({}));
    assert!(
        e.message.contains("2026-11-19 至 2026-11-25"),
        "{}",
        e.message
    );
    let e = act_err(&mut c, case, "refuse", json!({"reasons": "收入超标"}));
    assert!(e.message.contains("公示期满后"), "{}", e.message);
    let e = act_err(&mut c, case, "approve", json!({"review_class": "D"}));
    assert_eq!(e.field.as_deref(), Some("review_class"));
    let e = act_err(&mut c, case, "fly", json!({}));
    assert_eq!(e.field.as_deref(), Some("action"));
    assert_eq!(
        (c.counts(), steps(&c, case)),
        before,
        "refused steps write nothing"
    );
    // Not in the approver's queue until the notice is over.
    let q = c.ok("work.queue", json!({}));
    assert!(q["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["id"] != case));
}

#[test]
fn queue_lists_overdue_first_and_calendar_moves_deadlines() {
    let mut c = county();
    let h = setup(&mut c);
    // A second family, accepted later.
    c.sign_in("jbr1");
    let v = c.ok(
        "household.create",
        household_input(&c, "王五", &id("19650505", 51)),
    );
    let h2 = v["household"]["id"].as_i64().unwrap();
    let old = c.ok(
        "case.create",
        json!({"household_id": h, "programme": "dibao", "applied_on": "2026-09-01"}),
    )["id"]
        .as_i64()
        .unwrap();
    act(&mut c, old, "accept", json!({"date": "2026-09-01"}));
    let new = c.ok(
        "case.create",
        json!({"household_id": h2, "programme": "dibao", "applied_on": "2026-11-20"}),
    )["id"]
        .as_i64()
        .unwrap();
    act(&mut c, new, "accept", json!({"date": "2026-11-20"}));
    let q = c.ok("work.queue", json!({}));
    let items = q["items"].as_array().unwrap();
    assert_eq!(items[0]["id"], old);
    assert_eq!(items[0]["overdue"], true);
    assert_eq!(items[1]["id"], new);
    assert_eq!(items[1]["overdue"], false);
    // 30 working days from Friday 2026-11-20: 2027-01-01 (no holidays entered).
    assert_eq!(items[1]["deadline"], "2027-01-01");
    assert_eq!(q["overdue"], 1);
    // New Year's Day entered as a holiday moves the deadline to the next working day.
    c.sign_in("admin");
    let e = c.err(
        "calendar.set",
        json!({"date": "2026-11-28", "kind": "holiday"}),
    );
    assert_eq!(
        e.field.as_deref(),
        Some("kind"),
        "a Saturday is no holiday to declare"
    );
    c.ok(
        "calendar.set",
        json!({"date": "2027-01-01", "kind": "holiday", "note": "元旦"}),
    );
    let e = c.err("workflow.set_settings", json!({"notice_days": 0, "approval_workdays": 10, "procedure_workdays": 30, "refusal_notice_workdays": 3, "tekun_survey_workdays": 15, "temp_procedure_workdays": 15, "temp_paperwork_workdays": 5}));
    assert_eq!(e.field.as_deref(), Some("notice_days"));
    c.sign_in("jbr1");
    let v = c.ok("case.get", json!({"case_id": new}));
    assert_eq!(v["deadline"], "2027-01-04");
    // The reviewer's queue holds neither: both wait for a caseworker.
    c.sign_in("shr1");
    assert_eq!(c.ok("work.queue", json!({}))["items"], json!([]));
}
