//! An audit row in words: its before/after as readable Chinese lines ("住址：东街 18 号 → 西街
//! 2 号", "状态：会议决定救助 → 已签批"), never JSON. The page, the household's 操作记录 and the
//! audit export all show these lines. Pure: names of areas, persons and users come through
//! [`Names`], loaded by the command.
//!
//! # Entry points
//! - [`lines`]`(entity, before, after, &names)`: what changed (both sides), or what was recorded
//!   (one side), one line per key in [`crate::labels::FIELDS`] order; unchanged keys left out.
//! - [`value_text`]`(entity, key, value, &names)`: one value in words.

use serde_json::{Map, Value};

use crate::auth::Role;
use crate::labels::{any_case_state_label, field_label, field_rank, state_label};
use crate::programme::Programme;
use crate::registry;
use crate::rules::{self, money::fmt_yuan, Scope, ValueKind};
use crate::workflow::{deliberation, temp, ActionKind, ExitReason};

/// The names behind ids an audit row stores.
pub trait Names {
    fn area(&self, id: i64) -> Option<String>;
    fn person(&self, id: i64) -> Option<String>;
    fn user(&self, id: i64) -> Option<String>;
}

/// No names known: ids show as numbers.
pub struct NoNames;

impl Names for NoNames {
    fn area(&self, _: i64) -> Option<String> {
        None
    }
    fn person(&self, _: i64) -> Option<String> {
        None
    }
    fn user(&self, _: i64) -> Option<String> {
        None
    }
}

const AREA_KEYS: &[&str] = &[
    "village_id",
    "group_id",
    "township_id",
    "area_id",
    "parent_id",
];
const PERSON_KEYS: &[&str] = &["head_id", "person_id", "payee_id"];
const USER_KEYS: &[&str] = &[
    "user_id",
    "submitted_by",
    "confirmed_by",
    "created_by",
    "entered_by",
];
/// Keys whose value is money in yuan text ("1894.50") or fen (an integer).
const MONEY_KEYS: &[&str] = &[
    "amount",
    "total",
    "amount_fen",
    "advance",
    "approved_total",
    "deposits",
    "balance",
    "old",
    "new",
    "change",
    "back_pay",
    "monthly_amount",
    "annual_amount",
];

fn code_choices(key: &str) -> Option<&'static [registry::Choice]> {
    Some(match key {
        "hukou" => registry::HUKOU,
        "relation" | "old_head_relation" => registry::RELATIONS,
        "reason" | "left_reason" => registry::LEAVE_REASONS,
        "disability_type" => registry::DISABILITY_TYPES,
        "labour_capacity" => registry::LABOUR_CAPACITY,
        "self_care" => registry::SELF_CARE,
        "student" => registry::STUDENT,
        "employment" => registry::EMPLOYMENT,
        "income_kind" => registry::INCOME_KINDS,
        "period" => registry::INCOME_PERIODS,
        "expenditure_kind" => registry::EXPENDITURE_KINDS,
        _ => return None,
    })
}

fn is_blank(v: &Value) -> bool {
    matches!(v, Value::Null) || v.as_str().is_some_and(|s| s.trim().is_empty())
}

/// Money in yuan text (or integer fen under a `_fen` key), grouped: "1,894.50 元".
fn money_text(key: &str, v: &Value) -> Option<String> {
    let fen = match v {
        Value::String(s) => rules::money::fen_from_yuan(key, s).ok()?,
        Value::Number(n) if key.ends_with("_fen") => n.as_i64()?,
        _ => return None,
    };
    Some(format!("{} 元", fmt_yuan(fen)))
}

/// The label of a step code on a record of kind `entity`.
fn step_text(entity: &str, code: &str) -> Option<String> {
    let label = match entity {
        "temp_aid_case" => temp::step_label(code).to_owned(),
        "deliberation_case" => deliberation::step_label(code),
        _ => ActionKind::parse(code)?.label().to_owned(),
    };
    (!label.is_empty() && label != code).then_some(label)
}

/// One value in words: a code by its label, an id by its name, money grouped with 元, an
/// object as "名：值，名：值", a list joined with "；".
pub fn value_text(entity: &str, key: &str, v: &Value, names: &dyn Names) -> String {
    if is_blank(v) {
        return "—".into();
    }
    if let Some(text) = named(entity, key, v, names) {
        return text;
    }
    match v {
        Value::Bool(b) => (if *b { "是" } else { "否" }).into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.is_empty() => "无".into(),
        Value::Array(items) => items
            .iter()
            .map(|i| value_text(entity, key, i, names))
            .collect::<Vec<_>>()
            .join("；"),
        Value::Object(o) => object_text(entity, o, names),
        Value::Null => "—".into(),
    }
}

