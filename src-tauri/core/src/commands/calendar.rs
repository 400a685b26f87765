//! The working-day calendar (holidays and make-up workdays) and the workflow's time limits.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{input, Session, Stamp};
use crate::auth::Role;
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::store::calendar::{CalendarDay, NoticeDayKind, WorkflowSettings};
use crate::store::{self};
use crate::workflow::check_exception;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ListIn {
    year: Option<i32>,
}

/// One exception to Monday–Friday: `holiday` (a weekday off) or `workday` (调休上班).
#[derive(Serialize, JsonSchema)]
pub(crate) struct Day {
    #[schemars(with = "String")]
    date: NaiveDate,
    kind: String,
    note: String,
}

impl From<CalendarDay> for Day {
    fn from(d: CalendarDay) -> Day {
        Day {
            date: d.date,
            kind: d.kind,
            note: d.note,
        }
    }
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct ListReply {
    year: i32,
    days: Vec<Day>,
}

pub(crate) fn list(s: &mut Session, v: Value) -> CmdResult<ListReply> {
    s.user()?;
    let i: ListIn = input(v)?;
    let year = i.year.unwrap_or_else(|| s.clock.today().year());
    let days = store::calendar::days(&s.conn, Some(year))?;
    let days = days.into_iter().map(Day::from).collect();
    Ok(ListReply { year, days })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetIn {
    date: NaiveDate,
    kind: String,
    #[serde(default)]
    note: String,
}

/// A weekday may be made a holiday, a weekend day a make-up workday; anything else is a mistake.
#[derive(Serialize, JsonSchema)]
pub(crate) struct SetReply {
    day: Day,
}

pub(crate) fn set(s: &mut Session, v: Value) -> CmdResult<SetReply> {
    s.require(&[Role::Admin], "维护工作日历")?;
    let i: SetIn = input(v)?;
    let note = check_exception(i.date, &i.kind, &i.note)?;
    let stamp = Stamp::of(s)?;
    let day = CalendarDay {
        date: i.date,
        kind: i.kind.clone(),
        note,
    };
    with_tx(&mut s.conn, |tx| {
        store::calendar::set_day(tx, &day)?;
        let after = serde_json::to_value(Day::from(day.clone())).unwrap_or(Value::Null);
        stamp.record(tx, "calendar.set", "calendar_day", None, None, Some(&after))
    })?;
    Ok(SetReply { day: day.into() })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RemoveIn {
    date: NaiveDate,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct RemoveReply {
    #[schemars(with = "String")]
    removed: NaiveDate,
}

pub(crate) fn remove(s: &mut Session, v: Value) -> CmdResult<RemoveReply> {
    s.require(&[Role::Admin], "维护工作日历")?;
    let i: RemoveIn = input(v)?;
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        if !store::calendar::remove_day(tx, i.date)? {
            return Err(CmdError::invalid(
                "date",
                format!("{} 没有登记为节假日或调休上班日", i.date),
            ));
        }
        stamp.record(
            tx,
            "calendar.remove",
            "calendar_day",
            None,
            Some(&json!({"date": i.date})),
            None,
        )
    })?;
    Ok(RemoveReply { removed: i.date })
}

/// One time limit with its label and allowed range.
#[derive(Serialize, JsonSchema)]
pub(crate) struct SettingField {
    key: &'static str,
    label: &'static str,
    min: u32,
    max: u32,
    value: u32,
}

/// The time limits by key, and each with its label and range.
#[derive(Serialize, JsonSchema)]
pub(crate) struct SettingsReply {
    settings: BTreeMap<&'static str, u32>,
    fields: Vec<SettingField>,
    /// How the 公示 counts its days: `calendar` (自然日) or `workdays` (工作日).
    notice_day_kind: NoticeDayKind,
}

pub(crate) fn settings(s: &mut Session, _: Value) -> CmdResult<SettingsReply> {
    s.user()?;
    let mut w = store::calendar::workflow_settings(&s.conn)?;
    let fields: Vec<SettingField> = (w.fields().into_iter())
        .map(|(key, label, min, max, value)| SettingField {
            key,
            label,
            min,
            max,
            value: *value,
        })
        .collect();
    let settings = fields.iter().map(|f| (f.key, f.value)).collect();
    Ok(SettingsReply {
        settings,
        fields,
        notice_day_kind: w.notice_day_kind,
    })
}

pub(crate) fn set_settings(s: &mut Session, v: Value) -> CmdResult<SettingsReply> {
    s.require(&[Role::Admin], "设置办理时限")?;
    let new: WorkflowSettings = input(v)?;
    let new = new.validate()?;
    let old = store::calendar::workflow_settings(&s.conn)?;
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        store::calendar::set_workflow_settings(tx, new)?;
        stamp.record(
            tx,
            "workflow.set_settings",
            "setting",
            None,
            serde_json::to_value(old).ok().as_ref(),
            serde_json::to_value(new).ok().as_ref(),
        )
    })?;
    settings(s, Value::Null)
}
