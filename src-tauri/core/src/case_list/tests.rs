//! Table tests of the case list's decisions: the search text, paging input, sort input, the
//! monthly amount and the order of lines.

use serde_json::json;

use super::*;
use crate::store::cases::{Amount, CaseRow};

#[test]
fn what_the_search_box_looks_for() {
    let table = [
        ("  ", Search::All),
        ("张", Search::Name("张".into())),
        ("zs", Search::Initials("zs".into())),
        ("410122197", Search::Digits("410122197".into())),
        (
            "41012219700101011x",
            Search::Digits("41012219700101011X".into()),
        ),
        ("000123", Search::Digits("000123".into())),
        ("db-2026-0001", Search::Number("DB-2026-0001".into())),
        ("2026-000123", Search::Number("2026-000123".into())),
        ("TK2026", Search::Number("TK2026".into())),
    ];
    for (q, want) in table {
        assert_eq!(search(q), want, "{q:?}");
    }
}

#[test]
fn paging_is_checked_and_named() {
    let ok = |p: serde_json::Value, s: serde_json::Value| {
        paging(Some(&p), Some(&s)).map_err(|e| (e.field.unwrap_or_default(), e.message))
    };
    assert_eq!(
        paging(None, None).unwrap(),
        Page {
            page: 1,
            size: DEFAULT_PAGE_SIZE
        }
    );
    assert_eq!(
        ok(json!(3), json!(200)).unwrap(),
        Page { page: 3, size: 200 }
    );
    for (p, s, field, part) in [
        (
            json!(0),
            json!(20),
            "page",
            "页码 page 应为从 1 开始的整数（收到 0）",
        ),
        (json!("二"), json!(20), "page", "收到 “二”"),
        (json!(1.5), json!(20), "page", "页码"),
        (json!(1), json!(0), "page_size", "1 到 200 之间"),
        (json!(1), json!(201), "page_size", "收到 201"),
        (json!(1), json!("50"), "page_size", "每页条数"),
    ] {
        let (f, m) = ok(p.clone(), s.clone()).unwrap_err();
        assert_eq!(f, field, "{p} {s}");
        assert!(m.contains(part), "{m}");
    }
    let p = Page { page: 2, size: 3 };
    assert_eq!(p.of((1..=7).collect::<Vec<_>>()), [4, 5, 6]);
    assert_eq!(
        Page { page: 4, size: 3 }.of((1..=7).collect::<Vec<_>>()),
        Vec::<i32>::new()
    );
    assert_eq!((p.pages(7), p.pages(6), p.pages(0)), (3, 2, 1));
}

#[test]
fn sort_and_order_are_checked_and_named() {
    assert_eq!(sort_order(None, None).unwrap(), (Sort::Number, Order::Asc));
    assert_eq!(
        sort_order(Some("amount"), Some("desc")).unwrap(),
        (Sort::Amount, Order::Desc)
    );
    let e = sort_order(Some("age"), None).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("sort"));
    assert!(
        e.message.contains("name（户主姓名）") && e.message.contains("“age”"),
        "{}",
        e.message
    );
    let e = sort_order(None, Some("up")).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("order"));
    assert!(
        e.message.contains("asc（升序）或 desc（降序）"),
        "{}",
        e.message
    );
}

/// A line: number, head, initials, township code, state, amount (fen, from month), pay from/until.
fn line(number: &str, head: &str, initials: &str, township: &str, state: &str) -> Line {
    Line {
        case: CaseRow {
            id: number.bytes().map(i64::from).sum(),
            number: number.into(),
            state: state.into(),
            updated_at: format!("2026-11-{} 09:00:00", &number[number.len() - 2..]),
            ..CaseRow::default()
        },
        head_name: Some(head.into()),
        head_initials: Some(initials.into()),
        head_id_number: None,
        township_name: String::new(),
        township_code: township.into(),
        village_name: String::new(),
        village_code: format!("{township}001"),
        amount: None,
    }
}

