//! The case list at a county's scale through `case.list` and `case.export`: paging and totals,
//! each filter, each sort, search by name, initials, ID number and case number (IDs shown
//! masked), township scope, and bad input refused in Chinese naming the field.

use serde_json::{json, Value};

use super::{act, setup, to_notice};
use crate::common::{household_input, id, County};

/// Five cases in two townships: 张三 enrolled (paid from 2026-12), 李四 applied, 王五 accepted
/// (王庄村), 赵六 特困 applied (王庄村), 钱七 applied in 东城街道. Returns 王庄村's id.
fn five_cases(c: &mut County) -> i64 {
    let h = setup(c);
    let case = to_notice(c, h);
    c.sign_in("spr");
    act(c, case, "approve", json!({}));
    c.sign_in("admin");
    let wang = c.ok(
        "area.create",
        json!({"parent_id": c.township, "name": "王庄村"}),
    )["id"]
        .as_i64()
        .unwrap();
    c.sign_in("jbr1");
    let apply = |c: &mut County, name: &str, born: &str, village: Option<i64>, programme: &str| {
        let mut input = household_input(c, name, &id(born, 11));
        if let Some(v) = village {
            input["village_id"] = json!(v);
            input["group_id"] = Value::Null;
        }
        let h = c.ok("household.create", input)["household"]["id"]
            .as_i64()
            .unwrap();
        let mut app =
            json!({"household_id": h, "programme": programme, "applied_on": "2026-11-02"});
        if programme == "tekun" {
            app["support_mode"] = json!("dispersed");
        }
        c.ok("case.create", app)["id"].as_i64().unwrap()
    };
    apply(c, "李四", "19650203", None, "dibao");
    let wangwu = apply(c, "王五", "19580304", Some(wang), "dibao");
    act(c, wangwu, "accept", json!({}));
    apply(c, "赵六", "19400405", Some(wang), "tekun");
    c.sign_in("jbr2");
    apply(c, "钱七", "19800506", Some(c.village2), "dibao");
    c.sign_in("spr");
    wang
}

fn list(c: &mut County, input: Value) -> Value {
    c.ok("case.list", input)
}

