//! `doudi serve` on loopback: signing in and calling over HTTPS, the tokens the core refuses,
//! the township scope checked by the core exactly as in-process, a pinned certificate, replayed
//! ids, big bodies, slow clients, the per-address throttle, the health check, verified backups
//! and a log without personal data.

mod common;
mod files;
mod race;

use std::io::Read;
use std::time::Duration;

use common::{county, county_with, PASSWORD};
use doudi_core::server_session::EXPIRED;
use doudi_core::ErrorCode;
use doudi_server::client::WRONG_CERTIFICATE;
use doudi_server::Remote;
use serde_json::json;

#[test]
fn sign_in_over_https_and_call_as_in_process() {
    let c = county();
    let r = c.remote();
    assert_eq!(
        r.health().unwrap(),
        json!({"ok": true, "schema_version": doudi_core::db::SCHEMA_VERSION})
    );
    // Before signing in: the county's name, nobody signed in; anything else is refused.
    let status = r.call("auth.status", json!({})).unwrap();
    assert_eq!(status["county_name"], "清河县");
    assert!(status["user"].is_null());
    let e = r.call("area.list", json!({})).unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str()),
        (ErrorCode::Unauthenticated, "请先登录")
    );

    let reply = r
        .call(
            "auth.sign_in",
            json!({"username": "jbr1", "password": PASSWORD}),
        )
        .unwrap();
    assert_eq!(reply["user"]["display_name"], "王经办");
    assert_eq!(reply["token"].as_str().unwrap().len(), 64);
    let areas = r.call("area.list", json!({})).unwrap();
    assert_eq!(areas["areas"][0]["name"], "清河县");
    assert_eq!(
        r.call("auth.status", json!({})).unwrap()["user"]["username"],
        "jbr1"
    );
    // A wrong password is the core's refusal, field and all.
    let e = c
        .remote()
        .call(
            "auth.sign_in",
            json!({"username": "jbr1", "password": "nope-nope"}),
        )
        .unwrap_err();
    assert_eq!(e.message, "用户名或密码不正确");
    assert_eq!(e.field.as_deref(), Some("password"));
}

#[test]
fn another_township_s_household_is_refused_by_the_core_over_http_as_in_process() {
    let mut c = county();
    let r = c.signed_in("jbr1");
    let input = json!({"id": c.household2});
    let remote = r.call("household.get", input.clone()).unwrap_err();
    c.local_ok(
        "auth.sign_in",
        json!({"username": "jbr1", "password": PASSWORD}),
    );
    let local = doudi_core::call(&mut c.local, "household.get", input).unwrap_err();
    assert_eq!(remote, local);
    // Its own township's caseworker sees it.
    let mine = c
        .signed_in("jbr2")
        .call("household.get", json!({"id": c.household2}));
    assert_eq!(mine.unwrap()["household"]["id"], c.household2);
}

fn expired(r: &Remote) {
    let e = r.call("area.list", json!({})).unwrap_err();
    assert_eq!(e.code, ErrorCode::Unauthenticated);
    assert_eq!(e.message, EXPIRED);
}

#[test]
fn a_forged_token_is_refused() {
    let c = county();
    let r = c.remote();
    r.set_token(Some("ab".repeat(32)));
    expired(&r);
}

#[test]
fn a_token_idle_past_the_limit_is_refused() {
    let c = county();
    let r = c.signed_in("jbr1");
    c.move_clock(30);
    r.call("area.list", json!({})).unwrap();
    c.move_clock(31);
    expired(&r);
}

#[test]
fn sign_out_and_a_password_reset_revoke_tokens() {
    let c = county();
    let r = c.signed_in("jbr1");
    let token = r.token();
    r.call("auth.sign_out", json!({})).unwrap();
    r.set_token(token);
    expired(&r);

    let jbr1 = c.signed_in("jbr1");
    let jbr1_id = jbr1.call("auth.status", json!({})).unwrap()["user"]["id"].clone();
    let admin = c.signed_in("admin");
    admin
        .call(
            "user.reset_password",
            json!({"id": jbr1_id, "password": "reset-pass-9"}),
        )
        .unwrap();
    expired(&jbr1);
}

#[test]
fn a_wrong_fingerprint_is_refused_before_anything_is_sent() {
    let c = county();
    let other = tempfile::tempdir().unwrap();
    let wrong = doudi_server::tls::init(other.path(), &[]).unwrap();
    let r = Remote::connect(&c.address(), &wrong).unwrap();
    let e = r
        .call(
            "auth.sign_in",
            json!({"username": "jbr1", "password": PASSWORD}),
        )
        .unwrap_err();
    assert_eq!(e.message, WRONG_CERTIFICATE);
    assert!(
        !c.log_text().contains("auth.sign_in"),
        "nothing reached the server"
    );
    // The right one works.
    assert_eq!(c.remote().health().unwrap()["ok"], true);
    assert_eq!(
        doudi_server::tls::fingerprint_of(&c.tls_dir()).unwrap(),
        c.fingerprint
    );
}

