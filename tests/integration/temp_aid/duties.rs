//! 临时救助 through the command layer, continued: separation of duties, near relatives, the work
//! queue's order, the reserve fund's ledger and the printed approval form.

use super::*;

#[test]
fn whoever_handled_a_case_cannot_decide_it() {
    let (mut c, h) = setup("0");
    let case = investigated(&mut c, h, "expenditure", "illness");
    // Township staff of another township cannot even see it.
    c.sign_in("jbr2");
    let e = c.err("temp_aid.get", json!({"id": case}));
    assert_eq!(e.code, ErrorCode::Forbidden);
    // jbr1, who registered and investigated it, is made a reviewer: still cannot decide it.
    let jbr1 = user_id(&mut c, "jbr1");
    c.ok("user.update", json!({"id": jbr1, "role": "reviewer"}));
    c.sign_in("jbr1");
    let v = c.ok("temp_aid.get", json!({"id": case}));
    assert_eq!(actions(&v), Vec::<String>::new());
    let e = act_err(
        &mut c,
        case,
        "approve_township",
        json!({"amount": "100", "stages": [{"month": "2026-11", "amount": "100"}]}),
    );
    assert_eq!(e.code, ErrorCode::Forbidden);
    assert_eq!(
        e.message,
        "您登记、受理或调查了此案件，不能再乡镇审批同意（经办与审核审批须分离）"
    );
    // shr1 refers it, then is moved to the county as an approver: cannot approve it there.
    c.sign_in("shr1");
    act(
        &mut c,
        case,
        "refer_to_county",
        json!({"opinion": "建议县级审批"}),
    );
    let shr1 = user_id(&mut c, "shr1");
    let county_id = c.ok("area.list", json!({}))["areas"][0]["id"]
        .as_i64()
        .unwrap();
    c.ok(
        "user.update",
        json!({"id": shr1, "role": "approver", "area_id": county_id}),
    );
    c.sign_in("shr1");
    let e = act_err(
        &mut c,
        case,
        "approve_county",
        json!({"amount": "100", "stages": [{"month": "2026-11", "amount": "100"}]}),
    );
    assert_eq!(e.code, ErrorCode::Forbidden);
    assert!(
        e.message.contains("乡镇审核与县级审批须由不同人员办理"),
        "{}",
        e.message
    );
    c.sign_in("spr");
    let v = act(
        &mut c,
        case,
        "refuse_county",
        json!({"reasons": "家庭收入足以承担"}),
    );
    assert_eq!(v["state"], "refused");
}

#[test]
fn a_near_relative_takes_no_step_and_the_county_checks_first() {
    let (mut c, h) = setup("3000");
    let shr1 = user_id(&mut c, "shr1");
    let case = investigated(&mut c, h, "expenditure", "illness");
    let filing = |user: Option<i64>, name: &str| doudi_core::store::near_relatives::Filing {
        id: 0,
        user_id: user,
        staff_name: name.into(),
        staff_post: "乡镇审核人".into(),
        area_id: 0,
        relative_id_number: id("19700101", HEAD_ID_SEQ),
        relative_name: "张三".into(),
        relation: "兄弟".into(),
        declared_on: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
        recorded_by: shr1,
        recorded_at: "2026-01-05 09:00:00".into(),
        withdrawn_on: None,
        withdraw_reason: None,
    };
    let mut f = filing(Some(shr1), "李审核");
    f.area_id = c.township;
    doudi_core::store::near_relatives::insert(c.s.connection(), &f).unwrap();
    c.sign_in("shr1");
    let v = c.ok("temp_aid.get", json!({"id": case}));
    assert_eq!(v["near_relative_flagged"], true);
    assert_eq!(actions(&v), Vec::<String>::new());
    let before = c.counts();
    let e = act_err(
        &mut c,
        case,
        "refer_to_county",
        json!({"opinion": "建议县级审批"}),
    );
    assert_eq!(e.code, ErrorCode::Forbidden);
    assert_eq!(
        e.message,
        "您已备案为此案件家庭成员的近亲属，不能办理此案件（近亲属回避）"
    );
    assert_eq!(c.counts(), before);

    // A village cadre's relative (not a user): the case is flagged; no money before the county
    // home check.
    let (mut c, h) = setup("3000");
    let shr1 = user_id(&mut c, "shr1");
    let mut f = filing(None, "村委会主任");
    f.area_id = c.village;
    f.recorded_by = shr1;
    doudi_core::store::near_relatives::insert(c.s.connection(), &f).unwrap();
    c.sign_in("jbr1");
    let case = create(&mut c, h, "emergency", "fire")["id"]
        .as_i64()
        .unwrap();
    c.sign_in("shr1");
    let e = act_err(&mut c, case, "grant_advance", json!({"amount": "500"}));
    assert!(e.message.contains("须先由县级入户核查"), "{}", e.message);
    c.sign_in("spr");
    let v = c.ok("temp_aid.get", json!({"id": case}));
    assert_eq!(actions(&v), ["record_county_home_check"]);
    act(
        &mut c,
        case,
        "record_county_home_check",
        json!({"findings": "县民政局入户核查，火灾属实"}),
    );
    c.sign_in("shr1");
    let v = act(&mut c, case, "grant_advance", json!({"amount": "500"}));
    assert_eq!(v["state"], "advanced");
    assert_eq!(v["county_check"]["by_name"], "陈审批");
}

