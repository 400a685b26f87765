//! Whether a payee's bank account can receive money: present, digits only, a length the bank
//! allows and, for the banks whose 一卡通 accounts are 银联 debit cards, the card's Luhn check
//! digit. Pure: the bank's name and the account in, the reason it cannot be paid out.
//!
//! The banks (matched by a word of the 开户银行 as typed; the first row that matches wins):
//!
//! | bank | lengths | Luhn |
//! |---|---|---|
//! | 工商银行 (工行), 农业银行 (农行), 建设银行 (建行), 邮政储蓄 (邮储) | 19 (建行 also 16) | yes |
//! | 中国银行 (中行) | 16 or 19 | yes |
//! | 交通银行 (交行) | 17 or 19 | yes |
//! | any other bank (农村信用社, 农商银行, 村镇银行, …) | 16–19 | no |
//!
//! The national banks' personal accounts paid by a 一卡通 are 银联 debit cards, whose last digit
//! is a Luhn check digit: a mistyped digit is caught here rather than by the bank a month later.
//! Rural credit cooperatives and other local banks also pay into passbook (存折) accounts whose
//! last digit is not a card check digit, so only their length is checked.

use super::types::Payment;

/// Why an account cannot be paid, in Chinese; `None` when it can.
pub fn account_problem(bank_name: &str, account: &str) -> Option<String> {
    let (bank, account) = (bank_name.trim(), account.trim());
    if account.is_empty() {
        return Some(if bank.is_empty() {
            "未登记开户银行和银行账号".to_owned()
        } else {
            "未登记银行账号".to_owned()
        });
    }
    if bank.is_empty() {
        return Some("未登记开户银行".to_owned());
    }
    if !account.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!("银行账号“{account}”含有数字以外的字符"));
    }
    let rule = rule_of(bank);
    if !rule.lengths.contains(&account.len()) {
        return Some(format!(
            "{}账号应为 {} 位，“{account}”是 {} 位",
            rule.label,
            lengths_text(rule.lengths),
            account.len()
        ));
    }
    if rule.luhn && !luhn_ok(account) {
        return Some(format!(
            "银行卡号“{account}”校验位不符（末位应为 {}），请核对卡号",
            luhn_digit(&account[..account.len() - 1])
        ));
    }
    None
}

/// A payee the month cannot pay: the household, its payments' ids and total, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unpayable {
    pub household_id: i64,
    pub township_id: i64,
    pub head_name: String,
    pub payee_name: String,
    pub bank_name: String,
    pub bank_account: String,
    pub why: String,
    pub payment_ids: Vec<i64>,
    pub amount_fen: i64,
}

/// The payees among `payments` whose account cannot be paid, one per household and account, in
/// township order then the payments' order.
pub fn unpayable(payments: &[Payment]) -> Vec<Unpayable> {
    let mut out: Vec<Unpayable> = Vec::new();
    for p in payments {
        let h = &p.payee;
        let Some(why) = account_problem(&h.bank_name, &h.bank_account) else {
            continue;
        };
        match out
            .iter_mut()
            .find(|u| u.household_id == h.household_id && u.bank_account == h.bank_account)
        {
            Some(u) => {
                u.payment_ids.push(p.id);
                u.amount_fen += p.amount_fen;
            }
            None => out.push(Unpayable {
                household_id: h.household_id,
                township_id: h.township_id,
                head_name: h.head_name.clone(),
                payee_name: p.payee_name.clone(),
                bank_name: h.bank_name.clone(),
                bank_account: h.bank_account.clone(),
                why,
                payment_ids: vec![p.id],
                amount_fen: p.amount_fen,
            }),
        }
    }
    out.sort_by_key(|u| u.township_id);
    out
}

struct BankRule {
    words: &'static [&'static str],
    label: &'static str,
    lengths: &'static [usize],
    luhn: bool,
}

const NINETEEN: &[usize] = &[19];
const GENERAL: &[usize] = &[16, 17, 18, 19];

