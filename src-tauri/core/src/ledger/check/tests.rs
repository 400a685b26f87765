//! Table tests of checking ledger rows against a snapshot of the areas and the registry, built
//! by hand (no database).

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

use super::*;
use crate::store::ledger::OpenCase;

use crate::ledger::read::Table;
use crate::ledger::sheet::{resolve_mapping, Sheet};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
}

fn id(body: &str) -> String {
    format!("{body}{}", crate::idcard::check_char(body))
}

fn area(id: i64, parent: Option<i64>, level: Level, name: &str, active: bool) -> Area {
    Area {
        id,
        parent_id: parent,
        level,
        code: String::new(),
        name: name.into(),
        urban_rural: None,
        active,
    }
}

/// 清河县 › 城关镇 › 李庄村 (1组), 王庄村 (停用); 张三 registered in 李庄村 with an open 低保 case;
/// 李四 registered and dead; 王五 registered in 李庄村 without a case; 张小 a member (not the head)
/// of 张三's household; 孙八 heads a household with a pending 特困 case and 孙九 is its member.
fn snapshot() -> Snapshot {
    let known = |person_id, name: &str, death: Option<NaiveDate>, household: Option<i64>| Known {
        person_id,
        name: name.into(),
        death_date: death,
        household: household.map(|h| (h, "城关镇".to_owned(), "李庄村".to_owned())),
        is_head: true,
    };
    let member = |person_id, name: &str, household| Known {
        is_head: false,
        ..known(person_id, name, None, Some(household))
    };
    let case = |number: &str, state: &str, head: &str| OpenCase {
        number: number.into(),
        state: state.into(),
        head_name: head.into(),
    };
    Snapshot {
        areas: vec![
            area(1, None, Level::County, "清河县", true),
            area(2, Some(1), Level::Township, "城关镇", true),
            area(3, Some(2), Level::Village, "李庄村", true),
            area(4, Some(2), Level::Village, "王庄村", false),
            area(5, Some(3), Level::Group, "1组", true),
        ],
        county_id: 1,
        people: HashMap::from([
            (id("41012219600101011"), known(1, "张三", None, Some(10))),
            (
                id("41012219500101011"),
                known(2, "李四", Some(today()), None),
            ),
            (id("41012219700101011"), known(3, "王五", None, Some(11))),
            (id("41012220000101011"), member(4, "张小", 10)),
            (id("41012219650101011"), known(5, "孙八", None, Some(12))),
            (id("41012219950101011"), member(6, "孙九", 12)),
        ]),
        open_cases: HashMap::from([
            (
                (10, "dibao".to_owned()),
                case("DB-2026-000001", "enrolled", "张三"),
            ),
            (
                (12, "tekun".to_owned()),
                case("TK-2026-000002", "accepted", "孙八"),
            ),
        ]),
    }
}

const HEADER: [&str; 10] = [
    "户主姓名",
    "户主身份证号",
    "乡镇(街道)",
    "村(社区)",
    "组",
    "家庭住址",
    "户籍",
    "保障类别",
    "保障人数",
    "月保障金额",
];