/// The words for a value where its key says what it is.
fn named(entity: &str, key: &str, v: &Value, names: &dyn Names) -> Option<String> {
    let s = v.as_str();
    let id = v.as_i64();
    if AREA_KEYS.contains(&key) {
        return id.and_then(|i| names.area(i));
    }
    if PERSON_KEYS.contains(&key) {
        return id.and_then(|i| names.person(i));
    }
    if USER_KEYS.contains(&key) {
        return id.and_then(|i| names.user(i));
    }
    if MONEY_KEYS.contains(&key) || key.ends_with("_fen") {
        return money_text(key, v);
    }
    if key == "reason" {
        if let Some(r) = ExitReason::parse(s?) {
            return Some(r.label().to_owned());
        }
    }
    if let Some(choices) = code_choices(key) {
        return registry::label(choices, s?).map(str::to_owned);
    }
    let text = match key {
        "state" | "from_state" | "to_state" => state_label(entity, s?)
            .or_else(|| any_case_state_label(s?))?
            .to_owned(),
        "action" => step_text(entity, s?)?,
        "role" => Role::parse(s?)?.label().to_owned(),
        "sex" => match s? {
            "male" => "男".into(),
            "female" => "女".into(),
            _ => return None,
        },
        "urban_rural" => match s? {
            "urban" => "城市".into(),
            "rural" => "农村".into(),
            _ => return None,
        },
        "scope" => Scope::from_code(s?)?.label().to_owned(),
        "programme" => Programme::from_code(s?)?.label().to_owned(),
        "key" if entity == "standard" => rules::key_def(s?)?.label.to_owned(),
        "kind" if entity == "calendar_day" => match s? {
            "holiday" => "节假日".into(),
            "workday" => "调休上班".into(),
            _ => return None,
        },
        "cause" => temp::cause_label(s?)?.to_owned(),
        "quorum" | "majority" => deliberation::Threshold::parse(s?)?.label().to_owned(),
        "opinion" => deliberation::Opinion::parse(s?)?.label().to_owned(),
        "notice_day_kind" => match s? {
            "calendar" => "自然日".into(),
            "workdays" => "工作日".into(),
            _ => return None,
        },
        "cap_on" => Scope::from_code(s?)?.label().to_owned() + "标准",
        "kind" if matches!(s?, "emergency" | "expenditure") => if s? == "emergency" {
            "急难型"
        } else {
            "支出型"
        }
        .to_owned(),
        "for" => match s? {
            "all" => "低保和特困".into(),
            code => Programme::from_code(code)?.label().to_owned(),
        },
        "kind" if entity == "reserve_fund_entry" => match temp::entry_kind_label(s?) {
            "" => return None,
            l => l.to_owned(),
        },
        "kind" if entity == "payment_grant" => match crate::payrun::kind_label(s?) {
            "—" => return None,
            l => l.to_owned(),
        },
        "status" => match crate::payrun::status_label(s?) {
            "—" => return None,
            l => l.to_owned(),
        },
        "disability_grade" => ["一级", "二级", "三级", "四级"]
            .get(usize::try_from(id?).ok()?.checked_sub(1)?)?
            .to_string(),
        _ => return None,
    };
    Some(text)
}

/// A standard's value in words by its key: money (stored fen, or yuan text as typed) grouped with
/// 元, anything else (ratios, choices, tier lists) as [`crate::standard_entry::words`] says.
fn standard_value(key: &str, text: &str) -> Option<String> {
    let def = rules::key_def(key)?;
    Some(match def.kind {
        ValueKind::Money => {
            let fen = if text.contains('.') {
                rules::money::fen_from_yuan("value", text).ok()?
            } else {
                text.trim().parse().ok()?
            };
            format!("{} 元", fmt_yuan(fen))
        }
        _ => crate::standard_entry::words(def, text),
    })
}

fn label_of(key: &str) -> String {
    field_label(key).map_or_else(|| key.to_owned(), str::to_owned)
}

/// The keys of the objects in [`crate::labels::FIELDS`] order; a code whose label rides beside it
/// (`reason` with `reason_label`) gives way to the label.
fn sorted_keys<'a>(objects: &[Option<&'a Map<String, Value>>]) -> Vec<&'a String> {
    let mut keys: Vec<&String> = Vec::new();
    for o in objects.iter().flatten() {
        for k in o.keys() {
            if !keys.contains(&k) && !o.contains_key(&format!("{k}_label")) {
                keys.push(k);
            }
        }
    }
    keys.sort_by_key(|k| field_rank(k));
    keys
}

fn object_text(entity: &str, o: &Map<String, Value>, names: &dyn Names) -> String {
    let parts: Vec<String> = sorted_keys(&[Some(o)])
        .into_iter()
        .filter(|k| !is_blank(&o[k.as_str()]))
        .map(|k| {
            format!(
                "{}：{}",
                label_of(k),
                value_text(entity, k, &o[k.as_str()], names)
            )
        })
        .collect();
    if parts.is_empty() {
        "—".into()
    } else {
        parts.join("，")
    }
}

