//! Which months may be run, reviewed, locked or adjusted, from the runs there are: refusals with
//! their Chinese messages (field `month`, `amount`, `reason`).

use chrono::NaiveDate;

use crate::error::{CmdError, CmdResult};
use crate::month::Month;

use super::account::Unpayable;
use super::types::Run;

fn locked(month: &str, then: &str) -> CmdError {
    CmdError::conflict("month", format!("{month} 的发放已锁定，不能再改动；{then}"))
}

/// A run may pay at most next month (from `today`).
pub fn runnable(month: Month, today: NaiveDate) -> CmdResult<()> {
    let latest = Month::of(today).next();
    if month > latest {
        return Err(CmdError::invalid(
            "month",
            format!("最多只能提前发放下个月（{latest}）"),
        ));
    }
    Ok(())
}

/// Which months may be run: not a locked one, not before a later run, not after an open one.
/// Returns `since`, the earliest month a run may pay for (the first month run in Doudi).
pub fn run_order(runs: &[Run], month: &str) -> CmdResult<String> {
    if runs.iter().any(|r| r.month == month && r.state == "locked") {
        return Err(locked(month, "更正请在以后的月份登记调整"));
    }
    if let Some(r) = runs.iter().find(|r| r.month.as_str() > month) {
        return Err(CmdError::invalid(
            "month",
            format!("已有 {} 的发放，不能再发放更早的 {month}", r.month),
        ));
    }
    if let Some(r) = runs
        .iter()
        .find(|r| r.month.as_str() < month && r.state == "open")
    {
        return Err(CmdError::conflict(
            "month",
            format!(
                "{} 的发放尚未锁定，请先审核并锁定该月，再发放 {month}",
                r.month
            ),
        ));
    }
    Ok(runs
        .iter()
        .map(|r| r.month.clone())
        .chain([month.to_owned()])
        .min()
        .unwrap_or_else(|| month.to_owned()))
}

/// The open run of `month` (to review or lock), or why not.
pub fn open_run(run: Option<Run>, month: &str) -> CmdResult<Run> {
    let run =
        run.ok_or_else(|| CmdError::invalid("month", format!("{month} 还没有发放，请先执行发放")))?;
    if run.state == "locked" {
        return Err(locked(month, "更正请在以后的月份登记调整"));
    }
    Ok(run)
}

/// An adjustment of `amount_fen` for `month`: more than 0, with a reason (trimmed, returned),
/// in a month not locked and not before a later run. Also says whether the month is run already.
pub fn adjustment(
    runs: &[Run],
    month: &str,
    amount_fen: i64,
    reason: &str,
) -> CmdResult<(String, bool)> {
    if amount_fen == 0 {
        return Err(CmdError::invalid("amount", "调整金额应大于 0 元"));
    }
    let reason = reason.trim().to_owned();
    if reason.is_empty() {
        return Err(CmdError::invalid(
            "reason",
            "请写明调整原因（更正哪个月、为什么）",
        ));
    }
    if let Some(r) = runs
        .iter()
        .find(|r| r.month == month && r.state == "locked")
    {
        return Err(locked(&r.month, "调整请登记在以后的月份"));
    }
    if let Some(r) = runs.iter().find(|r| r.month.as_str() > month) {
        return Err(CmdError::invalid(
            "month",
            format!("已有 {} 的发放，调整应登记在尚未锁定的月份", r.month),
        ));
    }
    Ok((reason, runs.iter().any(|r| r.month == month)))
}

/// At the lock, the payees whose account cannot be paid: with the county's
/// `payment.invalid_account` = `refuse` any of them refuses the lock (field `month`, the first
/// five named); with `hold` they are the ones
/// to hold off the roster.
pub fn invalid_accounts_at_lock<'a>(
    month: &str,
    policy: &str,
    unpayable: &'a [Unpayable],
) -> CmdResult<&'a [Unpayable]> {
    if unpayable.is_empty() || policy == "hold" {
        return Ok(unpayable);
    }
    let named: Vec<String> = unpayable
        .iter()
        .take(5)
        .map(|u| format!("{}（{}）", u.payee_name, u.why))
        .collect();
    Err(CmdError::conflict(
        "month",
        format!(
            "{month} 有 {} 户收款人的银行账号无法发放：{}{}。请在家庭信息中补正开户银行和账号，重新执行发放后再锁定（县里也可将“收款人银行账号无效时”设为暂缓发放）",
            unpayable.len(),
            named.join("；"),
            if unpayable.len() > 5 { "；……" } else { "" }
        ),
    ))
}
