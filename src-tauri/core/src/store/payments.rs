//! SQL for the monthly payment run: runs, batch grants, adjustments, payments and the reviewed
//! differences. The payment table is append-only; in a locked month only the delivery status
//! moves on (triggers in 0006_payments.sql refuse the rest).

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::CmdResult;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub month: String,
    pub state: String,
    pub runs: i64,
    pub run_at: String,
    pub locked_at: Option<String>,
    pub roster_at: Option<String>,
}

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

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grant {
    pub month: String,
    pub kind: String,
    pub params: String,
    pub recorded_at: String,
}

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

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Adjustment {
    pub id: i64,
    pub case_id: i64,
    pub month: String,
    pub amount_fen: i64,
    pub reason: String,
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

// ---- what is due ----

/// The household as a payment copies it: area, 户籍, head (the payee), bank, open members.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Payee {
    pub household_id: i64,
    pub township_id: i64,
    pub village_id: i64,
    pub group_id: Option<i64>,
    pub urban_rural: String,
    pub head_name: String,
    pub head_id_number: String,
    pub bank_name: String,
    pub bank_account: String,
    /// Open members of the household (0 when read for a 低保/特困 case: see `CASE_PAYEE_COLUMNS`).
    pub members: i64,
}

macro_rules! payee_columns {
    ($members:literal) => {
        concat!(
            "h.id, v.parent_id, h.village_id, h.group_id, h.hukou, coalesce(p.name, ''),
             coalesce(p.id_number, ''), coalesce(h.bank_name, ''), coalesce(h.bank_account, ''), ",
            $members
        )
    };
}
const PAYEE_COLUMNS: &str = payee_columns!(
    "(SELECT count(*) FROM membership m WHERE m.household_id = h.id AND m.left_on IS NULL)"
);
/// For a 低保/特困 case, whose persons come from its dated amounts: its household's open
/// members are not counted (`members` reads 0), which spared a county's run a tenth of a second.
const CASE_PAYEE_COLUMNS: &str = payee_columns!("0");
const PAYEE_JOIN: &str = "JOIN household h ON h.id = x.household_id
    JOIN area v ON v.id = h.village_id LEFT JOIN person p ON p.id = h.head_id";

fn read_payee(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Payee> {
    Ok(Payee {
        household_id: r.get(at)?,
        township_id: r.get(at + 1)?,
        village_id: r.get(at + 2)?,
        group_id: r.get(at + 3)?,
        urban_rural: r.get(at + 4)?,
        head_name: r.get(at + 5)?,
        head_id_number: r.get(at + 6)?,
        bank_name: r.get(at + 7)?,
        bank_account: r.get(at + 8)?,
        members: r.get(at + 9)?,
    })
}

pub fn payee(conn: &Connection, household_id: i64) -> CmdResult<Option<Payee>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PAYEE_COLUMNS} FROM (SELECT ?1 AS household_id) x {PAYEE_JOIN}"
    ))?;
    Ok(stmt
        .query_row([household_id], |r| read_payee(r, 0))
        .optional()?)
}

/// A 低保/特困 case that may be due a monthly payment, with the last month already paid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PayableCase {
    pub id: i64,
    pub number: String,
    pub programme: String,
    pub state: String,
    pub pay_from: String,
    pub pay_until: Option<String>,
    pub paid_through: Option<String>,
    pub payee: Payee,
}

