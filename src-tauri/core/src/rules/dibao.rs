//! 低保 补差 for a family, and 单人保 (one member counted as a household of one).
//!
//! The grant is worked on the annual figure and kept exact until the single rounding at the end:
//! (standard × 12 × family size − annual countable income) × covered ÷ family size ÷ 12. It never
//! goes through a rounded per-capita income (632 × 3 − 1,894 = 2, where the rounded route gives 3).

use rust_decimal::Decimal;

use super::facts::{validate_household, Area, Household, Member};
use super::means::{countable_income, twelve, Unit};
use super::money::{fmt_dec, fmt_ratio, yuan};
use super::standards::Standards;
use super::trail::{LineKind, Outcome, Trail};
use crate::error::{CmdError, CmdResult};

/// 低保 补差 per month for the family's covered members, with 分档 and 分类施保 as configured.
pub fn dibao(st: &Standards, h: &Household) -> CmdResult<Outcome> {
    validate_household(h, st.date())?;
    let covered: Vec<&Member> = h.members.iter().filter(|m| m.covered).collect();
    if covered.is_empty() {
        return Err(CmdError::invalid(
            "members",
            "没有保障对象：请至少勾选一名纳入低保的家庭成员",
        ));
    }
    let mut trail = Trail::default();
    let exact = grant(st, &Unit::family(h), &covered, &mut trail)?;
    st.settle(exact, trail)
}

/// 单人保: the member alone, as a household of one, with only their own income and expenditure.
pub fn single_person(st: &Standards, h: &Household, person_id: i64) -> CmdResult<Outcome> {
    validate_household(h, st.date())?;
    let m = h
        .member(person_id)
        .ok_or_else(|| CmdError::invalid("person_id", "本户没有这名成员"))?;
    let mut trail = Trail::default();
    trail.note(format!(
        "单人保：{} 单独纳入，按一人户计算，只计本人的收入和支出",
        m.name
    ));
    let exact = grant(st, &Unit::alone(h, m), &[m], &mut trail)?;
    st.settle(exact, trail)
}

/// The exact monthly grant for `covered` members of `unit`; zero when income reaches the standard.
pub(crate) fn grant(
    st: &Standards,
    unit: &Unit<'_>,
    covered: &[&Member],
    trail: &mut Trail,
) -> CmdResult<Decimal> {
    let area = unit.h.area;
    let standard = yuan(st.money_on("dibao.standard", Some(area), "元/人·月", trail)?);
    let annual = countable_income(st, unit, standard, trail)?;
    let size = unit.size();
    let size_d = Decimal::from(size as u64);
    let covered_d = Decimal::from(covered.len() as u64);
    let family_line = standard * twelve() * size_d;
    trail.push(
        LineKind::Formula,
        format!(
            "家庭月人均收入 = {} ÷ 12 ÷ {size} = {} 元，低保标准 {} 元",
            fmt_dec(annual),
            fmt_dec(annual / twelve() / size_d),
            fmt_dec(standard)
        ),
        None,
    );
    if annual >= family_line {
        trail.note("家庭月人均收入不低于低保标准，不予补差");
        return Ok(Decimal::ZERO);
    }
    let base = if st.choice_on("dibao.tier_mode", None, trail)? == "tiers" {
        tiered(st, standard, annual / family_line, covered.len(), trail)?
    } else {
        let base = (family_line - annual) * covered_d / size_d / twelve();
        let text = if covered.len() == size {
            format!(
                "补差 = (低保标准 × 12 × 人数 − 年可计收入) ÷ 12 = ({} × 12 × {size} − {}) ÷ 12 = {} 元/月",
                fmt_dec(standard),
                fmt_dec(annual),
                fmt_dec(base)
            )
        } else {
            format!(
                "补差 = (低保标准 × 12 × 家庭人数 − 年可计收入) × 保障人数 ÷ 家庭人数 ÷ 12 = ({} × 12 × {size} − {}) × {} ÷ {size} ÷ 12 = {} 元/月",
                fmt_dec(standard),
                fmt_dec(annual),
                covered.len(),
                fmt_dec(base)
            )
        };
        trail.push(LineKind::Formula, text, None);
        base
    };
    let uplift = uplift(st, area, standard, covered, trail)?;
    if uplift.is_zero() {
        return Ok(base);
    }
    let total = base + uplift;
    trail.push(
        LineKind::Formula,
        format!(
            "合计 = 补差 {} + 分类施保 {} = {} 元/月",
            fmt_dec(base),
            fmt_dec(uplift),
            fmt_dec(total)
        ),
        None,
    );
    Ok(total)
}

