//! Plausible incomes, rigid expenditure and assets for demo households: most families above the
//! 低保 line, a fair share below it, so every screen and rule has something to show.

use rand::Rng;

use super::Gen;
use crate::registry::{age_on, PersonFacts};
use crate::store::finances::{Assets, Expenditure, Finances, Income};

impl Gen {
    /// A statement for a household whose members (in order) have the given person ids.
    pub(super) fn finances(
        &mut self,
        people: &[(String, PersonFacts)],
        ids: &[i64],
        urban: bool,
    ) -> Finances {
        // About one household in three is poor: low earnings, no savings.
        let poor = self.rng.gen_bool(0.35);
        let mut incomes = Vec::new();
        let mut expenditures = Vec::new();
        for ((_, p), &person_id) in people.iter().zip(ids) {
            let age = age_on(p.birth_date, self.today);
            let scale = if poor { 0.35 } else { 1.8 };
            let monthly = |lo: i64, hi: i64, rng: &mut rand::rngs::SmallRng| -> i64 {
                ((rng.gen_range(lo..=hi) as f64 * scale) as i64 / 10) * 1000
            };
            let item = |kind: &str, period: &str, amount_fen: i64, note: &str| Income {
                person_id,
                kind: kind.to_owned(),
                period: period.to_owned(),
                amount_fen,
                exempt: false,
                exempt_reason: None,
                note: Some(note.to_owned()),
            };
            match p.employment.as_deref() {
                Some("employed") => incomes.push(item(
                    "wage",
                    "monthly",
                    monthly(1800, 4200, &mut self.rng),
                    "务工工资",
                )),
                Some("flexible") => incomes.push(item(
                    "wage",
                    "monthly",
                    monthly(800, 2400, &mut self.rng),
                    "灵活就业收入",
                )),
                Some("self_employed") => incomes.push(item(
                    "business",
                    "monthly",
                    monthly(1000, 3500, &mut self.rng),
                    "个体经营净收入",
                )),
                Some("farming") => incomes.push(item(
                    "business",
                    "annual",
                    monthly(6000, 20000, &mut self.rng),
                    "种植养殖净收入",
                )),
                Some("retired") => incomes.push(item(
                    "transfer",
                    "monthly",
                    monthly(1500, 3500, &mut self.rng),
                    "退休金",
                )),
                _ => {}
            }
            if age >= 60 && p.employment.as_deref() != Some("retired") {
                let pension = if urban {
                    self.rng.gen_range(180..=400)
                } else {
                    self.rng.gen_range(140..=260)
                };
                incomes.push(item(
                    "transfer",
                    "monthly",
                    pension * 100,
                    "城乡居民基本养老金",
                ));
            }
            if self.rng.gen_bool(0.03) {
                incomes.push(Income {
                    exempt: true,
                    exempt_reason: Some("计划生育奖励扶助金".into()),
                    ..item("transfer", "annual", 96000, "计划生育奖励扶助金")
                });
            }
            if p.serious_illness.is_some() {
                expenditures.push(Expenditure {
                    person_id: Some(person_id),
                    kind: "medical".into(),
                    annual_fen: self.rng.gen_range(30..=300) * 10_000,
                    note: p.serious_illness.clone(),
                });
            }
            if matches!(p.disability_grade, Some(1 | 2)) && self.rng.gen_bool(0.5) {
                expenditures.push(Expenditure {
                    person_id: Some(person_id),
                    kind: "disability".into(),
                    annual_fen: self.rng.gen_range(20..=120) * 10_000,
                    note: Some("康复护理".into()),
                });
            }
            if matches!(p.student.as_deref(), Some("undergraduate" | "vocational")) {
                expenditures.push(Expenditure {
                    person_id: Some(person_id),
                    kind: "schooling".into(),
                    annual_fen: self.rng.gen_range(40..=120) * 10_000,
                    note: Some("学费".into()),
                });
            }
        }
        let deposits_fen = if poor {
            self.rng.gen_range(0..=8) * 100_000
        } else {
            self.rng.gen_range(0..=80) * 100_000
        };
        let vehicles = if !poor && self.rng.gen_bool(0.2) {
            1
        } else {
            0
        };
        Finances {
            incomes,
            expenditures,
            assets: Assets {
                deposits_fen,
                vehicles,
                extra_housing: 0,
                note: None,
            },
        }
    }
}
