//! 临时救助 through the command layer: 先行救助 from the reserve fund, the township quota, the
//! same-cause rule, staged payments, separation of duties, near relatives and the work queue.

use chrono::NaiveDate;
use doudi_core::{ErrorCode, FixedClock, Session};
use serde_json::{json, Value};

use crate::common::{county, household_input, id, seed_standards, County, PASSWORD};

const HEAD_ID_SEQ: u32 = 11;

/// The county with its standards (rural 低保 660 yuan: quota 3 × 660 = 1,980, cap 6,600), a
/// household in 城关镇, a reserve fund topped up with `fund` yuan; signed in as jbr1.
fn setup(fund: &str) -> (County, i64) {
    let mut c = county();
    seed_standards(&mut c, "spr");
    if fund != "0" {
        let t = c.township;
        c.ok(
            "reserve_fund.top_up",
            json!({"township_id": t, "amount": fund, "reference": "清民财〔2026〕12号"}),
        );
    }
    c.sign_in("jbr1");
    let h = c.ok(
        "household.create",
        household_input(&c, "张三", &id("19700101", HEAD_ID_SEQ)),
    )["household"]["id"]
        .as_i64()
        .unwrap();
    (c, h)
}

fn create(c: &mut County, h: i64, kind: &str, cause: &str) -> Value {
    c.ok(
        "temp_aid.create",
        json!({"household_id": h, "kind": kind, "cause": cause, "description": "家中失火，房屋和衣物被毁"}),
    )
}

fn act(c: &mut County, case: i64, action: &str, data: Value) -> Value {
    let mut input = json!({"case_id": case, "action": action});
    if let (Some(o), Value::Object(m)) = (input.as_object_mut(), data) {
        o.extend(m);
    }
    c.ok("temp_aid.act", input)
}

fn act_err(c: &mut County, case: i64, action: &str, data: Value) -> doudi_core::CmdError {
    let mut input = json!({"case_id": case, "action": action});
    if let (Some(o), Value::Object(m)) = (input.as_object_mut(), data) {
        o.extend(m);
    }
    c.err("temp_aid.act", input)
}

