//! The 不予批准通知书 of a refused 低保/特困 case: due `refusal_notice_workdays` working days after
//! the refusal, waiting in the township's work queue until `serve_refusal` records its service.

use serde_json::{json, Value};

use super::{act, act_err, setup, steps, to_notice};
use crate::common::{county, County};

fn queued(c: &mut County, case: i64) -> Option<Value> {
    let q = c.ok("work.queue", json!({}));
    q["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "case" && i["id"] == case)
        .cloned()
}

#[test]
fn a_refusal_notice_is_due_and_queued_until_served() {
    let mut c = county();
    let h = setup(&mut c);
    let case = to_notice(&mut c, h);
    c.sign_in("spr");
    // Friday 2026-11-20 + 3 working days: Wednesday 2026-11-25.
    act(
        &mut c,
        case,
        "refuse",
        json!({"date": "2026-11-20", "reasons": "存款超过限额"}),
    );
    assert!(
        queued(&mut c, case).is_none(),
        "the approver does not serve it"
    );
    c.sign_in("shr1");
    let item = queued(&mut c, case).expect("in the reviewer's queue");
    assert_eq!(item["actions"], json!(["登记送达不予批准通知书"]));
    assert_eq!(item["deadline"], "2026-11-25");
    c.sign_in("jbr1");
    let item = queued(&mut c, case).expect("in the caseworker's queue");
    assert_eq!(item["deadline"], "2026-11-25");
    let v = c.ok("case.get", json!({"case_id": case}));
    assert_eq!(v["state"], "refused");
    assert_eq!(v["deadline"], "2026-11-25");
    assert_eq!(v["overdue"], false);
    // Bad input changes nothing.
    let before = steps(&c, case);
    let e = act_err(&mut c, case, "serve_refusal", json!({"method": "电话通知"}));
    assert_eq!(e.field.as_deref(), Some("method"));
    assert!(e.message.contains("直接送达"), "{}", e.message);
    let e = act_err(
        &mut c,
        case,
        "serve_refusal",
        json!({"date": "2026-11-19", "method": "直接送达"}),
    );
    assert_eq!(e.field.as_deref(), Some("date"));
    assert_eq!(steps(&c, case), before);
    let v = act(
        &mut c,
        case,
        "serve_refusal",
        json!({"date": "2026-11-23", "method": "邮寄送达"}),
    );
    assert_eq!(v["state"], "refused", "the case stays refused");
    assert_eq!(v["decision"]["refusal_served_on"], "2026-11-23");
    assert_eq!(v["decision"]["refusal_served_method"], "邮寄送达");
    assert_eq!(v["decision"]["refusal_reasons"], "存款超过限额");
    assert_eq!(v["deadline"], Value::Null);
    assert!(queued(&mut c, case).is_none(), "served: off the queue");
    let e = act_err(&mut c, case, "serve_refusal", json!({"method": "直接送达"}));
    assert!(e.message.contains("已于 2026-11-23 送达"), "{}", e.message);
    assert_eq!(steps(&c, case), before + 1);
}
