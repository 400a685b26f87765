//! Sign-in, roles and the township scope.

use doudi_core::ErrorCode;
use serde_json::json;

use crate::common::{county, household_input, id, PASSWORD};

#[test]
fn setup_happens_once() {
    let mut c = county();
    let e = c.err(
        "auth.setup",
        json!({"county_name": "别县", "county_code": "410123", "username": "x2", "display_name": "某人", "password": PASSWORD}),
    );
    assert_eq!(e.code, ErrorCode::Forbidden);
}

#[test]
fn wrong_password_is_refused_and_recorded() {
    let mut c = county();
    c.ok("auth.sign_out", json!({}));
    let (_, _, audit_before) = c.counts();
    let e = c.err(
        "auth.sign_in",
        json!({"username": "jbr1", "password": "nope-nope"}),
    );
    assert_eq!(e.code, ErrorCode::Unauthenticated);
    assert_eq!(e.message, "用户名或密码不正确");
    assert_eq!(
        c.counts().2,
        audit_before + 1,
        "a failed sign-in is on the audit trail"
    );
    let e = c.err("household.search", json!({}));
    assert_eq!(e.code, ErrorCode::Unauthenticated);
}

#[test]
fn roles_are_enforced_by_the_commands() {
    let mut c = county();
    // A caseworker cannot manage users.
    let e = c.err("user.list", json!({}));
    assert_eq!(e.code, ErrorCode::Forbidden);
    assert!(e.message.contains("管理员"), "{}", e.message);
    // A member-unit representative cannot read the registry.
    c.sign_in("cydw");
    assert_eq!(
        c.err("household.search", json!({})).code,
        ErrorCode::Forbidden
    );
    // A county approver reads but does not edit.
    c.sign_in("spr");
    c.ok("household.search", json!({}));
    let input = household_input(&c, "张三", &id("19700101", 11));
    assert_eq!(c.err("household.create", input).code, ErrorCode::Forbidden);
}

#[test]
fn township_staff_see_only_their_township() {
    let mut c = county();
    let h = c.ok(
        "household.create",
        household_input(&c, "张三", &id("19700101", 11)),
    );
    let hid = h["household"]["id"].as_i64().unwrap();
    c.sign_in("jbr2");
    let e = c.err("household.get", json!({"id": hid}));
    assert_eq!(e.code, ErrorCode::Forbidden);
    assert!(e.message.contains("城关镇"), "{}", e.message);
    assert_eq!(c.ok("household.search", json!({"q": "张三"}))["total"], 0);
    // Nor may they register a household in another township's village.
    let e = c.err(
        "household.create",
        household_input(&c, "李四", &id("19700101", 31)),
    );
    assert_eq!(e.code, ErrorCode::Forbidden);
}

#[test]
fn user_rules() {
    let mut c = county();
    c.sign_in("admin");
    let township = c.township;
    let county_id = c.ok("area.list", json!({}))["areas"][0]["id"]
        .as_i64()
        .unwrap();
    let cases = [
        (
            json!({"username": "a b", "display_name": "某人", "role": "caseworker", "area_id": township, "password": PASSWORD}),
            "username",
            "用户名应为",
        ),
        (
            json!({"username": "jbr1", "display_name": "某人", "role": "caseworker", "area_id": township, "password": PASSWORD}),
            "username",
            "已被使用",
        ),
        (
            json!({"username": "new1", "display_name": "某人", "role": "caseworker", "area_id": county_id, "password": PASSWORD}),
            "area_id",
            "应属于乡镇/街道",
        ),
        (
            json!({"username": "new1", "display_name": "某人", "role": "approver", "area_id": township, "password": PASSWORD}),
            "area_id",
            "应属于县（区）",
        ),
        (
            json!({"username": "new1", "display_name": "某人", "role": "boss", "area_id": township, "password": PASSWORD}),
            "role",
            "角色“boss”无效",
        ),
        (
            json!({"username": "new1", "display_name": "某人", "role": "caseworker", "area_id": township, "password": "short"}),
            "password",
            "至少 8 位",
        ),
    ];
    for (input, field, msg) in cases {
        let e = c.err("user.create", input);
        assert_eq!(e.field.as_deref(), Some(field), "{e:?}");
        assert!(e.message.contains(msg), "{}", e.message);
    }
    // An administrator cannot lock themself out.
    let me = c.ok("auth.status", json!({}))["user"]["id"]
        .as_i64()
        .unwrap();
    assert!(c
        .err("user.update", json!({"id": me, "active": false}))
        .message
        .contains("不能停用自己"));
    // A deactivated user cannot sign in.
    let users = c.ok("user.list", json!({}));
    let jbr2 = users["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "jbr2")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    c.ok("user.update", json!({"id": jbr2, "active": false}));
    let e = c.err(
        "auth.sign_in",
        json!({"username": "jbr2", "password": PASSWORD}),
    );
    assert!(e.message.contains("已停用"));
}

#[test]
fn change_password() {
    let mut c = county();
    let e = c.err(
        "auth.change_password",
        json!({"old_password": "wrong-old", "new_password": "new-pass-22"}),
    );
    assert_eq!(e.field.as_deref(), Some("old_password"));
    c.ok(
        "auth.change_password",
        json!({"old_password": PASSWORD, "new_password": "new-pass-22"}),
    );
    c.ok("auth.sign_out", json!({}));
    c.ok(
        "auth.sign_in",
        json!({"username": "jbr1", "password": "new-pass-22"}),
    );
}
