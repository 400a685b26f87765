//! The files of the monthly payment on disk: the 发放花名册 written as xlsx, or CSV in GB18030 /
//! UTF-8 with BOM, from rows the store streams in; and the bank's return file read into text
//! cells. What a roster line and a return row mean is `payrun`; here only bytes and files.
//!
//! A roster is written beside its destination and renamed into place: no half-written file.
//! The rows come through a callback, so a county's month is never all in memory in the xlsx.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use crate::error::{CmdError, CmdResult};
use crate::payrun::roster::{
    csv_line, roster_line, RosterTotals, AMOUNT_COLUMN, COUNT_COLUMNS, ROSTER_HEADS,
    STANDARD_COLUMN, TOWNSHIP_HEADS,
};
use crate::payrun::types::Payment;

/// The roster's rows in roster order: called with a sink, it hands each row to it.
pub type Rows<'a> = &'a mut dyn FnMut(&mut dyn FnMut(Payment) -> CmdResult<()>) -> CmdResult<usize>;

/// How a roster is saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RosterFormat {
    Xlsx,
    /// CSV; `utf8_bom` true for UTF-8 with BOM, false for GB18030.
    Csv {
        utf8_bom: bool,
    },
}

impl RosterFormat {
    /// The format asked for (`xlsx` | `csv`, or from the file name's extension `ext`), which the
    /// file name must end with, and for CSV the encoding (`gb18030`, the default, or
    /// `utf8_bom`). Fields `format`, `path`, `encoding`.
    pub fn choose(format: Option<&str>, ext: &str, encoding: Option<&str>) -> CmdResult<Self> {
        let format = match format {
            Some(f) if f != "xlsx" && f != "csv" => {
                return Err(CmdError::invalid(
                    "format",
                    format!("花名册格式“{f}”无效，应为 xlsx 或 csv"),
                ))
            }
            Some(f) => f,
            // The format is the file's: name the path, which is what the user typed.
            None if ext != "xlsx" && ext != "csv" => {
                return Err(CmdError::invalid(
                    "path",
                    "花名册文件名应以 .xlsx（Excel）或 .csv 结尾",
                ))
            }
            None => ext,
        };
        if ext != format {
            return Err(CmdError::invalid(
                "path",
                format!("文件名应以 .{format} 结尾"),
            ));
        }
        let utf8_bom = match encoding.unwrap_or("gb18030") {
            "gb18030" => false,
            "utf8_bom" => true,
            other => {
                return Err(CmdError::invalid(
                    "encoding",
                    format!("编码“{other}”无效，应为 gb18030 或 utf8_bom"),
                ))
            }
        };
        Ok(match format {
            "xlsx" => RosterFormat::Xlsx,
            _ => RosterFormat::Csv { utf8_bom },
        })
    }

    /// `xlsx` | `csv`.
    pub fn code(self) -> &'static str {
        match self {
            RosterFormat::Xlsx => "xlsx",
            RosterFormat::Csv { .. } => "csv",
        }
    }
}

/// Write `month`'s roster to `dest`: the rows with 序号, the total, then the township totals.
/// Errors: `path` (cannot write), `encoding` (a character GB18030 lacks).
pub fn write_roster(
    dest: &Path,
    format: RosterFormat,
    month: &str,
    names: &HashMap<i64, String>,
    rows: Rows<'_>,
) -> CmdResult<RosterTotals> {
    match format {
        RosterFormat::Xlsx => write_xlsx(dest, month, names, rows),
        RosterFormat::Csv { utf8_bom } => write_csv(dest, month, names, rows, utf8_bom),
    }
}

fn save_err(dest: &Path, e: impl std::fmt::Display) -> CmdError {
    CmdError::invalid("path", format!("无法写入 {}：{e}", dest.display()))
}

/// Rename the finished temporary file into place, or remove it.
fn finish(tmp: &Path, dest: &Path) -> CmdResult<()> {
    std::fs::rename(tmp, dest).map_err(|e| {
        let _ = std::fs::remove_file(tmp);
        save_err(dest, e)
    })
}

