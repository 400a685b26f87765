//! The what-if as an .xlsx workbook: 汇总 (by programme and township), 在保案件 (every open case
//! whose amount would change, paid now and proposed, with the reasons) and 新增符合条件 (the
//! households without a case whom the proposal would qualify). Written aside and renamed, so no
//! half-written file is ever left.

use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::{CaseLine, Left, Newly, Total};
use crate::error::{CmdError, CmdResult};

/// What the workbook shows.
pub struct Sheets<'a> {
    /// 政策测算：农村低保标准（每人每月）自 2023-01-01 起调整为 700，2023-01 月.
    pub title: String,
    /// The open cases whose amount would change.
    pub changed: &'a [CaseLine],
    pub left: &'a [Left],
    pub newly: &'a [Newly],
    /// Households without a case who qualify already under the standards in force.
    pub already: usize,
    pub totals: &'a [Total],
    /// The workbook's creation date (the session's day): one what-if makes the same bytes.
    pub made_on: NaiveDate,
}

fn yuan(fen: i64) -> f64 {
    fen as f64 / 100.0
}

fn heads(sheet: &mut Worksheet, row: u32, heads: &[&str], bold: &Format) -> Result<(), XlsxError> {
    for (c, h) in heads.iter().enumerate() {
        sheet.write_string_with_format(row, c as u16, *h, bold)?;
    }
    Ok(())
}