#[test]
fn a_replayed_request_id_is_refused() {
    let c = county();
    let r = c.signed_in("jbr1");
    r.call_with_request_id("area.list", json!({}), "req-0001-abcd")
        .unwrap();
    let e = r
        .call_with_request_id("area.list", json!({}), "req-0001-abcd")
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.starts_with("重复的请求"), "{}", e.message);
    // Another desktop's session may use the same id.
    c.signed_in("jbr2")
        .call_with_request_id("area.list", json!({}), "req-0001-abcd")
        .unwrap();
}

#[test]
fn a_body_over_the_limit_is_refused() {
    let c = county_with(|config| config.body_limit = 4096);
    let r = c.signed_in("jbr1");
    let e = r
        .call("household.search", json!({"q": "x".repeat(5000)}))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert_eq!(e.message, "请求内容超过服务器的上限（4 KB），已拒绝");
    assert!(c.log_text().contains("status=413"));
}

#[test]
fn a_slow_client_is_disconnected() {
    let c = county(); // read timeout 2 s
    let mut tcp = std::net::TcpStream::connect(c.address()).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let started = std::time::Instant::now();
    let mut buf = [0u8; 16];
    let n = tcp.read(&mut buf).unwrap_or(0);
    assert_eq!(n, 0, "the server closes the connection");
    assert!(started.elapsed() < Duration::from_secs(8));
}

#[test]
fn failed_sign_ins_are_throttled_per_address() {
    let c = county_with(|config| config.address_failures_allowed = 3);
    for user in ["jbr1", "jbr2", "nobody"] {
        c.remote()
            .call(
                "auth.sign_in",
                json!({"username": user, "password": "nope-nope"}),
            )
            .unwrap_err();
    }
    let e = c
        .remote()
        .call(
            "auth.sign_in",
            json!({"username": "admin", "password": PASSWORD}),
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Unauthenticated);
    assert_eq!(e.message, "此电脑登录失败次数过多，请 15 分钟后再试");
    assert!(c.log_text().contains("status=429"));
}

#[test]
fn backups_are_made_verified_and_old_ones_deleted() {
    let c = county();
    let dir = c.dir.path().join("backups");
    std::fs::create_dir_all(&dir).unwrap();
    let old = dir.join("doudi-20200101-000000.sqlite");
    std::fs::write(&old, b"old").unwrap();
    let kept = dir.join("notes.txt");
    std::fs::write(&kept, b"not ours").unwrap();
    let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
        .unwrap()
        .and_hms_opt(2, 0, 0)
        .unwrap();
    let report = doudi_server::backup::backup_once(&c.db(), &dir, 30, now).unwrap();
    assert_eq!(report.file, dir.join("doudi-20261123-020000.sqlite"));
    assert!(report.audit_rows >= 5, "{}", report.audit_rows);
    assert_eq!(report.deleted, vec![old.clone()]);
    assert!(!old.exists() && kept.exists() && report.file.exists());

    // On a schedule, while serving: each backup is logged with its verified chain.
    let mut c = c;
    let plan_dir = c.dir.path().join("scheduled");
    c.serve(|config| {
        config.backup = Some(doudi_server::BackupPlan {
            dir: plan_dir.clone(),
            every: Duration::from_millis(300),
            keep_days: 7,
        })
    });
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !c.log_text().contains("backup ok") && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(c.log_text().contains("backup ok"), "{}", c.log_text());
    assert!(std::fs::read_dir(&plan_dir).unwrap().count() >= 1);
}

#[test]
fn the_log_has_one_line_per_call_and_no_personal_data() {
    let c = county();
    let r = c.signed_in("jbr2");
    r.call("household.search", json!({"q": common::HEAD_NAME}))
        .unwrap();
    r.call("household.search", json!({"q": c.head_id})).unwrap();
    let _ = c.remote().call(
        "auth.sign_in",
        json!({"username": "jbr2", "password": "nope-secret"}),
    );
    let log = c.log_text();
    assert_eq!(log.lines().count(), 4, "{log}");
    assert!(log.contains("user=jbr2 cmd=household.search"), "{log}");
    assert!(log.contains("result=unauthenticated"), "{log}");
    for secret in [
        common::HEAD_NAME,
        &c.head_id,
        PASSWORD,
        "nope-secret",
        &r.token().unwrap(),
    ] {
        assert!(!log.contains(secret), "{secret} in the log:\n{log}");
    }
}
