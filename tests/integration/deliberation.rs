//! 一事一议 through the command layer: from 申报 through review, the coordination meeting
//! (attendance, opinions, quorum, decision with minutes), sign-off, 公示, staged payment and
//! follow-up visits to closing; and each refusal, which changes nothing.

use doudi_core::ErrorCode;
use serde_json::{json, Value};

use crate::common::{county, household_input, id, pdf_text, County, PASSWORD};
use payment::on_day;

const PRESENT6: [&str; 6] = ["民政局", "财政局", "人社局", "卫健委", "医保局", "教育局"];

/// Two more member-unit users and a second approver; cydw speaks for 医保局, cydw2 for 教育局.
fn setup(c: &mut County) -> i64 {
    let household = c.ok(
        "household.create",
        household_input(c, "张三", &id("19700101", 11)),
    )["household"]["id"]
        .as_i64()
        .unwrap();
    c.sign_in("admin");
    let county_id = c.ok("area.list", json!({}))["areas"][0]["id"]
        .as_i64()
        .unwrap();
    for (username, name, role) in [
        ("cydw2", "吴成员", "member_unit"),
        ("spr2", "孙审批", "approver"),
    ] {
        c.add_user(
            json!({"username": username, "display_name": name, "role": role,
            "area_id": county_id, "password": PASSWORD}),
        );
    }
    let users = c.ok("user.list", json!({}))["users"].clone();
    let uid = |name: &str| {
        users
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["username"] == name)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let settings = c.ok("deliberation.settings", json!({}));
    assert_eq!(settings["units"].as_array().unwrap().len(), 11);
    assert_eq!(settings["quorum"], "more_than_half");
    c.ok(
        "deliberation.set_settings",
        json!({"units": settings["units"], "quorum": "more_than_half", "majority": "more_than_half",
            "user_units": [{"user_id": uid("cydw"), "unit": "医保局"}, {"user_id": uid("cydw2"), "unit": "教育局"}]}),
    );
    c.sign_in("jbr1");
    household
}

fn file_input(household: i64) -> Value {
    json!({
        "household_id": household,
        "family_situation": "户主张三患尿毒症，妻子务农，子女在读，家庭人均收入低于低保标准",
        "special_matter": "透析和肾移植费用经医保报销、医疗救助后自付仍超过 8 万元",
        "received": [{"programme": "低保", "amount": "7920.00", "note": "2026 年全年"},
                     {"programme": "临时救助", "amount": "5226", "note": ""}],
        "proposed_amount": "20000",
        "proposed_measures": "一次性救助 2 万元；医保局二次报销；教育局资助子女学费",
        "reporting_unit": "城关镇人民政府",
        "township_opinion": "情况属实，拟纳入一事一议决策范围",
    })
}

fn act(c: &mut County, case: i64, action: &str, data: Value) -> Value {
    let mut v = data;
    v["id"] = json!(case);
    v["action"] = json!(action);
    c.ok("deliberation.act", v)
}

fn act_err(c: &mut County, case: i64, action: &str, data: Value) -> doudi_core::CmdError {
    let mut v = data;
    v["id"] = json!(case);
    v["action"] = json!(action);
    c.err("deliberation.act", v)
}

