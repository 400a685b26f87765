//! Table tests of the refusals: which months may be run, reviewed, locked or adjusted.

use chrono::NaiveDate;

use super::types::Run;
use super::*;
use crate::month::Month;

fn runs(list: &[(&str, &str)]) -> Vec<Run> {
    list.iter()
        .map(|(month, state)| Run {
            month: month.to_string(),
            state: state.to_string(),
            runs: 1,
            run_at: String::new(),
            locked_at: None,
            roster_at: None,
        })
        .collect()
}

/// `Ok(text)` or `Err(field: message)`.
fn outcome<T>(r: crate::error::CmdResult<T>, ok: impl Fn(T) -> String) -> String {
    match r {
        Ok(x) => ok(x),
        Err(e) => format!("{}: {}", e.field.unwrap_or_default(), e.message),
    }
}

/// (name, runs as (month, state), month to run, `since` or the refusal).
type OrderCase = (
    &'static str,
    Vec<(&'static str, &'static str)>,
    &'static str,
    &'static str,
);

#[test]
fn which_months_may_be_run() {
    let history = [("2023-04", "locked"), ("2023-03", "locked")];
    let cases: Vec<OrderCase> = vec![
        ("first run", vec![], "2023-05", "2023-05"),
        (
            "after locked months: since the first",
            history.to_vec(),
            "2023-05",
            "2023-03",
        ),
        (
            "again while open",
            vec![("2023-05", "open"), ("2023-04", "locked")],
            "2023-05",
            "2023-04",
        ),
        (
            "a locked month",
            history.to_vec(),
            "2023-04",
            "month: 2023-04 的发放已锁定，不能再改动；更正请在以后的月份登记调整",
        ),
        (
            "before a later run",
            history.to_vec(),
            "2023-02",
            "month: 已有 2023-04 的发放，不能再发放更早的 2023-02",
        ),
        (
            "after an open month",
            vec![("2023-04", "open")],
            "2023-05",
            "month: 2023-04 的发放尚未锁定，请先审核并锁定该月，再发放 2023-05",
        ),
    ];
    for (name, list, month, want) in cases {
        assert_eq!(
            outcome(run_order(&runs(&list), month), |s| s),
            want,
            "{name}"
        );
    }
    let today = NaiveDate::from_ymd_opt(2023, 5, 31).unwrap();
    let m = |t: &str| Month::parse(t).unwrap();
    assert!(runnable(m("2023-06"), today).is_ok());
    assert_eq!(
        outcome(runnable(m("2023-07"), today), |_| String::new()),
        "month: 最多只能提前发放下个月（2023-06）"
    );
}

#[test]
fn only_an_open_run_is_reviewed_or_locked() {
    let open = |list: &[(&str, &str)]| outcome(open_run(runs(list).pop(), "2023-05"), |r| r.state);
    assert_eq!(open(&[("2023-05", "open")]), "open");
    assert_eq!(open(&[]), "month: 2023-05 还没有发放，请先执行发放");
    assert_eq!(
        open(&[("2023-05", "locked")]),
        "month: 2023-05 的发放已锁定，不能再改动；更正请在以后的月份登记调整"
    );
}

#[test]
fn an_adjustment_needs_an_amount_a_reason_and_an_open_month() {
    let history = runs(&[("2023-05", "open"), ("2023-04", "locked")]);
    let cases = [
        (
            "in the open month",
            "2023-05",
            100,
            " 补差 ",
            "补差 paid in run: true",
        ),
        (
            "in a month not run yet",
            "2023-06",
            100,
            "补差",
            "补差 paid in run: false",
        ),
        (
            "nothing to pay",
            "2023-06",
            0,
            "补差",
            "amount: 调整金额应大于 0 元",
        ),
        (
            "no reason",
            "2023-06",
            100,
            "  ",
            "reason: 请写明调整原因（更正哪个月、为什么）",
        ),
        (
            "a locked month",
            "2023-04",
            100,
            "补差",
            "month: 2023-04 的发放已锁定，不能再改动；调整请登记在以后的月份",
        ),
        (
            "before a later run",
            "2023-03",
            100,
            "补差",
            "month: 已有 2023-05 的发放，调整应登记在尚未锁定的月份",
        ),
    ];
    for (name, month, fen, reason, want) in cases {
        let got = outcome(adjustment(&history, month, fen, reason), |(r, run)| {
            format!("{r} paid in run: {run}")
        });
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn the_lock_refuses_or_holds_payees_whose_account_cannot_be_paid() {
    let u = |name: &str, why: &str| crate::payrun::Unpayable {
        household_id: 1,
        township_id: 2,
        head_name: name.into(),
        payee_name: name.into(),
        bank_name: String::new(),
        bank_account: String::new(),
        why: why.into(),
        payment_ids: vec![7],
        amount_fen: 100,
    };
    let none: [crate::payrun::Unpayable; 0] = [];
    let two = [u("张三", "未登记银行账号"), u("李四", "校验位不符")];
    assert_eq!(
        invalid_accounts_at_lock("2026-11", "refuse", &none)
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        invalid_accounts_at_lock("2026-11", "hold", &two)
            .unwrap()
            .len(),
        2
    );
    let e = invalid_accounts_at_lock("2026-11", "refuse", &two).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("month"));
    assert!(
        e.message.starts_with(
            "2026-11 有 2 户收款人的银行账号无法发放：张三（未登记银行账号）；李四（校验位不符）。"
        ),
        "{}",
        e.message
    );
}

/// A payment held at the lock (暂缓发放) counts only under its status: not in the month's
/// totals, townships, households or kinds.
#[test]
fn held_payments_are_not_counted_as_paid() {
    let line = |household_id, status: &str, amount_fen| super::types::PaymentLine {
        township_id: 1,
        programme: "dibao".into(),
        kind: "regular".into(),
        status: status.into(),
        household_id,
        persons: 2,
        amount_fen,
    };
    let s = summarise(&[
        line(1, "pending", 66_000),
        line(2, HELD, 50_000),
        line(3, "failed", 10_000),
    ]);
    assert_eq!((s.payments, s.households, s.fen), (2, 2, 76_000));
    let t = &s.by_township[&(1, "dibao".to_owned())];
    assert_eq!((t.payments, t.persons, t.fen), (2, 4, 76_000));
    assert_eq!(s.by_kind["regular"], (2, 76_000));
    assert_eq!(s.by_status[HELD], (1, 50_000));
    assert_eq!(s.by_status["failed"], (1, 10_000));
    assert_eq!(status_label(HELD), "暂缓发放");
}