fn heads(v: &Value) -> Vec<String> {
    v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["head_name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn pages_add_up_to_the_total() {
    let mut c = crate::common::county();
    five_cases(&mut c);
    let all = list(&mut c, json!({}));
    assert_eq!(
        (all["total"].as_i64(), all["pages"].as_i64()),
        (Some(5), Some(1))
    );
    let mut seen = vec![];
    for page in 1..=3 {
        let v = list(&mut c, json!({"page": page, "page_size": 2}));
        assert_eq!(
            (v["total"].as_i64(), v["pages"].as_i64()),
            (Some(5), Some(3))
        );
        assert_eq!(v["page"], page);
        seen.extend(heads(&v));
    }
    assert_eq!(seen, heads(&all), "the pages, in order, are the whole list");
    assert_eq!(
        heads(&list(&mut c, json!({"page": 4, "page_size": 2}))),
        Vec::<String>::new()
    );
    // The monthly amounts of every matching case, summed: 张三's alone.
    let zhang = &all["cases"][0];
    assert_eq!(zhang["head_name"], "张三");
    assert_eq!(zhang["state_label"], "在保");
    assert_eq!(zhang["current_amount"], Value::Null, "paid from next month");
    assert_eq!(zhang["pay_from"], "2026-12");
    assert_eq!(all["amount_total"], zhang["monthly_amount"]);
    assert!(
        zhang["monthly_amount"]
            .as_str()
            .unwrap()
            .parse::<f64>()
            .unwrap()
            > 0.0
    );
    assert_eq!(zhang["persons"], 3);
    assert!(all["states"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["label"] == "在保"));
}

#[test]
fn each_filter_narrows_the_list() {
    let mut c = crate::common::county();
    let wang = five_cases(&mut c);
    let t1 = c.township;
    let v2 = c.village2;
    let table = [
        (
            json!({"township_id": t1}),
            vec!["张三", "李四", "王五", "赵六"],
        ),
        (json!({"village_id": wang}), vec!["王五", "赵六"]),
        (json!({"village_id": v2}), vec!["钱七"]),
        (json!({"programme": "tekun"}), vec!["赵六"]),
        (json!({"state": "applied"}), vec!["李四", "赵六", "钱七"]),
        (
            json!({"state": "accepted", "township_id": t1}),
            vec!["王五"],
        ),
        (
            json!({"programme": "dibao", "state": "enrolled"}),
            vec!["张三"],
        ),
        (json!({"state": "refused"}), vec![]),
    ];
    for (input, want) in table {
        let v = list(
            &mut c,
            json!({"sort": "name"})
                .as_object()
                .unwrap()
                .clone()
                .into_iter()
                .chain(input.as_object().unwrap().clone())
                .collect(),
        );
        let mut got = heads(&v);
        got.sort();
        let mut want: Vec<String> = want.into_iter().map(str::to_owned).collect();
        want.sort();
        assert_eq!(got, want, "{input}");
        assert_eq!(v["total"].as_u64(), Some(want.len() as u64), "{input}");
    }
}

#[test]
fn each_sort_orders_the_list() {
    let mut c = crate::common::county();
    five_cases(&mut c);
    let check = |c: &mut County, sort: &str, order: &str, want: [&str; 5]| {
        let v = list(c, json!({"sort": sort, "order": order}));
        assert_eq!(
            (v["sort"].as_str(), v["order"].as_str()),
            (Some(sort), Some(order))
        );
        assert_eq!(heads(&v), want, "{sort} {order}");
    };
    // Numbers: DB-2026-000001 张三 … in the order applied; 特困 numbers after 低保.
    check(
        &mut c,
        "number",
        "asc",
        ["张三", "李四", "王五", "钱七", "赵六"],
    );
    check(
        &mut c,
        "number",
        "desc",
        ["赵六", "钱七", "王五", "李四", "张三"],
    );
    // Pinyin initials: ls, qq, ww, zl, zs.
    check(
        &mut c,
        "name",
        "asc",
        ["李四", "钱七", "王五", "赵六", "张三"],
    );
    // 城关镇 (李庄村, then 王庄村) before 东城街道, as their codes go.
    check(
        &mut c,
        "township",
        "asc",
        ["张三", "李四", "王五", "赵六", "钱七"],
    );
    // The procedure's order; ties by number.
    check(
        &mut c,
        "state",
        "desc",
        ["张三", "王五", "李四", "钱七", "赵六"],
    );
    // Cases without an amount last either way.
    check(
        &mut c,
        "amount",
        "asc",
        ["张三", "李四", "王五", "钱七", "赵六"],
    );
    check(
        &mut c,
        "amount",
        "desc",
        ["张三", "李四", "王五", "钱七", "赵六"],
    );
    // The last step: 王五's acceptance and 钱七's application came after 张三's approval.
    let v = list(&mut c, json!({"sort": "updated", "order": "desc"}));
    let times: Vec<&str> = v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["updated_at"].as_str().unwrap())
        .collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted);
}

#[test]
fn search_by_name_initials_id_and_number() {
    let mut c = crate::common::county();
    five_cases(&mut c);
    let zhao_id = id("19400405", 11);
    let table: [(&str, &[&str]); 8] = [
        ("王", &["王五"]),
        ("zs", &["张三"]),
        ("ZL", &["赵六"]),
        (&zhao_id[..10], &["赵六"]),
        (&zhao_id, &["赵六"]),
        ("DB-2026-000002", &["李四"]),
        ("tk-2026", &["赵六"]),
        ("000004", &["钱七"]),
    ];
    for (q, want) in table {
        let v = list(&mut c, json!({"q": q}));
        assert_eq!(heads(&v), *want, "{q}");
    }
    assert_eq!(list(&mut c, json!({"q": "孙"}))["total"], 0);
    // The ID is shown masked: the first four and the last four characters.
    let v = list(&mut c, json!({"q": zhao_id}));
    let shown = v["cases"][0]["head_id_number"].as_str().unwrap();
    assert_eq!(shown, format!("4101**********{}", &zhao_id[14..]));
    assert!(
        !v.to_string().contains(&zhao_id),
        "no whole ID number in the reply"
    );
}

