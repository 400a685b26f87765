//! Files across the network through the command layer: every command that makes a file gives,
//! with `deliver: "bytes"`, exactly the bytes it saves at a `path` (same SHA-256, the suggested
//! file name) and writes nothing on the core's disk; every command that reads a file reads an
//! `upload` as it reads the same file at a path; neither, both, bad base64 or a file too big
//! are refused naming the field, and change nothing (`uploads`).

use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::common::{county, id, pdf_text, County};
use crate::payments::{act, add_household, enrolled_household, to_notice};

mod uploads;

pub(crate) fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

pub(crate) fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn with(input: &Value, extra: Value) -> Value {
    let mut v = input.clone();
    if let (Some(o), Value::Object(m)) = (v.as_object_mut(), extra) {
        o.extend(m);
    }
    v
}

/// The newest audit row's `after` text.
pub(crate) fn last_audit(c: &County) -> String {
    c.s.connection()
        .query_row(
            "SELECT coalesce(after, '') FROM audit ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

/// The files in the county's folder (to show bytes mode writes none there).
pub(crate) fn files_in(c: &County) -> usize {
    std::fs::read_dir(c.dir.path()).unwrap().count()
}

/// Run `cmd` with `path_field` = a path in the county's folder, then with `deliver: "bytes"`:
/// the reply's `file` is the saved file, byte for byte, named `name`; no path in that reply,
/// nothing new on disk, and the audit row names the file and its digest, not a path.
fn delivered(c: &mut County, cmd: &str, input: Value, path_field: &str, name: &str) -> Value {
    let path = c.dir.path().join(format!("saved-{name}"));
    let saved = c.ok(cmd, with(&input, json!({ path_field: path })));
    assert!(saved.get("file").is_none(), "{cmd}: no bytes in path mode");
    let on_disk = std::fs::read(&path).unwrap();
    let files = files_in(c);
    let v = c.ok(cmd, with(&input, json!({"deliver": "bytes"})));
    assert_eq!(files_in(c), files, "{cmd}: bytes mode writes no file");
    assert!(v.get(path_field).is_none_or(Value::is_null), "{cmd}: {v}");
    let file = &v["file"];
    assert_eq!(file["name"], name, "{cmd}");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(file["base64"].as_str().unwrap())
        .unwrap();
    assert_eq!(file["sha256"], sha(&bytes), "{cmd}");
    assert_eq!(file["size"], bytes.len(), "{cmd}");
    if name.ends_with(".pdf") {
        // printpdf names each PDF's fonts and the document with random ids (and compresses
        // them): two makings of one document differ there only. The same text, page by page;
        // that the bytes made are the bytes saved is `commands::files`'s own test.
        let copy = c.dir.path().join("delivered.pdf");
        std::fs::write(&copy, &bytes).unwrap();
        assert_eq!(pdf_text(&copy), pdf_text(&path), "{cmd}");
        std::fs::remove_file(copy).unwrap();
    } else {
        assert_eq!(
            sha(&bytes),
            sha(&on_disk),
            "{cmd}: the bytes are the saved file's"
        );
    }
    if cmd != "benefit.what_if" && cmd != "standard.export" {
        let audit = last_audit(c);
        assert!(
            audit.contains(name) && audit.contains(&sha(&bytes)),
            "{cmd}: {audit}"
        );
        assert!(
            !audit.contains("\"path\"") && !audit.contains("\"dest\""),
            "{audit}"
        );
    }
    v
}

fn case_of(c: &mut County, h: i64) -> (i64, String) {
    let v = c.ok("case.list", json!({"household_id": h}));
    let case = &v["cases"][0];
    (
        case["id"].as_i64().unwrap(),
        case["number"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn every_document_in_bytes_mode_is_the_pdf_path_mode_saves() {
    let mut c = county();
    let h = enrolled_household(&mut c);
    let (case, number) = case_of(&mut c, h);
    c.sign_in("spr");
    let v = delivered(
        &mut c,
        "document.approval_form",
        json!({"case_id": case}),
        "path",
        &format!("{number}-审批表.pdf"),
    );
    assert_eq!(v["file"]["media_type"], "application/pdf");
    assert_eq!(v["document"], "审批表");

    // A second family on notice: its village's 公示, then refused: its 不予批准通知书.
    c.sign_in("jbr1");
    let h2 = add_household(
        &mut c,
        "王五",
        &id("19600101", 13),
        "rural",
        "6222020000000000013",
        json!([]),
        "200",
    );
    let case2 = to_notice(&mut c, h2, "2026-11", 1);
    let village = c.village;
    let v = delivered(
        &mut c,
        "document.notice",
        json!({"area_id": village, "programme": "dibao", "complaint_phone": "0371-12345678",
               "complaint_address": "城关镇民政所"}),
        "path",
        "城关镇李庄村-公示-2026-11-04.pdf",
    );
    assert_eq!(v["document"], "公示");
    act(
        &mut c,
        "spr",
        case2,
        "refuse",
        json!({"date": "2026-11-20", "reasons": "存款超过限额"}),
    );
    let number2 = c.ok("case.get", json!({"case_id": case2}))["number"]
        .as_str()
        .unwrap()
        .to_owned();
    delivered(
        &mut c,
        "document.refusal_notice",
        json!({"case_id": case2}),
        "path",
        &format!("{number2}-不予批准通知书.pdf"),
    );

    // 临时救助: the 审批表 of a new application.
    c.sign_in("jbr1");
    let ta = c.ok(
        "temp_aid.create",
        json!({"household_id": h, "kind": "emergency", "cause": "fire", "description": "家中失火，房屋和衣物被毁"}),
    );
    for (action, data) in [
        ("accept", json!({})),
        (
            "record_survey",
            json!({"findings": "入户核实：房屋烧毁，无其他收入"}),
        ),
    ] {
        c.ok(
            "temp_aid.act",
            with(&json!({"case_id": ta["id"], "action": action}), data),
        );
    }
    delivered(
        &mut c,
        "document.temp_aid_form",
        json!({"id": ta["id"]}),
        "path",
        &format!("{}-临时救助审批表.pdf", ta["number"].as_str().unwrap()),
    );

    // 一事一议: the 申报表 once filed, the 会议纪要 once decided.
    let v = c.ok("deliberation.file", deliberation_input(h));
    let (dc, dn) = (
        v["id"].as_i64().unwrap(),
        v["number"].as_str().unwrap().to_owned(),
    );
    delivered(
        &mut c,
        "document.deliberation_application",
        json!({"id": dc}),
        "path",
        &format!("{dn}-一事一议申报表.pdf"),
    );
    decide(&mut c, dc);
    delivered(
        &mut c,
        "document.meeting_minutes",
        json!({"id": dc}),
        "path",
        &format!("{dn}-会议纪要.pdf"),
    );
}

fn deliberation_input(household: i64) -> Value {
    json!({
        "household_id": household,
        "family_situation": "户主张三患尿毒症，妻子务农，家庭人均收入低于低保标准",
        "special_matter": "透析费用经医保报销、医疗救助后自付仍超过 8 万元",
        "received": [],
        "proposed_amount": "20000",
        "proposed_measures": "一次性救助 2 万元",
        "reporting_unit": "城关镇人民政府",
        "township_opinion": "情况属实，拟纳入一事一议决策范围",
    })
}

/// Review a 一事一议 case and decide it at a meeting of six units, all agreeing on paper.
fn decide(c: &mut County, case: i64) {
    c.sign_in("spr");
    c.ok(
        "deliberation.act",
        json!({"id": case, "action": "review", "opinion": "情况属实，提请协调会议研究"}),
    );
    let mid = c.ok(
        "meeting.create",
        json!({"held_on": "2026-11-05", "place": "县民政局三楼会议室", "chair": "副县长 刘明", "recorder": "陈审批"}),
    )["id"]
        .as_i64()
        .unwrap();
    c.ok(
        "meeting.add_item",
        json!({"meeting_id": mid, "case_id": case}),
    );
    for unit in ["民政局", "财政局", "人社局", "卫健委", "医保局", "教育局"] {
        c.ok(
            "meeting.attendance",
            json!({"meeting_id": mid, "unit": unit, "status": "present", "representative": "代表"}),
        );
        c.ok(
            "meeting.opinion",
            json!({"meeting_id": mid, "case_id": case, "unit": unit, "opinion": "agree",
                "paper_opinion_ref": format!("{unit}书面意见")}),
        );
    }
    c.ok(
        "meeting.decide",
        json!({"meeting_id": mid, "case_id": case, "decision": "approve",
            "minutes": "经研究，同意一次性救助 2 万元。", "amount": "20000", "measures": "一次性发放",
            "responsible_units": ["民政局"], "stages": [{"month": "2026-11", "amount": "20000"}]}),
    );
}

/// A county with 2025-12 run, reviewed and locked, signed in as the approver.
pub(crate) fn locked_month() -> County {
    let mut c = county();
    enrolled_household(&mut c);
    c.sign_in("spr");
    for step in ["payment.run", "payment.review", "payment.lock"] {
        c.ok(step, json!({"month": "2025-12"}));
    }
    c
}

#[test]
fn exports_in_bytes_mode_are_the_files_path_mode_writes() {
    let mut c = locked_month();
    let month = json!({"month": "2025-12"});
    let v = delivered(
        &mut c,
        "payment.roster",
        month.clone(),
        "path",
        "发放花名册-2025-12.xlsx",
    );
    assert_eq!(
        (v["format"].as_str(), v["rows"].as_u64()),
        (Some("xlsx"), Some(1))
    );
    let v = delivered(
        &mut c,
        "payment.roster",
        json!({"month": "2025-12", "format": "csv", "encoding": "utf8_bom"}),
        "path",
        "发放花名册-2025-12.csv",
    );
    assert_eq!(v["file"]["media_type"], "text/csv");
    delivered(
        &mut c,
        "stats.export",
        month.clone(),
        "path",
        "月度统计-2025-12.xlsx",
    );
    let v = delivered(
        &mut c,
        "stats.export",
        json!({"month": "2025-12", "format": "pdf"}),
        "path",
        "月度统计-2025-12.pdf",
    );
    assert_eq!(v["format"], "pdf");
    let v = delivered(
        &mut c,
        "benefit.what_if",
        json!({"key": "dibao.standard", "scope": "rural", "value": "900", "effective_from": "2026-01-01", "month": "2026-01"}),
        "xlsx",
        "政策测算-2026-01.xlsx",
    );
    assert_eq!(v["count"], 1);
    let v = delivered(
        &mut c,
        "standard.export",
        json!({}),
        "path",
        "保障标准.json",
    );
    assert_eq!(v["format"], "doudi-standards/1");

    // The backup: made aside, verified, returned; it opens with the county's households.
    c.sign_in("admin");
    let v = c.ok("system.backup", json!({"deliver": "bytes"}));
    assert!(v.get("dest").is_none());
    assert_eq!(v["file"]["name"], "doudi-2026-11-23.sqlite");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(v["file"]["base64"].as_str().unwrap())
        .unwrap();
    assert_eq!(v["bytes"], bytes.len());
    assert_eq!(v["file"]["sha256"], sha(&bytes));
    let copy = c.dir.path().join("copy.sqlite");
    std::fs::write(&copy, &bytes).unwrap();
    let households: i64 = rusqlite::Connection::open(&copy)
        .unwrap()
        .query_row("SELECT count(*) FROM household", [], |r| r.get(0))
        .unwrap();
    assert_eq!(households, 1);
    let audit = last_audit(&c);
    assert!(
        audit.contains("doudi-2026-11-23.sqlite") && audit.contains(&sha(&bytes)),
        "{audit}"
    );
    // Path mode as before: the file at `dest`, its path in the reply and the audit row.
    let dest = c.dir.path().join("备份.sqlite");
    let v = c.ok("system.backup", json!({"dest": dest}));
    assert_eq!(v["dest"], dest.to_str().unwrap());
    assert!(v.get("file").is_none());
    assert!(last_audit(&c).contains("备份.sqlite"));
}
