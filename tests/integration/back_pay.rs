//! Back pay nobody decided: a ledger imported into a county that already runs its months is paid
//! from the first month not yet run (never back to the ledger's start), with the difference
//! 「台账导入」.

use serde_json::{json, Value};

use crate::common::{county, seed_standards, County, PASSWORD};
use crate::ledger::{good_rows, xlsx, HEADER};

fn count(c: &County, sql: &str) -> i64 {
    c.s.connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Months 2026-09 and 2026-10 run and locked (nobody on the rolls yet), as approver `spr`.
fn county_with_locked_months() -> County {
    let mut c = county();
    seed_standards(&mut c, "spr");
    for month in ["2026-09", "2026-10"] {
        c.ok("payment.run", json!({"month": month}));
        c.ok("payment.lock", json!({"month": month}));
    }
    c
}

#[test]
fn an_imported_ledger_is_paid_from_the_first_month_not_yet_run() {
    let mut c = county_with_locked_months();
    let path = xlsx(&c, "台账.xlsx", &HEADER, &good_rows());
    // The page proposes the first month not yet run.
    let preview = c.ok("ledger.preview", json!({"path": path}));
    assert_eq!(preview["first_paid_month"], "2026-11");
    // Earlier is refused, naming the field, and nothing is written.
    let before = c.counts();
    let e = c.err(
        "ledger.import",
        json!({"path": path, "first_paid_month": "2026-10"}),
    );
    assert_eq!(e.field.as_deref(), Some("first_paid_month"));
    assert!(
        e.message.contains("不能早于 2026-11") && e.message.contains("2026-10 及以前"),
        "{}",
        e.message
    );
    assert_eq!(c.counts(), before);
    let v = c.ok("ledger.import", json!({"path": path}));
    assert_eq!(v["imported"], 3);
    assert_eq!(v["first_paid_month"], "2026-11");
    // The ledger's start month stays the start of the benefit.
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM aid_case WHERE pay_from = '2024-03'"
        ),
        3
    );

    let run = c.ok("payment.run", json!({"month": "2026-11"}));
    assert_eq!(
        count(&c, "SELECT count(*) FROM payment WHERE kind = 'back_pay'"),
        0,
        "no month before 2026-11 is paid again"
    );
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM payment WHERE kind = 'regular' AND for_month = '2026-11'"
        ),
        3
    );
    // 1320 + 660.50 + 1220 yuan: one month each, not 33 months.
    assert_eq!(run["added_amount"], "3200.50");
    let diffs = run["differences"].as_array().unwrap();
    assert_eq!(diffs.len(), 3);
    for d in diffs {
        assert_eq!(d["kind"], "new");
        let reason = d["reason"].as_str().unwrap();
        assert!(
            reason.starts_with("台账导入：原台账自 2024-03 起享受，本系统自 2026-11 起发放"),
            "{reason}"
        );
        assert!(!reason.contains("审批"), "{reason}");
    }
}

#[test]
fn an_import_may_start_payment_later_than_the_next_month() {
    let mut c = county_with_locked_months();
    let path = xlsx(&c, "台账.xlsx", &HEADER, &good_rows());
    let v = c.ok(
        "ledger.import",
        json!({"path": path, "first_paid_month": "2026-12"}),
    );
    assert_eq!(v["first_paid_month"], "2026-12");
    let run = c.ok("payment.run", json!({"month": "2026-11"}));
    assert_eq!(run["added"], 0);
    c.ok("payment.lock", json!({"month": "2026-11"}));
    let run = c.ok("payment.run", json!({"month": "2026-12"}));
    assert_eq!(run["added"], 3);
    assert_eq!(
        count(&c, "SELECT count(*) FROM payment WHERE kind = 'back_pay'"),
        0
    );
    let reason = run["differences"][0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("台账导入") && reason.contains("本系统自 2026-12 起发放"),
        "{reason}"
    );
}

/// A second county approver (`spr2`, created the first time) confirms the back pay of `case`
/// held in `month`; signs back in as `spr`. Returns the reply.
pub fn confirm_as_second(c: &mut County, month: &str, case: i64, reason: &str) -> Value {
    let exists = count(c, "SELECT count(*) FROM user WHERE username = 'spr2'") > 0;
    if !exists {
        c.sign_in("admin");
        let county_id = c.ok("area.list", json!({}))["areas"][0]["id"].clone();
        c.add_user(json!({"username": "spr2", "display_name": "周复核", "role": "approver", "area_id": county_id, "password": PASSWORD}));
    }
    c.sign_in("spr2");
    let v = c.ok(
        "payment.confirm_back_pay",
        json!({"month": month, "case_id": case, "reason": reason}),
    );
    c.sign_in("spr");
    v
}

