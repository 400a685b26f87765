//! SQL for the audit chain.

use rusqlite::{params, Connection, OptionalExtension};

use crate::audit::{self, Row, GENESIS};
use crate::error::CmdResult;

/// A change to record; the store fills in id, prev_hash and hash.
pub struct NewEntry<'a> {
    pub at: String,
    pub user_name: &'a str,
    pub command: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Append one row, chained to the last. Call inside the transaction of the change it records.
pub fn append(tx: &Connection, e: NewEntry<'_>) -> CmdResult<i64> {
    let last: Option<(i64, String)> = tx
        .prepare_cached("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (prev_id, prev_hash) = last.unwrap_or((0, GENESIS.to_owned()));
    let mut row = Row {
        id: prev_id + 1,
        at: e.at,
        user_name: e.user_name.to_owned(),
        command: e.command.to_owned(),
        entity: e.entity.to_owned(),
        entity_id: e.entity_id,
        before: e.before,
        after: e.after,
        prev_hash,
        hash: String::new(),
    };
    row.hash = audit::hash(&row);
    tx.prepare_cached(
        "INSERT INTO audit (id, at, user_name, command, entity, entity_id, before, after, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![row.id, row.at, row.user_name, row.command, row.entity, row.entity_id, row.before, row.after, row.prev_hash, row.hash],
    )?;
    Ok(row.id)
}

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        id: r.get(0)?,
        at: r.get(1)?,
        user_name: r.get(2)?,
        command: r.get(3)?,
        entity: r.get(4)?,
        entity_id: r.get(5)?,
        before: r.get(6)?,
        after: r.get(7)?,
        prev_hash: r.get(8)?,
        hash: r.get(9)?,
    })
}

const COLUMNS: &str =
    "id, at, user_name, command, entity, entity_id, before, after, prev_hash, hash";

/// Verify the whole chain, streaming rows.
pub fn verify(conn: &Connection) -> CmdResult<audit::Verdict> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM audit ORDER BY id"))?;
    let rows = stmt.query_map([], read_row)?;
    let mut err = None;
    let verdict = audit::verify(rows.map_while(|r| r.map_err(|e| err = Some(e)).ok()));
    match err {
        Some(e) => Err(e.into()),
        None => Ok(verdict),
    }
}

/// Newest first: the rows about one entity — for a household, also its memberships and the
/// persons who are or were its members — or, with no entity, the whole trail.
pub fn list(conn: &Connection, entity: Option<(&str, i64)>, limit: i64) -> CmdResult<Vec<Row>> {
    let (filter, args): (&str, Vec<rusqlite::types::Value>) = match entity {
        Some(("household", id)) => (
            "WHERE (entity = 'household' AND entity_id = ?1)
                OR (entity = 'membership' AND entity_id IN (SELECT id FROM membership WHERE household_id = ?1))
                OR (entity = 'person' AND entity_id IN (SELECT person_id FROM membership WHERE household_id = ?1))",
            vec![id.into()],
        ),
        Some((name, id)) => ("WHERE entity = ?1 AND entity_id = ?2", vec![name.to_owned().into(), id.into()]),
        None => ("", vec![]),
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM audit {filter} ORDER BY id DESC LIMIT {}",
        limit.max(0)
    ))?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(args), read_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
