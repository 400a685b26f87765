//! The township reserve fund (乡镇备用金) as the county records it: the kinds of ledger entry with
//! their labels, and what a top-up or an adjustment typed by the county amounts to. Pure; the
//! store keeps the ledger and refuses an overdraft.

use chrono::NaiveDate;

use crate::error::{CmdError, CmdResult};
use crate::rules::money::fen_from_yuan;

/// What a ledger line is: money in (`TopUp`, `Refund`, an `Adjustment` either way) or an
/// advance paid out by `temp_aid.act`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    TopUp,
    Advance,
    Refund,
    Adjustment,
}

impl EntryKind {
    pub const ALL: [EntryKind; 4] = [
        EntryKind::TopUp,
        EntryKind::Advance,
        EntryKind::Refund,
        EntryKind::Adjustment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::TopUp => "top_up",
            EntryKind::Advance => "advance",
            EntryKind::Refund => "refund",
            EntryKind::Adjustment => "adjustment",
        }
    }

    pub fn parse(code: &str) -> Option<EntryKind> {
        EntryKind::ALL.into_iter().find(|k| k.as_str() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            EntryKind::TopUp => "拨付补充",
            EntryKind::Advance => "先行救助支出",
            EntryKind::Refund => "退回",
            EntryKind::Adjustment => "调整",
        }
    }
}

/// The label of an entry kind's code ("" for an unknown code).
pub fn entry_kind_label(code: &str) -> &'static str {
    EntryKind::parse(code).map_or("", |k| k.label())
}

/// The date of an entry: today when not given, never later than today.
pub fn entry_date(on: Option<NaiveDate>, today: NaiveDate) -> CmdResult<NaiveDate> {
    let on = on.unwrap_or(today);
    if on > today {
        return Err(CmdError::invalid(
            "entry_on",
            format!("日期 {on} 晚于今天，请填写实际到账日期"),
        ));
    }
    Ok(on)
}

/// A top-up's amount in fen: positive, with a voucher reference.
pub fn top_up_amount(amount: &str, reference: &str) -> CmdResult<i64> {
    let fen = fen_from_yuan("amount", amount)?;
    if fen == 0 {
        return Err(CmdError::invalid("amount", "拨付金额必须大于 0"));
    }
    if reference.trim().is_empty() {
        return Err(CmdError::invalid("reference", "请填写拨付凭证号或文号"));
    }
    Ok(fen)
}

/// A refund or adjustment: its kind and signed amount in fen (a refund comes in; an adjustment
/// goes `in` or `out`), with a reference and a reason.
pub fn adjustment(
    kind: &str,
    direction: Option<&str>,
    amount: &str,
    reference: &str,
    note: &str,
) -> CmdResult<(EntryKind, i64)> {
    let fen = fen_from_yuan("amount", amount)?;
    if fen == 0 {
        return Err(CmdError::invalid("amount", "金额必须大于 0"));
    }
    let line = match (kind, direction) {
        ("refund", None | Some("in")) => (EntryKind::Refund, fen),
        ("adjustment", Some("in")) => (EntryKind::Adjustment, fen),
        ("adjustment", Some("out")) => (EntryKind::Adjustment, -fen),
        ("adjustment", _) => {
            return Err(CmdError::invalid(
                "direction",
                "请选择调整方向：in（调增）或 out（调减）",
            ))
        }
        ("refund", Some(_)) => {
            return Err(CmdError::invalid("direction", "退回只能是调入备用金（in）"))
        }
        (other, _) => {
            return Err(CmdError::invalid(
                "kind",
                format!("“{other}”无效，应为 refund（退回）或 adjustment（调整）"),
            ))
        }
    };
    if reference.trim().is_empty() {
        return Err(CmdError::invalid("reference", "请填写凭证号或文号"));
    }
    if note.trim().is_empty() {
        return Err(CmdError::invalid("note", "请填写退回或调整的原因"));
    }
    Ok(line)
}
