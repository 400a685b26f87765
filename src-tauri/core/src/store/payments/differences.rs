//! The differences a run lists for review, their review, and the case step behind an amount.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::CmdResult;
use crate::month::shift_text;
use crate::payrun::{self, CaseFacts, DifferenceInput};

use super::{regular_by_case, run, Difference, Payment};

/// Add a difference unless the same one is already listed; true when added.
pub fn add_difference(tx: &Connection, d: &Difference) -> CmdResult<bool> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO payment_difference (month, kind, key, case_id, household_id, township_id,
            old_fen, new_fen, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (month, kind, key) DO NOTHING",
    )?;
    Ok(stmt.execute(params![
        d.month,
        d.kind,
        d.key,
        d.case_id,
        d.household_id,
        d.township_id,
        d.old_fen,
        d.new_fen,
        d.reason
    ])? == 1)
}

pub fn differences(conn: &Connection, month: &str) -> CmdResult<Vec<Difference>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.month, d.kind, d.key, d.case_id, d.household_id, d.township_id, d.old_fen,
                d.new_fen, d.reason, d.reviewed_at, u.display_name, coalesce(p.name, ''), c.number,
                d.key LIKE 'held:%' AND EXISTS (SELECT 1 FROM back_pay_hold b
                  WHERE b.case_id = d.case_id AND b.paid_in IS NULL AND b.confirmed_at IS NULL)
         FROM payment_difference d JOIN household h ON h.id = d.household_id
         LEFT JOIN person p ON p.id = h.head_id LEFT JOIN user u ON u.id = d.reviewed_by
         LEFT JOIN aid_case c ON c.id = d.case_id
         WHERE d.month = ?1 ORDER BY d.township_id, d.kind, d.id",
    )?;
    let rows = stmt
        .query_map([month], |r| {
            Ok(Difference {
                id: r.get(0)?,
                month: r.get(1)?,
                kind: r.get(2)?,
                key: r.get(3)?,
                case_id: r.get(4)?,
                household_id: r.get(5)?,
                township_id: r.get(6)?,
                old_fen: r.get(7)?,
                new_fen: r.get(8)?,
                reason: r.get(9)?,
                reviewed_at: r.get(10)?,
                reviewer: r.get(11)?,
                head_name: r.get(12)?,
                certificate: r.get(13)?,
                awaiting_confirmation: r.get(14)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Mark unreviewed differences of a month reviewed (all, or those in `ids`); returns how many.
pub fn review(
    tx: &Connection,
    month: &str,
    ids: Option<&[i64]>,
    by: i64,
    at: &str,
) -> CmdResult<usize> {
    match ids {
        None => Ok(tx.execute(
            "UPDATE payment_difference SET reviewed_by = ?2, reviewed_at = ?3
             WHERE month = ?1 AND reviewed_at IS NULL",
            params![month, by, at],
        )?),
        Some(ids) => {
            let mut stmt = tx.prepare_cached(
                "UPDATE payment_difference SET reviewed_by = ?3, reviewed_at = ?4
                 WHERE month = ?1 AND id = ?2 AND reviewed_at IS NULL",
            )?;
            let mut n = 0;
            for id in ids {
                n += stmt.execute(params![month, id, by, at])?;
            }
            Ok(n)
        }
    }
}

pub fn unreviewed(conn: &Connection, month: &str) -> CmdResult<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM payment_difference WHERE month = ?1 AND reviewed_at IS NULL",
        [month],
        |r| r.get(0),
    )?)
}

/// The case timeline step that wrote the amount in force for a month: (action, data JSON).
pub fn amount_step(
    conn: &Connection,
    case_id: i64,
    month: &str,
) -> CmdResult<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT s.action, s.data FROM case_amount a JOIN case_step s ON s.id = a.step_id
             WHERE a.case_id = ?1 AND a.from_month <= ?2 ORDER BY a.from_month DESC, a.id DESC LIMIT 1",
            params![case_id, month],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// For a case imported from a ledger: the first month Doudi pays it, as the import recorded it
/// (empty when it did not).
pub fn imported_from(conn: &Connection, case_id: i64) -> CmdResult<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT coalesce(json_extract(data, '$.paid_from'), '') FROM case_step
             WHERE case_id = ?1 AND action = 'import' ORDER BY id LIMIT 1",
        )?
        .query_row([case_id], |r| r.get(0))
        .optional()?)
}

/// What the differences of `month` are worked out from, read back inside the run's transaction
/// after `inserted` went in: this month's and last month's regular payments, and the facts of
/// the cases that differ (`payrun::cases_to_load`).
pub fn difference_input(
    conn: &Connection,
    month: &str,
    inserted: Vec<Payment>,
) -> CmdResult<DifferenceInput> {
    let prev_month = shift_text(month, -1);
    let this = regular_by_case(conn, month)?;
    let prev = regular_by_case(conn, &prev_month)?;
    let mut cases = std::collections::HashMap::new();
    for (id, with_step) in payrun::cases_to_load(&this, &prev, &inserted) {
        let Some(c) = crate::store::cases::get(conn, id)? else {
            continue;
        };
        let amount_step = match with_step {
            true => amount_step(conn, id, month)?,
            false => None,
        };
        let imported_from = imported_from(conn, id)?;
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
            imported_from,
        };
        cases.insert(id, facts);
    }
    Ok(DifferenceInput {
        month: month.to_owned(),
        this,
        prev,
        prev_run: run(conn, &prev_month)?.is_some(),
        cases,
        inserted,
    })
}
