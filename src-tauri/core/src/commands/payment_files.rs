//! The files of the monthly payment: the 发放花名册 for the bank (xlsx, or CSV in GB18030 / UTF-8
//! with BOM) and the bank's return file (xlsx or CSV) that marks each payment paid or failed.
//! A roster is written beside its destination and renamed into place; a return file with any row
//! that does not match the roster is refused whole.

use std::path::Path;

use serde::Deserialize;
use serde_json::{json, Value};

use super::payments::{view, BankReturnReply, Imported, RosterReply};
use super::{input, save_path, Session, Stamp};
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
    path: String,
    /// xlsx | csv; from the file name when absent.
    format: Option<String>,
    /// CSV only: gb18030 (default) | utf8_bom.
    encoding: Option<String>,
}

pub(crate) fn roster(s: &mut Session, v: Value) -> CmdResult<RosterReply> {
    s.require(&[Role::Approver, Role::Admin], "导出发放花名册")?;
    let i: RosterIn = input(v)?;
    let month = Month::parse_field("month", &i.month)?.to_string();
    let (dest, ext) = save_path(&i.path, "花名册")?;
    let path = i.path.trim();
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
    let totals = write_roster(dest, file_format, &month, &names, &mut |sink| {
        store_pay::each_month_payment(conn, &month, sink)
    })?;
    let (rows, total) = (totals.rows, totals.fen);
    let stamp = Stamp::of(s)?;
    let sent = with_tx(&mut s.conn, |tx| {
        let sent = store_pay::mark_sent(tx, &month)?;
        store_pay::set_roster_at(tx, &month, &stamp.at)?;
        stamp.record(tx, "payment.roster", "payment_run", None, None,
            Some(&json!({"month": month, "path": path, "format": format, "rows": rows, "total": yuan_text(total), "sent": sent})))?;
        Ok(sent)
    })?;
    Ok(RosterReply {
        month,
        path: path.to_owned(),
        format,
        rows,
        total: yuan_text(total),
        sent,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReturnIn {
    month: String,
    path: String,
}

pub(crate) fn bank_return(s: &mut Session, v: Value) -> CmdResult<BankReturnReply> {
    s.require(&[Role::Approver, Role::Admin], "导入银行回盘")?;
    let i: ReturnIn = input(v)?;
    let month = Month::parse_field("month", &i.month)?.to_string();
    let path = Path::new(i.path.trim());
    let run = store_pay::run(&s.conn, &month)?.ok_or_else(|| {
        CmdError::invalid("month", format!("{month} 还没有发放，没有可对账的花名册"))
    })?;
    if run.roster_at.is_none() {
        return Err(CmdError::invalid(
            "month",
            format!("{month} 的花名册尚未导出，银行回盘无从对账"),
        ));
    }
    let rows = read_return_file(path)?;
    let returned =
        payrun::match_return(&month, &rows, &store_pay::roster_payments(&s.conn, &month)?)?;
    let (paid, failed, unchanged) = (returned.paid(), returned.failed(), returned.unchanged);
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        for (id, status, reason) in &returned.updates {
            store_pay::set_result(tx, *id, status, reason.as_deref())?;
        }
        stamp.record(tx, "payment.bank_return", "payment_run", None, None,
            Some(&json!({"month": month, "path": i.path, "paid": paid, "failed": failed, "unchanged": unchanged})))
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
