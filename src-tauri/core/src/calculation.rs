//! `benefit.calculate`'s decision: one programme's amount for a household from the options a
//! caseworker picks (供养方式, 临时救助 type and basis, child category, price index, …). Pure:
//! the caller loads the standards in force and the household's facts.

use crate::error::{CmdError, CmdResult};
use crate::rules::money::fen_from_yuan;
use crate::rules::{
    self, CareSetting, ChildCategory, ExitOutcome, ExitReason, Member, OneTimeFor, Outcome,
    PriceIndex, Standards, TempAidBasis, TempAidKind, TempAidRequest,
};

/// What to calculate: a programme code and the options that programme needs.
#[derive(Debug, Default)]
pub struct Options {
    pub programme: String,
    pub person_id: Option<i64>,
    /// 特困: institution | home.
    pub setting: Option<String>,
    /// 临时救助: emergency | expenditure; and a tier code, a multiple, or an amount.
    pub kind: Option<String>,
    pub tier: Option<String>,
    pub multiple: Option<String>,
    pub amount: Option<String>,
    /// 临时救助: the area of the village or community the household lives in, when known.
    pub residence: Option<rules::Area>,
    /// 孤儿: orphan_institution | orphan_scattered | unsupported.
    pub category: Option<String>,
    /// 两项补贴: whether the family is on a low income.
    pub low_income: Option<bool>,
    /// 价格临时补贴: CPI and food price rises in per cent.
    pub cpi_rise: Option<String>,
    pub food_rise: Option<String>,
    /// 一次性生活补贴: dibao | tekun.
    pub for_: Option<String>,
    /// 渐退期: the current monthly amount, and employment | voluntary with months.
    pub current_amount: Option<String>,
    pub reason: Option<String>,
    pub months: Option<u32>,
}

/// A monthly (or one-off) amount, or a 渐退期 with its months and total.
pub enum Calculated {
    Monthly(Outcome),
    Exit(ExitOutcome),
}

fn need<'a, T>(field: &str, what: &str, v: &'a Option<T>) -> CmdResult<&'a T> {
    v.as_ref()
        .ok_or_else(|| CmdError::invalid(field, format!("请填写{what}")))
}

