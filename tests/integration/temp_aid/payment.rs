//! 临时救助 stages and the monthly run: a stage is paid once, by hand or by the run, whichever
//! comes first; paying by hand before the planned month needs a reason.

use super::*;

/// The work-queue actions offered to the signed-in user on `case` (none when it is not listed).
fn queue_actions(c: &mut County, case: i64) -> Vec<String> {
    let q = c.ok("work.queue", json!({}));
    q["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "temp_aid" && i["id"] == case)
        .map(|i| {
            i["actions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn temp_aid_rows(c: &County, month: &str) -> i64 {
    c.s.connection()
        .query_row(
            "SELECT count(*) FROM payment WHERE kind = 'temp_aid' AND month = ?1",
            [month],
            |r| r.get(0),
        )
        .unwrap()
}

/// Approve `case` as shr1 with one stage of `amount` in `month`.
fn approve_one_stage(c: &mut County, case: i64, month: &str, amount: &str) {
    c.sign_in("shr1");
    let v = act(
        c,
        case,
        "approve_township",
        json!({"amount": amount, "stages": [{"month": month, "amount": amount}]}),
    );
    assert_eq!(v["state"], "approved");
}

#[test]
fn a_stage_on_the_roster_is_not_paid_by_hand_and_leaves_the_queue() {
    let (mut c, h) = setup("0");
    let case = investigated(&mut c, h, "expenditure", "education");
    approve_one_stage(&mut c, case, "2026-11", "600");
    c.sign_in("jbr1");
    assert_eq!(queue_actions(&mut c, case), ["登记发放"]);
    // The November run puts the stage on its roster.
    c.sign_in("spr");
    c.ok("payment.run", json!({"month": "2026-11"}));
    assert_eq!(temp_aid_rows(&c, "2026-11"), 1);
    c.sign_in("jbr1");
    assert!(queue_actions(&mut c, case).is_empty());
    let v = c.ok("temp_aid.get", json!({"id": case}));
    assert!(actions(&v).is_empty(), "{}", v["available_actions"]);
    assert_eq!(v["deadline"], Value::Null, "no hand payment is waited for");
    let before = c.counts();
    let e = act_err(&mut c, case, "pay_stage", json!({"stage_no": 1}));
    assert_eq!(e.code, ErrorCode::Conflict);
    assert_eq!(e.field.as_deref(), Some("stage_no"));
    assert_eq!(
        e.message,
        "第 1 阶段已列入 2026-11 月度发放花名册，不能再登记发放"
    );
    assert_eq!(c.counts(), before);
    let v = c.ok("temp_aid.get", json!({"id": case}));
    assert_eq!(v["stages"][0]["paid_on"], Value::Null);
}

#[test]
fn a_stage_paid_early_by_hand_needs_a_reason_and_the_run_skips_it() {
    let (mut c, h) = setup("0");
    let case = investigated(&mut c, h, "expenditure", "illness");
    approve_one_stage(&mut c, case, "2026-12", "500");
    c.sign_in("jbr1");
    let before = c.counts();
    for data in [
        json!({"stage_no": 1}),
        json!({"stage_no": 1, "reason": "  "}),
    ] {
        let e = act_err(&mut c, case, "pay_stage", data);
        assert_eq!(e.field.as_deref(), Some("reason"));
        assert_eq!(
            e.message,
            "第 1 阶段计划于 2026-12 发放，提前登记发放须填写提前发放的理由（reason）"
        );
    }
    assert_eq!(c.counts(), before);
    let v = act(
        &mut c,
        case,
        "pay_stage",
        json!({"stage_no": 1, "reason": "住院押金急需，提前发放"}),
    );
    assert_eq!(v["state"], "closed");
    let last = v["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["data"]["reason"], "住院押金急需，提前发放");
    // November and December run: the stage paid by hand is not paid again.
    c.sign_in("spr");
    c.ok("payment.run", json!({"month": "2026-11"}));
    c.ok("payment.review", json!({"month": "2026-11"}));
    c.ok("payment.lock", json!({"month": "2026-11"}));
    c.ok("payment.run", json!({"month": "2026-12"}));
    assert_eq!(temp_aid_rows(&c, "2026-12"), 0);
}
