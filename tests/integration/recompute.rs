//! 调标: the urban 低保 standard raised 871 → 920 reaches every urban family as one batch —
//! previewed with old and new amounts, submitted, confirmed by a second county approver (never
//! the submitter), then paid by the runs from its month; a raise back-dated into locked months
//! is paid by the next run as 「调标补发」 equal to the sum of the differences; nothing changes
//! before the confirmation.

use serde_json::{json, Value};

use crate::common::{county, id, seed_standards, County, PASSWORD};
use crate::payments::{act, add_household, to_notice};

fn count(c: &County, sql: &str) -> i64 {
    c.s.connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The amount paid in `month` of `kind`, in fen.
fn paid(c: &County, month: &str, kind: &str) -> i64 {
    c.s.connection()
        .query_row(
            "SELECT coalesce(sum(amount_fen), 0) FROM payment WHERE month = ?1 AND kind = ?2",
            [month, kind],
            |r| r.get(0),
        )
        .unwrap()
}

/// Three families on 低保 paid from 2026-10: 刘城 (urban, one person, income 200: 671 yuan),
/// 周明 (urban, two persons, income 1,000: 742 yuan) and 张三 (rural, income 300). A second
/// county approver `spr2`. Signed in as `spr`. Returns the case ids (刘城, 周明, 张三).
fn three_families() -> (County, [i64; 3]) {
    let mut c = county();
    seed_standards(&mut c, "admin");
    c.add_user(json!({"username": "jbr3", "display_name": "孙调查", "role": "caseworker", "area_id": c.township, "password": PASSWORD}));
    let county_id = c.ok("area.list", json!({}))["areas"][0]["id"].clone();
    c.add_user(json!({"username": "spr2", "display_name": "周复核", "role": "approver", "area_id": county_id, "password": PASSWORD}));
    c.sign_in("jbr1");
    let families = [
        (
            "刘城",
            id("19800202", 51),
            "urban",
            "6222020000000000033",
            json!([]),
            "200",
        ),
        (
            "周明",
            id("19790303", 61),
            "urban",
            "6222020000000000044",
            json!([{"relation": "spouse", "name": "吴芳", "id_number": id("19810404", 62)}]),
            "1000",
        ),
        (
            "张三",
            id("19700101", 11),
            "rural",
            "6222020000000000011",
            json!([]),
            "300",
        ),
    ];
    let mut cases = [0; 3];
    for (n, (head, idn, hukou, account, members, income)) in families.into_iter().enumerate() {
        c.sign_in("jbr1");
        let h = add_household(&mut c, head, &idn, hukou, account, members, income);
        let case = to_notice(&mut c, h, "2026-09", 1);
        act(
            &mut c,
            "spr",
            case,
            "approve",
            json!({"date": "2026-09-20"}),
        );
        cases[n] = case;
    }
    c.sign_in("spr");
    (c, cases)
}

fn raise_urban_from(c: &mut County, day: &str) -> Value {
    c.sign_in("admin");
    let v = c.ok(
        "standard.set",
        json!({"key": "dibao.standard", "scope": "urban", "effective_from": day, "value": "920"}),
    );
    c.sign_in("spr");
    v
}

fn run_and_lock(c: &mut County, month: &str) -> Value {
    c.sign_in("spr");
    let v = c.ok("payment.run", json!({"month": month}));
    c.ok("payment.review", json!({"month": month}));
    c.ok("payment.lock", json!({"month": month}));
    v
}

fn change_of<'a>(preview: &'a Value, case: i64) -> &'a Value {
    preview["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["case_id"] == case)
        .unwrap_or_else(|| panic!("case {case} not in {preview}"))
}

