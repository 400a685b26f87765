//! Standard values as people type and read them (money in yuan) and as stored (fen, the form the
//! rules engine reads), and the decisions on entering them: which stored row is in force on a
//! day, and when a typed value may replace a stored one. Pure: no SQL, no clock.
//!
//! # Entry points
//! - [`typed_row`]`(prefix, key, scope, effective_from, value)` → a validated `StandardRow`
//!   (fields `{prefix}key`, `{prefix}scope`, `{prefix}value`).
//! - [`shown`]`(key, stored)`: a stored value as people type it; [`words`]`(def, stored)` and
//!   [`words_of`]: as people read it (money grouped with 元, ratios as per cent).
//! - [`in_force`]`(&rows, &row, as_of)`: whether a stored row is the one in force on `as_of`.
//! - [`may_set`]`(&old, today)`: a value already in force is never changed (field `effective_from`).
//! - [`may_withdraw`]`(&row, today)`: nor withdrawn (field `id`).
//! - [`may_import`]`(n, &row, &old, today)`: an import may not contradict a value in force
//!   (field `rows[n].value`).

use chrono::NaiveDate;

use rust_decimal::Decimal;

use crate::error::{CmdError, CmdResult};

use crate::rules::money::{fen_from_yuan, fmt_yuan, parse_ratio, yuan_text};
use crate::rules::{self, KeyDef, Scope, StandardRow, ValueKind};
use crate::store::standards::StoredStandard;

/// The tag of an exported set of standards.
pub const EXPORT_FORMAT: &str = "doudi-standards/1";

fn def_of(field: &str, key: &str) -> CmdResult<&'static KeyDef> {
    rules::key_def(key.trim())
        .ok_or_else(|| CmdError::invalid(field, format!("没有名为“{key}”的保障标准项")))
}

/// A stored value as people read and type it: money in yuan, everything else as stored.
pub fn display(def: &KeyDef, stored: &str) -> String {
    match def.kind {
        ValueKind::Money => stored
            .trim()
            .parse::<i64>()
            .map(yuan_text)
            .unwrap_or_else(|_| stored.to_owned()),
        _ => stored.to_owned(),
    }
}

/// [`display`] for a key by name; an unknown key's value as stored.
pub fn shown(key: &str, stored: &str) -> String {
    rules::key_def(key)
        .map(|d| display(d, stored))
        .unwrap_or_else(|| stored.to_owned())
}

/// A stored value in words: money grouped with 元 ("1,220.00 元"), a ratio as a per cent
/// ("30%", a fraction with its per cent: "1/6（≈16.66%）") or, for a multiple of a standard,
/// "1.5 倍", a choice by its label; integers and JSON lists as stored.
pub fn words(def: &KeyDef, stored: &str) -> String {
    match def.kind {
        ValueKind::Money => stored
            .trim()
            .parse::<i64>()
            .map(|fen| format!("{} 元", fmt_yuan(fen)))
            .unwrap_or_else(|_| stored.to_owned()),
        ValueKind::Ratio { .. } => match parse_ratio(stored) {
            Some(r) if def.label.contains("倍数") => format!("{} 倍", r.normalize()),
            Some(r) => {
                let p = (r * Decimal::ONE_HUNDRED).normalize();
                let per_cent = if p.scale() <= 2 {
                    format!("{p}%")
                } else {
                    format!("≈{}%", p.trunc_with_scale(2))
                };
                if stored.contains('/') {
                    format!("{}（{per_cent}）", stored.trim())
                } else {
                    per_cent
                }
            }
            None => stored.to_owned(),
        },
        ValueKind::Choice(choices) => crate::registry::label(choices, stored.trim())
            .map_or_else(|| stored.to_owned(), str::to_owned),
        ValueKind::TempTiers | ValueKind::DibaoTiers | ValueKind::CauseCaps => {
            tier_words(def.kind, stored).unwrap_or_else(|| stored.to_owned())
        }
        ValueKind::Integer { .. } => stored.to_owned(),
    }
}

/// A tier list in words, one item after another: 「急难型一档（急难型）：2 倍」, 「人均收入低于标准的
/// 0.25 倍：补差 0.9 倍」, 「基本生活：上限 3 倍（按城市标准）」; `None` when it does not parse.
fn tier_words(kind: ValueKind, stored: &str) -> Option<String> {
    let times = |d: Decimal| format!("{} 倍", d.normalize());
    let on_urban = |urban: bool| if urban { "（按城市标准）" } else { "" };
    let items: Vec<String> = match kind {
        ValueKind::TempTiers => rules::parse_temp_tiers(stored)
            .ok()?
            .iter()
            .map(|t| {
                let cap = t
                    .cap
                    .map(|c| format!("，上限 {}{}", times(c), on_urban(t.cap_urban)))
                    .unwrap_or_default();
                format!(
                    "{}（{}）：{}{cap}",
                    t.label,
                    t.kind.label(),
                    times(t.multiple)
                )
            })
            .collect(),
        ValueKind::DibaoTiers => rules::parse_dibao_tiers(stored)
            .ok()?
            .iter()
            .map(|t| {
                format!(
                    "人均收入低于标准的 {}：补差 {}",
                    times(t.below),
                    times(t.pay)
                )
            })
            .collect(),
        ValueKind::CauseCaps => rules::parse_cause_caps(stored)
            .ok()?
            .iter()
            .map(|c| {
                let cause = crate::workflow::temp::cause_label(&c.cause).unwrap_or(&c.cause);
                format!("{cause}：上限 {}{}", times(c.cap), on_urban(c.cap_urban))
            })
            .collect(),
        _ => return None,
    };
    Some(if items.is_empty() {
        "无".into()
    } else {
        items.join("；")
    })
}

