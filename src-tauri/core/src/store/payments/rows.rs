//! The payment rows: inserting a run's payments (a key paid once), reading a month's rows in
//! roster order (streamed for the roster), the failed ones, and the delivery status.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use rusqlite::{params, Connection};

use crate::error::CmdResult;

use super::due::read_payee;
use super::{Payment, PaymentLine};

/// Insert a payment unless its key is already paid; true when inserted.
pub fn insert(tx: &Connection, p: &Payment) -> CmdResult<bool> {
    Ok(insert_all(tx, std::slice::from_ref(p))?[0])
}

/// Rows per INSERT statement in [`insert_all`] (24 parameters each, well under SQLite's limit).
const INSERT_CHUNK: usize = 200;

fn insert_sql(rows: usize) -> String {
    let mut sql = String::from(
        "INSERT INTO payment (month, for_month, kind, source_kind, source_id, case_id, household_id,
            township_id, village_id, group_id, urban_rural, programme, persons, standard_fen, amount_fen,
            head_name, head_id_number, payee_name, payee_id_number, bank_name, bank_account,
            certificate, start_month, note, status) VALUES ",
    );
    for r in 0..rows {
        let b = r * 24;
        if r > 0 {
            sql.push(',');
        }
        sql.push('(');
        for c in 1..=24 {
            let _ = write!(sql, "?{},", b + c);
        }
        sql.push_str("'pending')");
    }
    sql.push_str(
        " ON CONFLICT (for_month, kind, source_kind, source_id) DO NOTHING
         RETURNING for_month, kind, source_kind, source_id",
    );
    sql
}

/// Inserts payments, skipping any already there (same month paid for, kind and source: running a
/// month twice never pays twice); says for each whether it went in. Rows go up to
/// [`INSERT_CHUNK`] to a statement: one statement per row spent much of a county's run
/// starting and ending statements (statement journal, the CHECK lists' lookup tables).
pub fn insert_all(tx: &Connection, payments: &[Payment]) -> CmdResult<Vec<bool>> {
    type Key = (String, String, String, i64);
    let mut went_in: HashSet<Key> = HashSet::new();
    static FULL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    for chunk in payments.chunks(INSERT_CHUNK) {
        let mut stmt = if chunk.len() == INSERT_CHUNK {
            tx.prepare_cached(FULL.get_or_init(|| insert_sql(INSERT_CHUNK)))?
        } else {
            tx.prepare_cached(&insert_sql(chunk.len()))?
        };
        let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(chunk.len() * 24);
        for p in chunk {
            let h = &p.payee;
            values.extend_from_slice(&[
                &p.month as &dyn rusqlite::ToSql,
                &p.for_month,
                &p.kind,
                &p.source_kind,
                &p.source_id,
                &p.case_id,
                &h.household_id,
                &h.township_id,
                &h.village_id,
                &h.group_id,
                &h.urban_rural,
                &p.programme,
                &p.persons,
                &p.standard_fen,
                &p.amount_fen,
                &h.head_name,
                &h.head_id_number,
                &p.payee_name,
                &p.payee_id_number,
                &h.bank_name,
                &h.bank_account,
                &p.certificate,
                &p.start_month,
                &p.note,
            ]);
        }
        let mut rows = stmt.query(values.as_slice())?;
        while let Some(r) = rows.next()? {
            went_in.insert((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?));
        }
    }
    // A key planned twice went in once: the first claims it.
    Ok(payments
        .iter()
        .map(|p| {
            went_in.remove(&(
                p.for_month.clone(),
                p.kind.clone(),
                p.source_kind.clone(),
                p.source_id,
            ))
        })
        .collect())
}

const PAYMENT_COLUMNS: &str = "id, month, for_month, kind, source_kind, source_id, case_id,
    programme, persons, standard_fen, amount_fen, payee_name, payee_id_number, certificate,
    start_month, note, status, failure_reason,
    household_id, township_id, village_id, group_id, urban_rural, head_name, head_id_number,
    bank_name, bank_account, 0";

