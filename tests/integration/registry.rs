//! Registering households and members; bad input is refused, names the field and writes nothing.

use doudi_core::ErrorCode;
use serde_json::{json, Value};

use crate::common::{county, household_input, id, County};

fn with(mut v: Value, path: &str, value: Value) -> Value {
    let mut cur = &mut v;
    let parts: Vec<&str> = path.split('.').collect();
    for p in &parts[..parts.len() - 1] {
        cur = &mut cur[*p];
    }
    cur[parts[parts.len() - 1]] = value;
    v
}

#[test]
fn register_a_household_with_members() {
    let mut c = county();
    let mut input = household_input(&c, "张三", &id("19700101", 11));
    input["members"] = json!([
        {"relation": "spouse", "name": "李梅", "id_number": id("19720305", 22)},
        {"relation": "child", "name": "张小宝", "id_number": id("20150601", 33), "student": "primary"},
    ]);
    let v = c.ok("household.create", input);
    let members = v["members"].as_array().unwrap();
    assert_eq!(members.len(), 3);
    assert_eq!(members[0]["name"], "张三");
    assert_eq!(members[0]["relation"], "head");
    assert_eq!(members[0]["birth_date"], "1970-01-01");
    assert_eq!(members[0]["sex"], "male");
    assert_eq!(members[1]["sex"], "female");
    assert_eq!(members[2]["age"], 11);
    assert_eq!(
        members[2]["labour_capacity"], "none",
        "an 11-year-old has no labour capacity by default"
    );
    assert_eq!(members[1]["labour_capacity"], "full");
    assert_eq!(v["household"]["village_name"], "李庄村");
    assert_eq!(v["household"]["group_name"], "三组");
    assert_eq!(v["household"]["bank_account"], "6222021234567890123");
}

/// Each bad input: (path to change, new value, field named, words in the message).
#[test]
fn bad_input_names_the_field_and_writes_nothing() {
    let mut c = county();
    let other = id("19600101", 51);
    c.ok("household.create", household_input(&c, "王五", &other));
    let good = household_input(&c, "张三", &id("19700101", 11));
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "head.id_number",
            json!("410122197001010110"),
            "head.id_number",
            "校验位错误",
        ),
        (
            "head.id_number",
            json!(format!(
                "41012219700231011{}",
                doudi_core::idcard::check_char("41012219700231011")
            )),
            "head.id_number",
            "不是有效日期",
        ),
        (
            "head.id_number",
            json!("AB0122197001010110"),
            "head.id_number",
            "前 17 位只能是数字",
        ),
        (
            "head.id_number",
            json!(format!(
                "99012219700101011{}",
                doudi_core::idcard::check_char("99012219700101011")
            )),
            "head.id_number",
            "地区码 990122 格式不正确",
        ),
        (
            "head.id_number",
            json!(other.clone()),
            "head.id_number",
            "已是城关镇李庄村",
        ),
        ("head.name", json!(""), "head.name", "姓名不能为空"),
        ("head.name", json!("张3"), "head.name", "不能包含数字"),
        ("phone", json!("1234"), "phone", "联系电话格式不正确"),
        (
            "bank_account",
            json!("6222-0212"),
            "bank_account",
            "只能是数字",
        ),
        (
            "bank_account",
            json!("62220212"),
            "bank_account",
            "12–30 位",
        ),
        ("bank_name", json!(""), "bank_name", "请同时填写开户银行"),
        ("address", json!("  "), "address", "请填写家庭住址"),
        (
            "hukou",
            json!("city"),
            "hukou",
            "户籍类别“city”不在可选范围内",
        ),
        (
            "village_id",
            json!(c.township),
            "village_id",
            "请选择所在村",
        ),
        ("group_id", json!(99999), "group_id", "所选的组不属于李庄村"),
        (
            "head.disability_type",
            json!("physical"),
            "head.disability_grade",
            "请同时选择残疾等级",
        ),
        (
            "head.employment",
            json!("nonsense"),
            "head.employment",
            "就业情况“nonsense”不在可选范围内",
        ),
    ];
    let before = c.counts();
    for (path, value, field, words) in cases {
        let input = with(good.clone(), path, value.clone());
        let e = c.err("household.create", input);
        assert_eq!(e.field.as_deref(), Some(field), "{path}={value}: {e:?}");
        assert!(e.message.contains(words), "{path}={value}: {}", e.message);
        assert_eq!(c.counts(), before, "{path}={value} wrote something");
    }
    // A member clashing with an active person elsewhere: refused whole, not half-written.
    let mut input = good.clone();
    input["members"] = json!([{"relation": "spouse", "name": "王五", "id_number": other}]);
    let e = c.err("household.create", input);
    assert_eq!(e.code, ErrorCode::Conflict);
    assert_eq!(e.field.as_deref(), Some("members[0].id_number"));
    assert_eq!(
        c.counts(),
        before,
        "the household and head must not be left behind"
    );
    // A malformed JSON field is named too.
    let e = c.err("household.create", with(good, "village_id", json!("abc")));
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert_eq!(e.field.as_deref(), Some("village_id"), "{e:?}");
}

