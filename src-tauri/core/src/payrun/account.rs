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

/// The collective (对公) account of the county's 供养机构, where 集中供养 特困 is paid when the
/// county says so: the payee named on the roster is the institution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectiveAccount {
    pub payee: String,
    pub bank_name: String,
    pub bank_account: String,
}

/// A collective account as entered: institution, bank and account trimmed; the account digits
/// only, 8–30 of them (对公 accounts have no card check digit and differ in length by bank).
/// Fields `payee`, `bank_name`, `bank_account`.
pub fn collective_account(
    payee: &str,
    bank_name: &str,
    bank_account: &str,
) -> crate::error::CmdResult<CollectiveAccount> {
    use crate::error::CmdError;
    let (payee, bank_name) = (payee.trim(), bank_name.trim());
    let bank_account: String = bank_account
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if payee.is_empty() {
        return Err(CmdError::invalid("payee", "请填写收款单位（供养机构）名称"));
    }
    if bank_name.is_empty() {
        return Err(CmdError::invalid("bank_name", "请填写开户银行"));
    }
    if !bank_account.bytes().all(|b| b.is_ascii_digit()) || !(8..=30).contains(&bank_account.len())
    {
        return Err(CmdError::invalid(
            "bank_account",
            format!("对公账号应为 8–30 位数字，“{bank_account}”不是"),
        ));
    }
    Ok(CollectiveAccount {
        payee: payee.to_owned(),
        bank_name: bank_name.to_owned(),
        bank_account,
    })
}

/// Pay the payments of 集中供养 特困 cases (`centralised`, by case id) to the institution's
/// collective account: the roster names the institution as the payee, with its bank and account.
pub fn to_collective(
    payments: &mut [Payment],
    centralised: &std::collections::HashSet<i64>,
    account: &CollectiveAccount,
) {
    for p in payments
        .iter_mut()
        .filter(|p| p.programme == "tekun" && p.case_id.is_some_and(|c| centralised.contains(&c)))
    {
        p.payee_name = account.payee.clone();
        p.payee_id_number = String::new();
        p.payee.bank_name = account.bank_name.clone();
        p.payee.bank_account = account.bank_account.clone();
    }
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
/// township order then the payments' order. Payments to the county's collective account (checked
/// when it was set) are paid.
pub fn unpayable(payments: &[Payment], collective: Option<&CollectiveAccount>) -> Vec<Unpayable> {
    let mut out: Vec<Unpayable> = Vec::new();
    for p in payments {
        if collective.is_some_and(|c| c.bank_account == p.payee.bank_account) {
            continue;
        }
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
        let home = CollectiveAccount {
            payee: "城关镇敬老院".into(),
            bank_name: "中国农业银行".into(),
            bank_account: "160101040012345".into(),
        };
        let got = unpayable(
            &[
                pay(1, 10, 2, "", 50_000),
                pay(2, 11, 1, "6222021234567890123", 40_000),
                pay(3, 10, 2, "", 2_000),
                pay(4, 12, 1, "12", 30_000),
                pay(5, 13, 1, "160101040012345", 30_000),
            ],
            Some(&home),
        );
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
    fn centralised_tekun_is_paid_to_the_collective_account_as_entered() {
        let home =
            collective_account(" 城关镇敬老院 ", "中国农业银行", "1601 0104 0012 345").unwrap();
        assert_eq!(home.bank_account, "160101040012345");
        for (payee, bank, account, field) in [
            ("", "农行", "160101040012345", "payee"),
            ("敬老院", "", "160101040012345", "bank_name"),
            ("敬老院", "农行", "1601", "bank_account"),
            ("敬老院", "农行", "16010104001234X", "bank_account"),
        ] {
            let e = collective_account(payee, bank, account).unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field));
        }
        let pay = |id, programme: &str, case_id| Payment {
            id,
            programme: programme.into(),
            case_id: Some(case_id),
            payee_name: "张三".into(),
            payee_id_number: "410122195001010011".into(),
            ..Payment::default()
        };
        let mut ps = [pay(1, "tekun", 7), pay(2, "tekun", 8), pay(3, "dibao", 7)];
        to_collective(&mut ps, &std::collections::HashSet::from([7]), &home);
        let got: Vec<(&str, &str)> = ps
            .iter()
            .map(|p| (p.payee_name.as_str(), p.payee.bank_account.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("城关镇敬老院", "160101040012345"),
                ("张三", ""),
                ("张三", "")
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
