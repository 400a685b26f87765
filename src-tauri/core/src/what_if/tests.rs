//! Tables for the what-if: an enrolled case compared on what it is paid now (not on what the
//! rules gave under the old standard), a 渐退期 kept, a case falling to 0, a case not yet paid;
//! households without a case that newly qualify, qualify already, or stay out; the totals.

use chrono::NaiveDate;

use super::*;
use crate::idcard::Sex;
use crate::recompute::Dated;
use crate::rules::{
    demo_rows, Area, Assets, IncomeItem, IncomeKind, LabourCapacity, Member, Period, Scope,
    SelfCare, SelfCareFacts, StandardRow,
};

fn month(s: &str) -> Month {
    Month::parse(s).expect("a test month")
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a test date")
}

/// The example county's standards in force on 2024-01-01, and with the rural 低保 standard at
/// `rural_fen` from 2024-01-01.
fn standards(rural_fen: &str) -> (Standards, Standards) {
    let rows = demo_rows();
    let mut proposed = rows.clone();
    proposed.push(StandardRow {
        key: "dibao.standard".into(),
        scope: Scope::Rural,
        effective_from: day("2024-01-01"),
        value: rural_fen.into(),
    });
    (
        Standards::as_of(&rows, day("2024-01-01")),
        Standards::as_of(&proposed, day("2024-01-01")),
    )
}

/// A rural household of working-age adults (born 1975) with `income_fen` a month.
fn household(persons: i64, income_fen: i64) -> rules::Household {
    let members = (1..=persons)
        .map(|id| Member {
            person_id: id,
            name: format!("成员{id}"),
            birth_date: day("1975-01-01"),
            sex: Sex::Male,
            disability_type: None,
            disability_grade: None,
            serious_illness: None,
            labour_capacity: LabourCapacity::Full,
            self_care: SelfCareFacts::Level(SelfCare::Able),
            student: None,
            employment: None,
            covered: true,
            able_supporter: false,
        })
        .collect();
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
        area: Area::Rural,
        members,
        incomes,
        expenditures: Vec::new(),
        assets: Assets::default(),
    }
}

fn place(id: i64, township: i64) -> Place {
    Place {
        household_id: id,
        township_id: township,
        township_name: format!("乡镇{township}"),
        village_name: "李庄村".into(),
    }
}

/// An open 低保 case paid `paid_fen` from 2023-06.
fn case(id: i64, h: rules::Household, paid_fen: i64) -> OpenCase {
    OpenCase {
        case_id: id,
        number: format!("DB-2023-{id:04}"),
        programme: Programme::Dibao,
        head_name: format!("户主{id}"),
        township_id: 1,
        phasing_out: false,
        centralised: false,
        pay_from: month("2023-06"),
        household: h,
        amounts: vec![Dated {
            from: month("2023-06"),
            amount_fen: paid_fen,
            persons: 1,
        }],
    }
}

#[test]
fn enrolled_cases_compare_what_they_are_paid_now_with_the_proposal() {
    // Rural 660 → 700; one person with 300 a month: 360 under 660, 400 under 700.
    let (now, proposed) = standards("70000");
    let fits = case(1, household(1, 30_000), 36_000);
    // Paid 350 (set before a change in the household): compared from 350, the reason says so.
    let drifted = case(2, household(1, 30_000), 35_000);
    let mut phasing = case(3, household(1, 30_000), 20_000);
    phasing.phasing_out = true;
    // Income 690: qualifies under 700 only by 10 yuan; lowered to 650 it would get 0.
    let later = {
        let mut c = case(4, household(1, 30_000), 36_000);
        c.pay_from = month("2024-03");
        c
    };
    let cases = vec![
        (fits, place(11, 1)),
        (drifted, place(12, 1)),
        (phasing, place(13, 2)),
        (later, place(14, 2)),
    ];
    let (lines, left) = enrolled(&now, &proposed, month("2024-01"), cases).unwrap();
    let got: Vec<(i64, i64, i64)> = lines
        .iter()
        .map(|l| (l.case_id, l.now_fen, l.proposed_fen))
        .collect();
    assert_eq!(
        got,
        [
            (1, 36_000, 40_000),
            (2, 35_000, 40_000),
            (3, 20_000, 20_000)
        ]
    );
    assert_eq!(lines[0].reasons, ["农村低保标准 660 → 700 元"]);
    assert_eq!(
        lines[1].reasons,
        [
            "农村低保标准 660 → 700 元",
            "家庭情况与核定时不同（按现行标准现应为 360.00 元）"
        ]
    );
    assert!(lines[2].reasons.is_empty() && lines[2].phasing_out);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].why, "2024-03 起发放，2024-01 尚未发放");

    // Lowered to 250: the case with 300 of income would get 0 and no longer qualify.
    let (now, lowered) = standards("25000");
    let (lines, _) = enrolled(
        &now,
        &lowered,
        month("2024-01"),
        vec![(case(1, household(1, 30_000), 36_000), place(11, 1))],
    )
    .unwrap();
    assert_eq!(lines[0].proposed_fen, 0);
    assert_eq!(lines[0].reasons[0], "按测算标准计算为 0 元，将不再符合条件");
}

