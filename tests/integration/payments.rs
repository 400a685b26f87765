//! 月度发放: a year of monthly runs on a small county — starts, a late approval with back pay, a
//! change, an exit, a 渐退期, a price-subsidy month, a one-time subsidy, a failed bank payment and
//! its re-send, an adjustment — checking every month that the roster read back with calamine, the
//! payment rows and payment.get agree; and the refusals: locking unreviewed differences, changing
//! a locked month, a bank return that does not match the roster.

use calamine::{open_workbook, Data, Reader, Xlsx};
use serde_json::{json, Value};

use crate::common::{county, household_input, id, seed_standards, County, PASSWORD};

fn fen(v: &Value) -> i64 {
    let t = v.as_str().unwrap();
    let (y, f) = t.split_once('.').unwrap();
    y.parse::<i64>().unwrap() * 100
        + f.parse::<i64>().unwrap() * if y.starts_with('-') { -1 } else { 1 }
}

pub fn add_household(
    c: &mut County,
    head: &str,
    idn: &str,
    hukou: &str,
    account: &str,
    members: Value,
    income: &str,
) -> i64 {
    let mut input = household_input(c, head, idn);
    input["hukou"] = json!(hukou);
    input["bank_account"] = json!(account);
    input["members"] = members;
    let v = c.ok("household.create", input);
    let h = v["household"]["id"].as_i64().unwrap();
    let pid = v["members"][0]["person_id"].as_i64().unwrap();
    c.ok("finances.set", json!({"household_id": h, "incomes": [{"person_id": pid, "kind": "other", "period": "monthly", "amount": income}]}));
    h
}

fn user_id(c: &mut County, username: &str) -> i64 {
    c.s.connection()
        .query_row("SELECT id FROM user WHERE username = ?1", [username], |r| {
            r.get(0)
        })
        .unwrap()
}

pub fn act(c: &mut County, who: &str, case: i64, action: &str, extra: Value) -> Value {
    c.sign_in(who);
    let mut input = json!({"case_id": case, "action": action});
    for (k, v) in extra.as_object().unwrap() {
        input[k] = v.clone();
    }
    c.ok("case.act", input)
}

/// A 低保 case taken to the end of its notice, steps dated from `d` (YYYY-MM-DD, day ≤ 10).
pub fn to_notice(c: &mut County, h: i64, ym: &str, d: u32) -> i64 {
    let day = |n: u32| format!("{ym}-{:02}", d + n);
    c.sign_in("jbr1");
    let case = c.ok("case.create", json!({"household_id": h, "programme": "dibao", "applied_on": day(0), "application_note": "生活困难"}))["id"].as_i64().unwrap();
    let (jbr1, jbr3) = (user_id(c, "jbr1"), user_id(c, "jbr3"));
    act(c, "jbr1", case, "accept", json!({"date": day(0)}));
    act(
        c,
        "jbr1",
        case,
        "record_verification",
        json!({"date": day(1), "summary": "无车辆、无存款"}),
    );
    act(
        c,
        "jbr1",
        case,
        "record_survey",
        json!({"date": day(1), "investigator_ids": [jbr1, jbr3], "findings": "情况属实"}),
    );
    act(
        c,
        "shr1",
        case,
        "review_township",
        json!({"date": day(2), "opinion": "同意上报"}),
    );
    act(
        c,
        "jbr1",
        case,
        "start_notice",
        json!({"date": day(3), "start": day(3)}),
    );
    case
}

/// Standards seeded, and a household of two (张三 and 李梅) on 低保: approved 2025-11-12, paid
/// from 2025-12. Returns the household.
pub fn enrolled_household(c: &mut County) -> i64 {
    seed_standards(c, "admin");
    c.add_user(json!({"username": "jbr3", "display_name": "孙调查", "role": "caseworker", "area_id": c.township, "password": PASSWORD}));
    c.sign_in("jbr1");
    let h = add_household(
        c,
        "张三",
        &id("19700101", 11),
        "rural",
        "6222020000000000011",
        json!([{"relation": "spouse", "name": "李梅", "id_number": id("19720305", 22)}]),
        "300",
    );
    let case = to_notice(c, h, "2025-10", 1);
    act(c, "spr", case, "approve", json!({"date": "2025-11-12"}));
    h
}

