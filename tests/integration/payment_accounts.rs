//! The bank's accounts in the monthly payment: a bank return matched by account + payee name +
//! amount (two payees sharing one card), and by the roster's 序号 when the bank echoes it.

use serde_json::json;

use crate::common::{county, id, seed_standards, County, PASSWORD};
use crate::payments::{act, add_household, to_notice};

/// Two households on 低保 with the same amount, both paid to one card (the account is shared:
/// an old couple living apart from their son, whose card receives both), approved 2025-11-12.
fn two_payees_one_account(c: &mut County, account: &str) {
    seed_standards(c, "admin");
    c.ok("user.create", json!({"username": "jbr3", "display_name": "孙调查", "role": "caseworker", "area_id": c.township, "password": PASSWORD}));
    c.sign_in("jbr1");
    for (name, seq, day) in [("张三", 11, 1), ("王五", 13, 4)] {
        c.sign_in("jbr1");
        let h = add_household(
            c,
            name,
            &id("19500101", seq),
            "rural",
            account,
            json!([]),
            "300",
        );
        let case = to_notice(c, h, "2025-10", day);
        act(c, "spr", case, "approve", json!({"date": "2025-11-14"}));
    }
    c.sign_in("spr");
}

#[test]
fn a_bank_return_with_two_payees_on_one_account_and_the_same_amount_is_recorded() {
    let mut c = county();
    let account = "6222020000000000011";
    two_payees_one_account(&mut c, account);
    c.ok("payment.run", json!({"month": "2025-12"}));
    c.ok("payment.review", json!({"month": "2025-12"}));
    c.ok("payment.lock", json!({"month": "2025-12"}));
    let roster = c.dir.path().join("花名册.csv");
    c.ok(
        "payment.roster",
        json!({"month": "2025-12", "path": roster.to_str().unwrap()}),
    );
    let amount: i64 =
        c.s.connection()
            .query_row(
                "SELECT amount_fen FROM payment WHERE month = '2025-12' AND payee_name = '王五'",
                [],
                |r| r.get(0),
            )
            .unwrap();
    let yuan = format!("{}.{:02}", amount / 100, amount % 100);
    // The bank lists 王五 first: matched by amount and account alone, his row met 张三's payment.
    let ret = c.dir.path().join("回盘.csv");
    std::fs::write(
        &ret,
        format!(
            "银行账号,户名,金额,结果,失败原因\r\n{account},王五,{yuan},失败,户名与账户不符\r\n{account},张三,{yuan},成功,\r\n"
        ),
    )
    .unwrap();
    let v = c.ok(
        "payment.bank_return",
        json!({"month": "2025-12", "path": ret.to_str().unwrap()}),
    );
    assert_eq!(
        v["imported"],
        json!({"paid": 1, "failed": 1, "unchanged": 0})
    );
    let status = |c: &County, name: &str| -> (String, Option<String>) {
        c.s.connection()
            .query_row(
                "SELECT status, failure_reason FROM payment WHERE month = '2025-12' AND payee_name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
    };
    assert_eq!(status(&c, "张三"), ("paid".into(), None));
    assert_eq!(
        status(&c, "王五"),
        ("failed".into(), Some("户名与账户不符".into()))
    );

    // The bank echoes the roster's 序号: a line naming the wrong payee for its 序号 is refused.
    let ret2 = c.dir.path().join("回盘2.csv");
    std::fs::write(
        &ret2,
        format!("序号,银行账号,户名,金额,结果\r\n1,{account},王五,{yuan},成功\r\n"),
    )
    .unwrap();
    let e = c.err(
        "payment.bank_return",
        json!({"month": "2025-12", "path": ret2.to_str().unwrap()}),
    );
    assert_eq!(e.field.as_deref(), Some("path"));
    assert!(
        e.message
            .contains("第 2 行“户名”列：户名“王五”与花名册序号 1 的收款人“张三”不符"),
        "{}",
        e.message
    );
}
