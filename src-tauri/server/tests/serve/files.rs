//! Files across the network over HTTPS: a document and a backup delivered as bytes, a ledger
//! uploaded for its preview; a call naming a path (on the server) refused with nothing written
//! there, and `document.open` / `document.folder` refused.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use doudi_core::ErrorCode;
use doudi_server::Remote;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::common::{county, id, County};

/// The reply's `file`, checked (its size and SHA-256 are its bytes'), as bytes.
fn bytes_of(reply: &Value, name: &str) -> Vec<u8> {
    let file = &reply["file"];
    assert_eq!(file["name"], name, "{reply}");
    let bytes = STANDARD.decode(file["base64"].as_str().unwrap()).unwrap();
    assert_eq!(file["size"], bytes.len());
    assert_eq!(file["sha256"], hex::encode(Sha256::digest(&bytes)));
    bytes
}

fn files_in(c: &County) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(c.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn filed(c: &County, r: &Remote) -> (i64, String) {
    let v = r
        .call(
            "deliberation.file",
            json!({"household_id": c.household2,
                "family_situation": "户主欧阳娜娜患尿毒症，家庭人均收入低于低保标准",
                "special_matter": "透析费用经医保报销、医疗救助后自付仍超过 8 万元",
                "received": [], "proposed_amount": "20000", "proposed_measures": "一次性救助 2 万元",
                "reporting_unit": "东城街道办事处", "township_opinion": "情况属实"}),
        )
        .unwrap();
    (
        v["id"].as_i64().unwrap(),
        v["number"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn a_document_and_a_backup_are_delivered_as_bytes_and_a_ledger_uploaded() {
    let c = county();
    let before = files_in(&c);
    let jbr2 = c.signed_in("jbr2");
    let (case, number) = filed(&c, &jbr2);
    let v = jbr2
        .call(
            "document.deliberation_application",
            json!({"id": case, "deliver": "bytes"}),
        )
        .unwrap();
    let pdf = bytes_of(&v, &format!("{number}-一事一议申报表.pdf"));
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    assert!(pdf.len() > 10_000, "{} bytes", pdf.len());
    assert_eq!(v["file"]["media_type"], "application/pdf");

    let admin = c.signed_in("admin");
    let v = admin
        .call("system.backup", json!({"deliver": "bytes"}))
        .unwrap();
    let copy = bytes_of(&v, "doudi-2026-11-23.sqlite");
    assert!(copy.starts_with(b"SQLite format 3\0"));

    // A ledger uploaded: read on the server from the bytes sent, as from a file at a path.
    let csv = format!(
        "户主姓名,公民身份号码,乡镇（街道）,村（社区）,保障类别,保障人数,月保障金\r\n\
         张三,{},东城街道,幸福社区,城市低保,2,800\r\n\
         李四,{},东城街道,幸福社区,城市低保,1,500\r\n",
        id("19600101", 11),
        id("19600101", 13)
    );
    let v = admin
        .call(
            "ledger.preview",
            json!({"upload": {"name": "台账.csv", "base64": STANDARD.encode(csv)}}),
        )
        .unwrap();
    assert_eq!(v["file"], "台账.csv");
    assert_eq!(v["rows"], 2);
    assert_eq!(v["sample"][1]["cells"]["A"], "李四");
    assert_eq!(v["encoding"], "UTF-8");
    // Nothing of it was left on the server's disk beside the database.
    assert_eq!(files_in(&c), before);
    assert!(c.log_text().contains("cmd=ledger.preview ms="));
}

#[test]
fn a_path_on_the_server_is_refused_and_nothing_is_written_there() {
    let c = county();
    let admin = c.signed_in("admin");
    let jbr2 = c.signed_in("jbr2");
    let (case, _) = filed(&c, &jbr2);
    let at = c.dir.path().join("copy.sqlite");
    let pdf = c.dir.path().join("申报表.pdf");
    for (r, name, args, field) in [
        (&admin, "system.backup", json!({"dest": at}), "dest"),
        (&admin, "ledger.preview", json!({"path": c.db()}), "path"),
        (
            &jbr2,
            "document.deliberation_application",
            json!({"id": case, "path": pdf}),
            "path",
        ),
        // A document with neither would be saved in the server's documents folder.
        (
            &jbr2,
            "document.deliberation_application",
            json!({"id": case}),
            "deliver",
        ),
    ] {
        let e = r.call(name, args).unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden, "{name}");
        assert_eq!(e.message, doudi_server::PATH_ON_SERVER, "{name}");
        assert_eq!(e.field.as_deref(), Some(field), "{name}");
    }
    assert!(!at.exists() && !pdf.exists());
    for name in ["document.open", "document.folder"] {
        let e = jbr2.call(name, json!({"path": pdf})).unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden, "{name}");
    }
    let e = c
        .remote()
        .call("auth.setup", json!({"county_name": "别县"}))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Forbidden);
    assert!(e.message.contains("须在服务器上初始化"), "{}", e.message);
    let log = c.log_text();
    assert_eq!(log.matches("status=403").count(), 7, "{log}");
}
