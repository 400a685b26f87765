//! 调标: every open 低保/特困 case's amount recomputed under the standards in force from a month
//! ([`recompute`]), the cases whose amount changes listed with old, new, the reason (which
//! standard changed: 「城市低保标准 871 → 920 元」) and the new trail, the rest counted; and the
//! back pay a change costs for months already paid ([`back_pay`]). Pure: the command loads the
//! cases (household facts as the engine sees them, dated amounts, months paid) and the standards.
//!
//! Decisions where the policy is silent:
//! - a case in its 渐退期 keeps the amount fixed when exit was decided (the 渐退期 rule caps it
//!   by the standards of that time): listed as skipped, never recomputed;
//! - a case whose new amount is 0 (a lowered standard it no longer meets) is not stopped by a
//!   调标: it is listed as skipped, to be exited by the procedure with its notice;
//! - a case with an amount dated after the month recomputed (a change already recorded for a
//!   later month) is skipped: that later amount would override the new one;
//! - a lowered amount takes effect from the month recomputed for months not yet paid; months
//!   already paid are not recovered (back pay is only ever a positive difference).

use std::collections::HashSet;

use crate::error::{CmdError, CmdResult};
use crate::month::Month;
use crate::programme::Programme;
use crate::rules::{self, CareSetting, StandardRow, Standards, Trail, ValueKind};

/// One dated amount of a case: in force from `from` on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dated {
    pub from: Month,
    pub amount_fen: i64,
    pub persons: u32,
}

/// An open 低保/特困 case as the recompute sees it.
#[derive(Debug, Clone)]
pub struct OpenCase {
    pub case_id: i64,
    pub number: String,
    pub programme: Programme,
    pub head_name: String,
    pub township_id: i64,
    /// In its 渐退期 (state phasing_out).
    pub phasing_out: bool,
    /// 特困 in 集中供养.
    pub centralised: bool,
    /// The first month the case is paid.
    pub pay_from: Month,
    /// The household as the engine sees it on the first day of the month recomputed.
    pub household: rules::Household,
    /// Its dated amounts, oldest first (the latest of one month wins).
    pub amounts: Vec<Dated>,
}

/// A case whose amount changes.
#[derive(Debug, Clone)]
pub struct Change {
    pub case_id: i64,
    pub number: String,
    pub programme: Programme,
    pub head_name: String,
    pub township_id: i64,
    /// The month the new amount is in force from: the month recomputed, or the case's first
    /// paid month when later.
    pub from: Month,
    pub old_fen: i64,
    pub new_fen: i64,
    pub persons: u32,
    /// What changed: 「城市低保标准 871 → 920 元」, or the household when no standard did.
    pub reasons: Vec<String>,
    pub trail: Trail,
}

/// A case left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub case_id: i64,
    pub number: String,
    pub head_name: String,
    pub why: String,
}

/// The recompute of every open case from a month.
#[derive(Debug, Clone, Default)]
pub struct Recompute {
    pub changes: Vec<Change>,
    /// Cases whose amount stays as it is.
    pub unchanged: usize,
    pub skipped: Vec<Skipped>,
}

/// The amount in force in `month` from dated amounts: the latest starting on or before it.
pub fn amount_in(amounts: &[Dated], month: Month) -> Option<&Dated> {
    amounts.iter().rev().find(|a| a.from <= month)
}

fn outcome(st: &Standards, c: &OpenCase) -> CmdResult<rules::Outcome> {
    match c.programme {
        Programme::Tekun => {
            let setting = if c.centralised {
                CareSetting::Institution
            } else {
                CareSetting::Home
            };
            rules::tekun(st, &c.household, setting)
        }
        _ => rules::dibao(st, &c.household),
    }
}

