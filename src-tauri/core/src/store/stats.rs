//! The monthly statistics (月度统计) read from what was paid: the `payment` rows of a run month,
//! the reviewed differences (new and stopped cases) and the members of the households paid.
//! Money is the payment table's, so the report's total is the roster's total by construction;
//! payments held at the lock (`held`, 暂缓发放) are not paid and are left out everywhere.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::CmdResult;

/// Households, persons and money of one township × programme × urban/rural cell.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    /// Households with a regular (按月) payment this month.
    pub households: i64,
    /// Persons covered by those regular payments.
    pub persons: i64,
    /// Cases started (新增) and stopped (停发) this month, from the month's differences.
    pub new: i64,
    pub exits: i64,
    /// Everything paid this month under the programme: regular, back pay, grants, adjustments,
    /// re-sends.
    pub amount_fen: i64,
}

/// (township id, programme, urban_rural).
pub type CellKey = (i64, String, String);

pub fn cells(conn: &Connection, month: &str) -> CmdResult<HashMap<CellKey, Cell>> {
    let mut out: HashMap<CellKey, Cell> = HashMap::new();
    let mut st = conn.prepare_cached(
        "SELECT township_id, programme, urban_rural,
                COUNT(DISTINCT CASE WHEN kind = 'regular' THEN household_id END),
                COALESCE(SUM(CASE WHEN kind = 'regular' THEN persons END), 0),
                SUM(amount_fen)
         FROM payment WHERE month = ?1 AND programme IN ('dibao', 'tekun') AND status <> 'held'
         GROUP BY township_id, programme, urban_rural",
    )?;
    let rows = st.query_map([month], |r| {
        Ok((
            (r.get(0)?, r.get(1)?, r.get(2)?),
            Cell {
                households: r.get(3)?,
                persons: r.get(4)?,
                amount_fen: r.get(5)?,
                ..Cell::default()
            },
        ))
    })?;
    for row in rows {
        let (k, c) = row?;
        out.insert(k, c);
    }
    let mut st = conn.prepare_cached(
        "SELECT d.township_id, c.programme, h.hukou, d.kind, COUNT(*)
         FROM payment_difference d
         JOIN aid_case c ON c.id = d.case_id
         JOIN household h ON h.id = d.household_id
         WHERE d.month = ?1 AND d.kind IN ('new', 'stopped')
         GROUP BY d.township_id, c.programme, h.hukou, d.kind",
    )?;
    let rows = st.query_map([month], |r| {
        Ok((
            (
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ),
            r.get::<_, String>(3)?,
            r.get::<_, i64>(4)?,
        ))
    })?;
    for row in rows {
        let (k, kind, n) = row?;
        let c = out.entry(k).or_default();
        if kind == "new" {
            c.new += n;
        } else {
            c.exits += n;
        }
    }
    Ok(out)
}

/// One member of a household paid regularly this month, as of the month's last day.
#[derive(Debug, Clone)]
pub struct Member {
    pub programme: String,
    pub sex: String,
    pub birth_date: String,
    pub disability_grade: Option<i64>,
    pub labour_capacity: String,
}