/// 张三's family on 低保, approved by `spr` dated 2025-11-12 but entered today (2026-11-23);
/// 2025-11 run and locked, then 2026-11 run by `spr`. Returns (county, case, the run's reply).
fn late_approval_run() -> (County, i64, Value) {
    let mut c = county();
    crate::payments::enrolled_household(&mut c);
    let case = count(&c, "SELECT id FROM aid_case");
    c.sign_in("spr");
    c.ok("payment.run", json!({"month": "2025-11"}));
    c.ok("payment.lock", json!({"month": "2025-11"}));
    let run = c.ok("payment.run", json!({"month": "2026-11"}));
    (c, case, run)
}

fn held_line(v: &Value) -> Value {
    v["differences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["reason"].as_str().unwrap().starts_with("补发待确认"))
        .cloned()
        .unwrap_or_else(|| panic!("no held back pay in {v}"))
}

#[test]
fn back_pay_beyond_the_limit_is_held_until_a_second_person_confirms_it() {
    let (mut c, case, run) = late_approval_run();
    // Eleven months (2025-12 … 2026-10) are held, not paid; November is paid.
    assert_eq!(
        count(&c, "SELECT count(*) FROM payment WHERE kind = 'back_pay'"),
        0
    );
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM payment WHERE kind = 'regular' AND month = '2026-11'"
        ),
        1
    );
    let d = held_line(&run);
    assert_eq!(
        (d["label"].as_str(), d["awaiting_confirmation"].as_bool()),
        (Some("补发待确认"), Some(true))
    );
    let reason = d["reason"].as_str().unwrap();
    assert!(
        reason.contains("2025-12–2026-10 共 11 个月")
            && reason.contains("早于本县可直接补发的 2026-12"),
        "{reason}"
    );
    // The approver who approved the case and ran the month may not confirm it.
    let audit = c.counts().2;
    let e = c.err(
        "payment.confirm_back_pay",
        json!({"month": "2026-11", "case_id": case, "reason": "已核实"}),
    );
    assert_eq!(e.code, doudi_core::ErrorCode::Forbidden);
    assert!(e.message.contains("另一人确认"), "{}", e.message);
    assert_eq!(c.counts().2, audit, "nothing written");
    // A second approver confirms: paid in the open run; nothing is left to confirm.
    confirm_as_second(&mut c, "2026-11", case, "x");
    let e = {
        c.sign_in("spr2");
        c.err(
            "payment.confirm_back_pay",
            json!({"month": "2026-11", "case_id": case, "reason": "再确认"}),
        )
    };
    assert_eq!(
        e.field.as_deref(),
        Some("case_id"),
        "nothing left to confirm"
    );
    c.sign_in("spr");
    let v = c.ok("payment.get", json!({"month": "2026-11"}));
    let d = held_line(&v);
    assert_eq!(
        (d["label"].as_str(), d["awaiting_confirmation"].as_bool()),
        (Some("补发已确认"), Some(false))
    );
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM payment WHERE kind = 'back_pay' AND month = '2026-11'"
        ),
        11
    );
    let back = v["differences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == "back_pay" && d["reviewed"] == false)
        .unwrap()
        .clone();
    assert!(
        back["reason"]
            .as_str()
            .unwrap()
            .starts_with("补发经确认（周复核：x）：补发 2025-12–2026-10 共 11 个月"),
        "{back}"
    );
    // Running the month again pays nothing twice.
    assert_eq!(c.ok("payment.run", json!({"month": "2026-11"}))["added"], 0);
}

#[test]
fn back_pay_confirmed_after_the_lock_is_paid_in_the_next_run() {
    let (mut c, case, _) = late_approval_run();
    c.sign_in("admin");
    c.add_user(json!({"username": "spr2", "display_name": "周复核", "role": "approver", "area_id": 1, "password": PASSWORD}));
    c.sign_in("spr2");
    let e = c.err(
        "payment.confirm_back_pay",
        json!({"month": "2026-11", "case_id": case, "reason": " "}),
    );
    assert_eq!(e.field.as_deref(), Some("reason"));
    c.sign_in("spr");
    c.ok("payment.review", json!({"month": "2026-11"}));
    c.ok("payment.lock", json!({"month": "2026-11"}));
    let v = confirm_as_second(&mut c, "2026-11", case, "纸质审批表已签，录入迟延");
    assert_eq!(v["paid_in_run"], false);
    assert_eq!(v["months"].as_array().unwrap().len(), 11);
    assert_eq!(
        count(&c, "SELECT count(*) FROM payment WHERE kind = 'back_pay'"),
        0
    );
    let run = c.ok("payment.run", json!({"month": "2026-12"}));
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM payment WHERE kind = 'back_pay' AND month = '2026-12'"
        ),
        11
    );
    assert!(run["differences"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["kind"] == "back_pay"
            && d["reason"]
                .as_str()
                .unwrap()
                .starts_with("补发经确认（周复核：纸质审批表已签，录入迟延）")));
    assert!(!run["differences"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["awaiting_confirmation"] == true));
}
