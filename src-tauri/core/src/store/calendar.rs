//! SQL for the working-day calendar and the workflow's time limits (settings `workflow.*`).

use chrono::NaiveDate;
use rusqlite::{params, Connection};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::settings;
use crate::error::{CmdError, CmdResult};
use crate::workflow::{DeadlineRules, WorkCalendar};

/// One exception to Monday–Friday.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarDay {
    pub date: NaiveDate,
    /// `holiday` (a weekday off) or `workday` (a weekend day worked, 调休上班).
    pub kind: String,
    pub note: String,
}

pub fn days(conn: &Connection, year: Option<i32>) -> CmdResult<Vec<CalendarDay>> {
    let mut stmt = conn.prepare(
        "SELECT date, kind, note FROM calendar_day
         WHERE ?1 IS NULL OR substr(date, 1, 4) = ?1 ORDER BY date",
    )?;
    let rows = stmt
        .query_map([year.map(|y| format!("{y:04}"))], |r| {
            Ok(CalendarDay {
                date: r.get(0)?,
                kind: r.get(1)?,
                note: r.get(2)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn set_day(tx: &Connection, d: &CalendarDay) -> CmdResult<()> {
    tx.execute(
        "INSERT INTO calendar_day (date, kind, note) VALUES (?1, ?2, ?3)
         ON CONFLICT(date) DO UPDATE SET kind = excluded.kind, note = excluded.note",
        params![d.date, d.kind, d.note],
    )?;
    Ok(())
}

pub fn remove_day(tx: &Connection, date: NaiveDate) -> CmdResult<bool> {
    Ok(tx.execute("DELETE FROM calendar_day WHERE date = ?1", [date])? > 0)
}

/// The whole calendar, as the deadline functions take it.
pub fn load(conn: &Connection) -> CmdResult<WorkCalendar> {
    let mut cal = WorkCalendar::default();
    for d in days(conn, None)? {
        if d.kind == "workday" {
            cal.makeup_workdays.insert(d.date);
        } else {
            cal.holidays.insert(d.date);
        }
    }
    Ok(cal)
}

/// How the 公示's days are counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum NoticeDayKind {
    /// 自然日 (today's behaviour).
    #[default]
    Calendar,
    /// 工作日: weekends and holidays of the work calendar extend the 公示.
    Workdays,
}

impl NoticeDayKind {
    pub fn code(self) -> &'static str {
        match self {
            NoticeDayKind::Calendar => "calendar",
            NoticeDayKind::Workdays => "workdays",
        }
    }
}

/// The county's time limits. Stored as settings `workflow.<name>`; unset ones take the defaults
/// of DOMAIN.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkflowSettings {
    /// 公示 length in days, counted as `notice_day_kind` says.
    pub notice_days: u32,
    /// Whether the 公示 counts calendar days (default) or working days.
    #[serde(default)]
    pub notice_day_kind: NoticeDayKind,
    /// 县级审批 within this many working days after the 公示.
    pub approval_workdays: u32,
    /// The whole 低保/特困 procedure from 受理.
    pub procedure_workdays: u32,
    /// Written refusal notice.
    pub refusal_notice_workdays: u32,
    /// 特困 survey from 受理.
    pub tekun_survey_workdays: u32,
    /// 临时救助 procedure from 受理.
    pub temp_procedure_workdays: u32,
    /// 先行救助: paperwork completed within this many working days of the grant.
    pub temp_paperwork_workdays: u32,
}

impl Default for WorkflowSettings {
    fn default() -> WorkflowSettings {
        let d = DeadlineRules::default();
        WorkflowSettings {
            notice_days: 7,
            notice_day_kind: NoticeDayKind::Calendar,
            approval_workdays: d.approval_workdays,
            procedure_workdays: d.procedure_workdays,
            refusal_notice_workdays: d.refusal_notice_workdays,
            tekun_survey_workdays: d.tekun_survey_workdays,
            temp_procedure_workdays: 15,
            temp_paperwork_workdays: 5,
        }
    }
}

impl WorkflowSettings {
    /// The calendar a 公示 counts working days of, or `None` when it counts calendar days.
    pub fn notice_calendar(&self, cal: &WorkCalendar) -> Option<WorkCalendar> {
        match self.notice_day_kind {
            NoticeDayKind::Calendar => None,
            NoticeDayKind::Workdays => Some(cal.clone()),
        }
    }

    pub fn deadline_rules(&self) -> DeadlineRules {
        DeadlineRules {
            approval_workdays: self.approval_workdays,
            procedure_workdays: self.procedure_workdays,
            refusal_notice_workdays: self.refusal_notice_workdays,
            tekun_survey_workdays: self.tekun_survey_workdays,
        }
    }

    /// Each field with its setting key, Chinese label and allowed range.
    pub fn fields(&mut self) -> [(&'static str, &'static str, u32, u32, &mut u32); 7] {
        [
            ("notice_days", "公示天数", 1, 30, &mut self.notice_days),
            (
                "approval_workdays",
                "公示期满后县级审批时限（工作日）",
                1,
                60,
                &mut self.approval_workdays,
            ),
            (
                "procedure_workdays",
                "低保/特困办理总时限（工作日）",
                1,
                90,
                &mut self.procedure_workdays,
            ),
            (
                "refusal_notice_workdays",
                "不予批准书面告知时限（工作日）",
                1,
                30,
                &mut self.refusal_notice_workdays,
            ),
            (
                "tekun_survey_workdays",
                "特困入户调查时限（工作日）",
                1,
                60,
                &mut self.tekun_survey_workdays,
            ),
            (
                "temp_procedure_workdays",
                "临时救助办理时限（工作日）",
                1,
                60,
                &mut self.temp_procedure_workdays,
            ),
            (
                "temp_paperwork_workdays",
                "先行救助补齐手续时限（工作日）",
                1,
                30,
                &mut self.temp_paperwork_workdays,
            ),
        ]
    }

    /// Refuse a value out of range, naming the field.
    pub fn validate(mut self) -> CmdResult<WorkflowSettings> {
        for (key, label, min, max, value) in self.fields() {
            if *value < min || *value > max {
                return Err(CmdError::invalid(
                    key,
                    format!("{label}应在 {min} 到 {max} 之间，填写的是 {value}"),
                ));
            }
        }
        Ok(self)
    }
}

pub fn workflow_settings(conn: &Connection) -> CmdResult<WorkflowSettings> {
    let mut s = WorkflowSettings::default();
    for (key, _, _, _, value) in s.fields() {
        if let Some(v) = settings::get(conn, &format!("workflow.{key}"))? {
            if let Ok(n) = v.parse() {
                *value = n;
            }
        }
    }
    if settings::get(conn, "workflow.notice_day_kind")?.as_deref() == Some("workdays") {
        s.notice_day_kind = NoticeDayKind::Workdays;
    }
    Ok(s)
}

pub fn set_workflow_settings(tx: &Connection, s: WorkflowSettings) -> CmdResult<()> {
    let mut s = s;
    settings::set(tx, "workflow.notice_day_kind", s.notice_day_kind.code())?;
    for (key, _, _, _, value) in s.fields() {
        settings::set(tx, &format!("workflow.{key}"), &value.to_string())?;
    }
    Ok(())
}
