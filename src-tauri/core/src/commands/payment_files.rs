//! The files of the monthly payment: the 发放花名册 for the bank (xlsx, or CSV in GB18030 / UTF-8
//! with BOM) and the bank's return file (xlsx or CSV) that marks each payment paid or failed.
//! A roster is written beside its destination and renamed into place, or returned as bytes
//! (`deliver: "bytes"`); a return file (a path or an `upload`, [`super::files`]) with any row
//! that does not match the roster is refused whole.

use serde::Deserialize;
use serde_json::{json, Value};

use super::files::{Deliver, Dest, Source, Upload};
use super::payments::{view, BankReturnReply, Imported, RosterReply};
use super::{input, Session, Stamp};
use crate::auth::Role;
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::month::Month;
use crate::payment_files::{read_return_file, write_roster, RosterFormat};
use crate::payrun;
use crate::rules::money::yuan_text;
use crate::store::payments as store_pay;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RosterIn {
    month: String,
    path: Option<String>,
    deliver: Option<Deliver>,
    /// xlsx | csv; from the file name when absent (xlsx with `deliver: "bytes"`).
    format: Option<String>,
    /// CSV only: gb18030 (default) | utf8_bom.
    encoding: Option<String>,
}

pub(crate) fn roster(s: &mut Session, v: Value) -> CmdResult<RosterReply> {
    s.require(&[Role::Approver, Role::Admin], "导出发放花名册")?;
    let i: RosterIn = input(v)?;
    let month = Month::parse_field("month", &i.month)?.to_string();
    let dest = Dest::choose("path", i.path.as_deref(), i.deliver, "花名册")?;
    let ext = match dest {
        Dest::Path(_) => dest.path_ext(),
        Dest::Bytes => i.format.clone().unwrap_or_else(|| "xlsx".into()),
    };
    let file_format = RosterFormat::choose(i.format.as_deref(), &ext, i.encoding.as_deref())?;
    let format = file_format.code().to_owned();
    let run = store_pay::run(&s.conn, &month)?
        .ok_or_else(|| CmdError::invalid("month", format!("{month} 还没有发放，请先执行发放")))?;
    if run.state != "locked" {
        return Err(CmdError::conflict(
            "month",
            format!("{month} 的发放尚未锁定：请审核变化并锁定后再导出花名册"),
        ));
    }
    let names = store_pay::area_names(&s.conn)?;
    // The rows stream from the database into the file: a county's month is never all in memory.
    let conn = &s.conn;
    let name = format!("发放花名册-{month}.{format}");
    let (totals, saved) = dest.make(&name, |path| {
        write_roster(path, file_format, &month, &names, &mut |sink| {
            store_pay::each_month_payment(conn, &month, sink)
        })
    })?;
    let at = json!(saved.audit());
    let (rows, total) = (totals.rows, totals.fen);
    let stamp = Stamp::of(s)?;
    let sent = with_tx(&mut s.conn, |tx| {
        let sent = store_pay::mark_sent(tx, &month)?;
        store_pay::set_roster_at(tx, &month, &stamp.at)?;
        stamp.record(tx, "payment.roster", "payment_run", None, None,
            Some(&merge(json!({"month": month, "format": format, "rows": rows, "total": yuan_text(total), "sent": sent}), at)))?;
        Ok(sent)
    })?;
    Ok(RosterReply {
        month,
        path: saved.path,
        format,
        rows,
        total: yuan_text(total),
        sent,
        file: saved.file,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReturnIn {
    month: String,
    path: Option<String>,
    upload: Option<Upload>,
}

pub(crate) fn bank_return(s: &mut Session, v: Value) -> CmdResult<BankReturnReply> {
    s.require(&[Role::Approver, Role::Admin], "导入银行回盘")?;
    let i: ReturnIn = input(v)?;
    let month = Month::parse_field("month", &i.month)?.to_string();
    let source = Source::choose(i.path.as_deref(), i.upload, "银行回盘文件")?;
    let run = store_pay::run(&s.conn, &month)?.ok_or_else(|| {
        CmdError::invalid("month", format!("{month} 还没有发放，没有可对账的花名册"))
    })?;
    if run.roster_at.is_none() {
        return Err(CmdError::invalid(
            "month",
            format!("{month} 的花名册尚未导出，银行回盘无从对账"),
        ));
    }
    let rows = source.read(read_return_file)?;
    let returned =
        payrun::match_return(&month, &rows, &store_pay::roster_payments(&s.conn, &month)?)?;
    let (paid, failed, unchanged) = (returned.paid(), returned.failed(), returned.unchanged);
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        for (id, status, reason) in &returned.updates {
            store_pay::set_result(tx, *id, status, reason.as_deref())?;
        }
        stamp.record(
            tx,
            "payment.bank_return",
            "payment_run",
            None,
            None,
            Some(&merge(
                json!({"month": month, "paid": paid, "failed": failed, "unchanged": unchanged}),
                json!(source.audit()),
            )),
        )
    })?;
    Ok(BankReturnReply {
        month: view(&s.conn, &month)?,
        imported: Imported {
            paid,
            failed,
            unchanged,
        },
    })
}

/// The audit row's fields with the file's (its path, or its name and SHA-256).
fn merge(mut row: Value, at: Value) -> Value {
    if let (Some(row), Value::Object(at)) = (row.as_object_mut(), at) {
        row.extend(at);
    }
    row
}
