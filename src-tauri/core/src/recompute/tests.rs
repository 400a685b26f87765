//! Tables for 调标: a raise, a lowering, a case unchanged, 特困, 分类施保, a 渐退期, an amount that
//! would fall to 0, a later amount, and the back pay of months already paid.

use chrono::NaiveDate;

use super::*;
use crate::idcard::Sex;
use crate::rules::{
    demo_rows, Area, Assets, IncomeItem, IncomeKind, LabourCapacity, Member, Period, Scope,
    SelfCare, SelfCareFacts,
};

fn month(s: &str) -> Month {
    Month::parse(s).expect("a test month")
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a test date")
}

/// The example county (urban 低保 871, rural 660 from 2023) with `changes` from `date`.
fn rows_with(date: &str, changes: &[(&str, Scope, &str)]) -> Vec<StandardRow> {
    let mut rows = demo_rows();
    for (key, scope, value) in changes {
        rows.push(StandardRow {
            key: (*key).to_owned(),
            scope: *scope,
            effective_from: day(date),
            value: (*value).to_owned(),
        });
    }
    rows
}

fn member(id: i64, birth: &str) -> Member {
    Member {
        person_id: id,
        name: format!("成员{id}"),
        birth_date: day(birth),
        sex: Sex::Male,
        disability_type: None,
        disability_grade: None,
        serious_illness: None,
        labour_capacity: LabourCapacity::Lost,
        self_care: SelfCareFacts::Level(SelfCare::Able),
        student: None,
        employment: None,
        covered: true,
        able_supporter: false,
    }
}

/// A household of `births`, with a monthly income of `income_fen` (other, not earned).
fn household(area: Area, births: &[&str], income_fen: i64) -> rules::Household {
    let members: Vec<Member> = (1..).zip(births).map(|(id, b)| member(id, b)).collect();
    let incomes = (income_fen > 0)
        .then(|| IncomeItem {
            person_id: Some(1),
            kind: IncomeKind::Other,
            description: "其他收入".into(),
            amount_fen: income_fen,
            period: Period::Monthly,
            exempt_reason: None,
            earned: false,
        })
        .into_iter()
        .collect();
    rules::Household {
        area,
        members,
        incomes,
        expenditures: Vec::new(),
        assets: Assets::default(),
    }
}

/// A case of `household`, paid from 2024-01 at `amount_fen` for its members.
fn case(id: i64, programme: Programme, household: rules::Household, amount_fen: i64) -> OpenCase {
    let persons = household.members.len() as u32;
    OpenCase {
        case_id: id,
        number: format!("DB-2024-{id:04}"),
        programme,
        head_name: format!("户主{id}"),
        township_id: 1,
        phasing_out: false,
        centralised: false,
        pay_from: month("2024-01"),
        household,
        amounts: vec![Dated {
            from: month("2024-01"),
            amount_fen,
            persons,
        }],
    }
}

/// What the rules give `c` under the example county's standards in 2024 (the amount in force).
fn approved(c: OpenCase) -> OpenCase {
    let st = Standards::as_of(&demo_rows(), day("2024-01-01"));
    let fen = outcome(&st, &c).unwrap().amount_fen;
    let mut c = c;
    c.amounts[0].amount_fen = fen;
    c
}

const RAISE: (&str, Scope, &str) = ("dibao.standard", Scope::Urban, "92000");

#[test]
fn a_raise_of_the_urban_standard_changes_urban_cases_only() {
    let rows = rows_with("2026-10-01", &[RAISE]);
    let urban = approved(case(
        1,
        Programme::Dibao,
        household(Area::Urban, &["1975-01-01", "1978-01-01"], 100_000),
        0,
    ));
    let rural = approved(case(
        2,
        Programme::Dibao,
        household(Area::Rural, &["1975-01-01"], 20_000),
        0,
    ));
    let r = recompute(&rows, month("2026-10"), vec![urban, rural]).unwrap();
    assert_eq!(r.unchanged, 1, "the rural case stays");
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    let [c] = &r.changes[..] else {
        panic!("one change: {:?}", r.changes.len())
    };
    // (871 × 2 − 1,000) → (920 × 2 − 1,000).
    assert_eq!((c.old_fen, c.new_fen), (74_200, 84_000));
    assert_eq!(c.reasons, vec!["城市低保标准 871 → 920 元".to_owned()]);
    assert_eq!(c.from, month("2026-10"));
    assert_eq!(c.persons, 2);
    assert!(c.trail.texts().any(|t| t.contains("920")), "{:?}", c.trail);
}

