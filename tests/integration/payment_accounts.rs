//! The bank's accounts in the monthly payment: a bank return matched by account + payee name +
//! amount (two payees sharing one card), and by the roster's 序号 when the bank echoes it; payees
//! without a valid account listed by the run, the lock refused (`refuse`) or their payments held
//! off the roster and re-sent once corrected (`hold`).

use serde_json::json;

use crate::common::{county, household_input, id, seed_standards, County, PASSWORD};
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

/// 张三 on a valid card and 王五 registered without bank or account, both on 低保 from 2025-12;
/// returns 王五's household.
fn one_without_account(c: &mut County) -> i64 {
    two_payees_one_account(c, "6222020000000000011");
    let h: i64 = c
        .s
        .connection()
        .query_row(
            "SELECT h.id FROM household h JOIN person p ON p.id = h.head_id WHERE p.name = '王五'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    set_bank(c, h, None);
    h
}

fn set_bank(c: &mut County, h: i64, bank: Option<(&str, &str)>) {
    c.sign_in("jbr1");
    let mut input = household_input(c, "王五", &id("19500101", 13));
    input["id"] = json!(h);
    input["bank_name"] = json!(bank.map(|b| b.0));
    input["bank_account"] = json!(bank.map(|b| b.1));
    for k in ["head", "members"] {
        input.as_object_mut().unwrap().remove(k);
    }
    c.ok("household.update", input);
    c.sign_in("spr");
}

#[test]
fn a_payee_without_a_valid_account_is_listed_and_the_lock_refused_until_it_is_corrected() {
    let mut c = county();
    let h = one_without_account(&mut c);
    let v = c.ok("payment.run", json!({"month": "2025-12"}));
    let listed = &v["invalid_accounts"];
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed[0]["household_id"], json!(h));
    assert_eq!(listed[0]["payee_name"], json!("王五"));
    assert_eq!(listed[0]["township_name"], json!(c_township_name(&c)));
    assert_eq!(listed[0]["why"], json!("未登记开户银行和银行账号"));
    c.ok("payment.review", json!({"month": "2025-12"}));
    let e = c.err("payment.lock", json!({"month": "2025-12"}));
    assert_eq!(e.field.as_deref(), Some("month"));
    assert!(
        e.message.starts_with(
            "2025-12 有 1 户收款人的银行账号无法发放：王五（未登记开户银行和银行账号）"
        ),
        "{}",
        e.message
    );

    // A card number with a wrong check digit is named as such after the re-run.
    set_bank(&mut c, h, Some(("中国农业银行", "6228480402564890017")));
    let v = c.ok("payment.run", json!({"month": "2025-12"}));
    assert_eq!(
        v["invalid_accounts"][0]["why"],
        json!("银行卡号“6228480402564890017”校验位不符（末位应为 8），请核对卡号")
    );
    c.err("payment.lock", json!({"month": "2025-12"}));

    // Corrected, re-run: nobody is listed, the month locks and both are on the roster.
    set_bank(&mut c, h, Some(("中国农业银行", "6228480402564890018")));
    let v = c.ok("payment.run", json!({"month": "2025-12"}));
    assert_eq!(v["invalid_accounts"], json!([]));
    c.ok("payment.lock", json!({"month": "2025-12"}));
    let roster = c.dir.path().join("花名册.csv");
    let r = c.ok(
        "payment.roster",
        json!({"month": "2025-12", "path": roster.to_str().unwrap(), "encoding": "utf8_bom"}),
    );
    assert_eq!(r["rows"], json!(2));
    let text = std::fs::read_to_string(&roster).unwrap();
    assert!(text.contains("6228480402564890018"), "{text}");
}

fn c_township_name(c: &County) -> String {
    c.s.connection()
        .query_row("SELECT name FROM area WHERE id = ?1", [c.township], |r| {
            r.get(0)
        })
        .unwrap()
}

