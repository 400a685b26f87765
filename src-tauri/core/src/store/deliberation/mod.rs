//! SQL for 一事一议: cases and their append-only steps, meetings with agenda, attendance and
//! opinions, payment stages, follow-up visits, member units as users, and the settings
//! `deliberation.units`, `deliberation.quorum`, `deliberation.majority`.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

mod facts;
mod meetings;

pub use facts::{case_facts, meeting_facts, record_action, record_decision};
pub use meetings::*;

use super::settings;
use crate::error::CmdResult;
use crate::month::Month;
use crate::workflow::deliberation::{DelibState, Filing, Threshold};

// ---- settings ----

/// The default member units of the county coordination mechanism; a county edits the list.
pub const DEFAULT_UNITS: [&str; 11] = [
    "民政局",
    "财政局",
    "人社局",
    "卫健委",
    "医保局",
    "教育局",
    "住建局",
    "乡村振兴局",
    "残联",
    "总工会",
    "红十字会",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelibSettings {
    pub units: Vec<String>,
    pub quorum: Threshold,
    pub majority: Threshold,
}

impl Default for DelibSettings {
    fn default() -> DelibSettings {
        DelibSettings {
            units: DEFAULT_UNITS.iter().map(|u| u.to_string()).collect(),
            quorum: Threshold::MoreThanHalf,
            majority: Threshold::MoreThanHalf,
        }
    }
}

/// The settings; unset (or unreadable) ones take the defaults.
pub fn settings(conn: &Connection) -> CmdResult<DelibSettings> {
    let mut s = DelibSettings::default();
    if let Some(v) = settings::get(conn, "deliberation.units")? {
        if let Ok(units) = serde_json::from_str::<Vec<String>>(&v) {
            s.units = units;
        }
    }
    if let Some(t) = settings::get(conn, "deliberation.quorum")?.and_then(|v| Threshold::parse(&v))
    {
        s.quorum = t;
    }
    if let Some(t) =
        settings::get(conn, "deliberation.majority")?.and_then(|v| Threshold::parse(&v))
    {
        s.majority = t;
    }
    Ok(s)
}

pub fn set_settings(tx: &Connection, s: &DelibSettings) -> CmdResult<()> {
    let units = serde_json::to_string(&s.units).expect("strings serialize");
    settings::set(tx, "deliberation.units", &units)?;
    settings::set(tx, "deliberation.quorum", s.quorum.as_str())?;
    settings::set(tx, "deliberation.majority", s.majority.as_str())?;
    Ok(())
}

/// (user id, unit) for every member-unit user with a unit.
pub fn user_units(conn: &Connection) -> CmdResult<Vec<(i64, String)>> {
    let mut stmt = conn.prepare("SELECT user_id, unit FROM member_unit_user ORDER BY user_id")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Replace the whole user → unit mapping.
pub fn set_user_units(tx: &Connection, pairs: &[(i64, String)]) -> CmdResult<()> {
    tx.execute("DELETE FROM member_unit_user", [])?;
    for (user_id, unit) in pairs {
        tx.execute(
            "INSERT INTO member_unit_user (user_id, unit) VALUES (?1, ?2)",
            params![user_id, unit],
        )?;
    }
    Ok(())
}

pub fn unit_of(conn: &Connection, user_id: i64) -> CmdResult<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT unit FROM member_unit_user WHERE user_id = ?1",
            [user_id],
            |r| r.get(0),
        )
        .optional()?)
}

// ---- cases ----

