//! SQL for the coordination meetings (协调会议) of 一事一议: the meeting, its agenda, attendance
//! and the member units' opinions.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::CmdResult;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRow {
    pub id: i64,
    pub held_on: NaiveDate,
    pub place: String,
    pub chair: String,
    pub recorder: String,
    pub minutes: String,
    pub state: String,
    pub quorum_rule: String,
    pub majority_rule: String,
    pub created_by: i64,
    pub created_at: String,
    pub closed_at: Option<String>,
    /// Bumped by every change to the meeting, its agenda, attendance and opinions (triggers);
    /// read only.
    pub version: i64,
}

const MEETING_COLUMNS: &str = "id, held_on, place, chair, recorder, minutes, state, quorum_rule, \
    majority_rule, created_by, created_at, closed_at, version";

fn read_meeting(r: &rusqlite::Row<'_>) -> rusqlite::Result<MeetingRow> {
    Ok(MeetingRow {
        id: r.get(0)?,
        held_on: r.get(1)?,
        place: r.get(2)?,
        chair: r.get(3)?,
        recorder: r.get(4)?,
        minutes: r.get(5)?,
        state: r.get(6)?,
        quorum_rule: r.get(7)?,
        majority_rule: r.get(8)?,
        created_by: r.get(9)?,
        created_at: r.get(10)?,
        closed_at: r.get(11)?,
        version: r.get(12)?,
    })
}

pub fn insert_meeting(tx: &Connection, m: &MeetingRow) -> CmdResult<i64> {
    tx.execute(
        "INSERT INTO meeting (held_on, place, chair, recorder, minutes, state, quorum_rule,
             majority_rule, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            m.held_on,
            m.place,
            m.chair,
            m.recorder,
            m.minutes,
            m.state,
            m.quorum_rule,
            m.majority_rule,
            m.created_by,
            m.created_at
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

pub fn get_meeting(conn: &Connection, id: i64) -> CmdResult<Option<MeetingRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {MEETING_COLUMNS} FROM meeting WHERE id = ?1"),
            [id],
            read_meeting,
        )
        .optional()?)
}

/// Meetings, open ones first, then newest.
pub fn list_meetings(conn: &Connection) -> CmdResult<Vec<MeetingRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {MEETING_COLUMNS} FROM meeting ORDER BY state = 'closed', held_on DESC, id DESC"
    ))?;
    let rows = stmt
        .query_map([], read_meeting)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn set_minutes(tx: &Connection, id: i64, minutes: &str) -> CmdResult<()> {
    tx.execute(
        "UPDATE meeting SET minutes = ?2 WHERE id = ?1",
        params![id, minutes],
    )?;
    Ok(())
}

pub fn close_meeting(tx: &Connection, id: i64, at: &str) -> CmdResult<()> {
    tx.execute(
        "UPDATE meeting SET state = 'closed', closed_at = ?2 WHERE id = ?1",
        params![id, at],
    )?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRow {
    pub case_id: i64,
    pub position: i64,
    pub decision: Option<String>,
}

pub fn add_item(tx: &Connection, meeting_id: i64, case_id: i64) -> CmdResult<()> {
    tx.execute(
        "INSERT INTO meeting_item (meeting_id, case_id, position)
         VALUES (?1, ?2, (SELECT coalesce(max(position), 0) + 1 FROM meeting_item WHERE meeting_id = ?1))",
        params![meeting_id, case_id],
    )?;
    Ok(())
}

pub fn items(conn: &Connection, meeting_id: i64) -> CmdResult<Vec<ItemRow>> {
    let mut stmt = conn.prepare(
        "SELECT case_id, position, decision FROM meeting_item WHERE meeting_id = ?1 ORDER BY position",
    )?;
    let rows = stmt
        .query_map([meeting_id], |r| {
            Ok(ItemRow {
                case_id: r.get(0)?,
                position: r.get(1)?,
                decision: r.get(2)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn set_item_decision(
    tx: &Connection,
    meeting_id: i64,
    case_id: i64,
    decision: &str,
) -> CmdResult<()> {
    tx.execute(
        "UPDATE meeting_item SET decision = ?3 WHERE meeting_id = ?1 AND case_id = ?2",
        params![meeting_id, case_id, decision],
    )?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceRow {
    pub unit: String,
    pub status: String,
    pub representative: String,
}

pub fn set_attendance(tx: &Connection, meeting_id: i64, a: &AttendanceRow) -> CmdResult<()> {
    tx.execute(
        "INSERT INTO meeting_attendance (meeting_id, unit, status, representative)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(meeting_id, unit) DO UPDATE SET status = excluded.status,
             representative = excluded.representative",
        params![meeting_id, a.unit, a.status, a.representative],
    )?;
    Ok(())
}

/// The invited units in the order of the settings list at the time of invitation.
pub fn attendance(conn: &Connection, meeting_id: i64) -> CmdResult<Vec<AttendanceRow>> {
    let mut stmt = conn.prepare(
        "SELECT unit, status, representative FROM meeting_attendance WHERE meeting_id = ?1 ORDER BY rowid",
    )?;
    let rows = stmt
        .query_map([meeting_id], |r| {
            Ok(AttendanceRow {
                unit: r.get(0)?,
                status: r.get(1)?,
                representative: r.get(2)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpinionRow {
    pub case_id: i64,
    pub unit: String,
    pub opinion: String,
    pub commitment: String,
    pub recorded_by: i64,
    /// Who entered it, by name (read back; not written).
    pub recorded_by_name: String,
    pub recorded_at: String,
    /// The unit's signed paper opinion, when a county user entered it; empty when the unit's own
    /// user recorded it.
    pub paper_ref: String,
}

pub fn upsert_opinion(tx: &Connection, meeting_id: i64, o: &OpinionRow) -> CmdResult<()> {
    tx.execute(
        "INSERT INTO meeting_opinion (meeting_id, case_id, unit, opinion, commitment, recorded_by, recorded_at,
             paper_ref)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT(meeting_id, case_id, unit) DO UPDATE SET opinion = excluded.opinion,
             commitment = excluded.commitment, recorded_by = excluded.recorded_by,
             recorded_at = excluded.recorded_at, paper_ref = excluded.paper_ref",
        params![
            meeting_id,
            o.case_id,
            o.unit,
            o.opinion,
            o.commitment,
            o.recorded_by,
            o.recorded_at,
            o.paper_ref
        ],
    )?;
    Ok(())
}

pub fn opinions(conn: &Connection, meeting_id: i64) -> CmdResult<Vec<OpinionRow>> {
    let mut stmt = conn.prepare(
        "SELECT o.case_id, o.unit, o.opinion, o.commitment, o.recorded_by, o.recorded_at, o.paper_ref,
                coalesce(u.display_name, '')
         FROM meeting_opinion o LEFT JOIN user u ON u.id = o.recorded_by
         WHERE o.meeting_id = ?1 ORDER BY o.case_id, o.rowid",
    )?;
    let rows = stmt
        .query_map([meeting_id], |r| {
            Ok(OpinionRow {
                case_id: r.get(0)?,
                unit: r.get(1)?,
                opinion: r.get(2)?,
                commitment: r.get(3)?,
                recorded_by: r.get(4)?,
                recorded_at: r.get(5)?,
                paper_ref: r.get(6)?,
                recorded_by_name: r.get(7)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