fn pay_sum(c: &County, month: &str) -> i64 {
    c.s.connection()
        .query_row(
            "SELECT coalesce(sum(amount_fen), 0) FROM payment WHERE month = ?1",
            [month],
            |r| r.get(0),
        )
        .unwrap()
}

fn count(c: &County, sql: &str) -> i64 {
    c.s.connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The roster's amount column summed, and its rows, read back from the xlsx.
fn roster_total(path: &std::path::Path) -> (i64, usize, Vec<Vec<String>>) {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let range = book.worksheet_range("发放花名册").unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .skip(2)
        .filter(|r| !matches!(&r[0], Data::String(t) if t.starts_with("合计")))
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let total = range
        .rows()
        .skip(2)
        .filter(|r| matches!(r[0], Data::Float(_) | Data::Int(_)))
        .map(|r| match r[14] {
            Data::Float(f) => (f * 100.0).round() as i64,
            _ => panic!("amount is a number"),
        })
        .sum();
    // IDs and accounts are text cells, not numbers.
    for r in range
        .rows()
        .skip(2)
        .filter(|r| matches!(r[0], Data::Float(_)))
    {
        assert!(
            matches!(r[5], Data::String(_)) && matches!(r[9], Data::String(_)),
            "{r:?}"
        );
    }
    (total, rows.len(), rows)
}

/// A bank return CSV for a month: every payment succeeds except those to `fail_account`.
fn bank_return(c: &County, month: &str, fail_account: Option<&str>, path: &std::path::Path) {
    let mut stmt = c
        .s
        .connection()
        .prepare(
            "SELECT bank_account, payee_name, amount_fen FROM payment WHERE month = ?1 ORDER BY id",
        )
        .unwrap();
    let rows: Vec<(String, String, i64)> = stmt
        .query_map([month], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut text = "银行账号,户名,金额,结果,失败原因\r\n".to_owned();
    for (acct, name, f) in rows {
        let failed = Some(acct.as_str()) == fail_account;
        text.push_str(&format!(
            "{acct},{name},{}.{:02},{},{}\r\n",
            f / 100,
            f % 100,
            if failed { "失败" } else { "成功" },
            if failed { "账户已销户" } else { "" }
        ));
    }
    std::fs::write(path, encoding_rs::GB18030.encode(&text).0).unwrap();
}

#[test]
fn a_year_of_monthly_runs() {
    let mut c = county();
    seed_standards(&mut c, "admin");
    c.add_user(json!({"username": "jbr3", "display_name": "孙调查", "role": "caseworker", "area_id": c.township, "password": PASSWORD}));
    c.sign_in("jbr1");
    let h1 = add_household(
        &mut c,
        "张三",
        &id("19700101", 11),
        "rural",
        "6222020000000000011",
        json!([{"relation": "spouse", "name": "李梅", "id_number": id("19720305", 22)}, {"relation": "child", "name": "张小宝", "id_number": id("20030601", 33)}]),
        "1000",
    );
    let h2 = add_household(
        &mut c,
        "王𠇔",
        &id("19550101", 41),
        "rural",
        "6222020000000000022",
        json!([]),
        "0",
    );
    let h3 = add_household(
        &mut c,
        "刘城",
        &id("19800202", 51),
        "urban",
        "6222020000000000033",
        json!([]),
        "200",
    );
    let case1 = to_notice(&mut c, h1, "2025-10", 1);
    act(
        &mut c,
        "spr",
        case1,
        "approve",
        json!({"date": "2025-11-12"}),
    );
    let case3 = to_notice(&mut c, h3, "2025-10", 5);
    act(
        &mut c,
        "spr",
        case3,
        "approve",
        json!({"date": "2025-11-14"}),
    );
    let case2 = to_notice(&mut c, h2, "2026-02", 2);

    let dir = c.dir.path().to_owned();
    let months = [
        "2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07",
        "2026-08", "2026-09", "2026-10", "2026-11",
    ];
    let mut totals = vec![];
    for month in months {
        match month {
            "2026-04" => {
                // Income falls in March: a change from April.
                c.sign_in("jbr1");
                let head = c.ok("household.get", json!({"id": h1}))["members"][0]["person_id"]
                    .as_i64()
                    .unwrap();
                c.ok("finances.set", json!({"household_id": h1, "incomes": [{"person_id": head, "kind": "other", "period": "monthly", "amount": "500"}]}));
                act(
                    &mut c,
                    "jbr1",
                    case1,
                    "record_change",
                    json!({"date": "2026-03-10", "summary": "丈夫停止零工，收入减少"}),
                );
            }
            // The approval of 王𠇔 is entered late: paid from March, back pay in May.
            "2026-05" => {
                act(
                    &mut c,
                    "spr",
                    case2,
                    "approve",
                    json!({"date": "2026-02-25"}),
                );
            }
            "2026-06" => {
                act(
                    &mut c,
                    "spr",
                    case3,
                    "exit",
                    json!({"date": "2026-05-15", "reason": "work_income", "grace_months": 0, "note": "就业，收入超过标准"}),
                );
                c.sign_in("admin");
                c.ok(
                    "payment.batch_grant",
                    json!({"month": "2026-06", "kind": "price_subsidy", "cpi_rise": "3.6"}),
                );
            }
            "2026-07" => {
                act(
                    &mut c,
                    "spr",
                    case1,
                    "exit",
                    json!({"date": "2026-07-05", "reason": "voluntary", "grace_months": 2, "note": "外出务工，主动申请退出"}),
                );
            }
            "2026-09" => {
                c.sign_in("admin");
                c.ok(
                    "payment.batch_grant",
                    json!({"month": "2026-09", "kind": "one_time", "for": "all"}),
                );
            }
            _ => {}
        }
        c.sign_in("spr");
        let v = c.ok("payment.run", json!({"month": month}));
        // Running twice pays nothing twice.
        let again = c.ok("payment.run", json!({"month": month}));
        assert_eq!(again["added"], 0, "{month}");
        assert_eq!(again["total"], v["total"], "{month}");
        if month == "2026-05" {
            crate::back_pay::confirm_as_second(
                &mut c,
                month,
                case2,
                "纸质审批表 2026-02-25 已签，录入迟延",
            );
        }
        if month == "2026-10" {
            // An adjustment to the run month is a difference to review.
            c.ok("payment.adjust", json!({"case_id": case2, "month": "2026-10", "amount": "20", "reason": "2026-05 补发少算 20 元"}));
        }
        let unreviewed = c.ok("payment.get", json!({"month": month}))["unreviewed"]
            .as_u64()
            .unwrap();
        if unreviewed > 0 {
            let e = c.err("payment.lock", json!({"month": month}));
            assert!(
                e.message
                    .contains(&format!("尚有 {unreviewed} 条变化未审核")),
                "{}",
                e.message
            );
            assert_eq!(
                c.ok("payment.get", json!({"month": month}))["run"]["state"],
                "open"
            );
            c.ok("payment.review", json!({"month": month}));
        }
        // The statistics before the lock are built from the payments; the lock keeps them as
        // they are, and only the state label changes.
        let mut before = c.ok("stats.month", json!({"month": month}));
        assert_eq!(before["state_label"], "未锁定，数据以锁定后为准");
        c.ok("payment.lock", json!({"month": month}));
        let mut kept = c.ok("stats.month", json!({"month": month}));
        assert_eq!(kept["state_label"], "已锁定");
        before["state_label"] = Value::Null;
        kept["state_label"] = Value::Null;
        assert_eq!(
            before, kept,
            "{month}: the kept statistics are the ones built at the lock"
        );
        let xlsx = dir.join(format!("花名册-{month}.xlsx"));
        let r = c.ok(
            "payment.roster",
            json!({"month": month, "path": xlsx.to_str().unwrap()}),
        );
        let got = c.ok("payment.get", json!({"month": month}));
        let (roster, lines, _) = roster_total(&xlsx);
        assert_eq!(roster, pay_sum(&c, month), "{month}: roster = payment rows");
        assert_eq!(fen(&got["total"]), roster, "{month}: payment.get = roster");
        let by_township: i64 = got["totals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| fen(&t["amount"]))
            .sum();
        assert_eq!(by_township, roster, "{month}: totals by township add up");
        assert_eq!(lines as u64, r["rows"].as_u64().unwrap());
        let report = crate::stats::check_month(&mut c, month, roster, &dir);
        if month == "2026-06" {
            // The PDF of the price-subsidy month: the township, the total, the chart's months.
            let pdf = dir.join("统计-2026-06.pdf");
            c.ok(
                "stats.export",
                json!({"month": month, "path": pdf.to_str().unwrap()}),
            );
            let text = crate::common::pdf_text(&pdf);
            assert!(
                text.contains(report["lines"][0]["township_name"].as_str().unwrap()),
                "{text}"
            );
            assert!(
                text.contains(report["total_amount"].as_str().unwrap()),
                "{text}"
            );
            assert!(
                text.contains("价格临时补贴") && text.contains("25.12") && text.contains("26.06"),
                "{text}"
            );
            let price = &report["split"][1]["amount"];
            assert_eq!(crate::stats::fen(price), count(&c, "SELECT sum(amount_fen) FROM payment WHERE kind = 'price_subsidy' AND month = '2026-06'"));
        }
        totals.push((month, roster, got));
        let ret = dir.join(format!("回盘-{month}.csv"));
        bank_return(
            &c,
            month,
            (month == "2026-08").then_some("6222020000000000011"),
            &ret,
        );
        c.ok(
            "payment.bank_return",
            json!({"month": month, "path": ret.to_str().unwrap()}),
        );
    }
    let m = |month: &str| totals.iter().find(|t| t.0 == month).unwrap();
    let diffs = |month: &str| m(month).2["differences"].as_array().unwrap().clone();
    let kinds = |month: &str| {
        diffs(month)
            .iter()
            .map(|d| d["kind"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    // December: both enrolled cases are new.
    assert_eq!(kinds("2025-12"), ["new", "new"]);
    assert!(diffs("2025-12")[0]["reason"]
        .as_str()
        .unwrap()
        .contains("审批同意"));
    // January: nothing changed.
    assert!(kinds("2026-01").is_empty());
    // April: the change, with its reason from the timeline.
    let d = &diffs("2026-04")[0];
    assert_eq!(d["kind"], "changed");
    assert!(
        d["reason"].as_str().unwrap().contains("丈夫停止零工"),
        "{d}"
    );
    assert_eq!(fen(&d["new"]) - fen(&d["old"]), 50_000);
    // May: 王𠇔's approval entered late: new, March and April held, confirmed, then paid.
    assert!(
        kinds("2026-05").contains(&"new".to_owned())
            && kinds("2026-05").contains(&"back_pay".to_owned())
    );
    let back: i64 = count(&c, "SELECT count(*) FROM payment WHERE kind = 'back_pay'");
    assert_eq!(back, 2);
    // June: 刘城 stopped after the exit, and the price subsidy paid to the two others.
    let d = diffs("2026-06")
        .into_iter()
        .find(|d| d["kind"] == "stopped")
        .unwrap();
    assert!(
        d["reason"].as_str().unwrap().contains("就业后收入超过标准"),
        "{d}"
    );
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM payment WHERE kind = 'price_subsidy' AND month = '2026-06'"
        ),
        2
    );
    // 张三's family keeps its amount through the 渐退期 (to September), stopped in October.
    assert_eq!(count(&c, &format!("SELECT count(*) FROM payment WHERE kind = 'regular' AND case_id = {case1} AND month = '2026-09'")), 1);
    let d = diffs("2026-10")
        .into_iter()
        .find(|d| d["kind"] == "stopped")
        .unwrap();
    assert!(d["reason"].as_str().unwrap().contains("渐退期结束"), "{d}");
    assert!(kinds("2026-10").contains(&"adjustment".to_owned()));
    // One-time subsidy in September: 3 persons of 张三 and 1 of 王𠇔 at 120 yuan.
    let one_time: i64 = count(
        &c,
        "SELECT sum(amount_fen) FROM payment WHERE kind = 'one_time'",
    );
    assert_eq!(one_time, 4 * 12_000);
    // The failed August payment: marked failed, re-sent in September.
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM payment WHERE month = '2026-08' AND status = 'failed'"
        ),
        1
    );
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM payment WHERE month = '2026-09' AND kind = 'resend'"
        ),
        1
    );
    assert!(kinds("2026-09").contains(&"resend".to_owned()));
    // The year's spending adds up.
    let year: i64 = totals.iter().map(|t| t.1).sum();
    assert_eq!(year, count(&c, "SELECT sum(amount_fen) FROM payment"));

    // A locked month is immutable.
    let e = c.err("payment.run", json!({"month": "2026-11"}));
    assert!(e.message.contains("已锁定"), "{}", e.message);
    let e = c.err(
        "payment.adjust",
        json!({"case_id": case2, "month": "2026-11", "amount": "10", "reason": "x"}),
    );
    assert_eq!(e.field.as_deref(), Some("month"));
    assert!(c
        .s
        .connection()
        .execute(
            "UPDATE payment SET amount_fen = 1 WHERE month = '2026-11'",
            []
        )
        .is_err());
    assert!(c
        .s
        .connection()
        .execute("DELETE FROM payment WHERE month = '2026-11'", [])
        .is_err());

    // A bank return with a wrong amount is refused whole.
    c.ok("payment.run", json!({"month": "2026-12"}));
    c.ok("payment.review", json!({"month": "2026-12"}));
    c.ok("payment.lock", json!({"month": "2026-12"}));
    let csv = dir.join("花名册-2026-12.csv");
    c.ok(
        "payment.roster",
        json!({"month": "2026-12", "path": csv.to_str().unwrap(), "format": "csv"}),
    );
    let bytes = std::fs::read(&csv).unwrap();
    let (text, _, malformed) = encoding_rs::GB18030.decode(&bytes);
    assert!(
        !malformed && text.contains("王𠇔") && !text.contains("&#"),
        "rare character survives GB18030"
    );
    assert!(!bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
    let ret = dir.join("回盘-bad.csv");
    bank_return(&c, "2026-12", None, &ret);
    let good = std::fs::read(&ret).unwrap();
    let text = encoding_rs::GB18030.decode(&good).0.into_owned();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let amount = lines[1].split(',').nth(2).unwrap().to_owned();
    lines[1] = lines[1].replacen(&amount, "999.00", 1);
    lines.push("6222029999999999999,某某,10.00,成功,".into());
    std::fs::write(&ret, encoding_rs::GB18030.encode(&lines.join("\r\n")).0).unwrap();
    let audit = c.counts().2;
    let e = c.err(
        "payment.bank_return",
        json!({"month": "2026-12", "path": ret.to_str().unwrap()}),
    );
    assert!(
        e.message.contains("第 2 行“金额”列") && e.message.contains("第 3 行“银行账号”列"),
        "{}",
        e.message
    );
    assert_eq!(c.counts().2, audit, "nothing written");
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM payment WHERE month = '2026-12' AND status <> 'sent'"
        ),
        0
    );
}

