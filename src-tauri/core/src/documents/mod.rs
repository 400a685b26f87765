//! Printed documents as native PDF: 公示, 审批表, 一事一议 申报表 and 会议纪要, 不予批准通知书.
//!
//! Each renderer is a pure function from a plain data struct (serde, so the command layer can
//! pass JSON) to the PDF's bytes, or a [`DocError`] that names the field at fault in Chinese.
//! The fonts are compiled in and subset into each PDF ([`fonts`]); [`layout`] measures, wraps and
//! paginates. Privacy rules for 公示 are enforced here, not by callers: IDs are masked, minors are
//! left off, and the notice's data type has no field for bank accounts, diagnoses or disability.
//! [`write_atomically`] saves a PDF so that no half-written file is ever left behind.

pub mod approval;
pub mod bench;
pub mod deliberation;
pub mod fill;
pub mod fonts;
pub mod layout;
pub mod monthly_stats;
pub mod notice;
pub mod refusal;
pub mod samples;
#[cfg(test)]
mod tests;
pub mod wrap;

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::CmdError;
use crate::rules::money;

pub use approval::{
    approval_form, ApprovalForm, AssistanceProgramme, FamilyInfo, IncomeItem, Investigation,
    Member, SignOff, SignOffRole, TrailEntry,
};
pub use deliberation::{
    deliberation_application, meeting_minutes, AidReceived, Decision, DeliberationApplication,
    MeetingMinutes, Outcome, Stance, UnitOpinion,
};
pub use notice::{notice, Notice, NoticeRow};
pub use refusal::{refusal_notice, RefusalNotice};

/// Why a document could not be made: a Chinese message saying what is missing or wrong, and the
/// input field at fault (a JSON path such as `rows[3].name`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DocError {
    pub message: String,
    pub field: String,
}

impl DocError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> DocError {
        DocError {
            message: message.into(),
            field: field.into(),
        }
    }
}

impl From<DocError> for CmdError {
    fn from(e: DocError) -> CmdError {
        CmdError::invalid(&e.field, e.message)
    }
}

pub type DocResult<T> = Result<T, DocError>;

/// Where documents are saved unless the user says otherwise: 文档\兜底 (Documents/兜底).
pub fn default_dir() -> PathBuf {
    dirs::document_dir()
        .or_else(dirs::home_dir)
        .unwrap_or_else(|| PathBuf::from("."))
        .join("兜底")
}

/// Where to save a PDF: the path the user gave, or `name` in [`default_dir`]; it must end in
/// .pdf, and its folder is created if need be.
pub fn save_path(path: Option<&str>, name: &str) -> DocResult<PathBuf> {
    let p = match path.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => PathBuf::from(p),
        None => default_dir().join(name),
    };
    let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
    if !ext.eq_ignore_ascii_case("pdf") {
        return Err(DocError::new("path", "文件名须以 .pdf 结尾"));
    }
    if let Some(dir) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| DocError::new("path", format!("无法创建文件夹 {}：{e}", dir.display())))?;
    }
    Ok(p)
}

/// Opens a saved PDF or spreadsheet in the system's viewer (to read and print it): only .pdf,
/// .xlsx and .csv, and only a file that exists (field `path`). Returns the path opened. The one
/// owner of this rule: `document.open` in embedded mode, the desktop itself in connected mode.
pub fn open_in_viewer(p: &Path) -> DocResult<PathBuf> {
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    if !matches!(ext.as_str(), "pdf" | "xlsx" | "csv") {
        return Err(DocError::new("path", "只能打开 .pdf、.xlsx 或 .csv 文件"));
    }
    if !p.is_file() {
        return Err(DocError::new(
            "path",
            format!("文件 {} 不存在", p.display()),
        ));
    }
    let spawned = if cfg!(windows) {
        std::process::Command::new("cmd")
            .args(["/C", "start", ""])
            .arg(p)
            .spawn()
    } else {
        std::process::Command::new("xdg-open").arg(p).spawn()
    };
    spawned.map_err(|e| DocError::new("path", format!("无法打开 {}：{e}", p.display())))?;
    Ok(p.to_owned())
}

/// Writes `bytes` to `path` atomically ([`crate::files::write_atomically`]); the error names
/// the field `path`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> DocResult<()> {
    crate::files::write_atomically(path, bytes)
        .map_err(|e| DocError::new("path", format!("无法保存文件 {}：{e}", path.display())))
}

/// Refuses any text that no shipped font can draw, naming the character and the field it is in,
/// before a single page is laid out. Walks the serialized input, so every string field of every
/// document is covered.
pub(crate) fn check_glyphs<T: Serialize>(data: &T) -> DocResult<()> {
    check_glyphs_at("", data)
}

/// [`check_glyphs`] for a part of the input, whose fields are named under `prefix`.
pub(crate) fn check_glyphs_at<T: Serialize>(prefix: &str, data: &T) -> DocResult<()> {
    let value = serde_json::to_value(data).expect("document data serializes");
    walk(&value, &mut prefix.to_owned())
}

fn walk(value: &serde_json::Value, path: &mut String) -> DocResult<()> {
    match value {
        serde_json::Value::String(s) => {
            if let Some(c) = fonts::fonts().first_missing(s) {
                return Err(DocError::new(
                    path.clone(),
                    format!(
                        "“{s}”中的字符“{c}”（U+{:04X}）不在内置字体中，无法打印，请核对是否录入有误",
                        c as u32
                    ),
                ));
            }
            Ok(())
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(item, path)?;
                path.truncate(len);
            }
            Ok(())
        }
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                walk(v, path)?;
                path.truncate(len);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// A field that must not be blank.
pub(crate) fn required(field: &str, value: &str, what: &str) -> DocResult<()> {
    if value.trim().is_empty() {
        return Err(DocError::new(field, format!("缺少{what}，请先填写")));
    }
    Ok(())
}

/// An amount given as a yuan string ("1234.5", "1,234.50") shown as "1,234.50".
pub(crate) fn yuan(field: &str, value: &str, what: &str) -> DocResult<String> {
    let cleaned: String = value.chars().filter(|c| *c != ',' && *c != ' ').collect();
    let parsed: Decimal = cleaned.parse().map_err(|_| {
        DocError::new(
            field,
            format!("{what}“{value}”不是金额，请填写以元为单位的数字，如 1234.50"),
        )
    })?;
    Ok(money::fmt_yuan(money::round_fen(parsed)))
}

/// "2026年11月3日", as dates are written on official documents.
pub(crate) fn cn_date(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// A blank date line for a hand-written signature: "    年    月    日".
pub(crate) const BLANK_DATE: &str = "　　年　　月　　日";
