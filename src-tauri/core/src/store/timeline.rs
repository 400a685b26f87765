//! SQL for the timelines of the three kinds of case (低保/特困, 临时救助, 一事一议): one
//! append-only table each, with the same columns, read and written here.

use rusqlite::{params, Connection};

use crate::error::CmdResult;

/// Which kind of case a timeline belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeline {
    Case,
    TempAid,
    Deliberation,
}

impl Timeline {
    fn table(self) -> &'static str {
        match self {
            Timeline::Case => "case_step",
            Timeline::TempAid => "temp_aid_step",
            Timeline::Deliberation => "deliberation_step",
        }
    }
}

/// One step of a timeline, with the name of the user who took it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub id: i64,
    pub action: String,
    pub from_state: String,
    pub to_state: String,
    pub user_id: i64,
    pub user_name: String,
    pub at: String,
    /// The step's own data as entered, JSON.
    pub data: String,
}

/// A step to append: (action, from state, to state, user id, instant, data JSON).
pub struct NewStep<'a> {
    pub action: &'a str,
    pub from_state: &'a str,
    pub to_state: &'a str,
    pub user_id: i64,
    pub at: &'a str,
    pub data: &'a str,
}

pub fn append(tx: &Connection, t: Timeline, case_id: i64, s: &NewStep<'_>) -> CmdResult<i64> {
    tx.prepare_cached(&format!(
        "INSERT INTO {} (case_id, action, from_state, to_state, user_id, at, data)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        t.table()
    ))?
    .execute(params![
        case_id,
        s.action,
        s.from_state,
        s.to_state,
        s.user_id,
        s.at,
        s.data
    ])?;
    Ok(tx.last_insert_rowid())
}

/// The action of a case's latest step and who took it (saved documents aside, as they change
/// nothing).
pub fn last_action(
    conn: &Connection,
    t: Timeline,
    case_id: i64,
) -> CmdResult<Option<(String, i64)>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached(&format!(
            "SELECT action, user_id FROM {} WHERE case_id = ?1 AND action <> 'document'
             ORDER BY id DESC LIMIT 1",
            t.table()
        ))?
        .query_row([case_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// The timeline of one case, oldest first.
pub fn list(conn: &Connection, t: Timeline, case_id: i64) -> CmdResult<Vec<Step>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT s.id, s.action, s.from_state, s.to_state, s.user_id, u.display_name, s.at, s.data
         FROM {} s JOIN user u ON u.id = s.user_id
         WHERE s.case_id = ?1 ORDER BY s.id",
        t.table()
    ))?;
    let rows = stmt
        .query_map([case_id], |r| {
            Ok(Step {
                id: r.get(0)?,
                action: r.get(1)?,
                from_state: r.get(2)?,
                to_state: r.get(3)?,
                user_id: r.get(4)?,
                user_name: r.get(5)?,
                at: r.get(6)?,
                data: r.get(7)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
