//! One ledger row read into validated facts, or every problem with it, each naming its field.
//! Pure: what needs the database (areas, people already registered, duplicates across rows) is
//! checked by the command.
//!
//! The 家庭成员 cell holds the members other than the head, separated by "；" (or ";" or a line
//! break), each written `姓名(关系)身份证号`, e.g. `李梅(配偶)410122197203052226；张小宝(子女)…`.

use chrono::{Datelike, NaiveDate};

use super::read::Cell;
use crate::programme::Programme;
use crate::registry::{self, HouseholdFacts, PersonFacts, RawHousehold, RawPerson};
use crate::rules::money::fen_from_yuan;

/// A row that passed every check that needs no database.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerRow {
    pub head: PersonFacts,
    /// (relation code, person)
    pub members: Vec<(String, PersonFacts)>,
    pub township: String,
    pub village: String,
    pub group: Option<String>,
    /// `village_id` and `group_id` are filled in once the names are found.
    pub household: HouseholdFacts,
    pub programme: &'static str,
    /// 特困: 集中 `centralised` / 分散 `dispersed`, when the ledger says.
    pub support_mode: Option<&'static str>,
    pub persons: u32,
    pub amount_fen: i64,
    /// 'YYYY-MM'
    pub pay_from: String,
}

/// A problem with one field of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub message: String,
}

fn problem(field: &'static str, message: impl Into<String>) -> Problem {
    Problem {
        field,
        message: message.into(),
    }
}

/// The cells of a row by field key.
pub trait Cells {
    fn get(&self, key: &str) -> Option<&Cell>;
    fn text(&self, key: &str) -> String {
        self.get(key).map(Cell::text).unwrap_or_default()
    }
}

/// Read and check one row as of `today`.
pub fn parse(cells: &dyn Cells, today: NaiveDate) -> Result<LedgerRow, Vec<Problem>> {
    let mut problems = vec![];
    let head = match id_text(cells.get("head_id"), "户主身份证号") {
        Err(p) => {
            problems.push(problem("head_id", p));
            None
        }
        Ok(id) => person(&cells.text("head_name"), &id, today)
            .map_err(|(f, m)| {
                problems.push(problem(
                    if f == "name" { "head_name" } else { "head_id" },
                    m,
                ))
            })
            .ok(),
    };
    let members = match members(&cells.text("members"), today) {
        Ok(m) => m,
        Err(m) => {
            problems.push(problem("members", m));
            vec![]
        }
    };
    let mut required = |key: &'static str, what: &str| {
        let t = cells.text(key);
        if t.is_empty() {
            problems.push(problem(key, format!("{what}不能为空")));
        }
        t
    };
    let township = required("township", "乡镇(街道)");
    let village = required("village", "村(社区)");
    let group = Some(cells.text("group")).filter(|g| !g.is_empty());
    let hukou = hukou(&cells.text("hukou")).map_err(|m| problems.push(problem("hukou", m)));
    let programme =
        programme(&cells.text("programme")).map_err(|m| problems.push(problem("programme", m)));
    let persons = persons(&cells.text("persons")).map_err(|m| problems.push(problem("persons", m)));
    let amount = amount(&cells.text("amount")).map_err(|m| problems.push(problem("amount", m)));
    let pay_from =
        month(cells.get("pay_from"), today).map_err(|m| problems.push(problem("pay_from", m)));
    let account = match cells.get("bank_account") {
        Some(Cell::Number(n)) if n.abs() >= 1e15 => {
            problems.push(problem(
                "bank_account",
                "银行账号在 Excel 中存成了数字，末几位已丢失；请把该列设为“文本”格式后重新填写",
            ));
            String::new()
        }
        _ => cells.text("bank_account"),
    };
    let household = registry::validate_household(&RawHousehold {
        village_id: 0,
        group_id: None,
        address: &cells.text("address"),
        hukou: hukou.as_ref().map_or("rural", |h| h),
        phone: Some(&cells.text("phone")),
        bank_name: Some(&cells.text("bank_name")),
        bank_account: Some(&account),
    })
    .map_err(|e| {
        let field = match e.field.as_deref() {
            Some("address") => "address",
            Some("phone") => "phone",
            Some("bank_name") => "bank_name",
            _ => "bank_account",
        };
        problems.push(problem(field, e.message));
    });
    if let (Ok(p), false) = (&persons, cells.text("members").is_empty()) {
        let listed = members.len() as u32 + 1;
        if *p > listed {
            problems.push(problem(
                "persons",
                format!("保障人数 {p} 多于本户列出的人数 {listed}（户主和家庭成员）"),
            ));
        }
    }
    if let Some(h) = &head {
        if let Some((_, m)) = members.iter().find(|(_, m)| m.id_number == h.id_number) {
            problems.push(problem(
                "members",
                format!("家庭成员{}的身份证号与户主相同", m.name),
            ));
        }
    }
    match (head, hukou, programme, persons, amount, pay_from, household) {
        (
            Some(head),
            Ok(_),
            Ok((programme, support_mode)),
            Ok(persons),
            Ok(amount_fen),
            Ok(pay_from),
            Ok(household),
        ) if problems.is_empty() => Ok(LedgerRow {
            head,
            members,
            township,
            village,
            group,
            household,
            programme,
            support_mode,
            persons,
            amount_fen,
            pay_from,
        }),
        _ => Err(problems),
    }
}

