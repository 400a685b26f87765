//! Table tests of the roster's lines and the bank's return file against the roster.

use std::collections::HashMap;

use super::roster::{roster_line, RosterTotals};
use super::types::{Payee, Payment};
use super::*;

fn sent(id: i64, account: &str, name: &str, amount_fen: i64, status: &str) -> Payment {
    Payment {
        id,
        month: "2023-05".into(),
        for_month: "2023-04".into(),
        kind: "back_pay".into(),
        programme: "dibao".into(),
        persons: 2,
        amount_fen,
        standard_fen: Some(66_000),
        payee_name: name.into(),
        payee: Payee {
            household_id: id,
            township_id: 2,
            village_id: 3,
            bank_account: account.into(),
            ..Payee::default()
        },
        status: status.into(),
        ..Payment::default()
    }
}

#[test]
fn a_roster_line_names_its_areas_and_kind() {
    let names = HashMap::from([(2, "城关镇".to_owned()), (3, "东村".to_owned())]);
    let line = roster_line(7, &sent(1, "6217", "张三", 50_000, "pending"), &names);
    assert_eq!(line[..4], ["7", "城关镇", "东村", ""]);
    assert_eq!(
        line[10..15],
        ["低保", "补发（2023-04）", "2", "660.00", "500.00"]
    );
    let mut totals = RosterTotals::default();
    totals.add(&sent(1, "a", "x", 50_000, "pending"));
    totals.add(&sent(1, "a", "x", 100, "pending"));
    assert_eq!(
        totals.township_lines(&names),
        [
            ["城关镇", "2", "1", "501.00"].map(str::to_owned),
            ["合计", "2", "", "501.00"].map(str::to_owned)
        ]
    );
}

fn rows(lines: &[&str]) -> Vec<Vec<String>> {
    lines
        .iter()
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect()
}

const HEAD: &str = "银行账号,户名,金额,结果,失败原因";

#[test]
fn a_return_file_matches_the_roster_or_is_refused_whole() {
    let payments = [
        sent(1, "6217001", "张三", 50_000, "sent"),
        sent(2, "6217001", "张三", 10_000, "sent"),
        sent(3, "6217003", "李四", 30_000, "paid"),
        sent(4, "6217004", "王五", 30_000, "pending"),
        // A couple's card: two payees on one account with the same amount.
        sent(5, "6217005", "赵六", 20_000, "sent"),
        sent(6, "6217005", "钱七", 20_000, "sent"),
    ];
    type Want = Result<(Vec<(i64, &'static str, Option<&'static str>)>, usize), &'static str>;
    let cases: Vec<(&str, Vec<&str>, Want)> = vec![
        (
            "paid, failed with its reason, and a result already recorded",
            vec![
                HEAD,
                "6217001,张三,100.00,失败,账户冻结",
                "6217001,,500,成功,",
                "6217003,李四,300.00,成功,",
                ",,,,",
            ],
            Ok((vec![(2, "failed", Some("账户冻结")), (1, "paid", None)], 1)),
        ),
        (
            "two payees on one account, same amount: each row finds its own payee",
            vec![HEAD, "6217005,钱七,200,失败,户名不符", "6217005,赵六,200,成功,"],
            Ok((vec![(6, "failed", Some("户名不符")), (5, "paid", None)], 0)),
        ),
        (
            "the roster's 序号 echoed: that line is the payment",
            vec![
                "序号,户主姓名,收款人姓名,银行账号,发放金额（元）,结果,失败原因",
                "6,钱七,钱七,6217005,200.00,成功,",
                "5,赵六,赵六,6217005,200.00,失败,账户冻结",
            ],
            Ok((vec![(6, "paid", None), (5, "failed", Some("账户冻结"))], 0)),
        ),
        (
            "序号 pointing at another payee",
            vec!["序号,银行账号,户名,金额,结果", "5,6217005,钱七,200,成功"],
            Err("第 2 行“户名”列：户名“钱七”与花名册序号 5 的收款人“赵六”不符"),
        ),
        (
            "序号 past the roster's end",
            vec!["序号,银行账号,户名,金额,结果", "9,6217005,钱七,200,成功"],
            Err("第 2 行“序号”列：花名册中没有序号 9（共 6 行）"),
        ),
        (
            "序号 twice",
            vec!["序号,银行账号,户名,金额,结果", "5,6217005,赵六,200,成功", "5,6217005,赵六,200,成功"],
            Err("第 3 行“序号”列：序号 5 在回盘文件中出现了不止一次"),
        ),
        (
            "序号 of a payment never sent",
            vec!["序号,银行账号,户名,金额,结果", "4,6217004,王五,300,成功"],
            Err("第 2 行“结果”列：此笔尚未随花名册发给银行"),
        ),
        (
            "the same payee twice on one account beyond the roster",
            vec![HEAD, "6217005,钱七,200,成功,", "6217005,钱七,200,成功,"],
            Err("第 3 行“金额”列：账号“6217005”收款人“钱七”金额 200.00 元出现的次数多于花名册"),
        ),
        ("empty file", vec![], Err("银行回盘文件是空的")),
        (
            "no amount column",
            vec!["银行账号,结果"],
            Err("银行回盘文件第 1 行缺少“金额”列（应有：银行账号、户名、金额、结果、失败原因）"),
        ),
        (
            "unknown result",
            vec![HEAD, "6217001,张三,500,退回,"],
            Err("第 2 行“结果”列：结果“退回”无法识别，应为“成功”或“失败”"),
        ),
        (
            "account not sent",
            vec![HEAD, "6217004,王五,300,成功,"],
            Err("第 2 行“银行账号”列：账号“6217004”不在 2023-05 的花名册中"),
        ),
        (
            "amount differs",
            vec![HEAD, "6217001,张三,1.00,成功,"],
            Err("第 2 行“金额”列：金额 1.00 元与花名册不符（花名册中账号“6217001”收款人“张三”为 500.00、100.00 元）"),
        ),
        (
            "amount twice",
            vec![HEAD, "6217001,张三,100,成功,", "6217001,张三,100,成功,"],
            Err("第 3 行“金额”列：账号“6217001”收款人“张三”金额 100.00 元出现的次数多于花名册"),
        ),
        (
            "other payee",
            vec![HEAD, "6217001,李四,100,成功,"],
            Err("第 2 行“户名”列：户名“李四”与花名册中此账号的收款人“张三”不符"),
        ),
        (
            "failure without reason",
            vec![HEAD, "6217001,张三,100,失败,"],
            Err("第 2 行“失败原因”列：发放失败的行请写明失败原因"),
        ),
        (
            "paid cannot become failed",
            vec![HEAD, "6217003,李四,300,失败,销户"],
            Err("第 2 行“结果”列：此笔已登记为“成功”，不能再改为“失败”"),
        ),
    ];
    for (name, lines, want) in cases {
        let got = match_return("2023-05", &rows(&lines), &payments);
        match (got, want) {
            (Ok(r), Ok((updates, unchanged))) => {
                let got: Vec<(i64, &str, Option<&str>)> = r
                    .updates
                    .iter()
                    .map(|(id, s, why)| (*id, *s, why.as_deref()))
                    .collect();
                assert_eq!((got, r.unchanged), (updates, unchanged), "{name}");
            }
            (Err(e), Err(message)) => {
                assert_eq!(e.field.as_deref(), Some("path"), "{name}");
                assert!(e.message.contains(message), "{name}: {}", e.message);
            }
            (got, _) => panic!("{name}: {got:?}"),
        }
    }
}