fn read_payment(r: &rusqlite::Row<'_>) -> rusqlite::Result<Payment> {
    Ok(Payment {
        id: r.get(0)?,
        month: r.get(1)?,
        for_month: r.get(2)?,
        kind: r.get(3)?,
        source_kind: r.get(4)?,
        source_id: r.get(5)?,
        case_id: r.get(6)?,
        programme: r.get(7)?,
        persons: r.get(8)?,
        standard_fen: r.get(9)?,
        amount_fen: r.get(10)?,
        payee_name: r.get(11)?,
        payee_id_number: r.get(12)?,
        certificate: r.get(13)?,
        start_month: r.get(14)?,
        note: r.get(15)?,
        status: r.get(16)?,
        failure_reason: r.get(17)?,
        payee: read_payee(r, 18)?,
    })
}

/// A month's payments in roster order: township, village, group, household, id.
pub fn month_payments(conn: &Connection, month: &str) -> CmdResult<Vec<Payment>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PAYMENT_COLUMNS} FROM payment WHERE month = ?1
         ORDER BY township_id, village_id, coalesce(group_id, 0), household_id, id"
    ))?;
    let rows = stmt
        .query_map([month], read_payment)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The month's payments as [`PaymentLine`]s, in no particular order: the month page adds them up
/// without reading names, accounts or notes.
pub fn month_lines(conn: &Connection, month: &str) -> CmdResult<Vec<PaymentLine>> {
    let mut stmt = conn.prepare_cached(
        "SELECT township_id, programme, kind, status, household_id, persons, amount_fen
         FROM payment WHERE month = ?1",
    )?;
    let rows = stmt
        .query_map([month], |r| {
            Ok(PaymentLine {
                township_id: r.get(0)?,
                programme: r.get(1)?,
                kind: r.get(2)?,
                status: r.get(3)?,
                household_id: r.get(4)?,
                persons: r.get(5)?,
                amount_fen: r.get(6)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The month's failed payments, in roster order.
pub fn month_failed(conn: &Connection, month: &str) -> CmdResult<Vec<Payment>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PAYMENT_COLUMNS} FROM payment WHERE month = ?1 AND status = 'failed'
         ORDER BY township_id, village_id, coalesce(group_id, 0), household_id, id"
    ))?;
    let rows = stmt
        .query_map([month], read_payment)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The month's payments on its roster (those held for an invalid account are not), in roster
/// order, handed to `f` one at a time: the order is sorted on
/// the keys and row ids alone, then each row is read by id, so neither this process nor SQLite's
/// sorter ever holds a county's month of full rows.
pub fn each_month_payment(
    conn: &Connection,
    month: &str,
    mut f: impl FnMut(Payment) -> CmdResult<()>,
) -> CmdResult<usize> {
    // One read transaction for the whole file: one snapshot, and no lock taken and dropped per row
    // (that was a tenth of a county's roster). Inside a caller's transaction, that one serves.
    let _snapshot = if conn.is_autocommit() {
        Some(rusqlite::Transaction::new_unchecked(
            conn,
            rusqlite::TransactionBehavior::Deferred,
        )?)
    } else {
        None
    };
    let ids: Vec<i64> = conn
        .prepare_cached(
            "SELECT id FROM payment WHERE month = ?1
               AND id NOT IN (SELECT payment_id FROM payment_hold WHERE month = ?1)
             ORDER BY township_id, village_id, coalesce(group_id, 0), household_id, id",
        )?
        .query_map([month], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut one = conn.prepare_cached(&format!(
        "SELECT {PAYMENT_COLUMNS} FROM payment WHERE id = ?1"
    ))?;
    for id in &ids {
        f(one.query_row([id], read_payment)?)?;
    }
    Ok(ids.len())
}

/// The month's payments on its roster (not those held), in roster order: the first is 序号 1.
pub fn roster_payments(conn: &Connection, month: &str) -> CmdResult<Vec<Payment>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PAYMENT_COLUMNS} FROM payment WHERE month = ?1
           AND id NOT IN (SELECT payment_id FROM payment_hold WHERE month = ?1)
         ORDER BY township_id, village_id, coalesce(group_id, 0), household_id, id"
    ))?;
    let rows = stmt
        .query_map([month], read_payment)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The month's payments not yet sent to the bank, in roster order, with only what an account
