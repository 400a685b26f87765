//! What-if: "raise the rural 低保 standard from 660 to 700 from 2023-01-01" — which households'
//! 低保 amount changes for a month, by how much, and the monthly and annual budget change.
//! Nothing is stored; the table can be written as .xlsx.
//!
//! Until cases exist (the workflow), the caseload is every household with open members.

use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook};
use serde::Deserialize;
use serde_json::{json, Value};

use super::benefits::{caseload, month_start};
use super::standards::{engine_rows, typed_row};
use super::{input, output, Session};
use crate::auth::Role;
use crate::error::{CmdError, CmdResult};
use crate::rules::money::yuan_text;
use crate::rules::{self, Standards};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WhatIfIn {
    key: String,
    scope: String,
    value: String,
    effective_from: NaiveDate,
    month: String,
    /// Write the whole table to this .xlsx file too.
    xlsx: Option<String>,
    /// How many changed households to return (all go to the xlsx); default 500.
    limit: Option<usize>,
}

/// One changed household.
pub(crate) struct Change {
    pub household_id: i64,
    pub head_name: String,
    pub township_name: String,
    pub village_name: String,
    pub old_fen: i64,
    pub new_fen: i64,
}

/// Recompute every household's 低保 for `month` under the stored standards and under them with
/// `changed` added. Returns the changes and how many households could not be computed.
pub(crate) fn changes(
    conn: &rusqlite::Connection,
    changed: rules::StandardRow,
    month: NaiveDate,
) -> CmdResult<(Vec<Change>, usize)> {
    let old_rows = engine_rows(conn)?;
    let mut new_rows: Vec<rules::StandardRow> = old_rows
        .iter()
        .filter(|r| {
            !(r.key == changed.key
                && r.scope == changed.scope
                && r.effective_from == changed.effective_from)
        })
        .cloned()
        .collect();
    new_rows.push(changed);
    let old_st = Standards::as_of(&old_rows, month);
    let new_st = Standards::as_of(&new_rows, month);
    let mut out = Vec::new();
    let mut failed = 0;
    for (h, facts) in caseload(conn, month)? {
        match (rules::dibao(&old_st, &facts), rules::dibao(&new_st, &facts)) {
            (Ok(o), Ok(n)) => {
                if o.amount_fen != n.amount_fen {
                    let head = facts
                        .members
                        .first()
                        .map(|m| m.name.clone())
                        .unwrap_or_default();
                    out.push(Change {
                        household_id: h.id,
                        head_name: head,
                        township_name: h.township_name,
                        village_name: h.village_name,
                        old_fen: o.amount_fen,
                        new_fen: n.amount_fen,
                    });
                }
            }
            // A missing standard concerns every household: say it once.
            (Err(e), _) | (_, Err(e)) if e.field.as_deref() == Some("standards") => return Err(e),
            _ => failed += 1,
        }
    }
    Ok((out, failed))
}

pub(crate) fn what_if(s: &mut Session, v: Value) -> CmdResult<Value> {
    s.require(&[Role::Approver, Role::Admin], "做政策测算")?;
    let i: WhatIfIn = input(v)?;
    let changed = typed_row("", &i.key, &i.scope, i.effective_from, &i.value)?;
    let month = month_start("month", &i.month)?;
    if i.effective_from > month {
        return Err(CmdError::invalid(
            "month",
            format!(
                "测算月份 {} 早于新标准生效日期 {}，新标准在该月不起作用",
                &i.month, i.effective_from
            ),
        ));
    }
    let label = rules::key_def(&changed.key)
        .map(|d| d.scoped_label(changed.scope))
        .unwrap_or_default();
    let (list, failed) = changes(&s.conn, changed, month)?;
    let monthly: i64 = list.iter().map(|c| c.new_fen - c.old_fen).sum();
    let xlsx = match i.xlsx.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => {
            write_xlsx(Path::new(p), &label, &i.value, &i.month, &list)?;
            Some(p.to_owned())
        }
        None => None,
    };
    let rows: Vec<Value> = list
        .iter()
        .take(i.limit.unwrap_or(500))
        .map(|c| {
            json!({
                "household_id": c.household_id, "head_name": c.head_name, "township_name": c.township_name,
                "village_name": c.village_name, "old": yuan_text(c.old_fen), "new": yuan_text(c.new_fen),
                "change": yuan_text(c.new_fen - c.old_fen),
            })
        })
        .collect();
    output(json!({
        "standard": label, "month": i.month, "households": rows, "count": list.len(), "failed": failed,
        "monthly_change": yuan_text(monthly), "annual_change": yuan_text(monthly * 12), "xlsx": xlsx,
    }))
}