/// The amount of `o.programme` for household `h` under the standards `st`.
pub fn calculate(st: &Standards, h: &rules::Household, o: &Options) -> CmdResult<Calculated> {
    let persons = h.members.len() as u32;
    let member = |pid: Option<i64>| -> CmdResult<&Member> {
        let pid = pid.ok_or_else(|| CmdError::invalid("person_id", "请选择家庭成员"))?;
        h.members
            .iter()
            .find(|m| m.person_id == pid)
            .ok_or_else(|| CmdError::invalid("person_id", "此人不是本户在册成员"))
    };
    let p = o.programme.as_str();
    Ok(Calculated::Monthly(match p {
        "dibao" => rules::dibao(st, h)?,
        "dibao_single" => rules::single_person(st, h, member(o.person_id)?.person_id)?,
        "tekun" => {
            let setting = match need("setting", "供养方式", &o.setting)?.as_str() {
                "institution" => CareSetting::Institution,
                "home" => CareSetting::Home,
                other => return Err(CmdError::invalid("setting", format!("供养方式“{other}”无效，应为 institution（集中）或 home（分散）"))),
            };
            rules::tekun(st, h, setting)?
        }
        "temp_aid" => {
            let kind = match need("kind", "临时救助类型", &o.kind)?.as_str() {
                "emergency" => TempAidKind::Emergency,
                "expenditure" => TempAidKind::Expenditure,
                other => return Err(CmdError::invalid("kind", format!("临时救助类型“{other}”无效，应为 emergency（急难型）或 expenditure（支出型）"))),
            };
            let basis = match (&o.tier, &o.multiple, &o.amount) {
                (Some(t), None, None) => TempAidBasis::Tier(t.clone()),
                (None, Some(m), None) => TempAidBasis::Multiple(
                    m.trim().parse().map_err(|_| CmdError::invalid("multiple", format!("倍数“{m}”不是有效数字")))?,
                ),
                (None, None, Some(a)) => TempAidBasis::Amount(fen_from_yuan("amount", a)?),
                _ => return Err(CmdError::invalid("tier", "请在档次、倍数、金额中选填一项")),
            };
            rules::temp_aid(st, &TempAidRequest { area: h.area, residence: o.residence, kind, basis })?
        }
        "orphan" => {
            let category = match need("category", "儿童类别", &o.category)?.as_str() {
                "orphan_institution" => ChildCategory::OrphanInstitution,
                "orphan_scattered" => ChildCategory::OrphanScattered,
                "unsupported" => ChildCategory::Unsupported,
                other => return Err(CmdError::invalid("category", format!("儿童类别“{other}”无效"))),
            };
            rules::child_allowance(st, member(o.person_id)?, category)?
        }
        "disability_subsidy" => rules::disability_subsidies(st, member(o.person_id)?, o.low_income.unwrap_or(true))?,
        "price_subsidy" => {
            let cpi = need("cpi_rise", "CPI 同比涨幅（%）", &o.cpi_rise)?;
            let index = PriceIndex::from_percent(cpi, o.food_rise.as_deref())?;
            rules::price_subsidy(st, h.area, persons, &index)?
        }
        "one_time" => {
            let who = match need("for", "对象类别", &o.for_)?.as_str() {
                "dibao" => OneTimeFor::Dibao,
                "tekun" => OneTimeFor::Tekun,
                other => return Err(CmdError::invalid("for", format!("对象类别“{other}”无效，应为 dibao 或 tekun"))),
            };
            rules::one_time_subsidy(st, who, persons)?
        }
        "gradual_exit" => {
            let current = fen_from_yuan("current_amount", need("current_amount", "现发放金额", &o.current_amount)?)?;
            let reason = match need("reason", "退出原因", &o.reason)?.as_str() {
                "employment" => ExitReason::Employment,
                "voluntary" => ExitReason::Voluntary { months: o.months.unwrap_or(1) },
                other => return Err(CmdError::invalid("reason", format!("退出原因“{other}”无效，应为 employment 或 voluntary"))),
            };
            return Ok(Calculated::Exit(rules::gradual_exit(st, h.area, current, persons, reason)?));
        }
        other => {
            return Err(CmdError::invalid(
                "programme",
                format!("救助项目“{other}”无效，可选：dibao、dibao_single、tekun、temp_aid、orphan、disability_subsidy、price_subsidy、one_time、gradual_exit"),
            ))
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Area, Assets};

    #[test]
    fn a_missing_or_unknown_option_is_refused_by_field() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let st = Standards::as_of(&rules::default_rows(day), day);
        let h = rules::Household {
            area: Area::Rural,
            members: vec![],
            incomes: vec![],
            expenditures: vec![],
            assets: Assets {
                deposits_fen: 0,
                vehicles: 0,
                extra_housing: 0,
            },
        };
        let o = |programme: &str| Options {
            programme: programme.into(),
            ..Options::default()
        };
        let table: Vec<(Options, &str)> = vec![
            (o("lottery"), "programme"),
            (o("dibao_single"), "person_id"),
            (o("tekun"), "setting"),
            (
                Options {
                    setting: Some("hotel".into()),
                    ..o("tekun")
                },
                "setting",
            ),
            (
                Options {
                    kind: Some("emergency".into()),
                    ..o("temp_aid")
                },
                "tier",
            ),
            (
                Options {
                    cpi_rise: Some("三".into()),
                    ..o("price_subsidy")
                },
                "cpi_rise",
            ),
            (o("one_time"), "for"),
            (
                Options {
                    current_amount: Some("500".into()),
                    ..o("gradual_exit")
                },
                "reason",
            ),
        ];
        for (options, field) in table {
            let e = calculate(&st, &h, &options).err().expect(field);
            assert_eq!(e.field.as_deref(), Some(field), "{options:?}");
        }
    }
}
