//! County policy settings of issue 13 through the command layer: the price subsidy's per-cent
//! input and rise basis, the 就业成本 basis, 特困 care by setting, 临时救助 caps by category.

use serde_json::{json, Value};

use crate::common::{county, household_input, id, seed_standards, County};

fn household(c: &mut County, hukou: &str) -> i64 {
    let mut input = household_input(c, "张三", &id("19700101", 11));
    input["hukou"] = json!(hukou);
    c.ok("household.create", input)["household"]["id"]
        .as_i64()
        .unwrap()
}

fn set(c: &mut County, key: &str, scope: &str, value: &str) {
    c.sign_in("admin");
    c.ok(
        "standard.set",
        json!({"key": key, "scope": scope, "effective_from": "2024-01-01", "value": value}),
    );
}

fn calc(c: &mut County, input: Value) -> Value {
    c.sign_in("jbr1");
    c.ok("benefit.calculate", input)
}

#[test]
fn a_cpi_rise_typed_as_a_fraction_is_refused_not_silently_unpaid() {
    let mut c = county();
    seed_standards(&mut c, "admin");
    // 0.036 was read as 0.036 % and the grant recorded paying nobody anything.
    let e = c.err(
        "payment.batch_grant",
        json!({"month": "2026-06", "kind": "price_subsidy", "cpi_rise": "0.036"}),
    );
    assert_eq!(e.field.as_deref(), Some("cpi_rise"));
    assert!(
        e.message.contains("按百分数填写") && e.message.contains("请填写 3.6"),
        "{}",
        e.message
    );
    let v = c.ok(
        "payment.batch_grant",
        json!({"month": "2026-06", "kind": "price_subsidy", "cpi_rise": "3.6"}),
    );
    assert_eq!(v["per_person"]["dibao_urban"], "31.00");
    let h = household(&mut c, "rural");
    c.sign_in("jbr1");
    let e = c.err(
        "benefit.calculate",
        json!({"household_id": h, "programme": "price_subsidy", "month": "2024-06", "cpi_rise": "0.036"}),
    );
    assert_eq!(e.field.as_deref(), Some("cpi_rise"));
}

#[test]
fn where_cpi_and_food_both_trigger_the_county_chooses_the_rise() {
    let mut c = county();
    seed_standards(&mut c, "jbr1");
    let h = household(&mut c, "rural");
    let input = json!({"household_id": h, "programme": "price_subsidy", "month": "2024-06", "cpi_rise": "3.6", "food_rise": "6.5"});
    // By default the CPI rise: 660 × 3.6 % = 23.76 → 24 yuan.
    assert_eq!(calc(&mut c, input.clone())["amount"], "24.00");
    set(&mut c, "price.rise_basis", "all", "higher");
    // The higher, food: 660 × 6.5 % = 42.90 → 43 yuan.
    assert_eq!(calc(&mut c, input)["amount"], "43.00");
}
