//! Finding households by name, ID prefix, pinyin initials and village, page by page.

use serde_json::json;

use crate::common::{county, household_input, id};

#[test]
fn search_kinds() {
    let mut c = county();
    let names = ["张三", "张三丰", "单雪芹", "曾国藩", "李四", "刘䶮", "解缙"];
    for (i, n) in names.iter().enumerate() {
        c.ok(
            "household.create",
            household_input(&c, n, &id("19700101", 11 + 2 * i as u32)),
        );
    }
    let heads = |c: &mut crate::common::County, q: &str| -> Vec<String> {
        let v = c.ok("household.search", json!({"q": q}));
        let mut out: Vec<String> = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["head_name"].as_str().unwrap().to_owned())
            .collect();
        out.sort();
        out
    };
    let cases: &[(&str, &[&str])] = &[
        ("张三", &["张三", "张三丰"]),
        ("三丰", &["张三丰"]),
        ("䶮", &["刘䶮"]),
        ("zs", &["张三", "张三丰"]),
        ("ZSF", &["张三丰"]),
        ("sxq", &["单雪芹"]),
        ("zgf", &["曾国藩"]),
        ("ly", &["刘䶮"]),
        ("41012219700101011", &["张三"]),
        (
            "4101221970",
            &["刘䶮", "单雪芹", "张三", "张三丰", "曾国藩", "李四", "解缙"],
        ),
        ("x", &["解缙"]),
        ("%", &[]),
        ("王", &[]),
    ];
    for (q, want) in cases {
        let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(heads(&mut c, q), want, "q={q}");
    }
}

#[test]
fn paging_and_village_filter() {
    let mut c = county();
    for i in 0..25u32 {
        c.ok(
            "household.create",
            household_input(&c, "王小明", &id("19800101", 101 + 2 * i)),
        );
    }
    let p1 = c.ok(
        "household.search",
        json!({"q": "王小明", "page": 1, "page_size": 10}),
    );
    assert_eq!(p1["total"], 25);
    assert_eq!(p1["pages"], 3);
    assert_eq!(p1["items"].as_array().unwrap().len(), 10);
    let p3 = c.ok(
        "household.search",
        json!({"q": "王小明", "page": 3, "page_size": 10}),
    );
    assert_eq!(p3["items"].as_array().unwrap().len(), 5);
    let by_village = c.ok("household.search", json!({"village_id": c.village}));
    assert_eq!(by_village["total"], 25);
    c.sign_in("spr");
    let other = c.ok("household.search", json!({"village_id": c.village2}));
    assert_eq!(other["total"], 0);
    let e = c.err("household.search", json!({"page": 0}));
    assert_eq!(e.field.as_deref(), Some("page"));
}

/// Regression: a two-character name with a multi-byte last character panicked the ID-prefix test.
#[test]
fn search_with_multibyte_name_does_not_panic() {
    let mut c = county();
    c.ok(
        "household.create",
        household_input(&c, "李瑞", &id("19700101", 11)),
    );
    assert_eq!(c.ok("household.search", json!({"q": "李瑞"}))["total"], 1);
    assert_eq!(c.ok("household.search", json!({"q": "瑞"}))["total"], 1);
    assert_eq!(
        c.ok("household.search", json!({"q": "41012219700101011X"}))["total"],
        0
    );
}
