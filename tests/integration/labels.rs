//! Plain Chinese everywhere: every command, audit action, record kind, case state and standard key
//! has a Chinese label the UI reads from the core (`labels.get`); the audit trail reads as
//! Chinese lines, filtered by user, dates, case number, operation and kind, and exports as .xlsx.

use doudi_core::commands::COMMANDS;
use doudi_core::labels::{is_chinese, AUDIT_ACTIONS};
use doudi_core::rules::CATALOGUE;
use doudi_core::workflow::deliberation::DelibState;
use doudi_core::workflow::temp::TempState;
use doudi_core::workflow::CaseState;
use doudi_core::{FixedClock, Session};
use serde_json::{json, Value};

use crate::common::{county, household_input, id, unreadable_audit, unreadable_line};

fn labels_of(list: &Value) -> Vec<(String, String)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["code"].as_str().unwrap().to_owned(),
                c["label"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn all_chinese(what: &str, pairs: &[(String, String)]) {
    for (code, label) in pairs {
        assert!(is_chinese(label), "{what} {code} is labelled {label:?}");
    }
}

#[test]
fn every_command_action_state_and_standard_has_a_chinese_label() {
    let mut c = county();
    let l = c.ok("labels.get", json!({}));

    let commands = labels_of(&l["commands"]);
    assert_eq!(commands.len(), COMMANDS.len());
    for cmd in COMMANDS {
        assert!(
            commands.iter().any(|(code, _)| code == cmd.name),
            "{} missing",
            cmd.name
        );
    }
    all_chinese("command", &commands);

    let actions = labels_of(&l["actions"]);
    assert_eq!(actions.len(), COMMANDS.len() + AUDIT_ACTIONS.len());
    all_chinese("audit action", &actions);
    all_chinese("record kind", &labels_of(&l["entities"]));

    let states = |entity: &str| {
        let kind = l["states"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["entity"] == entity)
            .unwrap_or_else(|| panic!("no states for {entity}"));
        assert!(is_chinese(kind["label"].as_str().unwrap()));
        labels_of(&kind["states"])
    };
    let dibao = states("case");
    assert_eq!(
        dibao.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>(),
        CaseState::ALL
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
    );
    let temp = states("temp_aid_case");
    assert_eq!(temp.len(), TempState::ALL.len());
    let delib = states("deliberation_case");
    assert_eq!(delib.len(), DelibState::ALL.len());
    for (what, list) in [
        ("低保/特困", &dibao),
        ("临时救助", &temp),
        ("一事一议", &delib),
    ] {
        all_chinese(what, list);
    }
    // The words the workflow itself uses: one source, no second table.
    assert!(delib.contains(&("signed_off".into(), DelibState::SignedOff.label().into())));
    for kind in ["meeting", "payment_run", "recompute_batch"] {
        all_chinese(kind, &states(kind));
    }

    let standards = l["standards"].as_array().unwrap();
    let scoped: usize = CATALOGUE
        .iter()
        .map(|d| if d.per_area() { 2 } else { 1 })
        .sum();
    assert_eq!(standards.len(), scoped);
    for s in standards {
        let label = s["label"].as_str().unwrap();
        assert!(
            is_chinese(label),
            "standard {} is labelled {label:?}",
            s["key"]
        );
        assert!(
            !label.contains('.'),
            "standard label {label:?} looks like a key"
        );
    }
}

#[test]
fn a_demo_county_audit_trail_reads_in_chinese() {
    let mut s = Session::in_memory(Box::new(FixedClock::on(crate::common::today()))).unwrap();
    doudi_core::demo::generate(
        &mut s,
        &doudi_core::demo::DemoOptions {
            households: 40,
            seed: 3,
        },
    )
    .unwrap();
    let bad = unreadable_audit(s.connection());
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    doudi_core::call(
        &mut s,
        "auth.sign_in",
        json!({"username": "spr", "password": doudi_core::demo::PASSWORD}),
    )
    .unwrap();
    let rows = doudi_core::call(&mut s, "audit.list", json!({"limit": 1000})).unwrap()["rows"]
        .as_array()
        .unwrap()
        .clone();
    assert!(rows.len() > 100);
    for r in &rows {
        for key in ["action_label", "entity_label"] {
            let label = r[key].as_str().unwrap();
            assert!(is_chinese(label), "row {} {key} {label:?}", r["id"]);
        }
        for line in r["lines"].as_array().unwrap() {
            let line = line.as_str().unwrap();
            assert_eq!(unreadable_line(line), None, "{line}");
        }
    }
}

#[test]
fn audit_lines_name_areas_states_and_money_in_words() {
    let mut c = county();
    let h = c.ok(
        "household.create",
        household_input(&c, "张三", &id("19700101", 11)),
    )["household"]["id"]
        .as_i64()
        .unwrap();
    let mut input = household_input(&c, "张三", &id("19700101", 11));
    input["id"] = json!(h);
    input["address"] = json!("东街 18 号");
    input.as_object_mut().unwrap().remove("head");
    c.ok("household.update", input);
    let rows = c.ok("audit.list", json!({"entity": "household", "entity_id": h}))["rows"].clone();
    let created = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["command"] == "household.create" && r["entity"] == "household")
        .unwrap();
    assert_eq!(created["action_label"], "登记家庭");
    assert_eq!(created["entity_label"], "家庭");
    let lines: Vec<&str> = created["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(lines.contains(&"村（社区）：李庄村"), "{lines:?}");
    let updated = &rows[0];
    assert_eq!(updated["action_label"], "修改家庭信息");
    assert!(updated["lines"].as_array().unwrap().iter().any(|l| l
        .as_str()
        .unwrap()
        .starts_with("住址：")
        && l.as_str().unwrap().ends_with("→ 东街 18 号")));
}

#[test]
fn audit_filters_by_user_dates_case_action_and_kind() {
    let mut c = county();
    let h = c.ok(
        "household.create",
        household_input(&c, "张三", &id("19700101", 11)),
    )["household"]["id"]
        .as_i64()
        .unwrap();
    let case = c.ok("case.create", json!({"household_id": h, "programme": "dibao", "applied_on": "2026-11-20", "application_note": "丈夫患病"}));
    let number = case["number"].as_str().unwrap().to_owned();
    c.sign_in("spr");
    let list = |c: &mut crate::common::County, input: Value| {
        let r = c.ok("audit.list", input);
        (
            r["rows"].as_array().unwrap().clone(),
            r["filter"].as_str().unwrap().to_owned(),
        )
    };

    let (rows, words) = list(&mut c, json!({"user": "jbr1"}));
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["user_name"] == "jbr1"));
    assert_eq!(words, "操作人 jbr1");

    let (rows, _) = list(&mut c, json!({"case_number": number}));
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["action_label"], "登记低保/特困申请");
    assert_eq!(rows[0]["entity_label"], "低保/特困案件");
    let state_line = rows[0]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l == "状态：已申请");
    assert!(state_line, "{:?}", rows[0]["lines"]);

    let (rows, _) = list(&mut c, json!({"action": "household.create"}));
    assert!(!rows.is_empty() && rows.iter().all(|r| r["command"] == "household.create"));
    let (rows, _) = list(&mut c, json!({"kind": "area"}));
    assert!(!rows.is_empty() && rows.iter().all(|r| r["entity"] == "area"));

    let today = crate::common::today().to_string();
    let (rows, words) = list(&mut c, json!({"from": today, "to": today}));
    assert!(!rows.is_empty());
    assert_eq!(words, format!("{today} 至 {today}"));
    let (rows, _) = list(&mut c, json!({"to": "2026-01-01"}));
    assert!(rows.is_empty());

    let before = c.counts();
    let e = c.err(
        "audit.list",
        json!({"from": "2026-11-23", "to": "2026-11-01"}),
    );
    assert_eq!(e.field.as_deref(), Some("to"));
    assert!(e.message.contains("结束日期"), "{}", e.message);
    let e = c.err("audit.list", json!({"action": "payment.steal"}));
    assert_eq!(e.field.as_deref(), Some("action"));
    assert!(e.message.contains("操作"), "{}", e.message);
    let e = c.err("audit.list", json!({"kind": "spaceship"}));
    assert_eq!(e.field.as_deref(), Some("kind"));
    assert_eq!(c.counts(), before, "nothing written");

    // A township caseworker reads a household's rows, not the trail by user.
    c.sign_in("jbr1");
    c.ok("audit.list", json!({"entity": "household", "entity_id": h}));
    let e = c.err("audit.list", json!({"user": "spr"}));
    assert_eq!(e.code, doudi_core::ErrorCode::Forbidden);
}

