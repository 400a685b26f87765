//! SQL for 低保/特困 cases, their steps and their dated monthly amounts.

use std::sync::LazyLock;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::CmdResult;
use crate::programme::Programme;

/// One `aid_case` row. Lists of user ids are stored as JSON arrays.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CaseRow {
    pub id: i64,
    pub number: String,
    pub programme: String,
    pub household_id: i64,
    pub township_id: i64,
    pub state: String,
    pub applied_on: NaiveDate,
    pub application_note: String,
    pub support_mode: Option<String>,
    pub created_by: i64,
    pub created_at: String,
    pub accepted_by: Option<i64>,
    pub accepted_on: Option<NaiveDate>,
    pub verification_on: Option<NaiveDate>,
    pub verification_summary: Option<String>,
    pub survey_on: Option<NaiveDate>,
    pub survey_findings: Option<String>,
    pub investigator_ids: Vec<i64>,
    pub appraisal_on: Option<NaiveDate>,
    pub appraisal_summary: Option<String>,
    pub near_relative_filed: bool,
    pub county_check_on: Option<NaiveDate>,
    pub county_check_by: Option<i64>,
    pub county_check_findings: Option<String>,
    pub reviewed_by: Option<i64>,
    pub reviewed_on: Option<NaiveDate>,
    pub review_opinion: Option<String>,
    pub notice_start: Option<NaiveDate>,
    pub notice_days: Option<u32>,
    /// The 公示's last day, fixed when it started (`None` for notices started before it was
    /// stored: computed from the settings, see `workflow::case_row::notice_end_of`).
    pub notice_end: Option<NaiveDate>,
    pub decided_by: Option<i64>,
    pub decided_on: Option<NaiveDate>,
    pub refusal_reasons: Option<String>,
    pub pay_from: Option<String>,
    pub review_class: Option<String>,
    pub next_review_due: Option<NaiveDate>,
    pub exit_reason: Option<String>,
    pub exit_note: Option<String>,
    pub exit_decided_on: Option<NaiveDate>,
    pub grace_months: Option<u32>,
    pub pay_until: Option<String>,
    pub phase_out_end: Option<NaiveDate>,
    pub updated_at: String,
    /// When and how the 不予批准通知书 was served.
    pub refusal_served_on: Option<NaiveDate>,
    pub refusal_served_method: Option<String>,
    /// Bumped by every step (a trigger on `case_step`); read only. A step sent with another
    /// version is refused as a conflict.
    pub version: i64,
}

const COLUMNS: &str = "id, number, programme, household_id, township_id, state, applied_on, \
    application_note, support_mode, created_by, created_at, accepted_by, accepted_on, \
    verification_on, verification_summary, survey_on, survey_findings, investigator_ids, \
    appraisal_on, appraisal_summary, near_relative_filed, county_check_on, county_check_by, \
    county_check_findings, reviewed_by, reviewed_on, review_opinion, notice_start, notice_days, \
    decided_by, decided_on, refusal_reasons, pay_from, review_class, next_review_due, exit_reason, \
    exit_note, exit_decided_on, grace_months, pay_until, phase_out_end, updated_at, refusal_served_on, \
    refusal_served_method, notice_end";

