//! Separation of duties in 一事一议 through the command layer: the approver who records the
//! meeting's decision does not also sign it off, and the one who signs it off does not record its
//! payment; each refusal changes nothing.

use super::*;

#[test]
fn the_decider_does_not_sign_off_and_the_signer_does_not_pay() {
    let mut c = county();
    let household = setup(&mut c);
    // spr records the meeting's decision.
    let case = to_approved(&mut c, household, "jbr1", "spr");
    c.sign_in("spr");
    let v = c.ok("deliberation.get", json!({"id": case}));
    assert!(
        actions(&v).is_empty(),
        "the decider is not offered the sign-off"
    );
    let before = snapshot(&c);
    let e = act_err(&mut c, case, "sign_off", json!({}));
    assert_eq!(e.code, ErrorCode::Forbidden);
    assert_eq!(
        e.message,
        "会议决定由您登记，作出决定的人不能同时签批，请由另一位县级审批人签批"
    );
    assert_eq!(snapshot(&c), before);
    c.sign_in("spr2");
    act(&mut c, case, "sign_off", json!({}));
    c.sign_in("jbr1");
    act(&mut c, case, "start_notice", json!({"start": "2026-11-23"}));
    // After the 公示, the signer (spr2) may not record the payment; spr may.
    on_day(&mut c, "2026-11-30", "spr2");
    let before = snapshot(&c);
    let e = act_err(
        &mut c,
        case,
        "pay",
        json!({"stage": 1, "paid_on": "2026-11-30"}),
    );
    assert_eq!(e.code, ErrorCode::Forbidden);
    assert_eq!(
        e.message,
        "此决定由您签批，签批人不能同时登记发放，请由另一位县局人员登记发放"
    );
    assert_eq!(snapshot(&c), before);
    c.sign_in("spr");
    let v = act(
        &mut c,
        case,
        "pay",
        json!({"stage": 1, "paid_on": "2026-11-30"}),
    );
    assert_eq!(v["payments"][0]["paid_on"], "2026-11-30");
}

#[test]
fn a_units_opinion_is_its_own_or_entered_from_its_signed_paper() {
    let mut c = county();
    let household = setup(&mut c);
    let case = c.ok("deliberation.file", file_input(household))["id"]
        .as_i64()
        .unwrap();
    c.sign_in("spr");
    act(&mut c, case, "review", json!({"opinion": "同意提交会议"}));
    let mid = meeting_with(&mut c, case, &PRESENT6);
    // The county user without the unit's signed paper opinion: refused, nothing recorded.
    let before = snapshot(&c);
    let e = c.err(
        "meeting.opinion",
        json!({"meeting_id": mid, "case_id": case, "unit": "财政局", "opinion": "agree"}),
    );
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert_eq!(e.field.as_deref(), Some("paper_opinion_ref"));
    assert!(e.message.contains("财政局签章书面意见"), "{}", e.message);
    assert_eq!(snapshot(&c), before);
    let m = c.ok("meeting.get", json!({"id": mid}));
    assert_eq!(m["items"][0]["opinions"], json!([]));
    // With it, the entry is attributed to who entered it and to the paper.
    c.ok(
        "meeting.opinion",
        json!({"meeting_id": mid, "case_id": case, "unit": "财政局", "opinion": "agree",
            "paper_opinion_ref": " 财政局书面意见（2026-11-04 签章） "}),
    );
    // The unit's own user needs no paper.
    c.sign_in("cydw");
    c.ok(
        "meeting.opinion",
        json!({"meeting_id": mid, "case_id": case, "unit": "医保局", "opinion": "agree"}),
    );
    let m = c.ok("meeting.get", json!({"id": mid}));
    let ops = &m["items"][0]["opinions"];
    assert_eq!(
        (
            &ops[0]["unit"],
            &ops[0]["recorded_by"],
            &ops[0]["paper_ref"]
        ),
        (
            &json!("财政局"),
            &json!("陈审批"),
            &json!("财政局书面意见（2026-11-04 签章）")
        )
    );
    assert_eq!(
        (&ops[1]["unit"], &ops[1]["paper_ref"]),
        (&json!("医保局"), &json!(""))
    );
    assert_ne!(ops[1]["recorded_by"], "陈审批");
}

/// The meetings in a member-unit user's 待我处理: (number, actions).
fn my_meetings(c: &mut County) -> Vec<(String, String)> {
    let q = c.ok("work.queue", json!({}));
    q["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "meeting")
        .map(|i| {
            (
                i["number"].as_str().unwrap().to_owned(),
                i["waiting_for"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_member_unit_finds_the_meetings_waiting_for_its_opinion_in_its_queue() {
    let mut c = county();
    let household = setup(&mut c);
    let case = c.ok("deliberation.file", file_input(household))["id"]
        .as_i64()
        .unwrap();
    c.sign_in("spr");
    act(&mut c, case, "review", json!({"opinion": "同意提交会议"}));
    let mid = meeting_with(&mut c, case, &PRESENT6);
    // 医保局 (cydw) owes its opinion on the case; then gives it, and the meeting leaves its queue.
    c.sign_in("cydw");
    let number = c.ok("deliberation.get", json!({"id": case}))["number"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        my_meetings(&mut c),
        [(
            "2026-11-05 协调会议".to_owned(),
            format!("待医保局对 1 个议题发表意见：{number}")
        )]
    );
    let q = c.ok("work.queue", json!({}));
    assert_eq!(q["items"][0]["id"], mid);
    assert_eq!(q["items"][0]["actions"], json!(["登记医保局意见"]));
    c.ok(
        "meeting.opinion",
        json!({"meeting_id": mid, "case_id": case, "unit": "医保局", "opinion": "agree"}),
    );
    assert!(my_meetings(&mut c).is_empty());
    // 教育局 (cydw2) still owes; a unit recorded absent owes nothing.
    c.sign_in("cydw2");
    assert_eq!(my_meetings(&mut c).len(), 1);
    c.sign_in("spr");
    c.ok(
        "meeting.attendance",
        json!({"meeting_id": mid, "unit": "教育局", "status": "absent"}),
    );
    c.sign_in("cydw2");
    assert!(my_meetings(&mut c).is_empty());
    // Other roles see no meetings in their queue.
    c.sign_in("spr");
    assert!(my_meetings(&mut c).is_empty());
}