fn actions(v: &Value) -> Vec<String> {
    v["available_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap().to_owned())
        .collect()
}

/// Everything a refused step could have touched.
fn snapshot(c: &County) -> (i64, i64, i64, String) {
    let (_, _, audit) = c.counts();
    c.s.connection()
        .query_row(
            "SELECT (SELECT count(*) FROM deliberation_step), (SELECT count(*) FROM deliberation_payment),
                    (SELECT group_concat(state || coalesce(decision, ''), ',') FROM deliberation_case)
                    || '|' || (SELECT group_concat(minutes || state, ',') FROM meeting)",
            [],
            |r| Ok((audit, r.get(0)?, r.get(1)?, r.get::<_, Option<String>>(2)?.unwrap_or_default())),
        )
        .unwrap()
}

/// Convene a meeting (as spr), put the case on it and mark `present` units present.
fn meeting_with(c: &mut County, case: i64, present: &[&str]) -> i64 {
    c.sign_in("spr");
    let m = c.ok(
        "meeting.create",
        json!({"held_on": "2026-11-05", "place": "县民政局三楼会议室", "chair": "县政府副县长 刘明", "recorder": "陈审批"}),
    );
    let mid = m["id"].as_i64().unwrap();
    assert_eq!(m["quorum"]["expected"], 11);
    c.ok(
        "meeting.add_item",
        json!({"meeting_id": mid, "case_id": case}),
    );
    for unit in present {
        c.ok(
            "meeting.attendance",
            json!({"meeting_id": mid, "unit": unit, "status": "present", "representative": "代表"}),
        );
    }
    mid
}

fn approve_input(mid: i64, case: i64) -> Value {
    json!({"meeting_id": mid, "case_id": case, "decision": "approve",
        "minutes": "会议听取了城关镇关于张三家庭困难情况的汇报，经研究，同意一次审批、分两期救助 2 万元。",
        "amount": "20000", "measures": "分两期发放救助金；医保局二次报销；教育局资助学费",
        "responsible_units": ["民政局", "医保局", "教育局"],
        "stages": [{"month": "2026-11", "amount": "12000"}, {"month": "2026-12", "amount": "8000.00"}]})
}

#[test]
fn a_deliberation_from_filing_to_closing() {
    let mut c = county();
    let household = setup(&mut c);
    // 申报 by the township caseworker.
    let v = c.ok("deliberation.file", file_input(household));
    let case = v["id"].as_i64().unwrap();
    assert_eq!(v["number"], "YS2026-0001");
    assert_eq!(v["state"], "filed");
    assert_eq!(v["received_total"], "13146.00");
    assert_eq!(v["proposed_amount"], "20000.00");
    assert!(actions(&v).is_empty(), "the filer waits for the county");
    // The bureau sends it back; the township completes it; the bureau reviews.
    c.sign_in("spr");
    assert_eq!(
        actions(&c.ok("deliberation.get", json!({"id": case}))),
        ["review", "return"]
    );
    act(
        &mut c,
        case,
        "return",
        json!({"reasons": "缺少医疗费用票据"}),
    );
    c.sign_in("jbr1");
    let v = act(
        &mut c,
        case,
        "resubmit",
        json!({"note": "已补充住院发票复印件"}),
    );
    assert_eq!(v["state"], "filed");
    c.sign_in("spr");
    let v = act(
        &mut c,
        case,
        "review",
        json!({"opinion": "情况属实，提请协调会议研究"}),
    );
    assert_eq!(v["state"], "reviewed");
    // The meeting: five of eleven present is no quorum, and nothing changes.
    let mid = meeting_with(&mut c, case, &PRESENT6[..5]);
    let before = snapshot(&c);
    let e = c.err("meeting.decide", approve_input(mid, case));
    assert_eq!(e.code, ErrorCode::Conflict);
    assert_eq!(
        e.message,
        "会议未达到法定人数：应到 11 个成员单位，实到 5 个，须超过半数"
    );
    assert_eq!(snapshot(&c), before);
    c.ok(
        "meeting.attendance",
        json!({"meeting_id": mid, "unit": "教育局", "status": "present"}),
    );
    let m = c.ok("meeting.get", json!({"id": mid}));
    assert_eq!(
        (
            m["quorum"]["present"].as_i64(),
            m["quorum"]["met"].as_bool()
        ),
        (Some(6), Some(true))
    );
    // Opinions: each member-unit user for their own unit, the recorder for the others from their
    // signed paper opinions.
    c.sign_in("cydw");
    c.ok(
        "meeting.opinion",
        json!({"meeting_id": mid, "case_id": case, "unit": "医保局",
        "opinion": "agree", "commitment": "启动二次报销，预计报销 1.2 万元"}),
    );
    let e = c.err(
        "meeting.opinion",
        json!({"meeting_id": mid, "case_id": case, "unit": "教育局", "opinion": "agree"}),
    );
    assert_eq!(e.code, ErrorCode::Forbidden);
    assert!(e.message.contains("只能登记本单位的意见"), "{}", e.message);
    c.sign_in("cydw2");
    c.ok(
        "meeting.opinion",
        json!({"meeting_id": mid, "case_id": case, "unit": "教育局",
        "opinion": "agree_with_changes", "commitment": "资助子女学费 3000 元"}),
    );
    c.sign_in("spr");
    for (unit, opinion) in [
        ("民政局", "agree"),
        ("财政局", "disagree"),
        ("人社局", "disagree"),
        ("卫健委", "disagree"),
    ] {
        c.ok(
            "meeting.opinion",
            json!({"meeting_id": mid, "case_id": case, "unit": unit, "opinion": opinion,
                "paper_opinion_ref": format!("{unit}书面意见（已签章）")}),
        );
    }
    let e = c.err(
        "meeting.opinion",
        json!({"meeting_id": mid, "case_id": case, "unit": "残联", "opinion": "agree",
            "paper_opinion_ref": "残联书面意见"}),
    );
    assert_eq!(
        e.field.as_deref(),
        Some("unit"),
        "an absent unit gives no opinion"
    );
    // Three of six in favour: a disagreeing half cannot grant aid; nothing changes.
    let before = snapshot(&c);
    let e = c.err("meeting.decide", approve_input(mid, case));
    assert_eq!(e.field.as_deref(), Some("decision"));
    assert!(
        e.message
            .contains("同意（含修改后同意）的 3 个、不同意的 3 个"),
        "{}",
        e.message
    );
    assert_eq!(snapshot(&c), before);
    c.ok(
        "meeting.opinion",
        json!({"meeting_id": mid, "case_id": case, "unit": "卫健委", "opinion": "agree",
        "commitment": "协调医院减免部分费用", "paper_opinion_ref": "卫健委〔2026〕12 号复函"}),
    );
    let m = c.ok("meeting.get", json!({"id": mid}));
    assert_eq!(
        m["items"][0]["tally"],
        json!({"agree": 3, "agree_with_changes": 1, "disagree": 2, "silent": 0, "in_favour": 4})
    );
    assert_eq!(m["items"][0]["majority_met"], true);
    // No decision without minutes.
    let before = snapshot(&c);
    let mut no_minutes = approve_input(mid, case);
    no_minutes["minutes"] = json!("   ");
    let e = c.err("meeting.decide", no_minutes);
    assert_eq!(e.field.as_deref(), Some("minutes"));
    assert!(e.message.contains("会议纪要"), "{}", e.message);
    assert_eq!(snapshot(&c), before);
    let v = c.ok("meeting.decide", approve_input(mid, case));
    assert_eq!(v["state"], "approved");
    assert_eq!(v["approved_amount"], "20000.00");
    assert_eq!(v["payments"].as_array().unwrap().len(), 2);
    assert_eq!(
        v["payments"][1],
        json!({"stage": 2, "planned_month": "2026-12", "amount": "8000.00", "paid_on": null,
            "roster_month": null, "paid_in_run": false})
    );
    assert_eq!(
        v["responsible_units"],
        json!(["民政局", "医保局", "教育局"])
    );
    // spr recorded the decision: another approver signs it off.
    assert!(actions(&v).is_empty());
    // The 申报表 and the 会议纪要 as PDFs, read back.
    let dir = c.dir.path().to_owned();
    let app = dir.join("申报表.pdf");
    c.ok(
        "document.deliberation_application",
        json!({"id": case, "path": app}),
    );
    let text = pdf_text(&app);
    for want in [
        "一事一议",
        "张三",
        "尿毒症",
        "20,000.00",
        "城关镇人民政府",
        "拟纳入一事一议决策范围",
    ] {
        assert!(text.contains(want), "{want} missing in {text}");
    }
    let minutes = dir.join("纪要.pdf");
    c.ok(
        "document.meeting_minutes",
        json!({"id": case, "path": minutes}),
    );
    let text = pdf_text(&minutes);
    for want in ["会议纪要", "医保局", "教育局", "20,000.00"] {
        assert!(text.contains(want), "{want} missing in {text}");
    }
    let m = c.ok("meeting.close", json!({"id": mid}));
    assert_eq!(m["state"], "closed");
    let e = c.err(
        "meeting.attendance",
        json!({"meeting_id": mid, "unit": "残联", "status": "present"}),
    );
    assert_eq!(e.message, "这次会议已结束，不能再登记");
    // Sign-off by a second approver (spr recorded the decision), then the township posts the 公示.
    c.sign_in("spr2");
    act(&mut c, case, "sign_off", json!({}));
    c.sign_in("jbr1");
    let e = act_err(
        &mut c,
        case,
        "pay",
        json!({"stage": 1, "paid_on": "2026-11-20"}),
    );
    assert_eq!(e.code, ErrorCode::Forbidden, "{}", e.message);
    // The 公示 announces the signed-off decision (signed off today, 23 November): not before.
    let before = snapshot(&c);
    let e = act_err(&mut c, case, "start_notice", json!({"start": "2026-11-10"}));
    assert_eq!(e.field.as_deref(), Some("start"));
    assert_eq!(
        e.message,
        "公示开始日期 2026-11-10 早于审批人签批日期 2026-11-23：公示的是签批后的决定，不能早于签批"
    );
    assert_eq!(snapshot(&c), before);
    let v = act(&mut c, case, "start_notice", json!({"start": "2026-11-23"}));
    assert_eq!(
        (v["state"].as_str(), v["notice_end"].as_str()),
        (Some("on_notice"), Some("2026-11-29"))
    );
    // Staged payment by the county after the notice; closing waits for every stage and a visit.
    c.sign_in("spr");
    let e = act_err(
        &mut c,
        case,
        "pay",
        json!({"stage": 1, "paid_on": "2026-11-23"}),
    );
    assert!(e.message.contains("公示"), "{}", e.message);
    on_day(&mut c, "2026-12-01", "spr");
    let e = act_err(
        &mut c,
        case,
        "pay",
        json!({"stage": 1, "paid_on": "2026-11-29"}),
    );
    assert_eq!(e.field.as_deref(), Some("paid_on"));
    let v = act(
        &mut c,
        case,
        "pay",
        json!({"stage": 1, "paid_on": "2026-11-30"}),
    );
    assert_eq!(v["state"], "paying");
    let e = act_err(
        &mut c,
        case,
        "pay",
        json!({"stage": 1, "paid_on": "2026-12-01"}),
    );
    assert_eq!(e.message, "第 1 期已登记发放，不能重复登记");
    let e = act_err(&mut c, case, "close", json!({"outcome": "已解决"}));
    assert_eq!(e.message, "还有 1 期救助金未发放，发放完毕后才能结案");
    act(
        &mut c,
        case,
        "pay",
        json!({"stage": 2, "paid_on": "2026-12-01"}),
    );
    let e = act_err(&mut c, case, "close", json!({"outcome": "已解决"}));
    assert_eq!(e.message, "结案前须至少登记一次跟踪回访");
    c.sign_in("jbr1");
    act(
        &mut c,
        case,
        "visit",
        json!({"visited_on": "2026-11-23", "visitor": "王经办、村主任", "findings": "已完成肾移植，恢复良好"}),
    );
    c.sign_in("spr");
    let v = act(
        &mut c,
        case,
        "close",
        json!({"outcome": "救助金 2 万元已发放，医保二次报销 1.2 万元，家庭度过难关"}),
    );
    assert_eq!(v["state"], "closed");
    assert!(actions(&v).is_empty());
    let steps: Vec<&str> = v["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        [
            "file",
            "return",
            "resubmit",
            "review",
            "schedule",
            "decide",
            "document",
            "document",
            "sign_off",
            "start_notice",
            "pay",
            "pay",
            "visit",
            "close"
        ]
    );
    assert_eq!(v["timeline"][5]["data"]["present"], 6);
    assert_eq!(v["visits"][0]["visitor"], "王经办、村主任");
    // Every step wrote its audit row, and so did each of the two documents.
    let audit = c.ok(
        "audit.list",
        json!({"entity": "deliberation_case", "entity_id": case}),
    );
    assert_eq!(audit["rows"].as_array().unwrap().len(), 14, "{audit}");
}

