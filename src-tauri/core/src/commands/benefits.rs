//! Benefit amounts and classification, from the rules engine with the county's dated standards
//! and the household's registry and finances. Nothing here stores anything.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::households::{load_household, READ};
use super::{input, Session};
use crate::error::{CmdError, CmdResult};
use crate::month::Month;
use crate::rules::money::{fen_from_yuan, yuan_text};
use crate::rules::{
    self, CareSetting, ChildCategory, ExitReason, LineKind, Member, OneTimeFor, Outcome,
    PriceIndex, Standards, TempAidBasis, TempAidKind, TempAidRequest, Trail, TrailLine,
};
pub(crate) use crate::store::caseload::{all as caseload, household as engine_household};
use crate::store::standards::engine_rows;

/// "2026-11" → the first day of that month.
pub(crate) fn month_start(field: &str, text: &str) -> CmdResult<NaiveDate> {
    Month::parse_field(field, text).map(Month::first_day)
}

/// One line of a calculation trail as the pages show it (money in yuan).
#[derive(Serialize, JsonSchema)]
pub(crate) struct TrailLineDto {
    kind: &'static str,
    text: String,
    amount: Option<String>,
    /// The standard a line stands for.
    source: Option<SourceDto>,
}

#[derive(Serialize, JsonSchema)]
struct SourceDto {
    key: &'static str,
    label: String,
    scope: &'static str,
    effective_from: NaiveDate,
}

impl From<&TrailLine> for TrailLineDto {
    fn from(l: &TrailLine) -> TrailLineDto {
        TrailLineDto {
            kind: match l.kind {
                LineKind::Standard => "standard",
                LineKind::Income => "income",
                LineKind::Deduction => "deduction",
                LineKind::Formula => "formula",
                LineKind::Rounding => "rounding",
                LineKind::Note => "note",
            },
            text: l.text.clone(),
            amount: l.amount_fen.map(yuan_text),
            source: l.source.as_ref().map(|s| SourceDto {
                key: s.key,
                label: s.label.clone(),
                scope: s.scope.code(),
                effective_from: s.effective_from,
            }),
        }
    }
}

pub(crate) fn trail_lines(t: &Trail) -> Vec<TrailLineDto> {
    t.lines.iter().map(TrailLineDto::from).collect()
}

/// A trail as JSON, as stored with a case's amount and shown by `case.get`.
pub(crate) fn trail_json(t: &Trail) -> Value {
    serde_json::to_value(trail_lines(t)).unwrap_or_default()
}

fn ratio(field: &str, text: &str) -> CmdResult<Decimal> {
    let t = text.trim().trim_end_matches('%');
    let d: Decimal = t
        .parse()
        .map_err(|_| CmdError::invalid(field, format!("“{text}”不是有效的百分数，如 3.6")))?;
    Ok(d / Decimal::from(100))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalculateIn {
    household_id: i64,
    programme: String,
    month: String,
    person_id: Option<i64>,
    /// 特困: institution | home.
    setting: Option<String>,
    /// 临时救助: emergency | expenditure; and a tier code, a multiple, or an amount.
    kind: Option<String>,
    tier: Option<String>,
    multiple: Option<String>,
    amount: Option<String>,
    /// 孤儿: orphan_institution | orphan_scattered | unsupported.
    category: Option<String>,
    /// 两项补贴: whether the family is on a low income.
    low_income: Option<bool>,
    /// 价格临时补贴: CPI and food price rises in per cent.
    cpi_rise: Option<String>,
    food_rise: Option<String>,
    /// 一次性生活补贴: dibao | tekun.
    #[serde(rename = "for")]
    for_: Option<String>,
    /// 渐退期: the current monthly amount, and employment | voluntary with months.
    current_amount: Option<String>,
    reason: Option<String>,
    months: Option<u32>,
}

fn need<'a, T>(field: &str, what: &str, v: &'a Option<T>) -> CmdResult<&'a T> {
    v.as_ref()
        .ok_or_else(|| CmdError::invalid(field, format!("请填写{what}")))
}

