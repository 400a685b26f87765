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

/// What to read of the trail; every filter given narrows it.
#[derive(Default)]
pub struct Filter<'a> {
    /// The rows about one entity — for a household, also its memberships and the persons who
    /// are or were its members.
    pub entity: Option<(&'a str, i64)>,
    /// Rows about any entity of this kind ("case", "household" …).
    pub kind: Option<&'a str>,
    /// Rows recorded under this command or action ("payment.lock" …).
    pub action: Option<&'a str>,
    /// Rows of this user (username).
    pub user: Option<&'a str>,
    /// Rows at or after this day ("YYYY-MM-DD").
    pub from: Option<String>,
    /// Rows before this day ("YYYY-MM-DD", exclusive).
    pub before: Option<String>,
    /// The rows of the cases with this number (低保/特困, 临时救助 or 一事一议).
    pub case_number: Option<&'a str>,
}

/// Newest first, at most `limit` rows matching `f`; with no filter, the whole trail.
pub fn list(conn: &Connection, f: &Filter<'_>, limit: i64) -> CmdResult<Vec<Row>> {
    use rusqlite::types::Value as V;
    let mut clauses: Vec<String> = Vec::new();
    let mut args: Vec<V> = Vec::new();
    let arg = |v: V, args: &mut Vec<V>| {
        args.push(v);
        format!("?{}", args.len())
    };
    match f.entity {
        Some(("household", id)) => {
            let p = arg(id.into(), &mut args);
            clauses.push(format!(
                "((entity = 'household' AND entity_id = {p})
                  OR (entity = 'membership' AND entity_id IN (SELECT id FROM membership WHERE household_id = {p}))
                  OR (entity = 'person' AND entity_id IN (SELECT person_id FROM membership WHERE household_id = {p})))"
            ));
        }
        Some((name, id)) => {
            let (e, i) = (
                arg(name.to_owned().into(), &mut args),
                arg(id.into(), &mut args),
            );
            clauses.push(format!("(entity = {e} AND entity_id = {i})"));
        }
        None => {}
    }
    if let Some(k) = f.kind {
        let p = arg(k.to_owned().into(), &mut args);
        clauses.push(format!("entity = {p}"));
    }
    if let Some(a) = f.action {
        let p = arg(a.to_owned().into(), &mut args);
        clauses.push(format!("command = {p}"));
    }
    if let Some(u) = f.user {
        let p = arg(u.to_owned().into(), &mut args);
        clauses.push(format!("user_name = {p}"));
    }
    if let Some(d) = &f.from {
        let p = arg(d.clone().into(), &mut args);
        clauses.push(format!("at >= {p}"));
    }
    if let Some(d) = &f.before {
        let p = arg(d.clone().into(), &mut args);
        clauses.push(format!("at < {p}"));
    }
    if let Some(n) = f.case_number {
        let p = arg(n.trim().to_owned().into(), &mut args);
        clauses.push(format!(
            "((entity IN ('case', 'aid_case') AND entity_id IN (SELECT id FROM aid_case WHERE number = {p}))
              OR (entity = 'temp_aid_case' AND entity_id IN (SELECT id FROM temp_aid_case WHERE number = {p}))
              OR (entity = 'deliberation_case' AND entity_id IN (SELECT id FROM deliberation_case WHERE number = {p})))"
        ));
    }
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
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

/// The usernames that appear in the trail, for the page's filter.
pub fn user_names(conn: &Connection) -> CmdResult<Vec<String>> {
    let mut stmt = conn.prepare("SELECT DISTINCT user_name FROM audit ORDER BY user_name")?;
    let names = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(names)
}

/// Display names of persons by id (for audit lines naming a head or a member).
pub fn person_names(conn: &Connection, ids: &[i64]) -> CmdResult<Vec<(i64, String)>> {
    let mut stmt = conn.prepare_cached("SELECT id, name FROM person WHERE id = ?1")?;
    let mut out = Vec::new();
    for id in ids {
        if let Some(row) = stmt
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
        {
            out.push(row);
        }
    }
    Ok(out)
}
