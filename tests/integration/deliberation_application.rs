//! The 一事一议 申报表 fills 已享受常规救助 from the household's own cases — its 低保 with the
//! monthly amount in force and its 临时救助 with what was paid (先行救助 included) — before what
//! the filer typed, whose lines of the same programmes it replaces.

use serde_json::json;

use crate::common::{pdf_text, seed_standards, PASSWORD};
use crate::deliberation::{file_input, setup};
use crate::payments::{act, to_notice};

#[test]
fn the_application_form_lists_the_aid_the_households_cases_record() {
    let mut c = crate::common::county();
    seed_standards(&mut c, "admin");
    c.add_user(json!({"username": "jbr3", "display_name": "孙调查", "role": "caseworker", "area_id": c.township, "password": PASSWORD}));
    let t = c.township;
    c.sign_in("spr");
    c.ok(
        "reserve_fund.top_up",
        json!({"township_id": t, "amount": "3000", "reference": "清民财〔2026〕12号"}),
    );
    c.sign_in("jbr1");
    let household = setup(&mut c);
    // 张三 alone on rural 低保: 660 a month from 2026-10.
    let dibao = to_notice(&mut c, household, "2026-09", 1);
    act(
        &mut c,
        "spr",
        dibao,
        "approve",
        json!({"date": "2026-09-20"}),
    );
    let number = c.ok("case.get", json!({"case_id": dibao}))["number"]
        .as_str()
        .unwrap()
        .to_owned();
    // A fire: 1,000 advanced from the reserve fund.
    c.sign_in("jbr1");
    let temp = c.ok("temp_aid.create", json!({"household_id": household, "kind": "emergency", "cause": "fire", "description": "家中失火"}));
    c.sign_in("shr1");
    c.ok(
        "temp_aid.act",
        json!({"case_id": temp["id"], "action": "grant_advance", "amount": "1000"}),
    );
    // Filed with the filer's own lines for 低保 (7,920) and 临时救助 (5,226).
    c.sign_in("jbr1");
    let case = c.ok("deliberation.file", file_input(household))["id"]
        .as_i64()
        .unwrap();
    let path = c.dir.path().join("申报表.pdf");
    c.ok(
        "document.deliberation_application",
        json!({"id": case, "path": path}),
    );
    let text = pdf_text(&path);
    for want in [
        format!("{number}：每月"),
        "660.00 元，自 2026-10 起".to_owned(),
        format!(
            "{}：已发放，其中先行救助 1,000.00 元",
            temp["number"].as_str().unwrap()
        ),
        "1,000.00".to_owned(),
    ] {
        assert!(text.contains(&want), "{want} missing in {text}");
    }
    for typed in ["7,920.00", "5,226.00", "2026 年全年"] {
        assert!(
            !text.contains(typed),
            "the typed line {typed} stays in {text}"
        );
    }
}