/// Write the table next to `dest` first and rename, so no half-written file is ever left.
fn write_xlsx(
    dest: &Path,
    label: &str,
    value: &str,
    month: &str,
    list: &[Change],
) -> CmdResult<()> {
    if dest.extension().and_then(|e| e.to_str()) != Some("xlsx") {
        return Err(CmdError::invalid("xlsx", "导出文件名应以 .xlsx 结尾"));
    }
    let err = |e: rust_xlsxwriter::XlsxError| CmdError::internal(format!("写入 xlsx 失败：{e}"));
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("政策测算").map_err(err)?;
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("0.00");
    sheet
        .write_string_with_format(
            0,
            0,
            format!("政策测算：{label}调整为 {value}，{month} 月"),
            &bold,
        )
        .map_err(err)?;
    let heads = [
        "户编号",
        "户主",
        "乡镇（街道）",
        "村（社区）",
        "原金额（元）",
        "新金额（元）",
        "变化（元）",
    ];
    for (c, h) in heads.iter().enumerate() {
        sheet
            .write_string_with_format(2, c as u16, *h, &bold)
            .map_err(err)?;
    }
    let as_yuan = |fen: i64| fen as f64 / 100.0;
    for (n, c) in list.iter().enumerate() {
        let r = 3 + n as u32;
        sheet
            .write_string(r, 0, c.household_id.to_string())
            .map_err(err)?;
        sheet.write_string(r, 1, &c.head_name).map_err(err)?;
        sheet.write_string(r, 2, &c.township_name).map_err(err)?;
        sheet.write_string(r, 3, &c.village_name).map_err(err)?;
        sheet
            .write_number_with_format(r, 4, as_yuan(c.old_fen), &money)
            .map_err(err)?;
        sheet
            .write_number_with_format(r, 5, as_yuan(c.new_fen), &money)
            .map_err(err)?;
        sheet
            .write_number_with_format(r, 6, as_yuan(c.new_fen - c.old_fen), &money)
            .map_err(err)?;
    }
    let total_row = 3 + list.len() as u32;
    let monthly: i64 = list.iter().map(|c| c.new_fen - c.old_fen).sum();
    sheet
        .write_string_with_format(total_row, 0, format!("合计 {} 户", list.len()), &bold)
        .map_err(err)?;
    sheet
        .write_number_with_format(total_row, 6, as_yuan(monthly), &money)
        .map_err(err)?;
    sheet
        .write_string_with_format(total_row + 1, 0, "全年增加（元）", &bold)
        .map_err(err)?;
    sheet
        .write_number_with_format(total_row + 1, 6, as_yuan(monthly * 12), &money)
        .map_err(err)?;
    sheet.set_column_width(1, 12).map_err(err)?;
    sheet.set_column_width(2, 14).map_err(err)?;
    sheet.set_column_width(3, 14).map_err(err)?;
    let tmp = dest.with_extension("xlsx.part");
    book.save(&tmp)
        .map_err(|e| CmdError::invalid("xlsx", format!("无法写入 {}：{e}", dest.display())))?;
    std::fs::rename(&tmp, dest).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        CmdError::invalid("xlsx", format!("无法写入 {}：{e}", dest.display()))
    })
}
