//! The audit trail as people read it: rows filtered by entity, kind, action, user, date range and
//! case number, each with its action and entity in Chinese and its before/after as lines
//! ([`crate::audit_text`]); the same rows exported as .xlsx (a `path` or `deliver: "bytes"`,
//! [`super::files`]); and the chain's verification.

use std::cell::RefCell;
use std::collections::HashMap;

use rusqlite::Connection;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{json, Value};

use super::files::Dest;
use super::households::READ;
use super::{action_label, input, Session, Stamp};
use crate::audit::Verdict;
use crate::audit_filter::{filter_of, FilterIn};
use crate::audit_text::{self, Names, Shown};
use crate::auth::Role;
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::files::FileBytes;
use crate::labels::entity_label;
use crate::store;

/// Administrators and county approvers read the whole trail; others the rows of a household
/// they may see (the household page asks for its own rows).
fn check_reader(s: &Session, f: &store::audit::Filter<'_>) -> CmdResult<()> {
    let whole = f.kind.is_some()
        || f.action.is_some()
        || f.user.is_some()
        || f.from.is_some()
        || f.before.is_some()
        || f.case_number.is_some();
    match f.entity {
        Some(("household", id)) if !whole => {
            _ = super::households::load_household(s, id, READ, "查看家庭")?
        }
        None => _ = s.require(&[Role::Admin, Role::Approver], "查看全部审计记录")?,
        Some(_) => _ = s.require(&[Role::Admin, Role::Approver], "查看审计记录")?,
    }
    Ok(())
}

/// Names behind the ids audit rows store, read once each.
struct StoreNames<'c> {
    conn: &'c Connection,
    areas: HashMap<i64, String>,
    users: HashMap<i64, String>,
    persons: RefCell<HashMap<i64, Option<String>>>,
}

impl<'c> StoreNames<'c> {
    fn load(conn: &'c Connection) -> CmdResult<Self> {
        Ok(StoreNames {
            conn,
            areas: store::areas::all(conn)?
                .into_iter()
                .map(|a| (a.id, a.name))
                .collect(),
            users: store::users::all(conn)?
                .into_iter()
                .map(|u| (u.id, u.display_name))
                .collect(),
            persons: RefCell::default(),
        })
    }
}

impl Names for StoreNames<'_> {
    fn area(&self, id: i64) -> Option<String> {
        self.areas.get(&id).cloned()
    }
    fn person(&self, id: i64) -> Option<String> {
        self.persons
            .borrow_mut()
            .entry(id)
            .or_insert_with(|| {
                store::audit::person_names(self.conn, &[id])
                    .ok()
                    .and_then(|v| v.into_iter().next())
                    .map(|(_, n)| n)
            })
            .clone()
    }
    fn user(&self, id: i64) -> Option<String> {
        self.users.get(&id).cloned()
    }
}

/// One audit row: who did what to which record when, in words; its before and after as stored.
#[derive(Serialize, JsonSchema)]
pub(crate) struct AuditRowDto {
    id: i64,
    at: String,
    user_name: String,
    command: String,
    /// What was done, in Chinese (a command's label, or 登录失败, 生成文书 …).
    action_label: String,
    entity: String,
    /// What kind of record, in Chinese (家庭, 一事一议案件 …).
    entity_label: String,
    entity_id: Option<i64>,
    /// The change as readable lines ("状态：会议决定救助 → 已签批"), never JSON.
    lines: Vec<String>,
    before: Option<Value>,
    after: Option<Value>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct AuditList {
    rows: Vec<AuditRowDto>,
    /// The filter in words ("操作人 spr，2026-12-01 至 2026-12-05").
    filter: String,
}

fn read_rows(s: &Session, f: &store::audit::Filter<'_>, limit: i64) -> CmdResult<Vec<AuditRowDto>> {
    let names = StoreNames::load(&s.conn)?;
    let parse = |t: Option<String>| t.and_then(|t| serde_json::from_str::<Value>(&t).ok());
    Ok(store::audit::list(&s.conn, f, limit)?
        .into_iter()
        .map(|r| {
            let (before, after) = (parse(r.before), parse(r.after));
            AuditRowDto {
                action_label: action_label(&r.command).unwrap_or("其他操作").to_owned(),
                entity_label: entity_label(&r.entity).unwrap_or("其他").to_owned(),
                lines: audit_text::lines(&r.entity, before.as_ref(), after.as_ref(), &names),
                id: r.id,
                at: r.at,
                user_name: r.user_name,
                command: r.command,
                entity: r.entity,
                entity_id: r.entity_id,
                before,
                after,
            }
        })
        .collect())
}

pub(crate) fn list(s: &mut Session, v: Value) -> CmdResult<AuditList> {
    let i: FilterIn = input(v)?;
    if i.path.is_some() || i.deliver.is_some() {
        return Err(CmdError::invalid(
            "path",
            "audit.list 只查询记录；导出到文件请用 audit.export",
        ));
    }
    let (f, words) = filter_of(&i, action_label)?;
    check_reader(s, &f)?;
    let limit = i.limit.unwrap_or(100).clamp(1, 1000);
    Ok(AuditList {
        rows: read_rows(s, &f, limit)?,
        filter: words,
    })
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct ExportReply {
    /// Rows written.
    rows: usize,
    /// The filter in words, also the sheet's first line.
    filter: String,
    /// The file written (absent with `deliver: "bytes"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    /// The workbook itself, with `deliver: "bytes"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<FileBytes>,
}

/// The filtered rows (up to 100,000; 10,000 unless `limit` says) as 审计记录.xlsx.
pub(crate) fn export(s: &mut Session, v: Value) -> CmdResult<ExportReply> {
    s.require(&[Role::Admin, Role::Approver], "导出审计记录")?;
    let i: FilterIn = input(v)?;
    let (f, words) = filter_of(&i, action_label)?;
    let dest = Dest::choose("path", i.path.as_deref(), i.deliver, "审计记录")?;
    if matches!(dest, Dest::Path(_)) && dest.path_ext() != "xlsx" {
        return Err(CmdError::invalid("path", "导出文件名应以 .xlsx 结尾"));
    }
    let limit = i.limit.unwrap_or(10_000).clamp(1, 100_000);
    let shown: Vec<Shown> = read_rows(s, &f, limit)?
        .into_iter()
        .map(|r| Shown {
            id: r.id,
            at: r.at,
            user_name: r.user_name,
            action_label: r.action_label,
            entity_label: r.entity_label,
            entity_id: r.entity_id,
            lines: r.lines,
        })
        .collect();
    let bytes = audit_text::xlsx(&format!("审计记录：{words}"), &shown)?;
    let name = format!("审计记录-{}.xlsx", s.clock.today());
    let saved = dest.put("path", &name, &bytes)?;
    let stamp = Stamp::of(s)?;
    let audit = json!({"filter": words, "rows": shown.len(), "at": saved.audit()});
    with_tx(&mut s.conn, |tx| {
        stamp.record(tx, "audit.export", "database", None, None, Some(&audit))
    })?;
    Ok(ExportReply {
        rows: shown.len(),
        filter: words,
        path: saved.path,
        file: saved.file,
    })
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

pub(crate) fn verify(s: &mut Session, _: Value) -> CmdResult<VerifyReply> {
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