fn paid(mut l: Line, fen: i64, from: &str, until: Option<&str>) -> Line {
    l.case.pay_from = Some(from.into());
    l.case.pay_until = until.map(str::to_owned);
    l.amount = Some(Amount {
        case_id: l.case.id,
        from_month: from.into(),
        amount_fen: fen,
        persons: 2,
        trail: String::new(),
        step_id: 1,
    });
    l
}

fn nov() -> Month {
    Month::parse("2026-11").unwrap()
}

#[test]
fn the_monthly_amount_is_this_months_or_the_first_months() {
    let l = |fen, from, until| {
        paid(
            line("DB-01", "甲", " j", "01", "enrolled"),
            fen,
            from,
            until,
        )
    };
    assert_eq!(
        monthly_amount(&l(50000, "2026-03", None), nov()),
        Some(50000)
    );
    // Approved, paid from next month: that month's amount.
    assert_eq!(
        monthly_amount(&l(50000, "2026-12", None), nov()),
        Some(50000)
    );
    // Paid through October only (exited): nothing this month.
    assert_eq!(
        monthly_amount(&l(50000, "2026-03", Some("2026-10")), nov()),
        None
    );
    let mut refused = l(50000, "2026-03", None);
    refused.case.state = "refused".into();
    assert_eq!(monthly_amount(&refused, nov()), None);
    assert_eq!(
        monthly_amount(&line("DB-02", "乙", " y", "01", "applied"), nov()),
        None
    );
}

fn numbers(rows: &[(Line, Option<i64>)]) -> Vec<&str> {
    rows.iter().map(|r| r.0.case.number.as_str()).collect()
}

#[test]
fn lines_are_sorted_by_each_key_with_ties_by_number() {
    let lines = || {
        vec![
            paid(
                line("DB-03", "赵六", " zl", "02", "enrolled"),
                30000,
                "2026-01",
                None,
            ),
            line("DB-01", "张三", " zs", "02", "applied"),
            paid(
                line("DB-02", "王五", " ww", "01", "phasing_out"),
                90000,
                "2026-01",
                None,
            ),
            line("DB-04", "周四", " zs", "01", "on_notice"),
        ]
    };
    let check = |sort, order, want: [&str; 4]| {
        let rows = sorted(lines(), nov(), sort, order);
        assert_eq!(numbers(&rows), want, "{sort:?} {order:?}");
    };
    check(
        Sort::Number,
        Order::Asc,
        ["DB-01", "DB-02", "DB-03", "DB-04"],
    );
    check(
        Sort::Number,
        Order::Desc,
        ["DB-04", "DB-03", "DB-02", "DB-01"],
    );
    // By initials, then the name: 王五 (ww), 赵六 (zl), then 周四 and 张三 (both zs).
    check(Sort::Name, Order::Asc, ["DB-02", "DB-03", "DB-04", "DB-01"]);
    // By area code; in one township, by number.
    check(
        Sort::Township,
        Order::Asc,
        ["DB-02", "DB-04", "DB-01", "DB-03"],
    );
    check(
        Sort::Township,
        Order::Desc,
        ["DB-01", "DB-03", "DB-02", "DB-04"],
    );
    // In the order of the procedure.
    check(
        Sort::State,
        Order::Asc,
        ["DB-01", "DB-04", "DB-03", "DB-02"],
    );
    // Lines without an amount last, either way.
    check(
        Sort::Amount,
        Order::Asc,
        ["DB-03", "DB-02", "DB-01", "DB-04"],
    );
    check(
        Sort::Amount,
        Order::Desc,
        ["DB-02", "DB-03", "DB-01", "DB-04"],
    );
    check(
        Sort::Updated,
        Order::Desc,
        ["DB-04", "DB-03", "DB-02", "DB-01"],
    );
    let rows = sorted(lines(), nov(), Sort::Amount, Order::Desc);
    assert_eq!(rows[0].1, Some(90000));
}
