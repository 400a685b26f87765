//! SQL for 近亲属备案: declared near relatives of caseworkers and village committee members.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::CmdResult;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filing {
    pub id: i64,
    /// The declaring staff member when they are a Doudi user.
    pub user_id: Option<i64>,
    pub staff_name: String,
    pub staff_post: String,
    pub area_id: i64,
    pub relative_id_number: String,
    pub relative_name: String,
    pub relation: String,
    pub declared_on: NaiveDate,
    pub recorded_by: i64,
    pub recorded_at: String,
    pub withdrawn_on: Option<NaiveDate>,
    pub withdraw_reason: Option<String>,
}

const COLUMNS: &str = "id, user_id, staff_name, staff_post, area_id, relative_id_number, \
    relative_name, relation, declared_on, recorded_by, recorded_at, withdrawn_on, withdraw_reason";

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Filing> {
    Ok(Filing {
        id: r.get(0)?,
        user_id: r.get(1)?,
        staff_name: r.get(2)?,
        staff_post: r.get(3)?,
        area_id: r.get(4)?,
        relative_id_number: r.get(5)?,
        relative_name: r.get(6)?,
        relation: r.get(7)?,
        declared_on: r.get(8)?,
        recorded_by: r.get(9)?,
        recorded_at: r.get(10)?,
        withdrawn_on: r.get(11)?,
        withdraw_reason: r.get(12)?,
    })
}

/// Insert a filing; `id`, `withdrawn_on` and `withdraw_reason` of `f` are ignored.
pub fn insert(tx: &Connection, f: &Filing) -> CmdResult<i64> {
    tx.execute(
        "INSERT INTO near_relative (user_id, staff_name, staff_post, area_id, relative_id_number,
             relative_name, relation, declared_on, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            f.user_id,
            f.staff_name,
            f.staff_post,
            f.area_id,
            f.relative_id_number,
            f.relative_name,
            f.relation,
            f.declared_on,
            f.recorded_by,
            f.recorded_at
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

pub fn get(conn: &Connection, id: i64) -> CmdResult<Option<Filing>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM near_relative WHERE id = ?1"),
            [id],
            read,
        )
        .optional()?)
}

pub fn withdraw(tx: &Connection, id: i64, on: NaiveDate, reason: &str) -> CmdResult<()> {
    tx.execute(
        "UPDATE near_relative SET withdrawn_on = ?2, withdraw_reason = ?3 WHERE id = ?1",
        params![id, on, reason],
    )?;
    Ok(())
}

/// Filings, newest first; `area_ids` limits them to those areas (a township and its villages).
pub fn list(conn: &Connection, area_ids: Option<&[i64]>) -> CmdResult<Vec<Filing>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM near_relative ORDER BY withdrawn_on IS NOT NULL, id DESC"
    ))?;
    let rows = stmt.query_map([], read)?.collect::<Result<Vec<_>, _>>()?;
    Ok(match area_ids {
        None => rows,
        Some(ids) => rows
            .into_iter()
            .filter(|f| ids.contains(&f.area_id))
            .collect(),
    })
}

/// Open filings naming a current member of the household.
pub fn matching_household(conn: &Connection, household_id: i64) -> CmdResult<Vec<Filing>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {} FROM near_relative n
         JOIN person p ON p.id_number = n.relative_id_number
         WHERE n.withdrawn_on IS NULL AND p.household_id = ?1
         ORDER BY n.id",
        COLUMNS
            .split(", ")
            .map(|c| format!("n.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ")
    ))?;
    let rows = stmt
        .query_map([household_id], read)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// What the workflow needs of the filings on a household: the declared users (who may take no
/// step) and whether anything matched (county home check before approval).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Match {
    pub user_ids: Vec<i64>,
    pub filed: bool,
}

pub fn match_household(conn: &Connection, household_id: i64) -> CmdResult<Match> {
    let filings = matching_household(conn, household_id)?;
    let mut user_ids: Vec<i64> = filings.iter().filter_map(|f| f.user_id).collect();
    user_ids.sort_unstable();
    user_ids.dedup();
    Ok(Match {
        user_ids,
        filed: !filings.is_empty(),
    })
}
