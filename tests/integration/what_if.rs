//! 政策测算 (benefit.what_if): the rural 低保 standard proposed at 700 instead of 660 compares what
//! the enrolled cases are paid now (their amount in force, not the rules' amount under 660) with
//! what they would be paid, lists apart the families without a case whom 700 would newly
//! qualify, totals by programme and township, writes the same tables as .xlsx, and stores nothing.

use calamine::{open_workbook, Data, Reader, Xlsx};
use serde_json::{json, Value};

use crate::common::{county, id, seed_standards, County, PASSWORD};
use crate::payments::{act, add_household, to_notice};

/// 张三 (rural, income 300: 360 a month) and 刘城 (urban, income 200: 671) enrolled on 低保,
/// paid from 2026-10; 张三's income since went to 320 without a 变更 (he is still paid 360).
/// Without a case: 李四 (rural, 680: above 660, below 700), 王五 (rural, 300: qualifies today)
/// and 赵六 (rural, 2,000). Signed in as `spr`. Returns 张三's case and 李四's household.
fn county_with_cases() -> (County, i64, i64) {
    let mut c = county();
    seed_standards(&mut c, "admin");
    c.add_user(json!({"username": "jbr3", "display_name": "孙调查", "role": "caseworker", "area_id": c.township, "password": PASSWORD}));
    c.sign_in("jbr1");
    let zhang = add_household(
        &mut c,
        "张三",
        &id("19700101", 11),
        "rural",
        "6222020000000000011",
        json!([]),
        "300",
    );
    let liu = add_household(
        &mut c,
        "刘城",
        &id("19800202", 51),
        "urban",
        "6222020000000000033",
        json!([]),
        "200",
    );
    let mut cases = vec![];
    for h in [zhang, liu] {
        let case = to_notice(&mut c, h, "2026-09", 1);
        act(
            &mut c,
            "spr",
            case,
            "approve",
            json!({"date": "2026-09-20"}),
        );
        cases.push(case);
    }
    c.sign_in("jbr1");
    let v = c.ok("household.get", json!({"id": zhang}));
    let pid = v["members"][0]["person_id"].as_i64().unwrap();
    c.ok("finances.set", json!({"household_id": zhang, "incomes": [{"person_id": pid, "kind": "other", "period": "monthly", "amount": "320"}]}));
    let li = add_household(
        &mut c,
        "李四",
        &id("19750505", 71),
        "rural",
        "6222020000000000055",
        json!([]),
        "680",
    );
    add_household(
        &mut c,
        "王五",
        &id("19760606", 81),
        "rural",
        "6222020000000000066",
        json!([]),
        "300",
    );
    add_household(
        &mut c,
        "赵六",
        &id("19770707", 91),
        "rural",
        "6222020000000000077",
        json!([]),
        "2000",
    );
    c.sign_in("spr");
    (c, cases[0], li)
}

fn rural_700(extra: Value) -> Value {
    let mut input = json!({"key": "dibao.standard", "scope": "rural", "value": "700", "effective_from": "2026-11-01", "month": "2026-11"});
    for (k, v) in extra.as_object().unwrap() {
        input[k] = v.clone();
    }
    input
}

fn number(sheet: &calamine::Range<Data>, row: usize, col: usize) -> f64 {
    match sheet.get((row, col)) {
        Some(Data::Float(f)) => *f,
        other => panic!("a number at ({row}, {col}), got {other:?}"),
    }
}