/// A standard's value for a reason: money as yuan without trailing zeros, others as stored.
fn shown(key: &str, value: &str) -> String {
    let money = rules::key_def(key).is_some_and(|d| matches!(d.kind, ValueKind::Money));
    match value.trim().parse::<i64>() {
        Ok(fen) if money => {
            let text = rules::money::yuan_text(fen);
            format!("{} 元", text.trim_end_matches(".00"))
        }
        _ => value.trim().to_owned(),
    }
}

/// The standards that differ between the trail the amount in force rests on and the new one.
fn reasons(old: &Trail, new: &Trail) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for n in new.sources() {
        if !seen.insert((n.key, n.scope)) {
            continue;
        }
        let before = old.sources().find(|o| o.key == n.key && o.scope == n.scope);
        match before {
            Some(o) if o.value == n.value => {}
            Some(o) => out.push(format!(
                "{} {} → {}",
                n.label,
                shown(n.key, &o.value).trim_end_matches(" 元"),
                shown(n.key, &n.value)
            )),
            None if !old.lines.is_empty() => {
                out.push(format!("{} {}", n.label, shown(n.key, &n.value)))
            }
            None => {}
        }
    }
    if out.is_empty() {
        out.push("家庭情况已变化，按现有成员和收入重算".to_owned());
    }
    out
}

/// Recompute every case in `cases` under `rows` from `from`: a case's new amount is the rules'
/// amount with the standards in force in its month (`from`, or its first paid month when
/// later); the reason compares the new trail with the one under the standards of the amount in
/// force. A missing standard concerns every case and is the error (field `standards`); another
/// case's calculation error skips that case with the message.
pub fn recompute(rows: &[StandardRow], from: Month, cases: Vec<OpenCase>) -> CmdResult<Recompute> {
    let mut out = Recompute::default();
    let skip = |c: &OpenCase, why: &str| Skipped {
        case_id: c.case_id,
        number: c.number.clone(),
        head_name: c.head_name.clone(),
        why: why.to_owned(),
    };
    for c in cases {
        let month = from.max(c.pay_from);
        if c.phasing_out {
            out.skipped
                .push(skip(&c, "渐退期内按退出时核定的金额发放，不随标准调整"));
            continue;
        }
        if let Some(later) = c.amounts.iter().find(|a| a.from > month) {
            out.skipped.push(skip(
                &c,
                &format!("已有 {} 起的核定金额，请按变更程序重新核定", later.from),
            ));
            continue;
        }
        let Some(current) = amount_in(&c.amounts, month).cloned() else {
            out.skipped.push(skip(&c, "没有核定金额"));
            continue;
        };
        let st = Standards::as_of(rows, month.first_day());
        let new = match outcome(&st, &c) {
            Ok(o) => o,
            Err(e) if e.field.as_deref() == Some("standards") => return Err(e),
            Err(e) => {
                out.skipped
                    .push(skip(&c, &format!("无法计算：{}", e.message)));
                continue;
            }
        };
        if new.amount_fen == current.amount_fen {
            out.unchanged += 1;
            continue;
        }
        if new.amount_fen <= 0 {
            out.skipped.push(skip(
                &c,
                "按新标准计算金额为 0 元，调标不停发；如已不符合条件，请按退出程序办理",
            ));
            continue;
        }
        // The standards the amount in force rests on: those of its month, or (an amount older
        // than the county's first stored standards) those of the month before the recompute.
        let before = outcome(&Standards::as_of(rows, current.from.first_day()), &c)
            .or_else(|_| outcome(&Standards::as_of(rows, month.prev().first_day()), &c))
            .ok();
        let old_trail = before.as_ref().map(|o| o.trail.clone()).unwrap_or_default();
        let mut why = reasons(&old_trail, &new.trail);
        // The household differs from the one the amount was set for (a member turned 60, income
        // changed without a 变更): say so beside the standard, so the approver sees both.
        if let Some(o) = before.filter(|o| o.amount_fen != current.amount_fen) {
            if !why[0].starts_with("家庭情况已变化") {
                why.push(format!(
                    "家庭情况与核定时不同（按原标准现应为 {} 元）",
                    rules::money::yuan_text(o.amount_fen)
                ));
            }
        }
        out.changes.push(Change {
            case_id: c.case_id,
            number: c.number,
            programme: c.programme,
            head_name: c.head_name,
            township_id: c.township_id,
            from: month,
            old_fen: current.amount_fen,
            new_fen: new.amount_fen,
            persons: c.household.members.len() as u32,
            reasons: why,
            trail: new.trail,
        });
    }
    Ok(out)
}