/// A 一事一议 case as stored. JSON columns stay text here; the command layer reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    pub id: i64,
    pub number: String,
    pub household_id: i64,
    pub township_id: i64,
    pub state: String,
    pub family_situation: String,
    pub special_matter: String,
    pub received: String,
    pub proposed_amount_fen: i64,
    pub proposed_measures: String,
    pub reporting_unit: String,
    pub township_opinion: String,
    pub filed_on: NaiveDate,
    pub filed_by: i64,
    pub review_opinion: Option<String>,
    pub reviewed_by: Option<i64>,
    pub reviewed_on: Option<NaiveDate>,
    pub meeting_id: Option<i64>,
    pub decision: Option<String>,
    pub decision_note: Option<String>,
    pub approved_amount_fen: Option<i64>,
    pub approved_measures: Option<String>,
    pub responsible_units: String,
    pub decided_on: Option<NaiveDate>,
    pub signed_off_by: Option<i64>,
    pub signed_off_on: Option<NaiveDate>,
    pub notice_start: Option<NaiveDate>,
    pub notice_days: Option<u32>,
    /// The 公示's last day, fixed when it started (`None` for notices started before it was
    /// stored: computed from the settings).
    pub notice_end: Option<NaiveDate>,
    pub outcome: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub created_at: String,
    pub updated_at: String,
    /// Bumped by every step (a trigger on `deliberation_step`); read only.
    pub version: i64,
}

impl CaseRow {
    /// A case as filed: in state `filed`, nothing decided yet.
    pub fn filed(
        f: Filing,
        number: String,
        household_id: i64,
        township_id: i64,
        filed_by: i64,
        at: &str,
    ) -> CaseRow {
        CaseRow {
            id: 0,
            number,
            household_id,
            township_id,
            state: DelibState::Filed.as_str().into(),
            family_situation: f.family_situation,
            special_matter: f.special_matter,
            received: serde_json::to_string(&f.received).unwrap_or_else(|_| "[]".into()),
            proposed_amount_fen: f.proposed_amount_fen,
            proposed_measures: f.proposed_measures,
            reporting_unit: f.reporting_unit,
            township_opinion: f.township_opinion,
            filed_on: f.filed_on,
            filed_by,
            review_opinion: None,
            reviewed_by: None,
            reviewed_on: None,
            meeting_id: None,
            decision: None,
            decision_note: None,
            approved_amount_fen: None,
            approved_measures: None,
            responsible_units: "[]".into(),
            decided_on: None,
            signed_off_by: None,
            signed_off_on: None,
            notice_start: None,
            notice_days: None,
            notice_end: None,
            outcome: None,
            closed_on: None,
            created_at: at.to_owned(),
            updated_at: at.to_owned(),
            version: 0,
        }
    }
}

const CASE_COLUMNS: &str = "id, number, household_id, township_id, state, family_situation, \
    special_matter, received, proposed_amount_fen, proposed_measures, reporting_unit, \
    township_opinion, filed_on, filed_by, review_opinion, reviewed_by, reviewed_on, meeting_id, \
    decision, decision_note, approved_amount_fen, approved_measures, responsible_units, \
    decided_on, signed_off_by, signed_off_on, notice_start, notice_days, outcome, closed_on, \
    created_at, updated_at, notice_end, version";

fn read_case(r: &rusqlite::Row<'_>) -> rusqlite::Result<CaseRow> {
    Ok(CaseRow {
        id: r.get(0)?,
        number: r.get(1)?,
        household_id: r.get(2)?,
        township_id: r.get(3)?,
        state: r.get(4)?,
        family_situation: r.get(5)?,
        special_matter: r.get(6)?,
        received: r.get(7)?,
        proposed_amount_fen: r.get(8)?,
        proposed_measures: r.get(9)?,
        reporting_unit: r.get(10)?,
        township_opinion: r.get(11)?,
        filed_on: r.get(12)?,
        filed_by: r.get(13)?,
        review_opinion: r.get(14)?,
        reviewed_by: r.get(15)?,
        reviewed_on: r.get(16)?,
        meeting_id: r.get(17)?,
        decision: r.get(18)?,
        decision_note: r.get(19)?,
        approved_amount_fen: r.get(20)?,
        approved_measures: r.get(21)?,
        responsible_units: r.get(22)?,
        decided_on: r.get(23)?,
        signed_off_by: r.get(24)?,
        signed_off_on: r.get(25)?,
        notice_start: r.get(26)?,
        notice_days: r.get(27)?,
        outcome: r.get(28)?,
        closed_on: r.get(29)?,
        created_at: r.get(30)?,
        updated_at: r.get(31)?,
        notice_end: r.get(32)?,
        version: r.get(33)?,
    })
}

