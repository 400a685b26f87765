//! The desktop in connected mode against a loopback `doudi serve`: a file command given a local
//! path answers as embedded mode and the file lands on the desktop (made files come back as
//! bytes and are saved atomically; read files go up as an upload); a path the desktop could not
//! use is refused before the server is asked; the connection is tested before it is kept.

#[path = "serve/common.rs"]
mod common;

use common::{county, PASSWORD};
use doudi_core::ErrorCode;
use doudi_server::client::WRONG_CERTIFICATE;
use doudi_server::desktop::connection::{self, Connection};
use doudi_server::desktop::{call_remote, Backend};
use doudi_server::Remote;
use serde_json::{json, Value};

fn ok(r: &Remote, name: &str, args: Value) -> Value {
    call_remote(r, name, args).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

const HEADER: &str = "户主姓名,公民身份号码,乡镇（街道）,村（社区）,组,家庭住址,户籍,保障类别,保障人数,月保障金,起始发放年月,开户银行,银行账号,联系电话,家庭成员";

#[test]
fn a_backup_made_on_the_server_is_saved_on_the_desktop_and_opens() {
    let c = county();
    let r = c.signed_in("admin");
    let desk = tempfile::tempdir().unwrap();
    let at = desk.path().join("县库备份.sqlite");
    let reply = ok(&r, "system.backup", json!({"dest": at}));
    // As embedded mode answers: where it was saved and its size; no bytes.
    assert_eq!(reply["dest"], at.display().to_string());
    assert!(reply.get("file").is_none());
    assert_eq!(
        reply["bytes"].as_u64().unwrap(),
        std::fs::metadata(&at).unwrap().len()
    );
    // No temporary file is left beside it.
    assert_eq!(std::fs::read_dir(desk.path()).unwrap().count(), 1);
    let mut copy = doudi_core::Session::open(&at, Box::new(c.clock.clone())).unwrap();
    let signed = doudi_core::call(
        &mut copy,
        "auth.sign_in",
        json!({"username": "admin", "password": PASSWORD}),
    );
    assert!(signed.is_ok(), "{signed:?}");
    let found = doudi_core::call(
        &mut copy,
        "household.search",
        json!({"q": common::HEAD_NAME}),
    );
    assert_eq!(found.unwrap()["total"], 1);
}

#[test]
fn exports_land_on_the_desktop_as_embedded_mode_saves_them() {
    let mut c = county();
    let r = c.signed_in("admin");
    let desk = tempfile::tempdir().unwrap();
    let remote_json = desk.path().join("保障标准.json");
    let reply = ok(&r, "standard.export", json!({"path": remote_json}));
    assert_eq!(reply["path"], remote_json.display().to_string());
    assert!(reply.get("file").is_none());
    c.local_ok(
        "auth.sign_in",
        json!({"username": "admin", "password": PASSWORD}),
    );
    let local_json = desk.path().join("本机.json");
    let local = c.local_ok("standard.export", json!({"path": local_json}));
    assert_eq!(local["rows"], reply["rows"]);
    assert_eq!(
        std::fs::read(&remote_json).unwrap(),
        std::fs::read(&local_json).unwrap()
    );

    // A refusal of the core comes back as it is, and nothing is left at the path.
    let what_if = json!({"key": "dibao.standard", "scope": "urban", "value": "900",
                         "effective_from": "2026-11-01", "month": "2026-11"});
    let mut args = what_if.clone();
    args["xlsx"] = json!(desk.path().join("测算.xlsx"));
    let remote = call_remote(&r, "benefit.what_if", args).unwrap_err();
    let local = doudi_core::call(&mut c.local, "benefit.what_if", what_if).unwrap_err();
    assert_eq!(remote, local);
    assert_eq!(remote.field.as_deref(), Some("standards"));
    assert!(!desk.path().join("测算.xlsx").exists());
}

#[test]
fn a_ledger_on_the_desktop_is_uploaded_and_read_as_in_process() {
    let mut c = county();
    let r = c.signed_in("admin");
    let desk = tempfile::tempdir().unwrap();
    let csv = desk.path().join("低保台账.csv");
    let text = format!(
        "{HEADER}\r\n张三,{},城关镇,李庄村,三组,李庄村三组,农村,低保,1,500.00,2026-01,农村信用社,6222021234567890001,13800000000,\r\n",
        c.head_id
    );
    std::fs::write(&csv, text.as_bytes()).unwrap();
    let remote = ok(&r, "ledger.preview", json!({"path": csv}));
    c.local_ok(
        "auth.sign_in",
        json!({"username": "admin", "password": PASSWORD}),
    );
    let local = c.local_ok("ledger.preview", json!({"path": csv}));
    assert_eq!(remote, local);
    assert_eq!(remote["file"], "低保台账.csv");
    assert_eq!(remote["sample"][0]["cells"]["A"], "张三");

    // The server's refusal of the uploaded file is shown on the field the user typed.
    let bad = desk.path().join("坏.xlsx");
    std::fs::write(&bad, b"not a workbook").unwrap();
    let e = call_remote(&r, "ledger.preview", json!({"path": bad})).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("path"), "{e:?}");
    // A file that is not there is refused on the desktop.
    let e = call_remote(
        &r,
        "ledger.preview",
        json!({"path": desk.path().join("无.csv")}),
    )
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("path"));
    assert!(e.message.contains("无法读取"), "{}", e.message);
}

