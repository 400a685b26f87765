//! Property tests: amounts are never negative, and more countable income never raises 低保.

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::*;

const DATE: &str = "2023-06-15";

fn arb_member(id: i64) -> impl Strategy<Value = Member> {
    (
        1940i32..=2020,
        any::<bool>(),
        any::<bool>(),
        prop::option::of(1i64..=4),
    )
        .prop_map(move |(year, covered, ill, grade)| Member {
            covered: covered || id == 1,
            serious_illness: ill.then(|| "重病".to_owned()),
            disability_type: grade.map(|_| "physical".to_owned()),
            disability_grade: grade,
            ..adult(id, "成员", &format!("{year}-07-01"))
        })
}

fn arb_income(members: i64) -> impl Strategy<Value = IncomeItem> {
    (
        1..=members,
        0i64..=2_000_000,
        any::<bool>(),
        any::<bool>(),
        prop::sample::select(vec![None, Some("见义勇为奖励".to_owned())]),
    )
        .prop_map(|(person, fen, monthly, earned, exempt_reason)| IncomeItem {
            earned,
            exempt_reason,
            ..income(
                person,
                IncomeKind::Wage,
                fen,
                if monthly {
                    Period::Monthly
                } else {
                    Period::Annual
                },
            )
        })
}

fn arb_household() -> impl Strategy<Value = Household> {
    (1i64..=5).prop_flat_map(|n| {
        let members: Vec<_> = (1..=n).map(arb_member).collect();
        (
            members,
            prop::collection::vec(arb_income(n), 0..6),
            prop::collection::vec((1..=n, 0i64..=3_000_000), 0..3),
            any::<bool>(),
        )
            .prop_map(|(members, incomes, rigid_items, urban)| Household {
                area: if urban { Area::Urban } else { Area::Rural },
                members,
                incomes,
                expenditures: rigid_items
                    .into_iter()
                    .map(|(p, fen)| rigid(p, ExpenditureKind::Medical, fen))
                    .collect(),
                assets: Assets::default(),
            })
    })
}

/// Standards with the county's choices varied: deduction mode, 分档, 分类施保, rounding.
fn arb_standards() -> impl Strategy<Value = Standards> {
    (
        prop::sample::select(vec!["income", "standard"]),
        prop::sample::select(vec!["off", "tiers"]),
        prop::sample::select(vec!["max", "sum"]),
        prop::sample::select(vec!["fen", "yuan_round", "yuan_ceil"]),
        prop::sample::select(vec!["on", "off"]),
    )
        .prop_map(|(employment, tiers, combine, rounding, rigid)| {
            st_with(
                DATE,
                &[
                    ("dibao.employment_cost.mode", Scope::All, employment),
                    ("dibao.tier_mode", Scope::All, tiers),
                    ("dibao.uplift.combine", Scope::All, combine),
                    ("grant.rounding", Scope::All, rounding),
                    ("dibao.rigid_deduction", Scope::All, rigid),
                ],
            )
        })
}

proptest! {
    #[test]
    fn amounts_are_never_negative(h in arb_household(), st in arb_standards(), m in 0u32..=30) {
        prop_assert!(dibao(&st, &h).unwrap().amount_fen >= 0);
        prop_assert!(single_person(&st, &h, 1).unwrap().amount_fen >= 0);
        prop_assert!(tekun(&st, &h, CareSetting::Home).unwrap().amount_fen >= 0);
        let req = TempAidRequest {
            area: h.area,
            residence: None,
            kind: TempAidKind::Emergency,
            basis: TempAidBasis::Multiple(Decimal::new(i64::from(m), 1)),
        };
        prop_assert!(temp_aid(&st, &req).unwrap().amount_fen >= 0);
        let c = classify(&st, &h).unwrap();
        prop_assert!(!c.reasons.is_empty());
    }

    #[test]
    fn more_countable_income_never_raises_dibao(
        h in arb_household(),
        st in arb_standards(),
        pick in any::<prop::sample::Index>(),
        extra in 0i64..=500_000,
    ) {
        let before = dibao(&st, &h).unwrap().amount_fen;
        let mut richer = h.clone();
        if richer.incomes.is_empty() {
            richer.incomes.push(transfer(1, extra));
        } else {
            let i = pick.index(richer.incomes.len());
            richer.incomes[i].amount_fen += extra;
            richer.incomes[i].exempt_reason = None;
            // Un-exempting only adds countable income, never removes it.
        }
        let after = dibao(&st, &richer).unwrap().amount_fen;
        prop_assert!(after <= before, "before {before}, after {after}");
    }
}