fn write_xlsx(
    dest: &Path,
    month: &str,
    names: &HashMap<i64, String>,
    rows: Rows<'_>,
) -> CmdResult<RosterTotals> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| CmdError::internal(format!("写入 xlsx 失败：{e}"));
    let mut book = Workbook::new();
    // Level 2 instead of 6: a county's roster saves in about half the time for a file about a
    // tenth larger (rust_xlsxwriter's own measurements; deflate was a third of the roster's time).
    book.set_zip_compression_level(2);
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("0.00");
    let mut totals = RosterTotals::default();
    {
        let sheet = book.add_worksheet_with_constant_memory().map_err(err)?;
        sheet.set_name("发放花名册").map_err(err)?;
        sheet
            .write_string_with_format(0, 0, format!("{month} 社会救助资金发放花名册"), &bold)
            .map_err(err)?;
        for (c, h) in ROSTER_HEADS.iter().enumerate() {
            sheet
                .write_string_with_format(1, c as u16, *h, &bold)
                .map_err(err)?;
        }
        rows(&mut |p| {
            totals.add(&p);
            let r = 1 + totals.rows as u32;
            let cells = roster_line(totals.rows, &p, names);
            for (c, text) in cells.iter().enumerate() {
                let col = c as u16;
                match c {
                    // Numbers: sequence, persons, standard, amount. IDs and accounts stay text.
                    c if COUNT_COLUMNS.contains(&c) => sheet
                        .write_number(r, col, text.parse::<f64>().unwrap_or(0.0))
                        .map_err(err)?,
                    STANDARD_COLUMN if p.standard_fen.is_some() => sheet
                        .write_number_with_format(
                            r,
                            col,
                            p.standard_fen.unwrap_or(0) as f64 / 100.0,
                            &money,
                        )
                        .map_err(err)?,
                    AMOUNT_COLUMN => sheet
                        .write_number_with_format(r, col, p.amount_fen as f64 / 100.0, &money)
                        .map_err(err)?,
                    _ => sheet.write_string(r, col, text).map_err(err)?,
                };
            }
            Ok(())
        })?;
        let r = 2 + totals.rows as u32;
        sheet
            .write_string_with_format(r, 0, format!("合计 {} 笔", totals.rows), &bold)
            .map_err(err)?;
        sheet
            .write_number_with_format(r, AMOUNT_COLUMN as u16, totals.fen as f64 / 100.0, &money)
            .map_err(err)?;
    }
    {
        let sheet = book.add_worksheet();
        sheet.set_name("乡镇合计").map_err(err)?;
        for (c, h) in TOWNSHIP_HEADS.iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, *h, &bold)
                .map_err(err)?;
        }
        let mut r = 1;
        for (t, (n, hh, fen)) in &totals.by_township {
            sheet
                .write_string(r, 0, names.get(t).cloned().unwrap_or_default())
                .map_err(err)?;
            sheet.write_number(r, 1, *n as f64).map_err(err)?;
            sheet.write_number(r, 2, hh.len() as f64).map_err(err)?;
            sheet
                .write_number_with_format(r, 3, *fen as f64 / 100.0, &money)
                .map_err(err)?;
            r += 1;
        }
        sheet
            .write_string_with_format(r, 0, "合计", &bold)
            .map_err(err)?;
        sheet.write_number(r, 1, totals.rows as f64).map_err(err)?;
        sheet
            .write_number_with_format(r, 3, totals.fen as f64 / 100.0, &money)
            .map_err(err)?;
        sheet.set_column_width(0, 16).map_err(err)?;
    }
    let tmp = dest.with_extension("xlsx.part");
    book.save(&tmp).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        save_err(dest, e)
    })?;
    finish(&tmp, dest)?;
    Ok(totals)
}

/// The CSV text (without encoding): the roster, a blank line, then the township totals.
fn csv_text(
    month: &str,
    names: &HashMap<i64, String>,
    rows: Rows<'_>,
) -> CmdResult<(String, RosterTotals)> {
    let mut out = String::new();
    let mut totals = RosterTotals::default();
    csv_line(&mut out, &ROSTER_HEADS.map(str::to_owned));
    rows(&mut |p| {
        totals.add(&p);
        csv_line(&mut out, &roster_line(totals.rows, &p, names));
        Ok(())
    })?;
    out.push_str("\r\n");
    let mut heads = TOWNSHIP_HEADS.map(str::to_owned);
    heads[0] = format!("{month} 乡镇合计");
    csv_line(&mut out, &heads);
    for line in totals.township_lines(names) {
        csv_line(&mut out, &line);
    }
    Ok((out, totals))
}