/// File as `filer`, review as `reviewer`, decide at a quorate meeting where all six agree.
fn to_approved(c: &mut County, household: i64, filer: &str, reviewer: &str) -> i64 {
    c.sign_in(filer);
    let case = c.ok("deliberation.file", file_input(household))["id"]
        .as_i64()
        .unwrap();
    c.sign_in(reviewer);
    act(c, case, "review", json!({"opinion": "同意提交会议"}));
    let mid = meeting_with(c, case, &PRESENT6);
    for unit in PRESENT6 {
        c.ok(
            "meeting.opinion",
            json!({"meeting_id": mid, "case_id": case, "unit": unit, "opinion": "agree",
                "paper_opinion_ref": "签章书面意见"}),
        );
    }
    c.ok("meeting.decide", approve_input(mid, case));
    case
}

#[test]
fn the_filer_cannot_review_or_sign_off() {
    let mut c = county();
    let household = setup(&mut c);
    c.sign_in("spr");
    let case = c.ok("deliberation.file", file_input(household))["id"]
        .as_i64()
        .unwrap();
    let e = act_err(&mut c, case, "review", json!({"opinion": "同意"}));
    assert_eq!(e.code, ErrorCode::Forbidden);
    let case = to_approved(&mut c, household, "spr", "spr2");
    c.sign_in("spr");
    let v = c.ok("deliberation.get", json!({"id": case}));
    assert!(
        actions(&v).is_empty(),
        "the filer is not offered the sign-off"
    );
    let before = snapshot(&c);
    let e = act_err(&mut c, case, "sign_off", json!({}));
    assert_eq!(e.code, ErrorCode::Forbidden);
    assert_eq!(
        e.message,
        "此案件由您申报，不能再签批（申报与审查、审批须由不同人员办理）"
    );
    assert_eq!(snapshot(&c), before);
    c.sign_in("spr2");
    assert_eq!(
        act(&mut c, case, "sign_off", json!({}))["state"],
        "signed_off"
    );
}

