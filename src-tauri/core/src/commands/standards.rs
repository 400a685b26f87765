//! The county's dated standards: catalogue, list, set, withdraw, export and import (inline JSON,
//! or as a .json file: a path, `deliver: "bytes"`, an `upload`, [`super::files`]).
//!
//! Money values cross the boundary in yuan ("871.00") and are stored in fen ("87100"), the form
//! the rules engine reads. A value in force is never changed; a new value takes a new date.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::auth::Done;
use super::files::{Deliver, Dest, Source, Upload};
use super::households::{choice_list, ChoiceDto};
use super::{input, Session, Stamp};
use crate::auth::Role;
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::rules::{self, Defaults, StandardRow, ValueKind};
use crate::standard_entry as entry;
use crate::store::{self};

pub(crate) use crate::standard_entry::EXPORT_FORMAT;

#[derive(Serialize, JsonSchema)]
pub(crate) struct Catalogue {
    keys: Vec<KeyDto>,
}

#[derive(Serialize, JsonSchema)]
struct KeyDto {
    key: &'static str,
    label: &'static str,
    kind: &'static str,
    per_area: bool,
    default: DefaultDto,
    /// The choices of a choice-valued key; null otherwise.
    options: Option<Vec<ChoiceDto>>,
}

/// One default for the whole county, or one each for town and country.
#[derive(Serialize, JsonSchema)]
#[serde(untagged)]
enum DefaultDto {
    All(String),
    Area { urban: String, rural: String },
}

