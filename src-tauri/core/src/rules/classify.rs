//! Classification: which programme a household's facts point to, with the reasons and the trail
//! of the income and asset tests. A suggestion for the caseworker, never a decision.

use rust_decimal::Decimal;

use super::facts::{validate_household, Household, LabourCapacity, Member, Period};
use super::means::{asset_test, countable_income, twelve, Unit};
use super::money::{fmt_dec, yuan};
use super::standards::Standards;
use super::trail::{LineKind, Trail};
use crate::error::CmdResult;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suggestion {
    /// The family qualifies for 低保.
    Dibao,
    /// A 低保边缘 family whose severely ill or disabled members may be covered alone (单人保).
    SinglePerson {
        person_ids: Vec<i64>,
    },
    /// 低保边缘 family.
    Marginal,
    /// These members qualify as 特困人员.
    Tekun {
        person_ids: Vec<i64>,
    },
    NotEligible,
}

impl Suggestion {
    pub fn label(&self) -> &'static str {
        match self {
            Suggestion::Dibao => "低保",
            Suggestion::SinglePerson { .. } => "单人保",
            Suggestion::Marginal => "低保边缘",
            Suggestion::Tekun { .. } => "特困",
            Suggestion::NotEligible => "不符合条件",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Classification {
    pub suggestion: Suggestion,
    /// Why, in Chinese, one sentence each.
    pub reasons: Vec<String>,
    pub trail: Trail,
}

/// Suggest 特困 / 低保 / 单人保 / 低保边缘 / not eligible for the household.
pub fn classify(st: &Standards, h: &Household) -> CmdResult<Classification> {
    validate_household(h, st.date())?;
    let mut trail = Trail::default();
    let mut reasons = Vec::new();
    let unit = Unit::family(h);
    let standard = yuan(st.money_on("dibao.standard", Some(h.area), "元/人·月", &mut trail)?);
    trail.note("一、收入核算");
    let annual = countable_income(st, &unit, standard, &mut trail)?;
    let size = Decimal::from(unit.size() as u64);
    let per_capita = annual / twelve() / size;
    trail.push(
        LineKind::Formula,
        format!(
            "家庭月人均收入 = {} ÷ 12 ÷ {} = {} 元",
            fmt_dec(annual),
            unit.size(),
            fmt_dec(per_capita)
        ),
        None,
    );
    trail.note("二、财产核查");
    let broken = asset_test(st, &unit, standard, &mut trail)?;
    if !broken.is_empty() {
        reasons.extend(broken);
        reasons.push("家庭财产状况不符合规定，不能纳入低保、特困".into());
        return Ok(done(Suggestion::NotEligible, reasons, trail));
    }

    trail.note("三、特困人员条件");
    let mut tekun = Vec::new();
    for m in &h.members {
        let Some(why) = no_labour_capacity(m, st) else {
            continue;
        };
        let own = own_income(h, m);
        let low = own < standard * twelve();
        let text = format!(
            "{}：{why}；本人月收入 {} 元{}低保标准；{}",
            m.name,
            fmt_dec(own / twelve()),
            if low { "低于" } else { "不低于" },
            if m.able_supporter {
                "法定义务人有履行能力"
            } else {
                "无法定义务人或其无履行能力"
            }
        );
        trail.note(text.clone());
        if low && !m.able_supporter {
            reasons.push(format!("{text}，符合特困人员条件"));
            tekun.push(m.person_id);
        }
    }
    if !tekun.is_empty() {
        return Ok(done(
            Suggestion::Tekun { person_ids: tekun },
            reasons,
            trail,
        ));
    }

    trail.note("四、低保条件");
    if per_capita < standard {
        reasons.push(format!(
            "家庭月人均收入 {} 元低于低保标准 {} 元，财产状况符合规定",
            fmt_dec(per_capita),
            fmt_dec(standard)
        ));
        return Ok(done(Suggestion::Dibao, reasons, trail));
    }
    let multiplier = st.ratio_on("dibao.marginal_multiplier", None, &mut trail)?;
    let marginal_line = multiplier.of(standard);
    if per_capita >= marginal_line {
        reasons.push(format!(
            "家庭月人均收入 {} 元不低于低保边缘标准 {} 元（低保标准 × {}）",
            fmt_dec(per_capita),
            fmt_dec(marginal_line),
            multiplier
        ));
        return Ok(done(Suggestion::NotEligible, reasons, trail));
    }
    reasons.push(format!(
        "家庭月人均收入 {} 元不低于低保标准 {} 元，但低于低保边缘标准 {} 元（低保标准 × {}），属于低保边缘家庭",
        fmt_dec(per_capita),
        fmt_dec(standard),
        fmt_dec(marginal_line),
        multiplier
    ));
    let mut single = Vec::new();
    for m in &h.members {
        let why = match (&m.serious_illness, m.severely_disabled()) {
            (Some(illness), _) => format!("患重病（{illness}）"),
            (None, true) => "一二级重度残疾".to_owned(),
            (None, false) => continue,
        };
        reasons.push(format!("{}{why}，可单独纳入低保（单人保）", m.name));
        single.push(m.person_id);
    }
    let suggestion = if single.is_empty() {
        Suggestion::Marginal
    } else {
        Suggestion::SinglePerson { person_ids: single }
    };
    Ok(done(suggestion, reasons, trail))
}

fn done(suggestion: Suggestion, reasons: Vec<String>, mut trail: Trail) -> Classification {
    trail.note(format!("建议：{}", suggestion.label()));
    Classification {
        suggestion,
        reasons,
        trail,
    }
}

/// Why the member has no labour capacity, if they have none.
fn no_labour_capacity(m: &Member, st: &Standards) -> Option<String> {
    let age = m.age(st.date());
    if age >= 60 {
        Some(format!("{age} 周岁，年满 60 周岁"))
    } else if age < 16 {
        Some(format!("{age} 周岁，未满 16 周岁"))
    } else if m.severely_disabled() {
        Some("一二级重度残疾".to_owned())
    } else if m.labour_capacity == LabourCapacity::Lost {
        Some("经认定无劳动能力".to_owned())
    } else {
        None
    }
}

/// The member's own countable income in a year, before deductions.
fn own_income(h: &Household, m: &Member) -> Decimal {
    h.incomes
        .iter()
        .filter(|i| i.person_id == Some(m.person_id) && i.exempt_reason.is_none())
        .map(|i| match i.period {
            Period::Monthly => yuan(i.amount_fen) * twelve(),
            Period::Annual => yuan(i.amount_fen),
        })
        .sum()
}