#[test]
fn a_near_relative_takes_no_action() {
    let mut c = county();
    let household = setup(&mut c);
    let case = to_approved(&mut c, household, "jbr1", "spr");
    c.sign_in("spr2");
    act(&mut c, case, "sign_off", json!({}));
    // 李审核 (shr1) declares the head as a near relative.
    let conn = c.s.connection();
    let shr1: i64 = conn
        .query_row("SELECT id FROM user WHERE username = 'shr1'", [], |r| {
            r.get(0)
        })
        .unwrap();
    conn.execute(
        "INSERT INTO near_relative (user_id, staff_name, staff_post, area_id, relative_id_number, relative_name,
             relation, declared_on, recorded_by, recorded_at)
         VALUES (?1, '李审核', '乡镇审核人', ?2, ?3, '张三', '兄弟', '2026-01-01', 1, '2026-01-01 09:00:00')",
        rusqlite::params![shr1, c.township, id("19700101", 11)],
    )
    .unwrap();
    c.sign_in("shr1");
    let v = c.ok("deliberation.get", json!({"id": case}));
    assert!(actions(&v).is_empty());
    let before = snapshot(&c);
    let e = act_err(&mut c, case, "start_notice", json!({"start": "2026-11-10"}));
    assert_eq!(e.code, ErrorCode::Forbidden);
    assert!(e.message.contains("近亲属回避"), "{}", e.message);
    let e = c.err("deliberation.file", file_input(household));
    assert!(e.message.contains("近亲属回避"), "{}", e.message);
    assert_eq!(snapshot(&c), before);
    c.sign_in("jbr1");
    assert_eq!(
        actions(&c.ok("deliberation.get", json!({"id": case}))),
        ["start_notice"]
    );
}

