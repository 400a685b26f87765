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

/// A month's price index rises **in per cent**, as published and as typed: 3.6 is 3.6 %.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PriceIndex {
    /// CPI, year on year, per cent.
    pub cpi_rise: Decimal,
    /// Food prices, year on year, per cent, when published.
    pub food_rise: Option<Decimal>,
}

impl PriceIndex {
    /// The rises as typed ("3.6" or "3.6%"); `food` may be empty. Fields `cpi_rise`, `food_rise`.
    pub fn from_percent(cpi: &str, food: Option<&str>) -> CmdResult<PriceIndex> {
        let food = food.map(str::trim).filter(|t| !t.is_empty());
        Ok(PriceIndex {
            cpi_rise: percent("cpi_rise", "CPI 同比涨幅", cpi)?,
            food_rise: food
                .map(|t| percent("food_rise", "食品价格同比涨幅", t))
                .transpose()?,
        })
    }
}

/// A rise typed in per cent ("3.6", "3.6%", "-0.3").
fn percent(field: &str, what: &str, text: &str) -> CmdResult<Decimal> {
    text.trim()
        .trim_end_matches(['%', '％'])
        .trim()
        .parse::<Decimal>()
        .map_err(|_| {
            CmdError::invalid(
                field,
                format!("{what}“{text}”不是有效的百分数，请按百分数填写，如 3.6 表示 3.6%"),
            )
        })
}

/// A rise in per cent checked against its trigger (a fraction): at most ±100 %, and not a
/// value that looks like a fraction typed for per cent — between 0 and 1, below the trigger,
/// but at or above it when read as a fraction (0.036 for a 3.5 % trigger). Such a value would
/// silently pay nothing; it is refused with the reading the user probably meant.
fn checked_rise(field: &str, what: &str, pct: Decimal, trigger: Decimal) -> CmdResult<Decimal> {
    let hundred = Decimal::ONE_HUNDRED;
    if pct.abs() >= hundred {
        return Err(CmdError::invalid(
            field,
            format!("{what}应按百分数填写，在 -100 到 100 之间，如 3.6 表示 3.6%，现在是 {pct}"),
        ));
    }
    let fraction = pct / hundred;
    if pct > Decimal::ZERO && pct < Decimal::ONE && fraction < trigger && pct >= trigger {
        return Err(CmdError::invalid(
            field,
            format!(
                "{what}按百分数填写：{} 表示 {}%，低于启动条件 {}；若指 {}%，请填写 {}",
                pct.normalize(),
                pct.normalize(),
                fmt_ratio(trigger),
                (pct * hundred).normalize(),
                (pct * hundred).normalize()
            ),
        ));
    }
    Ok(fraction)
}

/// 价格临时补贴 for one month: when CPI (or food prices) rose past the trigger, each person gets the
/// 低保 standard × the rise, rounded to whole yuan. Zero, with the reason, when not triggered.
/// When both trigger, `price.rise_basis` says which rise is used (CPI, food, or the higher).
pub fn price_subsidy(
    st: &Standards,
    area: Area,
    persons: u32,
    index: &PriceIndex,
) -> CmdResult<Outcome> {
    let mut trail = Trail::default();
    let cpi_at = st.ratio_on("price.cpi_threshold", None, &mut trail)?;
    let cpi = checked_rise("cpi_rise", "CPI 同比涨幅", index.cpi_rise, cpi_at.value)?;
    let cpi_hit = cpi >= cpi_at.value;
    trail.note(format!(
        "本月 CPI 同比涨幅 {}，启动条件 {}：{}",
        fmt_ratio(cpi.max(Decimal::ZERO)),
        cpi_at,
        if cpi_hit { "已达到" } else { "未达到" }
    ));
    let food = match index.food_rise {
        Some(pct) => {
            let food_at = st.ratio_on("price.food_threshold", None, &mut trail)?;
            let food = checked_rise("food_rise", "食品价格同比涨幅", pct, food_at.value)?;
            let food_hit = food >= food_at.value;
            trail.note(format!(
                "本月食品价格同比涨幅 {}，启动条件 {}：{}",
                fmt_ratio(food.max(Decimal::ZERO)),
                food_at,
                if food_hit { "已达到" } else { "未达到" }
            ));
            food_hit.then_some(food)
        }
        None => None,
    };
    let rise = match (cpi_hit.then_some(cpi), food) {
        (Some(cpi), Some(food)) => {
            let basis = st.choice_on("price.rise_basis", None, &mut trail)?;
            let (rise, which) = match basis.as_str() {
                "food" => (food, "食品价格涨幅"),
                "higher" if food > cpi => (food, "较高的食品价格涨幅"),
                "higher" => (cpi, "较高的 CPI 涨幅"),
                _ => (cpi, "CPI 涨幅"),
            };
            trail.note(format!("两项均已达到启动条件，按{which}计算"));
            Some(rise)
        }
        (cpi, food) => cpi.or(food),
    };
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
