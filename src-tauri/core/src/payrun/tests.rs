//! Table tests of the payment planner and the differences, without SQLite.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::types::{Adjustment, DueStage, Grant, PayableCase, Payee, Payment};
use super::*;

pub(super) const MONTH: &str = "2023-05";

fn payee(household_id: i64) -> Payee {
    Payee {
        household_id,
        township_id: 2,
        village_id: 3,
        urban_rural: "rural".into(),
        head_name: format!("户主{household_id}"),
        head_id_number: format!("ID{household_id}"),
        bank_account: format!("6217{household_id}"),
        members: 3,
        ..Payee::default()
    }
}

fn case(id: i64, pay_from: &str) -> PayableCase {
    PayableCase {
        id,
        number: format!("DB-{id}"),
        programme: "dibao".into(),
        state: "enrolled".into(),
        pay_from: pay_from.into(),
        payee: Payee {
            members: 0,
            ..payee(id)
        },
        ..PayableCase::default()
    }
}

fn input() -> PlanInput {
    PlanInput {
        month: MONTH.into(),
        since: "2023-01".into(),
        standards: crate::rules::demo_rows(),
        ..PlanInput::default()
    }
}

/// One case of 2 persons at 500 元 from `pay_from`.
pub(super) fn one_case(pay_from: &str, edit: impl FnOnce(&mut PayableCase)) -> PlanInput {
    let mut i = input();
    let mut c = case(1, pay_from);
    edit(&mut c);
    i.cases.push(c);
    i.amounts.insert(1, vec![(pay_from.into(), 50_000, 2)]);
    i
}

fn grant(kind: &str, params: &str) -> Grant {
    Grant {
        month: MONTH.into(),
        kind: kind.into(),
        params: params.into(),
        ..Grant::default()
    }
}

/// What a planned payment is, in short: kind, month paid for, amount in fen, payee name, note.
pub(super) type Line = (&'static str, &'static str, i64);

pub(super) fn check(name: &str, input: PlanInput, want: &[Line]) -> Vec<Payment> {
    let planned = plan(&input).unwrap_or_else(|e| panic!("{name}: {}", e.message));
    let got: Vec<(String, String, i64)> = planned
        .iter()
        .map(|p| (p.kind.clone(), p.for_month.clone(), p.amount_fen))
        .collect();
    let want: Vec<(String, String, i64)> = want
        .iter()
        .map(|(k, m, a)| (k.to_string(), m.to_string(), *a))
        .collect();
    assert_eq!(got, want, "{name}");
    for p in &planned {
        assert_eq!(p.month, MONTH, "{name}: paid in the month run");
    }
    planned
}