pub(crate) fn catalogue(s: &mut Session, _: Value) -> CmdResult<Catalogue> {
    s.user()?;
    let keys = rules::CATALOGUE
        .iter()
        .map(|d| KeyDto {
            key: d.key,
            label: d.label,
            kind: d.kind.code(),
            per_area: d.per_area(),
            default: match d.defaults {
                Defaults::All(v) => DefaultDto::All(entry::display(d, v)),
                Defaults::Area { urban, rural } => DefaultDto::Area {
                    urban: entry::display(d, urban),
                    rural: entry::display(d, rural),
                },
            },
            options: match d.kind {
                ValueKind::Choice(c) => Some(choice_list(c)),
                _ => None,
            },
        })
        .collect();
    Ok(Catalogue { keys })
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct RowList {
    rows: Vec<RowDto>,
}

#[derive(Serialize, JsonSchema)]
struct RowDto {
    id: i64,
    key: String,
    label: String,
    scope: String,
    effective_from: NaiveDate,
    value: String,
    in_force: bool,
    future: bool,
    created_at: String,
    created_by: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListIn {
    as_of: Option<NaiveDate>,
}

pub(crate) fn list(s: &mut Session, v: Value) -> CmdResult<RowList> {
    s.user()?;
    let i: ListIn = input(v)?;
    let as_of = i.as_of.unwrap_or_else(|| s.clock.today());
    let rows = store::standards::all(&s.conn)?;
    let out = rows
        .iter()
        .map(|r| RowDto {
            id: r.id,
            key: r.key.clone(),
            label: entry::label(r),
            scope: r.scope.clone(),
            effective_from: r.effective_from,
            value: entry::shown(&r.key, &r.value),
            in_force: entry::in_force(&rows, r, as_of),
            future: r.effective_from > as_of,
            created_at: r.created_at.clone(),
            created_by: r.created_by.clone(),
        })
        .collect();
    Ok(RowList { rows: out })
}

pub(crate) use crate::store::standards::engine_rows;

pub(super) use crate::standard_entry::typed_row;

/// A row in the export/import form (money in yuan).
#[derive(Serialize, JsonSchema)]
pub(crate) struct ExportRow {
    key: String,
    scope: &'static str,
    effective_from: NaiveDate,
    value: String,
}

impl From<&StandardRow> for ExportRow {
    fn from(r: &StandardRow) -> ExportRow {
        ExportRow {
            key: r.key.clone(),
            scope: r.scope.code(),
            effective_from: r.effective_from,
            value: entry::shown(&r.key, &r.value),
        }
    }
}

/// A row in the export/import form, as JSON for an audit row.
pub(crate) fn export_row(r: &StandardRow) -> Value {
    json!({"key": r.key, "scope": r.scope.code(), "effective_from": r.effective_from, "value": ExportRow::from(r).value})
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetIn {
    key: String,
    scope: String,
    effective_from: NaiveDate,
    value: String,
}

/// `standard.set`: the row, and a warning when it takes effect in a month already paid.
#[derive(Serialize, JsonSchema)]
pub(crate) struct SetReply {
    #[serde(flatten)]
    row: ExportRow,
    warning: Option<String>,
}

pub(crate) fn set(s: &mut Session, v: Value) -> CmdResult<SetReply> {
    s.require(&[Role::Admin], "修改保障标准")?;
    let i: SetIn = input(v)?;
    let row = typed_row("", &i.key, &i.scope, i.effective_from, &i.value)?;
    let today = s.clock.today();
    let existing = store::standards::find(&s.conn, &row.key, row.scope.code(), row.effective_from)?;
    if let Some(old) = &existing {
        entry::may_set(old, today)?;
    }
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        let id = match &existing {
            Some(old) => {
                store::standards::replace_value(
                    tx,
                    old.id,
                    &row.value,
                    &stamp.at,
                    &stamp.user_name,
                )?;
                old.id
            }
            None => store::standards::insert_row(tx, &row, &stamp.at, &stamp.user_name)?,
        };
        let before = existing.as_ref().map(|o| json!({"value": o.value}));
        stamp.record(
            tx,
            "standard.set",
            "standard",
            Some(id),
            before.as_ref(),
            Some(&export_row(&row)),
        )
    })?;
    let runs: Vec<String> = store::payments::runs(&s.conn)?
        .into_iter()
        .map(|r| r.month)
        .collect();
    Ok(SetReply {
        row: ExportRow::from(&row),
        warning: crate::recompute::backdating_warning(
            crate::month::Month::of(row.effective_from),
            &runs,
        ),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WithdrawIn {
    id: i64,
}

pub(crate) fn withdraw(s: &mut Session, v: Value) -> CmdResult<Done> {
    s.require(&[Role::Admin], "撤回保障标准")?;
    let i: WithdrawIn = input(v)?;
    let row = store::standards::all(&s.conn)?
        .into_iter()
        .find(|r| r.id == i.id)
        .ok_or_else(|| CmdError::not_found(format!("标准记录 {} 不存在", i.id)))?;
    entry::may_withdraw(&row, s.clock.today())?;
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        store::standards::delete(tx, row.id)?;
        let before = json!({"key": row.key, "scope": row.scope, "effective_from": row.effective_from, "value": row.value});
        stamp.record(
            tx,
            "standard.withdraw",
            "standard",
            Some(row.id),
            Some(&before),
            None,
        )
    })?;
    Ok(Done {
        withdrawn: Some(true),
        ..Done::default()
    })
}

/// The whole set of standards, in the form `standard.import` reads.
#[derive(Serialize, JsonSchema)]
pub(crate) struct Export {
    pub format: &'static str,
    pub rows: Vec<ExportRow>,
    /// Where the .json file was saved, if a `path` was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The .json file itself, with `deliver: "bytes"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<crate::files::FileBytes>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportIn {
    /// Also save the set as a .json file here.
    path: Option<String>,
    deliver: Option<Deliver>,
}

pub(crate) fn export(s: &mut Session, v: Value) -> CmdResult<Export> {
    s.user()?;
    let i: ExportIn = input(v)?;
    let dest = Dest::optional("path", i.path.as_deref(), i.deliver)?;
    let rows = engine_rows(&s.conn)?.iter().map(ExportRow::from).collect();
    let mut out = Export {
        format: EXPORT_FORMAT,
        rows,
        path: None,
        file: None,
    };
    if let Some(dest) = dest {
        let text = serde_json::to_vec_pretty(&out)
            .map_err(|e| CmdError::internal(format!("保障标准无法序列化：{e}")))?;
        let saved = dest.put("path", "保障标准.json", &text)?;
        (out.path, out.file) = (saved.path, saved.file);
    }
    Ok(out)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportRow {
    key: String,
    scope: String,
    effective_from: NaiveDate,
    value: String,
}

/// The set itself: inline, or the content of the .json file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportSet {
    format: String,
    rows: Vec<ImportRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportIn {
    format: Option<String>,
    rows: Option<Vec<ImportRow>>,
    /// A .json file of an export, instead of `format` and `rows`.
    path: Option<String>,
    upload: Option<Upload>,
}

/// The set to import: inline `format` and `rows`, or read from the `path` or `upload` file.
fn import_set(i: ImportIn) -> CmdResult<ImportSet> {
    if i.path.is_none() && i.upload.is_none() {
        return Ok(ImportSet {
            format: i
                .format
                .ok_or_else(|| CmdError::invalid("format", "缺少必填项 format"))?,
            rows: i
                .rows
                .ok_or_else(|| CmdError::invalid("rows", "缺少必填项 rows"))?,
        });
    }
    if i.format.is_some() || i.rows.is_some() {
        return Err(CmdError::invalid(
            "rows",
            "format/rows 与文件（path 或 upload）只能填一种",
        ));
    }
    let file = Source::choose(i.path.as_deref(), i.upload, "保障标准文件")?;
    let value: Value = file.read(|p| {
        let bytes = std::fs::read(p)
            .map_err(|e| CmdError::invalid("path", format!("无法读取 {}：{e}", p.display())))?;
        serde_json::from_slice(&bytes).map_err(|e| {
            CmdError::invalid(
                "path",
                format!("{} 不是 Doudi 导出的保障标准 JSON 文件：{e}", file.name()),
            )
        })
    })?;
    input(value)
}

/// How many imported rows were new, replaced a future value, or were already stored.
#[derive(Serialize, JsonSchema)]
pub(crate) struct ImportReply {
    added: u32,
    replaced: u32,
    unchanged: u32,
}

/// Add rows that are not stored yet, all or nothing. A row that contradicts a stored value in
/// force is refused; one that contradicts a future value replaces it.
pub(crate) fn import(s: &mut Session, v: Value) -> CmdResult<ImportReply> {
    s.require(&[Role::Admin], "导入保障标准")?;
    let i = import_set(input(v)?)?;
    if i.format != EXPORT_FORMAT {
        return Err(CmdError::invalid(
            "format",
            format!(
                "文件格式“{}”不是 Doudi 保障标准（应为 {EXPORT_FORMAT}）",
                i.format
            ),
        ));
    }
    let today = s.clock.today();
    let stamp = Stamp::of(s)?;
    let mut plan = Vec::with_capacity(i.rows.len());
    for (n, r) in i.rows.iter().enumerate() {
        let prefix = format!("rows[{n}].");
        let row = typed_row(&prefix, &r.key, &r.scope, r.effective_from, &r.value)?;
        let existing =
            store::standards::find(&s.conn, &row.key, row.scope.code(), row.effective_from)?;
        if let Some(old) = &existing {
            entry::may_import(n, &row, old, today)?;
        }
        plan.push((row, existing));
    }
    let (mut added, mut unchanged, mut replaced) = (0, 0, 0);
    with_tx(&mut s.conn, |tx| {
        for (row, existing) in &plan {
            match existing {
                Some(old) if old.value == row.value => unchanged += 1,
                Some(old) => {
                    store::standards::replace_value(
                        tx,
                        old.id,
                        &row.value,
                        &stamp.at,
                        &stamp.user_name,
                    )?;
                    stamp.record(
                        tx,
                        "standard.import",
                        "standard",
                        Some(old.id),
                        Some(&json!({"value": old.value})),
                        Some(&export_row(row)),
                    )?;
                    replaced += 1;
                }
                None => {
                    let id = store::standards::insert_row(tx, row, &stamp.at, &stamp.user_name)?;
                    stamp.record(
                        tx,
                        "standard.import",
                        "standard",
                        Some(id),
                        None,
                        Some(&export_row(row)),
                    )?;
                    added += 1;
                }
            }
        }
        Ok(())
    })?;
    Ok(ImportReply {
        added,
        replaced,
        unchanged,
    })
}