#[test]
fn the_what_if_compares_what_enrolled_cases_are_paid_now_and_lists_the_newly_qualifying_apart() {
    let (mut c, zhang_case, li) = county_with_cases();
    let dest = c.dir.path().join("测算.xlsx");
    let v = c.ok(
        "benefit.what_if",
        rural_700(json!({"xlsx": dest.to_str().unwrap()})),
    );
    assert_eq!(v["standard"], "农村低保标准");
    // Two enrolled cases; only 张三's amount changes: from the 360 he is paid, not from the 340
    // the rules would give today under 660.
    assert_eq!(
        (v["enrolled"].as_u64(), v["count"].as_u64()),
        (Some(2), Some(1)),
        "{v}"
    );
    let zhang = &v["cases"][0];
    assert_eq!(zhang["case_id"], zhang_case);
    assert_eq!(zhang["head_name"], "张三");
    assert_eq!(zhang["programme_label"], "低保");
    assert_eq!(
        (
            zhang["paid_now"].as_str(),
            zhang["proposed"].as_str(),
            zhang["change"].as_str()
        ),
        (Some("360.00"), Some("380.00"), Some("20.00"))
    );
    assert_eq!(
        zhang["reasons"],
        json!([
            "农村低保标准 660 → 700 元",
            "家庭情况与核定时不同（按现行标准现应为 340.00 元）"
        ])
    );
    assert_eq!(
        (
            v["paid_now"].as_str(),
            v["proposed"].as_str(),
            v["enrolled_change"].as_str()
        ),
        (Some("1031.00"), Some("1051.00"), Some("20.00"))
    );
    // Families without a case are not 原金额 rows: 李四 newly qualifies (700 − 680), 王五 qualifies
    // already (counted), 赵六 not at all.
    assert_eq!(v["newly_count"], 1);
    let newly = &v["newly"][0];
    assert_eq!(
        (
            newly["household_id"].as_i64(),
            newly["head_name"].as_str(),
            newly["form"].as_str(),
            newly["amount"].as_str()
        ),
        (Some(li), Some("李四"), Some("低保"), Some("20.00"))
    );
    assert_eq!(newly["pending_case"], Value::Null);
    assert_eq!(v["already_eligible"], 1);
    assert_eq!(v["newly_amount"], "20.00");
    assert_eq!(
        (v["monthly_change"].as_str(), v["annual_change"].as_str()),
        (Some("40.00"), Some("480.00"))
    );
    // Totals: 低保 in 城关镇, the programme's county line, everything.
    let totals: Vec<(&str, &str, u64, &str, &str, u64, &str)> = v["totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["programme_label"].as_str().unwrap(),
                t["township_name"].as_str().unwrap(),
                t["cases"].as_u64().unwrap(),
                t["paid_now"].as_str().unwrap(),
                t["proposed"].as_str().unwrap(),
                t["newly"].as_u64().unwrap(),
                t["monthly_change"].as_str().unwrap(),
            )
        })
        .collect();
    let line = |p, t| (p, t, 2, "1031.00", "1051.00", 1, "40.00");
    assert_eq!(
        totals,
        [
            line("低保", "城关镇"),
            line("低保", "全县"),
            line("合计", "全县合计")
        ]
    );

    // The .xlsx has the same three tables.
    let mut book: Xlsx<_> = open_workbook(&dest).unwrap();
    let sum = book.worksheet_range("汇总").unwrap();
    assert_eq!(sum.get((5, 1)), Some(&Data::String("全县合计".into())));
    assert_eq!(
        (
            number(&sum, 5, 4),
            number(&sum, 5, 5),
            number(&sum, 5, 9),
            number(&sum, 5, 10)
        ),
        (1031.0, 1051.0, 40.0, 480.0)
    );
    let cases = book.worksheet_range("在保案件").unwrap();
    assert_eq!(cases.get((1, 2)), Some(&Data::String("张三".into())));
    assert_eq!(
        (
            number(&cases, 1, 5),
            number(&cases, 1, 6),
            number(&cases, 1, 7)
        ),
        (360.0, 380.0, 20.0)
    );
    let newly = book.worksheet_range("新增符合条件").unwrap();
    assert_eq!(newly.get((1, 1)), Some(&Data::String("李四".into())));
    assert_eq!(number(&newly, 1, 6), 20.0);
    assert_eq!(newly.get((2, 0)), Some(&Data::String("合计 1 户".into())));

    // An application in progress is named beside the household it concerns.
    c.sign_in("jbr1");
    let pending = c.ok("case.create", json!({"household_id": li, "programme": "dibao", "applied_on": "2026-11-20", "application_note": "生活困难"}));
    c.sign_in("spr");
    let v = c.ok("benefit.what_if", rural_700(json!({})));
    assert_eq!(v["newly"][0]["pending_case"], pending["number"]);

    // Nothing is stored: 张三 is still paid 360, the rules under 660 still give him 340.
    let case = c.ok("case.get", json!({"case_id": zhang_case}));
    assert_eq!(case["current_amount"], "360.00", "{case}");
    c.sign_in("jbr1");
    let zhang_household = case["household"]["id"].clone();
    let still = c.ok(
        "benefit.calculate",
        json!({"household_id": zhang_household, "programme": "dibao", "month": "2026-11"}),
    );
    assert_eq!(still["amount"], "340.00");
}

#[test]
fn a_lowered_standard_shows_who_would_no_longer_qualify_and_refusals_change_nothing() {
    let (mut c, zhang_case, _) = county_with_cases();
    // Rural 300: 张三 (income 320) would get 0.
    let v = c.ok("benefit.what_if", rural_700(json!({"value": "300"})));
    let zhang = &v["cases"][0];
    assert_eq!(zhang["case_id"], zhang_case);
    assert_eq!(
        (zhang["paid_now"].as_str(), zhang["proposed"].as_str()),
        (Some("360.00"), Some("0.00"))
    );
    assert_eq!(zhang["reasons"][0], "按测算标准计算为 0 元，将不再符合条件");
    assert_eq!(v["newly_count"], 0);

    let before = c.counts();
    let e = c.err("benefit.what_if", rural_700(json!({"month": "2026-10"})));
    assert_eq!(e.field.as_deref(), Some("month"));
    let e = c.err("benefit.what_if", rural_700(json!({"xlsx": "/tmp/x.csv"})));
    assert_eq!(e.field.as_deref(), Some("xlsx"));
    assert_eq!(c.counts(), before);
    c.sign_in("jbr1");
    assert_eq!(
        c.err("benefit.what_if", rural_700(json!({}))).code,
        doudi_core::ErrorCode::Forbidden
    );
}