/// An ID cell as text; a number in Excel has lost its last digits (Excel keeps 15).
fn id_text(cell: Option<&Cell>, what: &str) -> Result<String, String> {
    match cell {
        Some(Cell::Number(_)) => Err(format!(
            "{what}在 Excel 中存成了数字，最后几位已丢失；请把该列设为“文本”格式后重新填写"
        )),
        Some(c) => Ok(c.text()),
        None => Ok(String::new()),
    }
}

/// A validated person: (field, message) on failure, field `name` or `id_number`.
fn person(name: &str, id: &str, today: NaiveDate) -> Result<PersonFacts, (String, String)> {
    registry::validate_person(
        &RawPerson {
            id_number: id,
            name,
            ..RawPerson::default()
        },
        today,
    )
    .map_err(|e| (e.field.unwrap_or_default(), e.message))
}

fn hukou(text: &str) -> Result<String, String> {
    match text.trim() {
        "城镇" | "城市" | "城镇户口" | "城市户口" | "非农业" | "非农业户口" | "居民" | "urban" => {
            Ok("urban".into())
        }
        "农村" | "农业" | "农村户口" | "农业户口" | "rural" => Ok("rural".into()),
        "" => Err("户籍不能为空，应填“城镇”或“农村”".into()),
        t => Err(format!("户籍“{t}”无法识别，应填“城镇”或“农村”")),
    }
}

/// 低保 (城市/农村) or 特困 with 集中/分散 if given.
fn programme(text: &str) -> Result<(&'static str, Option<&'static str>), String> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return Err("保障类别不能为空，应填“低保”或“特困”（可注明集中或分散）".into());
    }
    if t.contains("边缘") {
        return Err(format!(
            "保障类别“{t}”：低保边缘家庭不在本台账导入范围，只能导入低保和特困"
        ));
    }
    if t.contains("特困") || t.contains("五保") || t.contains("供养") {
        let mode = if t.contains("集中") {
            Some("centralised")
        } else if t.contains("分散") {
            Some("dispersed")
        } else {
            None
        };
        return Ok((Programme::Tekun.code(), mode));
    }
    if t.contains("低保") || t.contains("最低生活保障") {
        return Ok((Programme::Dibao.code(), None));
    }
    Err(format!(
        "保障类别“{t}”无法识别，应填“低保”“城市低保”“农村低保”“特困”“特困（集中）”或“特困（分散）”"
    ))
}

fn persons(text: &str) -> Result<u32, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("保障人数不能为空".into());
    }
    match t.trim_end_matches('人').parse::<i64>() {
        Ok(n) if (1..=30).contains(&n) => Ok(n as u32),
        Ok(n) if n < 1 => Err(format!("保障人数应至少为 1，现在是 {n}")),
        Ok(n) => Err(format!("保障人数 {n} 不合理（一户最多 30 人）")),
        Err(_) => Err(format!("保障人数“{t}”不是整数")),
    }
}

