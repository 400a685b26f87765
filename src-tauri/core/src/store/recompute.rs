//! SQL for 调标 batches (migration 0014): a batch with its frozen list of cases, its decision,
//! each case's outcome; and what a recompute loads beside the cases: each case's last step and
//! the months already paid for it.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};

use super::cases::Filter;
use crate::error::CmdResult;
use crate::month::Month;
use crate::programme::Programme;
use crate::recompute::{Dated, OpenCase};
use crate::workflow::CaseState;

/// A batch as stored; `*_name` are the users' display names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batch {
    pub id: i64,
    pub from_month: String,
    pub state: String,
    pub reason: String,
    pub submitted_by: i64,
    pub submitted_by_name: String,
    pub submitted_at: String,
    pub decided_by: Option<i64>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<String>,
    pub note: String,
    pub monthly_change_fen: i64,
    pub back_pay_fen: i64,
}

/// One case of a batch as frozen at submission.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Item {
    pub id: i64,
    pub batch_id: i64,
    pub case_id: i64,
    pub number: String,
    pub programme: String,
    pub head_name: String,
    pub township_name: String,
    pub from_month: String,
    pub old_fen: i64,
    pub new_fen: i64,
    pub persons: u32,
    /// The reasons joined with '；'.
    pub reason: String,
    /// The new calculation trail, JSON.
    pub trail: String,
    pub last_step_id: i64,
    pub outcome: Option<String>,
}

const BATCH_COLUMNS: &str = "b.id, b.from_month, b.state, b.reason, b.submitted_by,
    coalesce(su.display_name, ''), b.submitted_at, b.decided_by, du.display_name, b.decided_at,
    b.note, b.monthly_change_fen, b.back_pay_fen
    FROM recompute_batch b LEFT JOIN user su ON su.id = b.submitted_by
    LEFT JOIN user du ON du.id = b.decided_by";

fn read_batch(r: &rusqlite::Row<'_>) -> rusqlite::Result<Batch> {
    Ok(Batch {
        id: r.get(0)?,
        from_month: r.get(1)?,
        state: r.get(2)?,
        reason: r.get(3)?,
        submitted_by: r.get(4)?,
        submitted_by_name: r.get(5)?,
        submitted_at: r.get(6)?,
        decided_by: r.get(7)?,
        decided_by_name: r.get(8)?,
        decided_at: r.get(9)?,
        note: r.get(10)?,
        monthly_change_fen: r.get(11)?,
        back_pay_fen: r.get(12)?,
    })
}

/// Store a pending batch and its items; returns the batch id.
pub fn add_batch(tx: &Connection, b: &Batch, items: &[Item]) -> CmdResult<i64> {
    tx.execute(
        "INSERT INTO recompute_batch (from_month, state, reason, submitted_by, submitted_at,
           monthly_change_fen, back_pay_fen) VALUES (?1, 'pending', ?2, ?3, ?4, ?5, ?6)",
        params![
            b.from_month,
            b.reason,
            b.submitted_by,
            b.submitted_at,
            b.monthly_change_fen,
            b.back_pay_fen
        ],
    )?;
    let id = tx.last_insert_rowid();
    let mut stmt = tx.prepare_cached(
        "INSERT INTO recompute_item (batch_id, case_id, number, programme, head_name, township_name,
           from_month, old_fen, new_fen, persons, reason, trail, last_step_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    for i in items {
        stmt.execute(params![
            id,
            i.case_id,
            i.number,
            i.programme,
            i.head_name,
            i.township_name,
            i.from_month,
            i.old_fen,
            i.new_fen,
            i.persons,
            i.reason,
            i.trail,
            i.last_step_id
        ])?;
    }
    Ok(id)
}

pub fn batch(conn: &Connection, id: i64) -> CmdResult<Option<Batch>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {BATCH_COLUMNS} WHERE b.id = ?1"))?;
    Ok(stmt.query_row([id], read_batch).optional()?)
}

/// Every batch, newest first.
pub fn batches(conn: &Connection) -> CmdResult<Vec<Batch>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {BATCH_COLUMNS} ORDER BY b.id DESC"))?;
    let rows = stmt.query_map([], read_batch)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The pending batch of `from_month`, if any.
