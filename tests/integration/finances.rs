//! A household's income, expenditure and assets: amounts as yuan strings, integer fen inside,
//! bad items refused by field with nothing written.

use serde_json::json;

use crate::common::{county, household_input, id};

#[test]
fn statement_round_trip_and_bad_items() {
    let mut c = county();
    let v = c.ok(
        "household.create",
        household_input(&c, "张三", &id("19700101", 11)),
    );
    let h = v["household"]["id"].as_i64().unwrap();
    let zs = v["members"][0]["person_id"].as_i64().unwrap();
    let good = json!({
        "household_id": h,
        "incomes": [
            {"person_id": zs, "kind": "wage", "period": "monthly", "amount": "1894"},
            {"person_id": zs, "kind": "transfer", "period": "annual", "amount": "1,200.50", "exempt": true, "exempt_reason": "见义勇为奖励"},
        ],
        "expenditures": [{"person_id": zs, "kind": "medical", "annual_amount": "6000"}],
        "assets": {"deposits": "20000", "vehicles": 0, "extra_housing": 0},
    });
    let out = c.ok("finances.set", good.clone());
    assert_eq!(out["incomes"][0]["amount"], "1894.00");
    assert_eq!(out["incomes"][1]["amount"], "1200.50");
    assert_eq!(out["incomes"][0]["person_name"], "张三");
    assert_eq!(out["assets"]["deposits"], "20000.00");
    assert_eq!(c.ok("finances.get", json!({"household_id": h})), out);

    let before = c.ok("finances.get", json!({"household_id": h}));
    let cases = [
        (
            "/incomes/0/amount",
            json!("-5"),
            "incomes[0].amount",
            "不能为负数",
        ),
        (
            "/incomes/0/amount",
            json!("abc"),
            "incomes[0].amount",
            "不是有效数字",
        ),
        (
            "/incomes/0/amount",
            json!("1.234"),
            "incomes[0].amount",
            "精确到分",
        ),
        (
            "/incomes/0/kind",
            json!("salary"),
            "incomes[0].kind",
            "收入类别“salary”不在可选范围内",
        ),
        (
            "/incomes/0/person_id",
            json!(99999),
            "incomes[0].person_id",
            "不是本户在册成员",
        ),
        (
            "/incomes/1/exempt_reason",
            json!(""),
            "incomes[1].exempt_reason",
            "豁免依据",
        ),
        (
            "/expenditures/0/kind",
            json!("travel"),
            "expenditures[0].kind",
            "刚性支出类别",
        ),
        ("/assets/vehicles", json!(-1), "assets.vehicles", "0–99"),
    ];
    for (path, value, field, words) in cases {
        let mut input = good.clone();
        *input.pointer_mut(path).unwrap() = value;
        let e = c.err("finances.set", input);
        assert_eq!(e.field.as_deref(), Some(field), "{path}: {e:?}");
        assert!(e.message.contains(words), "{path}: {}", e.message);
    }
    assert_eq!(
        c.ok("finances.get", json!({"household_id": h})),
        before,
        "nothing written"
    );
    // The change is on the household's audit trail with before and after.
    let rows = c.ok("audit.list", json!({"entity": "household", "entity_id": h}));
    assert_eq!(rows["rows"][0]["command"], "finances.set");
    assert_eq!(rows["rows"][0]["after"]["incomes"][0]["amount"], "1894.00");
}
