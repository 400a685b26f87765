//! Counting a family's means: countable annual income (with its deductions) and the asset test.
//!
//! Everything is worked on the annual figure and kept exact; nothing here rounds. Each deduction is
//! made once: the rigid-expenditure deduction is a single sum taken off the family's income.

use rust_decimal::Decimal;

use super::facts::{Household, IncomeItem, Member, Period, RigidExpenditure};
use super::money::{fmt_dec, fmt_yuan, yuan};
use super::standards::Standards;
use super::trail::{LineKind, Trail};
use crate::error::CmdResult;

/// The people whose means are counted together, and their income and expenditure.
pub(crate) struct Unit<'a> {
    pub h: &'a Household,
    pub members: Vec<&'a Member>,
    pub incomes: Vec<&'a IncomeItem>,
    pub expenditures: Vec<&'a RigidExpenditure>,
}

impl<'a> Unit<'a> {
    /// The whole family.
    pub fn family(h: &'a Household) -> Unit<'a> {
        Unit {
            h,
            members: h.members.iter().collect(),
            incomes: h.incomes.iter().collect(),
            expenditures: h.expenditures.iter().collect(),
        }
    }

    /// One member alone, with only the income and expenditure that are theirs.
    pub fn alone(h: &'a Household, m: &'a Member) -> Unit<'a> {
        let mine = |id: Option<i64>| id == Some(m.person_id);
        Unit {
            h,
            members: vec![m],
            incomes: h.incomes.iter().filter(|i| mine(i.person_id)).collect(),
            expenditures: h
                .expenditures
                .iter()
                .filter(|e| mine(e.person_id))
                .collect(),
        }
    }

    pub fn size(&self) -> usize {
        self.members.len()
    }
}

pub(crate) fn twelve() -> Decimal {
    Decimal::from(12)
}

/// The unit's countable income for a year, never below zero. `standard` is the monthly 低保
/// standard in yuan (the employment-cost deduction may be reckoned on it).
pub(crate) fn countable_income(
    st: &Standards,
    unit: &Unit<'_>,
    standard: Decimal,
    trail: &mut Trail,
) -> CmdResult<Decimal> {
    let h = unit.h;
    let mut gross = Decimal::ZERO;
    // (earner, earned income in the year), in the order first seen.
    let mut earners: Vec<(Option<i64>, Decimal)> = Vec::new();
    for item in &unit.incomes {
        let annual_fen = match item.period {
            Period::Monthly => item.amount_fen * 12,
            Period::Annual => item.amount_fen,
        };
        let annual = yuan(annual_fen);
        let amount = match item.period {
            Period::Monthly => format!(
                "{} 元/月 × 12 = {} 元/年",
                fmt_yuan(item.amount_fen),
                fmt_yuan(annual_fen)
            ),
            Period::Annual => format!("{} 元/年", fmt_yuan(annual_fen)),
        };
        let what = format!(
            "{} {}“{}”",
            h.owner(item.person_id),
            item.kind.label(),
            item.description
        );
        match &item.exempt_reason {
            Some(reason) => trail.push(
                LineKind::Income,
                format!("不计入：{what} {amount}（{reason}）"),
                Some(annual_fen),
            ),
            None => {
                trail.push(
                    LineKind::Income,
                    format!("计入：{what} {amount}"),
                    Some(annual_fen),
                );
                gross += annual;
                if item.earned {
                    match earners.iter_mut().find(|(p, _)| *p == item.person_id) {
                        Some((_, sum)) => *sum += annual,
                        None => earners.push((item.person_id, annual)),
                    }
                }
            }
        }
    }
    trail.push(
        LineKind::Formula,
        format!("年收入合计：{} 元", fmt_dec(gross)),
        None,
    );

    let employment = employment_cost(st, unit, standard, &earners, trail)?;
    let rigid = rigid_expenditure(st, unit, trail)?;

    let net = gross - employment - rigid;
    let text = if employment.is_zero() && rigid.is_zero() {
        format!("年可计收入 = {} 元", fmt_dec(net))
    } else {
        format!(
            "年可计收入 = 年收入 {} − 就业成本 {} − 刚性支出 {} = {} 元",
            fmt_dec(gross),
            fmt_dec(employment),
            fmt_dec(rigid),
            fmt_dec(net)
        )
    };
    trail.push(LineKind::Formula, text, None);
    if net < Decimal::ZERO {
        trail.note("扣减后低于 0，按 0 计");
        return Ok(Decimal::ZERO);
    }
    Ok(net)
}

