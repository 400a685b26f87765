//! What is due in a month: the payable 低保/特困 cases with their dated amounts, the 临时救助 and
//! 一事一议 stages, the payee as a payment copies it; and the planner's input loaded in one step.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{CmdError, CmdResult};
use crate::month::shift_text;
use crate::payrun::{AdjustmentDue, PlanInput, Resend};
use crate::rules::StandardRow;

use super::{Adjustment, DatedAmounts, DueStage, PayableCase, Payee};

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
pub(super) const PAYEE_JOIN: &str = "JOIN household h ON h.id = x.household_id
    JOIN area v ON v.id = h.village_id LEFT JOIN person p ON p.id = h.head_id";

pub(super) fn read_payee(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Payee> {
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

/// The case columns of a payable case. The approval's entry time is read only for a case that
/// may be due back pay (not paid through last month), and for one with back pay held.
const PAYABLE_COLUMNS: &str = "x.id, x.number, x.programme, x.state, x.pay_from, x.pay_until,
    x.paid_through,
    CASE WHEN x.paid_through IS NULL OR x.paid_through < ?3
           OR EXISTS (SELECT 1 FROM back_pay_hold b WHERE b.case_id = x.id AND b.paid_in IS NULL)
      THEN (SELECT s.at FROM case_step s WHERE s.case_id = x.id AND s.action = 'approve'
            ORDER BY s.id DESC LIMIT 1) END,";

/// Cases paying from `month` or before and not stopped before `since`.
pub fn payable_cases(conn: &Connection, month: &str, since: &str) -> CmdResult<Vec<PayableCase>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PAYABLE_COLUMNS} {CASE_PAYEE_COLUMNS}
         FROM aid_case x {PAYEE_JOIN}
         WHERE x.state IN ('enrolled', 'phasing_out', 'exited') AND x.pay_from IS NOT NULL
           AND x.pay_from <= ?1 AND (x.pay_until IS NULL OR x.pay_until >= ?2)
         ORDER BY x.id"
    ))?;
    let rows = stmt
        .query_map(params![month, since, shift_text(month, -1)], read_payable)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// One case as [`payable_cases`] reads it, whatever its state (for confirming its back pay).
pub fn payable_case(
    conn: &Connection,
    case_id: i64,
    month: &str,
) -> CmdResult<Option<PayableCase>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PAYABLE_COLUMNS} {CASE_PAYEE_COLUMNS}
         FROM aid_case x {PAYEE_JOIN}
         WHERE x.id = ?1 AND x.pay_from IS NOT NULL AND ?2 IS NOT NULL"
    ))?;
    Ok(stmt
        .query_row(params![case_id, month, shift_text(month, -1)], read_payable)
        .optional()?)
}

fn read_payable(r: &rusqlite::Row<'_>) -> rusqlite::Result<PayableCase> {
    Ok(PayableCase {
        id: r.get(0)?,
        number: r.get(1)?,
        programme: r.get(2)?,
        state: r.get(3)?,
        pay_from: r.get(4)?,
        pay_until: r.get(5)?,
        paid_through: r.get(6)?,
        approved_at: r.get(7)?,
        payee: read_payee(r, 8)?,
    })
}

/// Every dated amount of every case, by case, in (from_month, id) order.
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

/// Everything the run of `month` plans from, read in bulk (adjustments and re-sends, which are
/// few, read their case and household one by one). `standards` are the county's rows.
pub fn plan_input(
    conn: &Connection,
    standards: Vec<StandardRow>,
    month: &str,
    since: &str,
) -> CmdResult<PlanInput> {
    let adjustments = super::adjustments(conn, month)?
        .into_iter()
        .map(|a| adjustment_due(conn, a))
        .collect::<CmdResult<_>>()?;
    let resends = super::failed_unsent(conn, month)?
        .into_iter()
        .map(|f| {
            let payee_now = payee(conn, f.payee.household_id)?;
            Ok(Resend {
                failed: f,
                payee_now,
            })
        })
        .collect::<CmdResult<_>>()?;
    Ok(PlanInput {
        month: month.to_owned(),
        since: since.to_owned(),
        standards,
        cases: payable_cases(conn, month, since)?,
        amounts: all_amounts(conn)?,
        grants: super::grants(conn, month)?,
        temp_aid: temp_aid_due(conn, month)?,
        deliberation: deliberation_due(conn, month)?,
        adjustments,
        resends,
        holds: super::holds::open_holds(conn, None)?,
    })
}

/// An adjustment with its case and household as they are now.
pub fn adjustment_due(conn: &Connection, a: Adjustment) -> CmdResult<AdjustmentDue> {
    let c = crate::store::cases::get(conn, a.case_id)?
        .ok_or_else(|| CmdError::not_found(format!("救助案件 {} 不存在", a.case_id)))?;
    let payee = payee(conn, c.household_id)?
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
