//! The `doudi` binary: JSON on stdout, the error JSON on stderr with a non-zero exit, sign-in with
//! the password from the environment, and the admin verbs.

use std::process::{Command, Output};

fn doudi(db: &std::path::Path, user: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_doudi"));
    cmd.arg("--db").arg(db);
    if let Some(u) = user {
        cmd.args(["--user", u]).env("DOUDI_PASSWORD", "cli-pass-1");
    }
    cmd.env_remove("DOUDI_USER").args(args).output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn call_backup_and_audit_verify() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite");
    let out = doudi(&db, None, &["call", "auth.status"]);
    assert!(out.status.success());
    assert_eq!(json(&out)["has_users"], false);

    let setup = r#"{"county_name":"清河县","county_code":"410122","username":"admin","display_name":"管理员","password":"cli-pass-1"}"#;
    assert!(doudi(&db, None, &["call", "auth.setup", setup])
        .status
        .success());

    let out = doudi(&db, Some("admin"), &["call", "auth.status"]);
    assert_eq!(json(&out)["user"]["username"], "admin");

    // A failure: error JSON on stderr, exit 1, nothing on stdout.
    let out = doudi(
        &db,
        Some("admin"),
        &["call", "area.create", r#"{"parent_id": 1, "name": ""}"#],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["code"], "invalid_input");
    assert_eq!(err["field"], "name");
    assert_eq!(err["message"], "请填写区划名称");

    // Wrong password.
    let out = Command::new(env!("CARGO_BIN_EXE_doudi"))
        .arg("--db")
        .arg(&db)
        .args(["--user", "admin", "call", "auth.status"])
        .env("DOUDI_PASSWORD", "wrong-pass")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("用户名或密码不正确"));

    // Malformed JSON input names the input.
    let out = doudi(&db, Some("admin"), &["call", "auth.status", "{oops"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("不是有效的 JSON"));

    let copy = dir.path().join("copy.sqlite");
    let out = doudi(&db, Some("admin"), &["backup", copy.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(copy.exists());
    let out = doudi(&copy, Some("admin"), &["call", "auth.status"]);
    assert_eq!(json(&out)["county_name"], "清河县");

    let out = doudi(&db, Some("admin"), &["audit", "verify"]);
    assert!(out.status.success());
    assert_eq!(json(&out)["intact"], true);
}

#[test]
fn corrupt_file_gets_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("junk.sqlite");
    std::fs::write(&db, vec![0x5a; 4096]).unwrap();
    let out = doudi(&db, None, &["call", "auth.status"]);
    assert_eq!(out.status.code(), Some(1));
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["code"], "db_corrupt");
    assert_eq!(std::fs::read(&db).unwrap(), vec![0x5a; 4096]);
}
