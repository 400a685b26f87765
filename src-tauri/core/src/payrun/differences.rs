//! The differences a run leaves to review: each case whose regular payment is new, stopped or
//! changed since last month, each case paid back pay, each adjustment and re-send, with the
//! reason in Chinese taken from the case's timeline.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::types::{Difference, Payment};
use crate::rules::money::yuan_text;

use super::{DifferenceKind, PaymentKind};

/// Regular monthly amounts paid in a month, by case: (amount, persons).
pub type RegularByCase = HashMap<i64, (i64, i64)>;

/// What a reason needs of a case: its decision, its exit and the step that set its amount.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFacts {
    pub household_id: i64,
    pub township_id: i64,
    pub pay_from: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub pay_until: Option<String>,
    pub grace_months: Option<u32>,
    pub exit_decided_on: Option<NaiveDate>,
    /// work_income | voluntary | other.
    pub exit_reason: Option<String>,
    pub exit_note: Option<String>,
    /// For a changed amount: the timeline step that wrote the amount in force this month,
    /// (action, data JSON).
    pub amount_step: Option<(String, String)>,
    /// For a case imported from a ledger: the first month Doudi pays it (empty when the import
    /// did not record one).
    pub imported_from: Option<String>,
}

impl CaseFacts {
    /// An imported case whose first month in Doudi is paid in this run (`earliest`: the first
    /// month this run paid it for): its difference is the import.
    fn first_after_import(&self, earliest: Option<&str>) -> Option<String> {
        let from = self.imported_from.as_deref().filter(|f| !f.is_empty())?;
        let ledger = self.pay_from.clone().unwrap_or_default();
        if earliest? != from.max(ledger.as_str()) {
            return None;
        }
        Some(format!(
            "台账导入：原台账自 {ledger} 起享受，本系统自 {from} 起发放（此前各月由原系统发放，不补发）"
        ))
    }
}

/// What the differences of `month` are worked out from.
#[derive(Debug, Clone, Default)]
pub struct DifferenceInput {
    pub month: String,
    /// Regular payments of this month (after the run's rows went in) and of last month.
    pub this: RegularByCase,
    pub prev: RegularByCase,
    /// Whether last month was run in this system.
    pub prev_run: bool,
    /// The facts of every case in [`cases_to_load`].
    pub cases: HashMap<i64, CaseFacts>,
    /// The payments this run (or adjustment) put in.
    pub inserted: Vec<Payment>,
}

/// Cases whose regular payment differs from last month's, by id: new, stopped or changed.
/// Only the cases that differ are collected and sorted (a county's month has tens of thousands).
pub fn changed_cases(this: &RegularByCase, prev: &RegularByCase) -> Vec<(i64, DifferenceKind)> {
    let mut out: Vec<(i64, DifferenceKind)> = this
        .iter()
        .filter_map(|(id, (new, _))| match prev.get(id) {
            None => Some((*id, DifferenceKind::New)),
            Some((old, _)) if old != new => Some((*id, DifferenceKind::Changed)),
            Some(_) => None,
        })
        .chain(
            prev.keys()
                .filter(|id| !this.contains_key(id))
                .map(|id| (*id, DifferenceKind::Stopped)),
        )
        .collect();
    out.sort_unstable_by_key(|(id, _)| *id);
    out
}

/// The cases whose facts [`differences`] reads, each with whether its amount step is needed
/// (only for a changed amount): the changed cases and the cases paid back pay.
pub fn cases_to_load(
    this: &RegularByCase,
    prev: &RegularByCase,
    inserted: &[Payment],
) -> BTreeMap<i64, bool> {
    let mut out: BTreeMap<i64, bool> = changed_cases(this, prev)
        .into_iter()
        .map(|(id, kind)| (id, kind == DifferenceKind::Changed))
        .collect();
    for p in inserted
        .iter()
        .filter(|p| p.kind == PaymentKind::BackPay.code())
    {
        out.entry(p.source_id).or_insert(false);
    }
    out
}

fn exit_label(code: &str) -> &'static str {
    match code {
        "work_income" => "就业后收入超过标准",
        "voluntary" => "主动退出",
        _ => "其他原因",
    }
}

