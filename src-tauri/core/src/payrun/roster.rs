//! The 发放花名册's content: its columns, one payment as a line of text, and the totals kept as
//! the rows go by. Writing the xlsx or CSV file is `crate::payment_files`.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::types::Payment;
use crate::programme::Programme;
use crate::rules::money::yuan_text;

use super::{kind_label, PaymentKind};

/// The roster's columns, as the bank's 一卡通 system reads them.
pub const ROSTER_HEADS: [&str; 17] = [
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

/// The heads of the township totals (after the roster in a CSV, its own sheet in an xlsx).
pub const TOWNSHIP_HEADS: [&str; 4] = ["乡镇（街道）", "笔数", "户数", "发放金额（元）"];

/// Column numbers in [`ROSTER_HEADS`] that hold numbers in an xlsx: 序号, 保障人数.
pub const COUNT_COLUMNS: [usize; 2] = [0, 12];
/// 保障标准（元）and 发放金额（元）.
pub const STANDARD_COLUMN: usize = 13;
pub const AMOUNT_COLUMN: usize = 14;

/// One roster line as text, in [`ROSTER_HEADS`] order (the amount columns as yuan strings);
/// `n` is its 序号, `names` the area names by id.
pub fn roster_line(n: usize, p: &Payment, names: &HashMap<i64, String>) -> [String; 17] {
    let name = |id: Option<i64>| id.and_then(|i| names.get(&i).cloned()).unwrap_or_default();
    let monthly = matches!(
        PaymentKind::from_code(&p.kind),
        Some(PaymentKind::Regular | PaymentKind::BackPay | PaymentKind::Resend)
    );
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
        if monthly {
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

/// A roster's counts, kept as its rows go by: rows and money, and by township the rows,
/// households and money.
#[derive(Debug, Default)]
pub struct RosterTotals {
    pub rows: usize,
    pub fen: i64,
    pub by_township: BTreeMap<i64, (usize, HashSet<i64>, i64)>,
}

impl RosterTotals {
    pub fn add(&mut self, p: &Payment) {
        self.rows += 1;
        self.fen += p.amount_fen;
        let e = self.by_township.entry(p.payee.township_id).or_default();
        e.0 += 1;
        e.1.insert(p.payee.household_id);
        e.2 += p.amount_fen;
    }

    /// The township totals as text lines in [`TOWNSHIP_HEADS`] order, then 合计 (no households).
    pub fn township_lines(&self, names: &HashMap<i64, String>) -> Vec<[String; 4]> {
        let mut out: Vec<[String; 4]> = self
            .by_township
            .iter()
            .map(|(t, (n, hh, fen))| {
                [
                    names.get(t).cloned().unwrap_or_default(),
                    n.to_string(),
                    hh.len().to_string(),
                    yuan_text(*fen),
                ]
            })
            .collect();
        out.push([
            "合计".into(),
            self.rows.to_string(),
            String::new(),
            yuan_text(self.fen),
        ]);
        out
    }
}

fn csv_field(t: &str) -> String {
    if t.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", t.replace('"', "\"\""))
    } else {
        t.to_owned()
    }
}

/// One CSV line (RFC 4180 quoting, CRLF) appended to `out`.
pub fn csv_line(out: &mut String, cells: &[String]) {
    let fields: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
    out.push_str(&fields.join(","));
    out.push_str("\r\n");
}