#[test]
fn a_path_the_desktop_cannot_use_is_refused_before_the_server_makes_anything() {
    let c = county();
    let r = c.signed_in("admin");
    let desk = tempfile::tempdir().unwrap();
    let before = c.log_text();
    let e = call_remote(
        &r,
        "document.approval_form",
        json!({"case_id": 1, "path": desk.path().join("审批表.docx")}),
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref(), e.message.as_str()),
        (
            ErrorCode::InvalidInput,
            Some("path"),
            "文件名须以 .pdf 结尾"
        )
    );
    let e = call_remote(
        &r,
        "payment.roster",
        json!({"month": "2026-11", "path": desk.path().join("没有的文件夹").join("花名册.xlsx")}),
    )
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("path"));
    assert!(e.message.contains("不存在"), "{}", e.message);
    // Neither call reached the server (it logs every call it answers).
    assert_eq!(c.log_text(), before);
    // Opening a file and the documents folder are this desktop's business.
    let e = call_remote(
        &r,
        "document.open",
        json!({"path": desk.path().join("无.pdf")}),
    )
    .unwrap_err();
    assert!(e.message.contains("不存在"), "{}", e.message);
    let folder = ok(&r, "document.folder", json!({}));
    assert_eq!(
        folder["folder"],
        doudi_core::documents::default_dir().display().to_string()
    );
    assert_eq!(c.log_text(), before);
    // Signed out, they are refused as the core refuses them.
    let e = call_remote(&c.remote(), "document.folder", json!({})).unwrap_err();
    assert_eq!(e.code, ErrorCode::Unauthenticated);
}

#[test]
fn a_server_is_tested_before_it_is_kept_and_a_wrong_certificate_refused() {
    let c = county();
    let remote = connection::test(&c.address(), &c.fingerprint).unwrap();
    let backend = Backend::Remote(remote);
    let status = backend.call("auth.status", json!({})).unwrap();
    assert_eq!(status["county_name"], "清河县");

    let other = tempfile::tempdir().unwrap();
    let wrong =
        doudi_server::tls::init(other.path(), &["localhost".into(), "127.0.0.1".into()]).unwrap();
    let e = connection::test(&c.address(), &wrong).err().unwrap();
    assert_eq!(e.message, WRONG_CERTIFICATE);
    let e = connection::test("127.0.0.1:1", &c.fingerprint)
        .err()
        .unwrap();
    assert!(e.message.contains("无法连接县级服务器"), "{}", e.message);
    let e = connection::test(&c.address(), "12:34").err().unwrap();
    assert_eq!(e.field.as_deref(), Some("fingerprint"));

    // The embedded backend is the core in-process.
    let session = doudi_core::Session::open(&c.db(), Box::new(c.clock.clone()));
    let embedded = Backend::Embedded(std::sync::Mutex::new(session));
    assert_eq!(
        embedded.call("auth.status", json!({})).unwrap()["county_name"],
        "清河县"
    );
    // What is saved is the choice, never a token.
    let dir = tempfile::tempdir().unwrap();
    let chosen = Connection::Server {
        address: c.address(),
        fingerprint: c.fingerprint.clone(),
    };
    connection::save(dir.path(), &chosen).unwrap();
    let text = std::fs::read_to_string(connection::path(dir.path())).unwrap();
    assert!(!text.contains("token"), "{text}");
}
