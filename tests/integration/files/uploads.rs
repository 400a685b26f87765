//! Uploads through the command layer: an `upload` reads as the same file at a path (ledger
//! preview and import, bank return, standards import), and the refusals of neither, both, bad
//! base64, a bad name or a file too big, which change nothing.

use serde_json::{json, Value};

use super::{b64, files_in, last_audit, locked_month, sha};
use crate::common::{county, seed_standards, County};
use crate::ledger::{good_rows, xlsx, HEADER};

/// The fields of an import reply that do not depend on how long it took.
fn untimed(mut v: Value) -> Value {
    for k in ["read_ms", "check_ms", "write_ms", "total_ms"] {
        v.as_object_mut().unwrap().remove(k);
    }
    v
}

#[test]
fn an_upload_reads_as_the_same_file_at_a_path() {
    // Ledger: preview and import in two like counties, one by path, one by upload.
    let (mut by_path, mut by_upload) = (county(), county());
    let path = xlsx(&by_path, "台账.xlsx", &HEADER, &good_rows());
    let upload = json!({"name": "台账.xlsx", "base64": b64(&std::fs::read(&path).unwrap())});
    by_path.sign_in("admin");
    by_upload.sign_in("admin");
    assert_eq!(
        by_path.ok("ledger.preview", json!({"path": path})),
        by_upload.ok("ledger.preview", json!({"upload": upload}))
    );
    let a = untimed(by_path.ok("ledger.import", json!({"path": path})));
    let b = untimed(by_upload.ok("ledger.import", json!({"upload": upload})));
    assert_eq!(a, b);
    assert!(a["imported"].as_u64().unwrap() > 0);
    assert_eq!(by_path.counts(), by_upload.counts());
    let audit = last_audit(&by_upload);
    assert!(audit.contains("台账.xlsx") && audit.contains(&sha(&std::fs::read(&path).unwrap())));

    // Standards: an exported set imported from its file by path and by upload.
    let mut seeded = county();
    seed_standards(&mut seeded, "admin");
    let set = seeded.dir.path().join("保障标准.json");
    seeded.ok("standard.export", json!({"path": set}));
    let text = std::fs::read(&set).unwrap();
    let (mut p, mut u) = (county(), county());
    p.sign_in("admin");
    u.sign_in("admin");
    let a = p.ok("standard.import", json!({"path": set}));
    let b = u.ok(
        "standard.import",
        json!({"upload": {"name": "保障标准.json", "base64": b64(&text)}}),
    );
    assert_eq!(a, b);
    assert!(a["added"].as_u64().unwrap() > 10);
    assert_eq!(
        p.ok("standard.list", json!({})),
        u.ok("standard.list", json!({}))
    );
    // …as the inline form does.
    let mut inline = county();
    inline.sign_in("admin");
    let set: Value = serde_json::from_slice(&text).unwrap();
    assert_eq!(inline.ok("standard.import", set), a);
}

#[test]
fn a_bank_return_upload_marks_payments_as_the_file_at_a_path_does() {
    let (mut by_path, mut by_upload) = (locked_month(), locked_month());
    for c in [&mut by_path, &mut by_upload] {
        c.ok(
            "payment.roster",
            json!({"month": "2025-12", "deliver": "bytes"}),
        );
    }
    let mut text = "银行账号,户名,金额,结果,失败原因\r\n".to_owned();
    let rows: Vec<(String, String, i64)> = {
        let conn = by_path.s.connection();
        let mut stmt = conn
            .prepare("SELECT bank_account, payee_name, amount_fen FROM payment WHERE month = '2025-12' ORDER BY id")
            .unwrap();
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        rows
    };
    for (i, (acct, name, fen)) in rows.iter().enumerate() {
        let result = if i == 0 {
            "失败,账户已销户"
        } else {
            "成功,"
        };
        text.push_str(&format!(
            "{acct},{name},{}.{:02},{result}\r\n",
            fen / 100,
            fen % 100
        ));
    }
    let ret = by_path.dir.path().join("回盘.csv");
    std::fs::write(&ret, &text).unwrap();
    let a = by_path.ok(
        "payment.bank_return",
        json!({"month": "2025-12", "path": ret}),
    );
    let b = by_upload.ok(
        "payment.bank_return",
        json!({"month": "2025-12", "upload": {"name": "回盘.csv", "base64": b64(text.as_bytes())}}),
    );
    assert_eq!(a, b);
    assert_eq!(
        a["imported"],
        json!({"paid": 0, "failed": 1, "unchanged": 0})
    );
    let audit = last_audit(&by_upload);
    assert!(
        audit.contains("回盘.csv") && audit.contains(&sha(text.as_bytes())),
        "{audit}"
    );
    assert!(!audit.contains("\"path\""), "{audit}");
}