#[test]
fn a_lowering_lowers_and_a_zero_amount_is_left_to_the_exit_procedure() {
    let rows = rows_with("2026-10-01", &[("dibao.standard", Scope::Urban, "80000")]);
    let lowered = approved(case(
        1,
        Programme::Dibao,
        household(Area::Urban, &["1975-01-01"], 20_000),
        0,
    ));
    // Income 850 yuan: under 871, not under 800.
    let gone = approved(case(
        2,
        Programme::Dibao,
        household(Area::Urban, &["1975-01-01"], 85_000),
        0,
    ));
    let r = recompute(&rows, month("2026-10"), vec![lowered, gone]).unwrap();
    let [c] = &r.changes[..] else { panic!() };
    assert_eq!((c.old_fen, c.new_fen), (67_100, 60_000));
    assert_eq!(c.reasons, vec!["城市低保标准 871 → 800 元".to_owned()]);
    assert_eq!(r.skipped.len(), 1);
    assert_eq!(r.skipped[0].case_id, 2);
    assert!(
        r.skipped[0].why.contains("按退出程序办理"),
        "{}",
        r.skipped[0].why
    );
}

#[test]
fn tekun_follows_its_basic_living_standard_not_the_dibao_one() {
    let t = || {
        approved(case(
            1,
            Programme::Tekun,
            household(Area::Urban, &["1950-01-01"], 0),
            0,
        ))
    };
    // The example county publishes a fixed basic standard: a 低保 raise leaves 特困 as it is.
    let r = recompute(
        &rows_with("2026-10-01", &[RAISE]),
        month("2026-10"),
        vec![t()],
    )
    .unwrap();
    assert_eq!((r.changes.len(), r.unchanged), (0, 1));
    let rows = rows_with(
        "2026-10-01",
        &[("tekun.basic.amount", Scope::Urban, "130000")],
    );
    let r = recompute(&rows, month("2026-10"), vec![t()]).unwrap();
    let [c] = &r.changes[..] else { panic!() };
    assert_eq!(c.new_fen - c.old_fen, 8_000);
    assert_eq!(c.programme, Programme::Tekun);
    assert!(
        c.reasons.iter().any(|r| r.ends_with("1220 → 1300 元")),
        "{:?}",
        c.reasons
    );
}

#[test]
fn classified_uplift_per_person_follows_the_standard() {
    let rows = rows_with("2026-10-01", &[RAISE]);
    // One member aged over 60 with no income: 补差 920 plus 5 % of the standard.
    let old = approved(case(
        1,
        Programme::Dibao,
        household(Area::Urban, &["1950-01-01"], 0),
        0,
    ));
    let r = recompute(&rows, month("2026-10"), vec![old]).unwrap();
    let [c] = &r.changes[..] else { panic!() };
    assert_eq!((c.old_fen, c.new_fen), (91_455, 96_600));
}

#[test]
fn phasing_out_and_later_amounts_are_skipped_and_unchanged_counted() {
    let rows = rows_with("2026-10-01", &[RAISE]);
    let mut phasing = approved(case(
        1,
        Programme::Dibao,
        household(Area::Urban, &["1975-01-01"], 20_000),
        0,
    ));
    phasing.phasing_out = true;
    let mut later = approved(case(
        2,
        Programme::Dibao,
        household(Area::Urban, &["1975-01-01"], 20_000),
        0,
    ));
    later.amounts.push(Dated {
        from: month("2026-12"),
        amount_fen: 50_000,
        persons: 1,
    });
    // The amount in force is already what the new standard gives: unchanged.
    let mut same = case(
        3,
        Programme::Dibao,
        household(Area::Urban, &["1975-01-01"], 20_000),
        72_000,
    );
    same.pay_from = month("2026-11");
    same.amounts[0].from = month("2026-11");
    let r = recompute(&rows, month("2026-10"), vec![phasing, later, same]).unwrap();
    assert!(r.changes.is_empty());
    assert_eq!(r.unchanged, 1);
    let why: Vec<(i64, &str)> = r
        .skipped
        .iter()
        .map(|s| (s.case_id, s.why.as_str()))
        .collect();
    assert_eq!(why.len(), 2);
    assert!(why[0].1.contains("渐退期"), "{why:?}");
    assert!(why[1].1.contains("已有 2026-12 起的核定金额"), "{why:?}");
}

