//! 台账导入: reading a province's 低保/特困 ledger, proposing the column mapping (`ledger.preview`),
//! checking every row against the registry and the areas, and importing the valid rows as
//! households, members and enrolled cases in one transaction (`ledger.import`).
//!
//! Re-importing is idempotent: a row whose head is already an open member of a household with an
//! open case of the row's programme is reported "已导入，跳过" and writes nothing.
//!
//! `check` checks the rows against the database, `write` writes them. The import reports its
//! phases (read, check, write) to the session's progress sink and times them in its reply.

mod check;
mod write;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Deserialize;
use serde_json::{json, Value};

use super::progress::Ticker;
use super::{input, output, Session};
use crate::auth::Role;
use crate::error::{CmdError, CmdResult};
use crate::ledger::columns::{self, Column, FIELDS};
use crate::ledger::read::{self, Cell, Table};

const ROLES: &[Role] = &[Role::Approver, Role::Admin];
/// The name progress is reported under.
const TASK: &str = "ledger.import";
/// Problems and skipped rows listed in a reply; the counts are always complete.
const LIST_LIMIT: usize = 2_000;

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The file read, its header row found.
struct Sheet {
    table: Table,
    /// Position of the header row in `table.rows`.
    header_at: usize,
    columns: Vec<Column>,
}

impl Sheet {
    fn open(path: &Path) -> CmdResult<Sheet> {
        let table = read::read(path)?;
        let Some((header_at, columns)) = columns::header_row(&table) else {
            let labels: Vec<&str> = FIELDS
                .iter()
                .filter(|f| f.required)
                .map(|f| f.label)
                .collect();
            return Err(CmdError::invalid(
                "path",
                format!(
                    "在{}的前 10 行中找不到表头：没有一行含有“户主姓名”“户主身份证号”等列名。台账应有一行表头，必需的列为：{}。如果表头显示为乱码，文件可能在 GBK 与 UTF-8 之间转换过，请用 Excel 另存为 .xlsx 后再导入",
                    file_name(path),
                    labels.join("、")
                ),
            ));
        };
        Ok(Sheet {
            table,
            header_at,
            columns,
        })
    }

    fn header_excel_row(&self) -> u32 {
        self.table.first_row + self.header_at as u32
    }

    /// Data rows: (Excel row number, cells), empty rows and a 合计 line left out.
    fn data(&self) -> impl Iterator<Item = (u32, &Vec<Cell>)> {
        let start = self.header_at + 1;
        let body = self.table.rows.get(start..).unwrap_or_default();
        (start..)
            .zip(body)
            .filter(|(_, r)| r.iter().any(|c| !c.is_empty()))
            .filter(|(_, r)| {
                let first_text = r.iter().find(|c| !c.is_empty()).map(Cell::text);
                !first_text.is_some_and(|t| {
                    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
                    t.starts_with("合计") || t.starts_with("总计")
                })
            })
            .map(|(i, r)| (self.table.first_row + i as u32, r))
    }

    fn column(&self, index: usize) -> Option<&Column> {
        self.columns.iter().find(|c| c.index == index)
    }
}

