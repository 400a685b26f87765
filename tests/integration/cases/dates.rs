//! Dates and names on 低保 steps: no step dated after today, and a home visit's investigators
//! are the township's caseworkers, never its reviewer (who would then be barred from reviewing).

use serde_json::json;

use super::{act, act_err, setup, steps, user_id};
use crate::common::county;

#[test]
fn a_step_dated_after_today_is_refused_naming_the_date() {
    let mut c = county();
    let h = setup(&mut c);
    c.sign_in("jbr1");
    let case = c.ok(
        "case.create",
        json!({"household_id": h, "programme": "dibao", "applied_on": "2026-11-02"}),
    )["id"]
        .as_i64()
        .unwrap();
    let before = steps(&c, case);
    // Today is 2026-11-23.
    for (action, extra) in [
        ("accept", json!({"date": "2026-11-24"})),
        ("accept", json!({"date": "2027-01-05"})),
    ] {
        let e = act_err(&mut c, case, action, extra);
        assert_eq!(e.field.as_deref(), Some("date"), "{e:?}");
        assert!(e.message.contains("晚于今天"), "{}", e.message);
    }
    assert_eq!(steps(&c, case), before, "nothing written");
    act(&mut c, case, "accept", json!({"date": "2026-11-23"}));
    let e = act_err(
        &mut c,
        case,
        "record_verification",
        json!({"date": "2026-11-30", "summary": "核对无异常"}),
    );
    assert_eq!(e.field.as_deref(), Some("date"));
}

/// Regression: naming the township's reviewer on the 入户调查 blocked the case for good — the
/// reviewer may not review a case they investigated, and the township has one reviewer.
#[test]
fn the_townships_reviewer_is_not_named_on_a_home_visit() {
    let mut c = county();
    let h = setup(&mut c);
    let jbr1 = user_id(&mut c, "jbr1");
    let jbr3 = user_id(&mut c, "jbr3");
    let shr1 = user_id(&mut c, "shr1");
    c.sign_in("jbr1");
    let case = c.ok(
        "case.create",
        json!({"household_id": h, "programme": "dibao", "applied_on": "2026-11-02"}),
    )["id"]
        .as_i64()
        .unwrap();
    let v = act(&mut c, case, "accept", json!({}));
    // The case page offers only the township's caseworkers.
    assert_eq!(
        v["township_staff"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["name"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["王经办", "孙调查"]
    );
    let before = steps(&c, case);
    let e = act_err(
        &mut c,
        case,
        "record_survey",
        json!({"investigator_ids": [jbr1, shr1], "findings": "属实"}),
    );
    assert_eq!(e.field.as_deref(), Some("investigator_ids"));
    assert!(
        e.message
            .starts_with("“李审核”是乡镇审核人，须审核此案件，不能作为入户调查人员"),
        "{}",
        e.message
    );
    assert_eq!(steps(&c, case), before, "nothing written");
    act(
        &mut c,
        case,
        "record_survey",
        json!({"investigator_ids": [jbr1, jbr3], "findings": "属实"}),
    );
    act(
        &mut c,
        case,
        "record_verification",
        json!({"summary": "核对无异常"}),
    );
    c.sign_in("shr1");
    let v = act(&mut c, case, "review_township", json!({"opinion": "同意"}));
    assert_ne!(v["state"], "investigated", "{v}");
}
