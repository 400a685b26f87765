//! Table tests of a stored household's engine facts: who counts on the day, which incomes.

use chrono::NaiveDate;

use super::engine_household;
use crate::idcard::Sex;
use crate::registry::PersonFacts;
use crate::rules::{Area, Period, SelfCare, SelfCareFacts};
use crate::store::finances::{Assets, Finances, Income};
use crate::store::registry::{Membership, Person};

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn member(person_id: i64, born: &str, self_care: &str) -> Membership {
    Membership {
        id: person_id,
        household_id: 1,
        person: Person {
            id: person_id,
            facts: PersonFacts {
                id_number: format!("{person_id}"),
                name: format!("成员{person_id}"),
                sex: Sex::Female,
                birth_date: day(born),
                disability_type: None,
                disability_grade: None,
                serious_illness: None,
                labour_capacity: "full".into(),
                self_care: self_care.into(),
                student: None,
                employment: None,
            },
            death_date: None,
        },
        relation: "head".into(),
        joined_on: day("2020-01-01"),
        left_on: None,
        left_reason: None,
    }
}

fn income(person_id: i64, period: &str, exempt: bool) -> Income {
    Income {
        person_id,
        kind: "wage".into(),
        period: period.into(),
        amount_fen: 10_000,
        exempt,
        exempt_reason: Some("见义勇为奖励".into()),
        note: None,
    }
}

/// (case, hukou, members' birth dates, incomes (person, period, exempt), on,
///  expected area, member ids, incomes kept as (person, annual?, exempt reason kept?)).
type Case = (
    &'static str,
    &'static str,
    &'static [(i64, &'static str)],
    &'static [(i64, &'static str, bool)],
    &'static str,
    Area,
    &'static [i64],
    &'static [(i64, bool, bool)],
);

#[test]
fn a_stored_household_in_the_engines_form() {
    let table: &[Case] = &[
        (
            "urban household, a monthly and an annual wage",
            "urban",
            &[(1, "1980-05-01"), (2, "2010-01-01")],
            &[(1, "monthly", false), (2, "annual", false)],
            "2026-11-01",
            Area::Urban,
            &[1, 2],
            &[(1, false, false), (2, true, false)],
        ),
        (
            "a child born after the day is not yet a member, nor is their income counted",
            "rural",
            &[(1, "1980-05-01"), (2, "2026-11-15")],
            &[(2, "monthly", false)],
            "2026-11-01",
            Area::Rural,
            &[1],
            &[],
        ),
        (
            "an exemption reason is kept only for an exempt income",
            "rural",
            &[(1, "1980-05-01")],
            &[(1, "monthly", true), (1, "monthly", false)],
            "2026-11-01",
            Area::Rural,
            &[1],
            &[(1, false, true), (1, false, false)],
        ),
        (
            "an unknown 户籍 counts as rural",
            "",
            &[(1, "1980-05-01")],
            &[],
            "2026-11-01",
            Area::Rural,
            &[1],
            &[],
        ),
    ];
    for (case, hukou, people, incomes, on, area, ids, kept) in table {
        let open = people
            .iter()
            .map(|(id, b)| member(*id, b, "self"))
            .collect();
        let fin = Finances {
            incomes: incomes
                .iter()
                .map(|(p, per, ex)| income(*p, per, *ex))
                .collect(),
            expenditures: vec![],
            assets: Assets::default(),
        };
        let h = engine_household(hukou, open, fin, day(on));
        assert_eq!(h.area, *area, "{case}");
        let got: Vec<i64> = h.members.iter().map(|m| m.person_id).collect();
        assert_eq!(&got, ids, "{case}");
        let got: Vec<(i64, bool, bool)> = h
            .incomes
            .iter()
            .map(|i| {
                (
                    i.person_id.unwrap(),
                    i.period == Period::Annual,
                    i.exempt_reason.is_some(),
                )
            })
            .collect();
        assert_eq!(&got, kept, "{case}");
    }
}

#[test]
fn an_unknown_self_care_code_counts_as_able() {
    let h = engine_household(
        "rural",
        vec![member(1, "1950-01-01", "?")],
        Finances::default(),
        day("2026-11-01"),
    );
    assert!(matches!(
        h.members[0].self_care,
        SelfCareFacts::Level(SelfCare::Able)
    ));
}