pub fn pending_for(conn: &Connection, from_month: &str) -> CmdResult<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM recompute_batch WHERE from_month = ?1 AND state = 'pending'",
            [from_month],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn items(conn: &Connection, batch_id: i64) -> CmdResult<Vec<Item>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, batch_id, case_id, number, programme, head_name, township_name, from_month,
           old_fen, new_fen, persons, reason, trail, last_step_id, outcome
         FROM recompute_item WHERE batch_id = ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map([batch_id], |r| {
            Ok(Item {
                id: r.get(0)?,
                batch_id: r.get(1)?,
                case_id: r.get(2)?,
                number: r.get(3)?,
                programme: r.get(4)?,
                head_name: r.get(5)?,
                township_name: r.get(6)?,
                from_month: r.get(7)?,
                old_fen: r.get(8)?,
                new_fen: r.get(9)?,
                persons: r.get(10)?,
                reason: r.get(11)?,
                trail: r.get(12)?,
                last_step_id: r.get(13)?,
                outcome: r.get(14)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Decide a batch still pending: `state` confirmed or cancelled, with the back pay it put in.
/// Returns whether it was still pending (another user may have decided it meanwhile).
pub fn decide(
    tx: &Connection,
    id: i64,
    state: &str,
    (by, at, note): (i64, &str, &str),
    back_pay_fen: Option<i64>,
) -> CmdResult<bool> {
    let n = tx.execute(
        "UPDATE recompute_batch SET state = ?2, decided_by = ?3, decided_at = ?4, note = ?5,
           back_pay_fen = coalesce(?6, back_pay_fen)
         WHERE id = ?1 AND state = 'pending'",
        params![id, state, by, at, note, back_pay_fen],
    )?;
    Ok(n == 1)
}

pub fn set_outcome(tx: &Connection, item_id: i64, outcome: &str) -> CmdResult<()> {
    tx.execute(
        "UPDATE recompute_item SET outcome = ?2 WHERE id = ?1",
        params![item_id, outcome],
    )?;
    Ok(())
}

/// Each case's last timeline step id.
pub fn last_steps(conn: &Connection) -> CmdResult<HashMap<i64, i64>> {
    let mut stmt =
        conn.prepare_cached("SELECT case_id, max(id) FROM case_step GROUP BY case_id")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The months from `from_month` on already paid (a regular or back-pay payment of the case, in
/// any run month, open or locked), by case.
pub fn paid_months(conn: &Connection, from_month: &str) -> CmdResult<HashMap<i64, Vec<String>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT source_id, for_month FROM payment
         WHERE source_kind = 'case' AND kind IN ('regular', 'back_pay') AND for_month >= ?1
         ORDER BY source_id, for_month",
    )?;
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    let mut rows = stmt.query([from_month])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?).or_default().push(r.get(1)?);
    }
    Ok(out)
}

/// The latest month run (open or locked), if any.
pub fn last_run_month(conn: &Connection) -> CmdResult<Option<String>> {
    Ok(conn.query_row("SELECT max(month) FROM payment_run", [], |r| r.get(0))?)
}

/// Every open 低保/特困 case (enrolled or in its 渐退期, paid in or after `from`) in the form
/// the recompute takes: the household as the engine sees it on `from`'s first day, its dated
/// amounts; and the township names by case.
pub fn open_cases(
    conn: &Connection,
    from: Month,
) -> CmdResult<(Vec<OpenCase>, HashMap<i64, String>)> {
    let filter = Filter {
        states: Some(vec![
            CaseState::Enrolled.as_str().to_owned(),
            CaseState::PhasingOut.as_str().to_owned(),
        ]),
        ..Filter::default()
    };
    let cases = super::cases::list(conn, &filter)?;
    let households: HashMap<i64, _> = super::caseload::all(conn, from.first_day())?
        .into_iter()
        .map(|(h, facts)| (h.id, (h, facts)))
        .collect();
    let mut amounts = super::payments::all_amounts(conn)?;
    let mut out = Vec::new();
    let mut townships = HashMap::new();
    for c in cases {
        let Some(pay_from) = c.pay_from.as_deref().and_then(Month::parse) else {
            continue;
        };
        if c.pay_until
            .as_deref()
            .and_then(Month::parse)
            .is_some_and(|u| u < from)
        {
            continue;
        }
        let Some((h, facts)) = households.get(&c.household_id).cloned() else {
            continue;
        };
        townships.insert(c.id, h.township_name.clone());
        let dated = amounts
            .remove(&c.id)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(m, amount_fen, persons)| {
                Some(Dated {
                    from: Month::parse(&m)?,
                    amount_fen,
                    persons: u32::try_from(persons).unwrap_or(0),
                })
            })
            .collect();
        out.push(OpenCase {
            case_id: c.id,
            number: c.number.clone(),
            programme: Programme::from_code(&c.programme).unwrap_or(Programme::Dibao),
            head_name: facts
                .members
                .first()
                .map(|m| m.name.clone())
                .unwrap_or_default(),
            township_id: c.township_id,
            phasing_out: c.state == CaseState::PhasingOut.as_str(),
            centralised: c.support_mode.as_deref() == Some("centralised"),
            pay_from,
            household: facts,
            amounts: dated,
        });
    }
    Ok((out, townships))
}