/// Cases paying from `month` or before and not stopped before `since`.
pub fn payable_cases(conn: &Connection, month: &str, since: &str) -> CmdResult<Vec<PayableCase>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT x.id, x.number, x.programme, x.state, x.pay_from, x.pay_until,
                x.paid_through,
                {CASE_PAYEE_COLUMNS}
         FROM aid_case x {PAYEE_JOIN}
         WHERE x.state IN ('enrolled', 'phasing_out', 'exited') AND x.pay_from IS NOT NULL
           AND x.pay_from <= ?1 AND (x.pay_until IS NULL OR x.pay_until >= ?2)
         ORDER BY x.id"
    ))?;
    let rows = stmt
        .query_map(params![month, since], |r| {
            Ok(PayableCase {
                id: r.get(0)?,
                number: r.get(1)?,
                programme: r.get(2)?,
                state: r.get(3)?,
                pay_from: r.get(4)?,
                pay_until: r.get(5)?,
                paid_through: r.get(6)?,
                payee: read_payee(r, 7)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Every dated amount of every case, by case, in (from_month, id) order.
/// A case's dated amounts: (from_month, amount_fen, persons).
pub type DatedAmounts = Vec<(String, i64, i64)>;

pub fn all_amounts(conn: &Connection) -> CmdResult<HashMap<i64, DatedAmounts>> {
    let mut stmt = conn.prepare_cached(
        "SELECT case_id, from_month, amount_fen, persons FROM case_amount ORDER BY case_id, from_month, id",
    )?;
    let mut out: HashMap<i64, DatedAmounts> = HashMap::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?)
            .or_default()
            .push((r.get(1)?, r.get(2)?, r.get(3)?));
    }
    Ok(out)
}

/// A 临时救助 or 一事一议 stage due in a month.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DueStage {
    pub source_id: i64,
    pub number: String,
    pub amount_fen: i64,
    pub payee: Payee,
}

fn due_stages(conn: &Connection, sql: &str, month: &str) -> CmdResult<Vec<DueStage>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt
        .query_map([month], |r| {
            Ok(DueStage {
                source_id: r.get(0)?,
                number: r.get(1)?,
                amount_fen: r.get(2)?,
                payee: read_payee(r, 3)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Unpaid stages of approved 临时救助 planned for `month`.
pub fn temp_aid_due(conn: &Connection, month: &str) -> CmdResult<Vec<DueStage>> {
    due_stages(
        conn,
        &format!(
            "SELECT s.id, x.number, s.amount_fen, {PAYEE_COLUMNS}
             FROM temp_aid_stage s JOIN temp_aid_case x ON x.id = s.case_id {PAYEE_JOIN}
             WHERE substr(s.month, 1, 7) = ?1 AND s.paid_on IS NULL AND x.state IN ('approved', 'closed')
             ORDER BY s.id"
        ),
        month,
    )
}

/// Unpaid stages of 一事一议 cases in payment (after 公示) planned for `month`.
pub fn deliberation_due(conn: &Connection, month: &str) -> CmdResult<Vec<DueStage>> {
    due_stages(
        conn,
        &format!(
            "SELECT s.rowid, x.number, s.amount_fen, {PAYEE_COLUMNS}
             FROM deliberation_payment s JOIN deliberation_case x ON x.id = s.case_id {PAYEE_JOIN}
             WHERE substr(s.planned_month, 1, 7) = ?1 AND s.paid_on IS NULL AND x.state = 'paying'
             ORDER BY s.rowid"
        ),
        month,
    )
}

// ---- payments ----

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Payment {
    pub id: i64,
    pub month: String,
    pub for_month: String,
    pub kind: String,
    pub source_kind: String,
    pub source_id: i64,
    pub case_id: Option<i64>,
    pub payee: Payee,
    pub programme: String,
    pub persons: i64,
    pub standard_fen: Option<i64>,
    pub amount_fen: i64,
    pub payee_name: String,
    pub payee_id_number: String,
    pub certificate: String,
    pub start_month: Option<String>,
    pub note: String,
    pub status: String,
    pub failure_reason: Option<String>,
}

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

/// A payment reduced to what a month's totals need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentLine {
    pub township_id: i64,
    pub programme: String,
    pub kind: String,
    pub status: String,
    pub household_id: i64,
    pub persons: i64,
    pub amount_fen: i64,
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

/// The month's payments in roster order, handed to `f` one at a time: the order is sorted on
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

/// Failed payments of months before `month` not yet re-sent.
pub fn failed_unsent(conn: &Connection, month: &str) -> CmdResult<Vec<Payment>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PAYMENT_COLUMNS} FROM payment p WHERE p.status = 'failed' AND p.month < ?1
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

// ---- differences ----

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Difference {
    pub id: i64,
    pub month: String,
    pub kind: String,
    pub key: String,
    pub case_id: Option<i64>,
    pub household_id: i64,
    pub township_id: i64,
    pub old_fen: i64,
    pub new_fen: i64,
    pub reason: String,
    pub reviewed_at: Option<String>,
    pub reviewer: Option<String>,
    pub head_name: String,
    pub certificate: Option<String>,
}

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
                d.new_fen, d.reason, d.reviewed_at, u.display_name, coalesce(p.name, ''), c.number
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

/// Area names by id, for rosters and totals.
pub fn area_names(conn: &Connection) -> CmdResult<HashMap<i64, String>> {
    let mut stmt = conn.prepare_cached("SELECT id, name FROM area")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Benchmark only: put every household that has no case on 低保, paid since `pay_from` at 300 元
/// a person, as if taken over from a paper ledger (one "import" step each), so that the payment
/// roster has a row per household. Returns how many cases were added.
pub fn bench_enrol_all(tx: &Connection, pay_from: &str, at: &str, by: i64) -> CmdResult<usize> {
    let n = tx.execute(
        "INSERT INTO aid_case (number, programme, household_id, township_id, state, applied_on,
            application_note, created_by, created_at, decided_on, pay_from, review_class,
            next_review_due, updated_at)
         SELECT 'BENCH-' || h.id, 'dibao', h.id, v.parent_id, 'enrolled', ?1 || '-01',
            '基准测试：由原纸质台账转入', ?3, ?2, ?1 || '-01', ?1, 'A', '2099-01-01', ?2
         FROM household h JOIN area v ON v.id = h.village_id
         WHERE h.head_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM aid_case c WHERE c.household_id = h.id)",
        params![pay_from, at, by],
    )?;
    tx.execute(
        "INSERT INTO case_step (case_id, action, from_state, to_state, user_id, at, data)
         SELECT id, 'import', 'enrolled', 'enrolled', ?2, ?1, '{\"source\":\"基准测试\"}'
         FROM aid_case WHERE number LIKE 'BENCH-%'",
        params![at, by],
    )?;
    tx.execute(
        "INSERT INTO case_amount (case_id, from_month, amount_fen, persons, trail, step_id)
         SELECT x.id, x.pay_from, 30000 * m.persons, m.persons, '{}', s.id
         FROM aid_case x JOIN case_step s ON s.case_id = x.id
         JOIN (SELECT household_id, count(*) AS persons FROM membership WHERE left_on IS NULL
               GROUP BY household_id) m ON m.household_id = x.household_id
         WHERE x.number LIKE 'BENCH-%'",
        [],
    )?;
    Ok(n)
}

/// Benchmark only: `months` locked months of regular payments before `month` for every paying
/// case, one INSERT … SELECT per month. Returns the rows written.
pub fn bench_history(
    tx: &Connection,
    month: &str,
    months: i64,
    at: &str,
    by: i64,
) -> CmdResult<usize> {
    tx.execute(
        "WITH RECURSIVE m(n, month) AS (
           SELECT 1, strftime('%Y-%m', ?1 || '-01', '-1 month')
           UNION ALL SELECT n + 1, strftime('%Y-%m', ?1 || '-01', '-' || (n + 1) || ' month') FROM m WHERE n < ?2)
         INSERT INTO payment_run (month, state, runs, run_at, run_by, locked_at, locked_by, roster_at)
         SELECT month, 'open', 1, ?3, ?4, NULL, NULL, ?3 FROM m",
        params![month, months, at, by],
    )?;
    // Month by month, as real runs append them: a month's rows lie together in the table.
    let history: Vec<String> = tx
        .prepare("SELECT month FROM payment_run WHERE month < ?1 ORDER BY month")?
        .query_map([month], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut insert = tx.prepare(&format!(
            "INSERT INTO payment (month, for_month, kind, source_kind, source_id, case_id, household_id,
                township_id, village_id, group_id, urban_rural, programme, persons, standard_fen, amount_fen,
                head_name, head_id_number, payee_name, payee_id_number, bank_name, bank_account,
                certificate, start_month, status)
             SELECT r.month, r.month, 'regular', 'case', x.id, x.id, h.id, v.parent_id, h.village_id, h.group_id,
                h.hukou, x.programme, a.persons, NULL, a.amount_fen, coalesce(p.name, ''), coalesce(p.id_number, ''),
                coalesce(p.name, ''), coalesce(p.id_number, ''), coalesce(h.bank_name, ''), coalesce(h.bank_account, ''),
                x.number, x.pay_from, 'paid'
             FROM payment_run r JOIN aid_case x ON x.state IN ('enrolled', 'phasing_out') AND x.pay_from IS NOT NULL
               {PAYEE_JOIN}
               JOIN case_amount a ON a.id = (SELECT id FROM case_amount WHERE case_id = x.id ORDER BY from_month DESC, id DESC LIMIT 1)
             WHERE r.month = ?1 AND a.amount_fen > 0"
        ),
    )?;
    let mut n = 0;
    for m in &history {
        n += insert.execute([m])?;
    }
    // Locked last: the triggers refuse payments added to a locked month.
    tx.execute(
        "UPDATE payment_run SET state = 'locked', locked_at = ?2, locked_by = ?3 WHERE month < ?1",
        params![month, at, by],
    )?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_household() -> Connection {
        let conn = crate::db::open_in_memory().unwrap();
        conn.execute_batch(crate::db::TEST_HOUSEHOLD).unwrap();
        conn.execute_batch(
            "INSERT INTO payment_run (month, state, run_at, run_by) VALUES ('2026-02', 'open', 'x', 1);",
        )
        .unwrap();
        conn
    }

    fn grant(source_id: i64) -> Payment {
        Payment {
            month: "2026-02".into(),
            for_month: "2026-02".into(),
            kind: "one_time".into(),
            source_kind: "grant".into(),
            source_id,
            payee: Payee {
                household_id: 1,
                township_id: 2,
                village_id: 3,
                urban_rural: "rural".into(),
                head_name: "张三".into(),
                ..Payee::default()
            },
            programme: "dibao".into(),
            persons: 1,
            amount_fen: 10_000 + source_id,
            payee_name: "张三".into(),
            ..Payment::default()
        }
    }

    #[test]
    fn insert_all_spans_statements_and_says_what_went_in() {
        let conn = one_household();
        // More than two statements' worth, the last one partial.
        let first: Vec<Payment> = (1..=450).map(grant).collect();
        assert!(insert_all(&conn, &first).unwrap().iter().all(|&x| x));
        // Ten already paid, five new, and one of the new planned twice: the first claims it.
        let mut again: Vec<Payment> = (441..=455).map(grant).collect();
        again.push(grant(455));
        let went_in = insert_all(&conn, &again).unwrap();
        assert_eq!(went_in[..10], [false; 10]);
        assert_eq!(went_in[10..], [true, true, true, true, true, false]);
        let (rows, fen): (i64, i64) = conn
            .query_row("SELECT count(*), sum(amount_fen) FROM payment", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(rows, 455);
        assert_eq!(fen, (1..=455).map(|i| 10_000 + i).sum::<i64>());
        assert!(insert(&conn, &grant(7)).map(|x| !x).unwrap());
        assert!(insert(&conn, &grant(456)).unwrap());
    }
}