/// (households, persons, audit rows, payments marked paid or failed).
fn state(c: &County) -> (i64, i64, i64, i64) {
    let (h, p, a) = c.counts();
    let paid =
        c.s.connection()
            .query_row(
                "SELECT count(*) FROM payment WHERE status IN ('paid', 'failed')",
                [],
                |r| r.get(0),
            )
            .unwrap();
    (h, p, a, paid)
}

#[test]
fn neither_both_bad_base64_or_too_big_are_refused_and_change_nothing() {
    let mut c = locked_month();
    c.sign_in("admin");
    let before = state(&c);
    let files = files_in(&c);
    let path = c.dir.path().join("x.xlsx");
    let good = json!({"name": "台账.xlsx", "base64": "UEsDBA=="});
    let refusals = [
        (
            "payment.roster",
            json!({"month": "2025-12"}),
            "path",
            "请填写保存花名册的文件路径",
        ),
        (
            "payment.roster",
            json!({"month": "2025-12", "path": path, "deliver": "bytes"}),
            "deliver",
            "只能填一个",
        ),
        (
            "payment.roster",
            json!({"month": "2025-12", "deliver": "paper"}),
            "deliver",
            "",
        ),
        (
            "stats.export",
            json!({"month": "2025-12", "deliver": "bytes", "format": "doc"}),
            "format",
            ".xlsx",
        ),
        (
            "system.backup",
            json!({}),
            "dest",
            "请填写保存备份的文件路径",
        ),
        (
            "system.backup",
            json!({"dest": path, "deliver": "bytes"}),
            "deliver",
            "只能填一个",
        ),
        (
            "document.approval_form",
            json!({"case_id": 1, "path": path, "deliver": "bytes"}),
            "deliver",
            "只能填一个",
        ),
        (
            "benefit.what_if",
            json!({"key": "dibao.standard", "scope": "rural", "value": "900", "effective_from": "2026-01-01", "month": "2026-01", "xlsx": path, "deliver": "bytes"}),
            "deliver",
            "只能填一个",
        ),
        ("ledger.preview", json!({}), "path", "请填写台账文件的路径"),
        (
            "ledger.import",
            json!({"path": path, "upload": good}),
            "upload",
            "只能填一个",
        ),
        (
            "ledger.import",
            json!({"upload": {"name": "台账.xlsx", "base64": "不是base64"}}),
            "upload",
            "base64",
        ),
        (
            "ledger.import",
            json!({"upload": {"name": "台账.xlsx", "base64": "UEsDB"}}),
            "upload",
            "base64",
        ),
        (
            "ledger.import",
            json!({"upload": {"name": "../台账.xlsx", "base64": "UEsDBA=="}}),
            "upload.name",
            "文件夹",
        ),
        (
            "ledger.import",
            json!({"upload": {"name": "台账", "base64": "UEsDBA=="}}),
            "upload.name",
            "扩展名",
        ),
        (
            "ledger.import",
            json!({"upload": {"name": "台账.xlsx"}}),
            "upload.base64",
            "缺少",
        ),
        (
            "ledger.import",
            json!({"upload": {"name": "台账.xlsx", "base64": "UEsDBA=="}}),
            "upload",
            "台账.xlsx",
        ),
        (
            "payment.bank_return",
            json!({"month": "2025-12"}),
            "path",
            "请填写银行回盘文件的路径",
        ),
        (
            "payment.bank_return",
            json!({"month": "2025-12", "upload": {"name": "回盘.csv", "base64": "%%%"}}),
            "upload",
            "base64",
        ),
        (
            "standard.import",
            json!({"format": "doudi-standards/1", "rows": [], "upload": good}),
            "rows",
            "只能填一种",
        ),
        (
            "standard.import",
            json!({"upload": {"name": "s.json", "base64": b64(b"{not json")}}),
            "upload",
            "s.json",
        ),
        ("standard.import", json!({}), "format", "缺少"),
    ];
    for (cmd, input, field, words) in refusals {
        let e = c.err(cmd, input.clone());
        assert_eq!(e.field.as_deref(), Some(field), "{cmd} {input}: {e:?}");
        assert!(e.message.contains(words), "{cmd} {input}: {}", e.message);
        assert!(
            !e.message.contains("/tmp") && !e.message.contains("doudi-"),
            "{}",
            e.message
        );
    }
    // Over 50 MB is refused before it is decoded.
    let huge = "A".repeat(70 * 1024 * 1024);
    let e = c.err(
        "ledger.import",
        json!({"upload": {"name": "台账.xlsx", "base64": huge}}),
    );
    assert_eq!(e.field.as_deref(), Some("upload"));
    assert!(e.message.contains("50 MB"), "{}", e.message);
    assert_eq!(state(&c), before);
    assert_eq!(files_in(&c), files);
}
