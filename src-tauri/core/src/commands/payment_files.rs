//! The files of the monthly payment: the 发放花名册 for the bank (xlsx, or CSV in GB18030 / UTF-8
//! with BOM) and the bank's return file (xlsx or CSV) that marks each payment paid or failed.
//! A roster is written beside its destination and renamed into place; a return file with any row
//! that does not match the roster is refused whole.

use crate::programme::Programme;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::Path;

use serde::Deserialize;
use serde_json::{json, Value};

use super::payments::{month_in, view};
use super::{file_ext, input, output, save_path, Session, Stamp};
use crate::auth::Role;
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::payrun::kind_label;
use crate::rules::money::{fen_from_yuan, yuan_text};
use crate::store::payments::{self as store_pay, Payment};

/// The roster's columns, as the bank's 一卡通 system reads them.
pub(crate) const ROSTER_HEADS: [&str; 17] = [
    "序号",
    "乡镇（街道）",
    "村（社区）",
    "组",
    "户主姓名",
    "户主身份证号",
    "收款人姓名",
    "收款人身份证号",
    "开户银行",
    "银行账号",
    "救助类别",
    "发放类别",
    "保障人数",
    "保障标准（元）",
    "发放金额（元）",
    "低保证号",
    "起始发放月份",
];

/// One roster line as text, in [`ROSTER_HEADS`] order (the amount columns as yuan strings).
fn line(n: usize, p: &Payment, names: &HashMap<i64, String>) -> [String; 17] {
    let name = |id: Option<i64>| id.and_then(|i| names.get(&i).cloned()).unwrap_or_default();
    [
        n.to_string(),
        name(Some(p.payee.township_id)),
        name(Some(p.payee.village_id)),
        name(p.payee.group_id),
        p.payee.head_name.clone(),
        p.payee.head_id_number.clone(),
        p.payee_name.clone(),
        p.payee_id_number.clone(),
        p.payee.bank_name.clone(),
        p.payee.bank_account.clone(),
        Programme::label_of(&p.programme).to_owned(),
        if p.kind == "regular" || p.kind == "back_pay" || p.kind == "resend" {
            format!("{}（{}）", kind_label(&p.kind), p.for_month)
        } else {
            kind_label(&p.kind).to_owned()
        },
        p.persons.to_string(),
        p.standard_fen.map(yuan_text).unwrap_or_default(),
        yuan_text(p.amount_fen),
        p.certificate.clone(),
        p.start_month.clone().unwrap_or_default(),
    ]
}

/// Totals per township: (payments, households, amount).
/// A roster's counts, kept as its rows go by: rows and money, and by township the rows,
/// households and money.
#[derive(Default)]
struct RosterTotals {
    rows: usize,
    fen: i64,
    by_township: BTreeMap<i64, (usize, HashSet<i64>, i64)>,
}

impl RosterTotals {
    fn add(&mut self, p: &Payment) {
        self.rows += 1;
        self.fen += p.amount_fen;
        let e = self.by_township.entry(p.payee.township_id).or_default();
        e.0 += 1;
        e.1.insert(p.payee.household_id);
        e.2 += p.amount_fen;
    }
}

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

