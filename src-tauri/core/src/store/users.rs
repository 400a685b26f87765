//! SQL for users.

use rusqlite::{params, Connection, OptionalExtension};

use crate::auth::{Role, User};
use crate::error::{CmdError, CmdResult};

const COLUMNS: &str = "id, username, display_name, role, area_id, active, must_change_password";

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    let role: String = r.get(3)?;
    Ok(User {
        id: r.get(0)?,
        username: r.get(1)?,
        display_name: r.get(2)?,
        role: Role::parse(&role).unwrap_or(Role::MemberUnit),
        area_id: r.get(4)?,
        active: r.get(5)?,
        must_change_password: r.get(6)?,
    })
}

pub fn count(conn: &Connection) -> CmdResult<i64> {
    Ok(conn.query_row("SELECT count(*) FROM user", [], |r| r.get(0))?)
}

pub fn all(conn: &Connection) -> CmdResult<Vec<User>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM user ORDER BY role, username"
    ))?;
    let rows = stmt.query_map([], read)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn get(conn: &Connection, id: i64) -> CmdResult<Option<User>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM user WHERE id = ?1"),
            [id],
            read,
        )
        .optional()?)
}

/// The user and their password hash, for signing in.
pub fn by_username(conn: &Connection, username: &str) -> CmdResult<Option<(User, String)>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS}, password_hash FROM user WHERE username = ?1"),
            [username],
            |r| Ok((read(r)?, r.get(7)?)),
        )
        .optional()?)
}

pub fn insert(
    conn: &Connection,
    u: &User,
    password_hash: &str,
    created_at: &str,
) -> CmdResult<i64> {
    conn.execute(
        "INSERT INTO user (username, display_name, role, area_id, password_hash, active, created_at,
                           must_change_password)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![u.username, u.display_name, u.role.as_str(), u.area_id, password_hash, u.active, created_at,
                u.must_change_password],
    )
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => {
            CmdError::conflict("username", format!("用户名“{}”已被使用", u.username))
        }
        _ => e.into(),
    })?;
    Ok(conn.last_insert_rowid())
}

pub fn update(conn: &Connection, u: &User) -> CmdResult<()> {
    conn.execute(
        "UPDATE user SET display_name = ?2, role = ?3, area_id = ?4, active = ?5 WHERE id = ?1",
        params![u.id, u.display_name, u.role.as_str(), u.area_id, u.active],
    )?;
    Ok(())
}

/// A new password; `must_change` when the administrator set it (the user must set their own).
pub fn set_password(
    conn: &Connection,
    id: i64,
    password_hash: &str,
    must_change: bool,
) -> CmdResult<()> {
    conn.execute(
        "UPDATE user SET password_hash = ?2, must_change_password = ?3 WHERE id = ?1",
        params![id, password_hash, must_change],
    )?;
    Ok(())
}

/// Whether the user must set their own password (the demo county's accounts do not).
pub fn set_must_change_password(conn: &Connection, id: i64, must_change: bool) -> CmdResult<()> {
    conn.execute(
        "UPDATE user SET must_change_password = ?2 WHERE id = ?1",
        params![id, must_change],
    )?;
    Ok(())
}
