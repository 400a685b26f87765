//! Benefit amounts, classification and what-if, from the rules engine with the county's dated
//! standards and the household's registry and finances. Nothing here stores anything.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{json, Value};

use super::households::{load_household, READ};
use super::standards::engine_rows;
use super::{input, output, Session};
use crate::error::{CmdError, CmdResult};
use crate::rules::money::{fen_from_yuan, yuan_text};
use crate::rules::{
    self, Area, Assets, CareSetting, ChildCategory, ExitReason, ExpenditureKind, IncomeItem,
    IncomeKind, LabourCapacity, Member, OneTimeFor, Outcome, Period, PriceIndex, RigidExpenditure,
    SelfCare, SelfCareFacts, Standards, TempAidBasis, TempAidKind, TempAidRequest, Trail,
};
use crate::store::finances::Finances;
use crate::store::registry::{Household as StoredHousehold, Membership};
use crate::store::{self};

/// "2026-11" → the first day of that month.
pub(crate) fn month_start(field: &str, text: &str) -> CmdResult<NaiveDate> {
    crate::month::Month::parse_field(field, text).map(crate::month::Month::first_day)
}

pub(crate) fn trail_json(t: &Trail) -> Value {
    Value::Array(
        t.lines
            .iter()
            .map(|l| {
                json!({
                    "kind": l.kind, "text": l.text,
                    "amount": l.amount_fen.map(yuan_text),
                    "source": l.source.as_ref().map(|s| json!({
                        "key": s.key, "label": s.label, "scope": s.scope, "effective_from": s.effective_from,
                    })),
                })
            })
            .collect(),
    )
}

fn outcome_json(programme: &str, o: &Outcome) -> Value {
    json!({"programme": programme, "amount": yuan_text(o.amount_fen), "amount_fen": o.amount_fen, "trail": trail_json(&o.trail)})
}

/// The engine's view of a stored household on day `on`: open members already born, their
/// finances, urban/rural by 户籍.
pub(crate) fn engine_household(
    conn: &rusqlite::Connection,
    h: &StoredHousehold,
    on: NaiveDate,
) -> CmdResult<rules::Household> {
    let open: Vec<Membership> = store::registry::memberships(conn, h.id)?
        .into_iter()
        .filter(|m| m.left_on.is_none())
        .collect();
    Ok(engine_facts(
        &h.facts.hukou,
        open,
        store::finances::get(conn, h.id)?,
        on,
    ))
}

/// Every household of the registry in the engine's form, loaded in a handful of queries.
pub(crate) fn caseload(
    conn: &rusqlite::Connection,
    on: NaiveDate,
) -> CmdResult<Vec<(StoredHousehold, rules::Household)>> {
    let households = store::registry::all_households(conn)?;
    let mut finances = store::finances::all(conn)?;
    let mut members: HashMap<i64, Vec<Membership>> = HashMap::new();
    for m in store::registry::all_open_memberships(conn)? {
        members.entry(m.household_id).or_default().push(m);
    }
    Ok(households
        .into_iter()
        .filter_map(|h| {
            let open = members.remove(&h.id)?;
            let facts = engine_facts(
                &h.facts.hukou,
                open,
                finances.remove(&h.id).unwrap_or_default(),
                on,
            );
            Some((h, facts))
        })
        .collect())
}

/// A child born after `on` is not yet a member for that day's (month's) amount.
fn engine_facts(
    hukou: &str,
    open: Vec<Membership>,
    fin: Finances,
    on: NaiveDate,
) -> rules::Household {
    let members: Vec<Member> = open
        .into_iter()
        .filter(|m| m.person.facts.birth_date <= on)
        .map(|m| {
            let f = m.person.facts;
            Member {
                person_id: m.person.id,
                name: f.name,
                birth_date: f.birth_date,
                sex: f.sex,
                disability_type: f.disability_type,
                disability_grade: f.disability_grade,
                serious_illness: f.serious_illness,
                labour_capacity: LabourCapacity::from_code(&f.labour_capacity)
                    .unwrap_or(LabourCapacity::Full),
                self_care: SelfCareFacts::Level(
                    SelfCare::from_code(&f.self_care).unwrap_or(SelfCare::Able),
                ),
                student: f.student,
                employment: f.employment,
                covered: true,
                able_supporter: false,
            }
        })
        .collect();
    let present = |pid: i64| members.iter().any(|m| m.person_id == pid);
    let incomes = fin
        .incomes
        .into_iter()
        .filter(|i| present(i.person_id))
        .filter_map(|i| {
            let kind = IncomeKind::from_code(&i.kind)?;
            Some(IncomeItem {
                person_id: Some(i.person_id),
                kind,
                description: i.note.clone().unwrap_or_else(|| kind.label().to_owned()),
                amount_fen: i.amount_fen,
                period: if i.period == "annual" {
                    Period::Annual
                } else {
                    Period::Monthly
                },
                exempt_reason: if i.exempt { i.exempt_reason } else { None },
                earned: matches!(kind, IncomeKind::Wage | IncomeKind::Business),
            })
        })
        .collect();
    let expenditures = fin
        .expenditures
        .into_iter()
        .filter_map(|e| {
            let kind = ExpenditureKind::from_code(&e.kind)?;
            Some(RigidExpenditure {
                person_id: e.person_id,
                kind,
                description: e.note.unwrap_or_else(|| kind.label().to_owned()),
                annual_fen: e.annual_fen,
            })
        })
        .collect();
    rules::Household {
        area: Area::from_code(hukou).unwrap_or(Area::Rural),
        members,
        incomes,
        expenditures,
        assets: Assets {
            deposits_fen: fin.assets.deposits_fen,
            vehicles: fin.assets.vehicles as u32,
            extra_housing: fin.assets.extra_housing as u32,
        },
    }
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

pub(crate) fn calculate(s: &mut Session, v: Value) -> CmdResult<Value> {
    let i: CalculateIn = input(v)?;
    let stored = load_household(s, i.household_id, READ, "测算救助金额")?;
    let date = month_start("month", &i.month)?;
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
            let mut out = outcome_json(p, &exit.monthly);
            out["months"] = json!(exit.months);
            out["total"] = json!(yuan_text(exit.total_fen));
            return output(out);
        }
        other => {
            return Err(CmdError::invalid(
                "programme",
                format!("救助项目“{other}”无效，可选：dibao、dibao_single、tekun、temp_aid、orphan、disability_subsidy、price_subsidy、one_time、gradual_exit"),
            ))
        }
    };
    let mut out = outcome_json(p, &outcome);
    out["month"] = json!(format!("{:04}-{:02}", date.year(), date.month()));
    output(out)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClassifyIn {
    household_id: i64,
    date: Option<NaiveDate>,
}

pub(crate) fn classify(s: &mut Session, v: Value) -> CmdResult<Value> {
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
    output(json!({
        "suggestion": code, "label": c.suggestion.label(), "person_ids": person_ids,
        "reasons": c.reasons, "trail": trail_json(&c.trail), "date": date,
    }))
}
