//! 特困 support: basic living standard plus care standard by self-care level, for each covered
//! member of a household of any size, in an institution (集中) or at home (分散).

use rust_decimal::Decimal;

use super::facts::{validate_household, Household, Member, SelfCare, SelfCareFacts};
use super::money::{fmt_dec, yuan};
use super::standards::Standards;
use super::trail::{LineKind, Outcome, Trail};
use crate::error::{CmdError, CmdResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CareSetting {
    /// 集中供养: in an institution.
    Institution,
    /// 分散供养: at home.
    Home,
}

impl CareSetting {
    fn code(self) -> &'static str {
        match self {
            CareSetting::Institution => "institution",
            CareSetting::Home => "home",
        }
    }

    fn label(self) -> &'static str {
        match self {
            CareSetting::Institution => "集中供养",
            CareSetting::Home => "分散供养",
        }
    }
}

/// The member's self-care level. From the six items: all met = 全自理; 1–3 failed = 半护理;
/// 4 or more failed = 全护理. Missing items count as not assessed (see `validate_household`).
pub fn self_care_level(m: &Member) -> SelfCare {
    match m.self_care {
        SelfCareFacts::Level(level) => level,
        SelfCareFacts::Assessment(six) => {
            match six
                .items()
                .iter()
                .filter(|(_, _, v)| *v == Some(false))
                .count()
            {
                0 => SelfCare::Able,
                1..=3 => SelfCare::Partial,
                _ => SelfCare::Unable,
            }
        }
    }
}

/// 特困 support per month for every covered member of the household, summed.
pub fn tekun(st: &Standards, h: &Household, setting: CareSetting) -> CmdResult<Outcome> {
    validate_household(h, st.date())?;
    let covered: Vec<&Member> = h.members.iter().filter(|m| m.covered).collect();
    if covered.is_empty() {
        return Err(CmdError::invalid(
            "members",
            "没有保障对象：请至少勾选一名特困人员",
        ));
    }
    let mut trail = Trail::default();
    trail.note(format!("供养方式：{}", setting.label()));
    let basic = basic(st, h, &mut trail)?;
    let wage = match st.choice_on("tekun.care.mode", None, &mut trail)?.as_str() {
        "wage_fraction" => Some(yuan(st.money_on(
            "tekun.care.min_wage",
            None,
            "元/月",
            &mut trail,
        )?)),
        _ => None,
    };
    // With care as a fraction of the minimum wage, 集中供养 may have its own fractions or an
    // uplift on the 分散 ones (`tekun.care.institution.basis`).
    let institution = match (wage, setting) {
        (Some(_), CareSetting::Institution) => {
            st.choice_on("tekun.care.institution.basis", None, &mut trail)?
        }
        _ => "same".to_owned(),
    };
    let mut total = Decimal::ZERO;
    for m in covered {
        let level = self_care_level(m);
        if let SelfCareFacts::Assessment(six) = m.self_care {
            let failed: Vec<&str> = six
                .items()
                .iter()
                .filter(|(_, _, v)| *v == Some(false))
                .map(|(_, label, _)| *label)
                .collect();
            let detail = if failed.is_empty() {
                "六项均能完成".to_owned()
            } else {
                format!("{} 项不能完成（{}）", failed.len(), failed.join("、"))
            };
            trail.note(format!(
                "{}：自理能力评估 {detail} → {}",
                m.name,
                level.label()
            ));
        }
        let care = if let Some(wage) = wage {
            let key = match institution.as_str() {
                "own" => format!("tekun.care.institution.fraction.{}", level.code()),
                _ => format!("tekun.care.fraction.{}", level.code()),
            };
            let fraction = st.ratio_on(&key, None, &mut trail)?;
            let care = fraction.of(wage);
            trail.push(
                LineKind::Formula,
                format!(
                    "{}照料护理标准 = 最低工资 {} × {} = {} 元/月",
                    level.label(),
                    fmt_dec(wage),
                    fraction,
                    fmt_dec(care)
                ),
                None,
            );
            if institution == "uplift" {
                let up = st.ratio_on("tekun.care.institution.uplift", None, &mut trail)?;
                let raised = care + up.of(care);
                trail.push(
                    LineKind::Formula,
                    format!(
                        "集中供养上浮 {up}：{} × (1 + {up}) = {} 元/月",
                        fmt_dec(care),
                        fmt_dec(raised)
                    ),
                    None,
                );
                raised
            } else {
                care
            }
        } else {
            let key = format!("tekun.care.{}.{}", setting.code(), level.code());
            yuan(st.money_on(&key, None, "元/人·月", &mut trail)?)
        };
        let person = basic + care;
        trail.push(
            LineKind::Formula,
            format!(
                "{}（{}）= 基本生活 {} + 照料护理 {} = {} 元/月",
                m.name,
                level.label(),
                fmt_dec(basic),
                fmt_dec(care),
                fmt_dec(person)
            ),
            None,
        );
        total += person;
    }
    st.settle(total, trail)
}

/// The basic living standard: a multiple of the 低保 standard, or a fixed amount.
fn basic(st: &Standards, h: &Household, trail: &mut Trail) -> CmdResult<Decimal> {
    if st.choice_on("tekun.basic.mode", None, trail)? == "amount" {
        return Ok(yuan(st.money_on(
            "tekun.basic.amount",
            Some(h.area),
            "元/人·月",
            trail,
        )?));
    }
    let standard = yuan(st.money_on("dibao.standard", Some(h.area), "元/人·月", trail)?);
    let ratio = st.ratio_on("tekun.basic.ratio", None, trail)?;
    let basic = ratio.of(standard);
    trail.push(
        LineKind::Formula,
        format!(
            "基本生活标准 = 低保标准 {} × {} = {} 元/月",
            fmt_dec(standard),
            ratio,
            fmt_dec(basic)
        ),
        None,
    );
    Ok(basic)
}