fn ids_from_json(text: &str) -> Vec<i64> {
    serde_json::from_str(text).unwrap_or_default()
}

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<CaseRow> {
    let investigators: String = r.get(17)?;
    Ok(CaseRow {
        id: r.get(0)?,
        number: r.get(1)?,
        programme: r.get(2)?,
        household_id: r.get(3)?,
        township_id: r.get(4)?,
        state: r.get(5)?,
        applied_on: r.get(6)?,
        application_note: r.get(7)?,
        support_mode: r.get(8)?,
        created_by: r.get(9)?,
        created_at: r.get(10)?,
        accepted_by: r.get(11)?,
        accepted_on: r.get(12)?,
        verification_on: r.get(13)?,
        verification_summary: r.get(14)?,
        survey_on: r.get(15)?,
        survey_findings: r.get(16)?,
        investigator_ids: ids_from_json(&investigators),
        appraisal_on: r.get(18)?,
        appraisal_summary: r.get(19)?,
        near_relative_filed: r.get(20)?,
        county_check_on: r.get(21)?,
        county_check_by: r.get(22)?,
        county_check_findings: r.get(23)?,
        reviewed_by: r.get(24)?,
        reviewed_on: r.get(25)?,
        review_opinion: r.get(26)?,
        notice_start: r.get(27)?,
        notice_days: r.get(28)?,
        decided_by: r.get(29)?,
        decided_on: r.get(30)?,
        refusal_reasons: r.get(31)?,
        pay_from: r.get(32)?,
        review_class: r.get(33)?,
        next_review_due: r.get(34)?,
        exit_reason: r.get(35)?,
        exit_note: r.get(36)?,
        exit_decided_on: r.get(37)?,
        grace_months: r.get(38)?,
        pay_until: r.get(39)?,
        phase_out_end: r.get(40)?,
        updated_at: r.get(41)?,
        refusal_served_on: r.get(42)?,
        refusal_served_method: r.get(43)?,
        notice_end: r.get(44)?,
        version: r.get(45)?,
    })
}

/// Write every column of `c` (insert when `c.id == 0`); returns the id.
pub fn save(tx: &Connection, c: &CaseRow) -> CmdResult<i64> {
    let investigators = serde_json::to_string(&c.investigator_ids).unwrap_or_else(|_| "[]".into());
    let values = params![
        c.number,
        c.programme,
        c.household_id,
        c.township_id,
        c.state,
        c.applied_on,
        c.application_note,
        c.support_mode,
        c.created_by,
        c.created_at,
        c.accepted_by,
        c.accepted_on,
        c.verification_on,
        c.verification_summary,
        c.survey_on,
        c.survey_findings,
        investigators,
        c.appraisal_on,
        c.appraisal_summary,
        c.near_relative_filed,
        c.county_check_on,
        c.county_check_by,
        c.county_check_findings,
        c.reviewed_by,
        c.reviewed_on,
        c.review_opinion,
        c.notice_start,
        c.notice_days,
        c.decided_by,
        c.decided_on,
        c.refusal_reasons,
        c.pay_from,
        c.review_class,
        c.next_review_due,
        c.exit_reason,
        c.exit_note,
        c.exit_decided_on,
        c.grace_months,
        c.pay_until,
        c.phase_out_end,
        c.updated_at,
        c.refusal_served_on,
        c.refusal_served_method,
        c.notice_end,
    ];
    if c.id == 0 {
        // Cached, and its text made once: a ledger import inserts tens of thousands of cases in
        // one transaction.
        tx.prepare_cached(&INSERT)?.execute(values)?;
        Ok(tx.last_insert_rowid())
    } else {
        let mut values = values.to_vec();
        values.push(&c.id);
        tx.prepare_cached(&UPDATE)?.execute(values.as_slice())?;
        Ok(c.id)
    }
}

/// Every column but `id`, in the order of `COLUMNS` and of `save`'s values.
fn written_columns() -> Vec<&'static str> {
    COLUMNS
        .strip_prefix("id, ")
        .expect("COLUMNS starts with id")
        .split(", ")
        .collect()
}

/// `INSERT INTO aid_case (every column but id) VALUES (?1, …)`.
static INSERT: LazyLock<String> = LazyLock::new(|| {
    let names = written_columns();
    let marks: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
    format!(
        "INSERT INTO aid_case ({}) VALUES ({})",
        names.join(", "),
        marks.join(", ")
    )
});

/// `UPDATE aid_case SET number = ?1, … WHERE id = ?N` (the id last).
static UPDATE: LazyLock<String> = LazyLock::new(|| {
    let names = written_columns();
    let sets: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, n)| format!("{n} = ?{}", i + 1))
        .collect();
    format!(
        "UPDATE aid_case SET {} WHERE id = ?{}",
        sets.join(", "),
        names.len() + 1
    )
});

pub fn get(conn: &Connection, id: i64) -> CmdResult<Option<CaseRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS}, version FROM aid_case WHERE id = ?1"),
            [id],
            read,
        )
        .optional()?)
}

/// Filters for [`list`]; `None` means any.
#[derive(Debug, Default)]
pub struct Filter {
    pub township_id: Option<i64>,
    pub household_id: Option<i64>,
    pub programme: Option<String>,
    pub states: Option<Vec<String>>,
}

