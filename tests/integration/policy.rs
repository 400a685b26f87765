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
    set_from(c, key, scope, value, "2024-01-01");
}

fn set_from(c: &mut County, key: &str, scope: &str, value: &str, from: &str) {
    c.sign_in("admin");
    c.ok(
        "standard.set",
        json!({"key": key, "scope": scope, "effective_from": from, "value": value}),
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

/// A rural household whose head is registered as `job` and earns 800 a month in wages.
fn earner(c: &mut County, job: &str, seq: u32) -> i64 {
    c.sign_in("jbr1");
    let mut input = household_input(c, "王五", &id("19800101", seq));
    input["head"]["employment"] = json!(job);
    let v = c.ok("household.create", input);
    let h = v["household"]["id"].as_i64().unwrap();
    let head = v["members"][0]["person_id"].as_i64().unwrap();
    c.ok(
        "finances.set",
        json!({"household_id": h, "incomes": [{"person_id": head, "kind": "wage", "period": "monthly", "amount": "800"}]}),
    );
    h
}

#[test]
fn a_migrant_workers_deduction_on_the_work_places_urban_standard_and_only_for_the_marked() {
    let mut c = county();
    seed_standards(&mut c, "jbr1");
    let migrant = earner(&mut c, "migrant", 51);
    let farmer = earner(&mut c, "farming", 53);
    let dibao = |c: &mut County, h: i64| {
        calc(
            c,
            json!({"household_id": h, "programme": "dibao", "month": "2024-06"}),
        )["amount"]
            .clone()
    };
    // By default 30 % of wages for everyone: 660 − (9,600 − 2,880) / 12 = 100.
    assert_eq!(dibao(&mut c, migrant), "100.00");
    assert_eq!(dibao(&mut c, farmer), "100.00");
    // The 外出务工 member on 30 % of the work place's urban standard (871): 9,600 − 3,135.60.
    set(
        &mut c,
        "dibao.employment_cost.migrant_basis",
        "all",
        "work_place",
    );
    assert_eq!(dibao(&mut c, migrant), "121.30");
    assert_eq!(dibao(&mut c, farmer), "100.00");
    // Only members registered as 外出务工 have the deduction: the farmer's 800 is counted whole.
    set(&mut c, "dibao.employment_cost.who", "all", "migrant");
    assert_eq!(dibao(&mut c, farmer), "0.00");
    assert_eq!(dibao(&mut c, migrant), "121.30");
}

#[test]
fn tekun_care_by_wage_fraction_differs_for_an_institution_where_the_county_says_so() {
    let mut c = county();
    seed_standards(&mut c, "jbr1");
    let h = household(&mut c, "rural");
    set(&mut c, "tekun.care.mode", "all", "wage_fraction");
    let tekun = |c: &mut County, setting: &str| {
        calc(c, json!({"household_id": h, "programme": "tekun", "month": "2024-06", "setting": setting}))["amount"].clone()
    };
    // 全自理: 1/10 of 1,650 = 165 on the rural basic 962, in an institution as at home.
    assert_eq!(tekun(&mut c, "institution"), "1127.00");
    // A 20 % uplift for 集中: 165 × 1.2 = 198; care at home unchanged.
    set(&mut c, "tekun.care.institution.basis", "all", "uplift");
    set(&mut c, "tekun.care.institution.uplift", "all", "20%");
    assert_eq!(tekun(&mut c, "institution"), "1160.00");
    assert_eq!(tekun(&mut c, "home"), "1127.00");
    // Its own fractions for 集中: 1/5 of 1,650 = 330.
    set_from(
        &mut c,
        "tekun.care.institution.basis",
        "all",
        "own",
        "2024-03-01",
    );
    set(&mut c, "tekun.care.institution.fraction.self", "all", "1/5");
    assert_eq!(tekun(&mut c, "institution"), "1292.00");
    assert_eq!(tekun(&mut c, "home"), "1127.00");
}

#[test]
fn a_temp_aid_category_capped_at_three_times_the_urban_standard() {
    let mut c = county();
    seed_standards(&mut c, "jbr1");
    let h = household(&mut c, "rural");
    let tiers = r#"[{"code":"emergency_3","label":"急难型三档","kind":"emergency","multiple":"6"},{"code":"migrant_unemployed","label":"外来务工人员失业","kind":"emergency","multiple":"6","cap":"3","cap_on":"urban"}]"#;
    set(&mut c, "temp.tiers", "all", tiers);
    let aid = |c: &mut County, tier: &str| {
        calc(c, json!({"household_id": h, "programme": "temp_aid", "month": "2024-06", "kind": "emergency", "tier": tier}))["amount"].clone()
    };
    // 6 × 660 = 3,960 held to 3 × the urban 871 = 2,613; other emergencies reach 3,960.
    assert_eq!(aid(&mut c, "migrant_unemployed"), "2613.00");
    assert_eq!(aid(&mut c, "emergency_3"), "3960.00");
}

#[test]
fn temp_aid_on_the_standard_of_where_the_family_lives_where_the_county_says_so() {
    let mut c = county();
    seed_standards(&mut c, "jbr2");
    // Registered rural, living in 幸福社区 of 东城街道 (urban).
    let mut input = household_input(&c, "赵六", &id("19850101", 61));
    input["village_id"] = json!(c.village2);
    input["group_id"] = json!(null);
    let h = c.ok("household.create", input)["household"]["id"]
        .as_i64()
        .unwrap();
    let aid = json!({"household_id": h, "programme": "temp_aid", "month": "2024-06", "kind": "emergency", "multiple": "6"});
    assert_eq!(c.ok("benefit.calculate", aid.clone())["amount"], "3960.00");
    set(&mut c, "temp.basis_area", "all", "residence");
    c.sign_in("jbr2");
    assert_eq!(c.ok("benefit.calculate", aid)["amount"], "5226.00");
}