fn write_csv(
    dest: &Path,
    month: &str,
    names: &HashMap<i64, String>,
    rows: Rows<'_>,
    utf8: bool,
) -> CmdResult<RosterTotals> {
    let (text, totals) = csv_text(month, names, rows)?;
    let bytes = if utf8 {
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice(text.as_bytes());
        b
    } else {
        let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&text);
        if unmappable {
            // GB18030 maps all of Unicode; should it ever not, say where rather than write "&#…;".
            let bad = text
                .lines()
                .position(|l| encoding_rs::GB18030.encode(l).2)
                .unwrap_or(0);
            return Err(CmdError::invalid(
                "encoding",
                format!(
                    "第 {} 行有 GB18030 无法表示的字符，请改用 utf8_bom 编码",
                    bad + 1
                ),
            ));
        }
        bytes.into_owned()
    };
    let tmp = dest.with_extension("csv.part");
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        save_err(dest, e)
    })?;
    finish(&tmp, dest)?;
    Ok(totals)
}

/// The bank's return file as rows of text cells: xlsx (first sheet) or CSV (UTF-8, with or
/// without BOM, or GB18030). Field `path` when it cannot be read or is neither.
pub fn read_return_file(path: &Path) -> CmdResult<Vec<Vec<String>>> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    let cant = |e: String| CmdError::invalid("path", format!("无法读取 {}：{e}", path.display()));
    match ext.as_str() {
        "xlsx" => {
            use calamine::{open_workbook, Data, Reader, Xlsx};
            let mut book: Xlsx<_> =
                open_workbook(path).map_err(|e: calamine::XlsxError| cant(e.to_string()))?;
            let range = book
                .worksheet_range_at(0)
                .ok_or_else(|| cant("文件中没有工作表".into()))?
                .map_err(|e| cant(e.to_string()))?;
            Ok(range
                .rows()
                .map(|r| {
                    r.iter()
                        .map(|c| match c {
                            Data::Empty => String::new(),
                            Data::String(t) => t.clone(),
                            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                                format!("{}", *f as i64)
                            }
                            Data::Float(f) => format!("{f}"),
                            Data::Int(n) => n.to_string(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .collect())
        }
        "csv" => {
            let bytes = std::fs::read(path).map_err(|e| cant(e.to_string()))?;
            let text = match std::str::from_utf8(
                bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&bytes),
            ) {
                Ok(t) => t.to_owned(),
                Err(_) => encoding_rs::GB18030
                    .decode_without_bom_handling_and_without_replacement(&bytes)
                    .ok_or_else(|| cant("文件既不是 UTF-8 也不是 GB18030/GBK 编码".into()))?
                    .into_owned(),
            };
            Ok(crate::ledger::read::parse_csv(&text))
        }
        _ => Err(CmdError::invalid("path", "银行回盘文件应为 .xlsx 或 .csv")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (format asked, file extension, encoding asked, the format or the refused field).
    type Case = (
        Option<&'static str>,
        &'static str,
        Option<&'static str>,
        Result<RosterFormat, &'static str>,
    );

    #[test]
    fn the_roster_format_comes_from_the_request_or_the_file_name() {
        let csv = |utf8_bom| Ok(RosterFormat::Csv { utf8_bom });
        let cases: [Case; 7] = [
            (None, "xlsx", None, Ok(RosterFormat::Xlsx)),
            (None, "csv", None, csv(false)),
            (Some("csv"), "csv", Some("utf8_bom"), csv(true)),
            (Some("pdf"), "pdf", None, Err("format")),
            (None, "txt", None, Err("path")),
            (Some("csv"), "xlsx", None, Err("path")),
            (None, "csv", Some("big5"), Err("encoding")),
        ];
        for (format, ext, encoding, want) in cases {
            let got = RosterFormat::choose(format, ext, encoding).map_err(|e| e.field.unwrap());
            assert_eq!(
                got,
                want.map_err(str::to_owned),
                "{format:?} .{ext} {encoding:?}"
            );
        }
    }
}
