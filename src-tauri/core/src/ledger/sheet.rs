//! A ledger file opened: its table, the header row found among the first ten, the data rows (empty
//! rows and a 合计/总计 line left out) and the column mapping the user gave, checked against the
//! file's header. Pure apart from reading the file.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::columns::{self, Column, Field, FIELDS};
use super::read::{self, Cell, Table};
use crate::error::{CmdError, CmdResult};

/// The file's name without its folder, as replies and audit rows show it.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The file read, its header row found.
pub struct Sheet {
    pub table: Table,
    /// Position of the header row in `table.rows`.
    pub header_at: usize,
    pub columns: Vec<Column>,
}

impl Sheet {
    pub fn open(path: &Path) -> CmdResult<Sheet> {
        Sheet::of(read::read(path)?, path)
    }

    /// A table read from `path`, its header row found (or the refusal naming the file).
    pub fn of(table: Table, path: &Path) -> CmdResult<Sheet> {
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

    pub fn header_excel_row(&self) -> u32 {
        self.table.first_row + self.header_at as u32
    }

    /// Data rows: (Excel row number, cells), empty rows and a 合计 line left out.
    pub fn data(&self) -> impl Iterator<Item = (u32, &Vec<Cell>)> {
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

    /// Each ledger field with the column proposed for it, and the labels of the required fields
    /// no column was proposed for.
    pub fn proposal(&self) -> (Vec<(&'static Field, Option<&Column>)>, Vec<&'static str>) {
        let proposed = columns::propose(&self.columns);
        let column_of = |key: &str| {
            proposed
                .iter()
                .find(|(k, _)| *k == key)
                .and_then(|(_, i)| self.column(*i))
        };
        let fields = FIELDS.iter().map(|f| (f, column_of(f.key))).collect();
        let missing = FIELDS
            .iter()
            .filter(|f| f.required && !proposed.iter().any(|(k, _)| *k == f.key))
            .map(|f| f.label)
            .collect();
        (fields, missing)
    }

    /// The first `n` data rows: Excel row number and each column's text by its letter.
    pub fn sample(&self, n: usize) -> Vec<(u32, BTreeMap<String, String>)> {
        self.data()
            .take(n)
            .map(|(row, cells)| {
                let by_letter = self
                    .columns
                    .iter()
                    .map(|c| {
                        let t = cells.get(c.index).map(Cell::text).unwrap_or_default();
                        (c.letter.clone(), t)
                    })
                    .collect();
                (row, by_letter)
            })
            .collect()
    }

    pub fn column(&self, index: usize) -> Option<&Column> {
        self.columns.iter().find(|c| c.index == index)
    }
}

/// Field key → column index, checked against the file.
pub fn resolve_mapping(
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