#[test]
fn with_hold_a_payee_without_an_account_is_held_off_the_roster_and_re_sent_once_corrected() {
    let mut c = county();
    let h = one_without_account(&mut c);
    c.sign_in("admin");
    c.ok("standard.set", json!({"key": "payment.invalid_account", "scope": "all", "effective_from": "2025-12-01", "value": "hold"}));
    c.sign_in("spr");
    c.ok("payment.run", json!({"month": "2025-12"}));
    c.ok("payment.review", json!({"month": "2025-12"}));
    let v = c.ok("payment.lock", json!({"month": "2025-12"}));
    assert_eq!(v["invalid_accounts"], json!([]));
    let held = &v["held"];
    assert_eq!(held.as_array().unwrap().len(), 1, "{held}");
    assert_eq!(held[0]["payee_name"], json!("王五"));
    assert_eq!(held[0]["why"], json!("未登记开户银行和银行账号"));
    let roster = c.dir.path().join("花名册.csv");
    let r = c.ok(
        "payment.roster",
        json!({"month": "2025-12", "path": roster.to_str().unwrap(), "encoding": "utf8_bom"}),
    );
    assert_eq!(r["rows"], json!(1), "王五 is left off the roster");
    let text = std::fs::read_to_string(&roster).unwrap();
    assert!(!text.contains("王五"), "{text}");

    // The account corrected, next month's run pays the held month again, to the new card.
    set_bank(&mut c, h, Some(("中国农业银行", "6228480402564890018")));
    c.ok("payment.run", json!({"month": "2026-01"}));
    let resent: (String, String) = c
        .s
        .connection()
        .query_row(
            "SELECT for_month, bank_account FROM payment WHERE month = '2026-01' AND kind = 'resend' AND household_id = ?1",
            [h],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(resent, ("2025-12".into(), "6228480402564890018".into()));
}

#[test]
fn centralised_tekun_is_paid_to_the_institutions_collective_account() {
    let mut c = county();
    seed_standards(&mut c, "admin");
    let e = c.err(
        "payment.set_collective_account",
        json!({"payee": "城关镇敬老院", "bank_name": "中国农业银行", "bank_account": "1601-0104"}),
    );
    assert_eq!(e.field.as_deref(), Some("bank_account"));
    let set = c.ok(
        "payment.set_collective_account",
        json!({"payee": "城关镇敬老院", "bank_name": "中国农业银行", "bank_account": "160101040012345"}),
    );
    assert_eq!(set["payee"], json!("城关镇敬老院"));
    c.ok("user.create", json!({"username": "jbr3", "display_name": "孙调查", "role": "caseworker", "area_id": c.township, "password": PASSWORD}));
    c.sign_in("jbr1");
    // An old man in the 敬老院 whose household has no bank account of its own.
    let h = add_household(
        &mut c,
        "赵老汉",
        &id("19400101", 15),
        "rural",
        "6222020000000000011",
        json!([]),
        "0",
    );
    set_bank(&mut c, h, None);
    c.sign_in("jbr1");
    let case = c.ok("case.create", json!({"household_id": h, "programme": "tekun", "support_mode": "centralised", "applied_on": "2025-10-01", "application_note": "无劳动能力、无生活来源、无法定赡养人"}))["id"].as_i64().unwrap();
    to_approval(&mut c, case);
    let v = c.ok("payment.run", json!({"month": "2025-12"}));
    assert_eq!(v["invalid_accounts"], json!([]), "paid to the institution");
    let (payee, account): (String, String) = c
        .s
        .connection()
        .query_row(
            "SELECT payee_name, bank_account FROM payment WHERE month = '2025-12' AND household_id = ?1",
            [h],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (payee.as_str(), account.as_str()),
        ("城关镇敬老院", "160101040012345")
    );
    c.ok("payment.review", json!({"month": "2025-12"}));
    c.ok("payment.lock", json!({"month": "2025-12"}));
}

/// The steps of `payments::to_notice` for a case already created, then approval on 2025-10-20.
fn to_approval(c: &mut County, case: i64) {
    let (jbr1, jbr3): (i64, i64) = {
        let id = |u: &str| -> i64 {
            c.s.connection()
                .query_row("SELECT id FROM user WHERE username = ?1", [u], |r| r.get(0))
                .unwrap()
        };
        (id("jbr1"), id("jbr3"))
    };
    act(c, "jbr1", case, "accept", json!({"date": "2025-10-01"}));
    act(
        c,
        "jbr1",
        case,
        "record_verification",
        json!({"date": "2025-10-02", "summary": "无收入、无存款"}),
    );
    act(
        c,
        "jbr1",
        case,
        "record_survey",
        json!({"date": "2025-10-02", "investigator_ids": [jbr1, jbr3], "findings": "情况属实"}),
    );
    act(
        c,
        "shr1",
        case,
        "review_township",
        json!({"date": "2025-10-03", "opinion": "同意上报"}),
    );
    act(
        c,
        "jbr1",
        case,
        "start_notice",
        json!({"date": "2025-10-04", "start": "2025-10-04"}),
    );
    act(c, "spr", case, "approve", json!({"date": "2025-11-14"}));
    c.sign_in("spr");
}

#[test]
fn a_held_payee_has_its_own_status_is_not_counted_as_paid_and_is_re_sent_as_held() {
    let mut c = county();
    let h = one_without_account(&mut c);
    c.sign_in("admin");
    c.ok("standard.set", json!({"key": "payment.invalid_account", "scope": "all", "effective_from": "2025-12-01", "value": "hold"}));
    c.sign_in("spr");
    let run = c.ok("payment.run", json!({"month": "2025-12"}));
    let all_fen = run["total_fen"].as_i64().unwrap();
    c.ok("payment.review", json!({"month": "2025-12"}));
    let v = c.ok("payment.lock", json!({"month": "2025-12"}));
    let (status, reason, held_fen): (String, Option<String>, i64) = c
        .s
        .connection()
        .query_row(
            "SELECT status, failure_reason, amount_fen FROM payment WHERE month = '2025-12' AND household_id = ?1",
            [h],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(status, "held");
    assert_eq!(reason.as_deref(), Some("未登记开户银行和银行账号"));
    // Listed as held by township, not among the failures; the month's totals leave it out.
    assert_eq!(v["held"][0]["payee_name"], json!("王五"));
    assert_eq!(v["failed"], json!([]));
    assert_eq!(v["total_fen"].as_i64().unwrap(), all_fen - held_fen);
    assert_eq!(v["payments"], json!(1));
    let held_status = v["statuses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["status"] == "held")
        .cloned()
        .unwrap_or_else(|| panic!("{}", v["statuses"]));
    assert_eq!(held_status["label"], json!("暂缓发放"));
    assert_eq!(held_status["payments"], json!(1));
    // The statistics kept at the lock count only what was paid.
    let st = c.ok("stats.month", json!({"month": "2025-12"}));
    let total =
        doudi_core::rules::money::fen_from_yuan("total", st["total_amount"].as_str().unwrap())
            .unwrap();
    assert_eq!(total, all_fen - held_fen);
    assert_eq!(st["total"]["households"], json!(1));

    // Corrected, the next run pays it as a re-send, and says it was held.
    set_bank(&mut c, h, Some(("中国农业银行", "6228480402564890018")));
    let v = c.ok("payment.run", json!({"month": "2026-01"}));
    let d = v["differences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == "resend")
        .cloned()
        .unwrap_or_else(|| panic!("{}", v["differences"]));
    assert_eq!(
        d["reason"],
        json!("暂缓后补发 2025-12 的按月发放（暂缓原因：未登记开户银行和银行账号）")
    );
}
