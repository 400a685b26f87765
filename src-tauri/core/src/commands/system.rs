//! The audit trail, database facts and backups.

use std::path::PathBuf;

use serde::Deserialize;
use serde_json::{json, Value};

use super::{input, output, Session};
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

/// Administrators and county approvers read the whole trail; others the rows of entities they can see
/// through the registry commands (the household page asks for its own rows).
pub(crate) fn audit_list(s: &mut Session, v: Value) -> CmdResult<Value> {
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
        None => {
            s.require(&[Role::Admin, Role::Approver], "查看全部审计记录")?;
        }
        Some(("household", id)) => {
            // Same scope as viewing the household.
            super::households::get(s, json!({"id": id}))?;
        }
        Some(_) => {
            s.require(&[Role::Admin, Role::Approver], "查看审计记录")?;
        }
    }
    let rows: Vec<Value> = store::audit::list(&s.conn, entity, limit)?
        .into_iter()
        .map(|r| {
            let parse = |t: Option<String>| t.and_then(|t| serde_json::from_str::<Value>(&t).ok());
            json!({
                "id": r.id, "at": r.at, "user_name": r.user_name, "command": r.command,
                "entity": r.entity, "entity_id": r.entity_id,
                "before": parse(r.before), "after": parse(r.after),
            })
        })
        .collect();
    output(json!({ "rows": rows }))
}

pub(crate) fn audit_verify(s: &mut Session, _: Value) -> CmdResult<Value> {
    s.require(&[Role::Admin, Role::Approver], "核验审计链")?;
    match store::audit::verify(&s.conn)? {
        Verdict::Intact { rows, head } => {
            output(json!({ "intact": true, "rows": rows, "head": head }))
        }
        Verdict::Broken { row_id, message } => {
            output(json!({ "intact": false, "broken_at": row_id, "message": message }))
        }
    }
}

pub(crate) fn info(s: &mut Session, _: Value) -> CmdResult<Value> {
    s.user()?;
    let (households, persons) = store::registry::counts(&s.conn)?;
    output(json!({
        "path": s.path.as_ref().map(|p| p.display().to_string()),
        "schema_version": crate::db::SCHEMA_VERSION,
        "app_version": env!("CARGO_PKG_VERSION"),
        "households": households,
        "persons": persons,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BackupIn {
    dest: String,
}

pub(crate) fn backup(s: &mut Session, v: Value) -> CmdResult<Value> {
    s.require(&[Role::Admin], "备份数据库")?;
    let i: BackupIn = input(v)?;
    if i.dest.trim().is_empty() {
        return Err(CmdError::invalid("dest", "请填写备份文件路径"));
    }
    let dest = PathBuf::from(i.dest.trim());
    crate::db::backup(&s.conn, &dest)?;
    let bytes = std::fs::metadata(&dest).map(|m| m.len()).unwrap_or(0);
    let stamp = super::Stamp::of(s)?;
    crate::db::with_tx(&mut s.conn, |tx| {
        stamp.record(
            tx,
            "system.backup",
            "database",
            None,
            None,
            Some(&json!({"dest": dest.display().to_string()})),
        )
    })?;
    output(json!({ "dest": dest.display().to_string(), "bytes": bytes }))
}