#[test]
fn run_refusals() {
    let mut c = county();
    c.sign_in("spr");
    let e = c.err("payment.run", json!({"month": "2026-03"}));
    assert_eq!(e.field.as_deref(), Some("standards"));
    assert!(
        e.message.contains("没有 2026-03-01 起生效的农村低保标准"),
        "{}",
        e.message
    );
    seed_standards(&mut c, "spr");
    c.ok("payment.run", json!({"month": "2026-03"}));
    let e = c.err("payment.run", json!({"month": "2026-04"}));
    assert!(
        e.message.contains("2026-03 的发放尚未锁定"),
        "{}",
        e.message
    );
    c.sign_in("jbr1");
    let e = c.err("payment.run", json!({"month": "2026-03"}));
    assert_eq!(e.code, doudi_core::ErrorCode::Forbidden);
    c.sign_in("spr");
    let e = c.err(
        "payment.roster",
        json!({"month": "2026-03", "path": c.dir.path().join("a.xlsx").to_str().unwrap()}),
    );
    assert!(e.message.contains("尚未锁定"), "{}", e.message);
    // A file name that is neither .xlsx nor .csv is named as the path the user typed.
    let e = c.err(
        "payment.roster",
        json!({"month": "2026-03", "path": c.dir.path().join("a.txt").to_str().unwrap()}),
    );
    assert_eq!(e.field.as_deref(), Some("path"));
    assert_eq!(e.message, "花名册文件名应以 .xlsx（Excel）或 .csv 结尾");
    let e = c.err(
        "payment.batch_grant",
        json!({"month": "2026-03", "kind": "one_time", "for": "everyone"}),
    );
    assert_eq!(e.field.as_deref(), Some("for"));
}
