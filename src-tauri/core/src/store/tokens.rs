//! SQL for the server's sessions (`server_session`: a token's hash, never the token) and the
//! count of an account's failed sign-ins that the per-account throttle reads from the audit.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::CmdResult;

/// A stored server session.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerSession {
    pub id: i64,
    pub user_id: i64,
    pub created_at: String,
    pub last_used: String,
    pub address: String,
    pub revoked_at: Option<String>,
}

pub fn insert(
    conn: &Connection,
    token_hash: &str,
    user_id: i64,
    at: &str,
    address: &str,
) -> CmdResult<i64> {
    conn.execute(
        "INSERT INTO server_session (token_hash, user_id, created_at, last_used, address)
         VALUES (?1, ?2, ?3, ?3, ?4)",
        params![token_hash, user_id, at, address],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn by_hash(conn: &Connection, token_hash: &str) -> CmdResult<Option<ServerSession>> {
    Ok(conn
        .query_row(
            "SELECT id, user_id, created_at, last_used, address, revoked_at
             FROM server_session WHERE token_hash = ?1",
            [token_hash],
            |r| {
                Ok(ServerSession {
                    id: r.get(0)?,
                    user_id: r.get(1)?,
                    created_at: r.get(2)?,
                    last_used: r.get(3)?,
                    address: r.get(4)?,
                    revoked_at: r.get(5)?,
                })
            },
        )
        .optional()?)
}

/// The session was used now (from `address`).
pub fn touch(conn: &Connection, id: i64, at: &str, address: &str) -> CmdResult<()> {
    conn.execute(
        "UPDATE server_session SET last_used = ?2, address = ?3 WHERE id = ?1",
        params![id, at, address],
    )?;
    Ok(())
}

pub fn revoke(conn: &Connection, id: i64, at: &str) -> CmdResult<()> {
    conn.execute(
        "UPDATE server_session SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![id, at],
    )?;
    Ok(())
}

/// Revoke every live session of a user but `keep` (the one making the change, if any); returns
/// how many were revoked.
pub fn revoke_user(
    conn: &Connection,
    user_id: i64,
    keep: Option<i64>,
    at: &str,
) -> CmdResult<usize> {
    Ok(conn.execute(
        "UPDATE server_session SET revoked_at = ?2
         WHERE user_id = ?1 AND revoked_at IS NULL AND id IS NOT ?3",
        params![user_id, at, keep],
    )?)
}

/// Failed sign-ins under `username` after `since` and after the account's last successful
/// sign-in (read from the audit trail, where both are recorded).
pub fn failures_since(conn: &Connection, username: &str, since: &str) -> CmdResult<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM audit
         WHERE command = 'auth.sign_in_failed' AND user_name = ?1 AND at > ?2
           AND id > coalesce((SELECT max(id) FROM audit
                              WHERE command = 'auth.sign_in' AND user_name = ?1), 0)",
        params![username, since],
        |r| r.get(0),
    )?)
}