#[test]
fn a_township_caseworker_sees_only_their_township() {
    let mut c = crate::common::county();
    let wang = five_cases(&mut c);
    c.sign_in("jbr2");
    assert_eq!(heads(&list(&mut c, json!({}))), ["钱七"]);
    assert_eq!(list(&mut c, json!({"q": "张三"}))["total"], 0);
    let t1 = c.township;
    for input in [json!({"township_id": t1}), json!({"village_id": wang})] {
        let e = c.err("case.list", input.clone());
        assert_eq!(e.code, doudi_core::ErrorCode::Forbidden, "{input}");
        assert!(e.message.contains("本乡镇（街道）"), "{}", e.message);
        let e = c.err(
            "case.export",
            json!({"deliver": "bytes"})
                .as_object()
                .unwrap()
                .clone()
                .into_iter()
                .chain(input.as_object().unwrap().clone())
                .collect(),
        );
        assert_eq!(e.code, doudi_core::ErrorCode::Forbidden, "{input}");
    }
}

#[test]
fn bad_input_is_named_in_chinese() {
    let mut c = crate::common::county();
    five_cases(&mut c);
    let audit = c.counts().2;
    let table = [
        (json!({"page": 0}), "page", "页码"),
        (json!({"page": "第二页"}), "page", "从 1 开始的整数"),
        (json!({"page_size": 500}), "page_size", "1 到 200 之间"),
        (json!({"page_size": -1}), "page_size", "每页条数"),
        (json!({"sort": "age"}), "sort", "排序 sort 只能是"),
        (json!({"order": "up"}), "order", "升序"),
        (json!({"state": "approved"}), "state", "案件状态"),
        (
            json!({"programme": "temp"}),
            "programme",
            "dibao（低保）或 tekun（特困）",
        ),
        (json!({"township_id": 999}), "township_id", "不存在"),
        (json!({"village_id": c.township}), "village_id", "不存在"),
        (
            json!({"township_id": c.township2, "village_id": c.village}),
            "village_id",
            "不属于东城街道",
        ),
        (json!({"path": "/tmp/x.xlsx"}), "path", "case.export"),
    ];
    for (input, field, part) in table {
        let e = c.err("case.list", input.clone());
        assert_eq!(e.field.as_deref(), Some(field), "{input}");
        assert!(e.message.contains(part), "{input}: {}", e.message);
    }
    for (input, field) in [
        (json!({}), "path"),
        (json!({"path": "/tmp/案件.csv"}), "path"),
        (json!({"deliver": "bytes", "page": 2}), "page"),
        (json!({"deliver": "bytes", "sort": "x"}), "sort"),
    ] {
        let e = c.err("case.export", input.clone());
        assert_eq!(e.field.as_deref(), Some(field), "{input}: {}", e.message);
    }
    assert_eq!(c.counts().2, audit, "refusals write no audit row");
}

#[test]
fn the_export_holds_every_line_as_chosen_with_ids_masked() {
    let mut c = crate::common::county();
    five_cases(&mut c);
    let path = c.dir.path().join("案件列表.xlsx");
    let v = c.ok(
        "case.export",
        json!({"path": path, "township_id": c.township, "sort": "name", "order": "desc"}),
    );
    assert_eq!(v["count"], 4);
    assert_eq!(v["path"], path.display().to_string());
    let rows = xlsx_rows(&std::fs::read(&path).unwrap());
    assert_eq!(rows[0][0], "低保、特困案件列表");
    assert!(
        rows[1][0].starts_with("城关镇 · 按户主姓名降序 · 共 4 件"),
        "{}",
        rows[1][0]
    );
    let names: Vec<&str> = rows[3..7].iter().map(|r| r[3].as_str()).collect();
    assert_eq!(names, ["张三", "赵六", "王五", "李四"]);
    assert_eq!(
        rows[3][4],
        format!("4101**********{}", &id("19700101", 11)[14..])
    );
    assert_eq!(rows[7][0], "合计 4 件");
    // As bytes: the same lines, nothing saved; each export is audited with what it held.
    let v = c.ok("case.export", json!({"deliver": "bytes", "q": "钱"}));
    assert_eq!(v["count"], 1);
    assert_eq!(
        v["file"]["name"].as_str().unwrap(),
        "案件列表-2026-11-23.xlsx"
    );
    let audit: Vec<String> =
        c.s.connection()
            .prepare("SELECT after FROM audit WHERE command = 'case.export' ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
    assert_eq!(audit.len(), 2);
    assert!(
        audit[0].contains("\"count\":4") && audit[0].contains("案件列表.xlsx"),
        "{}",
        audit[0]
    );
    assert!(
        audit[1].contains("搜索：“钱”") && audit[1].contains("sha256"),
        "{}",
        audit[1]
    );
}

/// Every cell of the first sheet as text, row by row.
fn xlsx_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}