#[test]
fn an_overdue_paperwork_deadline_comes_first_in_the_queue() {
    let (mut c, h) = setup("3000");
    let late = create(&mut c, h, "emergency", "fire")["id"]
        .as_i64()
        .unwrap();
    c.sign_in("shr1");
    act(&mut c, late, "grant_advance", json!({"amount": "800"}));
    // A week later another family applies; the paperwork of the first is now overdue.
    let path = c.path();
    c.s = Session::open(
        &path,
        Box::new(FixedClock::on(
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        )),
    )
    .unwrap();
    c.ok(
        "auth.sign_in",
        json!({"username": "jbr1", "password": PASSWORD}),
    );
    let h2 = c.ok(
        "household.create",
        household_input(&c, "李四", &id("19800202", 13)),
    )["household"]["id"]
        .as_i64()
        .unwrap();
    let fresh = create(&mut c, h2, "expenditure", "illness")["id"]
        .as_i64()
        .unwrap();
    let q = c.ok("temp_aid.list", json!({"mine": true}));
    let items = q["cases"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{q}");
    assert_eq!(items[0]["id"], late);
    assert_eq!(items[0]["overdue"], true);
    assert_eq!(items[0]["deadline"], "2026-11-30");
    assert_eq!(items[0]["actions"], json!(["补齐手续"]));
    assert_eq!(items[0]["kind"], "temp_aid");
    assert_eq!(items[1]["id"], fresh);
    assert_eq!(items[1]["overdue"], false);
    // Registered Tuesday 1 December: 15 working days end on Tuesday 22 December.
    assert_eq!(items[1]["deadline"], "2026-12-22");
    // The plain list puts the overdue case first as well.
    let all = c.ok("temp_aid.list", json!({}));
    assert_eq!(all["cases"][0]["id"], late);
    assert_eq!(all["cases"][0]["overdue"], true);
    // The reviewer has nothing to do on either now.
    c.ok(
        "auth.sign_in",
        json!({"username": "shr1", "password": PASSWORD}),
    );
    let q = c.ok("temp_aid.list", json!({"mine": true}));
    assert_eq!(q["count"], 0, "{q}");
}

#[test]
fn reserve_fund_top_ups_are_the_countys_and_township_staff_see_their_own() {
    let (mut c, _) = setup("0");
    let t = c.township;
    let e = c.err(
        "reserve_fund.top_up",
        json!({"township_id": t, "amount": "1000", "reference": "X1"}),
    );
    assert_eq!(e.code, ErrorCode::Forbidden);
    c.sign_in("spr");
    let e = c.err(
        "reserve_fund.top_up",
        json!({"township_id": t, "amount": "1000", "reference": " "}),
    );
    assert_eq!(e.field.as_deref(), Some("reference"));
    let e = c.err(
        "reserve_fund.top_up",
        json!({"township_id": c.village, "amount": "1000", "reference": "X1"}),
    );
    assert_eq!(e.field.as_deref(), Some("township_id"));
    let v = c.ok(
        "reserve_fund.top_up",
        json!({"township_id": t, "amount": "1000", "reference": "X1"}),
    );
    assert_eq!(v["balance"], "1000.00");
    let before = c.counts();
    let e = c.err(
        "reserve_fund.adjust",
        json!({"township_id": t, "kind": "adjustment", "direction": "out", "amount": "1000.01", "reference": "X2", "note": "更正"}),
    );
    assert_eq!(
        e.message,
        "乡镇备用金余额不足：余额 1,000.00 元，本次需 1,000.01 元"
    );
    assert_eq!(c.counts(), before);
    let v = c.ok(
        "reserve_fund.adjust",
        json!({"township_id": t, "kind": "refund", "amount": "200", "reference": "X3", "note": "多发退回"}),
    );
    assert_eq!(v["balance"], "1200.00");
    let all = c.ok("reserve_fund.get", json!({}));
    assert_eq!(all["townships"].as_array().unwrap().len(), 2);
    assert_eq!(all["total"], "1200.00");
    c.sign_in("jbr2");
    let own = c.ok("reserve_fund.get", json!({}));
    let names: Vec<&str> = own["townships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["township_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["东城街道"]);
    let e = c.err("reserve_fund.get", json!({"township_id": t}));
    assert_eq!(e.code, ErrorCode::Forbidden);
}

#[test]
fn the_approval_form_prints_the_decision_in_the_sign_off_order() {
    let (mut c, h) = setup("0");
    let case = investigated(&mut c, h, "expenditure", "education");
    c.sign_in("shr1");
    act(
        &mut c,
        case,
        "approve_township",
        json!({"amount": "1800", "stages": [{"month": "2026-11", "amount": "1800"}]}),
    );
    let path = c.dir.path().join("临时救助审批表.pdf");
    c.ok("document.temp_aid_form", json!({"id": case, "path": path}));
    let doc = lopdf::Document::load(&path).unwrap();
    let text: String = doc
        .get_pages()
        .keys()
        .map(|&n| doc.extract_text(&[n]).unwrap().replace(['\n', '\r'], ""))
        .collect();
    for want in [
        "临时救助审批表",
        "张三",
        "支出型（教育）",
        "1,800.00",
        "科室负责人意见",
        "乡镇（街道）负责人意见",
    ] {
        assert!(text.contains(want), "{want} missing in {text}");
    }
    let e = c.err("document.temp_aid_form", json!({"id": 9999}));
    assert_eq!(e.code, doudi_core::ErrorCode::NotFound);
}