/// The back pay a change costs: for each month in `paid` (months already paid for the case) from
/// the change's month on, the new amount less the amount in force then (`amounts`, before the
/// change), when positive. In month order.
pub fn back_pay(change: &Change, amounts: &[Dated], paid: &[Month]) -> Vec<(Month, i64)> {
    let mut months: Vec<Month> = paid.iter().copied().filter(|m| *m >= change.from).collect();
    months.sort();
    months.dedup();
    months
        .into_iter()
        .filter_map(|m| {
            let old = amount_in(amounts, m).map_or(0, |a| a.amount_fen);
            let diff = change.new_fen - old;
            (diff > 0).then_some((m, diff))
        })
        .collect()
}

/// The reason line of a case's 调标补发: 「调标补发：2026-09 至 2026-10 共 2 个月，合计 98.00 元（…）」.
pub fn back_pay_note(months: &[(Month, i64)], why: &str) -> String {
    let total: i64 = months.iter().map(|(_, f)| f).sum();
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return String::new();
    };
    let span = if first.0 == last.0 {
        first.0.to_string()
    } else {
        format!("{} 至 {}", first.0, last.0)
    };
    format!(
        "调标补发：{span} 共 {} 个月，合计 {} 元（{why}）",
        months.len(),
        rules::money::yuan_text(total)
    )
}

/// The warning when a standard takes effect in a month already paid (`run_months`: every month
/// run, open or locked): the months, and that a 调标 preview shows the cost. Saving is not
/// blocked: a value in force is never changed, and the 调标 decides what is paid back.
pub fn backdating_warning(effective: Month, run_months: &[String]) -> Option<String> {
    let mut paid: Vec<&str> = run_months
        .iter()
        .map(String::as_str)
        .filter(|m| Month::parse(m).is_some_and(|m| m >= effective))
        .collect();
    paid.sort_unstable();
    let (first, last) = (paid.first()?, paid.last()?);
    let span = if first == last {
        (*first).to_owned()
    } else {
        format!("{first} 至 {last}")
    };
    Some(format!(
        "新标准自 {effective} 起执行，而 {span} 已发放（共 {} 个月）：已核定的金额不会自动改变；请在保障标准页「调标」中以 {effective} 为起始月份预览，将列出各户新旧金额和补发金额",
        paid.len()
    ))
}

/// Who may confirm a batch: a county approver other than the one who submitted it (双人复核).
/// Errors: `forbidden` naming the rule.
pub fn check_confirmer(submitted_by: i64, confirmer: i64) -> CmdResult<()> {
    if submitted_by == confirmer {
        return Err(CmdError::forbidden(
            "调标须由提交人以外的另一位县级审批人确认（双人复核）：您提交了此批次，不能确认",
        ));
    }
    Ok(())
}

/// Whether a case frozen in a batch may still take its new amount at confirmation: not when a
/// step was taken on it since (a change, an exit, a review: its amount or state may differ from
/// the list) or it is no longer enrolled. `None` when it may; otherwise the reason it is skipped.
pub fn still_as_submitted(
    frozen_step: i64,
    last_step: Option<i64>,
    enrolled: bool,
) -> Option<&'static str> {
    if !enrolled {
        Some("提交后案件已不在保障中（已退出或进入渐退期），未调整")
    } else if last_step != Some(frozen_step) {
        Some("提交后案件有新的办理步骤，金额可能已变化，未调整；请重新预览并另行提交")
    } else {
        None
    }
}

#[cfg(test)]
mod tests;