#[test]
fn households_without_a_case_are_listed_only_when_the_proposal_newly_qualifies_them() {
    let (now, proposed) = standards("70000");
    let candidate = |id: i64, h: rules::Household, pending: Option<&str>| Candidate {
        place: place(id, 1),
        household: h,
        pending: pending.map(str::to_owned),
    };
    let out = newly(
        &now,
        &proposed,
        vec![
            // 680 a month: above 660, below 700 → newly qualifies for 20 yuan.
            candidate(1, household(1, 68_000), Some("DB-2024-0009")),
            // 300 a month: qualifies under both → counted as already eligible.
            candidate(2, household(1, 30_000), None),
            // 2,000 a month: qualifies under neither.
            candidate(3, household(1, 200_000), None),
        ],
    )
    .unwrap();
    assert_eq!(out.already, 1);
    assert_eq!(out.failed, 0);
    let [n] = &out.newly[..] else {
        panic!("one household newly qualifies: {:?}", out.newly)
    };
    assert_eq!(
        (
            n.place.household_id,
            n.programme,
            n.form,
            n.persons,
            n.amount_fen
        ),
        (1, Programme::Dibao, "低保", 1, 2_000)
    );
    assert_eq!(n.pending.as_deref(), Some("DB-2024-0009"));
    assert!(!n.reasons.is_empty());
}

#[test]
fn totals_add_up_by_programme_and_township_then_the_county() {
    let line = |id: i64, township: i64, now_fen: i64, proposed_fen: i64| CaseLine {
        case_id: id,
        number: format!("DB-{id}"),
        programme: Programme::Dibao,
        head_name: String::new(),
        place: place(id, township),
        now_fen,
        proposed_fen,
        reasons: Vec::new(),
        phasing_out: false,
    };
    let mut tekun = line(4, 1, 100_000, 100_000);
    tekun.programme = Programme::Tekun;
    let lines = [
        line(1, 2, 36_000, 40_000),
        line(2, 1, 10_000, 14_000),
        line(3, 1, 5_000, 5_000),
        tekun,
    ];
    let newly = [Newly {
        place: place(9, 2),
        head_name: String::new(),
        programme: Programme::Dibao,
        form: "低保",
        persons: 1,
        amount_fen: 2_000,
        pending: None,
        reasons: Vec::new(),
    }];
    let t = totals(&lines, &newly);
    let got: Vec<(Option<Programme>, &str, usize, usize, i64, i64, usize, i64)> = t
        .iter()
        .map(|t| {
            (
                t.programme,
                t.township_name.as_str(),
                t.cases,
                t.changed,
                t.now_fen,
                t.proposed_fen,
                t.newly,
                t.newly_fen,
            )
        })
        .collect();
    let d = Some(Programme::Dibao);
    let k = Some(Programme::Tekun);
    assert_eq!(
        got,
        [
            (d, "乡镇1", 2, 1, 15_000, 19_000, 0, 0),
            (d, "乡镇2", 1, 1, 36_000, 40_000, 1, 2_000),
            (d, "全县", 3, 2, 51_000, 59_000, 1, 2_000),
            (k, "乡镇1", 1, 0, 100_000, 100_000, 0, 0),
            (k, "全县", 1, 0, 100_000, 100_000, 0, 0),
            (None, "全县合计", 4, 2, 151_000, 159_000, 1, 2_000),
        ]
    );
}
