//! SQL for dated standards. Rows in force are never changed; see migrations/0002_rules.sql.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::CmdResult;

/// One stored standard value (the engine's `StandardRow` plus who entered it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredStandard {
    pub id: i64,
    pub key: String,
    pub scope: String,
    pub effective_from: NaiveDate,
    pub value: String,
    pub created_at: String,
    pub created_by: String,
}

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredStandard> {
    Ok(StoredStandard {
        id: r.get(0)?,
        key: r.get(1)?,
        scope: r.get(2)?,
        effective_from: r.get(3)?,
        value: r.get(4)?,
        created_at: r.get(5)?,
        created_by: r.get(6)?,
    })
}

const COLUMNS: &str = "id, key, scope, effective_from, value, created_at, created_by";

/// Every row, by key, scope and date.
pub fn all(conn: &Connection) -> CmdResult<Vec<StoredStandard>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM standard ORDER BY key, scope, effective_from"
    ))?;
    let rows = stmt.query_map([], read)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn find(
    conn: &Connection,
    key: &str,
    scope: &str,
    effective_from: NaiveDate,
) -> CmdResult<Option<StoredStandard>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM standard WHERE key = ?1 AND scope = ?2 AND effective_from = ?3"
    ))?;
    Ok(stmt
        .query_row(params![key, scope, effective_from], read)
        .optional()?)
}

pub fn insert(conn: &Connection, s: &StoredStandard) -> CmdResult<i64> {
    conn.execute(
        "INSERT INTO standard (key, scope, effective_from, value, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            s.key,
            s.scope,
            s.effective_from,
            s.value,
            s.created_at,
            s.created_by
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Replace the value of a row not yet in force (the caller checks the date).
pub fn replace_value(conn: &Connection, id: i64, value: &str, at: &str, by: &str) -> CmdResult<()> {
    conn.execute(
        "UPDATE standard SET value = ?2, created_at = ?3, created_by = ?4 WHERE id = ?1",
        params![id, value, at, by],
    )?;
    Ok(())
}

/// Withdraw a row not yet in force (the caller checks the date).
pub fn delete(conn: &Connection, id: i64) -> CmdResult<()> {
    conn.execute("DELETE FROM standard WHERE id = ?1", [id])?;
    Ok(())
}

/// Store a new row of the engine's form, stamped with who entered it (`by`) and when (`at`).
pub fn insert_row(
    conn: &Connection,
    row: &crate::rules::StandardRow,
    at: &str,
    by: &str,
) -> CmdResult<i64> {
    insert(
        conn,
        &StoredStandard {
            id: 0,
            key: row.key.clone(),
            scope: row.scope.code().to_owned(),
            effective_from: row.effective_from,
            value: row.value.clone(),
            created_at: at.to_owned(),
            created_by: by.to_owned(),
        },
    )
}

/// Every stored row in the rules engine's form (a row with an unknown scope is left out).
pub fn engine_rows(conn: &Connection) -> CmdResult<Vec<crate::rules::StandardRow>> {
    Ok(all(conn)?
        .into_iter()
        .filter_map(|r| {
            Some(crate::rules::StandardRow {
                scope: crate::rules::Scope::from_code(&r.scope)?,
                key: r.key,
                effective_from: r.effective_from,
                value: r.value,
            })
        })
        .collect())
}
