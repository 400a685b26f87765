//! The typed replies of `recompute.*` and how a change, a frozen item and a batch are shown.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use super::super::benefits::trail_json;
use super::super::Session;
use crate::error::CmdResult;
use crate::programme::Programme;
use crate::recompute::Change;
use crate::rules::money::yuan_text;
use crate::store::recompute::{self as store_rc, Batch, Item};

/// One case whose amount changes, as the pages show it.
#[derive(Serialize, JsonSchema)]
pub(crate) struct ChangeRow {
    pub(super) case_id: i64,
    pub(super) number: String,
    pub(super) head_name: String,
    pub(super) township_name: String,
    pub(super) programme_label: &'static str,
    pub(super) from_month: String,
    pub(super) old: String,
    pub(super) new: String,
    pub(super) change: String,
    pub(super) reason: String,
    /// The new amount's calculation trail (as `case.get` shows a trail).
    pub(super) trail: Value,
    /// After a decision: 「已调整」 or why the case was skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) outcome: Option<String>,
}

/// A case left out of the recompute, and why.
#[derive(Serialize, JsonSchema)]
pub(crate) struct SkippedRow {
    pub(super) case_id: i64,
    pub(super) number: String,
    pub(super) head_name: String,
    pub(super) why: String,
}

/// Back pay of one month already paid.
#[derive(Serialize, JsonSchema)]
pub(crate) struct MonthBackPay {
    pub(super) month: String,
    pub(super) amount: String,
}

/// `recompute.preview`.
#[derive(Serialize, JsonSchema)]
pub(crate) struct PreviewReply {
    pub(super) from_month: String,
    pub(super) changes: Vec<ChangeRow>,
    pub(super) count: usize,
    pub(super) unchanged: usize,
    pub(super) skipped: Vec<SkippedRow>,
    /// The sum of every change, per month.
    pub(super) monthly_change: String,
    /// Back pay for months already paid, by month, and its total.
    pub(super) back_pay: Vec<MonthBackPay>,
    pub(super) back_pay_total: String,
    pub(super) warning: Option<String>,
    /// A batch of this month already waiting for confirmation.
    pub(super) pending_batch_id: Option<i64>,
}

/// A batch as the pages show it, with its frozen list.
#[derive(Serialize, JsonSchema)]
pub(crate) struct BatchReply {
    pub(super) id: i64,
    pub(super) from_month: String,
    pub(super) state: String,
    pub(super) state_label: &'static str,
    pub(super) reason: String,
    pub(super) submitted_by: String,
    pub(super) submitted_by_id: i64,
    pub(super) submitted_at: String,
    pub(super) decided_by: Option<String>,
    pub(super) decided_at: Option<String>,
    pub(super) note: String,
    pub(super) count: usize,
    pub(super) monthly_change: String,
    pub(super) back_pay: String,
    pub(super) items: Vec<ChangeRow>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct ListReply {
    pub(super) batches: Vec<BatchReply>,
}

pub(super) fn change_row(c: &Change, township: &str) -> ChangeRow {
    ChangeRow {
        case_id: c.case_id,
        number: c.number.clone(),
        head_name: c.head_name.clone(),
        township_name: township.to_owned(),
        programme_label: c.programme.label(),
        from_month: c.from.to_string(),
        old: yuan_text(c.old_fen),
        new: yuan_text(c.new_fen),
        change: yuan_text(c.new_fen - c.old_fen),
        reason: c.reasons.join("；"),
        trail: trail_json(&c.trail),
        outcome: None,
    }
}

pub(super) fn item_row(i: &Item) -> ChangeRow {
    ChangeRow {
        case_id: i.case_id,
        number: i.number.clone(),
        head_name: i.head_name.clone(),
        township_name: i.township_name.clone(),
        programme_label: Programme::label_of(&i.programme),
        from_month: i.from_month.clone(),
        old: yuan_text(i.old_fen),
        new: yuan_text(i.new_fen),
        change: yuan_text(i.new_fen - i.old_fen),
        reason: i.reason.clone(),
        trail: serde_json::from_str(&i.trail).unwrap_or(Value::Null),
        outcome: i.outcome.clone(),
    }
}

pub(super) fn state_label(state: &str) -> &'static str {
    match state {
        "pending" => "待确认",
        "confirmed" => "已确认生效",
        "cancelled" => "已取消",
        _ => "—",
    }
}

pub(super) fn batch_reply(s: &Session, b: Batch) -> CmdResult<BatchReply> {
    let items: Vec<ChangeRow> = store_rc::items(&s.conn, b.id)?
        .iter()
        .map(item_row)
        .collect();
    Ok(BatchReply {
        id: b.id,
        state_label: state_label(&b.state),
        from_month: b.from_month,
        state: b.state,
        reason: b.reason,
        submitted_by: b.submitted_by_name,
        submitted_by_id: b.submitted_by,
        submitted_at: b.submitted_at,
        decided_by: b.decided_by_name,
        decided_at: b.decided_at,
        note: b.note,
        count: items.len(),
        monthly_change: yuan_text(b.monthly_change_fen),
        back_pay: yuan_text(b.back_pay_fen),
        items,
    })
}
