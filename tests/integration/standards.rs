//! Dated standards: entered by the administrator, never changed once in force, exported and
//! imported as JSON.

use doudi_core::ErrorCode;
use serde_json::json;

use crate::common::county;

#[test]
fn set_list_and_the_value_in_force() {
    let mut c = county();
    c.sign_in("admin");
    c.ok("standard.set", json!({"key": "dibao.standard", "scope": "rural", "effective_from": "2022-01-01", "value": "593"}));
    c.ok("standard.set", json!({"key": "dibao.standard", "scope": "rural", "effective_from": "2023-01-01", "value": "660"}));
    let future = c.ok("standard.set", json!({"key": "dibao.standard", "scope": "rural", "effective_from": "2027-01-01", "value": "700"}));
    assert_eq!(future["value"], "700.00");
    let rows = c.ok("standard.list", json!({}))["rows"].clone();
    let rural: Vec<_> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["key"] == "dibao.standard")
        .collect();
    assert_eq!(rural.len(), 3);
    assert!(
        rural[0]["label"].as_str().unwrap().starts_with("农村低保"),
        "{}",
        rural[0]["label"]
    );
    let flags: Vec<(bool, bool)> = rural
        .iter()
        .map(|r| {
            (
                r["in_force"].as_bool().unwrap(),
                r["future"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(flags, [(false, false), (true, false), (false, true)]);
    assert_eq!(rural[1]["value"], "660.00");
    // As of 2022-06-01 the older value is in force.
    let rows = c.ok("standard.list", json!({"as_of": "2022-06-01"}))["rows"].clone();
    let in_force: Vec<_> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["key"] == "dibao.standard" && r["in_force"] == true)
        .collect();
    assert_eq!(in_force.len(), 1);
    assert_eq!(in_force[0]["value"], "593.00");
}

#[test]
fn values_in_force_are_never_changed() {
    let mut c = county();
    c.sign_in("admin");
    c.ok("standard.set", json!({"key": "dibao.standard", "scope": "rural", "effective_from": "2023-01-01", "value": "660"}));
    let e = c.err("standard.set", json!({"key": "dibao.standard", "scope": "rural", "effective_from": "2023-01-01", "value": "700"}));
    assert_eq!(e.field.as_deref(), Some("effective_from"));
    assert!(e.message.contains("已在执行，不能修改"), "{}", e.message);
    // A future value may be replaced, then withdrawn.
    c.ok("standard.set", json!({"key": "dibao.standard", "scope": "rural", "effective_from": "2027-01-01", "value": "700"}));
    let v = c.ok("standard.set", json!({"key": "dibao.standard", "scope": "rural", "effective_from": "2027-01-01", "value": "720"}));
    assert_eq!(v["value"], "720.00");
    let rows = c.ok("standard.list", json!({}))["rows"].clone();
    let ids: Vec<i64> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    let past = ids[0];
    let future = ids[1];
    assert!(c
        .err("standard.withdraw", json!({"id": past}))
        .message
        .contains("不能撤回"));
    c.ok("standard.withdraw", json!({"id": future}));
    assert_eq!(
        c.ok("standard.list", json!({}))["rows"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn bad_standards_name_the_field() {
    let mut c = county();
    c.sign_in("admin");
    let cases = [
        (
            json!({"key": "nope", "scope": "rural", "effective_from": "2023-01-01", "value": "1"}),
            "key",
            "没有名为“nope”",
        ),
        (
            json!({"key": "dibao.standard", "scope": "all", "effective_from": "2023-01-01", "value": "660"}),
            "scope",
            "分城市和农村",
        ),
        (
            json!({"key": "dibao.standard", "scope": "rural", "effective_from": "2023-01-01", "value": "-1"}),
            "value",
            "不能为负数",
        ),
        (
            json!({"key": "dibao.standard", "scope": "rural", "effective_from": "2023-01-01", "value": "abc"}),
            "value",
            "不是有效数字",
        ),
        (
            json!({"key": "dibao.standard", "scope": "city", "effective_from": "2023-01-01", "value": "660"}),
            "scope",
            "范围“city”无效",
        ),
    ];
    for (input, field, words) in cases {
        let e = c.err("standard.set", input.clone());
        assert_eq!(e.field.as_deref(), Some(field), "{input}: {e:?}");
        assert!(e.message.contains(words), "{input}: {}", e.message);
    }
    c.sign_in("jbr1");
    let e = c.err("standard.set", json!({"key": "dibao.standard", "scope": "rural", "effective_from": "2023-01-01", "value": "660"}));
    assert_eq!(e.code, ErrorCode::Forbidden);
}

#[test]
fn export_import_round_trip() {
    let mut a = county();
    a.sign_in("admin");
    a.ok("standard.set", json!({"key": "dibao.standard", "scope": "rural", "effective_from": "2023-01-01", "value": "660"}));
    a.ok("standard.set", json!({"key": "dibao.standard", "scope": "urban", "effective_from": "2023-01-01", "value": "871"}));
    let exported = a.ok("standard.export", json!({}));
    assert_eq!(exported["format"], "doudi-standards/1");
    let mut b = county();
    b.sign_in("admin");
    assert_eq!(b.ok("standard.import", exported.clone())["added"], 2);
    assert_eq!(
        b.ok("standard.import", exported.clone())["unchanged"],
        2,
        "re-importing adds nothing"
    );
    assert_eq!(b.ok("standard.export", json!({})), exported);
    // A contradicting value in force is refused whole.
    let mut bad = exported.clone();
    bad["rows"][1]["value"] = json!("999");
    bad["rows"].as_array_mut().unwrap().push(json!({"key": "exit.gradual_months", "scope": "all", "effective_from": "2023-01-01", "value": "6"}));
    let before = b.ok("standard.list", json!({}));
    let e = b.err("standard.import", bad);
    assert_eq!(e.field.as_deref(), Some("rows[1].value"));
    assert!(e.message.contains("未导入任何内容"), "{}", e.message);
    assert_eq!(b.ok("standard.list", json!({})), before);
    let e = b.err("standard.import", json!({"format": "excel", "rows": []}));
    assert_eq!(e.field.as_deref(), Some("format"));
}
