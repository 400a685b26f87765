//! Many desktops on one county database at once: N threads, each its own `Session` on the same
//! file with its own signed-in user, released together by a barrier. The same case step, the same
//! meeting decision, the same month's run and lock: exactly one winner, the others told
//! 「该案件已被他人办理，请刷新」 (or who is running the month) with nothing written; writes on
//! different households all succeed; afterwards the audit chain is one valid chain and its rows
//! are exactly the successes.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};
use std::thread;

use doudi_core::{call, CmdError, ErrorCode, FixedClock, Session};
use serde_json::{json, Value};

use crate::common::{county, household_input, id, today, County, PASSWORD};

const N: usize = 4;

/// Run `input(i)` as `name` in N threads at once, thread i signed in as `users[i % len]`, each on
/// its own session of the file. The results in thread order.
fn race(
    path: &Path,
    users: &[&str],
    name: &'static str,
    input: impl Fn(usize) -> Value,
) -> Vec<Result<Value, CmdError>> {
    let barrier = Arc::new(Barrier::new(N));
    let handles: Vec<_> = (0..N)
        .map(|i| {
            let (path, user, input) = (PathBuf::from(path), users[i % users.len()], input(i));
            let user = user.to_owned();
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                let mut s = Session::open(&path, Box::new(FixedClock::on(today()))).unwrap();
                call(
                    &mut s,
                    "auth.sign_in",
                    json!({"username": user, "password": PASSWORD}),
                )
                .unwrap();
                barrier.wait();
                call(&mut s, name, input)
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

/// Audit rows of changes (each racing session's sign-in writes one too).
fn audit_rows(c: &County) -> i64 {
    count(
        c,
        "SELECT count(*) FROM audit WHERE command NOT LIKE 'auth.%'",
    )
}

fn count(c: &County, sql: &str) -> i64 {
    c.s.connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The winners; every other result must be the conflict `check` accepts.
fn one_winner(results: &[Result<Value, CmdError>], check: impl Fn(&CmdError)) -> Vec<Value> {
    let mut wins = vec![];
    for r in results {
        match r {
            Ok(v) => wins.push(v.clone()),
            Err(e) => check(e),
        }
    }
    wins
}

fn moved_on(e: &CmdError) {
    assert_eq!(e.code, ErrorCode::Conflict, "{e:?}");
    assert_eq!(e.message, "该案件已被他人办理，请刷新");
    assert_eq!(e.field.as_deref(), Some("expected_version"));
}

fn chain_is_intact(c: &mut County) {
    c.sign_in("admin");
    let v = c.ok("audit.verify", json!({}));
    assert_eq!(v["intact"], true, "{v}");
    assert_eq!(
        v["rows"].as_i64(),
        Some(count(c, "SELECT count(*) FROM audit"))
    );
}

/// More staff, so each thread is its own person: caseworkers jbr4–jbr6 in the first township,
/// approvers spr2–spr4 at the county.
fn staff(c: &mut County) {
    c.sign_in("admin");
    let county_id = c.ok("area.list", json!({}))["areas"][0]["id"]
        .as_i64()
        .unwrap();
    for (n, name) in [(4, "钱经办"), (5, "孙经办"), (6, "周经办")] {
        c.add_user(json!({"username": format!("jbr{n}"), "display_name": name,
            "role": "caseworker", "area_id": c.township, "password": PASSWORD}));
    }
    for (n, name) in [(2, "吴审批"), (3, "郑审批"), (4, "冯审批")] {
        c.add_user(json!({"username": format!("spr{n}"), "display_name": name,
            "role": "approver", "area_id": county_id, "password": PASSWORD}));
    }
}

const CASEWORKERS: [&str; 4] = ["jbr1", "jbr4", "jbr5", "jbr6"];
const APPROVERS: [&str; 4] = ["spr", "spr2", "spr3", "spr4"];

fn household(c: &mut County, head: &str, seq: u32) -> i64 {
    c.sign_in("jbr1");
    c.ok(
        "household.create",
        household_input(c, head, &id("19700101", seq)),
    )["household"]["id"]
        .as_i64()
        .unwrap()
}

#[test]
fn the_same_case_step_has_one_winner_with_or_without_the_version() {
    let mut c = county();
    staff(&mut c);
    for (seq, send_version) in [(11, true), (13, false)] {
        let h = household(&mut c, "张三", seq);
        let v = c.ok(
            "case.create",
            json!({"household_id": h, "programme": "dibao", "application_note": "生活困难"}),
        );
        let (case, version) = (v["id"].as_i64().unwrap(), v["version"].as_i64().unwrap());
        let before = audit_rows(&c);
        let results = race(&c.path(), &CASEWORKERS, "case.act", |_| {
            let mut input = json!({"case_id": case, "action": "accept"});
            if send_version {
                input["expected_version"] = json!(version);
            }
            input
        });
        let wins = one_winner(&results, moved_on);
        assert_eq!(wins.len(), 1, "{results:?}");
        assert_eq!(wins[0]["state"], "accepted");
        assert_eq!(wins[0]["version"].as_i64(), Some(version + 1));
        // One step, one audit row: the losers wrote nothing.
        let sql =
            format!("SELECT count(*) FROM case_step WHERE case_id = {case} AND action = 'accept'");
        assert_eq!(count(&c, &sql), 1);
        assert_eq!(audit_rows(&c), before + 1);
    }
    // A page showing an old version is refused and changes nothing, even for a step the case
    // could take now.
    let case = count(&c, "SELECT max(id) FROM aid_case");
    c.sign_in("jbr1");
    let before = audit_rows(&c);
    let e = c.err(
        "case.act",
        json!({"case_id": case, "action": "record_verification", "summary": "无车辆", "expected_version": 1}),
    );
    moved_on(&e);
    assert_eq!(audit_rows(&c), before);
    chain_is_intact(&mut c);
}

#[test]
fn the_same_temp_aid_and_deliberation_step_has_one_winner() {
    let mut c = county();
    staff(&mut c);
    crate::common::seed_standards(&mut c, "jbr1");
    let h = household(&mut c, "张三", 11);
    // 临时救助: the caseworkers all accept at once, sending the version their page showed.
    let v = c.ok(
        "temp_aid.create",
        json!({"household_id": h, "kind": "emergency", "cause": "fire", "description": "家中失火"}),
    );
    let (case, version) = (v["id"].as_i64().unwrap(), v["version"].as_i64().unwrap());
    let before = audit_rows(&c);
    let results = race(
        &c.path(),
        &CASEWORKERS,
        "temp_aid.act",
        |_| json!({"case_id": case, "action": "accept", "expected_version": version}),
    );
    let wins = one_winner(&results, moved_on);
    assert_eq!(wins.len(), 1, "{results:?}");
    assert_eq!(wins[0]["version"].as_i64(), Some(version + 1));
    assert_eq!(audit_rows(&c), before + 1);
    // 一事一议: the county approvers all review at once, without a version: the ones after the
    // first find the case reviewed by someone else.
    c.sign_in("jbr1");
    let filed = c.ok(
        "deliberation.file",
        json!({"household_id": h, "family_situation": "户主患尿毒症", "special_matter": "自付医疗费超过 8 万元",
            "received": [], "proposed_amount": "20000", "proposed_measures": "一次性救助 2 万元",
            "reporting_unit": "城关镇人民政府", "township_opinion": "情况属实"}),
    );
    let case = filed["id"].as_i64().unwrap();
    let before = audit_rows(&c);
    let results = race(
        &c.path(),
        &APPROVERS,
        "deliberation.act",
        |_| json!({"id": case, "action": "review", "opinion": "提请协调会议研究"}),
    );
    let wins = one_winner(&results, moved_on);
    assert_eq!(wins.len(), 1, "{results:?}");
    assert_eq!(wins[0]["state"], "reviewed");
    assert_eq!(audit_rows(&c), before + 1);
    chain_is_intact(&mut c);
}

#[test]
fn the_same_meeting_decision_has_one_winner() {
    let mut c = county();
    staff(&mut c);
    let h = household(&mut c, "张三", 11);
    c.sign_in("jbr1");
    let filed = c.ok(
        "deliberation.file",
        json!({"household_id": h, "family_situation": "户主患尿毒症", "special_matter": "自付医疗费超过 8 万元",
            "received": [], "proposed_amount": "20000", "proposed_measures": "一次性救助 2 万元",
            "reporting_unit": "城关镇人民政府", "township_opinion": "情况属实"}),
    );
    let case = filed["id"].as_i64().unwrap();
    c.sign_in("spr");
    c.ok(
        "deliberation.act",
        json!({"id": case, "action": "review", "opinion": "提请协调会议研究"}),
    );
    let m = c.ok(
        "meeting.create",
        json!({"held_on": "2026-11-05", "place": "县民政局", "chair": "副县长", "recorder": "陈审批"}),
    );
    let mid = m["id"].as_i64().unwrap();
    c.ok(
        "meeting.add_item",
        json!({"meeting_id": mid, "case_id": case}),
    );
    for unit in ["民政局", "财政局", "人社局", "卫健委", "医保局", "教育局"] {
        c.ok(
            "meeting.attendance",
            json!({"meeting_id": mid, "unit": unit, "status": "present"}),
        );
    }
    let version = c.ok("meeting.get", json!({"id": mid}))["version"]
        .as_i64()
        .unwrap();
    let before = audit_rows(&c);
    // Half the approvers send the version their page showed, half do not.
    let results = race(&c.path(), &APPROVERS, "meeting.decide", |i| {
        let mut input = json!({"meeting_id": mid, "case_id": case, "decision": "reject",
            "minutes": "经研究，不予救助。", "reasons": "已纳入医疗救助"});
        if i % 2 == 0 {
            input["expected_version"] = json!(version);
        }
        input
    });
    let wins = one_winner(&results, moved_on);
    assert_eq!(wins.len(), 1, "{results:?}");
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM meeting_item WHERE decision = 'reject'"
        ),
        1
    );
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM deliberation_step WHERE action = 'decide'"
        ),
        1
    );
    assert_eq!(audit_rows(&c), before + 1);
    // The meeting moved on: closing it with the version shown before the decision is refused.
    let e = c.err(
        "meeting.close",
        json!({"id": mid, "expected_version": version}),
    );
    moved_on(&e);
    chain_is_intact(&mut c);
}