fn amount(text: &str) -> Result<i64, String> {
    let t = text.trim().trim_end_matches('元');
    match fen_from_yuan("amount", t) {
        Ok(0) => Err("月保障金额应大于 0".into()),
        Ok(fen) => Ok(fen),
        Err(e) => Err(format!("月保障{}", e.message.trim_start_matches("请填写"))),
    }
}

/// 'YYYY-MM' from 2024-03, 2024/3, 2024.03, 2024年3月, 202403, or a date; not before 1990 and not
/// after next month (a case approved this month is paid from the next).
pub fn month(cell: Option<&Cell>, today: NaiveDate) -> Result<String, String> {
    let (y, m) = match cell {
        Some(Cell::Date(d)) => (d.year(), d.month()),
        Some(Cell::Number(n)) if n.fract() != 0.0 => {
            return Err(format!(
                "起始发放年月“{n}”存成了数字，无法区分 1 月和 10 月；请写成 2024-01 这样的文本"
            ))
        }
        Some(c) => {
            let t = c.text();
            if t.is_empty() {
                return Err("起始发放年月不能为空，应写成如 2024-03".into());
            }
            parse_month(&t).ok_or_else(|| {
                format!("起始发放年月“{t}”格式不对，应写成如 2024-03、2024/3 或 2024年3月")
            })?
        }
        None => return Err("起始发放年月不能为空，应写成如 2024-03".into()),
    };
    let text = format!("{y:04}-{m:02}");
    let next = today
        .with_day(1)
        .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
        .unwrap_or(today);
    if y < 1990 {
        return Err(format!("起始发放年月 {text} 早于 1990 年，请核对"));
    }
    if (y, m) > (next.year(), next.month()) {
        return Err(format!(
            "起始发放年月 {text} 晚于下月（{}），请核对",
            crate::month::Month::of(next)
        ));
    }
    Ok(text)
}

fn parse_month(t: &str) -> Option<(i32, u32)> {
    let t = t.trim().trim_end_matches('月').trim_end_matches("份");
    let (y, rest) = if t.len() == 6 && t.bytes().all(|b| b.is_ascii_digit()) {
        (&t[..4], &t[4..])
    } else {
        let sep = t.find(['-', '/', '.', '年'])?;
        let rest = &t[sep..];
        let rest = rest
            .trim_start_matches(['-', '/', '.'])
            .trim_start_matches('年');
        // A full date: keep year and month.
        let rest = rest.split(['-', '/', '.', '月']).next()?;
        (&t[..sep], rest)
    };
    let y: i32 = y.parse().ok()?;
    let m: u32 = rest.parse().ok()?;
    (y >= 1000 && (1..=12).contains(&m)).then_some((y, m))
}

fn relation(label: &str) -> Option<&'static str> {
    if let Some((code, _)) = registry::RELATIONS.iter().find(|(_, l)| *l == label) {
        return (*code != "head").then_some(*code);
    }
    Some(match label {
        "妻" | "妻子" | "丈夫" | "夫" | "夫妻" => "spouse",
        "子" | "女" | "儿子" | "女儿" | "长子" | "次子" | "长女" | "次女" | "之子" | "之女"
        | "养子" | "养女" => "child",
        "儿媳" | "女婿" => "child_in_law",
        "父" | "母" | "父亲" | "母亲" => "parent",
        "祖父" | "祖母" | "外祖父" | "外祖母" => "grandparent",
        "孙子" | "孙女" | "外孙" | "外孙女" | "孙子女" => "grandchild",
        "兄" | "弟" | "姐" | "妹" | "哥哥" | "弟弟" | "姐姐" | "妹妹" => "sibling",
        _ => return None,
    })
}

