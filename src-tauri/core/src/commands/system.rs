//! The audit trail, database facts and backups (to a path, or as verified bytes).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::files::{Deliver, Dest};
use super::households::READ;
use super::{input, Session};
use crate::audit::Verdict;
use crate::auth::Role;
use crate::error::{CmdError, CmdResult};
use crate::store;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListIn {
    entity: Option<String>,
    entity_id: Option<i64>,
    limit: Option<i64>,
}

/// One audit row, its before and after parsed back into JSON.
#[derive(Serialize, JsonSchema)]
pub(crate) struct AuditRowDto {
    id: i64,
    at: String,
    user_name: String,
    command: String,
    entity: String,
    entity_id: Option<i64>,
    before: Option<Value>,
    after: Option<Value>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct AuditList {
    rows: Vec<AuditRowDto>,
}

/// Administrators and county approvers read the whole trail; others the rows of entities they can see
/// through the registry commands (the household page asks for its own rows).
pub(crate) fn audit_list(s: &mut Session, v: Value) -> CmdResult<AuditList> {
    let i: ListIn = input(v)?;
    let limit = i.limit.unwrap_or(100).clamp(1, 1000);
    let entity = match (&i.entity, i.entity_id) {
        (Some(e), Some(id)) => Some((e.as_str(), id)),
        (None, None) => None,
        _ => {
            return Err(CmdError::invalid(
                "entity_id",
                "entity 与 entity_id 须同时给出",
            ))
        }
    };
    match entity {
        // Same scope as viewing the household.
        Some(("household", id)) => _ = super::households::load_household(s, id, READ, "查看家庭")?,
        None => _ = s.require(&[Role::Admin, Role::Approver], "查看全部审计记录")?,
        Some(_) => _ = s.require(&[Role::Admin, Role::Approver], "查看审计记录")?,
    }
    let parse = |t: Option<String>| t.and_then(|t| serde_json::from_str::<Value>(&t).ok());
    let rows = store::audit::list(&s.conn, entity, limit)?
        .into_iter()
        .map(|r| AuditRowDto {
            id: r.id,
            at: r.at,
            user_name: r.user_name,
            command: r.command,
            entity: r.entity,
            entity_id: r.entity_id,
            before: parse(r.before),
            after: parse(r.after),
        })
        .collect();
    Ok(AuditList { rows })
}

/// The chain is intact (its length and head hash to note), or broken at a row.
#[derive(Serialize, JsonSchema)]
#[serde(untagged)]
pub(crate) enum VerifyReply {
    Intact {
        intact: bool,
        rows: i64,
        head: String,
    },
    Broken {
        intact: bool,
        broken_at: i64,
        message: String,
    },
}

pub(crate) fn audit_verify(s: &mut Session, _: Value) -> CmdResult<VerifyReply> {
    s.require(&[Role::Admin, Role::Approver], "核验审计链")?;
    Ok(match store::audit::verify(&s.conn)? {
        Verdict::Intact { rows, head } => VerifyReply::Intact {
            intact: true,
            rows,
            head,
        },
        Verdict::Broken { row_id, message } => VerifyReply::Broken {
            intact: false,
            broken_at: row_id,
            message,
        },
    })
}

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