#[test]
fn a_missing_standard_is_the_error_once() {
    let rows: Vec<StandardRow> = Vec::new();
    let c = case(
        1,
        Programme::Dibao,
        household(Area::Urban, &["1975-01-01"], 0),
        87_100,
    );
    let e = recompute(&rows, month("2026-10"), vec![c]).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("standards"));
}

#[test]
fn back_pay_is_the_positive_difference_of_months_paid() {
    let rows = rows_with("2026-09-01", &[RAISE]);
    let c = approved(case(
        1,
        Programme::Dibao,
        household(Area::Urban, &["1975-01-01"], 20_000),
        0,
    ));
    let amounts = c.amounts.clone();
    let r = recompute(&rows, month("2026-09"), vec![c]).unwrap();
    let change = &r.changes[0];
    let paid = [
        month("2026-08"),
        month("2026-09"),
        month("2026-10"),
        month("2026-10"),
    ];
    let due = back_pay(change, &amounts, &paid);
    assert_eq!(
        due,
        vec![(month("2026-09"), 4_900), (month("2026-10"), 4_900)]
    );
    assert_eq!(
        back_pay_note(&due, "城市低保标准 871 → 920 元"),
        "调标补发：2026-09 至 2026-10 共 2 个月，合计 98.00 元（城市低保标准 871 → 920 元）"
    );
    // A lowering pays nothing back and recovers nothing.
    let mut lower = change.clone();
    lower.new_fen = 60_000;
    assert!(back_pay(&lower, &amounts, &paid).is_empty());
}

#[test]
fn a_second_person_confirms_and_a_changed_case_is_skipped() {
    assert!(check_confirmer(4, 7).is_ok());
    let e = check_confirmer(4, 4).unwrap_err();
    assert_eq!(e.code, crate::error::ErrorCode::Forbidden);
    assert!(
        e.message.contains("提交人以外的另一位县级审批人"),
        "{}",
        e.message
    );
    let table = [
        (10, Some(10), true, None),
        (10, Some(12), true, Some("新的办理步骤")),
        (10, Some(10), false, Some("已不在保障中")),
    ];
    for (frozen, last, enrolled, want) in table {
        let got = still_as_submitted(frozen, last, enrolled);
        match want {
            None => assert_eq!(got, None),
            Some(w) => assert!(got.is_some_and(|g| g.contains(w)), "{got:?}"),
        }
    }
}

#[test]
fn a_standard_back_dated_into_paid_months_warns_with_the_months() {
    let runs = [
        "2026-11".to_owned(),
        "2026-09".to_owned(),
        "2026-10".to_owned(),
    ];
    assert_eq!(backdating_warning(month("2026-12"), &runs), None);
    let w = backdating_warning(month("2026-10"), &runs).unwrap();
    assert!(w.contains("2026-10 至 2026-11 已发放（共 2 个月）"), "{w}");
    assert!(w.contains("「调标」"), "{w}");
    let w = backdating_warning(month("2026-11"), &runs).unwrap();
    assert!(w.contains("而 2026-11 已发放（共 1 个月）"), "{w}");
}

#[test]
fn a_family_changed_since_its_amount_was_set_is_named_beside_the_standard() {
    let rows = rows_with("2026-10-01", &[RAISE]);
    // Set at 671 (income 200) but the income recorded now is 300: 871 − 300 = 571 under the old
    // standard, 920 − 300 = 620 under the new.
    let c = case(
        1,
        Programme::Dibao,
        household(Area::Urban, &["1975-01-01"], 30_000),
        67_100,
    );
    let r = recompute(&rows, month("2026-10"), vec![c]).unwrap();
    let [c] = &r.changes[..] else { panic!() };
    assert_eq!((c.old_fen, c.new_fen), (67_100, 62_000));
    assert_eq!(
        c.reasons,
        vec![
            "城市低保标准 871 → 920 元".to_owned(),
            "家庭情况与核定时不同（按原标准现应为 571.00 元）".to_owned()
        ]
    );
    // With no standard changed, the family alone is the reason.
    let c = case(
        2,
        Programme::Dibao,
        household(Area::Urban, &["1975-01-01"], 30_000),
        67_100,
    );
    let r = recompute(&demo_rows(), month("2026-10"), vec![c]).unwrap();
    assert_eq!(
        r.changes[0].reasons,
        vec!["家庭情况已变化，按现有成员和收入重算".to_owned()]
    );
}
