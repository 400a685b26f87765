//! 月度发放: the monthly payment run, batch grants, adjustments, the differences from last month,
//! their review and the lock. A locked month is immutable; a later correction is an adjustment
//! paid in a later month. The roster and the bank's return file are in `payment_files`.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, Months, NaiveDate};
use serde::Deserialize;
use serde_json::{json, Value};

use super::standards::engine_rows;
use super::{input, Session, Stamp};
use crate::auth::Role;
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::month::{month_text, shift_text, Month};
use crate::payrun::{self, kind_label, AdjustmentDue, CaseFacts, DifferenceInput, PlanInput};
use crate::rules::money::{fen_from_yuan, yuan_text};
use crate::rules::{Area, StandardRow, Standards};
use crate::store::payments::{self as store_pay, Payment};
use crate::store::{self};

mod reply;
pub(crate) use reply::{view, BankReturnReply, Imported, MonthReply, RosterReply};
use reply::{AdjustReply, GrantReply, ReviewReply, RunReply};

/// A 'YYYY-MM' month from input, normalised (also used by `stats.*`).
pub(crate) fn month_in(field: &str, text: &str) -> CmdResult<(String, NaiveDate)> {
    let m = Month::parse_field(field, text)?;
    Ok((m.to_string(), m.first_day()))
}

/// Everything the run of `month` plans from, read in bulk (adjustments and re-sends, which are
/// few, read their case and household one by one).
fn load_plan(
    conn: &rusqlite::Connection,
    standards: Vec<StandardRow>,
    month: &str,
    since: &str,
) -> CmdResult<PlanInput> {
    let adjustments = store_pay::adjustments(conn, month)?
        .into_iter()
        .map(|a| adjustment_due(conn, a))
        .collect::<CmdResult<_>>()?;
    let resends = store_pay::failed_unsent(conn, month)?
        .into_iter()
        .map(|f| {
            let payee_now = store_pay::payee(conn, f.payee.household_id)?;
            Ok(payrun::Resend {
                failed: f,
                payee_now,
            })
        })
        .collect::<CmdResult<_>>()?;
    Ok(PlanInput {
        month: month.to_owned(),
        since: since.to_owned(),
        standards,
        cases: store_pay::payable_cases(conn, month, since)?,
        amounts: store_pay::all_amounts(conn)?,
        grants: store_pay::grants(conn, month)?,
        temp_aid: store_pay::temp_aid_due(conn, month)?,
        deliberation: store_pay::deliberation_due(conn, month)?,
        adjustments,
        resends,
    })
}

/// An adjustment with its case and household as they are now.
fn adjustment_due(
    conn: &rusqlite::Connection,
    a: store_pay::Adjustment,
) -> CmdResult<AdjustmentDue> {
    let c = store::cases::get(conn, a.case_id)?
        .ok_or_else(|| CmdError::not_found(format!("救助案件 {} 不存在", a.case_id)))?;
    let payee = store_pay::payee(conn, c.household_id)?
        .ok_or_else(|| CmdError::not_found(format!("家庭 {} 不存在", c.household_id)))?;
    Ok(AdjustmentDue {
        adjustment: a,
        case_id: c.id,
        programme: c.programme,
        number: c.number,
        pay_from: c.pay_from,
        payee,
    })
}

