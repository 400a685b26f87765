//! Steps an office needs before approval: the applicant withdraws (撤回), or the township or
//! county ends a plainly ineligible case before its 公示 (终止办理) with the 不予批准通知书 served
//! as for a refusal; and the approve dialog's preview of the amount.

use serde_json::{json, Value};

use super::{act, act_err, codes, setup, steps, to_notice, user_id};
use crate::common::{county, pdf_text, County};
use doudi_core::ErrorCode;

fn audit_rows(c: &mut County, case: i64) -> i64 {
    c.s.connection()
        .query_row(
            "SELECT count(*) FROM audit WHERE entity = 'case' AND entity_id = ?1",
            [case],
            |r| r.get(0),
        )
        .unwrap()
}

fn paid_rows(c: &County, case: i64) -> i64 {
    c.s.connection()
        .query_row(
            "SELECT count(*) FROM payment WHERE case_id = ?1",
            [case],
            |r| r.get(0),
        )
        .unwrap()
}

fn apply(c: &mut County, h: i64) -> i64 {
    c.sign_in("jbr1");
    let v = c.ok(
        "case.create",
        json!({"household_id": h, "programme": "dibao", "applied_on": "2026-11-02"}),
    );
    v["id"].as_i64().unwrap()
}

#[test]
fn an_applicant_withdraws_at_any_step_before_approval_and_may_apply_again() {
    let mut c = county();
    let h = setup(&mut c);
    // On notice: the township records the applicant's written withdrawal.
    let case = to_notice(&mut c, h);
    c.sign_in("spr");
    assert!(!codes(&c.ok("case.get", json!({"case_id": case}))).contains(&"withdraw".into()));
    let e = act_err(&mut c, case, "withdraw", json!({"reason": "已就业"}));
    assert_eq!(e.code, ErrorCode::Forbidden);
    assert!(
        e.message.contains("乡镇经办人或乡镇审核人"),
        "{}",
        e.message
    );
    c.sign_in("shr1");
    let before = (steps(&c, case), audit_rows(&mut c, case));
    let e = act_err(&mut c, case, "withdraw", json!({"reason": "  "}));
    assert_eq!(e.field.as_deref(), Some("reason"));
    assert!(e.message.contains("撤回原因"), "{}", e.message);
    assert_eq!((steps(&c, case), audit_rows(&mut c, case)), before);
    let v = act(
        &mut c,
        case,
        "withdraw",
        json!({"date": "2026-11-20", "reason": "申请人书面撤回：已在县城就业"}),
    );
    assert_eq!(v["state"], "withdrawn");
    assert_eq!(v["state_label"], "已撤回");
    assert_eq!(v["withdrawal"]["on"], "2026-11-20");
    assert_eq!(v["withdrawal"]["reason"], "申请人书面撤回：已在县城就业");
    assert_eq!(v["available_actions"], json!([]));
    assert_eq!(v["deadline"], Value::Null);
    let last = v["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action_label"], "登记撤回申请");
    assert_eq!(last["to_label"], "已撤回");
    assert_eq!(audit_rows(&mut c, case), before.1 + 1);
    // Closed: nothing more, nothing paid, out of every queue.
    let e = act_err(&mut c, case, "start_notice", json!({}));
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.contains("撤回"), "{}", e.message);
    assert_eq!(v["amounts"], json!([]));
    assert_eq!(v["pay_from"], Value::Null);
    c.sign_in("spr");
    c.ok("payment.run", json!({"month": "2026-12"}));
    assert_eq!(paid_rows(&c, case), 0);
    for who in ["jbr1", "shr1", "spr"] {
        c.sign_in(who);
        let q = c.ok("work.queue", json!({}));
        assert!(!q["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == case && i["kind"] == "case"));
    }
    // The household may apply again; the new case is withdrawn straight from the window.
    let again = apply(&mut c, h);
    assert_eq!(
        codes(&c.ok("case.get", json!({"case_id": again}))),
        ["accept", "withdraw"]
    );
    let v = act(
        &mut c,
        again,
        "withdraw",
        json!({"reason": "材料不全，申请人自行撤回"}),
    );
    assert_eq!(v["state"], "withdrawn");
}

#[test]
fn an_enrolled_case_cannot_be_withdrawn() {
    let mut c = county();
    let h = setup(&mut c);
    let case = to_notice(&mut c, h);
    c.sign_in("spr");
    act(&mut c, case, "approve", json!({}));
    c.sign_in("jbr1");
    let before = steps(&c, case);
    let e = act_err(&mut c, case, "withdraw", json!({"reason": "不想要了"}));
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.contains("已纳入保障"), "{}", e.message);
    assert_eq!(steps(&c, case), before);
}