#[test]
fn settings_change_the_quorum_and_an_undecided_case_leaves_the_agenda() {
    let mut c = county();
    let household = setup(&mut c);
    c.sign_in("admin");
    let s = c.ok("deliberation.settings", json!({}));
    let e = c.err(
        "deliberation.set_settings",
        json!({"units": s["units"], "quorum": "most", "majority": "more_than_half"}),
    );
    assert_eq!(e.field.as_deref(), Some("quorum"));
    c.ok(
        "deliberation.set_settings",
        json!({"units": s["units"], "quorum": "at_least_two_thirds", "majority": "more_than_half"}),
    );
    c.sign_in("jbr1");
    let case = c.ok("deliberation.file", file_input(household))["id"]
        .as_i64()
        .unwrap();
    c.sign_in("spr");
    act(&mut c, case, "review", json!({"opinion": "同意提交会议"}));
    let mid = meeting_with(&mut c, case, &PRESENT6);
    let m = c.ok("meeting.get", json!({"id": mid}));
    assert_eq!(m["quorum"]["met"], false);
    let e = c.err(
        "meeting.decide",
        json!({"meeting_id": mid, "case_id": case, "decision": "refer",
        "programme": "临时救助", "minutes": "纪要"}),
    );
    assert_eq!(
        e.message,
        "会议未达到法定人数：应到 11 个成员单位，实到 6 个，须不少于三分之二"
    );
    // Closing needs minutes; the undecided case goes back to wait for the next meeting.
    let e = c.err("meeting.close", json!({"id": mid}));
    assert_eq!(e.field.as_deref(), Some("minutes"));
    c.ok(
        "meeting.close",
        json!({"id": mid, "minutes": "到会单位不足三分之二，案件延期研究"}),
    );
    let v = c.ok("deliberation.get", json!({"id": case}));
    assert_eq!(
        (v["state"].as_str(), v["meeting_id"].as_i64()),
        (Some("reviewed"), None)
    );
    let mid = meeting_with(
        &mut c,
        case,
        &[
            "民政局",
            "财政局",
            "人社局",
            "卫健委",
            "医保局",
            "教育局",
            "住建局",
            "残联",
        ],
    );
    let v = c.ok(
        "meeting.decide",
        json!({"meeting_id": mid, "case_id": case, "decision": "refer",
        "programme": "临时救助（支出型）", "minutes": "转介临时救助"}),
    );
    assert_eq!(
        (v["state"].as_str(), v["decision_note"].as_str()),
        (Some("referred"), Some("临时救助（支出型）"))
    );
}

mod duties;
mod payment;
