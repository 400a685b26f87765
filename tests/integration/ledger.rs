//! 台账导入: a province's 低保/特困 ledger (.xlsx or CSV) read, mapped, checked row by row and
//! column by column, and imported in one transaction; a re-import writes nothing.

use std::path::PathBuf;

use rust_xlsxwriter::Workbook;
use serde_json::{json, Value};

use crate::common::{county, id, County};

pub(crate) const HEADER: [&str; 15] = [
    "户主姓名",
    "公民身份号码",
    "乡镇（街道）",
    "村（社区）",
    "组",
    "家庭住址",
    "户籍",
    "保障类别",
    "保障人数",
    "月保障金",
    "起始发放年月",
    "开户银行",
    "银行账号",
    "联系电话",
    "家庭成员",
];

/// A good row: head 张三 (born 1960, seq n), in 城关镇李庄村三组.
pub(crate) fn row(
    name: &str,
    head_id: &str,
    members: &str,
    persons: &str,
    amount: &str,
) -> Vec<String> {
    [
        name,
        head_id,
        "城关镇",
        "李庄村",
        "三组",
        "李庄村三组 12 号",
        "农村",
        "农村低保",
        persons,
        amount,
        "2024-03",
        "农村信用社",
        "6222021234567890123",
        "13812345678",
        members,
    ]
    .map(str::to_owned)
    .to_vec()
}

/// An .xlsx with a title row, the header, and the rows; every cell as text except the amount
/// column (a number, as provinces type it) when it parses.
pub(crate) fn xlsx(c: &County, name: &str, header: &[&str], rows: &[Vec<String>]) -> PathBuf {
    let path = c.dir.path().join(name);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .write_string(0, 0, "清河县 2026 年城乡低保台账")
        .unwrap();
    for (col, h) in header.iter().enumerate() {
        sheet.write_string(1, col as u16, *h).unwrap();
    }
    for (r, cells) in rows.iter().enumerate() {
        for (col, v) in cells.iter().enumerate() {
            let (r, col) = (r as u32 + 2, col as u16);
            match (header.get(col as usize), v.parse::<f64>()) {
                (Some(&"月保障金"), Ok(n)) => sheet.write_number(r, col, n).map(drop).unwrap(),
                _ => sheet.write_string(r, col, v).map(drop).unwrap(),
            }
        }
    }
    book.save(&path).unwrap();
    path
}