/// 分档: the first tier whose bound the per-capita income (as a share of the standard) is below.
fn tiered(
    st: &Standards,
    standard: Decimal,
    share: Decimal,
    covered: usize,
    trail: &mut Trail,
) -> CmdResult<Decimal> {
    let tiers = st.dibao_tiers()?;
    let shown: Vec<String> = tiers
        .value
        .iter()
        .map(|t| format!("低于 {} 发 {}", fmt_ratio(t.below), fmt_ratio(t.pay)))
        .collect();
    trail.standard(tiers.source, &shown.join("；"), None);
    let Some(tier) = tiers.value.iter().find(|t| share < t.below) else {
        trail.note(format!(
            "月人均收入为低保标准的 {}，不在任何档次内，不予发放",
            fmt_ratio(share)
        ));
        return Ok(Decimal::ZERO);
    };
    let base = tier.pay * standard * Decimal::from(covered as u64);
    trail.push(
        LineKind::Formula,
        format!(
            "分档：月人均收入为低保标准的 {}，低于 {}，每人按标准的 {} 发放：{} × {} × {covered} = {} 元/月",
            fmt_ratio(share),
            fmt_ratio(tier.below),
            fmt_ratio(tier.pay),
            fmt_dec(standard),
            fmt_ratio(tier.pay),
            fmt_dec(base)
        ),
        None,
    );
    Ok(base)
}

/// 分类施保 categories: (key part, label).
const CATEGORIES: [(&str, &str); 4] = [
    ("illness", "重病"),
    ("severe_disability", "一二级重度残疾"),
    ("elderly", "60 周岁以上"),
    ("minor", "未满 18 周岁"),
];

fn categories(m: &Member, st: &Standards) -> Vec<(&'static str, &'static str)> {
    let age = m.age(st.date());
    let applies = [
        m.serious_illness.is_some(),
        m.severely_disabled(),
        age >= 60,
        age < 18,
    ];
    CATEGORIES
        .iter()
        .zip(applies)
        .filter(|(_, yes)| *yes)
        .map(|(c, _)| *c)
        .collect()
}

/// 分类施保 for each covered member: per category a fixed amount or a share of the standard;
/// several categories on one member are combined by taking the highest or by adding up.
fn uplift(
    st: &Standards,
    area: Area,
    standard: Decimal,
    covered: &[&Member],
    trail: &mut Trail,
) -> CmdResult<Decimal> {
    let per_member: Vec<(&Member, Vec<(&str, &str)>)> = covered
        .iter()
        .map(|m| (*m, categories(m, st)))
        .filter(|(_, c)| !c.is_empty())
        .collect();
    if per_member.is_empty() {
        return Ok(Decimal::ZERO);
    }
    let sum = st.choice_on("dibao.uplift.combine", None, trail)? == "sum";
    // Each category's amount, looked up once.
    let mut amounts: Vec<(&str, Decimal)> = Vec::new();
    let mut total = Decimal::ZERO;
    for (m, cats) in per_member {
        let mut parts = Vec::new();
        for (code, label) in cats {
            let amount = match amounts.iter().find(|(c, _)| *c == code) {
                Some((_, a)) => *a,
                None => {
                    let a = category_amount(st, area, standard, code, label, trail)?;
                    amounts.push((code, a));
                    a
                }
            };
            parts.push((label, amount));
        }
        let names: Vec<&str> = parts.iter().map(|(l, _)| *l).collect();
        let (how, amount) = if sum {
            ("叠加", parts.iter().map(|(_, a)| *a).sum())
        } else {
            (
                "就高",
                parts.iter().map(|(_, a)| *a).max().unwrap_or_default(),
            )
        };
        let how = if parts.len() > 1 {
            format!("，{how}")
        } else {
            String::new()
        };
        trail.push(
            LineKind::Formula,
            format!(
                "分类施保：{}（{}）{how}加发 {} 元/月",
                m.name,
                names.join("、"),
                fmt_dec(amount)
            ),
            None,
        );
        total += amount;
    }
    Ok(total)
}

fn category_amount(
    st: &Standards,
    area: Area,
    standard: Decimal,
    code: &str,
    label: &str,
    trail: &mut Trail,
) -> CmdResult<Decimal> {
    let key = |part: &str| format!("dibao.uplift.{code}.{part}");
    if st.choice_on(&key("mode"), None, trail)? == "amount" {
        return Ok(yuan(st.money_on(
            &key("amount"),
            Some(area),
            "元/人·月",
            trail,
        )?));
    }
    let ratio = st.ratio_on(&key("ratio"), None, trail)?;
    let amount = ratio.of(standard);
    trail.push(
        LineKind::Formula,
        format!(
            "分类施保（{label}）每人 = 低保标准 {} × {} = {} 元/月",
            fmt_dec(standard),
            ratio,
            fmt_dec(amount)
        ),
        None,
    );
    Ok(amount)
}
