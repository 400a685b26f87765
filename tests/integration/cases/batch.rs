//! The work queue at a caseworker's scale: filters by kind and village, and 定期核查 recorded as
//! a batch ("no change" for the selected cases), each case with its own step and audit row, the
//! cases that changed since they were shown refused one by one with the reason.

use serde_json::{json, Value};

use super::{act, steps};
use crate::common::{county, County};
use crate::ledger::{good_rows, xlsx, HEADER};
use doudi_core::ErrorCode;

/// Three enrolled cases from a ledger (张三 and 王五 in 城关镇李庄村, 赵六 in 东城街道), each
/// with its periodic review due next week; signed in as `jbr1`. Returns the case ids by head.
fn reviews_due(c: &mut County) -> [i64; 3] {
    let path = xlsx(c, "台账.xlsx", &HEADER, &good_rows());
    c.sign_in("admin");
    c.ok("ledger.import", json!({"path": path}));
    // A week before the review falls due (the queue shows reviews due within 30 days).
    c.s.connection()
        .execute("UPDATE aid_case SET next_review_due = '2026-11-30'", [])
        .unwrap();
    c.sign_in("admin");
    let all = c.ok("case.list", json!({}));
    let id_of = |name: &str| {
        all["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["head_name"] == name)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let ids = [id_of("张三"), id_of("王五"), id_of("赵六")];
    c.sign_in("jbr1");
    ids
}

fn items(q: &Value) -> Vec<Value> {
    q["items"].as_array().unwrap().clone()
}

/// The case's audit rows, oldest first: (command, after).
fn audit(c: &mut County, case: i64) -> Vec<(String, Value)> {
    let conn = c.s.connection();
    let mut stmt = conn
        .prepare(
            "SELECT command, after FROM audit WHERE entity = 'case' AND entity_id = ?1 ORDER BY id",
        )
        .unwrap();
    let rows = stmt.query_map([case], |r| {
        let after: String = r.get(1)?;
        Ok((r.get(0)?, serde_json::from_str(&after).unwrap()))
    });
    rows.unwrap().map(Result::unwrap).collect()
}

#[test]
fn the_queue_filters_by_kind_and_village() {
    let mut c = county();
    let [zhang, wang, _] = reviews_due(&mut c);
    let q = c.ok("work.queue", json!({}));
    assert_eq!(q["total"], 2, "only the caseworker's township");
    assert_eq!(q["batch_reviews"], 2);
    assert_eq!(
        q["kinds"],
        json!([{"value": "case", "label": "低保/特困", "count": 2}])
    );
    assert_eq!(
        q["villages"],
        json!([{"value": c.village.to_string(), "label": "城关镇 李庄村", "count": 2}])
    );
    let mine: Vec<i64> = items(&q)
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    assert_eq!(mine.len(), 2);
    assert!(mine.contains(&zhang) && mine.contains(&wang));
    assert!(items(&q)
        .iter()
        .all(|i| i["batch_review"] == true && i["version"].is_i64()));
    let by_village = c.ok(
        "work.queue",
        json!({"village_id": c.village, "reviews_only": true}),
    );
    assert_eq!(items(&by_village).len(), 2);
    let elsewhere = c.ok("work.queue", json!({"village_id": c.village2}));
    assert_eq!(items(&elsewhere).len(), 0);
    assert_eq!(elsewhere["total"], 2, "the facets count before the filter");
    assert_eq!(
        items(&c.ok("work.queue", json!({"kind": "temp_aid"}))).len(),
        0
    );
    // Bad filters are named.
    let e = c.err("work.queue", json!({"kind": "dibao"}));
    assert_eq!(e.field.as_deref(), Some("kind"));
    assert!(e.message.contains("temp_aid（临时救助）"), "{}", e.message);
    let e = c.err("work.queue", json!({"village_id": c.township}));
    assert_eq!(e.field.as_deref(), Some("village_id"));
}

#[test]
fn periodic_reviews_in_a_batch_refuse_only_the_cases_that_changed() {
    let mut c = county();
    let [zhang, wang, zhao] = reviews_due(&mut c);
    let shown = c.ok("work.queue", json!({"reviews_only": true}));
    let version = |id: i64| {
        items(&shown).iter().find(|i| i["id"] == id).unwrap()["version"]
            .as_i64()
            .unwrap()
    };
    let (vz, vw) = (version(zhang), version(wang));
    // Meanwhile another caseworker's review of 王五 moves that case on.
    act(
        &mut c,
        wang,
        "record_periodic_review",
        json!({"findings": "女儿已工作，收入待核实"}),
    );
    let before_wang = audit(&mut c, wang).len();
    let before_zhang = audit(&mut c, zhang).len();
    let v = c.ok(
        "case.review_batch",
        json!({"cases": [
            {"case_id": zhang, "expected_version": vz},
            {"case_id": wang, "expected_version": vw},
            {"case_id": zhao, "expected_version": 0},
            {"case_id": 999_999, "expected_version": 0},
        ]}),
    );
    assert_eq!(v["date"], "2026-11-23");
    assert_eq!(
        v["reviewed"],
        json!([{"case_id": zhang, "number": v["reviewed"][0]["number"], "next_review_due": "2027-11-23"}])
    );
    let refused = v["refused"].as_array().unwrap();
    assert_eq!(refused.len(), 3);
    assert_eq!(refused[0]["case_id"], wang);
    assert_eq!(refused[0]["code"], "conflict");
    assert!(
        refused[0]["message"]
            .as_str()
            .unwrap()
            .contains("已被他人办理"),
        "{refused:?}"
    );
    assert_eq!(refused[1]["case_id"], zhao);
    assert_eq!(refused[1]["code"], "forbidden");
    assert!(refused[1]["message"]
        .as_str()
        .unwrap()
        .contains("不属于您所在的乡镇"));
    assert_eq!(refused[2]["code"], "not_found");
    // 张三's case: its own step and audit row naming it; 王五's untouched.
    let rows = audit(&mut c, zhang);
    assert_eq!(rows.len(), before_zhang + 1);
    let (command, after) = rows.last().unwrap();
    assert_eq!(command, "case.review_batch");
    assert_eq!(after["number"], v["reviewed"][0]["number"]);
    assert_eq!(audit(&mut c, wang).len(), before_wang);
    let case = c.ok("case.get", json!({"case_id": zhang}));
    let step = case["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(step["action"], "record_periodic_review");
    assert_eq!(step["data"]["batch"], true);
    assert!(step["data"]["findings"]
        .as_str()
        .unwrap()
        .contains("无变化"));
    assert_eq!(case["next_review_due"], "2027-11-23");
    // Reviewed: off the queue; 王五 (reviewed by hand) too.
    assert_eq!(
        items(&c.ok("work.queue", json!({"reviews_only": true}))).len(),
        0
    );
    // The same batch again: 张三 has moved on since it was shown.
    let again = c.ok(
        "case.review_batch",
        json!({"cases": [{"case_id": zhang, "expected_version": vz}]}),
    );
    assert_eq!(again["reviewed"], json!([]));
    assert_eq!(again["refused"][0]["code"], "conflict");
}

#[test]
fn a_batch_is_for_caseworkers_and_names_bad_input() {
    let mut c = county();
    let [zhang, ..] = reviews_due(&mut c);
    let before = (c.counts(), steps(&c, zhang));
    let e = c.err("case.review_batch", json!({"cases": []}));
    assert_eq!(e.field.as_deref(), Some("cases"));
    let e = c.err("case.review_batch", json!({"cases": [{"case_id": zhang}]}));
    assert_eq!(e.field.as_deref(), Some("cases[0].expected_version"));
    let e = c.err(
        "case.review_batch",
        json!({"cases": [{"case_id": zhang, "expected_version": 1}], "date": "2026-12-01"}),
    );
    assert_eq!(e.field.as_deref(), Some("date"));
    assert!(e.message.contains("晚于今天"), "{}", e.message);
    assert_eq!((c.counts(), steps(&c, zhang)), before);
    for who in ["shr1", "spr"] {
        c.sign_in(who);
        let e = c.err(
            "case.review_batch",
            json!({"cases": [{"case_id": zhang, "expected_version": 1}]}),
        );
        assert_eq!(e.code, ErrorCode::Forbidden, "{who}");
    }
    assert_eq!(steps(&c, zhang), before.1);
}
