//! The monthly statistics as an .xlsx workbook: the township table, the structure of the persons
//! covered, 临时救助 and 一事一议, everything paid by route, the spending split and the last twelve
//! months, one sheet each.
//! Written beside the destination first and renamed, so no half-written file is left behind.

use std::path::Path;

use chrono::{Datelike, NaiveDate};

use super::{
    route_label, urban_rural_label, wan, Report, MAIN_HEADS, SPLIT_LABELS, STRUCTURE_HEADS,
};
use crate::error::{CmdError, CmdResult};
use crate::programme::Programme;
use crate::store::stats::Cell;

/// Write `r` to `dest` (an .xlsx path), creating its folder if need be. The workbook's creation
/// date is `made_on` (the session's day), so one report makes the same bytes all day.
pub fn write_xlsx(dest: &Path, r: &Report, made_on: NaiveDate) -> CmdResult<()> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
    let err = |e: XlsxError| CmdError::internal(format!("写入 xlsx 失败：{e}"));
    let mut book = Workbook::new();
    let day = ExcelDateTime::from_ymd(
        made_on.year() as u16,
        made_on.month() as u8,
        made_on.day() as u8,
    )
    .map_err(err)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&day));
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    let heads = |sheet: &mut Worksheet, row: u32, heads: &[&str]| -> Result<(), XlsxError> {
        for (c, h) in heads.iter().enumerate() {
            sheet.write_string_with_format(row, c as u16, *h, &bold)?;
        }
        Ok(())
    };
    let fill = |book: &mut Workbook| -> Result<(), XlsxError> {
        let sheet = book.add_worksheet().set_name("分乡镇汇总")?;
        sheet.write_string_with_format(0, 0, r.title(), &bold)?;
        sheet.write_string(1, 0, format!("发放月份 {}（{}）", r.month, r.state_label))?;
        heads(sheet, 2, &MAIN_HEADS)?;
        let mut row = 3;
        let cell = |sheet: &mut Worksheet, row: u32, c: &Cell| -> Result<(), XlsxError> {
            for (i, n) in [c.households, c.persons, c.new, c.exits].iter().enumerate() {
                sheet.write_number(row, 3 + i as u16, *n as f64)?;
            }
            sheet.write_number_with_format(row, 7, c.amount_fen as f64 / 100.0, &money)?;
            sheet.write_number(row, 8, wan(c.amount_fen).parse::<f64>().unwrap_or(0.0))?;
            Ok(())
        };
        for l in &r.lines {
            sheet.write_string(row, 0, &l.township)?;
            sheet.write_string(row, 1, Programme::label_of(&l.programme))?;
            sheet.write_string(row, 2, urban_rural_label(&l.urban_rural))?;
            cell(sheet, row, &l.cell)?;
            row += 1;
        }
        sheet.write_string_with_format(row, 0, "合计", &bold)?;
        cell(sheet, row, &r.total)?;
        sheet.set_column_width(0, 16)?;
        sheet.set_column_width(7, 14)?;

        let sheet = book.add_worksheet().set_name("人员结构")?;
        sheet.write_string_with_format(
            0,
            0,
            "保障对象结构（保障家庭在册成员，按月末年龄）",
            &bold,
        )?;
        heads(sheet, 1, &STRUCTURE_HEADS)?;
        for (i, (label, values)) in r.structure_rows().iter().enumerate() {
            let row = 2 + i as u32;
            sheet.write_string(row, 0, label)?;
            for (c, v) in values.iter().enumerate() {
                sheet.write_number(row, 1 + c as u16, *v as f64)?;
            }
        }

        let sheet = book.add_worksheet().set_name("临时救助和一事一议")?;
        heads(
            sheet,
            0,
            &["项目", "人次（笔）", "户数", "金额（元）", "金额（万元）"],
        )?;
        for (i, (label, o)) in [("临时救助", &r.temp_aid), ("一事一议", &r.deliberation)]
            .iter()
            .enumerate()
        {
            let row = 1 + i as u32;
            sheet.write_string(row, 0, *label)?;
            sheet.write_number(row, 1, o.payments as f64)?;
            sheet.write_number(row, 2, o.households as f64)?;
            sheet.write_number_with_format(row, 3, o.amount_fen as f64 / 100.0, &money)?;
            sheet.write_number(row, 4, wan(o.amount_fen).parse::<f64>().unwrap_or(0.0))?;
        }
        sheet.set_column_width(0, 14)?;

        let sheet = book.add_worksheet().set_name("按发放途径")?;
        sheet.write_string_with_format(
            0,
            0,
            "本月全部支出按发放途径（含未经花名册的登记发放和先行救助）",
            &bold,
        )?;
        heads(
            sheet,
            1,
            &[
                "发放途径",
                "类别",
                "笔数",
                "户数",
                "金额（元）",
                "金额（万元）",
            ],
        )?;
        let mut row = 2;
        for x in &r.routes {
            sheet.write_string(row, 0, route_label(&x.route))?;
            sheet.write_string(row, 1, Programme::label_of(&x.programme))?;
            sheet.write_number(row, 2, x.payments as f64)?;
            sheet.write_number(row, 3, x.households as f64)?;
            sheet.write_number_with_format(row, 4, x.amount_fen as f64 / 100.0, &money)?;
            sheet.write_number(row, 5, wan(x.amount_fen).parse::<f64>().unwrap_or(0.0))?;
            row += 1;
        }
        let paid: i64 = r.routes.iter().map(|x| x.amount_fen).sum();
        sheet.write_string_with_format(row, 0, "合计", &bold)?;
        sheet.write_number(
            row,
            2,
            r.routes.iter().map(|x| x.payments).sum::<i64>() as f64,
        )?;
        sheet.write_number_with_format(row, 4, paid as f64 / 100.0, &money)?;
        sheet.write_number(row, 5, wan(paid).parse::<f64>().unwrap_or(0.0))?;
        sheet.set_column_width(0, 24)?;
        sheet.set_column_width(4, 14)?;

        let sheet = book.add_worksheet().set_name("支出构成")?;
        heads(sheet, 0, &["支出", "金额（元）", "金额（万元）"])?;
        let mut row = 1;
        for (label, fen) in SPLIT_LABELS.iter().zip(r.split) {
            sheet.write_string(row, 0, *label)?;
            sheet.write_number_with_format(row, 1, fen as f64 / 100.0, &money)?;
            sheet.write_number(row, 2, wan(fen).parse::<f64>().unwrap_or(0.0))?;
            row += 1;
        }
        sheet.write_string_with_format(row, 0, "合计", &bold)?;
        sheet.write_number_with_format(row, 1, r.total_fen as f64 / 100.0, &money)?;
        sheet.write_number(row, 2, wan(r.total_fen).parse::<f64>().unwrap_or(0.0))?;
        sheet.set_column_width(0, 44)?;
        sheet.set_column_width(1, 14)?;

        let sheet = book.add_worksheet().set_name("近12个月")?;
        heads(
            sheet,
            0,
            &["月份", "支出（元）", "支出（万元）", "保障人数", "保障户数"],
        )?;
        for (i, (m, t)) in r.series.iter().enumerate() {
            let row = 1 + i as u32;
            sheet.write_string(row, 0, m)?;
            match t {
                Some(t) => {
                    sheet.write_number_with_format(row, 1, t.amount_fen as f64 / 100.0, &money)?;
                    sheet.write_number(row, 2, wan(t.amount_fen).parse::<f64>().unwrap_or(0.0))?;
                    sheet.write_number(row, 3, t.persons as f64)?;
                    sheet.write_number(row, 4, t.households as f64)?;
                }
                None => {
                    sheet.write_string(row, 1, "未发放")?;
                }
            }
        }
        sheet.set_column_width(1, 14)?;
        Ok(())
    };
    fill(&mut book).map_err(err)?;
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            CmdError::invalid("path", format!("无法创建文件夹 {}：{e}", dir.display()))
        })?;
    }
    let tmp = dest.with_extension("xlsx.part");
    book.save(&tmp).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        CmdError::invalid("path", format!("无法写入 {}：{e}", dest.display()))
    })?;
    std::fs::rename(&tmp, dest).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        CmdError::invalid("path", format!("无法写入 {}：{e}", dest.display()))
    })
}