/// check needs (id, amount, payee, household, township, head, bank, account): a county's month
/// is read at every view of an open month.
pub fn unsent(conn: &Connection, month: &str) -> CmdResult<Vec<Payment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, amount_fen, payee_name, household_id, township_id, head_name, bank_name,
                bank_account
         FROM payment WHERE month = ?1 AND status = 'pending'
         ORDER BY township_id, village_id, coalesce(group_id, 0), household_id, id",
    )?;
    let rows = stmt
        .query_map([month], |r| {
            Ok(Payment {
                id: r.get(0)?,
                amount_fen: r.get(1)?,
                payee_name: r.get(2)?,
                payee: super::Payee {
                    household_id: r.get(3)?,
                    township_id: r.get(4)?,
                    head_name: r.get(5)?,
                    bank_name: r.get(6)?,
                    bank_account: r.get(7)?,
                    ..Default::default()
                },
                ..Default::default()
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The month's payments held at the lock for an invalid account, in roster order, each with the
/// reason recorded.
pub fn held(conn: &Connection, month: &str) -> CmdResult<Vec<(Payment, String)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PAYMENT_COLUMNS}, (SELECT reason FROM payment_hold WHERE payment_id = payment.id)
         FROM payment WHERE id IN (SELECT payment_id FROM payment_hold WHERE month = ?1)
         ORDER BY township_id, village_id, coalesce(group_id, 0), household_id, id"
    ))?;
    let rows = stmt
        .query_map([month], |r| Ok((read_payment(r)?, r.get(28)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Copy each household's bank and account as they are now onto the month's unsent payments (a
/// corrected account reaches a month run before the correction), except those paid to the
/// collective account `collective`; returns how many changed.
pub fn refresh_accounts(
    tx: &Connection,
    month: &str,
    collective: Option<&str>,
) -> CmdResult<usize> {
    Ok(tx.execute(
        "UPDATE payment SET
            bank_name = (SELECT coalesce(h.bank_name, '') FROM household h WHERE h.id = payment.household_id),
            bank_account = (SELECT coalesce(h.bank_account, '') FROM household h WHERE h.id = payment.household_id)
         WHERE month = ?1 AND status = 'pending' AND (?2 IS NULL OR bank_account <> ?2)
           AND EXISTS (SELECT 1 FROM household h WHERE h.id = payment.household_id
               AND (coalesce(h.bank_name, '') <> payment.bank_name
                    OR coalesce(h.bank_account, '') <> payment.bank_account))",
        params![month, collective],
    )?)
}

/// Hold a payment off the roster for an invalid account: its status becomes `held` (暂缓发放)
/// with the reason, and a later run re-sends it (to the account then on file).
pub fn hold(
    tx: &Connection,
    payment_id: i64,
    month: &str,
    reason: &str,
    at: &str,
    by: i64,
) -> CmdResult<()> {
    tx.execute(
        "INSERT INTO payment_hold (payment_id, month, reason, held_at, held_by) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![payment_id, month, reason, at, by],
    )?;
    set_result(tx, payment_id, crate::payrun::HELD, Some(reason))
}

/// Failed and held payments of months before `month` not yet re-sent.
pub fn failed_unsent(conn: &Connection, month: &str) -> CmdResult<Vec<Payment>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PAYMENT_COLUMNS} FROM payment p WHERE p.status IN ('failed', 'held') AND p.month < ?1
           AND NOT EXISTS (SELECT 1 FROM payment r WHERE r.source_kind = 'payment' AND r.source_id = p.id)
         ORDER BY p.id"
    ))?;
    let rows = stmt
        .query_map([month], read_payment)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Regular monthly amounts paid in `month`, by case: (amount, persons).
pub fn regular_by_case(conn: &Connection, month: &str) -> CmdResult<HashMap<i64, (i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT source_id, amount_fen, persons FROM payment
         WHERE month = ?1 AND kind = 'regular' AND source_kind = 'case'",
    )?;
    let mut out = HashMap::new();
    let mut rows = stmt.query([month])?;
    while let Some(r) = rows.next()? {
        out.insert(r.get(0)?, (r.get(1)?, r.get(2)?));
    }
    Ok(out)
}

/// Move pending payments of a month to sent; returns how many.
pub fn mark_sent(tx: &Connection, month: &str) -> CmdResult<usize> {
    Ok(tx.execute(
        "UPDATE payment SET status = 'sent' WHERE month = ?1 AND status = 'pending'",
        [month],
    )?)
}

pub fn set_result(tx: &Connection, id: i64, status: &str, reason: Option<&str>) -> CmdResult<()> {
    let mut stmt =
        tx.prepare_cached("UPDATE payment SET status = ?2, failure_reason = ?3 WHERE id = ?1")?;
    stmt.execute(params![id, status, reason])?;
    Ok(())
}
