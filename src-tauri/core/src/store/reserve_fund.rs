//! SQL for the townships' reserve funds (备用金): an append-only ledger per township whose sum is
//! the balance. The balance never goes below zero: [`insert_entry`] refuses first, with the
//! numbers, and a trigger refuses again should anything else try.

use chrono::NaiveDate;
use rusqlite::{params, Connection};

use crate::error::{CmdError, CmdResult};
use crate::rules::money::fmt_yuan;

/// One line of a township's ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub township_id: i64,
    /// `top_up`, `advance`, `refund` or `adjustment`.
    pub kind: String,
    /// Positive in, negative out.
    pub amount_fen: i64,
    pub entry_on: NaiveDate,
    pub reference: String,
    pub note: String,
    pub case_id: Option<i64>,
    pub case_number: Option<String>,
    pub recorded_by: i64,
    pub recorded_by_name: String,
    pub recorded_at: String,
}

/// A new line; the store fills in the id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry<'a> {
    pub township_id: i64,
    pub kind: &'a str,
    pub amount_fen: i64,
    pub entry_on: NaiveDate,
    pub reference: &'a str,
    pub note: &'a str,
    pub case_id: Option<i64>,
    pub recorded_by: i64,
    pub recorded_at: &'a str,
}

/// A township and what is left in its fund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Balance {
    pub township_id: i64,
    pub township_name: String,
    pub balance_fen: i64,
    pub entries: i64,
    pub last_entry_on: Option<NaiveDate>,
}

pub fn balance(conn: &Connection, township_id: i64) -> CmdResult<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(sum(amount_fen), 0) FROM reserve_fund_entry WHERE township_id = ?1",
        [township_id],
        |r| r.get(0),
    )?)
}

/// Every active township with its balance (zero when it has no entries), in code order.
pub fn balances(conn: &Connection) -> CmdResult<Vec<Balance>> {
    let mut stmt = conn.prepare(
        "SELECT a.id, a.name, coalesce(sum(e.amount_fen), 0), count(e.id), max(e.entry_on)
         FROM area a LEFT JOIN reserve_fund_entry e ON e.township_id = a.id
         WHERE a.level = 'township' AND a.active = 1
         GROUP BY a.id ORDER BY a.code",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Balance {
                township_id: r.get(0)?,
                township_name: r.get(1)?,
                balance_fen: r.get(2)?,
                entries: r.get(3)?,
                last_entry_on: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A township's ledger, newest first.
pub fn entries(conn: &Connection, township_id: i64, limit: i64) -> CmdResult<Vec<Entry>> {
    let mut stmt = conn.prepare(
        "SELECT e.id, e.township_id, e.kind, e.amount_fen, e.entry_on, e.reference, e.note,
                e.case_id, c.number, e.recorded_by, u.display_name, e.recorded_at
         FROM reserve_fund_entry e
         JOIN user u ON u.id = e.recorded_by
         LEFT JOIN temp_aid_case c ON c.id = e.case_id
         WHERE e.township_id = ?1 ORDER BY e.id DESC LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![township_id, limit.max(0)], |r| {
            Ok(Entry {
                id: r.get(0)?,
                township_id: r.get(1)?,
                kind: r.get(2)?,
                amount_fen: r.get(3)?,
                entry_on: r.get(4)?,
                reference: r.get(5)?,
                note: r.get(6)?,
                case_id: r.get(7)?,
                case_number: r.get(8)?,
                recorded_by: r.get(9)?,
                recorded_by_name: r.get(10)?,
                recorded_at: r.get(11)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Append a line, refusing one that would take the balance below zero (a `conflict` on
/// `amount` naming the balance and the need). Call inside the transaction of the change.
pub fn insert_entry(tx: &Connection, e: &NewEntry<'_>) -> CmdResult<i64> {
    let before = balance(tx, e.township_id)?;
    if before + e.amount_fen < 0 {
        return Err(CmdError::conflict(
            "amount",
            format!(
                "乡镇备用金余额不足：余额 {} 元，本次需 {} 元",
                fmt_yuan(before),
                fmt_yuan(-e.amount_fen)
            ),
        ));
    }
    tx.execute(
        "INSERT INTO reserve_fund_entry (township_id, kind, amount_fen, entry_on, reference, note,
             case_id, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            e.township_id,
            e.kind,
            e.amount_fen,
            e.entry_on,
            e.reference,
            e.note,
            e.case_id,
            e.recorded_by,
            e.recorded_at
        ],
    )?;
    Ok(tx.last_insert_rowid())
}