fn actions(v: &Value) -> Vec<String> {
    v["available_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap().to_owned())
        .collect()
}

fn balance(c: &mut County) -> String {
    let t = c.township;
    c.ok("reserve_fund.get", json!({"township_id": t}))["townships"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["township_id"] == t)
        .unwrap()["balance"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Accept and survey as jbr1: the case waits for the township's decision.
fn investigated(c: &mut County, h: i64, kind: &str, cause: &str) -> i64 {
    c.sign_in("jbr1");
    let case = create(c, h, kind, cause)["id"].as_i64().unwrap();
    act(c, case, "accept", json!({}));
    let v = act(
        c,
        case,
        "record_survey",
        json!({"findings": "入户核实：房屋烧毁，无其他收入"}),
    );
    assert_eq!(v["state"], "investigated");
    case
}

fn user_id(c: &mut County, username: &str) -> i64 {
    c.sign_in("admin");
    let users = c.ok("user.list", json!({}));
    users["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == username)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

#[test]
fn an_emergency_advance_within_the_quota_debits_the_fund() {
    let (mut c, h) = setup("3000");
    let v = create(&mut c, h, "emergency", "fire");
    let case = v["id"].as_i64().unwrap();
    assert_eq!(v["number"], "LS2026-0001");
    assert_eq!(v["state"], "applied");
    assert_eq!(v["township_quota"], "1980.00");
    assert_eq!(v["cap"], "6600.00");
    assert_eq!(v["warning"], Value::Null);
    assert_eq!(actions(&v), ["accept"]);
    c.sign_in("shr1");
    let v = c.ok("temp_aid.get", json!({"id": case}));
    assert_eq!(actions(&v), ["grant_advance"]);
    assert_eq!(v["reserve_balance"], "3000.00");
    let v = act(&mut c, case, "grant_advance", json!({"amount": "1200"}));
    assert_eq!(v["state"], "advanced");
    assert_eq!(v["advance"]["amount"], "1200.00");
    assert_eq!(v["reserve_balance"], "1800.00");
    // Paperwork within 5 working days of Monday 23 November.
    assert_eq!(v["deadline"], "2026-11-30");
    assert_eq!(balance(&mut c), "1800.00");
    let fund = c.ok("reserve_fund.get", json!({"township_id": c.township}));
    let kinds: Vec<(&str, &str)> = fund["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["kind"].as_str().unwrap(), e["amount"].as_str().unwrap()))
        .collect();
    assert_eq!(kinds, [("advance", "-1200.00"), ("top_up", "3000.00")]);
    assert_eq!(fund["entries"][0]["case_number"], "LS2026-0001");
    // The caseworker completes the paperwork; the reviewer approves the advance as the whole aid.
    c.sign_in("jbr1");
    let v = act(
        &mut c,
        case,
        "complete_paperwork",
        json!({"findings": "已补齐火灾证明和家庭情况说明"}),
    );
    assert_eq!(v["state"], "investigated");
    c.sign_in("shr1");
    let v = act(&mut c, case, "approve_township", json!({"amount": "1200"}));
    assert_eq!(v["state"], "closed");
    assert_eq!(v["paid_amount"], "1200.00");
    let timeline: Vec<&str> = v["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        timeline,
        ["登记申请", "先行救助", "补齐手续", "乡镇审批同意"]
    );
    assert_eq!(v["timeline"][1]["user_name"], "李审核");
    assert_eq!(v["timeline"][1]["from_label"], "已登记");
    assert_eq!(v["timeline"][1]["to_label"], "已先行救助");
    // Every step has its audit row.
    c.sign_in("admin");
    let audit = c.ok(
        "audit.list",
        json!({"entity": "temp_aid_case", "entity_id": case}),
    );
    assert_eq!(audit["rows"].as_array().unwrap().len(), 4, "{audit}");
}

#[test]
fn an_advance_that_would_overdraw_the_fund_changes_nothing() {
    let (mut c, h) = setup("500");
    let case = create(&mut c, h, "emergency", "traffic")["id"]
        .as_i64()
        .unwrap();
    c.sign_in("shr1");
    let before = c.counts();
    let e = act_err(&mut c, case, "grant_advance", json!({"amount": "800"}));
    assert_eq!(e.code, ErrorCode::Conflict);
    assert_eq!(
        e.message,
        "乡镇备用金余额不足：余额 500.00 元，本次需 800.00 元"
    );
    assert_eq!(e.field.as_deref(), Some("amount"));
    assert_eq!(c.counts(), before, "no audit row, nothing written");
    assert_eq!(balance(&mut c), "500.00");
    let v = c.ok("temp_aid.get", json!({"id": case}));
    assert_eq!(v["state"], "applied");
    assert_eq!(v["advance"], Value::Null);
    assert_eq!(v["timeline"].as_array().unwrap().len(), 1);
    // Within the balance it goes through; an advance above the quota never does.
    let e = act_err(&mut c, case, "grant_advance", json!({"amount": "1980.01"}));
    assert_eq!(e.code, ErrorCode::Forbidden);
    assert!(
        e.message.contains("乡镇审批额度 1,980.00 元"),
        "{}",
        e.message
    );
    let v = act(&mut c, case, "grant_advance", json!({"amount": "500"}));
    assert_eq!(v["reserve_balance"], "0.00");
    // An expenditure case cannot have an advance at all.
    c.sign_in("jbr1");
    let other = create(&mut c, h, "expenditure", "illness")["id"]
        .as_i64()
        .unwrap();
    c.sign_in("shr1");
    let e = act_err(&mut c, other, "grant_advance", json!({"amount": "100"}));
    assert!(e.message.contains("只有急难型"), "{}", e.message);
}

#[test]
fn above_the_township_quota_the_county_approves() {
    let (mut c, h) = setup("0");
    let case = investigated(&mut c, h, "expenditure", "illness");
    c.sign_in("shr1");
    let before = c.counts();
    let e = act_err(
        &mut c,
        case,
        "approve_township",
        json!({"amount": "2500", "stages": [{"month": "2026-11", "amount": "2500"}]}),
    );
    assert_eq!(e.code, ErrorCode::Forbidden);
    assert_eq!(
        e.message,
        "救助金额 2,500.00 元超过乡镇审批额度 1,980.00 元，须报县级民政部门审批（请选择“报县级审批”）"
    );
    assert_eq!(c.counts(), before);
    // The county approver cannot decide before the township refers the case.
    c.sign_in("spr");
    let e = act_err(
        &mut c,
        case,
        "approve_county",
        json!({"amount": "2500", "stages": [{"month": "2026-11", "amount": "2500"}]}),
    );
    assert_eq!(e.code, ErrorCode::Conflict);
    c.sign_in("shr1");
    let v = act(
        &mut c,
        case,
        "refer_to_county",
        json!({"opinion": "医疗费用大，超出乡镇额度，建议县级审批"}),
    );
    assert_eq!(v["state"], "referred");
    assert_eq!(actions(&v), Vec::<String>::new());
    c.sign_in("spr");
    let v = c.ok("temp_aid.get", json!({"id": case}));
    assert_eq!(actions(&v), ["approve_county", "refuse_county"]);
    let v = act(
        &mut c,
        case,
        "approve_county",
        json!({"amount": "2500", "stages": [{"month": "2026-11", "amount": "2500"}]}),
    );
    assert_eq!(v["state"], "approved");
    assert_eq!(v["decision"]["level"], "county");
    assert_eq!(v["decision"]["approved_amount"], "2500.00");
    // Above the cap (10 × 660) even the county cannot approve: that is for 一事一议.
    let case2 = investigated(&mut c, h, "expenditure", "education");
    c.sign_in("shr1");
    act(
        &mut c,
        case2,
        "refer_to_county",
        json!({"opinion": "建议县级审批"}),
    );
    c.sign_in("spr");
    let e = act_err(
        &mut c,
        case2,
        "approve_county",
        json!({"amount": "6600.01", "stages": [{"month": "2026-12", "amount": "6600.01"}]}),
    );
    assert!(e.message.contains("一事一议"), "{}", e.message);
}

#[test]
fn the_same_cause_twice_a_year_needs_a_reviewers_override() {
    let (mut c, h) = setup("0");
    let first = create(&mut c, h, "expenditure", "illness");
    assert_eq!(first["warning"], Value::Null);
    let case = investigated(&mut c, h, "expenditure", "illness");
    let v = c.ok("temp_aid.get", json!({"id": case}));
    assert_eq!(v["repeat"]["earlier"], json!(["LS2026-0001"]));
    assert_eq!(v["repeat"]["override"], Value::Null);
    // The warning at registration.
    let third = create(&mut c, h, "expenditure", "illness");
    let w = third["warning"].as_str().unwrap();
    assert!(
        w.contains("同一事由（疾病）") && w.contains("LS2026-0001") && w.contains("LS2026-0002"),
        "{w}"
    );
    // Another cause is no repeat.
    assert_eq!(
        create(&mut c, h, "expenditure", "fire")["warning"],
        Value::Null
    );
    c.sign_in("shr1");
    let approve = json!({"amount": "1000", "stages": [{"month": "2026-11", "amount": "1000"}]});
    let before = c.counts();
    let e = act_err(&mut c, case, "approve_township", approve.clone());
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(
        e.message.contains("同一事由每年只救助一次") && e.message.contains("特批理由"),
        "{}",
        e.message
    );
    assert_eq!(c.counts(), before);
    // A caseworker cannot override.
    c.sign_in("jbr1");
    let e = act_err(
        &mut c,
        case,
        "override_repeat",
        json!({"reason": "再次住院"}),
    );
    assert_eq!(e.code, ErrorCode::Forbidden);
    assert_eq!(
        e.message,
        "乡镇经办人不能登记重复救助特批，此步骤须由乡镇审核人办理"
    );
    c.sign_in("shr1");
    let e = act_err(&mut c, case, "override_repeat", json!({"reason": " "}));
    assert_eq!(e.field.as_deref(), Some("reason"));
    let v = act(
        &mut c,
        case,
        "override_repeat",
        json!({"reason": "年内再次手术，费用远超家庭承受能力"}),
    );
    assert_eq!(v["repeat"]["override"]["by_name"], "李审核");
    let v = act(&mut c, case, "approve_township", approve);
    assert_eq!(v["state"], "approved");
}

#[test]
fn one_approval_three_stages_each_paid_once() {
    let (mut c, h) = setup("0");
    let case = investigated(&mut c, h, "expenditure", "education");
    c.sign_in("shr1");
    let e = act_err(
        &mut c,
        case,
        "approve_township",
        json!({"amount": "1800", "stages": [
            {"month": "2026-11", "amount": "600"}, {"month": "2026-12", "amount": "600"},
            {"month": "2027-01", "amount": "500"}]}),
    );
    assert_eq!(e.field.as_deref(), Some("stages"));
    assert_eq!(
        e.message,
        "各阶段发放金额合计 1,700.00 元，应等于审批金额减去已先行救助金额，即 1,800.00 元"
    );
    let e = act_err(
        &mut c,
        case,
        "approve_township",
        json!({"amount": "1800", "stages": [
            {"month": "2026-12", "amount": "900"}, {"month": "2026-11", "amount": "900"}]}),
    );
    assert_eq!(e.field.as_deref(), Some("stages[1].month"));
    let v = act(
        &mut c,
        case,
        "approve_township",
        json!({"amount": "1800", "stages": [
            {"month": "2026-11", "amount": "600"}, {"month": "2026-12", "amount": "600"},
            {"month": "2027-01", "amount": "600"}]}),
    );
    assert_eq!(v["state"], "approved");
    let planned: Vec<(&str, &str)> = v["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["month"].as_str().unwrap(), s["amount"].as_str().unwrap()))
        .collect();
    assert_eq!(
        planned,
        [
            ("2026-11", "600.00"),
            ("2026-12", "600.00"),
            ("2027-01", "600.00")
        ]
    );
    assert_eq!(v["unpaid_amount"], "1800.00");
    assert_eq!(v["deadline"], "2026-11-30");
    // The caseworker records payments; the reviewer does not.
    assert_eq!(actions(&v), Vec::<String>::new());
    c.sign_in("jbr1");
    let v = act(&mut c, case, "pay_stage", json!({"stage_no": 1}));
    assert_eq!(v["state"], "approved");
    assert_eq!(v["stages"][0]["paid_on"], "2026-11-23");
    assert_eq!(v["stages"][0]["paid_by_name"], "王经办");
    let before = c.counts();
    let e = act_err(&mut c, case, "pay_stage", json!({"stage_no": 1}));
    assert_eq!(e.code, ErrorCode::Conflict);
    assert_eq!(e.message, "第 1 阶段已于 2026-11-23 发放，不能重复发放");
    assert_eq!(c.counts(), before);
    let e = act_err(&mut c, case, "pay_stage", json!({"stage_no": 4}));
    assert_eq!(e.field.as_deref(), Some("stage_no"));
    act(
        &mut c,
        case,
        "pay_stage",
        json!({"stage_no": 3, "reason": "开学前一次发清"}),
    );
    let v = act(
        &mut c,
        case,
        "pay_stage",
        json!({"stage_no": 2, "reason": "开学前一次发清"}),
    );
    assert_eq!(v["state"], "closed");
    assert_eq!(v["closed_on"], "2026-11-23");
    assert_eq!(v["paid_amount"], "1800.00");
    assert_eq!(v["unpaid_amount"], "0.00");
    let e = act_err(&mut c, case, "pay_stage", json!({"stage_no": 2}));
    assert!(e.message.contains("已办结"), "{}", e.message);
}

mod duties;

#[test]
fn a_cause_capped_at_three_times_the_urban_standard_is_refused_above_it() {
    let (mut c, h) = setup("0");
    c.sign_in("admin");
    c.ok(
        "standard.set",
        json!({"key": "temp.cause_caps", "scope": "all", "effective_from": "2026-01-01", "value": r#"[{"cause":"living","cap":"3","cap_on":"urban"}]"#}),
    );
    let case = investigated(&mut c, h, "emergency", "living");
    c.sign_in("shr1");
    act(
        &mut c,
        case,
        "refer_to_county",
        json!({"opinion": "外来务工人员失业，建议县级审批"}),
    );
    c.sign_in("spr");
    // 3 × 871 = 2,613, well under the county cap of 6,600.
    let e = act_err(
        &mut c,
        case,
        "approve_county",
        json!({"amount": "3000", "stages": [{"month": "2026-12", "amount": "3000"}]}),
    );
    assert_eq!(e.field.as_deref(), Some("amount"));
    assert_eq!(
        e.message,
        "救助金额 3,000.00 元超过临时救助上限 2,613.00 元；仍有困难的可提请一事一议"
    );
    let v = act(
        &mut c,
        case,
        "approve_county",
        json!({"amount": "2613", "stages": [{"month": "2026-12", "amount": "2613"}]}),
    );
    assert_eq!(v["state"], "approved");
}

mod payment;
mod statistics;
