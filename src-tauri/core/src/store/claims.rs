//! SQL for the claims on exclusive long jobs (`job_claim`): a payment month's run or lock, a
//! ledger import. `commands::exclusive` decides; this reads and writes the rows.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::CmdResult;

/// Who holds a job: their display name and when they started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub user_id: i64,
    pub name: String,
    pub started_at: String,
}

pub fn holder(conn: &Connection, job: &str) -> CmdResult<Option<Holder>> {
    Ok(conn
        .prepare_cached(
            "SELECT c.user_id, u.display_name, c.started_at
             FROM job_claim c JOIN user u ON u.id = c.user_id WHERE c.job = ?1",
        )?
        .query_row([job], |r| {
            Ok(Holder {
                user_id: r.get(0)?,
                name: r.get(1)?,
                started_at: r.get(2)?,
            })
        })
        .optional()?)
}

/// Claim `job` for `user_id` from `at`, replacing a claim left behind.
pub fn put(tx: &Connection, job: &str, user_id: i64, at: &str) -> CmdResult<()> {
    tx.prepare_cached(
        "INSERT OR REPLACE INTO job_claim (job, user_id, started_at) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![job, user_id, at])?;
    Ok(())
}

/// Give back a claim (only the one taken: a claim taken over since is left alone).
pub fn release(tx: &Connection, job: &str, user_id: i64, at: &str) -> CmdResult<()> {
    tx.prepare_cached("DELETE FROM job_claim WHERE job = ?1 AND user_id = ?2 AND started_at = ?3")?
        .execute(params![job, user_id, at])?;
    Ok(())
}