#[test]
fn audit_export_writes_the_filtered_rows_as_xlsx() {
    let mut c = county();
    c.ok(
        "household.create",
        household_input(&c, "张三", &id("19700101", 11)),
    );
    c.sign_in("spr");
    let r = c.ok("audit.export", json!({"user": "jbr1", "deliver": "bytes"}));
    assert!(r["rows"].as_u64().unwrap() >= 1);
    assert_eq!(r["filter"], "操作人 jbr1");
    let file = &r["file"];
    assert!(file["name"].as_str().unwrap().ends_with(".xlsx"));
    assert!(file["size"].as_u64().unwrap() > 1000);

    let path = c.dir.path().join("审计记录.xlsx");
    let r = c.ok("audit.export", json!({"path": path.to_str().unwrap()}));
    assert_eq!(r["path"], path.to_str().unwrap());
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(&bytes[..2], b"PK", "an xlsx is a zip");

    let before = c.counts();
    let e = c.err(
        "audit.export",
        json!({"path": c.dir.path().join("a.csv").to_str().unwrap()}),
    );
    assert_eq!(e.field.as_deref(), Some("path"));
    let e = c.err("audit.export", json!({}));
    assert_eq!(e.field.as_deref(), Some("path"));
    assert_eq!(c.counts(), before, "nothing written");
    let last = c.ok("audit.list", json!({"limit": 1}))["rows"][0].clone();
    assert_eq!(last["command"], "audit.export");
    assert_eq!(last["action_label"], "导出审计记录");

    c.sign_in("jbr1");
    let e = c.err("audit.export", json!({"deliver": "bytes"}));
    assert_eq!(e.code, doudi_core::ErrorCode::Forbidden);
}

