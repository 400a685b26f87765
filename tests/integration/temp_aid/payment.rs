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

/// The last timeline step of a 临时救助 case page.
fn last_step(v: &Value) -> Value {
    v["timeline"].as_array().unwrap().last().unwrap().clone()
}

#[test]
fn a_case_whose_last_stage_the_monthly_run_pays_closes_at_the_lock() {
    let (mut c, h) = setup("0");
    let case = investigated(&mut c, h, "expenditure", "education");
    c.sign_in("shr1");
    act(
        &mut c,
        case,
        "approve_township",
        json!({"amount": "600", "stages": [{"month": "2026-11", "amount": "300"}, {"month": "2026-12", "amount": "300"}]}),
    );
    // The November run carries stage 1; stage 2 is paid by hand, early, with a reason.
    c.sign_in("spr");
    c.ok("payment.run", json!({"month": "2026-11"}));
    c.sign_in("jbr1");
    let v = act(
        &mut c,
        case,
        "pay_stage",
        json!({"stage_no": 2, "reason": "开学前一次发清"}),
    );
    assert_eq!(
        v["state"], "approved",
        "stage 1 is paid at the lock, not yet"
    );
    assert_eq!(v["stages"][0]["roster_month"], "2026-11");
    assert_eq!(v["stages"][0]["paid_in_run"], false);
    assert_eq!(v["unpaid_amount"], "300.00");
    assert!(queue_actions(&mut c, case).is_empty());
    // The lock pays stage 1: the case closes as when its last stage is paid by hand.
    c.sign_in("spr");
    c.ok("payment.review", json!({"month": "2026-11"}));
    c.ok("payment.lock", json!({"month": "2026-11"}));
    let v = c.ok("temp_aid.get", json!({"id": case}));
    assert_eq!(v["state"], "closed");
    assert_eq!(v["closed_on"], "2026-11-23");
    assert_eq!(v["stages"][0]["paid_in_run"], true);
    assert_eq!(v["paid_amount"], "600.00");
    assert_eq!(v["unpaid_amount"], "0.00");
    let step = last_step(&v);
    assert_eq!(step["action"], "paid_in_run");
    assert_eq!(step["label"], "月度发放已支付");
    assert_eq!(step["user_name"], "陈审批");
    assert_eq!(
        (step["from_state"].as_str(), step["to_state"].as_str()),
        (Some("approved"), Some("closed"))
    );
    assert_eq!(
        step["data"]["note"],
        "第 1 阶段 300.00 元已在 2026-11 月度发放中支付"
    );
    c.sign_in("jbr1");
    assert!(queue_actions(&mut c, case).is_empty());
    let open = c.ok("temp_aid.list", json!({"open_only": true}));
    assert_eq!(open["count"], 0, "{open}");
}

#[test]
fn a_case_every_stage_of_which_the_runs_pay_closes_at_the_last_lock() {
    let (mut c, h) = setup("0");
    let case = investigated(&mut c, h, "expenditure", "illness");
    c.sign_in("shr1");
    act(
        &mut c,
        case,
        "approve_township",
        json!({"amount": "1000", "stages": [{"month": "2026-11", "amount": "400"}, {"month": "2026-12", "amount": "600"}]}),
    );
    c.sign_in("spr");
    c.ok("payment.run", json!({"month": "2026-11"}));
    c.ok("payment.review", json!({"month": "2026-11"}));
    c.ok("payment.lock", json!({"month": "2026-11"}));
    let v = c.ok("temp_aid.get", json!({"id": case}));
    assert_eq!(v["state"], "approved", "stage 2 is still to come");
    let step = last_step(&v);
    assert_eq!(
        (step["from_state"].as_str(), step["to_state"].as_str()),
        (Some("approved"), Some("approved"))
    );
    assert_eq!(
        step["data"]["note"],
        "第 1 阶段 400.00 元已在 2026-11 月度发放中支付"
    );
    c.ok("payment.run", json!({"month": "2026-12"}));
    assert_eq!(
        c.ok("temp_aid.get", json!({"id": case}))["state"],
        "approved"
    );
    c.ok("payment.review", json!({"month": "2026-12"}));
    c.ok("payment.lock", json!({"month": "2026-12"}));
    let v = c.ok("temp_aid.get", json!({"id": case}));
    assert_eq!(v["state"], "closed");
    assert_eq!(v["paid_amount"], "1000.00");
    assert_eq!(
        last_step(&v)["data"]["note"],
        "第 2 阶段 600.00 元已在 2026-12 月度发放中支付"
    );
}