fn date_text(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// Why a case's regular payment is new, stopped or changed this month.
fn reason(
    kind: DifferenceKind,
    c: &CaseFacts,
    month: &str,
    back_months: Option<usize>,
    prev_run: bool,
    earliest: Option<&str>,
) -> String {
    let pay_from = c.pay_from.clone().unwrap_or_default();
    let decided = date_text(c.decided_on);
    if let (DifferenceKind::New, Some(text)) = (kind, c.first_after_import(earliest)) {
        return match back_months {
            Some(n) => format!("{text}；本月补发本系统起付后的 {n} 个月"),
            None => text,
        };
    }
    match kind {
        DifferenceKind::New => match back_months {
            Some(n) => format!(
                "{decided} 审批同意，自 {pay_from} 起享受；起始发放月早于本月 {month}，本月补发 {n} 个月"
            ),
            None if pay_from == month => format!("{decided} 审批同意，自 {month} 起发放"),
            None if !prev_run => format!("本系统首次发放（{pay_from} 起享受）"),
            None => "上月未发放，本月恢复发放".to_owned(),
        },
        DifferenceKind::Stopped => match (&c.pay_until, c.grace_months.unwrap_or(0)) {
            (Some(until), g) if g > 0 => format!(
                "渐退期结束：{} 决定退出（{}），渐退期 {g} 个月，发放至 {until}",
                date_text(c.exit_decided_on),
                exit_label(c.exit_reason.as_deref().unwrap_or("")),
            ),
            (Some(until), _) => format!(
                "{} 决定退出（{}）：{}，发放至 {until}",
                date_text(c.exit_decided_on),
                exit_label(c.exit_reason.as_deref().unwrap_or("")),
                c.exit_note.clone().unwrap_or_default(),
            ),
            _ => "本月无应发金额".to_owned(),
        },
        _ => match &c.amount_step {
            Some((action, data)) if action == "record_change" => {
                let d: serde_json::Value =
                    serde_json::from_str(data).unwrap_or(serde_json::Value::Null);
                format!(
                    "{} 变更：{}，{} 起每月 {} 元",
                    d["date"].as_str().unwrap_or(""),
                    d["summary"].as_str().unwrap_or(""),
                    d["from_month"].as_str().unwrap_or(""),
                    d["amount"].as_str().unwrap_or(""),
                )
            }
            Some((action, data)) if action == "recompute" => {
                let d: serde_json::Value =
                    serde_json::from_str(data).unwrap_or(serde_json::Value::Null);
                format!(
                    "调标：{}，{} 起每月 {} 元（原 {} 元）",
                    d["summary"].as_str().unwrap_or(""),
                    d["from_month"].as_str().unwrap_or(""),
                    d["amount"].as_str().unwrap_or(""),
                    d["old_amount"].as_str().unwrap_or(""),
                )
            }
            _ => "核定金额变化".to_owned(),
        },
    }
}

/// The differences of the run: by case (new, stopped, changed; a case whose facts are missing
/// is left out), then back pay by case, then the adjustments and re-sends put in.
pub fn differences(input: &DifferenceInput) -> Vec<Difference> {
    let month = input.month.as_str();
    let mut back: BTreeMap<i64, Vec<&Payment>> = BTreeMap::new();
    for p in input
        .inserted
        .iter()
        .filter(|p| p.kind == PaymentKind::BackPay.code())
    {
        back.entry(p.source_id).or_default().push(p);
    }
    let mut out = Vec::new();
    for (id, kind) in changed_cases(&input.this, &input.prev) {
        let Some(c) = input.cases.get(&id) else {
            continue;
        };
        let back_months = back.get(&id).map(Vec::len);
        let earliest = match back.get(&id) {
            Some(list) => Some(list[0].for_month.as_str()),
            None => (kind == DifferenceKind::New).then_some(month),
        };
        out.push(Difference {
            month: month.to_owned(),
            kind: kind.code().to_owned(),
            key: format!("case:{id}"),
            case_id: Some(id),
            household_id: c.household_id,
            township_id: c.township_id,
            old_fen: input.prev.get(&id).map_or(0, |x| x.0),
            new_fen: input.this.get(&id).map_or(0, |x| x.0),
            reason: reason(kind, c, month, back_months, input.prev_run, earliest),
            ..Difference::default()
        });
    }
    for (id, list) in &back {
        let total: i64 = list.iter().map(|p| p.amount_fen).sum();
        let first = &list[0];
        let last = &list[list.len() - 1];
        let facts = input.cases.get(id);
        let decided = date_text(facts.and_then(|c| c.decided_on));
        let what = format!(
            "补发 {}–{} 共 {} 个月，合计 {} 元",
            first.for_month,
            last.for_month,
            list.len(),
            yuan_text(total)
        );
        let reason = match facts.and_then(|c| c.first_after_import(Some(&first.for_month))) {
            Some(text) => format!("{text}；{what}"),
            None if !first.note.is_empty() => format!("{}：{what}", first.note),
            None => format!(
                "{decided} 审批同意，自 {} 起享受，起始发放月早于本月 {}：{what}",
                first.start_month.clone().unwrap_or_default(),
                month,
            ),
        };
        out.push(Difference {
            month: month.to_owned(),
            kind: DifferenceKind::BackPay.code().into(),
            key: format!("case:{id}:{}", first.for_month),
            case_id: Some(*id),
            household_id: first.payee.household_id,
            township_id: first.payee.township_id,
            old_fen: 0,
            new_fen: total,
            reason,
            ..Difference::default()
        });
    }
    out.extend(payment_differences(month, &input.inserted));
    out
}

/// The differences of adjustments and re-sends among `inserted`: each is listed by itself.
pub fn payment_differences(month: &str, inserted: &[Payment]) -> Vec<Difference> {
    inserted
        .iter()
        .filter_map(|p| {
            let kind = match p.kind.as_str() {
                k if k == PaymentKind::Adjustment.code() => DifferenceKind::Adjustment,
                k if k == PaymentKind::Resend.code() => DifferenceKind::Resend,
                _ => return None,
            };
            Some(Difference {
                month: month.to_owned(),
                kind: kind.code().to_owned(),
                key: format!("{}:{}", p.source_kind, p.source_id),
                case_id: p.case_id,
                household_id: p.payee.household_id,
                township_id: p.payee.township_id,
                old_fen: 0,
                new_fen: p.amount_fen,
                // A 调标's back pay says so itself (「调标补发：…」, `recompute::back_pay_note`).
                reason: if kind == DifferenceKind::Adjustment && !p.note.starts_with("调标补发")
                {
                    format!("调整（{}）：{}", p.for_month, p.note)
                } else {
                    p.note.clone()
                },
                ..Difference::default()
            })
        })
        .collect()
}