#[test]
fn standards_read_in_words_not_keys() {
    let mut c = county();
    c.sign_in("admin");
    let cat = c.ok("standard.catalogue", json!({}));
    let key = |k: &str| {
        cat["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["key"] == k)
            .unwrap()
            .clone()
    };
    assert_eq!(key("dibao.employment_cost.ratio")["default_text"], "30%");
    assert_eq!(key("dibao.marginal_multiplier")["default_text"], "1.5 倍");
    assert_eq!(
        key("tekun.care.fraction.partial")["default_text"],
        "1/6（≈16.66%）"
    );
    assert_eq!(key("dibao.standard")["default_text"]["urban"], "871.00 元");
    let tiers = key("temp.tiers")["default_text"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(tiers.contains("（急难型）：2 倍"), "{tiers}");
    assert_eq!(unreadable_line(&tiers), None, "{tiers}");
    let dibao = key("dibao.tiers")["default_text"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        dibao.starts_with("人均收入低于标准的 0.25 倍：补差 0.9 倍"),
        "{dibao}"
    );
    assert_eq!(key("temp.cause_caps")["default_text"], "无");
    c.ok(
        "standard.set",
        json!({"key": "tekun.basic.amount", "scope": "urban", "effective_from": "2026-01-01", "value": "1220"}),
    );
    let rows = c.ok("standard.list", json!({}))["rows"].clone();
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "tekun.basic.amount")
        .unwrap()
        .clone();
    assert_eq!(row["label"], "城市特困人员基本生活标准");
    assert_eq!(row["value"], "1220.00", "typed form unchanged");
    assert_eq!(row["value_text"], "1,220.00 元");
}