/// The 家庭成员 cell: `姓名(关系)身份证号` items separated by "；", ";" or line breaks.
pub fn members(text: &str, today: NaiveDate) -> Result<Vec<(String, PersonFacts)>, String> {
    let mut out: Vec<(String, PersonFacts)> = vec![];
    let items = text
        .split(['；', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty());
    for (n, item) in items.enumerate() {
        let n = n + 1;
        let bad = || {
            format!(
                "第 {n} 位家庭成员“{item}”格式不对，应写成 姓名(关系)身份证号，如 李梅(配偶)410122197203052226，多人用“；”分隔"
            )
        };
        let open = item.find(['(', '（']).ok_or_else(bad)?;
        let close = item.find([')', '）']).ok_or_else(bad)?;
        if close < open {
            return Err(bad());
        }
        let name = item[..open].trim();
        let rel_text = item[open..close].trim_start_matches(['(', '（']).trim();
        let id = item[close..].trim_start_matches([')', '）']).trim();
        let rel = relation(rel_text).ok_or_else(|| {
            let labels: Vec<&str> = registry::RELATIONS
                .iter()
                .filter(|(c, _)| *c != "head")
                .map(|(_, l)| *l)
                .collect();
            format!(
                "第 {n} 位家庭成员{name}的关系“{rel_text}”无法识别，可填：{}",
                labels.join("、")
            )
        })?;
        let p =
            person(name, id, today).map_err(|(_, m)| format!("第 {n} 位家庭成员{name}：{m}"))?;
        if out.iter().any(|(_, o)| o.id_number == p.id_number) {
            return Err(format!(
                "第 {n} 位家庭成员{name}的身份证号 {} 在本户中重复",
                p.id_number
            ));
        }
        out.push((rel.to_owned(), p));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn months_as_ledgers_write_them() {
        let ok = [
            ("2024-03", "2024-03"),
            ("2024-3", "2024-03"),
            ("2024/03", "2024-03"),
            ("2024.10", "2024-10"),
            ("2024年3月", "2024-03"),
            ("2024年03月份", "2024-03"),
            ("202403", "2024-03"),
            ("2024-03-15", "2024-03"),
            ("2026-12", "2026-12"),
        ];
        for (t, want) in ok {
            assert_eq!(
                month(Some(&Cell::Text(t.into())), today()).as_deref(),
                Ok(want),
                "{t}"
            );
        }
        let d = NaiveDate::from_ymd_opt(2023, 7, 1).unwrap();
        assert_eq!(
            month(Some(&Cell::Date(d)), today()).as_deref(),
            Ok("2023-07")
        );
        for bad in ["2024-13", "三月", "2027-01", "1989-12", ""] {
            assert!(
                month(Some(&Cell::Text(bad.into())), today()).is_err(),
                "{bad}"
            );
        }
        assert!(month(Some(&Cell::Number(2024.1)), today())
            .unwrap_err()
            .contains("10 月"));
    }

    #[test]
    fn programmes_and_amounts() {
        assert_eq!(programme("农村低保"), Ok(("dibao", None)));
        assert_eq!(
            programme("特困（集中）"),
            Ok(("tekun", Some("centralised")))
        );
        assert_eq!(programme("分散供养特困"), Ok(("tekun", Some("dispersed"))));
        assert_eq!(programme("特困"), Ok(("tekun", None)));
        assert!(programme("低保边缘").is_err());
        assert!(programme("临时救助").is_err());
        assert_eq!(amount("660"), Ok(66000));
        assert_eq!(amount("1,234.5元"), Ok(123450));
        assert!(amount("0").is_err());
        assert!(amount("-5").is_err());
        assert!(amount("12.345").unwrap_err().contains("两位小数"));
        assert!(amount("六百").is_err());
        assert_eq!(persons("3"), Ok(3));
        assert!(persons("0").is_err());
        assert!(persons("2.5").is_err());
    }

    #[test]
    fn members_cell() {
        let id = |body: &str| format!("{body}{}", crate::idcard::check_char(body));
        let (a, b) = (id("41012219720305222"), id("41012220150101001"));
        let m = members(&format!("李梅(配偶){a}；张小宝（儿子）{b}"), today()).unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!((m[0].0.as_str(), m[0].1.name.as_str()), ("spouse", "李梅"));
        assert_eq!(m[1].0, "child");
        assert!(members(&format!("李梅 {a}"), today())
            .unwrap_err()
            .contains("格式不对"));
        assert!(members(&format!("李梅(邻居){a}"), today())
            .unwrap_err()
            .contains("邻居"));
        assert!(members(&format!("李梅(配偶){a};王五(子女){a}"), today())
            .unwrap_err()
            .contains("重复"));
        assert!(members("", today()).unwrap().is_empty());
    }
}