/// A row of the file: head, ID, township, village, group; the rest valid.
fn row(name: &str, id_number: &str, township: &str, village: &str, group: &str) -> Vec<String> {
    [
        name,
        id_number,
        township,
        village,
        group,
        "李庄村3号",
        "农村",
        "低保",
        "1",
        "660",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(["2026-11".to_owned()])
    .collect()
}

fn check_rows(rows: Vec<Vec<String>>) -> Checked {
    let mut header: Vec<String> = HEADER.iter().map(|s| s.to_string()).collect();
    header.push("起始发放年月".into());
    let table = Table {
        first_row: 1,
        rows: std::iter::once(header)
            .chain(rows)
            .map(|r| r.into_iter().map(Cell::Text).collect())
            .collect(),
        encoding: "UTF-8",
    };
    let sheet = Sheet::of(table, Path::new("台账.csv")).unwrap();
    let map = resolve_mapping(&sheet, None).unwrap();
    check(snapshot(), &sheet, &map, today(), |_| {})
}

/// (the rows, then per row: ready, skipped, or the fields of its problems)
#[test]
fn rows_are_placed_and_their_people_checked() {
    let new = id("41012219800101011");
    let other = id("41012219900101011");
    type Case<'a> = (&'a str, Vec<Vec<String>>, Vec<&'a str>);
    let cases: Vec<Case> = vec![
        (
            "a new family",
            vec![row("赵六", &new, "城关镇", "李庄村", "1组")],
            vec!["ready"],
        ),
        (
            "already imported",
            vec![row(
                "张三",
                &id("41012219600101011"),
                "城关镇",
                "李庄村",
                "",
            )],
            vec!["skipped"],
        ),
        (
            "unknown township",
            vec![row("赵六", &new, "东关镇", "李庄村", "")],
            vec!["township"],
        ),
        (
            "unknown village",
            vec![row("赵六", &new, "城关镇", "刘庄村", "")],
            vec!["village"],
        ),
        (
            "inactive village",
            vec![row("赵六", &new, "城关镇", "王庄村", "")],
            vec!["village"],
        ),
        (
            "unknown group",
            vec![row("赵六", &new, "城关镇", "李庄村", "9组")],
            vec!["group"],
        ),
        (
            "a dead head",
            vec![row(
                "李四",
                &id("41012219500101011"),
                "城关镇",
                "李庄村",
                "",
            )],
            vec!["head_id"],
        ),
        (
            "a head in another household",
            vec![row(
                "王五",
                &id("41012219700101011"),
                "城关镇",
                "李庄村",
                "",
            )],
            vec!["head_id"],
        ),
        (
            "a head who is a member of a household with an open case",
            vec![row(
                "张小",
                &id("41012220000101011"),
                "城关镇",
                "李庄村",
                "",
            )],
            vec!["head_id"],
        ),
        (
            "a head who is a member of a household with a pending case of the other programme",
            vec![row(
                "孙九",
                &id("41012219950101011"),
                "城关镇",
                "李庄村",
                "",
            )],
            vec!["head_id"],
        ),
        (
            "the same head twice",
            vec![
                row("赵六", &new, "城关镇", "李庄村", ""),
                row("赵六", &new, "城关镇", "李庄村", ""),
                row("钱七", &other, "城关镇", "李庄村", ""),
            ],
            vec!["ready", "head_id", "ready"],
        ),
    ];
    for (what, rows, want) in cases {
        let checked = check_rows(rows);
        let mut got: Vec<(u32, String)> = checked
            .ready
            .iter()
            .map(|r| (r.row, "ready".to_owned()))
            .chain(checked.skipped.iter().map(|s| (s.0, "skipped".to_owned())))
            .chain(
                checked
                    .problems
                    .iter()
                    .map(|p| (p.row, p.field.unwrap_or("-").to_owned())),
            )
            .collect();
        got.sort();
        let got: Vec<&str> = got.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(
            got,
            want,
            "{what}: {:?}",
            checked
                .problems
                .iter()
                .map(|p| &p.message)
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn a_member_as_head_is_a_conflict_naming_both_households() {
    let checked = check_rows(vec![
        row("张小", &id("41012220000101011"), "城关镇", "李庄村", ""),
        row("孙九", &id("41012219950101011"), "城关镇", "李庄村", ""),
    ]);
    assert!(checked.skipped.is_empty() && checked.ready.is_empty());
    assert_eq!(checked.invalid_rows, 2);
    let messages: Vec<&str> = checked
        .problems
        .iter()
        .map(|p| p.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            format!(
                "疑似重复享受或分户：台账户主张小（身份证号 {}）是城关镇李庄村张三户（户编号 10）的家庭成员，该户已有低保案件 DB-2026-000001（在保）；请核实是分户还是重复享受，此行不导入",
                id("41012220000101011")
            ),
            format!(
                "疑似重复享受或分户：台账户主孙九（身份证号 {}）是城关镇李庄村孙八户（户编号 12）的家庭成员，该户已有特困案件 TK-2026-000002（已受理）；请核实是分户还是重复享受，此行不导入",
                id("41012219950101011")
            ),
        ]
    );
}

#[test]
fn a_place_refused_names_what_there_is() {
    let checked = check_rows(vec![row(
        "赵六",
        &id("41012219800101011"),
        "城关镇",
        "刘庄村",
        "",
    )]);
    assert_eq!(
        checked.problems[0].message,
        "城关镇没有名为“刘庄村”的村(社区)；已有：李庄村"
    );
    assert_eq!(checked.invalid_rows, 1);
}