/// `benefit.calculate`: an amount with its trail; the 渐退期 adds its months and total.
#[derive(Serialize, JsonSchema)]
pub(crate) struct CalculateReply {
    programme: String,
    amount: String,
    amount_fen: i64,
    trail: Vec<TrailLineDto>,
    #[serde(skip_serializing_if = "Option::is_none")]
    month: Option<Month>,
    #[serde(skip_serializing_if = "Option::is_none")]
    months: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total: Option<String>,
}

impl CalculateReply {
    fn of(programme: &str, o: &Outcome) -> CalculateReply {
        CalculateReply {
            programme: programme.to_owned(),
            amount: yuan_text(o.amount_fen),
            amount_fen: o.amount_fen,
            trail: trail_lines(&o.trail),
            month: None,
            months: None,
            total: None,
        }
    }
}

pub(crate) fn calculate(s: &mut Session, v: Value) -> CmdResult<CalculateReply> {
    let i: CalculateIn = input(v)?;
    let stored = load_household(s, i.household_id, READ, "测算救助金额")?;
    let month = Month::parse_field("month", &i.month)?;
    let date = month.first_day();
    let st = Standards::as_of(&engine_rows(&s.conn)?, date);
    let h = engine_household(&s.conn, &stored, date)?;
    let persons = h.members.len() as u32;
    let member = |pid: Option<i64>| -> CmdResult<&Member> {
        let pid = pid.ok_or_else(|| CmdError::invalid("person_id", "请选择家庭成员"))?;
        h.members
            .iter()
            .find(|m| m.person_id == pid)
            .ok_or_else(|| CmdError::invalid("person_id", "此人不是本户在册成员"))
    };
    let p = i.programme.as_str();
    let outcome = match p {
        "dibao" => rules::dibao(&st, &h)?,
        "dibao_single" => rules::single_person(&st, &h, member(i.person_id)?.person_id)?,
        "tekun" => {
            let setting = match need("setting", "供养方式", &i.setting)?.as_str() {
                "institution" => CareSetting::Institution,
                "home" => CareSetting::Home,
                other => return Err(CmdError::invalid("setting", format!("供养方式“{other}”无效，应为 institution（集中）或 home（分散）"))),
            };
            rules::tekun(&st, &h, setting)?
        }
        "temp_aid" => {
            let kind = match need("kind", "临时救助类型", &i.kind)?.as_str() {
                "emergency" => TempAidKind::Emergency,
                "expenditure" => TempAidKind::Expenditure,
                other => return Err(CmdError::invalid("kind", format!("临时救助类型“{other}”无效，应为 emergency（急难型）或 expenditure（支出型）"))),
            };
            let basis = match (&i.tier, &i.multiple, &i.amount) {
                (Some(t), None, None) => TempAidBasis::Tier(t.clone()),
                (None, Some(m), None) => TempAidBasis::Multiple(
                    m.trim().parse().map_err(|_| CmdError::invalid("multiple", format!("倍数“{m}”不是有效数字")))?,
                ),
                (None, None, Some(a)) => TempAidBasis::Amount(fen_from_yuan("amount", a)?),
                _ => return Err(CmdError::invalid("tier", "请在档次、倍数、金额中选填一项")),
            };
            rules::temp_aid(&st, &TempAidRequest { area: h.area, kind, basis })?
        }
        "orphan" => {
            let category = match need("category", "儿童类别", &i.category)?.as_str() {
                "orphan_institution" => ChildCategory::OrphanInstitution,
                "orphan_scattered" => ChildCategory::OrphanScattered,
                "unsupported" => ChildCategory::Unsupported,
                other => return Err(CmdError::invalid("category", format!("儿童类别“{other}”无效"))),
            };
            rules::child_allowance(&st, member(i.person_id)?, category)?
        }
        "disability_subsidy" => rules::disability_subsidies(&st, member(i.person_id)?, i.low_income.unwrap_or(true))?,
        "price_subsidy" => {
            let index = PriceIndex {
                cpi_rise: ratio("cpi_rise", need("cpi_rise", "CPI 同比涨幅（%）", &i.cpi_rise)?)?,
                food_rise: i.food_rise.as_deref().filter(|t| !t.trim().is_empty()).map(|t| ratio("food_rise", t)).transpose()?,
            };
            rules::price_subsidy(&st, h.area, persons, &index)?
        }
        "one_time" => {
            let who = match need("for", "对象类别", &i.for_)?.as_str() {
                "dibao" => OneTimeFor::Dibao,
                "tekun" => OneTimeFor::Tekun,
                other => return Err(CmdError::invalid("for", format!("对象类别“{other}”无效，应为 dibao 或 tekun"))),
            };
            rules::one_time_subsidy(&st, who, persons)?
        }
        "gradual_exit" => {
            let current = fen_from_yuan("current_amount", need("current_amount", "现发放金额", &i.current_amount)?)?;
            let reason = match need("reason", "退出原因", &i.reason)?.as_str() {
                "employment" => ExitReason::Employment,
                "voluntary" => ExitReason::Voluntary { months: i.months.unwrap_or(1) },
                other => return Err(CmdError::invalid("reason", format!("退出原因“{other}”无效，应为 employment 或 voluntary"))),
            };
            let exit = rules::gradual_exit(&st, h.area, current, persons, reason)?;
            return Ok(CalculateReply {
                months: Some(exit.months),
                total: Some(yuan_text(exit.total_fen)),
                ..CalculateReply::of(p, &exit.monthly)
            });
        }
        other => {
            return Err(CmdError::invalid(
                "programme",
                format!("救助项目“{other}”无效，可选：dibao、dibao_single、tekun、temp_aid、orphan、disability_subsidy、price_subsidy、one_time、gradual_exit"),
            ))
        }
    };
    Ok(CalculateReply {
        month: Some(month),
        ..CalculateReply::of(p, &outcome)
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClassifyIn {
    household_id: i64,
    date: Option<NaiveDate>,
}

/// `benefit.classify`: the suggested programme, the members it is for, why, and the trail.
#[derive(Serialize, JsonSchema)]
pub(crate) struct ClassifyReply {
    suggestion: &'static str,
    label: &'static str,
    person_ids: Vec<i64>,
    reasons: Vec<String>,
    trail: Vec<TrailLineDto>,
    date: NaiveDate,
}

pub(crate) fn classify(s: &mut Session, v: Value) -> CmdResult<ClassifyReply> {
    let i: ClassifyIn = input(v)?;
    let stored = load_household(s, i.household_id, READ, "测算救助类别")?;
    let date = i.date.unwrap_or_else(|| s.clock.today());
    let st = Standards::as_of(&engine_rows(&s.conn)?, date);
    let h = engine_household(&s.conn, &stored, date)?;
    let c = rules::classify(&st, &h)?;
    let person_ids = match &c.suggestion {
        rules::Suggestion::SinglePerson { person_ids }
        | rules::Suggestion::Tekun { person_ids } => person_ids.clone(),
        _ => vec![],
    };
    let code = match &c.suggestion {
        rules::Suggestion::Dibao => "dibao",
        rules::Suggestion::SinglePerson { .. } => "dibao_single",
        rules::Suggestion::Marginal => "marginal",
        rules::Suggestion::Tekun { .. } => "tekun",
        rules::Suggestion::NotEligible => "not_eligible",
    };
    Ok(ClassifyReply {
        suggestion: code,
        label: c.suggestion.label(),
        person_ids,
        reasons: c.reasons,
        trail: trail_lines(&c.trail),
        date,
    })
}
