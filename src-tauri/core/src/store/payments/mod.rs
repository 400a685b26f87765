//! SQL for the monthly payment run: runs, batch grants, adjustments (here), what is due
//! (`due`), the payment rows (`rows`) and the reviewed differences (`differences`). The payment
//! table is append-only; in a locked month only the delivery status moves on (triggers in
//! 0006_payments.sql refuse the rest). The data types are `payrun`'s.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::CmdResult;
pub use crate::payrun::types::{
    Adjustment, DatedAmounts, Difference, DueStage, Grant, PayableCase, Payee, Payment,
    PaymentLine, Run,
};
pub use crate::payrun::CollectiveAccount;

mod differences;
mod due;
pub(crate) mod holds;
mod rows;

pub use differences::{
    add_difference, amount_step, difference_input, differences, review, unreviewed,
};
pub use due::{
    adjustment_due, all_amounts, deliberation_due, payable_case, payable_cases, payee, plan_input,
    temp_aid_due,
};
pub use holds::{add_holds, confirm_holds, open_holds, review_key, run_by};
pub use rows::{
    each_month_payment, failed_unsent, held, hold, insert, insert_all, mark_sent, month_failed,
    month_lines, month_payments, refresh_accounts, regular_by_case, roster_payments, set_result,
    unsent,
};

fn read_run(r: &rusqlite::Row<'_>) -> rusqlite::Result<Run> {
    Ok(Run {
        month: r.get(0)?,
        state: r.get(1)?,
        runs: r.get(2)?,
        run_at: r.get(3)?,
        locked_at: r.get(4)?,
        roster_at: r.get(5)?,
    })
}

const RUN_COLUMNS: &str = "month, state, runs, run_at, locked_at, roster_at";

pub fn run(conn: &Connection, month: &str) -> CmdResult<Option<Run>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {RUN_COLUMNS} FROM payment_run WHERE month = ?1"
    ))?;
    Ok(stmt.query_row([month], read_run).optional()?)
}

/// Every run, newest first.
pub fn runs(conn: &Connection) -> CmdResult<Vec<Run>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {RUN_COLUMNS} FROM payment_run ORDER BY month DESC"
    ))?;
    let rows = stmt.query_map([], read_run)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Record a run of `month`: the first creates the row, later ones count.
pub fn record_run(tx: &Connection, month: &str, at: &str, by: i64) -> CmdResult<()> {
    tx.execute(
        "INSERT INTO payment_run (month, state, runs, run_at, run_by) VALUES (?1, 'open', 1, ?2, ?3)
         ON CONFLICT (month) DO UPDATE SET runs = runs + 1, run_at = ?2, run_by = ?3",
        params![month, at, by],
    )?;
    Ok(())
}

pub fn lock(tx: &Connection, month: &str, at: &str, by: i64) -> CmdResult<()> {
    tx.execute(
        "UPDATE payment_run SET state = 'locked', locked_at = ?2, locked_by = ?3 WHERE month = ?1",
        params![month, at, by],
    )?;
    Ok(())
}

pub fn set_roster_at(tx: &Connection, month: &str, at: &str) -> CmdResult<()> {
    tx.execute(
        "UPDATE payment_run SET roster_at = ?2 WHERE month = ?1",
        params![month, at],
    )?;
    Ok(())
}

// ---- batch grants and adjustments ----

pub fn set_grant(
    tx: &Connection,
    month: &str,
    kind: &str,
    params_json: &str,
    by: i64,
    at: &str,
) -> CmdResult<()> {
    tx.execute(
        "INSERT INTO payment_grant (month, kind, params, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (month, kind) DO UPDATE SET params = ?3, recorded_by = ?4, recorded_at = ?5",
        params![month, kind, params_json, by, at],
    )?;
    Ok(())
}

pub fn grants(conn: &Connection, month: &str) -> CmdResult<Vec<Grant>> {
    let mut stmt = conn.prepare_cached(
        "SELECT month, kind, params, recorded_at FROM payment_grant WHERE month = ?1 ORDER BY kind",
    )?;
    let rows = stmt
        .query_map([month], |r| {
            Ok(Grant {
                month: r.get(0)?,
                kind: r.get(1)?,
                params: r.get(2)?,
                recorded_at: r.get(3)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn add_adjustment(tx: &Connection, a: &Adjustment, by: i64, at: &str) -> CmdResult<i64> {
    tx.execute(
        "INSERT INTO payment_adjustment (case_id, month, amount_fen, reason, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![a.case_id, a.month, a.amount_fen, a.reason, by, at],
    )?;
    Ok(tx.last_insert_rowid())
}

pub fn adjustments(conn: &Connection, month: &str) -> CmdResult<Vec<Adjustment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, case_id, month, amount_fen, reason FROM payment_adjustment WHERE month = ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map([month], |r| {
            Ok(Adjustment {
                id: r.get(0)?,
                case_id: r.get(1)?,
                month: r.get(2)?,
                amount_fen: r.get(3)?,
                reason: r.get(4)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

// ---- the collective account of 集中供养 ----

/// The county's collective account for 集中供养 特困, when set.
pub fn collective_account(conn: &Connection) -> CmdResult<Option<CollectiveAccount>> {
    let get = |k: &str| -> CmdResult<String> {
        Ok(
            crate::store::settings::get(conn, &format!("payment.collective.{k}"))?
                .unwrap_or_default(),
        )
    };
    let account = get("bank_account")?;
    if account.is_empty() {
        return Ok(None);
    }
    Ok(Some(CollectiveAccount {
        payee: get("payee")?,
        bank_name: get("bank_name")?,
        bank_account: account,
    }))
}

/// Set (or with `None` clear) the collective account.
pub fn set_collective_account(tx: &Connection, a: Option<&CollectiveAccount>) -> CmdResult<()> {
    let (payee, bank, account) = a
        .map(|a| {
            (
                a.payee.as_str(),
                a.bank_name.as_str(),
                a.bank_account.as_str(),
            )
        })
        .unwrap_or(("", "", ""));
    crate::store::settings::set(tx, "payment.collective.payee", payee)?;
    crate::store::settings::set(tx, "payment.collective.bank_name", bank)?;
    crate::store::settings::set(tx, "payment.collective.bank_account", account)
}

/// The 特困 cases in 集中供养 (by id).
pub fn centralised_cases(conn: &Connection) -> CmdResult<std::collections::HashSet<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM aid_case WHERE programme = 'tekun' AND support_mode = 'centralised'",
    )?;
    let rows = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Area names by id, for rosters and totals.
pub fn area_names(conn: &Connection) -> CmdResult<HashMap<i64, String>> {
    let mut stmt = conn.prepare_cached("SELECT id, name FROM area")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests;