/// The differences of the run that put `inserted` in: the month's regular payments against last
/// month's, and the facts of the cases that differ, read back inside the run's transaction.
fn run_differences(
    tx: &rusqlite::Connection,
    month: &str,
    inserted: Vec<Payment>,
) -> CmdResult<Vec<store_pay::Difference>> {
    let prev_month = shift_text(month, -1);
    let this = store_pay::regular_by_case(tx, month)?;
    let prev = store_pay::regular_by_case(tx, &prev_month)?;
    let mut cases = HashMap::new();
    for (id, with_step) in payrun::cases_to_load(&this, &prev, &inserted) {
        let Some(c) = store::cases::get(tx, id)? else {
            continue;
        };
        let amount_step = match with_step {
            true => store_pay::amount_step(tx, id, month)?,
            false => None,
        };
        let facts = CaseFacts {
            household_id: c.household_id,
            township_id: c.township_id,
            pay_from: c.pay_from,
            decided_on: c.decided_on,
            pay_until: c.pay_until,
            grace_months: c.grace_months,
            exit_decided_on: c.exit_decided_on,
            exit_reason: c.exit_reason,
            exit_note: c.exit_note,
            amount_step,
        };
        cases.insert(id, facts);
    }
    Ok(payrun::differences(&DifferenceInput {
        month: month.to_owned(),
        this,
        prev,
        prev_run: store_pay::run(tx, &prev_month)?.is_some(),
        cases,
        inserted,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MonthIn {
    month: String,
}

/// Which months may be run: not a locked one, not before a later run, not after an open one.
fn check_order(conn: &rusqlite::Connection, month: &str) -> CmdResult<String> {
    let runs = store_pay::runs(conn)?;
    if runs.iter().any(|r| r.month == month && r.state == "locked") {
        return Err(CmdError::conflict(
            "month",
            format!("{month} 的发放已锁定，不能再改动；更正请在以后的月份登记调整"),
        ));
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

pub(crate) fn run(s: &mut Session, v: Value) -> CmdResult<RunReply> {
    let user = s
        .require(&[Role::Approver, Role::Admin], "执行月度发放")?
        .clone();
    let i: MonthIn = input(v)?;
    let (month, date) = month_in("month", &i.month)?;
    let today = s.clock.today();
    let latest = today.with_day(1).unwrap_or(today) + Months::new(1);
    if date > latest {
        return Err(CmdError::invalid(
            "month",
            format!("最多只能提前发放下个月（{}）", month_text(latest)),
        ));
    }
    let rows = engine_rows(&s.conn)?;
    let st = Standards::as_of(&rows, date);
    st.money("dibao.standard", Some(Area::Rural))?;
    st.money("dibao.standard", Some(Area::Urban))?;
    let since = check_order(&s.conn, &month)?;
    let planned = payrun::plan(&load_plan(&s.conn, rows, &month, &since)?)?;
    let stamp = Stamp::of(s)?;
    let (added, amount, diffs) = with_tx(&mut s.conn, |tx| {
        store_pay::record_run(tx, &month, &stamp.at, user.id)?;
        let went_in = store_pay::insert_all(tx, &planned)?;
        let inserted: Vec<Payment> = planned
            .into_iter()
            .zip(went_in)
            .filter_map(|(p, new)| new.then_some(p))
            .collect();
        let (added, amount) = (inserted.len(), inserted.iter().map(|p| p.amount_fen).sum());
        let mut diffs = 0;
        for d in run_differences(tx, &month, inserted)? {
            diffs += usize::from(store_pay::add_difference(tx, &d)?);
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
    let (month, _) = month_in("month", &i.month)?;
    view(&s.conn, &month)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewIn {
    month: String,
    /// Only these differences; all unreviewed ones when absent.
    ids: Option<Vec<i64>>,
}

/// An open run of `month`, or why not.
fn open_run(conn: &rusqlite::Connection, month: &str) -> CmdResult<store_pay::Run> {
    let run = store_pay::run(conn, month)?
        .ok_or_else(|| CmdError::invalid("month", format!("{month} 还没有发放，请先执行发放")))?;
    if run.state == "locked" {
        return Err(CmdError::conflict(
            "month",
            format!("{month} 的发放已锁定，不能再改动；更正请在以后的月份登记调整"),
        ));
    }
    Ok(run)
}

pub(crate) fn review(s: &mut Session, v: Value) -> CmdResult<ReviewReply> {
    let user = s.require(&[Role::Approver], "审核发放变化")?.clone();
    let i: ReviewIn = input(v)?;
    let (month, _) = month_in("month", &i.month)?;
    open_run(&s.conn, &month)?;
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
    let (month, _) = month_in("month", &i.month)?;
    open_run(&s.conn, &month)?;
    let n = store_pay::unreviewed(&s.conn, &month)?;
    if n > 0 {
        return Err(CmdError::conflict(
            "month",
            format!("尚有 {n} 条变化未审核，请逐条核对原因并审核后再锁定 {month} 的发放"),
        ));
    }
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        store_pay::lock(tx, &month, &stamp.at, user.id)?;
        super::stats::keep_at_lock(tx, &month)?;
        stamp.record(
            tx,
            "payment.lock",
            "payment_run",
            None,
            None,
            Some(&json!({"month": month, "state": "locked"})),
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
    let (month, _) = month_in("month", &i.month)?;
    let c = store::cases::get(&s.conn, i.case_id)?
        .ok_or_else(|| CmdError::invalid("case_id", format!("救助案件 {} 不存在", i.case_id)))?;
    if c.pay_from.is_none() {
        return Err(CmdError::invalid(
            "case_id",
            format!("案件 {} 尚未批准发放，不能登记调整", c.number),
        ));
    }
    let amount = fen_from_yuan("amount", &i.amount)?;
    if amount == 0 {
        return Err(CmdError::invalid("amount", "调整金额应大于 0 元"));
    }
    let reason = i.reason.trim().to_owned();
    if reason.is_empty() {
        return Err(CmdError::invalid(
            "reason",
            "请写明调整原因（更正哪个月、为什么）",
        ));
    }
    let runs = store_pay::runs(&s.conn)?;
    if let Some(r) = runs
        .iter()
        .find(|r| r.month == month && r.state == "locked")
    {
        return Err(CmdError::conflict(
            "month",
            format!(
                "{} 的发放已锁定，不能再改动；调整请登记在以后的月份",
                r.month
            ),
        ));
    }
    if let Some(r) = runs.iter().find(|r| r.month > month) {
        return Err(CmdError::invalid(
            "month",
            format!("已有 {} 的发放，调整应登记在尚未锁定的月份", r.month),
        ));
    }
    let has_run = runs.iter().any(|r| r.month == month);
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
            let p =
                payrun::adjustment_payment(&adjustment_due(tx, store_pay::Adjustment { id, ..a })?);
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
    let (month, date) = month_in("month", &i.month)?;
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
    let mut per_person = BTreeMap::new();
    for (code, programme, area) in [
        ("dibao_rural", "dibao", Area::Rural),
        ("dibao_urban", "dibao", Area::Urban),
        ("tekun_rural", "tekun", Area::Rural),
        ("tekun_urban", "tekun", Area::Urban),
    ] {
        per_person.insert(
            code.into(),
            yuan_text(payrun::grant_amount(&grant, &st, programme, area, 1)?),
        );
    }
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