fn counts(c: &County) -> (i64, i64, i64, i64, i64) {
    c.s.connection()
        .query_row(
            "SELECT (SELECT count(*) FROM household), (SELECT count(*) FROM person),
                    (SELECT count(*) FROM aid_case), (SELECT count(*) FROM case_amount), (SELECT count(*) FROM audit)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap()
}

fn spouse() -> String {
    id("19620305", 222)
}

pub(crate) fn good_rows() -> Vec<Vec<String>> {
    vec![
        row(
            "张三",
            &id("19600101", 11),
            &format!("李梅(配偶){}", spouse()),
            "2",
            "1320",
        ),
        row("王五", &id("19550202", 31), "", "1", "660.5"),
        {
            let mut r = row("赵六", &id("19400303", 51), "", "1", "1220");
            r[2] = "东城街道".into();
            r[3] = "幸福社区".into();
            r[4] = String::new();
            r[6] = "城镇".into();
            r[7] = "特困（集中）".into();
            r
        },
    ]
}

#[test]
fn preview_proposes_the_mapping_from_header_synonyms() {
    let mut c = county();
    let path = xlsx(&c, "台账.xlsx", &HEADER, &good_rows());
    c.sign_in("spr");
    let v = c.ok("ledger.preview", json!({"path": path}));
    assert_eq!(v["header_row"], 2);
    assert_eq!(v["rows"], 3);
    assert_eq!(v["missing"], json!([]));
    let col = |key: &str| {
        v["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == key)
            .unwrap()["column"]
            .clone()
    };
    assert_eq!(col("head_id"), "B");
    assert_eq!(col("amount"), "J");
    assert_eq!(col("members"), "O");
    assert_eq!(v["sample"][0]["row"], 3);
    assert_eq!(v["sample"][0]["cells"]["A"], "张三");
    assert_eq!(v["sample"][1]["cells"]["J"], "660.5");
    // Township staff may not import.
    c.sign_in("jbr1");
    assert_eq!(
        c.err("ledger.preview", json!({"path": path})).code,
        doudi_core::ErrorCode::Forbidden
    );
}

#[test]
fn good_rows_become_households_members_and_enrolled_cases() {
    let mut c = county();
    let path = xlsx(&c, "台账.xlsx", &HEADER, &good_rows());
    c.sign_in("admin");
    let before = counts(&c);
    let dry = c.ok("ledger.import", json!({"path": path, "dry_run": true}));
    assert_eq!(
        (
            dry["valid"].clone(),
            dry["imported"].clone(),
            dry["written"].clone()
        ),
        (json!(3), json!(0), json!(false))
    );
    assert_eq!(counts(&c), before, "a dry run writes nothing");

    let v = c.ok("ledger.import", json!({"path": path}));
    assert_eq!(v["errors"], json!([]));
    assert_eq!(v["imported"], 3);
    assert_eq!(v["written"], true);
    let after = counts(&c);
    // 3 households, 4 persons, 3 cases with 3 amounts; 3 household audit rows and one summary.
    assert_eq!(
        (
            after.0 - before.0,
            after.1 - before.1,
            after.2 - before.2,
            after.3 - before.3,
            after.4 - before.4
        ),
        (3, 4, 3, 3, 4)
    );
    let cases = c.ok("case.list", json!({}));
    let list = cases["cases"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    let zhang = list.iter().find(|x| x["head_name"] == "张三").unwrap();
    let case = c.ok("case.get", json!({"case_id": zhang["id"]}));
    assert_eq!(case["state"], "enrolled");
    assert_eq!(case["pay_from"], "2024-03");
    let amounts = case["amounts"].as_array().unwrap();
    assert_eq!(amounts.len(), 1);
    assert_eq!(amounts[0]["amount"], "1320.00");
    assert_eq!(amounts[0]["persons"], 2);
    assert!(amounts[0]["trail"].to_string().contains("原台账金额"));
    let h = c.ok("household.get", json!({"id": case["household"]["id"]}));
    assert_eq!(h["household"]["village_name"], "李庄村");
    assert_eq!(h["household"]["group_name"], "三组");
    assert_eq!(h["household"]["bank_account"], "6222021234567890123");
    let members = h["members"].as_array().unwrap();
    assert_eq!(members.len(), 2);
    assert!(members
        .iter()
        .any(|m| m["name"] == "李梅" && m["relation"] == "spouse"));
    let wang = list.iter().find(|x| x["head_name"] == "王五").unwrap();
    let wang = c.ok("case.get", json!({"case_id": wang["id"]}));
    assert_eq!(wang["amounts"][0]["amount"], "660.50");
    let zhao = list.iter().find(|x| x["head_name"] == "赵六").unwrap();
    let zhao = c.ok("case.get", json!({"case_id": zhao["id"]}));
    assert_eq!(zhao["programme"], "tekun");
    assert_eq!(zhao["support_mode"], "centralised");
    let audit = c.ok("audit.verify", json!({}));
    assert_eq!(audit["intact"], true, "{audit}");
    // The search indexes, set aside while writing, find the new members by name and initials.
    for q in ["李梅", "lm"] {
        let found = c.ok("household.search", json!({"q": q}));
        assert!(found.to_string().contains("张三"), "search {q}: {found}");
    }

    // Again: every row reported as already imported, nothing written.
    let again = c.ok("ledger.import", json!({"path": path}));
    assert_eq!(again["imported"], 0);
    assert_eq!(again["skipped_count"], 3);
    assert_eq!(again["errors"], json!([]));
    assert!(again["skipped"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("已导入，跳过"));
    assert_eq!(counts(&c), after);
}

fn error_at<'a>(v: &'a Value, row: u32, letter: &str) -> &'a str {
    v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["row"] == row && e["column"]["letter"] == letter)
        .unwrap_or_else(|| panic!("no error at row {row} column {letter}: {}", v["errors"]))
        ["message"]
        .as_str()
        .unwrap()
}

#[test]
fn bad_rows_are_reported_by_row_and_column_and_nothing_is_written() {
    let mut c = county();
    let mut rows = good_rows();
    let bad_check = {
        let good = id("19700101", 71);
        let last = if good.ends_with('1') { "2" } else { "1" };
        format!("{}{last}", &good[..17])
    };
    rows.push(row("钱七", &bad_check, "", "1", "600")); // row 6: checksum
    rows.push(row("孙八", &id("19600101", 11), "", "1", "600")); // row 7: same ID as row 3
    let mut unknown = row("周九", &id("19710101", 91), "", "1", "600");
    unknown[3] = "王庄村".into(); // row 8: no such village
    rows.push(unknown);
    rows.push(row("吴十", &id("19720101", 93), "", "0", "12.345")); // row 9: persons, amount
    let mut month = row("郑一", &id("19730101", 95), "", "1", "600");
    month[10] = "2024年13月".into(); // row 10: month
    rows.push(month);
    let path = xlsx(&c, "有错的台账.xlsx", &HEADER, &rows);
    c.sign_in("admin");
    let before = counts(&c);
    let v = c.ok("ledger.import", json!({"path": path}));
    assert_eq!(v["written"], false);
    assert_eq!(v["imported"], 0);
    assert_eq!(v["valid"], 3);
    assert_eq!(v["invalid_rows"], 5);
    assert!(error_at(&v, 6, "B").contains("校验位"));
    assert!(error_at(&v, 7, "B").contains("与第 3 行 B 列重复"));
    let village = error_at(&v, 8, "D");
    assert!(
        village.contains("王庄村") && village.contains("李庄村"),
        "{village}"
    );
    assert!(error_at(&v, 9, "I").contains("至少为 1"));
    assert!(error_at(&v, 9, "J").contains("两位小数"));
    assert!(error_at(&v, 10, "K").contains("2024年13月"));
    assert_eq!(v["errors"][0]["column"]["header"], "公民身份号码");
    assert_eq!(counts(&c), before, "rows with errors: nothing written");

    // skip_invalid imports the three good rows only.
    let v = c.ok("ledger.import", json!({"path": path, "skip_invalid": true}));
    assert_eq!(v["imported"], 3);
    assert_eq!(counts(&c).0 - before.0, 3);
}

#[test]
fn a_person_on_another_household_is_refused() {
    let mut c = county();
    let h = crate::common::household_input(&c, "李四", &spouse());
    c.ok("household.create", h);
    let path = xlsx(&c, "台账.xlsx", &HEADER, &good_rows());
    c.sign_in("admin");
    let before = counts(&c);
    let v = c.ok("ledger.import", json!({"path": path}));
    assert!(error_at(&v, 3, "O").contains("已是城关镇李庄村"));
    assert_eq!(counts(&c), before);
}

#[test]
fn a_head_who_is_a_member_of_an_enrolled_household_is_a_conflict_not_already_imported() {
    let mut c = county();
    let first = xlsx(&c, "台账.xlsx", &HEADER, &good_rows());
    c.sign_in("admin");
    c.ok("ledger.import", json!({"path": first}));
    let cases = c.ok("case.list", json!({}));
    let zhang = cases["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["head_name"] == "张三")
        .unwrap()["number"]
        .as_str()
        .unwrap()
        .to_owned();
    // Another ledger: 李梅, 张三's spouse, as the head of her own 低保 family; 张三 again.
    let rows = vec![
        row("李梅", &spouse(), "", "1", "660"),
        good_rows().remove(0),
    ];
    let second = xlsx(&c, "另一本台账.xlsx", &HEADER, &rows);
    let before = counts(&c);
    for dry_run in [true, false] {
        let v = c.ok("ledger.import", json!({"path": second, "dry_run": dry_run}));
        let conflict = error_at(&v, 3, "B");
        assert!(
            conflict.starts_with("疑似重复享受或分户：台账户主李梅")
                && conflict.contains("城关镇李庄村张三户")
                && conflict.contains(&format!("低保案件 {zhang}（在保）")),
            "{conflict}"
        );
        assert_eq!(v["errors"][0]["field"], "head_id");
        assert_eq!(v["invalid_rows"], 1);
        // The head of the enrolled household is still the same family, already imported.
        assert_eq!(v["skipped_count"], 1);
        assert_eq!(v["skipped"][0]["row"], 4);
        assert_eq!(v["imported"], 0);
    }
    let v = c.ok(
        "ledger.import",
        json!({"path": second, "skip_invalid": true}),
    );
    assert_eq!(
        (v["imported"].clone(), v["invalid_rows"].clone()),
        (json!(0), json!(1))
    );
    assert_eq!(counts(&c), before, "the conflict is not imported");
}

#[test]
fn wrong_columns_name_the_missing_ones() {
    let mut c = county();
    let header: Vec<&str> = HEADER
        .iter()
        .copied()
        .filter(|h| *h != "月保障金" && *h != "户籍")
        .collect();
    let rows: Vec<Vec<String>> = good_rows()
        .into_iter()
        .map(|r| {
            r.into_iter()
                .enumerate()
                .filter(|(i, _)| *i != 9 && *i != 6)
                .map(|(_, v)| v)
                .collect()
        })
        .collect();
    let path = xlsx(&c, "缺列.xlsx", &header, &rows);
    c.sign_in("admin");
    let v = c.ok("ledger.preview", json!({"path": path}));
    assert_eq!(v["missing"], json!(["户籍", "月保障金额"]));
    let before = counts(&c);
    let e = c.err("ledger.import", json!({"path": path}));
    assert_eq!(e.field.as_deref(), Some("mapping"));
    assert!(
        e.message.contains("缺少必需的列：户籍、月保障金额"),
        "{}",
        e.message
    );
    // A mapping naming a column the file lacks.
    let e = c.err(
        "ledger.import",
        json!({"path": path, "mapping": {"amount": "Z"}}),
    );
    assert_eq!(e.field.as_deref(), Some("mapping.amount"));
    assert_eq!(counts(&c), before);
    // No header at all.
    let plain = xlsx(
        &c,
        "无表头.xlsx",
        &["甲", "乙"],
        &[vec!["1".into(), "2".into()]],
    );
    let e = c.err("ledger.preview", json!({"path": plain}));
    assert!(e.message.contains("找不到表头"), "{}", e.message);
}

#[test]
fn a_mapping_chosen_by_hand_is_used() {
    let mut c = county();
    let mut header = HEADER;
    header[9] = "本月应发"; // no synonym
    let path = xlsx(&c, "台账.xlsx", &header, &good_rows());
    c.sign_in("admin");
    let v = c.ok("ledger.preview", json!({"path": path}));
    assert_eq!(v["missing"], json!(["月保障金额"]));
    let mut mapping = serde_json::Map::new();
    for f in v["fields"].as_array().unwrap() {
        if let Some(col) = f["column"].as_str() {
            mapping.insert(f["key"].as_str().unwrap().into(), col.into());
        }
    }
    mapping.insert("amount".into(), "J".into());
    let v = c.ok("ledger.import", json!({"path": path, "mapping": mapping}));
    assert_eq!(v["imported"], 3);
}

fn csv_text(c: &County) -> String {
    let _ = c;
    let mut out = HEADER.join(",");
    out.push_str("\r\n");
    for r in good_rows() {
        out.push_str(
            &r.iter()
                .map(|v| format!("\"{v}\""))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

#[test]
fn gbk_and_utf8_csv_are_read_and_other_bytes_refused() {
    let mut c = county();
    let text = csv_text(&c).replace("王五", "王𠇔");
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    let gb_path = c.dir.path().join("台账-gbk.csv");
    std::fs::write(&gb_path, &gb).unwrap();
    c.sign_in("admin");
    let v = c.ok("ledger.preview", json!({"path": gb_path}));
    assert_eq!(v["encoding"], "GB18030");
    assert_eq!(v["sample"][1]["cells"]["A"], "王𠇔");
    let v = c.ok("ledger.import", json!({"path": gb_path}));
    assert_eq!(v["imported"], 3, "{}", v["errors"]);
    let found = c.ok("household.search", json!({"q": "王𠇔"}));
    assert_eq!(found["total"], 1);

    // UTF-8 with BOM: the same rows, already imported.
    let utf8_path = c.dir.path().join("台账-utf8.csv");
    std::fs::write(
        &utf8_path,
        [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
    )
    .unwrap();
    let v = c.ok("ledger.import", json!({"path": utf8_path}));
    assert_eq!(v["encoding"], "UTF-8");
    assert_eq!(v["skipped_count"], 3);

    // Neither: refused with the line.
    let bad_path = c.dir.path().join("乱码.csv");
    let mut bytes = HEADER.join(",").into_bytes();
    bytes.extend_from_slice(b"\r\n\xff\xfe\x80,abc\r\n");
    std::fs::write(&bad_path, bytes).unwrap();
    let before = counts(&c);
    let e = c.err("ledger.import", json!({"path": bad_path}));
    assert_eq!(e.field.as_deref(), Some("path"));
    assert!(
        e.message.contains("既不是 UTF-8") && e.message.contains("第 2 行"),
        "{}",
        e.message
    );
    assert_eq!(counts(&c), before);
}

#[test]
fn an_id_number_stored_as_a_number_is_refused() {
    let mut c = county();
    let path = c.dir.path().join("数字身份证.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (col, h) in HEADER.iter().enumerate() {
        sheet.write_string(0, col as u16, *h).unwrap();
    }
    for (col, v) in good_rows()[1].iter().enumerate() {
        if col == 1 {
            sheet.write_number(1, 1, v.parse::<f64>().unwrap()).unwrap();
        } else {
            sheet.write_string(1, col as u16, v).unwrap();
        }
    }
    book.save(&path).unwrap();
    c.sign_in("admin");
    let v = c.ok("ledger.import", json!({"path": path}));
    assert!(error_at(&v, 2, "B").contains("存成了数字"));
    assert_eq!(v["imported"], 0);
}

/// Every report of one phase, in order.
fn phase(reports: &[doudi_core::Progress], name: &str) -> Vec<(usize, usize)> {
    reports
        .iter()
        .filter(|p| p.phase == name)
        .map(|p| (p.done, p.total))
        .collect()
}

#[test]
fn the_progress_sink_hears_each_phase_climb_to_its_total() {
    use std::sync::{Arc, Mutex};
    let mut c = county();
    // 1,200 one-person households, each head born on another day.
    let rows: Vec<Vec<String>> = (0..1_200)
        .map(|k| {
            let born =
                chrono::NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + chrono::Duration::days(k);
            row(
                "王五",
                &id(&born.format("%Y%m%d").to_string(), 31),
                "",
                "1",
                "660",
            )
        })
        .collect();
    let path = xlsx(&c, "大台账.xlsx", &HEADER, &rows);
    c.sign_in("admin");
    let reports = Arc::new(Mutex::new(vec![]));
    let sink = Arc::clone(&reports);
    c.s.set_progress(Box::new(move |p| sink.lock().unwrap().push(p)));

    let dry = c.ok("ledger.import", json!({"path": path, "dry_run": true}));
    assert_eq!(dry["valid"], 1_200);
    let seen = std::mem::take(&mut *reports.lock().unwrap());
    assert!(seen.iter().all(|p| p.task == "ledger.import"));
    assert_eq!(phase(&seen, "read"), [(0, 0)]);
    assert_eq!(
        phase(&seen, "check"),
        [(0, 1_200), (500, 1_200), (1_000, 1_200), (1_200, 1_200)]
    );
    assert_eq!(phase(&seen, "write"), [], "a dry run writes nothing");

    let v = c.ok("ledger.import", json!({"path": path}));
    assert_eq!(v["imported"], 1_200);
    let seen = reports.lock().unwrap().clone();
    let order: Vec<&str> = seen.iter().map(|p| p.phase).collect();
    assert_eq!(order.first(), Some(&"read"));
    assert_eq!(order.last(), Some(&"write"));
    assert!(order
        .windows(2)
        .all(|w| w[0] == w[1] || matches!((w[0], w[1]), ("read", "check") | ("check", "write"))));
    let write = phase(&seen, "write");
    assert!(write.windows(2).all(|w| w[0].0 < w[1].0), "{write:?}");
    assert_eq!(write.last(), Some(&(1_200, 1_200)));
    assert_eq!(phase(&seen, "check").last(), Some(&(1_200, 1_200)));
}

mod warnings;
