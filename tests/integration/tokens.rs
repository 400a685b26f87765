//! Server sessions through the command layer: a token issued at sign-in resumes the user on
//! another connection, lapses when idle, and is revoked by sign-out, a password reset or change
//! and deactivation; and the per-account sign-in throttle (desktop and server alike).

use chrono::{Duration, NaiveDateTime};
use doudi_core::server_session::EXPIRED;
use doudi_core::{call, ErrorCode, FixedClock, Session};
use serde_json::{json, Value};

use crate::common::{county, today, County, PASSWORD};

fn nine() -> NaiveDateTime {
    today().and_hms_opt(9, 0, 0).unwrap()
}

/// A second connection on the county's file, its clock `minutes` after 09:00.
fn at(c: &County, minutes: i64) -> Session {
    Session::open(
        &c.path(),
        Box::new(FixedClock(nine() + Duration::minutes(minutes))),
    )
    .unwrap()
}

fn user_of(s: &mut Session) -> Value {
    call(s, "auth.status", json!({})).unwrap()["user"]["username"].clone()
}

fn refused(s: &mut Session, token: &str) {
    let e = s.resume(token, "127.0.0.1").unwrap_err();
    assert_eq!(e.code, ErrorCode::Unauthenticated);
    assert_eq!(e.message, EXPIRED);
    assert!(s.user().is_err(), "nobody is signed in after a refusal");
}

/// jbr1's token, issued on the county's own session (signed in as jbr1 at 09:00).
fn token(c: &mut County) -> String {
    c.s.issue_token("10.0.0.7").unwrap()
}

#[test]
fn a_token_resumes_its_user_on_another_connection() {
    let mut c = county();
    let t = token(&mut c);
    let mut s = at(&c, 10);
    s.resume(&t, "10.0.0.7").unwrap();
    assert_eq!(user_of(&mut s), "jbr1");
    // Only the hash is stored.
    let stored: String =
        c.s.connection()
            .query_row("SELECT token_hash FROM server_session", [], |r| r.get(0))
            .unwrap();
    assert_ne!(stored, t);
    refused(&mut s, "0123456789abcdef");
}

#[test]
fn an_idle_token_lapses_after_the_county_s_idle_minutes() {
    let mut c = county();
    let t = token(&mut c);
    // Used at 09:20, so still good at 09:50 (30 minutes idle) …
    at(&c, 20).resume(&t, "x").unwrap();
    at(&c, 50).resume(&t, "x").unwrap();
    // … but not 31 minutes after its last use.
    refused(&mut at(&c, 81), &t);

    // A county that sets 120 minutes (dated standard `server.idle_minutes`).
    let mut c = county();
    c.sign_in("admin");
    c.ok(
        "standard.set",
        json!({"key": "server.idle_minutes", "scope": "all", "effective_from": "2026-01-01", "value": "120"}),
    );
    c.sign_in("jbr1");
    let t = token(&mut c);
    at(&c, 100).resume(&t, "x").unwrap();
    refused(&mut at(&c, 221), &t);
}

#[test]
fn sign_out_revokes_the_token_it_came_with() {
    let mut c = county();
    let t = token(&mut c);
    let other = token(&mut c);
    let mut s = at(&c, 1);
    s.resume(&t, "x").unwrap();
    call(&mut s, "auth.sign_out", json!({})).unwrap();
    refused(&mut at(&c, 2), &t);
    // The same user's other desktop stays signed in.
    at(&c, 2).resume(&other, "x").unwrap();
}

#[test]
fn a_password_reset_or_deactivation_revokes_every_token_of_the_user() {
    let mut c = county();
    let t = token(&mut c);
    let jbr1 = c.s.user().unwrap().id;
    c.sign_in("admin");
    c.ok(
        "user.reset_password",
        json!({"id": jbr1, "password": "reset-pass-9"}),
    );
    refused(&mut at(&c, 1), &t);

    let mut c = county();
    let t = token(&mut c);
    let jbr1 = c.s.user().unwrap().id;
    c.sign_in("admin");
    c.ok("user.update", json!({"id": jbr1, "active": false}));
    refused(&mut at(&c, 1), &t);
}

#[test]
fn changing_one_s_password_signs_out_one_s_other_desktops() {
    let mut c = county();
    let elsewhere = token(&mut c);
    let here = token(&mut c);
    let mut s = at(&c, 1);
    s.resume(&here, "x").unwrap();
    call(
        &mut s,
        "auth.change_password",
        json!({"old_password": PASSWORD, "new_password": "new-pass-22"}),
    )
    .unwrap();
    refused(&mut at(&c, 2), &elsewhere);
    at(&c, 2).resume(&here, "x").unwrap();
}

#[test]
fn five_failed_sign_ins_lock_the_account_for_fifteen_minutes() {
    let mut c = county();
    c.ok("auth.sign_out", json!({}));
    let wrong = json!({"username": "jbr1", "password": "nope-nope"});
    for _ in 0..5 {
        assert_eq!(
            c.err("auth.sign_in", wrong.clone()).message,
            "用户名或密码不正确"
        );
    }
    let (_, _, audit) = c.counts();
    // Now even the right password is refused, without a look at it, and nothing is written.
    let right = json!({"username": "jbr1", "password": PASSWORD});
    let e = c.err("auth.sign_in", right.clone());
    assert_eq!(e.code, ErrorCode::Unauthenticated);
    assert_eq!(e.message, "该账号登录失败次数过多，请 15 分钟后再试");
    assert_eq!(e.field.as_deref(), Some("username"));
    assert_eq!(c.counts().2, audit);
    // Another account is not locked.
    c.ok(
        "auth.sign_in",
        json!({"username": "shr1", "password": PASSWORD}),
    );
    // Fifteen minutes on, the failures have left the window.
    assert!(call(&mut at(&c, 14), "auth.sign_in", right.clone()).is_err());
    call(&mut at(&c, 15), "auth.sign_in", right.clone()).unwrap();
}

#[test]
fn a_successful_sign_in_starts_the_count_again() {
    let mut c = county();
    c.ok("auth.sign_out", json!({}));
    let wrong = json!({"username": "jbr1", "password": "nope-nope"});
    for _ in 0..4 {
        c.err("auth.sign_in", wrong.clone());
    }
    c.sign_in("jbr1");
    for _ in 0..4 {
        c.err("auth.sign_in", wrong.clone());
    }
    c.sign_in("jbr1");
}
