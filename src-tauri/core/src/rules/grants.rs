//! The fixed-rate programmes: 孤儿 / 事实无人抚养儿童, 残疾人两项补贴, 价格临时补贴 and
//! 一次性生活补贴 (the 渐退期 is in `gradual_exit`).

use rust_decimal::Decimal;

use super::facts::{Area, Member};
use super::money::{
    fmt_dec, fmt_exact, fmt_ratio, fmt_yuan, round_fen, round_grant, yuan, GrantRounding,
};
use super::standards::Standards;
use super::trail::{LineKind, Outcome, Trail};
use crate::error::{CmdError, CmdResult};

pub use super::temp::{temp_aid, township_may_approve, TempAidBasis, TempAidRequest};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildCategory {
    /// 孤儿，集中养育.
    OrphanInstitution,
    /// 孤儿，散居.
    OrphanScattered,
    /// 事实无人抚养儿童.
    Unsupported,
}

/// The monthly basic-living allowance of an orphan or de facto unsupported child (under 18).
pub fn child_allowance(
    st: &Standards,
    child: &Member,
    category: ChildCategory,
) -> CmdResult<Outcome> {
    let (key, label) = match category {
        ChildCategory::OrphanInstitution => ("orphan.institution", "孤儿基本生活费"),
        ChildCategory::OrphanScattered => ("orphan.scattered", "孤儿基本生活费"),
        ChildCategory::Unsupported => ("unsupported_child", "事实无人抚养儿童基本生活补贴"),
    };
    let age = child.age(st.date());
    if age >= 18 {
        return Err(CmdError::invalid(
            "birth_date",
            format!("{}已满 18 周岁（{age} 岁），不再享受{label}", child.name),
        ));
    }
    let mut trail = Trail::default();
    let amount_fen = st.money_on(key, None, "元/人·月", &mut trail)?;
    trail.note(format!(
        "{}（{age} 岁）按月发放 {} 元",
        child.name,
        fmt_yuan(amount_fen)
    ));
    Ok(Outcome { amount_fen, trail })
}

/// 残疾人两项补贴 per month: the living subsidy for a disabled member of a low-income family
/// (`low_income`: 低保 or 特困), and the care subsidy for grade 1–2 disability.
pub fn disability_subsidies(st: &Standards, m: &Member, low_income: bool) -> CmdResult<Outcome> {
    let Some(grade) = m.disability_grade else {
        return Err(CmdError::invalid(
            "disability_grade",
            format!("{}没有登记残疾等级，不能享受残疾人两项补贴", m.name),
        ));
    };
    let mut trail = Trail::default();
    let mut total = 0;
    if low_income {
        let living = st.money_on("disability.living", None, "元/人·月", &mut trail)?;
        trail.note(format!("{} 是困难家庭中的残疾人，享受生活补贴", m.name));
        total += living;
    } else {
        trail.note(format!(
            "{} 不在低保、特困等困难家庭中，不享受生活补贴",
            m.name
        ));
    }
    if m.severely_disabled() {
        let care = st.money_on("disability.care", None, "元/人·月", &mut trail)?;
        trail.note(format!("{} 为{grade}级重度残疾，享受护理补贴", m.name));
        total += care;
    } else {
        trail.note(format!(
            "{} 为{grade}级残疾，不属于一、二级重度残疾，不享受护理补贴",
            m.name
        ));
    }
    trail.push(
        LineKind::Formula,
        format!("两项补贴合计 {} 元/月", fmt_yuan(total)),
        Some(total),
    );
    Ok(Outcome {
        amount_fen: total,
        trail,
    })
}

/// A month's price index rises, as fractions: 0.036 is 3.6 %.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PriceIndex {
    /// CPI, year on year.
    pub cpi_rise: Decimal,
    /// Food prices, year on year, when published.
    pub food_rise: Option<Decimal>,
}

/// 价格临时补贴 for one month: when CPI (or food prices) rose past the trigger, each person gets the
/// 低保 standard × the rise, rounded to whole yuan. Zero, with the reason, when not triggered.
pub fn price_subsidy(
    st: &Standards,
    area: Area,
    persons: u32,
    index: &PriceIndex,
) -> CmdResult<Outcome> {
    let sane = |r: Decimal| r.abs() < Decimal::ONE;
    if !sane(index.cpi_rise) {
        return Err(CmdError::invalid(
            "cpi_rise",
            "CPI 同比涨幅应为小数，如 0.036 表示 3.6%",
        ));
    }
    if index.food_rise.is_some_and(|r| !sane(r)) {
        return Err(CmdError::invalid(
            "food_rise",
            "食品价格同比涨幅应为小数，如 0.06 表示 6%",
        ));
    }
    let mut trail = Trail::default();
    let cpi_at = st.ratio_on("price.cpi_threshold", None, &mut trail)?;
    let cpi_hit = index.cpi_rise >= cpi_at.value;
    trail.note(format!(
        "本月 CPI 同比涨幅 {}，启动条件 {}：{}",
        fmt_ratio(index.cpi_rise.max(Decimal::ZERO)),
        cpi_at,
        if cpi_hit { "已达到" } else { "未达到" }
    ));
    let mut rise = cpi_hit.then_some(index.cpi_rise);
    if let (None, Some(food)) = (rise, index.food_rise) {
        let food_at = st.ratio_on("price.food_threshold", None, &mut trail)?;
        let food_hit = food >= food_at.value;
        trail.note(format!(
            "本月食品价格同比涨幅 {}，启动条件 {}：{}",
            fmt_ratio(food.max(Decimal::ZERO)),
            food_at,
            if food_hit { "已达到" } else { "未达到" }
        ));
        rise = food_hit.then_some(food);
    }
    let Some(rise) = rise else {
        trail.note("未达到价格临时补贴启动条件，本月不发放");
        return Ok(Outcome {
            amount_fen: 0,
            trail,
        });
    };
    let standard = yuan(st.money_on("dibao.standard", Some(area), "元/人·月", &mut trail)?);
    let exact = standard * rise;
    let fen = round_fen(exact);
    let each = round_grant(fen, GrantRounding::YuanRound);
    trail.push(
        LineKind::Formula,
        format!(
            "每人 = 低保标准 {} × 涨幅 {} = {} 元",
            fmt_dec(standard),
            fmt_ratio(rise),
            fmt_exact(exact)
        ),
        None,
    );
    trail.push(
        LineKind::Rounding,
        format!("四舍五入到元：{} → {} 元", fmt_yuan(fen), fmt_yuan(each)),
        Some(each),
    );
    let total = each * i64::from(persons);
    trail.push(
        LineKind::Formula,
        format!(
            "合计 {} × {persons} 人 = {} 元",
            fmt_yuan(each),
            fmt_yuan(total)
        ),
        Some(total),
    );
    Ok(Outcome {
        amount_fen: total,
        trail,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OneTimeFor {
    Dibao,
    Tekun,
}

/// 一次性生活补贴 for `persons` people of one programme.
pub fn one_time_subsidy(st: &Standards, who: OneTimeFor, persons: u32) -> CmdResult<Outcome> {
    let key = match who {
        OneTimeFor::Dibao => "one_time.dibao",
        OneTimeFor::Tekun => "one_time.tekun",
    };
    let mut trail = Trail::default();
    let each = st.money_on(key, None, "元/人", &mut trail)?;
    let total = each * i64::from(persons);
    trail.push(
        LineKind::Formula,
        format!("{} × {persons} 人 = {} 元", fmt_yuan(each), fmt_yuan(total)),
        Some(total),
    );
    Ok(Outcome {
        amount_fen: total,
        trail,
    })
}