/// The next case number of a year: 一议〔2026〕3号 is stored as "YS2026-0003".
pub fn next_number(conn: &Connection, year: i32) -> CmdResult<String> {
    let prefix = format!("YS{year:04}-");
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM deliberation_case WHERE number LIKE ?1 || '%'",
        [&prefix],
        |r| r.get(0),
    )?;
    Ok(format!("{prefix}{:04}", n + 1))
}

/// Insert a new case (`id` of `c` is ignored); returns its id.
pub fn insert_case(tx: &Connection, c: &CaseRow) -> CmdResult<i64> {
    tx.execute(
        "INSERT INTO deliberation_case (number, household_id, township_id, state, family_situation,
             special_matter, received, proposed_amount_fen, proposed_measures, reporting_unit,
             township_opinion, filed_on, filed_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            c.number,
            c.household_id,
            c.township_id,
            c.state,
            c.family_situation,
            c.special_matter,
            c.received,
            c.proposed_amount_fen,
            c.proposed_measures,
            c.reporting_unit,
            c.township_opinion,
            c.filed_on,
            c.filed_by,
            c.created_at,
            c.updated_at
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Write every column a step may change.
pub fn update_case(tx: &Connection, c: &CaseRow) -> CmdResult<()> {
    tx.execute(
        "UPDATE deliberation_case SET state = ?2, review_opinion = ?3, reviewed_by = ?4,
             reviewed_on = ?5, meeting_id = ?6, decision = ?7, decision_note = ?8,
             approved_amount_fen = ?9, approved_measures = ?10, responsible_units = ?11,
             decided_on = ?12, signed_off_by = ?13, signed_off_on = ?14, notice_start = ?15,
             notice_days = ?16, outcome = ?17, closed_on = ?18, updated_at = ?19,
             notice_end = ?20
         WHERE id = ?1",
        params![
            c.id,
            c.state,
            c.review_opinion,
            c.reviewed_by,
            c.reviewed_on,
            c.meeting_id,
            c.decision,
            c.decision_note,
            c.approved_amount_fen,
            c.approved_measures,
            c.responsible_units,
            c.decided_on,
            c.signed_off_by,
            c.signed_off_on,
            c.notice_start,
            c.notice_days,
            c.outcome,
            c.closed_on,
            c.updated_at,
            c.notice_end
        ],
    )?;
    Ok(())
}

pub fn get_case(conn: &Connection, id: i64) -> CmdResult<Option<CaseRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {CASE_COLUMNS} FROM deliberation_case WHERE id = ?1"),
            [id],
            read_case,
        )
        .optional()?)
}

/// A case with the names a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseListed {
    pub case: CaseRow,
    pub head_name: String,
    pub township_name: String,
    pub village_name: String,
}

