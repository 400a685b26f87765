//! Back pay nobody decided: a ledger imported into a county that already runs its months is paid
//! from the first month not yet run (never back to the ledger's start), with the difference
//! 「台账导入」.

use serde_json::json;

use crate::common::{county, seed_standards, County};
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
