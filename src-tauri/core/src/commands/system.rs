//! Database facts and backups (to a path, or as verified bytes).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::files::{Deliver, Dest};
use super::{input, Session};
use crate::auth::Role;
use crate::error::CmdResult;
use crate::store;

#[derive(Serialize, JsonSchema)]
pub(crate) struct InfoReply {
    path: Option<String>,
    schema_version: i64,
    app_version: &'static str,
    households: i64,
    persons: i64,
}

pub(crate) fn info(s: &mut Session, _: Value) -> CmdResult<InfoReply> {
    s.user()?;
    let (households, persons) = store::registry::counts(&s.conn)?;
    Ok(InfoReply {
        path: s.path.as_ref().map(|p| p.display().to_string()),
        schema_version: crate::db::SCHEMA_VERSION,
        app_version: env!("CARGO_PKG_VERSION"),
        households,
        persons,
    })
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct BackupReply {
    /// The backup file written (absent with `deliver: "bytes"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    dest: Option<String>,
    bytes: u64,
    /// The verified backup itself, with `deliver: "bytes"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<crate::files::FileBytes>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BackupIn {
    dest: Option<String>,
    deliver: Option<Deliver>,
}

/// A copy of the database at `dest`, or (`deliver: "bytes"`) made in a scratch folder, verified
/// (it opens intact and its audit chain verifies) and returned.
pub(crate) fn backup(s: &mut Session, v: Value) -> CmdResult<BackupReply> {
    s.require(&[Role::Admin], "备份数据库")?;
    let i: BackupIn = input(v)?;
    let dest = Dest::choose("dest", i.dest.as_deref(), i.deliver, "备份")?;
    let name = format!("doudi-{}.sqlite", s.clock.today());
    let conn = &s.conn;
    let ((), saved) = dest.make(&name, |path| {
        crate::db::backup(conn, path)?;
        if matches!(dest, Dest::Bytes) {
            crate::db::verify_backup(path)?;
        }
        Ok(())
    })?;
    let at = match &saved.path {
        Some(p) => json!({"dest": p}),
        None => json!(saved.audit()),
    };
    let stamp = super::Stamp::of(s)?;
    crate::db::with_tx(&mut s.conn, |tx| {
        stamp.record(tx, "system.backup", "database", None, None, Some(&at))
    })?;
    Ok(BackupReply {
        dest: saved.path,
        bytes: saved.size,
        file: saved.file,
    })
}
