//! Reading a ledger file into a plain table of cells: .xlsx/.xls/.ods through calamine, .csv as
//! UTF-8 (with or without BOM) or GB18030/GBK, detected from the bytes.
//!
//! Only the first worksheet is read. Row numbers are kept as Excel shows them (1-based), so an
//! error can say "第 12 行" and the user finds that row.

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};
use chrono::{Duration, NaiveDate};

use crate::error::{CmdError, CmdResult};

/// One cell as the file gives it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

impl Cell {
    /// The cell as text, the way a person reads it (numbers without a trailing ".0").
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_owned(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => format!("{n}"),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// The first sheet of a file: `rows[i]` is Excel row `first_row + i`.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub first_row: u32,
    pub rows: Vec<Vec<Cell>>,
    /// How a CSV was decoded ("UTF-8", "GB18030"); the workbook format otherwise.
    pub encoding: &'static str,
}

const FIELD: &str = "path";

/// Read a ledger file by its extension.
pub fn read(path: &Path) -> CmdResult<Table> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
        .unwrap_or_default();
    if !path.is_file() {
        return Err(CmdError::invalid(
            FIELD,
            format!("找不到文件 {}，请核对路径", path.display()),
        ));
    }
    match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => read_workbook(path),
        "csv" | "txt" => {
            let bytes = std::fs::read(path).map_err(|e| {
                CmdError::invalid(FIELD, format!("无法读取文件 {}：{e}", path.display()))
            })?;
            read_csv(&bytes)
        }
        _ => Err(CmdError::invalid(
            FIELD,
            format!(
                "不支持的文件类型“.{ext}”：请选择 Excel 台账（.xlsx 或 .xls）或 CSV 文件（.csv）"
            ),
        )),
    }
}

fn read_workbook(path: &Path) -> CmdResult<Table> {
    let unreadable = |e: &dyn std::fmt::Display| {
        CmdError::invalid(
            FIELD,
            format!(
                "无法读取 Excel 文件 {}：{e}。请确认文件未损坏、未加密，并用 Excel 另存为 .xlsx 后再试",
                path.display()
            ),
        )
    };
    let mut book = open_workbook_auto(path).map_err(|e| unreadable(&e))?;
    let range = match book.worksheet_range_at(0) {
        Some(r) => r.map_err(|e| unreadable(&e))?,
        None => return Err(CmdError::invalid(FIELD, "这个 Excel 文件里没有工作表")),
    };
    let first_row = range.start().map_or(1, |(r, _)| r + 1);
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    let rows = range
        .rows()
        .map(|r| {
            let mut cells = vec![Cell::Empty; first_col];
            cells.extend(r.iter().map(cell_of));
            cells
        })
        .collect();
    Ok(Table {
        first_row,
        rows,
        encoding: "Excel",
    })
}

fn cell_of(d: &Data) -> Cell {
    match d {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.into()),
        Data::DateTime(dt) => excel_day(dt.as_f64()).map_or(Cell::Empty, Cell::Date),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
    }
}

/// Excel's serial day (1900 system; serials below 61 are never ledger dates).
fn excel_day(serial: f64) -> Option<NaiveDate> {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    base.checked_add_signed(Duration::days(serial.floor() as i64))
}

/// Decode CSV bytes: valid UTF-8 (a BOM is dropped) is UTF-8; anything else must decode as
/// GB18030 (a superset of GBK) without a single malformed sequence.
pub fn decode(bytes: &[u8]) -> CmdResult<(String, &'static str)> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(s) => Ok((s.to_owned(), "UTF-8")),
        Err(utf8) => {
            let gb = encoding_rs::GB18030;
            if let Some(s) = gb.decode_without_bom_handling_and_without_replacement(body) {
                return Ok((s.into_owned(), "GB18030"));
            }
            // Name the line: the first line that is neither, counted in the lossy decoding.
            let (lossy, _) = gb.decode_without_bom_handling(body);
            let line = lossy
                .lines()
                .position(|l| l.contains('\u{FFFD}'))
                .map_or(1, |i| i + 1);
            let utf8_line = body[..utf8.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            Err(CmdError::invalid(
                FIELD,
                format!(
                    "文件编码无法识别：既不是 UTF-8（第 {utf8_line} 行起不符合 UTF-8），也不是 GBK/GB18030（第 {line} 行有无法识别的字节）。请在 Excel 中打开原台账，另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后再导入"
                ),
            ))
        }
    }
}

/// A CSV file as a table; every cell is text (IDs and accounts keep their digits).
pub fn read_csv(bytes: &[u8]) -> CmdResult<Table> {
    let (text, encoding) = decode(bytes)?;
    let rows = parse_csv(&text)
        .into_iter()
        .map(|r| r.into_iter().map(Cell::Text).collect())
        .collect();
    Ok(Table {
        first_row: 1,
        rows,
        encoding,
    })
}

/// RFC 4180: comma-separated, fields in double quotes may hold commas, quotes ("") and newlines.
/// A record's row number is its position, as Excel numbers the rows it opens.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = vec![];
    let mut row = vec![];
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_commas_and_newlines() {
        let rows = parse_csv("a,\"b,c\",\"d\"\"e\"\r\n1,\"x\ny\",\n");
        assert_eq!(
            rows,
            vec![
                vec!["a".to_owned(), "b,c".into(), "d\"e".into()],
                vec!["1".into(), "x\ny".into(), "".into()],
            ]
        );
    }

    #[test]
    fn decoding_detects_utf8_bom_and_gb18030() {
        let (s, e) = decode("\u{FEFF}户主姓名,王𠇔".as_bytes()).unwrap();
        assert_eq!((s.as_str(), e), ("户主姓名,王𠇔", "UTF-8"));
        let (gb, _, unmappable) = encoding_rs::GB18030.encode("户主姓名,王𠇔");
        assert!(!unmappable);
        let (s, e) = decode(&gb).unwrap();
        assert_eq!((s.as_str(), e), ("户主姓名,王𠇔", "GB18030"));
        // 0x80 alone is malformed in both.
        let err = decode(b"a,b\n\x80\xff,c\n").unwrap_err();
        assert!(err.message.contains("第 2 行"), "{}", err.message);
    }

    #[test]
    fn cells_read_as_people_write_them() {
        assert_eq!(Cell::Number(660.0).text(), "660");
        assert_eq!(Cell::Number(660.5).text(), "660.5");
        assert_eq!(excel_day(45352.0), NaiveDate::from_ymd_opt(2024, 3, 1));
    }
}