/// 就业成本扣减 for each working member, capped per member. `dibao.employment_cost.who` may
/// limit it to members registered as 务工/受雇 or 外出务工 (`migrant`); for a 外出务工 member
/// `dibao.employment_cost.migrant_basis` may reckon it on the urban standard of the place of work.
fn employment_cost(
    st: &Standards,
    unit: &Unit<'_>,
    standard: Decimal,
    earners: &[(Option<i64>, Decimal)],
    trail: &mut Trail,
) -> CmdResult<Decimal> {
    if earners.is_empty() {
        return Ok(Decimal::ZERO);
    }
    let mode = st.choice_on("dibao.employment_cost.mode", None, trail)?;
    let ratio = st.ratio_on("dibao.employment_cost.ratio", None, trail)?;
    let cap_multiple = st.ratio_on("dibao.employment_cost.cap", None, trail)?;
    let who_may = st.choice_on("dibao.employment_cost.who", None, trail)?;
    let cap = cap_multiple.of(standard * twelve());
    let job = |person: Option<i64>| {
        person
            .and_then(|id| unit.h.member(id))
            .and_then(|m| m.employment.as_deref())
    };
    let mut migrant_basis: Option<Option<Decimal>> = None;
    let mut total = Decimal::ZERO;
    for (person, earned) in earners {
        let who = unit.h.owner(*person);
        let migrant = job(*person) == Some("migrant");
        let eligible = match who_may.as_str() {
            "migrant" => migrant,
            "employed" => migrant || job(*person) == Some("employed"),
            _ => true,
        };
        if !eligible {
            let marked = if who_may == "migrant" {
                "外出务工"
            } else {
                "务工/受雇或外出务工"
            };
            trail.note(format!("就业成本扣减：{who} 未登记为{marked}，不扣减"));
            continue;
        }
        let work_place = if migrant {
            if migrant_basis.is_none() {
                let basis = st.choice_on("dibao.employment_cost.migrant_basis", None, trail)?;
                migrant_basis = Some(if basis == "work_place" {
                    Some(yuan(st.money_on(
                        "dibao.employment_cost.work_place_standard",
                        None,
                        "元/人·月",
                        trail,
                    )?))
                } else {
                    None
                });
            }
            migrant_basis.flatten()
        } else {
            None
        };
        let (raw, mut text) = if let Some(place) = work_place {
            let raw = ratio.of(place * twelve());
            let text = format!(
                "就业成本扣减：{who} 外出务工，按务工地城市低保标准 {} × {} × 12 = {} 元/年",
                fmt_dec(place),
                ratio,
                fmt_dec(raw)
            );
            (raw, text)
        } else if mode == "standard" {
            let raw = ratio.of(standard * twelve());
            let text = format!(
                "就业成本扣减：{who} 按低保标准 {} × {} × 12 = {} 元/年",
                fmt_dec(standard),
                ratio,
                fmt_dec(raw)
            );
            (raw, text)
        } else {
            let raw = ratio.of(*earned);
            let text = format!(
                "就业成本扣减：{who} 务工收入 {} × {} = {} 元/年",
                fmt_dec(*earned),
                ratio,
                fmt_dec(raw)
            );
            (raw, text)
        };
        let mut deducted = raw;
        if deducted > cap {
            deducted = cap;
            text += &format!(
                "，超过上限 {} 元/年（低保标准 × {} × 12），按上限扣减",
                fmt_dec(cap),
                cap_multiple
            );
        }
        if deducted > *earned {
            deducted = *earned;
            text += &format!("，不超过本人务工收入，按 {} 元扣减", fmt_dec(deducted));
        }
        trail.push(LineKind::Deduction, text, None);
        total += deducted;
    }
    Ok(total)
}

/// 刚性支出扣减: the year's rigid expenditures, summed and taken off once.
fn rigid_expenditure(st: &Standards, unit: &Unit<'_>, trail: &mut Trail) -> CmdResult<Decimal> {
    if unit.expenditures.is_empty() {
        return Ok(Decimal::ZERO);
    }
    let on = st.choice_on("dibao.rigid_deduction", None, trail)? == "on";
    let mut total = Decimal::ZERO;
    for e in &unit.expenditures {
        let text = format!(
            "刚性支出：{} {}“{}” {} 元/年",
            unit.h.owner(e.person_id),
            e.kind.label(),
            e.description,
            fmt_yuan(e.annual_fen)
        );
        let kind = if on {
            LineKind::Deduction
        } else {
            LineKind::Note
        };
        trail.push(kind, text, Some(e.annual_fen));
        total += yuan(e.annual_fen);
    }
    if !on {
        trail.note("本县不扣减刚性支出");
        return Ok(Decimal::ZERO);
    }
    trail.push(
        LineKind::Deduction,
        format!("刚性支出扣减合计 {} 元/年（只扣减一次）", fmt_dec(total)),
        None,
    );
    Ok(total)
}

/// The asset test for the unit; returns the limits broken, in Chinese (empty when passed).
pub(crate) fn asset_test(
    st: &Standards,
    unit: &Unit<'_>,
    standard: Decimal,
    trail: &mut Trail,
) -> CmdResult<Vec<String>> {
    let assets = unit.h.assets;
    let size = Decimal::from(unit.size() as u64);
    let mut broken = Vec::new();
    let multiple = st.ratio_on("asset.deposit_multiple", None, trail)?;
    let limit = multiple.of(standard * twelve());
    let deposits = yuan(assets.deposits_fen);
    let within = deposits <= limit * size;
    let per_capita = deposits / size;
    trail.push(
        LineKind::Formula,
        format!(
            "人均存款 {} ÷ {} = {} 元，上限 {} × 12 × {} = {} 元：{}",
            fmt_yuan(assets.deposits_fen),
            unit.size(),
            fmt_dec(per_capita),
            fmt_dec(standard),
            multiple,
            fmt_dec(limit),
            if within { "未超过" } else { "超过" }
        ),
        None,
    );
    if !within {
        broken.push(format!(
            "人均存款 {} 元超过上限 {} 元",
            fmt_dec(per_capita),
            fmt_dec(limit)
        ));
    }
    let vehicles_max = st.integer_on("asset.vehicles_max", None, "辆", trail)?;
    if i64::from(assets.vehicles) > vehicles_max {
        let why = format!("拥有机动车 {} 辆，超过 {vehicles_max} 辆", assets.vehicles);
        trail.note(why.clone());
        broken.push(why);
    }
    let housing_max = st.integer_on("asset.extra_housing_max", None, "套", trail)?;
    if i64::from(assets.extra_housing) > housing_max {
        let why = format!(
            "自住房以外另有住房 {} 套，超过 {housing_max} 套",
            assets.extra_housing
        );
        trail.note(why.clone());
        broken.push(why);
    }
    if broken.is_empty() {
        trail.note("财产状况符合规定");
    }
    Ok(broken)
}