fn columns_json(cols: &[Column]) -> Value {
    Value::Array(
        cols.iter()
            .map(|c| json!({"letter": c.letter, "header": c.header}))
            .collect(),
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PreviewIn {
    path: PathBuf,
}

pub(crate) fn preview(s: &mut Session, v: Value) -> CmdResult<Value> {
    s.require(ROLES, "导入台账")?;
    let i: PreviewIn = input(v)?;
    let sheet = Sheet::open(&i.path)?;
    let proposed = columns::propose(&sheet.columns);
    let fields: Vec<Value> = FIELDS
        .iter()
        .map(|f| {
            let col = proposed
                .iter()
                .find(|(k, _)| *k == f.key)
                .and_then(|(_, i)| sheet.column(*i));
            json!({"key": f.key, "label": f.label, "required": f.required,
                   "column": col.map(|c| c.letter.clone()), "header": col.map(|c| c.header.clone())})
        })
        .collect();
    let missing: Vec<&str> = FIELDS
        .iter()
        .filter(|f| f.required && !proposed.iter().any(|(k, _)| *k == f.key))
        .map(|f| f.label)
        .collect();
    let sample: Vec<Value> = sheet
        .data()
        .take(5)
        .map(|(row, cells)| {
            let by_letter: serde_json::Map<String, Value> = sheet
                .columns
                .iter()
                .map(|c| {
                    let t = cells.get(c.index).map(Cell::text).unwrap_or_default();
                    (c.letter.clone(), Value::String(t))
                })
                .collect();
            json!({"row": row, "cells": by_letter})
        })
        .collect();
    output(json!({
        "file": file_name(&i.path), "encoding": sheet.table.encoding,
        "header_row": sheet.header_excel_row(), "columns": columns_json(&sheet.columns),
        "fields": fields, "missing": missing, "rows": sheet.data().count(), "sample": sample,
    }))
}

/// Field key → column index, checked against the file.
fn resolve_mapping(
    sheet: &Sheet,
    given: Option<BTreeMap<String, String>>,
) -> CmdResult<HashMap<&'static str, usize>> {
    let mut map: HashMap<&'static str, usize> = HashMap::new();
    match given {
        None => map.extend(columns::propose(&sheet.columns)),
        Some(given) => {
            for (key, letter) in given {
                let f = columns::field(&key).ok_or_else(|| {
                    CmdError::invalid(&format!("mapping.{key}"), format!("不认识的台账字段 {key}"))
                })?;
                if letter.trim().is_empty() {
                    continue;
                }
                let index = columns::index_of_letter(&letter)
                    .filter(|i| sheet.column(*i).is_some())
                    .ok_or_else(|| {
                        CmdError::invalid(
                            &format!("mapping.{key}"),
                            format!("“{}”对应的列 {letter} 在文件的表头中不存在", f.label),
                        )
                    })?;
                if let Some((other, _)) = map.iter().find(|(_, i)| **i == index) {
                    let other = columns::field(other).map_or("", |f| f.label);
                    return Err(CmdError::invalid(
                        &format!("mapping.{key}"),
                        format!(
                            "第 {letter} 列同时对应了“{other}”和“{}”，一列只能对应一项",
                            f.label
                        ),
                    ));
                }
                map.insert(f.key, index);
            }
        }
    }
    let missing: Vec<&str> = FIELDS
        .iter()
        .filter(|f| f.required && !map.contains_key(f.key))
        .map(|f| f.label)
        .collect();
    if !missing.is_empty() {
        let headers: Vec<String> = sheet
            .columns
            .iter()
            .map(|c| format!("{} {}", c.letter, c.header))
            .collect();
        return Err(CmdError::invalid(
            "mapping",
            format!(
                "台账缺少必需的列：{}。文件第 {} 行的表头是：{}。请在对应表中为这些项选择列，或核对文件是否选错",
                missing.join("、"),
                sheet.header_excel_row(),
                headers.join("、")
            ),
        ));
    }
    Ok(map)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportIn {
    path: PathBuf,
    /// Field key → column letter; absent: the proposed mapping.
    mapping: Option<BTreeMap<String, String>>,
    #[serde(default)]
    dry_run: bool,
    #[serde(default)]
    skip_invalid: bool,
}

pub(crate) fn import(s: &mut Session, v: Value) -> CmdResult<Value> {
    s.require(ROLES, "导入台账")?;
    let admin_id = s.user()?.id;
    let i: ImportIn = input(v)?;
    let started = Instant::now();
    Ticker::start(s.progress.as_ref(), TASK, "read", 0);
    let sheet = Sheet::open(&i.path)?;
    let map = resolve_mapping(&sheet, i.mapping)?;
    let read_in = started.elapsed();
    let checked = check::check(s, &sheet, &map)?;
    let check_in = started.elapsed() - read_in;
    let errors: Vec<Value> = checked
        .problems
        .iter()
        .take(LIST_LIMIT)
        .map(|p| {
            let col = p
                .field
                .and_then(|f| map.get(f))
                .and_then(|i| sheet.column(*i));
            json!({"row": p.row, "column": col.map(|c| json!({"letter": c.letter, "header": c.header})),
                   "field": p.field, "message": p.message})
        })
        .collect();
    let skipped: Vec<Value> = checked
        .skipped
        .iter()
        .take(LIST_LIMIT)
        .map(|(row, name, id, number)| {
            json!({"row": row, "head_name": name, "head_id": id, "case_number": number, "message": format!("已导入，跳过（已有在册案件 {number}）")})
        })
        .collect();
    let write = !i.dry_run && (checked.problems.is_empty() || i.skip_invalid);
    let mut imported = 0;
    let writing = Instant::now();
    if write && !checked.ready.is_empty() {
        imported = write::write_rows(s, &i.path, sheet.header_excel_row(), admin_id, &checked)?;
    }
    let ms = |d: std::time::Duration| d.as_millis() as u64;
    output(json!({
        "file": file_name(&i.path), "encoding": sheet.table.encoding, "header_row": sheet.header_excel_row(),
        "dry_run": i.dry_run, "written": write && imported > 0,
        "rows": checked.total, "valid": checked.ready.len(), "invalid_rows": checked.invalid_rows,
        "skipped_count": checked.skipped.len(), "imported": imported,
        "errors_total": checked.problems.len(), "errors": errors, "skipped": skipped,
        "read_ms": ms(read_in), "check_ms": ms(check_in), "write_ms": ms(writing.elapsed()),
        "total_ms": ms(started.elapsed()),
    }))
}