pub(crate) fn roster(s: &mut Session, v: Value) -> CmdResult<Value> {
    s.require(&[Role::Approver, Role::Admin], "导出发放花名册")?;
    let i: RosterIn = input(v)?;
    let (month, _) = month_in("month", &i.month)?;
    let (dest, ext) = save_path(&i.path, "花名册")?;
    let path = i.path.trim();
    let format = match i.format.clone() {
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
        None => ext.clone(),
    };
    if ext != format {
        return Err(CmdError::invalid(
            "path",
            format!("文件名应以 .{format} 结尾"),
        ));
    }
    let utf8 = match i.encoding.as_deref().unwrap_or("gb18030") {
        "gb18030" => false,
        "utf8_bom" => true,
        other => {
            return Err(CmdError::invalid(
                "encoding",
                format!("编码“{other}”无效，应为 gb18030 或 utf8_bom"),
            ))
        }
    };
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
    let totals = if format == "xlsx" {
        write_xlsx(dest, &month, &s.conn, &names)?
    } else {
        write_csv(dest, &month, &s.conn, &names, utf8)?
    };
    let (rows, total) = (totals.rows, totals.fen);
    let stamp = Stamp::of(s)?;
    let sent = with_tx(&mut s.conn, |tx| {
        let sent = store_pay::mark_sent(tx, &month)?;
        store_pay::set_roster_at(tx, &month, &stamp.at)?;
        stamp.record(tx, "payment.roster", "payment_run", None, None,
            Some(&json!({"month": month, "path": path, "format": format, "rows": rows, "total": yuan_text(total), "sent": sent})))?;
        Ok(sent)
    })?;
    output(
        json!({"month": month, "path": path, "format": format, "rows": rows,
                  "total": yuan_text(total), "sent": sent}),
    )
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
    conn: &rusqlite::Connection,
    names: &HashMap<i64, String>,
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
        store_pay::each_month_payment(conn, month, |p| {
            totals.add(&p);
            let r = 1 + totals.rows as u32;
            let cells = line(totals.rows, &p, names);
            for (c, text) in cells.iter().enumerate() {
                match c {
                    // Numbers: sequence, persons, standard, amount. IDs and accounts stay text.
                    0 | 12 => sheet
                        .write_number(r, c as u16, text.parse::<f64>().unwrap_or(0.0))
                        .map_err(err)?,
                    13 if p.standard_fen.is_some() => sheet
                        .write_number_with_format(
                            r,
                            13,
                            p.standard_fen.unwrap_or(0) as f64 / 100.0,
                            &money,
                        )
                        .map_err(err)?,
                    14 => sheet
                        .write_number_with_format(r, 14, p.amount_fen as f64 / 100.0, &money)
                        .map_err(err)?,
                    _ => sheet.write_string(r, c as u16, text).map_err(err)?,
                };
            }
            Ok(())
        })?;
        let r = 2 + totals.rows as u32;
        sheet
            .write_string_with_format(r, 0, format!("合计 {} 笔", totals.rows), &bold)
            .map_err(err)?;
        sheet
            .write_number_with_format(r, 14, totals.fen as f64 / 100.0, &money)
            .map_err(err)?;
    }
    {
        let sheet = book.add_worksheet();
        sheet.set_name("乡镇合计").map_err(err)?;
        for (c, h) in ["乡镇（街道）", "笔数", "户数", "发放金额（元）"]
            .iter()
            .enumerate()
        {
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

fn csv_field(t: &str) -> String {
    if t.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", t.replace('"', "\"\""))
    } else {
        t.to_owned()
    }
}

/// The CSV text (without encoding): the roster, a blank line, then the township totals.
fn csv_text(
    month: &str,
    conn: &rusqlite::Connection,
    names: &HashMap<i64, String>,
) -> CmdResult<(String, RosterTotals)> {
    let mut out = String::new();
    let mut totals = RosterTotals::default();
    let row = |out: &mut String, cells: &[String]| {
        let fields: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    };
    row(&mut out, &ROSTER_HEADS.map(str::to_owned));
    store_pay::each_month_payment(conn, month, |p| {
        totals.add(&p);
        row(&mut out, &line(totals.rows, &p, names));
        Ok(())
    })?;
    out.push_str("\r\n");
    row(
        &mut out,
        &[
            format!("{month} 乡镇合计"),
            "笔数".into(),
            "户数".into(),
            "发放金额（元）".into(),
        ],
    );
    for (t, (n, hh, fen)) in &totals.by_township {
        row(
            &mut out,
            &[
                names.get(t).cloned().unwrap_or_default(),
                n.to_string(),
                hh.len().to_string(),
                yuan_text(*fen),
            ],
        );
    }
    row(
        &mut out,
        &[
            "合计".into(),
            totals.rows.to_string(),
            String::new(),
            yuan_text(totals.fen),
        ],
    );
    Ok((out, totals))
}

fn write_csv(
    dest: &Path,
    month: &str,
    conn: &rusqlite::Connection,
    names: &HashMap<i64, String>,
    utf8: bool,
) -> CmdResult<RosterTotals> {
    let (text, totals) = csv_text(month, conn, names)?;
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

// ---- the bank's return file ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReturnIn {
    month: String,
    path: String,
}

/// Rows of the file as text cells, xlsx (first sheet) or CSV (UTF-8, or GB18030).
fn read_rows(path: &Path) -> CmdResult<Vec<Vec<String>>> {
    let ext = file_ext(path);
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
            Ok(parse_csv(&text))
        }
        _ => Err(CmdError::invalid("path", "银行回盘文件应为 .xlsx 或 .csv")),
    }
}

/// A small RFC 4180 reader: quoted fields with doubled quotes, CRLF or LF.
pub(crate) fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field) = (Vec::new(), String::new());
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match (quoted, ch) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// Which column holds what: found by the header's words.
struct Columns {
    account: usize,
    name: Option<usize>,
    amount: usize,
    result: usize,
    reason: Option<usize>,
}

fn columns(head: &[String]) -> CmdResult<Columns> {
    let find = |words: &[&str]| {
        head.iter()
            .position(|h| words.iter().any(|w| h.trim().contains(w)))
    };
    let missing = |what: &str| {
        CmdError::invalid(
            "path",
            format!(
                "银行回盘文件第 1 行缺少“{what}”列（应有：银行账号、户名、金额、结果、失败原因）"
            ),
        )
    };
    Ok(Columns {
        account: find(&["账号", "卡号"]).ok_or_else(|| missing("银行账号"))?,
        name: find(&["户名", "姓名", "收款人"]),
        amount: find(&["金额"]).ok_or_else(|| missing("金额"))?,
        result: find(&["结果", "状态"]).ok_or_else(|| missing("结果"))?,
        reason: find(&["原因", "备注"]),
    })
}

