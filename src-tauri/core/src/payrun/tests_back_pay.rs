//! Table tests of back pay held beyond the county's limit, its confirmation, and the differences
//! of held, confirmed and imported cases.

use super::back_pay::{confirm, held_differences};
use super::tests::{check, check_differences, diff, facts, one_case, paid, Line, MONTH};
use super::types::Payment;
use super::*;
use crate::rules::{Scope, StandardRow};

fn back_pay_months(n: &str) -> StandardRow {
    StandardRow {
        key: "payment.back_pay_months".into(),
        scope: Scope::All,
        effective_from: chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(),
        value: n.into(),
    }
}

/// (name, input, paid, held months).
type Case = (&'static str, PlanInput, Vec<Line>, Vec<&'static str>);

#[test]
fn back_pay_before_the_limit_is_held_until_confirmed() {
    let entered =
        |at: &'static str| move |c: &mut types::PayableCase| c.approved_at = Some(at.into());
    let mut two_months = one_case("2023-03", entered("2023-05-02 10:00:00"));
    two_months.standards.push(back_pay_months("2"));
    let mut earlier = one_case("2023-01", |c| {
        c.approved_at = Some("2023-04-10 09:00:00".into());
        c.paid_through = Some("2023-04".into());
    });
    earlier.holds.insert(
        1,
        vec![
            Hold {
                case_id: 1,
                for_month: "2023-01".into(),
                confirmed: Some("周审批：纸质审批表 2023-02 已签".into()),
            },
            Hold {
                case_id: 1,
                for_month: "2023-02".into(),
                confirmed: None,
            },
        ],
    );
    let cases: Vec<Case> = vec![
        (
            "approval entered in May, dated back to February: March and April held",
            one_case("2023-03", entered("2023-05-02 10:00:00")),
            vec![("regular", MONTH, 50_000)],
            vec!["2023-03", "2023-04"],
        ),
        (
            "the county allows 2 months before the month after the entry: March held only",
            two_months,
            vec![("back_pay", "2023-04", 50_000), ("regular", MONTH, 50_000)],
            vec!["2023-03"],
        ),
        (
            "approval entered in February: its back pay is within the limit",
            one_case("2023-03", entered("2023-02-20 10:00:00")),
            vec![
                ("back_pay", "2023-03", 50_000),
                ("back_pay", "2023-04", 50_000),
                ("regular", MONTH, 50_000),
            ],
            vec![],
        ),
        (
            "no approval entered (imported): not held",
            one_case("2023-03", |_| {}),
            vec![
                ("back_pay", "2023-03", 50_000),
                ("back_pay", "2023-04", 50_000),
                ("regular", MONTH, 50_000),
            ],
            vec![],
        ),
        (
            "held earlier: the confirmed month is paid, the other stays held",
            earlier,
            vec![("back_pay", "2023-01", 50_000), ("regular", MONTH, 50_000)],
            vec!["2023-02"],
        ),
    ];
    for (name, input, want, want_held) in cases {
        let paid = check(name, input.clone(), &want);
        let (_, held) = plan_with_holds(&input).unwrap();
        let got: Vec<&str> = held.iter().map(|h| h.for_month.as_str()).collect();
        assert_eq!(got, want_held, "{name}");
        if name.starts_with("held earlier") {
            assert_eq!(
                paid[0].note,
                "补发经确认（周审批：纸质审批表 2023-02 已签）"
            );
        }
    }
}

#[test]
fn held_back_pay_is_one_difference_per_case_to_confirm() {
    let input = one_case("2023-03", |c| {
        c.approved_at = Some("2023-05-02 10:00:00".into())
    });
    let (_, held) = plan_with_holds(&input).unwrap();
    let d = held_differences(MONTH, &held);
    assert_eq!(d.len(), 1);
    assert_eq!(
        (d[0].kind.as_str(), d[0].key.as_str()),
        ("back_pay", "held:case:1")
    );
    assert!(is_held_key(&d[0].key));
    assert_eq!(
        (d[0].old_fen, d[0].new_fen, d[0].case_id),
        (0, 100_000, Some(1))
    );
    assert_eq!(
        d[0].reason,
        "补发待确认：审批于 2023-05-02 录入，自 2023-03 起享受；2023-03–2023-04 共 2 个月 1000.00 元早于本县可直接补发的 2023-06，本月暂不发放，须写明原因并由审批人、发放人以外的另一人确认后补发"
    );
}

/// (user, approved by, run by, months held, reason, the reason kept or the refusal).
type Confirmation<'a> = (i64, i64, i64, usize, &'a str, Result<&'a str, &'a str>);

#[test]
fn confirmation_needs_another_person_and_a_reason() {
    // (user, approved by, run by, months held, reason) → Ok(reason) or Err(field or "forbidden").
    let cases: [Confirmation; 6] = [
        (7, 5, 6, 2, " 纸质审批表已签 ", Ok("纸质审批表已签")),
        (5, 5, 6, 2, "x", Err("forbidden: 审批此案件")),
        (6, 5, 6, 2, "x", Err("forbidden: 执行了本月发放")),
        (7, 5, 6, 2, "  ", Err("reason")),
        (7, 5, 6, 0, "x", Err("case_id")),
        (7, 7, 7, 0, "x", Err("case_id")),
    ];
    for (user, by, ran, n, reason, want) in cases {
        let got = confirm(user, Some(by), Some(ran), n, reason);
        match (got, want) {
            (Ok(r), Ok(w)) => assert_eq!(r, w),
            (Err(e), Err(w)) if w.starts_with("forbidden") => {
                assert_eq!(e.code, crate::error::ErrorCode::Forbidden);
                assert!(e.message.contains(&w[11..]), "{}", e.message);
            }
            (Err(e), Err(w)) => assert_eq!(e.field.as_deref(), Some(w), "{}", e.message),
            (got, want) => panic!("{user} {reason}: {got:?} vs {want:?}"),
        }
    }
}

#[test]
fn imported_and_confirmed_cases_say_so() {
    let imported = |from: &str| CaseFacts {
        imported_from: Some(from.into()),
        ..facts("2015-03")
    };
    let confirmed = |m: &str| Payment {
        note: "补发经确认（周审批：纸质审批表已签）".into(),
        ..paid("back_pay", m, 50_000)
    };
    let cases = vec![
        super::tests::Diff {
            inserted: vec![paid("regular", MONTH, 50_000)],
            ..diff("imported, first paid this month", None, Some(50_000), imported(MONTH))
        }
        .wants("new", "台账导入：原台账自 2015-03 起享受，本系统自 2023-05 起发放（此前各月由原系统发放，不补发）"),
        diff("imported earlier, resumed", None, Some(50_000), imported("2023-02"))
            .wants("new", "上月未发放，本月恢复发放"),
        super::tests::Diff {
            inserted: vec![confirmed("2023-03"), confirmed("2023-04")],
            ..diff("confirmed back pay", Some(50_000), Some(50_000), facts("2023-03"))
        }
        .wants("back_pay", "补发经确认（周审批：纸质审批表已签）：补发 2023-03–2023-04 共 2 个月，合计 1000.00 元"),
    ];
    for d in cases {
        check_differences(d);
    }
}
