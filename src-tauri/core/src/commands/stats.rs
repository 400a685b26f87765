//! 统计报表: `stats.month` (the monthly statistics of a run month, with the last twelve months)
//! and `stats.export` (the same as .xlsx or PDF, written through a temporary file, or returned as
//! bytes with `deliver: "bytes"`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::files::{Deliver, Dest, Where};
use super::payments::month_in;
use super::{input, json_text, Session, Stamp};
use crate::auth::Role;
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::files::FileBytes;
use crate::rules::money::yuan_text;
use crate::stats::{self, Report, ReportView};
use crate::store;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MonthIn {
    month: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportIn {
    month: String,
    path: Option<String>,
    deliver: Option<Deliver>,
    /// xlsx | pdf with `deliver: "bytes"` (default xlsx); with a path its extension decides.
    format: Option<String>,
}

const LOCKED: &str = "已锁定";

fn report(s: &Session, month_text: &str) -> CmdResult<Report> {
    let (month, first) = month_in("month", month_text)?;
    let run = store::payments::run(&s.conn, &month)?.ok_or_else(|| {
        CmdError::invalid(
            "month",
            format!("{month} 还没有执行发放，没有统计数据：统计以当月发放为准，请先在“月度发放”执行发放"),
        )
    })?;
    if run.state == "locked" {
        if let Some(kept) = store::stats::kept_report(&s.conn, &month)? {
            return serde_json::from_str(&kept)
                .map_err(|e| CmdError::internal(format!("{month} 锁定时保存的统计无法读取：{e}")));
        }
    }
    let label = if run.state == "locked" {
        LOCKED
    } else {
        "未锁定，数据以锁定后为准"
    };
    build(&s.conn, first, label)
}

fn build(conn: &rusqlite::Connection, first: chrono::NaiveDate, label: &str) -> CmdResult<Report> {
    let county = store::areas::county(conn)?
        .map(|a| a.name)
        .unwrap_or_default();
    let names = store::payments::area_names(conn)?;
    stats::build(conn, &county, first, label, &names)
}

/// At the lock, in its transaction: build the month's report from what was paid and keep it, so
/// that the month reads the same ever after and opens at once.
pub(crate) fn keep_at_lock(tx: &rusqlite::Connection, month: &str) -> CmdResult<()> {
    let (month, first) = month_in("month", month)?;
    store::stats::record_totals(tx, &month)?;
    let r = build(tx, first, LOCKED)?;
    store::stats::keep_report(tx, &month, &json_text(&r)?)
}

pub(crate) fn month(s: &mut Session, v: Value) -> CmdResult<ReportView> {
    s.require(&[Role::Approver, Role::Admin], "查看月度统计")?;
    let i: MonthIn = input(v)?;
    Ok(ReportView::from(&report(s, &i.month)?))
}

/// The file written (or its bytes).
#[derive(Serialize, JsonSchema)]
pub(crate) struct ExportReply {
    /// xlsx or pdf.
    format: String,
    month: String,
    /// Where it was saved (absent with `deliver: "bytes"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    total: String,
    /// The file itself, with `deliver: "bytes"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<FileBytes>,
}

/// The export's audit row (fields in the order the audit text has had).
#[derive(Serialize)]
struct ExportAudit<'a> {
    format: &'a str,
    month: &'a str,
    #[serde(flatten)]
    at: Where,
    total: &'a str,
}

pub(crate) fn export(s: &mut Session, v: Value) -> CmdResult<ExportReply> {
    s.require(&[Role::Approver, Role::Admin], "导出月度统计")?;
    let i: ExportIn = input(v)?;
    let dest = Dest::choose("path", i.path.as_deref(), i.deliver, "统计表")?;
    let ext = match (&dest, i.format) {
        (Dest::Path(_), _) => dest.path_ext(),
        (Dest::Bytes, f) => f.unwrap_or_else(|| "xlsx".into()),
    };
    if ext != "xlsx" && ext != "pdf" {
        let field = if matches!(dest, Dest::Path(_)) {
            "path"
        } else {
            "format"
        };
        return Err(CmdError::invalid(
            field,
            "文件名应以 .xlsx（Excel）或 .pdf 结尾",
        ));
    }
    let r = report(s, &i.month)?;
    let name = format!("月度统计-{}.{ext}", r.month);
    let saved = if ext == "xlsx" {
        dest.make(&name, |path| stats::write_xlsx(path, &r))?.1
    } else {
        let bytes = crate::documents::monthly_stats::monthly_stats(&r)?;
        dest.put("path", &name, &bytes)?
    };
    let stamp = Stamp::of(s)?;
    let total = yuan_text(r.total_fen);
    let audit = ExportAudit {
        format: &ext,
        month: &r.month,
        at: saved.audit(),
        total: &total,
    };
    with_tx(&mut s.conn, |tx| {
        stamp.record_new(tx, "stats.export", "payment_run", None, &audit)
    })?;
    Ok(ExportReply {
        format: ext,
        month: r.month.clone(),
        path: saved.path,
        total,
        file: saved.file,
    })
}
