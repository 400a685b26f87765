//! 低保/特困 change and exit through the command layer: the amount recomputed on a change, exit
//! by the county, and the one 渐退期 rule (the county's months, the capped amount the run pays).

use serde_json::json;

use super::{act, act_err, setup, to_notice};
use crate::common::county;

#[test]
fn change_exit_and_phase_out() {
    let mut c = county();
    let h = setup(&mut c);
    let case = to_notice(&mut c, h);
    c.sign_in("spr");
    let v = act(&mut c, case, "approve", json!({}));
    let first = v["amounts"][0]["amount_fen"].as_i64().unwrap();
    // Income falls: the amount is recomputed from next month.
    c.sign_in("jbr1");
    let head = c.ok("household.get", json!({"id": h}))["members"][0]["person_id"]
        .as_i64()
        .unwrap();
    c.ok(
        "finances.set",
        json!({"household_id": h, "incomes": [{"person_id": head, "kind": "other", "period": "monthly", "amount": "500"}]}),
    );
    let v = act(
        &mut c,
        case,
        "record_change",
        json!({"summary": "丈夫停止零工，收入减少"}),
    );
    assert_eq!(v["state"], "enrolled");
    assert_eq!(v["amounts"][1]["from_month"], "2026-12");
    assert_eq!(
        v["amounts"][1]["amount_fen"].as_i64().unwrap(),
        first + 50_000
    );
    // Exit: only the county, and the 渐退期 is bounded by the reason.
    let e = act_err(
        &mut c,
        case,
        "exit",
        json!({"reason": "voluntary", "grace_months": 2, "note": "外出务工"}),
    );
    assert_eq!(e.code, doudi_core::ErrorCode::Forbidden);
    c.sign_in("spr");
    let e = act_err(
        &mut c,
        case,
        "exit",
        json!({"reason": "voluntary", "grace_months": 4, "note": "主动申请退出"}),
    );
    assert_eq!(e.field.as_deref(), Some("grace_months"));
    let v = act(
        &mut c,
        case,
        "exit",
        json!({"reason": "voluntary", "grace_months": 2, "note": "主动申请退出"}),
    );
    assert_eq!(v["state"], "phasing_out");
    assert_eq!(v["pay_until"], "2027-01");
    assert_eq!(v["exit"]["phase_out_end"], "2027-01-31");
    c.sign_in("jbr1");
    let e = act_err(&mut c, case, "end_phase_out", json!({}));
    assert!(e.message.contains("2027-01-31"), "{}", e.message);
}

/// One 渐退期 rule: the months allowed are the county's dated standards (here 2 for a voluntary
/// exit, where the code once allowed 3), and the case keeps at most 低保标准 × persons, written as
/// its dated amount from the month after the exit, so the payment run pays the capped amount.
#[test]
fn phase_out_pays_the_capped_amount_within_the_county_limit() {
    let mut c = county();
    let h = setup(&mut c);
    let case = to_notice(&mut c, h);
    c.sign_in("spr");
    let v = act(&mut c, case, "approve", json!({}));
    let old = v["amounts"][0]["amount_fen"].as_i64().unwrap();
    assert_eq!(v["amounts"][0]["from_month"], "2026-12");
    // The county lowers the standard from December and allows voluntary leavers 2 months.
    c.sign_in("admin");
    c.ok(
        "standard.import",
        json!({"format": "doudi-standards/1", "rows": [
            {"key": "dibao.standard", "scope": "urban", "effective_from": "2026-12-01", "value": "200.00"},
            {"key": "dibao.standard", "scope": "rural", "effective_from": "2026-12-01", "value": "200.00"},
            {"key": "exit.voluntary_months", "scope": "all", "effective_from": "2026-11-01", "value": "2"},
        ]}),
    );
    c.sign_in("spr");
    let e = act_err(
        &mut c,
        case,
        "exit",
        json!({"reason": "voluntary", "grace_months": 3, "note": "主动申请退出"}),
    );
    assert_eq!(e.field.as_deref(), Some("grace_months"));
    assert!(e.message.contains("渐退期最多 2 个月"), "{}", e.message);
    let v = act(
        &mut c,
        case,
        "exit",
        json!({"reason": "voluntary", "grace_months": 2, "note": "主动申请退出"}),
    );
    assert!(old > 60_000, "the old amount {old} exceeds the cap");
    let kept = v["amounts"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(kept["from_month"], "2026-12");
    assert_eq!(kept["amount"], "600.00", "200 × 3 persons");
    assert_eq!(v["pay_until"], "2027-01");
    c.sign_in("admin");
    c.ok("payment.run", json!({"month": "2026-12"}));
    let paid: i64 = c
        .s
        .connection()
        .query_row(
            "SELECT sum(amount_fen) FROM payment WHERE month = '2026-12' AND source_kind = 'case' AND source_id = ?1 AND kind = 'regular'",
            [case],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(paid, 60_000);
}