fn household_id(v: &Value) -> i64 {
    v["household"]["id"].as_i64().unwrap()
}

fn person_id(v: &Value, name: &str) -> i64 {
    v["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == name)
        .unwrap()["person_id"]
        .as_i64()
        .unwrap()
}

#[test]
fn membership_history_is_kept() {
    let mut c: County = county();
    let a = c.ok(
        "household.create",
        household_input(&c, "张三", &id("19700101", 11)),
    );
    let ha = household_id(&a);
    let li = id("19950101", 22);
    let a = c.ok("member.add", json!({"household_id": ha, "relation": "child", "name": "张丽", "id_number": li, "joined_on": "2020-01-01"}));
    let li_person = person_id(&a, "张丽");
    // She marries into another household: she must leave the first one before joining.
    let b = c.ok(
        "household.create",
        household_input(&c, "刘强", &id("19930101", 31)),
    );
    let hb = household_id(&b);
    let e = c.err(
        "member.add",
        json!({"household_id": hb, "relation": "spouse", "name": "张丽", "id_number": li}),
    );
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.contains("请先在原户办理迁出"), "{}", e.message);
    let e = c.err("member.leave", json!({"household_id": ha, "person_id": li_person, "left_on": "2019-01-01", "reason": "moved_out"}));
    assert_eq!(e.field.as_deref(), Some("left_on"));
    c.ok("member.leave", json!({"household_id": ha, "person_id": li_person, "left_on": "2026-10-01", "reason": "moved_out"}));
    let b = c.ok(
        "member.add",
        json!({"household_id": hb, "relation": "spouse", "name": "张丽", "id_number": li}),
    );
    assert_eq!(
        person_id(&b, "张丽"),
        li_person,
        "the same person, not a copy"
    );
    // Search follows the open membership: she is found in her new household only.
    let found = c.ok("household.search", json!({"q": "张丽"}));
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["id"], hb);
    assert_eq!(
        c.ok("household.search", json!({"q": "zl"}))["items"][0]["id"],
        hb
    );
    let a = c.ok("household.get", json!({"id": ha}));
    assert_eq!(a["members"].as_array().unwrap().len(), 1);
    let hist = a["history"].as_array().unwrap();
    assert_eq!(hist.len(), 1);
    assert_eq!(hist[0]["name"], "张丽");
    assert_eq!(hist[0]["left_on"], "2026-10-01");
    assert_eq!(hist[0]["left_reason"], "moved_out");
}