/// The members (as of `month_end`) of every household with a regular 低保/特困 payment this month.
pub fn members(conn: &Connection, month: &str, month_end: &str) -> CmdResult<Vec<Member>> {
    let mut st = conn.prepare_cached(
        "SELECT p.programme, s.sex, s.birth_date, s.disability_grade, s.labour_capacity
         FROM payment p
         JOIN membership m ON m.household_id = p.household_id
              AND m.joined_on <= ?2 AND (m.left_on IS NULL OR m.left_on > ?2)
         JOIN person s ON s.id = m.person_id
         WHERE p.month = ?1 AND p.kind = 'regular' AND p.programme IN ('dibao', 'tekun')
           AND p.status <> 'held' AND (s.death_date IS NULL OR s.death_date > ?2)",
    )?;
    let rows = st.query_map(params![month, month_end], |r| {
        Ok(Member {
            programme: r.get(0)?,
            sex: r.get(1)?,
            birth_date: r.get(2)?,
            disability_grade: r.get(3)?,
            labour_capacity: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Payments (人次), households and money of 临时救助 and 一事一议 this month, by programme.
pub fn other_programmes(
    conn: &Connection,
    month: &str,
) -> CmdResult<HashMap<String, (i64, i64, i64)>> {
    let mut st = conn.prepare_cached(
        "SELECT programme, COUNT(*), COUNT(DISTINCT household_id), SUM(amount_fen)
         FROM payment WHERE month = ?1 AND programme IN ('temp_aid', 'deliberation')
           AND status <> 'held'
         GROUP BY programme",
    )?;
    let rows = st.query_map([month], |r| {
        Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?)))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Money by (kind, programme). A re-sent payment counts as the kind it re-sends.
pub fn by_kind(conn: &Connection, month: &str) -> CmdResult<Vec<(String, String, i64)>> {
    let mut st = conn.prepare_cached(
        "SELECT CASE WHEN p.kind = 'resend' THEN COALESCE(o.kind, 'resend') ELSE p.kind END, p.programme,
                SUM(p.amount_fen)
         FROM payment p LEFT JOIN payment o ON p.kind = 'resend' AND o.id = p.source_id
         WHERE p.month = ?1 AND p.status <> 'held' GROUP BY 1, 2",
    )?;
    let rows = st.query_map([month], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One month of the twelve-month series.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthTotal {
    pub amount_fen: i64,
    pub persons: i64,
    pub households: i64,
}

/// Totals of the run months in `from..=to`: all money paid, and persons and households on
/// regular 低保/特困 payments. Locked months read the totals kept at the lock (schema 8 filled in
/// those locked earlier); a month not locked yet is summed from its payments.
pub fn month_totals(
    conn: &Connection,
    from: &str,
    to: &str,
) -> CmdResult<HashMap<String, MonthTotal>> {
    let kept = "SELECT month, total_fen, persons, households FROM payment_run
         WHERE month BETWEEN ?1 AND ?2 AND total_fen IS NOT NULL";
    let live = format!(
        "SELECT month, {SUMS} FROM payment
         WHERE month IN (SELECT month FROM payment_run WHERE month BETWEEN ?1 AND ?2 AND total_fen IS NULL)
           AND status <> 'held'
         GROUP BY month"
    );
    let mut out = HashMap::new();
    for sql in [kept, live.as_str()] {
        let mut st = conn.prepare_cached(sql)?;
        let rows = st.query_map([from, to], |r| {
            Ok((
                r.get::<_, String>(0)?,
                MonthTotal {
                    amount_fen: r.get(1)?,
                    persons: r.get(2)?,
                    households: r.get(3)?,
                },
            ))
        })?;
        for row in rows {
            let (m, t) = row?;
            out.insert(m, t);
        }
    }
    Ok(out)
}

const SUMS: &str = "coalesce(SUM(amount_fen), 0),
    coalesce(SUM(CASE WHEN kind = 'regular' AND programme IN ('dibao', 'tekun') THEN persons END), 0),
    COUNT(DISTINCT CASE WHEN kind = 'regular' AND programme IN ('dibao', 'tekun') THEN household_id END)";

/// Keeps a month's totals on its run row; called in the transaction that locks it.
pub fn record_totals(tx: &Connection, month: &str) -> CmdResult<()> {
    tx.execute(
        &format!(
            "UPDATE payment_run SET (total_fen, persons, households) =
               (SELECT {SUMS} FROM payment WHERE month = ?1 AND status <> 'held')
             WHERE month = ?1 AND total_fen IS NULL"
        ),
        [month],
    )?;
    Ok(())
}

/// Keeps a locked month's report (JSON) on its run row; called in the transaction that locks it.
pub fn keep_report(tx: &Connection, month: &str, report: &str) -> CmdResult<()> {
    tx.execute(
        "UPDATE payment_run SET stats = ?2 WHERE month = ?1 AND state = 'locked' AND stats IS NULL",
        params![month, report],
    )?;
    Ok(())
}

/// The report kept when the month was locked, if any.
pub fn kept_report(conn: &Connection, month: &str) -> CmdResult<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT stats FROM payment_run WHERE month = ?1 AND state = 'locked'",
            [month],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten())
}