fn fill(book: &mut Workbook, s: &Sheets<'_>) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");

    let sheet = book.add_worksheet().set_name("汇总")?;
    sheet.write_string_with_format(0, 0, &s.title, &bold)?;
    sheet.write_string(
        1,
        0,
        "现发金额：测算月份在保案件的核定金额；测算金额：按测算标准计算的金额；新增：目前无在保案件、按测算标准将符合条件的家庭",
    )?;
    heads(
        sheet,
        2,
        &[
            "类别",
            "乡镇（街道）",
            "在保案件",
            "金额变化的案件",
            "现发合计（元/月）",
            "测算合计（元/月）",
            "在保变化（元/月）",
            "新增符合条件（户）",
            "新增金额（元/月）",
            "每月变化合计（元）",
            "全年变化合计（元）",
        ],
        &bold,
    )?;
    for (n, t) in s.totals.iter().enumerate() {
        let r = 3 + n as u32;
        let label = t.programme.map_or("合计", |p| p.label());
        let change = t.proposed_fen - t.now_fen + t.newly_fen;
        sheet.write_string(r, 0, label)?;
        sheet.write_string(r, 1, &t.township_name)?;
        sheet.write_number(r, 2, t.cases as f64)?;
        sheet.write_number(r, 3, t.changed as f64)?;
        sheet.write_number_with_format(r, 4, yuan(t.now_fen), &money)?;
        sheet.write_number_with_format(r, 5, yuan(t.proposed_fen), &money)?;
        sheet.write_number_with_format(r, 6, yuan(t.proposed_fen - t.now_fen), &money)?;
        sheet.write_number(r, 7, t.newly as f64)?;
        sheet.write_number_with_format(r, 8, yuan(t.newly_fen), &money)?;
        sheet.write_number_with_format(r, 9, yuan(change), &money)?;
        sheet.write_number_with_format(r, 10, yuan(change * 12), &money)?;
    }
    let mut r = 4 + s.totals.len() as u32;
    if s.already > 0 {
        sheet.write_string(
            r,
            0,
            format!(
                "另有 {} 户目前没有在保案件，但按现行标准已符合条件，未计入新增",
                s.already
            ),
        )?;
        r += 1;
    }
    for l in s.left {
        sheet.write_string(
            r,
            0,
            format!("未计入：{} {}（{}）", l.number, l.head_name, l.why),
        )?;
        r += 1;
    }
    sheet.set_column_width(1, 14)?;
    for c in 2..=10 {
        sheet.set_column_width(c, 16)?;
    }

    let sheet = book.add_worksheet().set_name("在保案件")?;
    heads(
        sheet,
        0,
        &[
            "案件编号",
            "类别",
            "户主",
            "乡镇（街道）",
            "村（社区）",
            "现发金额（元）",
            "测算金额（元）",
            "变化（元）",
            "原因",
        ],
        &bold,
    )?;
    for (n, c) in s.changed.iter().enumerate() {
        let r = 1 + n as u32;
        sheet.write_string(r, 0, &c.number)?;
        sheet.write_string(r, 1, c.programme.label())?;
        sheet.write_string(r, 2, &c.head_name)?;
        sheet.write_string(r, 3, &c.place.township_name)?;
        sheet.write_string(r, 4, &c.place.village_name)?;
        sheet.write_number_with_format(r, 5, yuan(c.now_fen), &money)?;
        sheet.write_number_with_format(r, 6, yuan(c.proposed_fen), &money)?;
        sheet.write_number_with_format(r, 7, yuan(c.proposed_fen - c.now_fen), &money)?;
        sheet.write_string(r, 8, c.reasons.join("；"))?;
    }
    let r = 1 + s.changed.len() as u32;
    let change: i64 = s.changed.iter().map(|c| c.proposed_fen - c.now_fen).sum();
    sheet.write_string_with_format(r, 0, format!("合计 {} 件", s.changed.len()), &bold)?;
    sheet.write_number_with_format(r, 7, yuan(change), &money)?;
    sheet.set_column_width(0, 18)?;
    sheet.set_column_width(3, 14)?;
    sheet.set_column_width(4, 14)?;
    sheet.set_column_width(8, 48)?;

    let sheet = book.add_worksheet().set_name("新增符合条件")?;
    heads(
        sheet,
        0,
        &[
            "户编号",
            "户主",
            "乡镇（街道）",
            "村（社区）",
            "类别",
            "保障人数",
            "测算金额（元/月）",
            "在办申请",
            "依据",
        ],
        &bold,
    )?;
    for (n, h) in s.newly.iter().enumerate() {
        let r = 1 + n as u32;
        sheet.write_string(r, 0, h.place.household_id.to_string())?;
        sheet.write_string(r, 1, &h.head_name)?;
        sheet.write_string(r, 2, &h.place.township_name)?;
        sheet.write_string(r, 3, &h.place.village_name)?;
        sheet.write_string(r, 4, h.form)?;
        sheet.write_number(r, 5, f64::from(h.persons))?;
        sheet.write_number_with_format(r, 6, yuan(h.amount_fen), &money)?;
        sheet.write_string(r, 7, h.pending.as_deref().unwrap_or(""))?;
        sheet.write_string(r, 8, h.reasons.join("；"))?;
    }
    let r = 1 + s.newly.len() as u32;
    let sum: i64 = s.newly.iter().map(|h| h.amount_fen).sum();
    sheet.write_string_with_format(r, 0, format!("合计 {} 户", s.newly.len()), &bold)?;
    sheet.write_number_with_format(r, 6, yuan(sum), &money)?;
    sheet.set_column_width(2, 14)?;
    sheet.set_column_width(3, 14)?;
    sheet.set_column_width(6, 16)?;
    sheet.set_column_width(7, 18)?;
    sheet.set_column_width(8, 48)?;
    Ok(())
}

/// Write the workbook to `dest` (ending in .xlsx) next to it first and rename.
pub fn write_xlsx(dest: &Path, s: &Sheets<'_>) -> CmdResult<()> {
    if dest.extension().and_then(|e| e.to_str()) != Some("xlsx") {
        return Err(CmdError::invalid("xlsx", "导出文件名应以 .xlsx 结尾"));
    }
    let err = |e: XlsxError| CmdError::internal(format!("写入 xlsx 失败：{e}"));
    let mut book = Workbook::new();
    let (y, m, d) = (s.made_on.year(), s.made_on.month(), s.made_on.day());
    let day = ExcelDateTime::from_ymd(y as u16, m as u8, d as u8).map_err(err)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&day));
    fill(&mut book, s).map_err(err)?;
    let tmp = dest.with_extension("xlsx.part");
    book.save(&tmp).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        CmdError::invalid("xlsx", format!("无法写入 {}：{e}", dest.display()))
    })?;
    std::fs::rename(&tmp, dest).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        CmdError::invalid("xlsx", format!("无法写入 {}：{e}", dest.display()))
    })
}
