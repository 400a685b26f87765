//! The demo county as the user meets it: sign-ins, search, amounts, determinism.

use chrono::NaiveDate;
use serde_json::Value;

use super::*;
use crate::error::ErrorCode;
use crate::registry::{self, RawPerson};
use crate::{call, pinyin_index, FixedClock};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 15).unwrap()
}

fn county(households: usize, seed: u64) -> (Session, DemoSummary) {
    let mut s = Session::in_memory(Box::new(FixedClock::on(today()))).unwrap();
    let summary = generate(&mut s, &DemoOptions { households, seed }).unwrap();
    (s, summary)
}

fn sign_in(s: &mut Session, username: &str) -> Value {
    call(
        s,
        "auth.sign_in",
        json!({"username": username, "password": PASSWORD}),
    )
    .unwrap()
}

fn search(s: &mut Session, input: Value) -> Vec<Value> {
    call(s, "household.search", input).unwrap()["items"]
        .as_array()
        .unwrap()
        .clone()
}

/// Every household as `household.get` shows it.
fn all_households(s: &mut Session) -> Vec<Value> {
    let mut out = Vec::new();
    for page in 1.. {
        let items = search(s, json!({"page": page, "page_size": 200}));
        if items.is_empty() {
            break;
        }
        for i in items {
            out.push(call(s, "household.get", json!({"id": i["id"]})).unwrap());
        }
    }
    out
}

#[test]
fn same_seed_same_county() {
    let (mut a, sa) = county(150, 7);
    let (mut b, sb) = county(150, 7);
    let (mut c, _) = county(150, 8);
    assert_eq!(sa, sb);
    assert_eq!((sa.households, sa.townships), (150, 3));
    assert!(sa.villages >= 30 && sa.groups >= sa.villages, "{sa}");
    assert!((350..=500).contains(&sa.persons), "{sa}");
    for s in [&mut a, &mut b, &mut c] {
        sign_in(s, "spr");
    }
    let page = |s: &mut Session| search(s, json!({"page_size": 200}));
    assert_eq!(page(&mut a), page(&mut b));
    assert_ne!(page(&mut a), page(&mut c));
    let text = sa.to_string();
    assert!(
        text.contains("清河县") && text.contains("150 households") && text.contains("jbr1"),
        "{text}"
    );
}

#[test]
fn members_are_valid_and_plausible() {
    let (mut s, summary) = county(150, 7);
    sign_in(&mut s, "spr");
    let households = all_households(&mut s);
    assert_eq!(households.len(), 150);
    let mut persons = 0;
    for h in &households {
        let members = h["members"].as_array().unwrap();
        persons += members.len();
        assert!((1..=6).contains(&members.len()), "{h}");
        assert_eq!(members[0]["relation"], "head");
        let head_age = members[0]["age"].as_i64().unwrap();
        for m in members {
            let text = |k: &str| m[k].as_str();
            let raw = RawPerson {
                id_number: text("id_number").unwrap(),
                name: text("name").unwrap(),
                disability_type: text("disability_type"),
                disability_grade: m["disability_grade"].as_i64(),
                serious_illness: text("serious_illness"),
                labour_capacity: text("labour_capacity"),
                self_care: text("self_care"),
                student: text("student"),
                employment: text("employment"),
            };
            let f = registry::validate_person(&raw, today()).unwrap();
            assert_eq!(f.sex.as_str(), m["sex"]);
            assert!(f.id_number.starts_with(COUNTY_CODE));
            let age = m["age"].as_i64().unwrap();
            let gap = head_age - age;
            let ok = match text("relation").unwrap() {
                "child" => (18..=40).contains(&gap),
                "grandchild" => gap >= 36,
                "parent" | "grandparent" => gap <= -18,
                "spouse" => gap.abs() <= 6,
                _ => true,
            };
            assert!(
                ok,
                "relation and age do not fit: {m} (head aged {head_age})"
            );
            if age < 16 {
                assert!(m["employment"].is_null(), "{m}");
            }
        }
    }
    assert_eq!(persons, summary.persons);
}

