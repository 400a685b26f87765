//! The bank's return file matched against the roster: each row (account, name, amount, result,
//! reason) finds its sent payment, or the whole file is refused with every mismatch by row.

use std::collections::{HashMap, HashSet};

use super::types::Payment;
use crate::error::{CmdError, CmdResult};
use crate::rules::money::{fen_from_yuan, yuan_text};

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

/// Match the return file's rows (the first is the header) against `month`'s payments. A row
/// matches a payment sent to its account with its amount (each payment once) and, when the file
/// names the payee, that name. Any row that does not match refuses the whole file (field `path`,
/// the first ten problems by row and column).
pub fn match_return(
    month: &str,
    rows: &[Vec<String>],
    payments: &[Payment],
) -> CmdResult<Returned> {
    let Some((head, body)) = rows.split_first() else {
        return Err(CmdError::invalid("path", "银行回盘文件是空的"));
    };
    let col = columns(head)?;
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
            "sent" => {
                out.updates
                    .push((p.id, status, if status == "failed" { reason } else { None }))
            }
            same if same == status => out.unchanged += 1,
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
