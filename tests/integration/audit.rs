//! Every change leaves a chained audit row; editing or deleting one is detected.

use doudi_core::{call, FixedClock, Session};
use serde_json::json;

use crate::common::{county, household_input, id, today, PASSWORD};

#[test]
fn changes_are_audited_with_user_and_before_after() {
    let mut c = county();
    let v = c.ok(
        "household.create",
        household_input(&c, "张三", &id("19700101", 11)),
    );
    let h = v["household"]["id"].as_i64().unwrap();
    let mut input = household_input(&c, "张三", &id("19700101", 11));
    input["id"] = json!(h);
    input["phone"] = json!("13900000000");
    input.as_object_mut().unwrap().remove("head");
    c.ok("household.update", input);
    let rows = c.ok("audit.list", json!({"entity": "household", "entity_id": h}))["rows"].clone();
    let rows = rows.as_array().unwrap();
    // Newest first: the update, then the creation of the household, its head and membership.
    let commands: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["command"].as_str().unwrap(),
                r["entity"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        commands,
        [
            ("household.update", "household"),
            ("household.create", "membership"),
            ("household.create", "person"),
            ("household.create", "household"),
        ]
    );
    assert_eq!(rows[0]["user_name"], "jbr1");
    assert_eq!(rows[0]["before"]["phone"], "13812345678");
    assert_eq!(rows[0]["after"]["phone"], "13900000000");
    assert_eq!(rows[0]["at"], "2026-11-23 09:00:00");
}

fn verify(path: &std::path::Path) -> serde_json::Value {
    let mut s = Session::open(path, Box::new(FixedClock::on(today()))).unwrap();
    call(
        &mut s,
        "auth.sign_in",
        json!({"username": "admin", "password": PASSWORD}),
    )
    .unwrap();
    call(&mut s, "audit.verify", json!({})).unwrap()
}

#[test]
fn audit_rows_cannot_be_changed_through_sql() {
    let c = county();
    let conn = rusqlite::Connection::open(c.path()).unwrap();
    let e = conn
        .execute("UPDATE audit SET user_name = 'x' WHERE id = 1", [])
        .unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    let e = conn
        .execute("DELETE FROM audit WHERE id = 1", [])
        .unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
}

/// A county with a household, closed; then `sql` run on its file as an attacker would (dropping
/// the append-only trigger first); then `audit verify`. Returns (verdict before, verdict after).
fn tamper(sql: &str) -> (serde_json::Value, serde_json::Value) {
    let mut c = county();
    c.ok(
        "household.create",
        household_input(&c, "张三", &id("19700101", 11)),
    );
    let crate::common::County { dir, s, .. } = c;
    drop(s);
    let path = dir.path().join("county.sqlite");
    let before = verify(&path);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(sql)
        .unwrap();
    (before, verify(&path))
}

#[test]
fn audit_verify_finds_an_edited_row() {
    let (before, v) = tamper(
        "DROP TRIGGER audit_no_update; UPDATE audit SET user_name = 'someone' WHERE id = 5;",
    );
    assert_eq!(before["intact"], true, "{before}");
    assert!(before["rows"].as_i64().unwrap() > 10);
    assert_eq!(v["intact"], false);
    assert_eq!(v["broken_at"], 5);
    assert!(v["message"].as_str().unwrap().contains("已被改动"));
}

#[test]
fn audit_verify_finds_a_deleted_row() {
    let (_, v) = tamper("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 7;");
    assert_eq!(v["intact"], false);
    assert_eq!(v["broken_at"], 8);
    assert!(v["message"].as_str().unwrap().contains("被删除"));
}