const BANKS: &[BankRule] = &[
    BankRule {
        words: &["工商银行", "工行"],
        label: "工商银行",
        lengths: NINETEEN,
        luhn: true,
    },
    BankRule {
        words: &["农业银行", "农行"],
        label: "农业银行",
        lengths: NINETEEN,
        luhn: true,
    },
    BankRule {
        words: &["建设银行", "建行"],
        label: "建设银行",
        lengths: &[16, 19],
        luhn: true,
    },
    BankRule {
        words: &["邮政储蓄", "邮储"],
        label: "邮政储蓄银行",
        lengths: NINETEEN,
        luhn: true,
    },
    BankRule {
        words: &["交通银行", "交行"],
        label: "交通银行",
        lengths: &[17, 19],
        luhn: true,
    },
    BankRule {
        words: &["中国银行", "中行"],
        label: "中国银行",
        lengths: &[16, 19],
        luhn: true,
    },
];

const OTHER: BankRule = BankRule {
    words: &[],
    label: "银行",
    lengths: GENERAL,
    luhn: false,
};

fn rule_of(bank: &str) -> &'static BankRule {
    BANKS
        .iter()
        .find(|r| r.words.iter().any(|w| bank.contains(w)))
        .unwrap_or(&OTHER)
}

fn lengths_text(lengths: &[usize]) -> String {
    match lengths {
        [one] => one.to_string(),
        [first, .., last] if last - first + 1 == lengths.len() && lengths.len() > 2 => {
            format!("{first}–{last}")
        }
        more => more
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(" 或 "),
    }
}

/// The Luhn check digit for `body` (the card number without its last digit).
pub fn luhn_digit(body: &str) -> char {
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    char::from(b'0' + ((10 - sum % 10) % 10) as u8)
}

fn luhn_ok(number: &str) -> bool {
    let (body, last) = number.split_at(number.len() - 1);
    last.starts_with(luhn_digit(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unpayable_are_listed_once_per_household_with_their_payments() {
        let pay = |id, household_id, township_id, account: &str, amount_fen| Payment {
            id,
            amount_fen,
            payee_name: format!("户{household_id}"),
            payee: crate::payrun::types::Payee {
                household_id,
                township_id,
                bank_name: "农村信用社".into(),
                bank_account: account.into(),
                ..Default::default()
            },
            ..Payment::default()
        };
        let got = unpayable(&[
            pay(1, 10, 2, "", 50_000),
            pay(2, 11, 1, "6222021234567890123", 40_000),
            pay(3, 10, 2, "", 2_000),
            pay(4, 12, 1, "12", 30_000),
        ]);
        let brief: Vec<(i64, Vec<i64>, i64, &str)> = got
            .iter()
            .map(|u| {
                (
                    u.household_id,
                    u.payment_ids.clone(),
                    u.amount_fen,
                    u.why.as_str(),
                )
            })
            .collect();
        assert_eq!(
            brief,
            [
                (12, vec![4], 30_000, "银行账号应为 16–19 位，“12”是 2 位"),
                (10, vec![1, 3], 52_000, "未登记银行账号"),
            ]
        );
    }

    #[test]
    fn an_account_is_paid_when_present_all_digits_of_its_banks_length_with_its_check_digit() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("中国农业银行", "6228480402564890018", None),
            ("中国工商银行", "6222020200112345679", None),
            (
                "中国银行",
                "4563510800000000001",
                Some("校验位不符（末位应为 9）"),
            ),
            ("中国银行", "4563511234567896", None),
            (
                "中国农业银行",
                "6228480402564890017",
                Some("银行卡号“6228480402564890017”校验位不符（末位应为 8），请核对卡号"),
            ),
            (
                "中国农业银行",
                "622848040256489",
                Some("农业银行账号应为 19 位，“622848040256489”是 15 位"),
            ),
            (
                "交通银行",
                "62226000000000",
                Some("交通银行账号应为 17 或 19 位"),
            ),
            ("农村信用社", "6222021234567890123", None),
            (
                "农村信用社",
                "622202123456789",
                Some("银行账号应为 16–19 位，“622202123456789”是 15 位"),
            ),
            ("某某村镇银行", "6230590000000000001", None),
            ("农村信用社", "6222 0212", Some("含有数字以外的字符")),
            ("", "", Some("未登记开户银行和银行账号")),
            ("农村信用社", "", Some("未登记银行账号")),
            ("", "6222021234567890123", Some("未登记开户银行")),
        ];
        for (bank, account, want) in cases {
            let got = account_problem(bank, account);
            match (got.as_deref(), want) {
                (None, None) => {}
                (Some(g), Some(w)) => assert!(g.contains(w), "{bank} {account}: {g}"),
                (g, w) => panic!("{bank} {account}: got {g:?}, want {w:?}"),
            }
        }
    }
}