#[test]
fn a_months_run_and_lock_are_exclusive_and_other_households_keep_working() {
    let mut c = county();
    crate::payments::enrolled_household(&mut c);
    staff(&mut c);
    // Independent writes on different households all succeed.
    let households: Vec<i64> = (0..N as u32)
        .map(|n| household(&mut c, "李四", 31 + 2 * n))
        .collect();
    let before = audit_rows(&c);
    let inputs: Vec<Value> = households
        .iter()
        .enumerate()
        .map(|(i, h)| {
            json!({"id": h, "village_id": c.village, "group_id": c.group, "address": "李庄村三组 14 号",
                "hukou": "rural", "phone": format!("1390000000{i}"), "bank_name": "农村信用社",
                "bank_account": "6222021234567890123"})
        })
        .collect();
    let results = race(&c.path(), &CASEWORKERS, "household.update", |i| {
        inputs[i].clone()
    });
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(audit_rows(&c), before + N as i64);
    for (i, h) in households.iter().enumerate() {
        let phone: String =
            c.s.connection()
                .query_row("SELECT phone FROM household WHERE id = ?1", [h], |r| {
                    r.get(0)
                })
                .unwrap();
        assert_eq!(phone, format!("1390000000{i}"));
    }

    // The month's run: a second desktop is told who is running it, or runs after it (adding
    // nothing); never a payment twice.
    let running = |e: &CmdError| {
        assert_eq!(e.code, ErrorCode::Conflict, "{e:?}");
        assert_eq!(e.field.as_deref(), Some("month"));
        assert!(
            e.message
                .starts_with("2026-11 的月度发放（执行或锁定）正由"),
            "{}",
            e.message
        );
        assert!(e.message.contains("办理中"), "{}", e.message);
    };
    let before = audit_rows(&c);
    let results = race(
        &c.path(),
        &APPROVERS,
        "payment.run",
        |_| json!({"month": "2026-11"}),
    );
    let wins = one_winner(&results, running);
    assert!(!wins.is_empty(), "{results:?}");
    let added: i64 = wins.iter().map(|v| v["added"].as_i64().unwrap()).sum();
    assert_eq!(
        added,
        count(&c, "SELECT count(*) FROM payment WHERE month = '2026-11'")
    );
    assert!(added > 0);
    assert_eq!(audit_rows(&c), before + wins.len() as i64);
    assert_eq!(
        count(&c, "SELECT count(*) FROM job_claim"),
        0,
        "every claim is given back"
    );

    c.sign_in("spr");
    c.ok("payment.review", json!({"month": "2026-11"}));
    let before = audit_rows(&c);
    let results = race(
        &c.path(),
        &APPROVERS,
        "payment.lock",
        |_| json!({"month": "2026-11"}),
    );
    let (wins, losses): (Vec<_>, Vec<_>) = results.iter().partition(|r| r.is_ok());
    assert_eq!(wins.len(), 1, "{results:?}");
    for e in losses {
        let e = e.as_ref().unwrap_err();
        assert_eq!(e.field.as_deref(), Some("month"), "{e:?}");
    }
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM payment_run WHERE month = '2026-11' AND state = 'locked'"
        ),
        1
    );
    assert_eq!(audit_rows(&c), before + 1);
    chain_is_intact(&mut c);
}

