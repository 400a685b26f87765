//! A session: an open database, its clock, who is signed in, and where progress goes; and the
//! [`Stamp`] (who and when) that writes a change's audit row inside its transaction. Every
//! command takes the session; demo and bench build their data through it too.

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::Serialize;
use serde_json::Value;

use crate::auth::{Role, User};
use crate::clock::Clock;
use crate::error::{CmdError, CmdResult, ErrorCode};
use crate::progress::ProgressSink;
use crate::store;

/// An open database and who is signed in to it.
pub struct Session {
    pub(crate) conn: Connection,
    pub(crate) clock: Box<dyn Clock>,
    pub(crate) user: Option<User>,
    pub(crate) path: Option<PathBuf>,
    /// Where long commands report their progress; none: not reported.
    pub(crate) progress: Option<ProgressSink>,
    /// The server session (`server_session.id`) this call came in on; none on the desktop.
    pub(crate) token_id: Option<i64>,
}

impl Session {
    pub fn open(path: &Path, clock: Box<dyn Clock>) -> CmdResult<Session> {
        Ok(Session {
            conn: crate::db::open(path)?,
            clock,
            user: None,
            path: Some(path.to_owned()),
            progress: None,
            token_id: None,
        })
    }

    pub fn in_memory(clock: Box<dyn Clock>) -> CmdResult<Session> {
        Ok(Session {
            conn: crate::db::open_in_memory()?,
            clock,
            user: None,
            path: None,
            progress: None,
            token_id: None,
        })
    }

    /// The signed-in user, or `unauthenticated`.
    pub fn user(&self) -> CmdResult<&User> {
        self.user
            .as_ref()
            .ok_or_else(|| CmdError::new(ErrorCode::Unauthenticated, "请先登录"))
    }

    /// The signed-in user if their role is one of `roles`.
    pub(crate) fn require(&self, roles: &[Role], what: &str) -> CmdResult<&User> {
        let user = self.user()?;
        if roles.contains(&user.role) {
            Ok(user)
        } else {
            let allowed: Vec<&str> = roles.iter().map(|r| r.label()).collect();
            Err(CmdError::forbidden(format!(
                "{}（{}）无权{}；此操作限{}",
                user.display_name,
                user.role.label(),
                what,
                allowed.join("、")
            )))
        }
    }

    pub(crate) fn now_text(&self) -> String {
        self.clock.now().format("%Y-%m-%d %H:%M:%S").to_string()
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Report the progress of long commands (a ledger import) to `sink`, from now on.
    pub fn set_progress(&mut self, sink: ProgressSink) {
        self.progress = Some(sink);
    }
}

/// Who and when, captured before a transaction borrows the connection.
pub(crate) struct Stamp {
    pub user_name: String,
    pub at: String,
}

impl Stamp {
    pub fn of(s: &Session) -> CmdResult<Stamp> {
        Ok(Stamp {
            user_name: s.user()?.username.clone(),
            at: s.now_text(),
        })
    }

    /// Write the audit row of a change, inside its transaction.
    pub fn record(
        &self,
        tx: &Connection,
        command: &str,
        entity: &str,
        entity_id: Option<i64>,
        before: Option<&Value>,
        after: Option<&Value>,
    ) -> CmdResult<()> {
        self.append(
            tx,
            command,
            entity,
            entity_id,
            before.map(Value::to_string),
            after.map(Value::to_string),
        )
    }

    /// Write the audit row of something new, its `after` serialised straight from `after`
    /// (no JSON value built in between: bulk writes record tens of thousands of these).
    pub fn record_new<T: Serialize>(
        &self,
        tx: &Connection,
        command: &str,
        entity: &str,
        entity_id: Option<i64>,
        after: &T,
    ) -> CmdResult<()> {
        self.append(
            tx,
            command,
            entity,
            entity_id,
            None,
            Some(crate::commands::json_text(after)?),
        )
    }

    fn append(
        &self,
        tx: &Connection,
        command: &str,
        entity: &str,
        entity_id: Option<i64>,
        before: Option<String>,
        after: Option<String>,
    ) -> CmdResult<()> {
        store::audit::append(
            tx,
            store::audit::NewEntry {
                at: self.at.clone(),
                user_name: &self.user_name,
                command,
                entity,
                entity_id,
                before,
                after,
            },
        )?;
        Ok(())
    }
}