#[test]
fn plans_every_kind_of_payment() {
    let cases: Vec<(&str, PlanInput, Vec<Line>)> = vec![
        (
            "regular",
            one_case("2023-01", |c| c.paid_through = Some("2023-04".into())),
            vec![("regular", MONTH, 50_000)],
        ),
        (
            "late approval: back pay from pay_from",
            one_case("2023-03", |_| {}),
            vec![
                ("back_pay", "2023-03", 50_000),
                ("back_pay", "2023-04", 50_000),
                ("regular", MONTH, 50_000),
            ],
        ),
        (
            "back pay not before the first month run in this system",
            one_case("2022-10", |_| {}),
            vec![
                ("back_pay", "2023-01", 50_000),
                ("back_pay", "2023-02", 50_000),
                ("back_pay", "2023-03", 50_000),
                ("back_pay", "2023-04", 50_000),
                ("regular", MONTH, 50_000),
            ],
        ),
        (
            "渐退期 ended before this month: back pay up to pay_until, no grant",
            {
                let mut i = one_case("2023-01", |c| {
                    c.paid_through = Some("2023-02".into());
                    c.pay_until = Some("2023-03".into());
                });
                i.grants.push(grant("one_time", r#"{"for": "all"}"#));
                i
            },
            vec![("back_pay", "2023-03", 50_000)],
        ),
        (
            "a month of no amount is not paid",
            {
                let mut i = one_case("2023-03", |_| {});
                i.amounts.insert(
                    1,
                    vec![
                        ("2023-03".into(), 50_000, 2),
                        ("2023-04".into(), 0, 2),
                        (MONTH.into(), 40_000, 2),
                    ],
                );
                i
            },
            vec![("back_pay", "2023-03", 50_000), ("regular", MONTH, 40_000)],
        ),
        (
            "a case without amounts is not paid",
            {
                let mut i = one_case(MONTH, |_| {});
                i.amounts.clear();
                i
            },
            vec![],
        ),
        (
            "batch grants: 价格临时补贴 and 一次性生活补贴 per person",
            {
                let mut i = one_case(MONTH, |_| {});
                i.grants.push(grant("one_time", r#"{"for": "dibao"}"#));
                i.grants.push(grant(
                    "price_subsidy",
                    r#"{"cpi_rise": "3.6", "food_rise": null}"#,
                ));
                i
            },
            vec![
                ("regular", MONTH, 50_000),
                ("one_time", MONTH, 24_000),
                ("price_subsidy", MONTH, 4_800),
            ],
        ),
        (
            "a 一次性生活补贴 for 特困 alone passes a 低保 case by",
            {
                let mut i = one_case(MONTH, |_| {});
                i.grants.push(grant("one_time", r#"{"for": "tekun"}"#));
                i
            },
            vec![("regular", MONTH, 50_000)],
        ),
        (
            "临时救助 and 一事一议 stages",
            {
                let mut i = input();
                i.temp_aid.push(DueStage {
                    source_id: 7,
                    number: "LS-7".into(),
                    amount_fen: 200_000,
                    payee: payee(5),
                });
                i.deliberation.push(DueStage {
                    source_id: 8,
                    number: "YS-8".into(),
                    amount_fen: 900_000,
                    payee: payee(6),
                });
                i
            },
            vec![
                ("temp_aid", MONTH, 200_000),
                ("deliberation", MONTH, 900_000),
            ],
        ),
        (
            "an adjustment",
            {
                let mut i = input();
                i.adjustments.push(AdjustmentDue {
                    adjustment: Adjustment {
                        id: 4,
                        case_id: 1,
                        month: MONTH.into(),
                        amount_fen: 12_300,
                        reason: "补 3 月少发".into(),
                    },
                    case_id: 1,
                    programme: "dibao".into(),
                    number: "DB-1".into(),
                    pay_from: Some("2023-01".into()),
                    payee: payee(1),
                });
                i
            },
            vec![("adjustment", MONTH, 12_300)],
        ),
    ];
    for (name, i, want) in cases {
        check(name, i, &want);
    }
}

#[test]
fn a_regular_payment_copies_its_case() {
    let p = &check(
        "regular",
        one_case(MONTH, |_| {}),
        &[("regular", MONTH, 50_000)],
    )[0];
    assert_eq!(
        (p.source_kind.as_str(), p.source_id, p.case_id),
        ("case", 1, Some(1))
    );
    assert_eq!(
        (p.persons, p.standard_fen),
        (2, Some(66_000)),
        "persons from the amount, standard of the month"
    );
    assert_eq!(
        (p.payee_name.as_str(), p.certificate.as_str()),
        ("户主1", "DB-1")
    );
    assert_eq!(p.start_month.as_deref(), Some(MONTH));
}

#[test]
fn a_failed_payment_is_resent_to_the_account_the_household_has_now() {
    let failed = Payment {
        id: 99,
        month: "2023-04".into(),
        for_month: "2023-04".into(),
        kind: "regular".into(),
        source_kind: "case".into(),
        source_id: 1,
        amount_fen: 50_000,
        payee: payee(1),
        status: "failed".into(),
        failure_reason: Some("账户已销户".into()),
        ..Payment::default()
    };
    let now = Payee {
        bank_account: "6228NEW".into(),
        ..payee(1)
    };
    for (name, payee_now, account) in [
        ("new account", Some(now), "6228NEW"),
        ("household gone", None, "62171"),
    ] {
        let mut i = input();
        i.resends.push(Resend {
            failed: failed.clone(),
            payee_now,
        });
        let p = &check(name, i, &[("resend", "2023-04", 50_000)])[0];
        assert_eq!(
            (p.source_kind.as_str(), p.source_id),
            ("payment", 99),
            "{name}"
        );
        assert_eq!(p.payee.bank_account, account, "{name}");
        assert_eq!(
            p.note, "重发 2023-04 发放失败的按月发放：账户已销户",
            "{name}"
        );
        assert_eq!(
            (p.status.as_str(), p.failure_reason.as_ref()),
            ("", None),
            "{name}"
        );
    }
}

#[test]
fn a_malformed_grant_is_refused_with_its_field() {
    for (kind, params, field) in [
        ("price_subsidy", r#"{"cpi_rise": ""}"#, "cpi_rise"),
        ("price_subsidy", r#"{"cpi_rise": "三"}"#, "cpi_rise"),
        (
            "price_subsidy",
            r#"{"cpi_rise": "3.6", "food_rise": "x"}"#,
            "food_rise",
        ),
        ("one_time", r#"{"for": "kids"}"#, "for"),
        ("bonus", "{}", "kind"),
    ] {
        let mut i = one_case(MONTH, |_| {});
        i.grants.push(grant(kind, params));
        let e = plan(&i).unwrap_err();
        assert_eq!(e.field.as_deref(), Some(field), "{kind} {params}");
    }
}

// ---- differences ----

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

pub(super) fn facts(pay_from: &str) -> CaseFacts {
    CaseFacts {
        household_id: 1,
        township_id: 2,
        pay_from: Some(pay_from.into()),
        decided_on: day(2023, 4, 20),
        ..CaseFacts::default()
    }
}

pub(super) fn paid(kind: &str, for_month: &str, amount_fen: i64) -> Payment {
    Payment {
        month: MONTH.into(),
        for_month: for_month.into(),
        kind: kind.into(),
        source_kind: "case".into(),
        source_id: 1,
        case_id: Some(1),
        payee: payee(1),
        amount_fen,
        start_month: Some("2023-03".into()),
        ..Payment::default()
    }
}

pub(super) struct Diff {
    pub(super) name: &'static str,
    pub(super) prev: Option<i64>,
    pub(super) this: Option<i64>,
    pub(super) prev_run: bool,
    pub(super) facts: Option<CaseFacts>,
    pub(super) inserted: Vec<Payment>,
    pub(super) want: Vec<(&'static str, &'static str)>,
}

pub(super) fn diff(
    name: &'static str,
    prev: Option<i64>,
    this: Option<i64>,
    facts: CaseFacts,
) -> Diff {
    Diff {
        name,
        prev,
        this,
        prev_run: true,
        facts: Some(facts),
        inserted: vec![],
        want: vec![],
    }
}

impl Diff {
    pub(super) fn wants(mut self, kind: &'static str, reason: &'static str) -> Diff {
        self.want.push((kind, reason));
        self
    }
}

pub(super) fn check_differences(d: Diff) {
    let by_case = |x: Option<i64>| x.map(|a| HashMap::from([(1, (a, 2))])).unwrap_or_default();
    let (this, prev) = (by_case(d.this), by_case(d.prev));
    let load = cases_to_load(&this, &prev, &d.inserted);
    let input = DifferenceInput {
        month: MONTH.into(),
        this,
        prev,
        prev_run: d.prev_run,
        cases: d
            .facts
            .into_iter()
            .filter(|_| load.contains_key(&1))
            .map(|f| (1, f))
            .collect(),
        inserted: d.inserted,
    };
    let got: Vec<(String, String)> = differences(&input)
        .into_iter()
        .map(|x| (x.kind, x.reason))
        .collect();
    let want: Vec<(String, String)> = d
        .want
        .iter()
        .map(|(k, r)| (k.to_string(), r.to_string()))
        .collect();
    assert_eq!(got, want, "{}", d.name);
}

#[test]
fn every_difference_has_its_reason() {
    let exit = |grace: Option<u32>, reason: &str| CaseFacts {
        pay_until: Some("2023-04".into()),
        grace_months: grace,
        exit_decided_on: day(2022, 10, 8),
        exit_reason: Some(reason.into()),
        exit_note: Some("外出务工".into()),
        ..facts("2022-01")
    };
    let step = |action: &str| {
        CaseFacts {
        amount_step: Some((
            action.into(),
            r#"{"date": "2023-04-12", "summary": "减少 1 人", "from_month": "2023-05", "amount": "400.00"}"#.into(),
        )),
        ..facts("2022-01")
    }
    };
    let cases = vec![
        Diff {
            inserted: vec![paid("back_pay", "2023-03", 50_000), paid("back_pay", "2023-04", 50_000), paid("regular", MONTH, 50_000)],
            ..diff("late approval with back pay", None, Some(50_000), facts("2023-03"))
        }
        .wants("new", "2023-04-20 审批同意，自 2023-03 起享受；起始发放月早于本月 2023-05，本月补发 2 个月")
        .wants("back_pay", "2023-04-20 审批同意，自 2023-03 起享受，起始发放月早于本月 2023-05：补发 2023-03–2023-04 共 2 个月，合计 1000.00 元"),
        diff("new from its month", None, Some(50_000), facts(MONTH)).wants("new", "2023-04-20 审批同意，自 2023-05 起发放"),
        Diff { prev_run: false, ..diff("first run in this system", None, Some(50_000), facts("2022-01")) }
            .wants("new", "本系统首次发放（2022-01 起享受）"),
        diff("resumed", None, Some(50_000), facts("2022-01")).wants("new", "上月未发放，本月恢复发放"),
        diff("渐退期 end", Some(50_000), None, exit(Some(6), "work_income"))
            .wants("stopped", "渐退期结束：2022-10-08 决定退出（就业后收入超过标准），渐退期 6 个月，发放至 2023-04"),
        diff("exit", Some(50_000), None, exit(None, "voluntary")).wants("stopped", "2022-10-08 决定退出（主动退出）：外出务工，发放至 2023-04"),
        diff("exit for another reason", Some(50_000), None, exit(Some(0), "death")).wants("stopped", "2022-10-08 决定退出（其他原因）：外出务工，发放至 2023-04"),
        diff("no amount this month", Some(50_000), None, facts("2022-01")).wants("stopped", "本月无应发金额"),
        diff("change recorded", Some(50_000), Some(40_000), step("record_change")).wants("changed", "2023-04-12 变更：减少 1 人，2023-05 起每月 400.00 元"),
        diff("other amount change", Some(50_000), Some(40_000), step("import")).wants("changed", "核定金额变化"),
        diff("same amount: no difference", Some(50_000), Some(50_000), facts("2022-01")),
        Diff { facts: None, ..diff("a case not found is left out", None, Some(50_000), facts("2022-01")) },
        Diff {
            inserted: vec![Payment {
                kind: "adjustment".into(),
                source_kind: "adjustment".into(),
                source_id: 4,
                note: "补 3 月少发".into(),
                ..paid("adjustment", MONTH, 12_300)
            }],
            ..diff("adjustment", Some(50_000), Some(50_000), facts("2022-01"))
        }
        .wants("adjustment", "调整（2023-05）：补 3 月少发"),
        Diff {
            inserted: vec![Payment {
                source_kind: "payment".into(),
                source_id: 99,
                note: "重发 2023-04 发放失败的按月发放：账户已销户".into(),
                ..paid("resend", "2023-04", 50_000)
            }],
            ..diff("resend", Some(50_000), Some(50_000), facts("2022-01"))
        }
        .wants("resend", "重发 2023-04 发放失败的按月发放：账户已销户"),
    ];
    for d in cases {
        check_differences(d);
    }
}

#[test]
fn a_difference_carries_its_amounts_and_key() {
    let input = DifferenceInput {
        month: MONTH.into(),
        this: HashMap::from([(1, (40_000, 2))]),
        prev: HashMap::from([(1, (50_000, 2))]),
        prev_run: true,
        cases: HashMap::from([(1, facts("2022-01"))]),
        inserted: vec![],
    };
    let d = &differences(&input)[0];
    assert_eq!(
        (d.key.as_str(), d.case_id, d.household_id, d.township_id),
        ("case:1", Some(1), 1, 2)
    );
    assert_eq!((d.old_fen, d.new_fen), (50_000, 40_000));
}

#[test]
fn the_amount_step_is_loaded_only_for_a_changed_amount() {
    let this = HashMap::from([(1, (1, 1)), (2, (2, 1)), (3, (3, 1))]);
    let prev = HashMap::from([(2, (2, 1)), (3, (4, 1)), (4, (4, 1))]);
    let back = Payment {
        kind: "back_pay".into(),
        source_id: 5,
        ..Payment::default()
    };
    let got: Vec<(i64, bool)> = cases_to_load(&this, &prev, &[back]).into_iter().collect();
    assert_eq!(got, [(1, false), (3, true), (4, false), (5, false)]);
}

#[test]
fn every_kind_has_one_code_and_label() {
    for k in PaymentKind::ALL {
        assert_eq!(PaymentKind::from_code(k.code()), Some(k));
        assert_eq!(kind_label(k.code()), k.label());
    }
    for k in DifferenceKind::ALL {
        assert_eq!(DifferenceKind::from_code(k.code()), Some(k));
        assert_eq!(difference_label(k.code()), k.label());
    }
    assert_eq!(
        (kind_label("x"), difference_label("x"), status_label("x")),
        ("—", "—", "—")
    );
    assert_eq!(status_label("failed"), "发放失败");
}
