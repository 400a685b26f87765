//! Benefit amounts and classification, from the rules engine with the county's dated standards
//! and the household's registry and finances. Nothing here stores anything.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::households::{load_household, READ};
use super::{input, Session};
use crate::calculation::{self, Calculated, Options};
use crate::error::CmdResult;
use crate::month::Month;
use crate::rules::money::yuan_text;
use crate::rules::{self, LineKind, Outcome, Standards, Trail, TrailLine};
pub(crate) use crate::store::caseload::household as engine_household;
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
    let options = Options {
        programme: i.programme,
        person_id: i.person_id,
        setting: i.setting,
        kind: i.kind,
        tier: i.tier,
        multiple: i.multiple,
        amount: i.amount,
        residence: stored
            .urban_rural
            .as_deref()
            .and_then(rules::Area::from_code),
        category: i.category,
        low_income: i.low_income,
        cpi_rise: i.cpi_rise,
        food_rise: i.food_rise,
        for_: i.for_,
        current_amount: i.current_amount,
        reason: i.reason,
        months: i.months,
    };
    let p = options.programme.as_str();
    Ok(match calculation::calculate(&st, &h, &options)? {
        Calculated::Monthly(outcome) => CalculateReply {
            month: Some(month),
            ..CalculateReply::of(p, &outcome)
        },
        Calculated::Exit(exit) => CalculateReply {
            months: Some(exit.months),
            total: Some(yuan_text(exit.total_fen)),
            ..CalculateReply::of(p, &exit.monthly)
        },
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