#[test]
fn a_plainly_ineligible_case_ends_before_its_notice_with_the_refusal_notice() {
    let mut c = county();
    let h = setup(&mut c);
    let case = apply(&mut c, h);
    let jbr3 = user_id(&mut c, "jbr3");
    let jbr1 = user_id(&mut c, "jbr1");
    c.sign_in("jbr1");
    act(&mut c, case, "accept", json!({"date": "2026-11-03"}));
    act(
        &mut c,
        case,
        "record_verification",
        json!({"date": "2026-11-04", "summary": "名下有两辆小汽车"}),
    );
    // The caseworker who handled the case cannot end it: separation of duties.
    let e = act_err(&mut c, case, "terminate", json!({"reasons": "有车"}));
    assert_eq!(e.code, ErrorCode::Forbidden);
    c.sign_in("jbr3");
    let e = act_err(&mut c, case, "terminate", json!({"reasons": "有车"}));
    assert_eq!(e.code, ErrorCode::Forbidden, "{}", e.message);
    assert!(e.message.contains("审核人或县级审批人"), "{}", e.message);
    c.sign_in("jbr1");
    act(
        &mut c,
        case,
        "record_survey",
        json!({"date": "2026-11-05", "investigator_ids": [jbr1, jbr3], "findings": "车辆在家"}),
    );
    // The township reviewer ends it; the reasons are required.
    c.sign_in("shr1");
    let v = c.ok("case.get", json!({"case_id": case}));
    assert_eq!(codes(&v), ["review_township", "terminate", "withdraw"]);
    let before = (steps(&c, case), audit_rows(&mut c, case));
    let e = act_err(&mut c, case, "terminate", json!({"reasons": ""}));
    assert_eq!(e.field.as_deref(), Some("reasons"));
    assert!(e.message.contains("终止办理的理由"), "{}", e.message);
    assert_eq!((steps(&c, case), audit_rows(&mut c, case)), before);
    let v = act(
        &mut c,
        case,
        "terminate",
        json!({"date": "2026-11-20", "reasons": "家庭拥有两辆机动车，不符合低保条件"}),
    );
    assert_eq!(v["state"], "refused");
    assert_eq!(v["decision"]["before_notice"], true);
    assert_eq!(
        v["decision"]["refusal_reasons"],
        "家庭拥有两辆机动车，不符合低保条件"
    );
    assert_eq!(v["notice"]["start"], Value::Null, "no public posting");
    assert_eq!(
        v["deadline"], "2026-11-25",
        "the notice is due as for a refusal"
    );
    assert_eq!(audit_rows(&mut c, case), before.1 + 1);
    let last = v["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action_label"], "终止办理（不符合条件）");
    // The 不予批准通知书 is produced, then served and off the queue.
    let path = c.dir.path().join("refusal.pdf");
    c.ok(
        "document.refusal_notice",
        json!({"case_id": case, "path": path.to_str().unwrap()}),
    );
    let text = pdf_text(&path);
    assert!(text.contains("两辆机动车"), "{text}");
    c.sign_in("jbr1");
    let q = c.ok("work.queue", json!({}));
    let item = q["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == case)
        .cloned();
    assert_eq!(item.unwrap()["actions"], json!(["登记送达不予批准通知书"]));
    let v = act(&mut c, case, "serve_refusal", json!({"method": "直接送达"}));
    assert_eq!(v["decision"]["refusal_served_method"], "直接送达");
    // On notice, only the county's decision after the period: no termination.
    let mut c2 = county();
    let h2 = setup(&mut c2);
    let on_notice = to_notice(&mut c2, h2);
    c2.sign_in("spr");
    let e = act_err(
        &mut c2,
        on_notice,
        "terminate",
        json!({"reasons": "收入超标"}),
    );
    assert_eq!(e.code, ErrorCode::Conflict);
}

#[test]
fn the_approval_preview_shows_the_amount_the_approval_then_enrols() {
    let mut c = county();
    let h = setup(&mut c);
    let case = to_notice(&mut c, h);
    c.sign_in("spr");
    let p = c.ok("case.approval_preview", json!({"case_id": case}));
    assert_eq!(p["pay_from"], "2026-12");
    assert_eq!(p["persons"], 3);
    assert_eq!(p["eligible"], true);
    assert_eq!(p["case_id"], case);
    let summary: Vec<&str> = p["summary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(
        summary.iter().any(|l| l.contains("低保标准")),
        "{summary:?}"
    );
    assert!(
        summary.len() < p["trail"].as_array().unwrap().len(),
        "a summary, not the whole trail"
    );
    // An approval confirming another amount than the rules give now is refused.
    let shown = p["amount"].as_str().unwrap().to_owned();
    let e = act_err(&mut c, case, "approve", json!({"expected_amount": "1.00"}));
    assert_eq!(e.code, ErrorCode::Conflict);
    assert_eq!(e.field.as_deref(), Some("expected_amount"));
    assert!(e.message.contains(&format!("{shown} 元")), "{}", e.message);
    let v = act(&mut c, case, "approve", json!({"expected_amount": shown}));
    assert_eq!(v["amounts"][0]["amount"], p["amount"]);
    // A date in the future is refused by field.
    let e = c.err(
        "case.approval_preview",
        json!({"case_id": case, "date": "2027-01-01"}),
    );
    assert_eq!(e.field.as_deref(), Some("date"));
}
