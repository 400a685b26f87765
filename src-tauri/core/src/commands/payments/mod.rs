//! 月度发放: the monthly payment run, batch grants, adjustments, the differences from last month,
//! their review and the lock. A locked month is immutable; a later correction is an adjustment
//! paid in a later month. The roster and the bank's return file are in `payment_files`.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};

use super::standards::engine_rows;
use super::{input, Session, Stamp};
use crate::auth::Role;
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::month::Month;
use crate::payrun::{self, kind_label};
use crate::rules::money::{fen_from_yuan, yuan_text};
use crate::rules::{Area, Standards};
use crate::store::payments::{self as store_pay, Payment};
use crate::store::{self};

mod confirm;
mod reply;
mod settle;
pub(crate) use confirm::confirm_back_pay;
pub(crate) use reply::{view, BankReturnReply, Imported, MonthReply, RosterReply};
use reply::{AdjustReply, CollectiveReply, GrantReply, ReviewReply, RunReply};

/// A 'YYYY-MM' month from input, normalised. Kept for `commands::stats`, which calls it;
/// payment.* use `Month::parse_field` directly.
pub(crate) fn month_in(field: &str, text: &str) -> CmdResult<(String, NaiveDate)> {
    let m = Month::parse_field(field, text)?;
    Ok((m.to_string(), m.first_day()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MonthIn {
    month: String,
}

pub(crate) fn run(s: &mut Session, v: Value) -> CmdResult<RunReply> {
    let user = s
        .require(&[Role::Approver, Role::Admin], "执行月度发放")?
        .clone();
    let i: MonthIn = input(v)?;
    let m = Month::parse_field("month", &i.month)?;
    let (month, date) = (m.to_string(), m.first_day());
    payrun::runnable(m, s.clock.today())?;
    let rows = engine_rows(&s.conn)?;
    let st = Standards::as_of(&rows, date);
    st.money("dibao.standard", Some(Area::Rural))?;
    st.money("dibao.standard", Some(Area::Urban))?;
    let since = payrun::run_order(&store_pay::runs(&s.conn)?, &month)?;
    let (mut planned, held) =
        payrun::plan_with_holds(&store_pay::plan_input(&s.conn, rows, &month, &since)?)?;
    let collective = store_pay::collective_account(&s.conn)?;
    if let Some(a) = &collective {
        payrun::to_collective(&mut planned, &store_pay::centralised_cases(&s.conn)?, a);
    }
    let stamp = Stamp::of(s)?;
    let (added, amount, diffs) = with_tx(&mut s.conn, |tx| {
        store_pay::record_run(tx, &month, &stamp.at, user.id)?;
        // Back pay beyond the county's limit is held, listed for confirmation, not paid.
        store_pay::add_holds(tx, &month, &held)?;
        // An account corrected since the last run reaches the month's unsent payments.
        store_pay::refresh_accounts(
            tx,
            &month,
            collective.as_ref().map(|a| a.bank_account.as_str()),
        )?;
        let went_in = store_pay::insert_all(tx, &planned)?;
        let inserted: Vec<Payment> = planned
            .into_iter()
            .zip(went_in)
            .filter_map(|(p, new)| new.then_some(p))
            .collect();
        let (added, amount) = (inserted.len(), inserted.iter().map(|p| p.amount_fen).sum());
        let mut diffs = 0;
        let all = payrun::differences(&store_pay::difference_input(tx, &month, inserted)?);
        for d in all.iter().chain(&payrun::held_differences(&month, &held)) {
            diffs += usize::from(store_pay::add_difference(tx, d)?);
        }
        stamp.record(
            tx,
            "payment.run",
            "payment_run",
            None,
            None,
            Some(&json!({"month": month, "added": added, "amount": yuan_text(amount), "differences": diffs})),
        )?;
        Ok((added, amount, diffs))
    })?;
    Ok(RunReply {
        month: view(&s.conn, &month)?,
        added,
        added_amount: yuan_text(amount),
        added_differences: diffs,
    })
}

pub(crate) fn get(s: &mut Session, v: Value) -> CmdResult<MonthReply> {
    s.require(&[Role::Approver, Role::Admin], "查看月度发放")?;
    let i: MonthIn = input(v)?;
    let month = Month::parse_field("month", &i.month)?.to_string();
    view(&s.conn, &month)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewIn {
    month: String,
    /// Only these differences; all unreviewed ones when absent.
    ids: Option<Vec<i64>>,
}

pub(crate) fn review(s: &mut Session, v: Value) -> CmdResult<ReviewReply> {
    let user = s.require(&[Role::Approver], "审核发放变化")?.clone();
    let i: ReviewIn = input(v)?;
    let month = Month::parse_field("month", &i.month)?.to_string();
    payrun::open_run(store_pay::run(&s.conn, &month)?, &month)?;
    if let Some(ids) = &i.ids {
        let known: HashSet<i64> = store_pay::differences(&s.conn, &month)?
            .iter()
            .map(|d| d.id)
            .collect();
        if let Some(bad) = ids.iter().find(|id| !known.contains(id)) {
            return Err(CmdError::invalid(
                "ids",
                format!("变化 {bad} 不属于 {month} 的发放"),
            ));
        }
    }
    let stamp = Stamp::of(s)?;
    let n = with_tx(&mut s.conn, |tx| {
        let n = store_pay::review(tx, &month, i.ids.as_deref(), user.id, &stamp.at)?;
        stamp.record(
            tx,
            "payment.review",
            "payment_run",
            None,
            None,
            Some(&json!({"month": month, "reviewed": n})),
        )?;
        Ok(n)
    })?;
    Ok(ReviewReply {
        month: view(&s.conn, &month)?,
        reviewed: n,
    })
}

pub(crate) fn lock(s: &mut Session, v: Value) -> CmdResult<MonthReply> {
    let user = s.require(&[Role::Approver], "锁定月度发放")?.clone();
    let i: MonthIn = input(v)?;
    let m = Month::parse_field("month", &i.month)?;
    let month = m.to_string();
    payrun::open_run(store_pay::run(&s.conn, &month)?, &month)?;
    let n = store_pay::unreviewed(&s.conn, &month)?;
    if n > 0 {
        return Err(CmdError::conflict(
            "month",
            format!("尚有 {n} 条变化未审核，请逐条核对原因并审核后再锁定 {month} 的发放"),
        ));
    }
    let policy = Standards::as_of(&engine_rows(&s.conn)?, m.first_day())
        .choice("payment.invalid_account", None)?
        .value;
    let unpayable = payrun::unpayable(
        &store_pay::unsent(&s.conn, &month)?,
        store_pay::collective_account(&s.conn)?.as_ref(),
    );
    let hold = payrun::invalid_accounts_at_lock(&month, &policy, &unpayable)?;
    let stamp = Stamp::of(s)?;
    let today = s.clock.today();
    with_tx(&mut s.conn, |tx| {
        for u in hold {
            for id in &u.payment_ids {
                store_pay::hold(tx, *id, &month, &u.why, &stamp.at, user.id)?;
            }
        }
        store_pay::lock(tx, &month, &stamp.at, user.id)?;
        // The 临时救助 and 一事一议 stages on the roster are paid now: their cases move on.
        settle::stages_paid_at_lock(tx, &month, user.id, today, &stamp)?;
        super::stats::keep_at_lock(tx, &month)?;
        stamp.record(
            tx,
            "payment.lock",
            "payment_run",
            None,
            None,
            Some(&json!({"month": month, "state": "locked", "held": unpayable.iter().map(|u| json!({"household_id": u.household_id, "why": u.why, "payments": u.payment_ids})).collect::<Vec<_>>()})),
        )
    })?;
    view(&s.conn, &month)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdjustIn {
    case_id: i64,
    month: String,
    amount: String,
    reason: String,
}

pub(crate) fn adjust(s: &mut Session, v: Value) -> CmdResult<AdjustReply> {
    let user = s.require(&[Role::Approver], "登记发放调整")?.clone();
    let i: AdjustIn = input(v)?;
    let month = Month::parse_field("month", &i.month)?.to_string();
    let c = store::cases::get(&s.conn, i.case_id)?
        .ok_or_else(|| CmdError::invalid("case_id", format!("救助案件 {} 不存在", i.case_id)))?;
    if c.pay_from.is_none() {
        return Err(CmdError::invalid(
            "case_id",
            format!("案件 {} 尚未批准发放，不能登记调整", c.number),
        ));
    }
    let amount = fen_from_yuan("amount", &i.amount)?;
    let (reason, has_run) =
        payrun::adjustment(&store_pay::runs(&s.conn)?, &month, amount, &i.reason)?;
    let stamp = Stamp::of(s)?;
    let id = with_tx(&mut s.conn, |tx| {
        let a = store_pay::Adjustment {
            id: 0,
            case_id: c.id,
            month: month.clone(),
            amount_fen: amount,
            reason: reason.clone(),
        };
        let id = store_pay::add_adjustment(tx, &a, user.id, &stamp.at)?;
        // A month already run gets the row now, to be reviewed before the lock.
        if has_run {
            let p = payrun::adjustment_payment(&store_pay::adjustment_due(
                tx,
                store_pay::Adjustment { id, ..a },
            )?);
            if store_pay::insert(tx, &p)? {
                for d in payrun::payment_differences(&month, std::slice::from_ref(&p)) {
                    store_pay::add_difference(tx, &d)?;
                }
            }
        }
        stamp.record(
            tx,
            "payment.adjust",
            "payment_adjustment",
            Some(id),
            None,
            Some(
                &json!({"case_id": c.id, "month": month, "amount": yuan_text(amount), "reason": reason}),
            ),
        )?;
        Ok(id)
    })?;
    Ok(AdjustReply {
        id,
        case_id: c.id,
        month,
        amount: yuan_text(amount),
        reason,
        paid_in_run: has_run,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GrantIn {
    month: String,
    kind: String,
    cpi_rise: Option<String>,
    food_rise: Option<String>,
    #[serde(rename = "for")]
    for_: Option<String>,
}

pub(crate) fn batch_grant(s: &mut Session, v: Value) -> CmdResult<GrantReply> {
    let user = s
        .require(&[Role::Admin, Role::Approver], "登记批量补贴")?
        .clone();
    let i: GrantIn = input(v)?;
    let m = Month::parse_field("month", &i.month)?;
    let (month, date) = (m.to_string(), m.first_day());
    let params = match i.kind.as_str() {
        "price_subsidy" => json!({"cpi_rise": i.cpi_rise, "food_rise": i.food_rise}),
        _ => json!({"for": i.for_}),
    };
    let grant = payrun::parse_grant(&i.kind, &params)?;
    if let Some(r) = store_pay::run(&s.conn, &month)?.filter(|r| r.state == "locked") {
        return Err(CmdError::conflict(
            "month",
            format!("{} 的发放已锁定，不能再登记批量补贴", r.month),
        ));
    }
    // What one person gets, which also proves the standards it needs are in force.
    let st = Standards::as_of(&engine_rows(&s.conn)?, date);
    let per_person = payrun::per_person(&grant, &st)?;
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        store_pay::set_grant(tx, &month, &i.kind, &params.to_string(), user.id, &stamp.at)?;
        stamp.record(
            tx,
            "payment.batch_grant",
            "payment_grant",
            None,
            None,
            Some(&json!({"month": month, "kind": i.kind, "params": params})),
        )
    })?;
    Ok(GrantReply {
        label: kind_label(&i.kind),
        month,
        kind: i.kind,
        params,
        per_person,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CollectiveIn {
    /// The institution (供养机构) named as payee; all three empty or absent clear the account.
    payee: Option<String>,
    bank_name: Option<String>,
    bank_account: Option<String>,
}

pub(crate) fn collective(s: &mut Session, _v: Value) -> CmdResult<CollectiveReply> {
    s.require(&[Role::Approver, Role::Admin], "查看集中供养对公账户")?;
    Ok(CollectiveReply::of(store_pay::collective_account(&s.conn)?))
}

pub(crate) fn set_collective(s: &mut Session, v: Value) -> CmdResult<CollectiveReply> {
    s.require(&[Role::Admin], "设置集中供养对公账户")?;
    let i: CollectiveIn = input(v)?;
    let text = |t: &Option<String>| t.as_deref().unwrap_or("").trim().to_owned();
    let (payee, bank, account) = (text(&i.payee), text(&i.bank_name), text(&i.bank_account));
    let new = if payee.is_empty() && bank.is_empty() && account.is_empty() {
        None
    } else {
        Some(payrun::collective_account(&payee, &bank, &account)?)
    };
    let old = CollectiveReply::of(store_pay::collective_account(&s.conn)?);
    let reply = CollectiveReply::of(new.clone());
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        store_pay::set_collective_account(tx, new.as_ref())?;
        stamp.record(
            tx,
            "payment.set_collective_account",
            "setting",
            None,
            serde_json::to_value(&old).ok().as_ref(),
            serde_json::to_value(&reply).ok().as_ref(),
        )
    })?;
    Ok(reply)
}
