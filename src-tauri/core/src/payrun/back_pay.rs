//! Back pay nobody decided: an approval entered today but dated months back would pay months of
//! back pay in the next run. Back pay for months before the county's limit — the month after the
//! approval was *entered* in Doudi, less `payment.back_pay_months` (a dated standard, default 0:
//! from the month after the entry, nothing earlier) — is held: not paid, listed in the run's
//! differences as 补发待确认, until someone other than the approver and the one who ran the month
//! confirms it with a reason ([`confirm`]); it is then paid as back pay (in that run if still
//! open, or the next). Pure: the planner calls [`free_from`] and the command [`confirm`].

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::types::{Difference, Payee};
use super::DifferenceKind;
use crate::error::{CmdError, CmdResult};
use crate::month::Month;
use crate::rules::money::yuan_text;
use crate::rules::{StandardRow, Standards};

/// A month of back pay held by an earlier run and not yet paid, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hold {
    pub case_id: i64,
    pub for_month: String,
    /// When confirmed: "确认人：原因", the note its payment carries.
    pub confirmed: Option<String>,
}

/// A month of back pay this run holds, with what its difference shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Held {
    pub case_id: i64,
    pub for_month: String,
    pub amount_fen: i64,
    pub payee: Payee,
    pub pay_from: String,
    /// The date the approval was entered, and the first month payable without confirmation.
    pub entered: String,
    pub free_from: String,
}

/// The key of a held back pay's difference: listed once per case and run month.
pub fn held_key(case_id: i64) -> String {
    format!("held:case:{case_id}")
}

/// The label of a held back pay's difference: awaiting confirmation, or confirmed.
pub fn held_label(awaiting: bool) -> &'static str {
    if awaiting {
        "补发待确认"
    } else {
        "补发已确认"
    }
}

/// Whether a difference's key is that of held back pay.
pub fn is_held_key(key: &str) -> bool {
    key.starts_with("held:")
}

/// The first month a case may be back-paid without a second person's confirmation, from the
/// date its approval was entered (`YYYY-MM-DD…`) and the county's `payment.back_pay_months` in
/// force that day (0 when the county has not set it). `None`: no limit (no approval entered, as
/// for a case imported from a ledger).
pub fn free_from(approved_at: Option<&str>, standards: &[StandardRow]) -> Option<Month> {
    let day = NaiveDate::parse_from_str(approved_at?.get(..10)?, "%Y-%m-%d").ok()?;
    let months = Standards::as_of(standards, day)
        .integer("payment.back_pay_months", None)
        .map_or(0, |l| l.value);
    Some(Month::of(day).next().shift(-(months as i32)))
}

/// The differences of the back pay a run holds: one per case, naming the months, the amount
/// and the limit, to be confirmed.
pub fn held_differences(month: &str, held: &[Held]) -> Vec<Difference> {
    let mut by_case: BTreeMap<i64, Vec<&Held>> = BTreeMap::new();
    for h in held {
        by_case.entry(h.case_id).or_default().push(h);
    }
    by_case
        .into_iter()
        .map(|(id, list)| {
            let (first, last) = (list[0], list[list.len() - 1]);
            let total: i64 = list.iter().map(|h| h.amount_fen).sum();
            Difference {
                month: month.to_owned(),
                kind: DifferenceKind::BackPay.code().into(),
                key: held_key(id),
                case_id: Some(id),
                household_id: first.payee.household_id,
                township_id: first.payee.township_id,
                old_fen: 0,
                new_fen: total,
                reason: format!(
                    "补发待确认：审批于 {} 录入，自 {} 起享受；{}–{} 共 {} 个月 {} 元早于本县可直接补发的 {}，本月暂不发放，须写明原因并由审批人、发放人以外的另一人确认后补发",
                    first.entered.get(..10).unwrap_or(&first.entered),
                    first.pay_from,
                    first.for_month,
                    last.for_month,
                    list.len(),
                    yuan_text(total),
                    first.free_from,
                ),
                ..Difference::default()
            }
        })
        .collect()
}

/// Who may confirm a case's held back pay, and the reason (trimmed): an approver other than the
/// one who approved the case and the one who ran the month, with a reason, when something is
/// held. Fields `case_id`, `reason`.
pub fn confirm(
    user_id: i64,
    approved_by: Option<i64>,
    run_by: Option<i64>,
    held_months: usize,
    reason: &str,
) -> CmdResult<String> {
    if held_months == 0 {
        return Err(CmdError::invalid("case_id", "此案件没有待确认的补发"));
    }
    if approved_by == Some(user_id) {
        return Err(CmdError::forbidden(
            "补发须由审批此案件以外的另一人确认：您审批了此案件，不能确认其补发",
        ));
    }
    if run_by == Some(user_id) {
        return Err(CmdError::forbidden(
            "补发须由执行发放以外的另一人确认：您执行了本月发放，不能确认其补发",
        ));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(CmdError::invalid(
            "reason",
            "请写明补发原因（为何此前未发放、补发依据）",
        ));
    }
    Ok(reason.to_owned())
}