#[test]
fn a_raise_from_a_month_not_yet_paid_reaches_every_urban_family_after_a_second_approval() {
    let (mut c, [liu, zhou, zhang]) = three_families();
    run_and_lock(&mut c, "2026-10");
    run_and_lock(&mut c, "2026-11");
    assert_eq!(paid(&c, "2026-11", "regular"), 67_100 + 74_200 + 36_000);
    let saved = raise_urban_from(&mut c, "2026-12-01");
    assert!(saved["warning"].is_null(), "{saved}");

    let p = c.ok("recompute.preview", json!({"from_month": "2026-12"}));
    assert_eq!(
        (p["count"].as_u64(), p["unchanged"].as_u64()),
        (Some(2), Some(1))
    );
    let l = change_of(&p, liu);
    assert_eq!(
        (l["old"].as_str(), l["new"].as_str()),
        (Some("671.00"), Some("720.00"))
    );
    assert_eq!(l["head_name"], "刘城");
    assert_eq!(l["reason"], "城市低保标准 871 → 920 元");
    let z = change_of(&p, zhou);
    assert_eq!(
        (z["old"].as_str(), z["new"].as_str(), z["change"].as_str()),
        (Some("742.00"), Some("840.00"), Some("98.00"))
    );
    assert!(p["changes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["case_id"] != zhang));
    assert_eq!(p["monthly_change"], "147.00");
    assert_eq!(p["back_pay_total"], "0.00");
    assert!(p["warning"].is_null());

    // Submitted with a reason; a second batch of the month is refused.
    let e = c.err(
        "recompute.submit",
        json!({"from_month": "2026-12", "reason": " "}),
    );
    assert_eq!(e.field.as_deref(), Some("reason"));
    let b = c.ok(
        "recompute.submit",
        json!({"from_month": "2026-12", "reason": "县政府文件：城市低保标准调整为 920 元"}),
    );
    assert_eq!(b["state"], "pending");
    assert_eq!(b["count"], 2);
    let batch = b["id"].as_i64().unwrap();
    let e = c.err(
        "recompute.submit",
        json!({"from_month": "2026-12", "reason": "再次提交"}),
    );
    assert_eq!(e.field.as_deref(), Some("from_month"));
    assert!(e.message.contains("尚待确认"), "{}", e.message);

    // The submitter cannot confirm; nothing changed.
    let audit = count(&c, "SELECT count(*) FROM audit");
    let e = c.err(
        "recompute.confirm",
        json!({"batch_id": batch, "note": "同意"}),
    );
    assert_eq!(e.code, doudi_core::ErrorCode::Forbidden);
    assert!(
        e.message.contains("提交人以外的另一位县级审批人"),
        "{}",
        e.message
    );
    assert_eq!(count(&c, "SELECT count(*) FROM audit"), audit);
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM case_amount WHERE from_month = '2026-12'"
        ),
        0
    );

    c.sign_in("spr2");
    let done = c.ok(
        "recompute.confirm",
        json!({"batch_id": batch, "note": "已核对文件"}),
    );
    assert_eq!(done["state"], "confirmed");
    assert_eq!(done["decided_by"], "周复核");
    assert!(done["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["outcome"] == "已调整"));
    // One audit row for the batch, naming the cases and the total.
    let after: String =
        c.s.connection()
            .query_row(
                "SELECT after FROM audit WHERE command = 'recompute.confirm'",
                [],
                |r| r.get(0),
            )
            .unwrap();
    assert!(
        after.contains("\"cases\":2") && after.contains("\"monthly_change\":\"147.00\""),
        "{after}"
    );
    // The case page shows the 调标 step with its old and new amount.
    let case = c.ok("case.get", json!({"case_id": liu}));
    let step = case["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["action"] == "recompute")
        .cloned()
        .unwrap();
    assert_eq!(step["action_label"], "调标");
    assert_eq!(
        (
            step["data"]["old_amount"].as_str(),
            step["data"]["amount"].as_str()
        ),
        (Some("671.00"), Some("720.00"))
    );

    c.sign_in("spr");
    let run = c.ok("payment.run", json!({"month": "2026-12"}));
    assert_eq!(paid(&c, "2026-12", "regular"), 72_000 + 84_000 + 36_000);
    let changed: Vec<&Value> = run["month"]["differences"]
        .as_array()
        .or(run["differences"].as_array())
        .unwrap()
        .iter()
        .filter(|d| d["kind"] == "changed")
        .collect();
    assert_eq!(changed.len(), 2, "{run}");
    for d in changed {
        assert!(d["reason"].as_str().unwrap().starts_with("调标："), "{d}");
    }
    assert_eq!(
        paid(&c, "2026-12", "adjustment"),
        0,
        "no back pay: 2026-12 was not paid"
    );
    let list = c.ok("recompute.list", json!({}));
    assert_eq!(list["batches"][0]["state_label"], "已确认生效");
}

#[test]
fn a_back_dated_raise_into_locked_months_is_paid_next_as_tiaobiao_back_pay() {
    let (mut c, [liu, zhou, _]) = three_families();
    run_and_lock(&mut c, "2026-10");
    // Saving a standard back-dated into a paid month warns, naming the month and the 调标.
    let saved = raise_urban_from(&mut c, "2026-10-01");
    let warning = saved["warning"].as_str().unwrap();
    assert!(
        warning.contains("而 2026-10 已发放") && warning.contains("「调标」"),
        "{warning}"
    );
    // Before any confirmation the runs pay the amounts in force.
    run_and_lock(&mut c, "2026-11");
    assert_eq!(paid(&c, "2026-11", "regular"), 67_100 + 74_200 + 36_000);

    let p = c.ok("recompute.preview", json!({"from_month": "2026-10"}));
    assert_eq!(p["count"], 2);
    let months: Vec<(String, String)> = p["back_pay"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["month"].as_str().unwrap().to_owned(),
                m["amount"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        months,
        vec![
            ("2026-10".to_owned(), "147.00".to_owned()),
            ("2026-11".to_owned(), "147.00".to_owned())
        ]
    );
    assert_eq!(p["back_pay_total"], "294.00");
    assert!(
        p["warning"]
            .as_str()
            .unwrap()
            .contains("起始月份早于已发放月份，将产生补发 294.00 元"),
        "{p}"
    );

    let b = c.ok(
        "recompute.submit",
        json!({"from_month": "2026-10", "reason": "城市低保标准自 10 月起调整"}),
    );
    let batch = b["id"].as_i64().unwrap();
    c.sign_in("spr2");
    c.ok("recompute.confirm", json!({"batch_id": batch, "note": ""}));

    c.sign_in("spr");
    c.ok("payment.run", json!({"month": "2026-12"}));
    assert_eq!(paid(&c, "2026-12", "regular"), 72_000 + 84_000 + 36_000);
    // 49 × 2 months for 刘城, 98 × 2 for 周明: not held, the batch's confirmation decided it.
    assert_eq!(paid(&c, "2026-12", "adjustment"), 29_400);
    let diffs = c.ok("payment.get", json!({"month": "2026-12"}))["differences"].clone();
    let back: Vec<&Value> = diffs
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["reason"].as_str().unwrap().starts_with("调标补发"))
        .collect();
    assert_eq!(back.len(), 2, "{diffs}");
    let line = back.iter().find(|d| d["case_id"] == liu).unwrap();
    assert!(
        line["reason"]
            .as_str()
            .unwrap()
            .starts_with("调标补发：2026-10 至 2026-11 共 2 个月，合计 98.00 元"),
        "{line}"
    );
    assert!(back
        .iter()
        .any(|d| d["case_id"] == zhou && d["reason"].as_str().unwrap().contains("合计 196.00 元")));
    // Running again pays nothing twice.
    let again = c.ok("payment.run", json!({"month": "2026-12"}));
    assert_eq!(again["added"], 0);
}

#[test]
fn a_batch_may_be_cancelled_and_a_case_changed_since_is_skipped() {
    let (mut c, [liu, zhou, _]) = three_families();
    raise_urban_from(&mut c, "2026-12-01");
    let b = c.ok(
        "recompute.submit",
        json!({"from_month": "2026-12", "reason": "调标"}),
    );
    let cancelled = c.ok(
        "recompute.cancel",
        json!({"batch_id": b["id"], "note": "文件尚未下发"}),
    );
    assert_eq!(cancelled["state_label"], "已取消");
    let e = c.err("recompute.confirm", json!({"batch_id": b["id"]}));
    assert_eq!(e.field.as_deref(), Some("batch_id"));

    let b = c.ok(
        "recompute.submit",
        json!({"from_month": "2026-12", "reason": "调标"}),
    );
    // 周明's family has a periodic review recorded after the list was frozen.
    act(
        &mut c,
        "jbr1",
        zhou,
        "record_periodic_review",
        json!({"date": "2026-11-20", "findings": "家庭情况无变化"}),
    );
    c.sign_in("spr2");
    let done = c.ok("recompute.confirm", json!({"batch_id": b["id"]}));
    let items = done["items"].as_array().unwrap();
    let outcome = |case: i64| {
        items.iter().find(|i| i["case_id"] == case).unwrap()["outcome"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(outcome(liu), "已调整");
    assert!(outcome(zhou).contains("新的办理步骤"), "{}", outcome(zhou));
    assert_eq!(count(&c, &format!("SELECT count(*) FROM case_amount WHERE case_id = {zhou} AND from_month = '2026-12'")), 0);
}
