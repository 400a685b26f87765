//! Benchmark only (`doudi bench payments`): a county where every household is paid, with years
//! of locked history, written by SQL in bulk. Never called by a command.

use rusqlite::{params, Connection};

use crate::error::CmdResult;

use super::due::PAYEE_JOIN;

/// Benchmark only: put every household that has no case on 低保, paid since `pay_from` at 300 元
/// a person, as if taken over from a paper ledger (one "import" step each), so that the payment
/// roster has a row per household. Returns how many cases were added.
pub fn enrol_all(tx: &Connection, pay_from: &str, at: &str, by: i64) -> CmdResult<usize> {
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
pub fn history(tx: &Connection, month: &str, months: i64, at: &str, by: i64) -> CmdResult<usize> {
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
