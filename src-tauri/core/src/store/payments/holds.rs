//! Back pay held until a second person confirms it (`back_pay_hold`, schema 9): the months a run
//! holds, their confirmation, and the unpaid holds the next run plans from. A hold's `paid_in` is
//! set by a trigger when its payment goes in.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::CmdResult;
use crate::payrun::{Held, Hold};

/// The holds not yet paid, by case (of one case, or all): confirmed ones carry "确认人：原因".
pub fn open_holds(conn: &Connection, case_id: Option<i64>) -> CmdResult<HashMap<i64, Vec<Hold>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT b.case_id, b.for_month,
                CASE WHEN b.confirmed_at IS NOT NULL THEN coalesce(u.display_name, '') || '：' || b.reason END
         FROM back_pay_hold b LEFT JOIN user u ON u.id = b.confirmed_by
         WHERE b.paid_in IS NULL AND (?1 IS NULL OR b.case_id = ?1)
         ORDER BY b.case_id, b.for_month",
    )?;
    let mut out: HashMap<i64, Vec<Hold>> = HashMap::new();
    let mut rows = stmt.query([case_id])?;
    while let Some(r) = rows.next()? {
        let h = Hold {
            case_id: r.get(0)?,
            for_month: r.get(1)?,
            confirmed: r.get(2)?,
        };
        out.entry(h.case_id).or_default().push(h);
    }
    Ok(out)
}

/// Record the months a run of `month` holds (a month held before keeps its first record).
pub fn add_holds(tx: &Connection, month: &str, held: &[Held]) -> CmdResult<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO back_pay_hold (case_id, for_month, held_in, amount_fen) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (case_id, for_month) DO NOTHING",
    )?;
    for h in held {
        stmt.execute(params![h.case_id, h.for_month, month, h.amount_fen])?;
    }
    Ok(())
}

/// Confirm a case's unconfirmed, unpaid holds; returns how many.
pub fn confirm_holds(
    tx: &Connection,
    case_id: i64,
    month: &str,
    by: i64,
    at: &str,
    reason: &str,
) -> CmdResult<usize> {
    Ok(tx.execute(
        "UPDATE back_pay_hold SET confirmed_in = ?2, confirmed_by = ?3, confirmed_at = ?4, reason = ?5
         WHERE case_id = ?1 AND paid_in IS NULL AND confirmed_at IS NULL",
        params![case_id, month, by, at, reason],
    )?)
}

/// Who ran `month` last.
pub fn run_by(conn: &Connection, month: &str) -> CmdResult<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT run_by FROM payment_run WHERE month = ?1",
            [month],
            |r| r.get(0),
        )
        .optional()?)
}

/// Mark one difference of an open month reviewed, by its key.
pub fn review_key(tx: &Connection, month: &str, key: &str, by: i64, at: &str) -> CmdResult<()> {
    tx.execute(
        "UPDATE payment_difference SET reviewed_by = ?3, reviewed_at = ?4
         WHERE month = ?1 AND key = ?2 AND reviewed_at IS NULL",
        params![month, key, by, at],
    )?;
    Ok(())
}
