//! The bank's return file matched against the roster: each row (序号 when the bank echoes it,
//! account, name, amount, result, reason) finds its sent payment, or the whole file is refused
//! with every mismatch by row.
//!
//! A row is matched by account + payee name + amount: two payees may share one account (a
//! couple's card) with the same amount, and each row then finds its own payee. When the file
//! carries the roster's 序号, that line is the payment, and account, name and amount must agree
//! with it. Payments that are interchangeable (same account, payee and amount: a month's
//! allowance and its back pay of the same sum) are taken in roster order.

use std::collections::{HashMap, HashSet};

use super::types::Payment;
use crate::error::{CmdError, CmdResult};
use crate::rules::money::{fen_from_yuan, yuan_text};

/// Which column holds what: found by the header's words, the first word found wins.
struct Columns {
    line: Option<usize>,
    account: usize,
    name: Option<usize>,
    amount: usize,
    result: usize,
    reason: Option<usize>,
}

fn columns(head: &[String]) -> CmdResult<Columns> {
    // Words in order of preference: a roster echoed whole has 户主姓名 before 收款人姓名, and the
    // bank pays the 收款人.
    let find = |words: &[&str]| {
        words
            .iter()
            .find_map(|w| head.iter().position(|h| h.trim().contains(w)))
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
        line: find(&["序号"]),
        account: find(&["账号", "卡号"]).ok_or_else(|| missing("银行账号"))?,
        name: find(&["收款人", "户名", "姓名"]),
        amount: find(&["金额"]).ok_or_else(|| missing("金额"))?,
        result: find(&["结果", "状态"]).ok_or_else(|| missing("结果"))?,
        reason: find(&["原因", "备注"]),
    })
}

/// What a return file records: (payment id, paid | failed, failure reason) for each payment that
/// was sent, and how many rows repeat a result already recorded.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Returned {
    pub updates: Vec<(i64, &'static str, Option<String>)>,
    pub unchanged: usize,
}

impl Returned {
    pub fn paid(&self) -> usize {
        self.updates.iter().filter(|u| u.1 == "paid").count()
    }

    pub fn failed(&self) -> usize {
        self.updates.len() - self.paid()
    }
}

/// Distinct values, in order, joined with 、.
fn listed(values: impl Iterator<Item = String>) -> String {
    let mut seen = Vec::new();
    for v in values {
        if !seen.contains(&v) {
            seen.push(v);
        }
    }
    seen.join("、")
}

