//! 月度统计 counts every yuan of 临时救助 paid in the month by its route: three 先行救助 from the
//! township's reserve fund (4,200 yuan — once reported as 0 笔), a stage paid by hand and a stage
//! on the roster; the total is the sum of every route's payments, before and after the lock, and
//! in the export.

use calamine::{open_workbook, Data, Reader, Xlsx};

use super::*;

fn fen(c: &County, sql: &str) -> i64 {
    c.s.connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn routes(r: &Value) -> Vec<(String, String, i64, i64, String)> {
    r["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["route_label"].as_str().unwrap().to_owned(),
                x["programme_label"].as_str().unwrap().to_owned(),
                x["payments"].as_i64().unwrap(),
                x["households"].as_i64().unwrap(),
                x["amount"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_months_statistics_count_every_route_advances_included() {
    let (mut c, zhang) = setup("5000");
    let mut households = vec![zhang];
    for (name, seq) in [("李四", 71), ("王五", 81)] {
        let v = c.ok(
            "household.create",
            household_input(&c, name, &id("19750505", seq)),
        );
        households.push(v["household"]["id"].as_i64().unwrap());
    }
    // Three fires, three advances of 1,400 from the reserve fund.
    for h in &households {
        c.sign_in("jbr1");
        let case = create(&mut c, *h, "emergency", "fire")["id"]
            .as_i64()
            .unwrap();
        c.sign_in("shr1");
        let v = act(&mut c, case, "grant_advance", json!({"amount": "1400"}));
        assert_eq!(v["state"], "advanced");
    }
    // 张三's school costs: one stage of 500 paid by hand in November.
    let by_hand = investigated(&mut c, zhang, "expenditure", "education");
    c.sign_in("shr1");
    act(
        &mut c,
        by_hand,
        "approve_township",
        json!({"amount": "500", "stages": [{"month": "2026-11", "amount": "500"}]}),
    );
    c.sign_in("jbr1");
    assert_eq!(
        act(&mut c, by_hand, "pay_stage", json!({"stage_no": 1}))["state"],
        "closed"
    );
    // 李四's illness: one stage of 600 on the November roster.
    let on_roster = investigated(&mut c, households[1], "expenditure", "illness");
    c.sign_in("shr1");
    act(
        &mut c,
        on_roster,
        "approve_township",
        json!({"amount": "600", "stages": [{"month": "2026-11", "amount": "600"}]}),
    );
    c.sign_in("spr");
    c.ok("payment.run", json!({"month": "2026-11"}));

    let expected = vec![
        (
            "月度发放花名册".to_owned(),
            "临时救助".to_owned(),
            1,
            1,
            "600.00".to_owned(),
        ),
        (
            "登记发放（未经花名册）".to_owned(),
            "临时救助".to_owned(),
            1,
            1,
            "500.00".to_owned(),
        ),
        (
            "先行救助（乡镇备用金）".to_owned(),
            "临时救助".to_owned(),
            3,
            3,
            "4200.00".to_owned(),
        ),
    ];
    let roster = fen(&c, "SELECT coalesce(sum(amount_fen), 0) FROM payment WHERE month = '2026-11' AND status <> 'held'");
    assert_eq!(roster, 60_000);
    let check = |r: &Value| {
        assert_eq!(routes(r), expected, "{}", r["routes"]);
        let by_route: i64 = r["routes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| crate::stats::fen(&x["amount"]))
            .sum();
        assert_eq!(
            crate::stats::fen(&r["total_amount"]),
            by_route,
            "the total is every route's payments"
        );
        assert_eq!(by_route, roster + 50_000 + 420_000);
        assert_eq!(r["temp_aid"]["payments"], 5);
        assert_eq!(r["temp_aid"]["households"], 3);
        assert_eq!(r["temp_aid"]["amount"], "5300.00");
        let split: i64 = r["split"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| crate::stats::fen(&s["amount"]))
            .sum();
        assert_eq!(split, by_route, "the spending split adds up to the total");
        assert_eq!(r["series"][11]["amount"], "5300.00");
    };
    let open = c.ok("stats.month", json!({"month": "2026-11"}));
    check(&open);
    // Locked: the report kept at the lock reads the same, the routes beside it.
    c.ok("payment.review", json!({"month": "2026-11"}));
    c.ok("payment.lock", json!({"month": "2026-11"}));
    let locked = c.ok("stats.month", json!({"month": "2026-11"}));
    assert_eq!(locked["state_label"], "已锁定");
    check(&locked);
    // The export has the routes and the same total.
    let path = c.dir.path().join("统计-2026-11.xlsx");
    let out = c.ok(
        "stats.export",
        json!({"month": "2026-11", "path": path.to_str().unwrap()}),
    );
    assert_eq!(out["total"], "5300.00");
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let sheet = book.worksheet_range("按发放途径").unwrap();
    assert_eq!(
        sheet.get((4, 0)),
        Some(&Data::String("先行救助（乡镇备用金）".into()))
    );
    assert_eq!(sheet.get((5, 0)), Some(&Data::String("合计".into())));
    assert_eq!(sheet.get((5, 4)), Some(&Data::Float(5300.0)));
    let other = book.worksheet_range("临时救助和一事一议").unwrap();
    assert_eq!(other.get((1, 1)), Some(&Data::Float(5.0)));
}