/// The lines of one audit row. With both sides, keys whose value changed ("名：旧 → 新", or
/// "名：新" for a key the before did not have); with one side, its keys that hold a value.
pub fn lines(
    entity: &str,
    before: Option<&Value>,
    after: Option<&Value>,
    names: &dyn Names,
) -> Vec<String> {
    let (b, a) = (
        before.and_then(Value::as_object),
        after.and_then(Value::as_object),
    );
    let mut out = Vec::new();
    for side in [before, after].into_iter().flatten() {
        if !side.is_object() && !is_blank(side) {
            out.push(format!("内容：{}", value_text(entity, "", side, names)));
        }
    }
    // A standard's value is read by its key.
    let standard_key = (entity == "standard")
        .then(|| a.or(b).and_then(|o| o.get("key")).and_then(Value::as_str))
        .flatten();
    for k in sorted_keys(&[b, a]) {
        let was = b.and_then(|o| o.get(k.as_str()));
        let now = a.and_then(|o| o.get(k.as_str()));
        let text = |v: &Value| match (standard_key, k.as_str(), v.as_str()) {
            (Some(key), "value", Some(t)) => {
                standard_value(key, t).unwrap_or_else(|| value_text(entity, k, v, names))
            }
            _ => value_text(entity, k, v, names),
        };
        match (b.is_some() && a.is_some(), was, now) {
            (true, Some(x), Some(y)) if x == y => {}
            (true, Some(x), Some(y)) => {
                out.push(format!("{}：{} → {}", label_of(k), text(x), text(y)))
            }
            (true, Some(x), None) => out.push(format!("{}：{} → —", label_of(k), text(x))),
            (_, _, Some(y)) if !is_blank(y) => out.push(format!("{}：{}", label_of(k), text(y))),
            (false, Some(x), None) if !is_blank(x) => {
                out.push(format!("{}：{}", label_of(k), text(x)))
            }
            _ => {}
        }
    }
    out
}

/// An audit row as people read it: the export's line and the page's row.
pub struct Shown {
    pub id: i64,
    pub at: String,
    pub user_name: String,
    pub action_label: String,
    pub entity_label: String,
    pub entity_id: Option<i64>,
    pub lines: Vec<String>,
}

/// The rows as an .xlsx workbook (审计记录: 序号, 时间, 操作人, 操作, 对象, 内容), with the filter
/// in words on the first line.
pub fn xlsx(title: &str, rows: &[Shown]) -> crate::error::CmdResult<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| {
        crate::error::CmdError::internal(format!("写入 xlsx 失败：{e}"))
    };
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("审计记录").map_err(err)?;
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    sheet
        .write_string_with_format(0, 0, title, &bold)
        .map_err(err)?;
    for (c, h) in ["序号", "时间", "操作人", "操作", "对象", "内容"]
        .iter()
        .enumerate()
    {
        sheet
            .write_string_with_format(2, c as u16, *h, &bold)
            .map_err(err)?;
    }
    for (n, r) in rows.iter().enumerate() {
        let at = 3 + n as u32;
        let entity = match r.entity_id {
            Some(id) => format!("{} {id}", r.entity_label),
            None => r.entity_label.clone(),
        };
        sheet.write_number(at, 0, r.id as f64).map_err(err)?;
        sheet.write_string(at, 1, &r.at).map_err(err)?;
        sheet.write_string(at, 2, &r.user_name).map_err(err)?;
        sheet.write_string(at, 3, &r.action_label).map_err(err)?;
        sheet.write_string(at, 4, &entity).map_err(err)?;
        sheet
            .write_string_with_format(at, 5, r.lines.join("\n"), &wrap)
            .map_err(err)?;
    }
    for (c, w) in [(1, 20), (2, 10), (3, 18), (4, 16), (5, 80)] {
        sheet.set_column_width(c, w).map_err(err)?;
    }
    book.save_to_buffer().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Township;
    impl Names for Township {
        fn area(&self, id: i64) -> Option<String> {
            (id == 3).then(|| "锦绣社区".into())
        }
        fn person(&self, _: i64) -> Option<String> {
            None
        }
        fn user(&self, _: i64) -> Option<String> {
            None
        }
    }

    #[test]
    fn a_creation_lists_the_values_given_in_field_order() {
        let after = json!({"phone": "13812345678", "village_id": 3, "address": "东街 18 号",
                           "bank_account": null, "hukou": "rural"});
        assert_eq!(
            lines("household", None, Some(&after), &Township),
            [
                "村（社区）：锦绣社区",
                "住址：东街 18 号",
                "户籍：农村",
                "联系电话：13812345678"
            ]
        );
    }

    #[test]
    fn an_update_lists_what_changed_old_to_new() {
        let before = json!({"address": "东街 18 号", "phone": null, "active": true});
        let after = json!({"address": "西街 2 号", "phone": "13812345678", "active": true});
        assert_eq!(
            lines("household", Some(&before), Some(&after), &NoNames),
            ["住址：东街 18 号 → 西街 2 号", "联系电话：— → 13812345678"]
        );
    }

    #[test]
    fn states_steps_and_money_read_in_chinese() {
        let before = json!({"state": "approved"});
        let after = json!({"state": "signed_off", "action": "sign_off",
                           "data": {"amount": "12000.00", "note": "同意"}});
        assert_eq!(
            lines("deliberation_case", Some(&before), Some(&after), &NoNames),
            [
                "状态：会议决定救助 → 已签批",
                "办理步骤：签批",
                "办理内容：说明：同意，金额：12,000.00 元"
            ]
        );
    }
}