/// Match the return file's rows (the first is the header) against `month`'s roster: `roster` is
/// the month's payments in roster order (the first is 序号 1; those still pending were not sent). A row matches the payment at its
/// 序号 when the file has that column, else a payment sent to its account, with its payee's
/// name when the file names one, and its amount (each payment once). Any row that does not
/// match refuses the whole file (field `path`, the first ten problems by row and column).
pub fn match_return(month: &str, rows: &[Vec<String>], roster: &[Payment]) -> CmdResult<Returned> {
    let Some((head, body)) = rows.split_first() else {
        return Err(CmdError::invalid("path", "银行回盘文件是空的"));
    };
    let col = columns(head)?;
    let mut by_account: HashMap<&str, Vec<&Payment>> = HashMap::new();
    for p in roster.iter().filter(|p| p.status != "pending") {
        by_account
            .entry(p.payee.bank_account.as_str())
            .or_default()
            .push(p);
    }
    let head_of = |c: usize| head.get(c).map(|h| h.trim().to_owned()).unwrap_or_default();
    let mut errors: Vec<String> = Vec::new();
    let mut taken: HashSet<i64> = HashSet::new();
    let mut out = Returned::default();
    for (n, r) in body.iter().enumerate() {
        let line = n + 2;
        let cell = |c: usize| r.get(c).map(|t| t.trim()).unwrap_or("");
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut bad =
            |c: usize, msg: String| errors.push(format!("第 {line} 行“{}”列：{msg}", head_of(c)));
        let account = cell(col.account);
        let name = col.name.map(cell).unwrap_or("");
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
        let found = match col.line.map(cell).filter(|t| !t.is_empty()) {
            Some(text) => by_line(roster, text, account, name, amount, &taken),
            None => by_payee(&by_account, month, account, name, amount, &taken),
        };
        let p = match found {
            Ok(p) => p,
            Err((which, msg)) => {
                let c = match which {
                    Cell::Line => col.line.unwrap_or(col.account),
                    Cell::Account => col.account,
                    Cell::Name => col.name.unwrap_or(col.account),
                    Cell::Amount => col.amount,
                };
                bad(c, msg);
                continue;
            }
        };
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
            "sent" => {
                out.updates
                    .push((p.id, status, if status == "failed" { reason } else { None }))
            }
            same if same == status => out.unchanged += 1,
            "pending" => bad(col.result, "此笔尚未随花名册发给银行".to_owned()),
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
    Ok(out)
}

/// The column a mismatch is in.
#[derive(Clone, Copy)]
enum Cell {
    Line,
    Account,
    Name,
    Amount,
}

type Found<'a> = Result<&'a Payment, (Cell, String)>;

/// The payment a row names by account, payee name (when given) and amount.
fn by_payee<'a>(
    by_account: &HashMap<&str, Vec<&'a Payment>>,
    month: &str,
    account: &str,
    name: &str,
    amount: i64,
    taken: &HashSet<i64>,
) -> Found<'a> {
    let Some(on_account) = by_account.get(account) else {
        return Err((
            Cell::Account,
            format!("账号“{account}”不在 {month} 的花名册中"),
        ));
    };
    let named: Vec<&Payment> = on_account
        .iter()
        .copied()
        .filter(|p| name.is_empty() || p.payee_name == name)
        .collect();
    if named.is_empty() {
        return Err((
            Cell::Name,
            format!(
                "户名“{name}”与花名册中此账号的收款人“{}”不符",
                listed(on_account.iter().map(|p| p.payee_name.clone()))
            ),
        ));
    }
    let same: Vec<&Payment> = named
        .iter()
        .copied()
        .filter(|p| p.amount_fen == amount)
        .collect();
    if let Some(p) = same.iter().find(|p| !taken.contains(&p.id)) {
        return Ok(p);
    }
    let whose = if name.is_empty() {
        format!("账号“{account}”")
    } else {
        format!("账号“{account}”收款人“{name}”")
    };
    Err((
        Cell::Amount,
        if same.is_empty() {
            format!(
                "金额 {} 元与花名册不符（花名册中{whose}为 {} 元）",
                yuan_text(amount),
                listed(named.iter().map(|p| yuan_text(p.amount_fen)))
            )
        } else {
            format!("{whose}金额 {} 元出现的次数多于花名册", yuan_text(amount))
        },
    ))
}

/// The payment at the roster's line `text` (序号), which must have the row's account, payee
/// name (when given) and amount, and not be matched twice.
fn by_line<'a>(
    roster: &'a [Payment],
    text: &str,
    account: &str,
    name: &str,
    amount: i64,
    taken: &HashSet<i64>,
) -> Found<'a> {
    let n: usize = text
        .parse()
        .map_err(|_| (Cell::Line, format!("序号“{text}”应为花名册中的行号")))?;
    let p = n
        .checked_sub(1)
        .and_then(|i| roster.get(i))
        .ok_or_else(|| {
            (
                Cell::Line,
                format!("花名册中没有序号 {n}（共 {} 行）", roster.len()),
            )
        })?;
    if p.payee.bank_account != account {
        return Err((
            Cell::Account,
            format!(
                "账号“{account}”与花名册序号 {n} 的账号“{}”不符",
                p.payee.bank_account
            ),
        ));
    }
    if !name.is_empty() && p.payee_name != name {
        return Err((
            Cell::Name,
            format!(
                "户名“{name}”与花名册序号 {n} 的收款人“{}”不符",
                p.payee_name
            ),
        ));
    }
    if p.amount_fen != amount {
        return Err((
            Cell::Amount,
            format!(
                "金额 {} 元与花名册序号 {n} 的 {} 元不符",
                yuan_text(amount),
                yuan_text(p.amount_fen)
            ),
        ));
    }
    if taken.contains(&p.id) {
        return Err((Cell::Line, format!("序号 {n} 在回盘文件中出现了不止一次")));
    }
    Ok(p)
}