#[test]
fn initials_of_a_head_find_the_household() {
    let (mut s, _) = county(150, 7);
    sign_in(&mut s, "jbr1");
    let heads = search(&mut s, json!({"page_size": 20}));
    assert!(!heads.is_empty());
    for h in heads {
        let name = h["head_name"].as_str().unwrap();
        let q = pinyin_index::variants(name).remove(0);
        let found = search(&mut s, json!({"q": q, "page_size": 200}));
        assert!(
            found.iter().any(|f| f["id"] == h["id"]),
            "{q} does not find {name}"
        );
    }
}

#[test]
fn the_member_unit_representative_speaks_for_a_unit() {
    let (mut s, _) = county(20, 1);
    sign_in(&mut s, "cydw");
    let v = call(&mut s, "deliberation.settings", Value::Null).unwrap();
    assert_eq!(v["user_units"][0]["display_name"], "孙立新");
    assert_eq!(v["user_units"][0]["unit"], "医保局");
}

#[test]
fn staff_sign_in_with_the_demo_password() {
    let (mut s, summary) = county(20, 1);
    let names: Vec<&str> = summary.users.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(
        names,
        ["admin", "jbr1", "shr1", "jbr3", "jbr2", "shr2", "spr", "spr2", "cydw"]
    );
    assert!(
        call(&mut s, "auth.status", Value::Null).unwrap()["user"].is_null(),
        "demo leaves nobody signed in"
    );
    let areas = {
        sign_in(&mut s, "admin");
        call(&mut s, "area.list", Value::Null).unwrap()["areas"]
            .as_array()
            .unwrap()
            .clone()
    };
    let townships: Vec<&Value> = areas.iter().filter(|a| a["level"] == "township").collect();
    let cases = [
        ("jbr1", "caseworker", townships[0]["id"].clone()),
        ("shr1", "reviewer", townships[0]["id"].clone()),
        ("jbr3", "caseworker", townships[0]["id"].clone()),
        ("jbr2", "caseworker", townships[1]["id"].clone()),
        ("shr2", "reviewer", townships[1]["id"].clone()),
        ("spr", "approver", areas[0]["id"].clone()),
        ("spr2", "approver", areas[0]["id"].clone()),
        ("cydw", "member_unit", areas[0]["id"].clone()),
        ("admin", "admin", areas[0]["id"].clone()),
    ];
    for (username, role, area_id) in cases {
        let v = sign_in(&mut s, username);
        assert_eq!(
            (&v["user"]["role"], &v["user"]["area_id"]),
            (&json!(role), &area_id),
            "{username}"
        );
    }
    let e = call(
        &mut s,
        "auth.sign_in",
        json!({"username": "spr", "password": "doudi2025"}),
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Unauthenticated);
}

#[test]
fn refuses_a_database_that_is_not_empty() {
    let (mut s, _) = county(10, 1);
    let e = generate(
        &mut s,
        &DemoOptions {
            households: 10,
            seed: 2,
        },
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::InvalidInput, Some("db"))
    );
    assert!(e.message.starts_with("数据库不是空的"), "{}", e.message);
    sign_in(&mut s, "spr");
    assert_eq!(
        call(&mut s, "household.search", json!({})).unwrap()["total"],
        10
    );
}

#[test]
fn audit_trail_is_intact_and_names_the_administrator() {
    let (mut s, _) = county(10, 1);
    sign_in(&mut s, "admin");
    let v = call(&mut s, "audit.verify", Value::Null).unwrap();
    assert_eq!(v["intact"], true, "{v}");
    let rows = call(&mut s, "audit.list", json!({"limit": 1000})).unwrap()["rows"]
        .as_array()
        .unwrap()
        .clone();
    for command in [
        "auth.setup",
        "area.create",
        "user.create",
        "household.create",
    ] {
        let row = rows
            .iter()
            .find(|r| r["command"] == command)
            .unwrap_or_else(|| panic!("no {command} row"));
        assert_eq!(row["user_name"], "admin", "{row}");
    }
}

#[test]
fn every_demo_household_has_an_account_the_bank_can_pay() {
    let (mut s, _) = county(150, 7);
    sign_in(&mut s, "spr");
    let households = all_households(&mut s);
    assert!(households.len() >= 150);
    for h in households {
        let h = &h["household"];
        let (bank, account) = (
            h["bank_name"].as_str().unwrap_or(""),
            h["bank_account"].as_str().unwrap_or(""),
        );
        assert_eq!(
            crate::payrun::account_problem(bank, account),
            None,
            "{bank} {account}"
        );
    }
}
