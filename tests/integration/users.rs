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

/// Regression: after `user.reset_password` the administrator could sign in as that user and act
/// under their name. The reset password now opens only the 请设置新密码 step.
#[test]
fn a_reset_password_only_lets_the_user_set_their_own() {
    let mut c = county();
    c.sign_in("admin");
    let jbr1 = c.ok("user.list", json!({}))["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "jbr1")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    c.ok(
        "user.reset_password",
        json!({"id": jbr1, "password": "reset-pass-9"}),
    );
    let user = &c.ok(
        "auth.sign_in",
        json!({"username": "jbr1", "password": "reset-pass-9"}),
    )["user"];
    assert_eq!(user["must_change_password"], true, "{user}");
    let before = c.counts();
    for (name, input) in [
        ("household.search", json!({})),
        (
            "household.create",
            household_input(&c, "张三", &id("19700101", 11)),
        ),
        ("work.queue", json!({})),
    ] {
        let e = c.err(name, input);
        assert_eq!(e.code, ErrorCode::Forbidden, "{name}");
        assert_eq!(e.field.as_deref(), Some("password"), "{name}");
        assert!(e.message.contains("请先设置自己的新密码"), "{}", e.message);
    }
    assert_eq!(c.counts(), before, "refusals wrote nothing");
    assert_eq!(
        c.ok("auth.status", json!({}))["user"]["must_change_password"],
        true
    );
    // The new password must be the user's own, not the reset one.
    let e = c.err(
        "auth.change_password",
        json!({"old_password": "reset-pass-9", "new_password": "reset-pass-9"}),
    );
    assert_eq!(e.field.as_deref(), Some("new_password"));
    assert!(e.message.contains("不能与原密码相同"), "{}", e.message);
    c.ok(
        "auth.change_password",
        json!({"old_password": "reset-pass-9", "new_password": "my-own-pass-3"}),
    );
    assert_eq!(
        c.ok("auth.status", json!({}))["user"]["must_change_password"],
        false
    );
    c.ok("household.search", json!({}));
    // Both the reset and the change are on the audit trail, by who did them.
    c.sign_in("admin");
    let rows = c.ok("audit.list", json!({"limit": 50}))["rows"].clone();
    let row = |command: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["command"] == command)
            .unwrap_or_else(|| panic!("no {command} row"))
            .clone()
    };
    assert_eq!(row("user.reset_password")["user_name"], "admin");
    assert_eq!(row("user.reset_password")["entity_id"], jbr1);
    assert_eq!(row("auth.change_password")["user_name"], "jbr1");
    assert_eq!(row("auth.change_password")["entity_id"], jbr1);
}

/// A new account's initial password is the administrator's too: the same one-time step.
#[test]
fn a_new_user_sets_their_own_password_at_first_sign_in() {
    let mut c = county();
    c.sign_in("admin");
    let created = c.ok(
        "user.create",
        json!({"username": "jbr9", "display_name": "新经办", "role": "caseworker", "area_id": c.township, "password": "initial-pass-1"}),
    );
    assert_eq!(created["must_change_password"], true);
    let status = c.ok(
        "auth.sign_in",
        json!({"username": "jbr9", "password": "initial-pass-1"}),
    );
    assert_eq!(status["user"]["must_change_password"], true);
    assert_eq!(
        c.err("household.search", json!({})).field.as_deref(),
        Some("password")
    );
    c.ok(
        "auth.change_password",
        json!({"old_password": "initial-pass-1", "new_password": "jbr9-own-pass"}),
    );
    c.ok("household.search", json!({}));
}