/// Cases, newest first; `township_id` limits them to one township, `states` to some states.
pub fn list_cases(
    conn: &Connection,
    township_id: Option<i64>,
    states: &[&str],
) -> CmdResult<Vec<CaseListed>> {
    let cols: Vec<String> = CASE_COLUMNS
        .split(", ")
        .map(|c| format!("c.{}", c.trim()))
        .collect();
    let mut stmt = conn.prepare(&format!(
        "SELECT {}, coalesce(p.name, ''), t.name, v.name
         FROM deliberation_case c
         JOIN household h ON h.id = c.household_id
         LEFT JOIN person p ON p.id = h.head_id
         JOIN area t ON t.id = c.township_id
         JOIN area v ON v.id = h.village_id
         WHERE ?1 IS NULL OR c.township_id = ?1
         ORDER BY c.id DESC",
        cols.join(", ")
    ))?;
    let rows = stmt
        .query_map([township_id], |r| {
            Ok(CaseListed {
                case: read_case(r)?,
                head_name: r.get(34)?,
                township_name: r.get(35)?,
                village_name: r.get(36)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows
        .into_iter()
        .filter(|c| states.is_empty() || states.contains(&c.case.state.as_str()))
        .collect())
}

// ---- payments and visits ----

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRow {
    pub stage: u32,
    pub planned_month: String,
    pub amount_fen: i64,
    pub paid_on: Option<NaiveDate>,
    pub paid_by: Option<i64>,
}

pub fn insert_payment(tx: &Connection, case_id: i64, p: &PaymentRow) -> CmdResult<()> {
    tx.execute(
        "INSERT INTO deliberation_payment (case_id, stage, planned_month, amount_fen)
         VALUES (?1, ?2, ?3, ?4)",
        params![case_id, p.stage, p.planned_month, p.amount_fen],
    )?;
    Ok(())
}

pub fn payments(conn: &Connection, case_id: i64) -> CmdResult<Vec<PaymentRow>> {
    let mut stmt = conn.prepare(
        "SELECT stage, planned_month, amount_fen, paid_on, paid_by FROM deliberation_payment
         WHERE case_id = ?1 ORDER BY stage",
    )?;
    let rows = stmt
        .query_map([case_id], |r| {
            Ok(PaymentRow {
                stage: r.get(0)?,
                planned_month: r.get(1)?,
                amount_fen: r.get(2)?,
                paid_on: r.get(3)?,
                paid_by: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The stages of a case that a monthly run put on its roster, with the run's month and whether
/// that month is locked (payment rows are append-only: a stage once on a roster stays there).
pub fn stage_rosters(conn: &Connection, case_id: i64) -> CmdResult<Vec<(u32, Month, bool)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.stage, min(p.month),
                max(coalesce((SELECT r.state = 'locked' FROM payment_run r WHERE r.month = p.month), 0))
         FROM deliberation_payment d
         JOIN payment p ON p.source_kind = 'deliberation' AND p.source_id = d.rowid
         WHERE d.case_id = ?1 GROUP BY d.stage ORDER BY d.stage",
    )?;
    let rows = stmt
        .query_map([case_id], |r| {
            Ok((
                r.get::<_, u32>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(stage, m, locked)| Some((stage, Month::parse(&m)?, locked)))
        .collect())
}

/// The 一事一议 cases with a stage on the roster of `month`, by id.
pub fn cases_on_roster(conn: &Connection, month: &str) -> CmdResult<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT d.case_id FROM deliberation_payment d
         JOIN payment p ON p.source_kind = 'deliberation' AND p.source_id = d.rowid
         WHERE p.month = ?1 ORDER BY d.case_id",
    )?;
    let rows = stmt
        .query_map([month], |r| r.get(0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn mark_paid(
    tx: &Connection,
    case_id: i64,
    stage: u32,
    paid_on: NaiveDate,
    by: i64,
) -> CmdResult<()> {
    tx.execute(
        "UPDATE deliberation_payment SET paid_on = ?3, paid_by = ?4
         WHERE case_id = ?1 AND stage = ?2 AND paid_on IS NULL",
        params![case_id, stage, paid_on, by],
    )?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitRow {
    pub id: i64,
    pub visited_on: NaiveDate,
    pub visitor: String,
    pub findings: String,
    pub recorded_by: i64,
    pub recorded_at: String,
}

pub fn insert_visit(tx: &Connection, case_id: i64, v: &VisitRow) -> CmdResult<i64> {
    tx.execute(
        "INSERT INTO deliberation_visit (case_id, visited_on, visitor, findings, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![case_id, v.visited_on, v.visitor, v.findings, v.recorded_by, v.recorded_at],
    )?;
    Ok(tx.last_insert_rowid())
}

pub fn visits(conn: &Connection, case_id: i64) -> CmdResult<Vec<VisitRow>> {
    let mut stmt = conn.prepare(
        "SELECT id, visited_on, visitor, findings, recorded_by, recorded_at FROM deliberation_visit
         WHERE case_id = ?1 ORDER BY visited_on, id",
    )?;
    let rows = stmt
        .query_map([case_id], |r| {
            Ok(VisitRow {
                id: r.get(0)?,
                visited_on: r.get(1)?,
                visitor: r.get(2)?,
                findings: r.get(3)?,
                recorded_by: r.get(4)?,
                recorded_at: r.get(5)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