pub fn list(conn: &Connection, f: &Filter) -> CmdResult<Vec<CaseRow>> {
    let states = f
        .states
        .as_ref()
        .map(|s| serde_json::to_string(s).unwrap_or_default());
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS}, version FROM aid_case
         WHERE (?1 IS NULL OR township_id = ?1) AND (?2 IS NULL OR household_id = ?2)
           AND (?3 IS NULL OR programme = ?3)
           AND (?4 IS NULL OR state IN (SELECT value FROM json_each(?4)))
         ORDER BY id"
    ))?;
    let rows = stmt
        .query_map(
            params![f.township_id, f.household_id, f.programme, states],
            read,
        )?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The next case number of a programme and year: `DB-2026-000001`, `TK-2026-000001`.
pub fn next_number(conn: &Connection, programme: &str, year: i32) -> CmdResult<String> {
    Ok(number(
        programme,
        year,
        next_sequence(conn, programme, year)?,
    ))
}

/// A case number: `DB-2026-000123` (低保) or `TK-2026-000123` (特困).
pub fn number(programme: &str, year: i32, sequence: u32) -> String {
    format!("{}{sequence:06}", number_prefix(programme, year))
}

fn number_prefix(programme: &str, year: i32) -> String {
    format!(
        "{}-{year:04}-",
        if programme == Programme::Tekun.code() {
            "TK"
        } else {
            "DB"
        }
    )
}

/// The sequence of the programme's next case number in `year` (1 for the year's first).
pub fn next_sequence(conn: &Connection, programme: &str, year: i32) -> CmdResult<u32> {
    let prefix = number_prefix(programme, year);
    let last: Option<String> = conn
        .query_row(
            "SELECT max(number) FROM aid_case WHERE number LIKE ?1 || '%'",
            [&prefix],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    Ok(last
        .and_then(|l| l[prefix.len()..].parse::<u32>().ok())
        .unwrap_or(0)
        + 1)
}

/// A step to append to a case's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub id: i64,
    pub case_id: i64,
    pub action: String,
    pub from_state: String,
    pub to_state: String,
    pub user_id: i64,
    pub at: String,
    pub data: String,
}

pub fn add_step(tx: &Connection, s: &Step) -> CmdResult<i64> {
    let step = super::timeline::NewStep {
        action: &s.action,
        from_state: &s.from_state,
        to_state: &s.to_state,
        user_id: s.user_id,
        at: &s.at,
        data: &s.data,
    };
    super::timeline::append(tx, super::timeline::Timeline::Case, s.case_id, &step)
}

/// The case's timeline, oldest first.
pub fn steps(conn: &Connection, case_id: i64) -> CmdResult<Vec<super::timeline::Step>> {
    super::timeline::list(conn, super::timeline::Timeline::Case, case_id)
}

/// A monthly amount in force from a month on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount {
    pub case_id: i64,
    /// 'YYYY-MM'.
    pub from_month: String,
    pub amount_fen: i64,
    pub persons: u32,
    pub trail: String,
    pub step_id: i64,
}

pub fn add_amount(tx: &Connection, a: &Amount) -> CmdResult<()> {
    tx.prepare_cached(
        "INSERT INTO case_amount (case_id, from_month, amount_fen, persons, trail, step_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        a.case_id,
        a.from_month,
        a.amount_fen,
        a.persons,
        a.trail,
        a.step_id
    ])?;
    Ok(())
}

/// The amounts of a case in the order they take effect (a later row for the same month wins).
pub fn amounts(conn: &Connection, case_id: i64) -> CmdResult<Vec<Amount>> {
    let mut stmt = conn.prepare(
        "SELECT case_id, from_month, amount_fen, persons, trail, step_id
         FROM case_amount WHERE case_id = ?1 ORDER BY from_month, id",
    )?;
    let rows = stmt
        .query_map([case_id], |r| {
            Ok(Amount {
                case_id: r.get(0)?,
                from_month: r.get(1)?,
                amount_fen: r.get(2)?,
                persons: r.get(3)?,
                trail: r.get(4)?,
                step_id: r.get(5)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