pub(crate) fn bank_return(s: &mut Session, v: Value) -> CmdResult<Value> {
    s.require(&[Role::Approver, Role::Admin], "导入银行回盘")?;
    let i: ReturnIn = input(v)?;
    let (month, _) = month_in("month", &i.month)?;
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
    let rows = read_rows(path)?;
    let Some((head, body)) = rows.split_first() else {
        return Err(CmdError::invalid("path", "银行回盘文件是空的"));
    };
    let col = columns(head)?;
    let payments = store_pay::month_payments(&s.conn, &month)?;
    let mut by_account: HashMap<&str, Vec<&Payment>> = HashMap::new();
    for p in payments.iter().filter(|p| p.status != "pending") {
        by_account
            .entry(p.payee.bank_account.as_str())
            .or_default()
            .push(p);
    }
    let head_of = |c: usize| head.get(c).map(|h| h.trim().to_owned()).unwrap_or_default();
    let mut errors: Vec<String> = Vec::new();
    let mut taken: HashSet<i64> = HashSet::new();
    let mut updates: Vec<(i64, &'static str, Option<String>)> = Vec::new();
    let mut unchanged = 0;
    for (n, r) in body.iter().enumerate() {
        let line = n + 2;
        let cell = |c: usize| r.get(c).map(|t| t.trim()).unwrap_or("");
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut bad =
            |c: usize, msg: String| errors.push(format!("第 {line} 行“{}”列：{msg}", head_of(c)));
        let account = cell(col.account);
        let status = match cell(col.result) {
            "成功" => "paid",
            "失败" => "failed",
            other => {
                bad(
                    col.result,
                    format!("结果“{other}”无法识别，应为“成功”或“失败”"),
                );
                continue;
            }
        };
        let amount = match fen_from_yuan("amount", cell(col.amount)) {
            Ok(a) => a,
            Err(e) => {
                bad(col.amount, e.message);
                continue;
            }
        };
        let Some(candidates) = by_account.get(account) else {
            bad(
                col.account,
                format!("账号“{account}”不在 {month} 的花名册中"),
            );
            continue;
        };
        let Some(p) = candidates
            .iter()
            .find(|p| p.amount_fen == amount && !taken.contains(&p.id))
        else {
            let listed: Vec<String> = candidates.iter().map(|p| yuan_text(p.amount_fen)).collect();
            if candidates.iter().any(|p| p.amount_fen == amount) {
                bad(
                    col.amount,
                    format!(
                        "账号“{account}”金额 {} 元出现的次数多于花名册",
                        yuan_text(amount)
                    ),
                );
            } else {
                bad(
                    col.amount,
                    format!(
                        "金额 {} 元与花名册不符（花名册中此账号为 {} 元）",
                        yuan_text(amount),
                        listed.join("、")
                    ),
                );
            }
            continue;
        };
        if let Some(c) = col.name {
            let name = cell(c);
            if !name.is_empty() && name != p.payee_name {
                bad(
                    c,
                    format!("户名“{name}”与花名册中此账号的收款人“{}”不符", p.payee_name),
                );
                continue;
            }
        }
        taken.insert(p.id);
        let reason = col
            .reason
            .map(|c| cell(c).to_owned())
            .filter(|t| !t.is_empty());
        if status == "failed" && reason.is_none() {
            bad(
                col.reason.unwrap_or(col.result),
                "发放失败的行请写明失败原因".to_owned(),
            );
            continue;
        }
        match p.status.as_str() {
            "sent" => updates.push((p.id, status, if status == "failed" { reason } else { None })),
            same if same == status => unchanged += 1,
            other => bad(
                col.result,
                format!(
                    "此笔已登记为“{}”，不能再改为“{}”",
                    if other == "paid" { "成功" } else { "失败" },
                    cell(col.result)
                ),
            ),
        }
    }
    if !errors.is_empty() {
        let shown: Vec<&str> = errors.iter().take(10).map(String::as_str).collect();
        return Err(CmdError::invalid(
            "path",
            format!(
                "银行回盘文件有 {} 处与花名册不符，未登记任何结果：{}{}",
                errors.len(),
                shown.join("；"),
                if errors.len() > 10 { "；……" } else { "" }
            ),
        ));
    }
    let paid = updates.iter().filter(|u| u.1 == "paid").count();
    let failed = updates.len() - paid;
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        for (id, status, reason) in &updates {
            store_pay::set_result(tx, *id, status, reason.as_deref())?;
        }
        stamp.record(tx, "payment.bank_return", "payment_run", None, None,
            Some(&json!({"month": month, "path": i.path, "paid": paid, "failed": failed, "unchanged": unchanged})))
    })?;
    let mut out = view(s, &month)?;
    out["imported"] = json!({"paid": paid, "failed": failed, "unchanged": unchanged});
    output(out)
}