#[test]
fn head_changes_and_death() {
    let mut c = county();
    let mut input = household_input(&c, "张三", &id("19400101", 11));
    input["members"] =
        json!([{"relation": "spouse", "name": "李梅", "id_number": id("19450305", 22)}]);
    let v = c.ok("household.create", input);
    let h = household_id(&v);
    let zs = person_id(&v, "张三");
    let lm = person_id(&v, "李梅");
    let e = c.err(
        "member.leave",
        json!({"household_id": h, "person_id": zs, "left_on": "2026-11-01", "reason": "moved_out"}),
    );
    assert!(e.message.contains("先为本户变更户主"), "{}", e.message);
    let e = c.err(
        "member.death",
        json!({"household_id": h, "person_id": zs, "death_date": "2027-01-01"}),
    );
    assert_eq!(e.field.as_deref(), Some("death_date"));
    let v = c.ok(
        "member.death",
        json!({"household_id": h, "person_id": zs, "death_date": "2026-11-20"}),
    );
    assert!(
        v["household"]["head_id"].is_null(),
        "the head died: no head until one is chosen"
    );
    assert_eq!(v["history"][0]["left_reason"], "death");
    assert_eq!(v["history"][0]["death_date"], "2026-11-20");
    let v = c.ok(
        "household.set_head",
        json!({"household_id": h, "person_id": lm}),
    );
    assert_eq!(v["household"]["head_id"], lm);
    assert_eq!(v["members"][0]["relation"], "head");
    // A dead person cannot be enrolled again.
    let e = c.err("member.add", json!({"household_id": h, "relation": "other", "name": "张三", "id_number": id("19400101", 11)}));
    assert!(e.message.contains("登记死亡"), "{}", e.message);
}

#[test]
fn member_update_and_id_check() {
    let mut c = county();
    let v = c.ok(
        "household.create",
        household_input(&c, "张三", &id("19700101", 11)),
    );
    let h = household_id(&v);
    let zs = person_id(&v, "张三");
    let v = c.ok(
        "member.update",
        json!({"household_id": h, "person_id": zs, "name": "张叁", "id_number": id("19700101", 11), "disability_type": "physical", "disability_grade": 2}),
    );
    assert_eq!(v["members"][0]["name"], "张叁");
    assert_eq!(v["members"][0]["disability_grade"], 2);
    let chk = c.ok("id.check", json!({"id_number": id("19700101", 11)}));
    assert_eq!(chk["birth_date"], "1970-01-01");
    assert_eq!(chk["existing"]["name"], "张叁");
    assert_eq!(chk["existing"]["household_id"], h);
    let e = c.err("id.check", json!({"id_number": "410122197001010110"}));
    assert_eq!(e.field.as_deref(), Some("id_number"));
}

#[test]
fn six_item_self_care_assessment() {
    let mut c = county();
    let v = c.ok(
        "household.create",
        household_input(&c, "张三", &id("19400101", 11)),
    );
    let h = household_id(&v);
    let zs = person_id(&v, "张三");
    let all = |eat: bool, bath: Option<bool>| {
        json!({"household_id": h, "person_id": zs, "items": {
            "eating": eat, "dressing": false, "getting_up": true, "toileting": true,
            "walking_indoors": false, "bathing": bath}})
    };
    // A missing item is refused, by field, and nothing changes.
    let before = c.counts();
    let e = c.err("member.assess_self_care", all(true, None));
    assert_eq!(e.field.as_deref(), Some("items.bathing"));
    assert!(e.message.contains("缺少“洗澡”一项"), "{}", e.message);
    assert_eq!(c.counts(), before);
    // Three failed items: 半护理; four: 全护理.
    let v = c.ok("member.assess_self_care", all(true, Some(false)));
    assert_eq!(v["assessment"]["self_care"], "partial");
    assert_eq!(v["members"][0]["self_care"], "partial");
    let v = c.ok("member.assess_self_care", all(false, Some(false)));
    assert_eq!(v["assessment"]["self_care"], "none");
    assert_eq!(v["assessment"]["failed"].as_array().unwrap().len(), 4);
    let v = c.ok("member.assess_self_care", json!({"household_id": h, "person_id": zs, "items": {
        "eating": true, "dressing": true, "getting_up": true, "toileting": true, "walking_indoors": true, "bathing": true}}));
    assert_eq!(v["members"][0]["self_care"], "self");
}
