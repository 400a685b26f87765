//! Amounts through the command layer: the household's registry and finances, the county's dated
//! standards, and the trail that explains every yuan.

use serde_json::{json, Value};

use crate::common::{county, household_input, id, seed_standards, County};

fn family_of_three(c: &mut County) -> i64 {
    let mut input = household_input(c, "张三", &id("19700101", 11));
    input["members"] = json!([
        {"relation": "spouse", "name": "李梅", "id_number": id("19720305", 22)},
        {"relation": "child", "name": "张小宝", "id_number": id("20030601", 33)},
    ]);
    let v = c.ok("household.create", input);
    let h = v["household"]["id"].as_i64().unwrap();
    let head = v["members"][0]["person_id"].as_i64().unwrap();
    c.ok(
        "finances.set",
        json!({"household_id": h, "incomes": [{"person_id": head, "kind": "other", "period": "monthly", "amount": "1894"}]}),
    );
    h
}

fn texts(v: &Value) -> Vec<String> {
    v["trail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["text"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn dibao_for_a_family_of_three_is_two_yuan() {
    let mut c = county();
    seed_standards(&mut c, "admin");
    c.ok("standard.set", json!({"key": "dibao.standard", "scope": "rural", "effective_from": "2024-01-01", "value": "632"}));
    c.sign_in("jbr1");
    let h = family_of_three(&mut c);
    let v = c.ok(
        "benefit.calculate",
        json!({"household_id": h, "programme": "dibao", "month": "2024-06"}),
    );
    assert_eq!(
        v["amount"], "2.00",
        "632 × 3 − 1894 = 2 (the rounded per-capita route would give 3)"
    );
    let t = texts(&v);
    assert!(
        t.iter()
            .any(|l| l.contains("农村低保标准") && l.contains("632") && l.contains("2024-01-01")),
        "{t:#?}"
    );
    // A month before that standard uses the older value (660 from 2023-01-01): 660 × 3 − 1894 = 86.
    let v = c.ok(
        "benefit.calculate",
        json!({"household_id": h, "programme": "dibao", "month": "2023-12"}),
    );
    assert_eq!(v["amount"], "86.00");
    assert!(texts(&v)
        .iter()
        .any(|l| l.contains("660") && l.contains("2023-01-01")));
}

#[test]
fn no_standard_in_force_is_named() {
    let mut c = county();
    seed_standards(&mut c, "jbr1");
    let h = family_of_three(&mut c);
    let e = c.err(
        "benefit.calculate",
        json!({"household_id": h, "programme": "dibao", "month": "2019-01"}),
    );
    assert!(
        e.message
            .contains("没有 2019-01-01 起生效的农村低保标准，请先配置保障标准"),
        "{}",
        e.message
    );
    let e = c.err(
        "benefit.calculate",
        json!({"household_id": h, "programme": "dibao", "month": "2024-13"}),
    );
    assert_eq!(e.field.as_deref(), Some("month"));
    let e = c.err(
        "benefit.calculate",
        json!({"household_id": h, "programme": "welfare", "month": "2024-01"}),
    );
    assert_eq!(e.field.as_deref(), Some("programme"));
}

#[test]
fn temp_aid_and_classification() {
    let mut c = county();
    seed_standards(&mut c, "jbr1");
    let mut input = household_input(&c, "王五", &id("19800101", 51));
    input["hukou"] = json!("urban");
    let v = c.ok("household.create", input);
    let h = v["household"]["id"].as_i64().unwrap();
    // 6 × the urban standard 871 = 5,226.
    let v = c.ok(
        "benefit.calculate",
        json!({"household_id": h, "programme": "temp_aid", "month": "2024-03", "kind": "emergency", "multiple": "6"}),
    );
    assert_eq!(v["amount"], "5226.00");
    let v = c.ok(
        "benefit.classify",
        json!({"household_id": h, "date": "2024-03-01"}),
    );
    assert!(!v["label"].as_str().unwrap().is_empty());
    assert!(!v["reasons"].as_array().unwrap().is_empty());
}

/// Regression: a baby born after the first day of the month made the rules refuse the household.
#[test]
fn a_child_born_during_the_month_counts_from_the_next() {
    let mut c = county();
    seed_standards(&mut c, "admin");
    c.ok("standard.set", json!({"key": "dibao.standard", "scope": "rural", "effective_from": "2024-01-01", "value": "632"}));
    c.sign_in("jbr1");
    let h = family_of_three(&mut c);
    c.ok("member.add", json!({"household_id": h, "relation": "grandchild", "name": "张小丫", "id_number": id("20261110", 44)}));
    // November: the three of before (the baby was born on the 10th): still 2.00.
    let v = c.ok(
        "benefit.calculate",
        json!({"household_id": h, "programme": "dibao", "month": "2026-11"}),
    );
    assert_eq!(v["amount"], "2.00", "{:#?}", texts(&v));
}
