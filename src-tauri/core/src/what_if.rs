//! What-if: the households whose 低保 changes under a new standard ([`changes`], pure over the
//! stored standards and the loaded caseload), and that table as .xlsx ([`write_xlsx`]).

use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook};

use crate::error::{CmdError, CmdResult};
use crate::rules::{self, StandardRow, Standards};
use crate::store::registry::Household as StoredHousehold;

/// One changed household.
pub struct Change {
    pub household_id: i64,
    pub head_name: String,
    pub township_name: String,
    pub village_name: String,
    pub old_fen: i64,
    pub new_fen: i64,
}

/// Recompute every household's 低保 for `month` under the stored standards (`rows`) and under them
/// with `changed` added (replacing a row of the same key, scope and date). Returns the changes and
/// how many households could not be computed; a missing standard concerns every household and is
/// refused once.
pub fn changes(
    rows: &[StandardRow],
    changed: StandardRow,
    month: NaiveDate,
    caseload: Vec<(StoredHousehold, rules::Household)>,
) -> CmdResult<(Vec<Change>, usize)> {
    let mut new_rows: Vec<StandardRow> = rows
        .iter()
        .filter(|r| {
            !(r.key == changed.key
                && r.scope == changed.scope
                && r.effective_from == changed.effective_from)
        })
        .cloned()
        .collect();
    new_rows.push(changed);
    let old_st = Standards::as_of(rows, month);
    let new_st = Standards::as_of(&new_rows, month);
    let mut out = Vec::new();
    let mut failed = 0;
    for (h, facts) in caseload {
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

/// Write the table next to `dest` first and rename, so no half-written file is ever left.
pub fn write_xlsx(
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