#[test]
fn a_month_being_run_elsewhere_is_refused_at_once_naming_who() {
    let mut c = county();
    crate::payments::enrolled_household(&mut c);
    let spr: i64 = count(&c, "SELECT id FROM user WHERE username = 'spr'");
    c.sign_in("admin");
    // Another desktop (陈审批) is running 2026-11: it holds the claim and the write lock.
    let other = rusqlite::Connection::open(c.path()).unwrap();
    other
        .execute(
            "INSERT INTO job_claim (job, user_id, started_at) VALUES ('payment:2026-11', ?1, '2026-11-23 09:00:00')",
            [spr],
        )
        .unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = std::time::Instant::now();
    let e = c.err("payment.lock", json!({"month": "2026-11"}));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "refused at once"
    );
    assert_eq!(e.code, ErrorCode::Conflict);
    assert_eq!(e.field.as_deref(), Some("month"));
    assert_eq!(
        e.message,
        "2026-11 的月度发放（执行或锁定）正由陈审批办理中（2026-11-23 09:00:00 开始），请等其完成后再试"
    );
    // That desktop died: its claim, holding no lock, is taken over and the run goes ahead.
    other.execute_batch("COMMIT").unwrap();
    drop(other);
    let v = c.ok("payment.run", json!({"month": "2026-11"}));
    assert!(v["added"].as_i64().unwrap() > 0);
    assert_eq!(count(&c, "SELECT count(*) FROM job_claim"), 0);
}
