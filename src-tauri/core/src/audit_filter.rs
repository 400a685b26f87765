//! The audit page's filter as typed (`audit.list`, `audit.export`): each field checked, with a
//! Chinese message naming it, and the whole said in words for the page and the export's heading.
//! The store reads the rows ([`crate::store::audit`]); the command layer passes the labels of its
//! commands in, so nothing here looks upward.

use chrono::{Days, NaiveDate};
use serde::Deserialize;

use crate::error::{CmdError, CmdResult};
use crate::files::Deliver;
use crate::labels::entity_label;
use crate::store::audit::Filter;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FilterIn {
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub kind: Option<String>,
    pub action: Option<String>,
    pub user: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub case_number: Option<String>,
    pub limit: Option<i64>,
    /// `audit.export` only.
    pub path: Option<String>,
    pub deliver: Option<Deliver>,
}

fn blank_to_none(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The filter checked (fields named in Chinese messages), and the words for it.
pub fn filter_of(
    i: &FilterIn,
    action_label: impl Fn(&str) -> Option<&'static str>,
) -> CmdResult<(Filter<'_>, String)> {
    let entity = match (blank_to_none(&i.entity), i.entity_id) {
        (Some(e), Some(id)) => Some((e, id)),
        (None, None) => None,
        _ => {
            return Err(CmdError::invalid(
                "entity_id",
                "entity 与 entity_id 须同时给出",
            ))
        }
    };
    let kind = blank_to_none(&i.kind);
    if let Some(k) = kind {
        entity_label(k).ok_or_else(|| {
            CmdError::invalid("kind", format!("对象类型“{k}”无效，请从列表中选择"))
        })?;
    }
    let action = blank_to_none(&i.action);
    if let Some(a) = action {
        action_label(a)
            .ok_or_else(|| CmdError::invalid("action", format!("操作“{a}”无效，请从列表中选择")))?;
    }
    if let (Some(f), Some(t)) = (i.from, i.to) {
        if t < f {
            return Err(CmdError::invalid(
                "to",
                format!("结束日期 {t} 早于开始日期 {f}，请改正日期范围"),
            ));
        }
    }
    let user = blank_to_none(&i.user);
    let case_number = blank_to_none(&i.case_number);
    let mut words = Vec::new();
    if let Some(u) = user {
        words.push(format!("操作人 {u}"));
    }
    match (i.from, i.to) {
        (Some(f), Some(t)) => words.push(format!("{f} 至 {t}")),
        (Some(f), None) => words.push(format!("{f} 起")),
        (None, Some(t)) => words.push(format!("至 {t}")),
        (None, None) => {}
    }
    if let Some(n) = case_number {
        words.push(format!("案件 {n}"));
    }
    if let Some(a) = action.and_then(&action_label) {
        words.push(format!("操作“{a}”"));
    }
    if let Some(k) = kind.and_then(entity_label) {
        words.push(format!("对象“{k}”"));
    }
    if let Some((e, id)) = entity {
        words.push(format!("{} {id}", entity_label(e).unwrap_or("对象")));
    }
    let filter = Filter {
        entity,
        kind,
        action,
        user,
        from: i.from.map(|d| d.to_string()),
        before: i
            .to
            .and_then(|d| d.checked_add_days(Days::new(1)))
            .map(|d| d.to_string()),
        case_number,
    };
    let words = if words.is_empty() {
        "全部记录".to_owned()
    } else {
        words.join("，")
    };
    Ok((filter, words))
}