/// [`words`] for a key by name; an unknown key's value as stored.
pub fn words_of(key: &str, stored: &str) -> String {
    rules::key_def(key)
        .map(|d| words(d, stored))
        .unwrap_or_else(|| stored.to_owned())
}

/// A typed value in the stored form.
fn stored_form(field: &str, def: &KeyDef, typed: &str) -> CmdResult<String> {
    match def.kind {
        ValueKind::Money => Ok(fen_from_yuan(field, typed)?.to_string()),
        _ => Ok(typed.trim().to_owned()),
    }
}

fn scope_of(field: &str, s: &str) -> CmdResult<Scope> {
    Scope::from_code(s).ok_or_else(|| {
        CmdError::invalid(
            field,
            format!("范围“{s}”无效，应为 urban（城市）、rural（农村）或 all（全县）"),
        )
    })
}

/// Validate one typed row; fields are prefixed with `prefix` (e.g. "rows[3].").
pub fn typed_row(
    prefix: &str,
    key: &str,
    scope: &str,
    effective_from: NaiveDate,
    value: &str,
) -> CmdResult<StandardRow> {
    let def = def_of(&format!("{prefix}key"), key)?;
    let row = StandardRow {
        key: def.key.to_owned(),
        scope: scope_of(&format!("{prefix}scope"), scope)?,
        effective_from,
        value: stored_form(&format!("{prefix}value"), def, value)?,
    };
    rules::validate_row(&row).map_err(|mut e| {
        e.field = e.field.map(|f| format!("{prefix}{f}"));
        e
    })?;
    Ok(row)
}

/// The row's label with its scope ("农村低保标准"); an unknown key as itself.
pub fn label(r: &StoredStandard) -> String {
    let scope = Scope::from_code(&r.scope).unwrap_or(Scope::All);
    rules::key_def(&r.key)
        .map(|d| d.scoped_label(scope))
        .unwrap_or_else(|| r.key.clone())
}

/// Whether `r` is the value in force on `as_of`: in effect, and no later row of its key and
/// scope is in effect too.
pub fn in_force(rows: &[StoredStandard], r: &StoredStandard, as_of: NaiveDate) -> bool {
    r.effective_from <= as_of
        && !rows.iter().any(|o| {
            o.key == r.key
                && o.scope == r.scope
                && o.effective_from > r.effective_from
                && o.effective_from <= as_of
        })
}

/// A stored value of the same key, scope and date may be replaced only while it is not yet in
/// force.
pub fn may_set(old: &StoredStandard, today: NaiveDate) -> CmdResult<()> {
    if old.effective_from <= today {
        return Err(CmdError::invalid(
            "effective_from",
            format!(
                "{} 起生效的值已在执行，不能修改；请以新的生效日期录入调整",
                old.effective_from
            ),
        ));
    }
    Ok(())
}

/// A value may be withdrawn only while it is not yet in force (field `id`).
pub fn may_withdraw(row: &StoredStandard, today: NaiveDate) -> CmdResult<()> {
    if row.effective_from <= today {
        return Err(CmdError::invalid(
            "id",
            format!("{} 起生效的值已在执行，不能撤回", row.effective_from),
        ));
    }
    Ok(())
}

/// Row `n` of an import may repeat a stored value, or replace one not yet in force; contradicting
/// a value in force refuses the whole import.
pub fn may_import(
    n: usize,
    row: &StandardRow,
    old: &StoredStandard,
    today: NaiveDate,
) -> CmdResult<()> {
    if old.value == row.value || old.effective_from > today {
        return Ok(());
    }
    let def = def_of("key", &row.key)?;
    Err(CmdError::invalid(
        &format!("rows[{n}].value"),
        format!(
            "第 {} 行：{} {} 起已执行 {}，导入文件为 {}；已执行的标准不能改，未导入任何内容",
            n + 1,
            def.scoped_label(row.scope),
            row.effective_from,
            display(def, &old.value),
            display(def, &row.value)
        ),
    ))
}

#[cfg(test)]
mod tests;
