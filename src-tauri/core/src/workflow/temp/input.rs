//! What a user types for a 临时救助 case, read into the workflow's terms: the application at
//! registration ([`check_application`]), a step with its data ([`parse_step`]), what a step
//! records on the timeline ([`step_data`]) and the same-cause warning. Pure: no SQL, no clock
//! (today is passed in).

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use serde_json::{json, Value};

use super::state::{cause_label, parse_kind, StagePlan, TempAction, TempActionKind, CAUSES};
use crate::error::{CmdError, CmdResult};
use crate::month::Month;
use crate::rules::money::{fen_from_yuan, yuan_text};
use crate::rules::TempAidKind;

/// An application as typed at registration (the input of `temp_aid.create`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationInput {
    pub household_id: i64,
    pub kind: String,
    pub cause: String,
    pub applied_on: Option<NaiveDate>,
    pub description: String,
    pub requested_amount: Option<String>,
}

/// An application that may be registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub kind: TempAidKind,
    pub cause: String,
    pub applied_on: NaiveDate,
    pub description: String,
    pub requested_fen: Option<i64>,
}

/// Kind and cause known, a description given, not dated after `today`; the amount in yuan.
pub fn check_application(i: &ApplicationInput, today: NaiveDate) -> CmdResult<Application> {
    let kind = parse_kind(&i.kind).ok_or_else(|| {
        CmdError::invalid(
            "kind",
            format!(
                "临时救助类型“{}”无效，应为 emergency（急难型）或 expenditure（支出型）",
                i.kind
            ),
        )
    })?;
    if cause_label(&i.cause).is_none() {
        let all: Vec<String> = CAUSES.iter().map(|(c, l)| format!("{c}（{l}）")).collect();
        return Err(CmdError::invalid(
            "cause",
            format!("救助事由“{}”无效，可选：{}", i.cause, all.join("、")),
        ));
    }
    let description = i.description.trim();
    if description.is_empty() {
        return Err(CmdError::invalid(
            "description",
            "请填写申请事由说明（发生了什么、家庭困难情况）",
        ));
    }
    let applied_on = i.applied_on.unwrap_or(today);
    if applied_on > today {
        return Err(CmdError::invalid(
            "applied_on",
            format!("申请日期 {applied_on} 晚于今天，请填写实际申请日期"),
        ));
    }
    let requested_fen = match i.requested_amount.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(t) => Some(fen_from_yuan("requested_amount", t)?),
    };
    Ok(Application {
        kind,
        cause: i.cause.clone(),
        applied_on,
        description: description.to_owned(),
        requested_fen,
    })
}

/// The warning at registration when the household had help for the same cause this year.
pub fn repeat_warning(applied_on: NaiveDate, cause: &str, earlier: &[String]) -> Option<String> {
    (!earlier.is_empty()).then(|| {
        format!(
            "此户 {} 年已因同一事由（{}）申请过临时救助（案件 {}）。同一事由每年只救助一次，须由乡镇审核人登记特批理由后才能救助",
            applied_on.year(),
            cause_label(cause).unwrap_or(""),
            earlier.join("、")
        )
    })
}

/// One stage of a plan as typed: `YYYY-MM` and yuan.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageInput {
    pub month: String,
    pub amount: String,
}

/// A step as typed (the input of `temp_aid.act`): the case, the action's code and whichever
/// data it takes.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepInput {
    pub case_id: i64,
    pub action: String,
    pub findings: Option<String>,
    pub amount: Option<String>,
    pub stages: Option<Vec<StageInput>>,
    pub reason: Option<String>,
    pub opinion: Option<String>,
    pub reasons: Option<String>,
    pub stage_no: Option<u32>,
}

fn text(v: &Option<String>) -> String {
    v.as_deref().unwrap_or("").trim().to_owned()
}

fn amount(i: &StepInput) -> CmdResult<i64> {
    match i.amount.as_deref() {
        None => Err(CmdError::invalid("amount", "请填写救助金额（元）")),
        Some(t) => fen_from_yuan("amount", t),
    }
}

fn plan(i: &StepInput) -> CmdResult<Vec<StagePlan>> {
    let Some(stages) = &i.stages else {
        return Ok(vec![]);
    };
    stages
        .iter()
        .enumerate()
        .map(|(n, st)| {
            Ok(StagePlan {
                month: Month::parse_field(&format!("stages[{n}].month"), &st.month)?.first_day(),
                amount_fen: fen_from_yuan(&format!("stages[{n}].amount"), &st.amount)?,
            })
        })
        .collect()
}

/// The action with its data; the state machine judges whether it may be taken.
pub fn parse_step(i: &StepInput) -> CmdResult<TempAction> {
    let kind = TempActionKind::parse(&i.action).ok_or_else(|| {
        let all: Vec<String> = TempActionKind::ALL
            .iter()
            .map(|k| format!("{}（{}）", k.as_str(), k.label()))
            .collect();
        CmdError::invalid(
            "action",
            format!("没有名为“{}”的办理步骤，可选：{}", i.action, all.join("、")),
        )
    })?;
    Ok(match kind {
        TempActionKind::Accept => TempAction::Accept,
        TempActionKind::RecordSurvey => TempAction::RecordSurvey {
            findings: text(&i.findings),
        },
        TempActionKind::CompletePaperwork => TempAction::CompletePaperwork {
            findings: text(&i.findings),
        },
        TempActionKind::RecordCountyHomeCheck => TempAction::RecordCountyHomeCheck {
            findings: text(&i.findings),
        },
        TempActionKind::GrantAdvance => TempAction::GrantAdvance {
            amount_fen: amount(i)?,
        },
        TempActionKind::OverrideRepeat => TempAction::OverrideRepeat {
            reason: text(&i.reason),
        },
        TempActionKind::ApproveTownship => TempAction::ApproveTownship {
            total_fen: amount(i)?,
            stages: plan(i)?,
        },
        TempActionKind::ApproveCounty => TempAction::ApproveCounty {
            total_fen: amount(i)?,
            stages: plan(i)?,
        },
        TempActionKind::ReferToCounty => TempAction::ReferToCounty {
            opinion: text(&i.opinion),
        },
        TempActionKind::RefuseTownship => TempAction::RefuseTownship {
            reasons: text(&i.reasons),
        },
        TempActionKind::RefuseCounty => TempAction::RefuseCounty {
            reasons: text(&i.reasons),
        },
        TempActionKind::PayStage => TempAction::PayStage {
            stage_no: i
                .stage_no
                .ok_or_else(|| CmdError::invalid("stage_no", "请选择要登记发放的阶段"))?,
            reason: text(&i.reason),
        },
    })
}

/// What the step records, for the timeline and the audit row.
pub fn step_data(action: &TempAction) -> Value {
    let stages = |stages: &[StagePlan]| -> Vec<Value> {
        stages
            .iter()
            .enumerate()
            .map(|(n, st)| {
                json!({"no": n + 1, "month": Month::of(st.month), "amount": yuan_text(st.amount_fen)})
            })
            .collect()
    };
    match action {
        TempAction::Accept => json!({}),
        TempAction::RecordSurvey { findings }
        | TempAction::CompletePaperwork { findings }
        | TempAction::RecordCountyHomeCheck { findings } => json!({"findings": findings}),
        TempAction::GrantAdvance { amount_fen } => json!({"amount": yuan_text(*amount_fen)}),
        TempAction::OverrideRepeat { reason } => json!({"reason": reason}),
        TempAction::ApproveTownship {
            total_fen,
            stages: st,
        }
        | TempAction::ApproveCounty {
            total_fen,
            stages: st,
        } => json!({"amount": yuan_text(*total_fen), "stages": stages(st)}),
        TempAction::ReferToCounty { opinion } => json!({"opinion": opinion}),
        TempAction::RefuseTownship { reasons } | TempAction::RefuseCounty { reasons } => {
            json!({"reasons": reasons})
        }
        TempAction::PayStage { stage_no, reason } if reason.is_empty() => {
            json!({"stage_no": stage_no})
        }
        TempAction::PayStage { stage_no, reason } => {
            json!({"stage_no": stage_no, "reason": reason})
        }
    }
}

/// Where a listed case goes: overdue first, then the nearest deadline (those without one after),
/// then the newest (highest id).
pub fn list_order(
    a: (bool, Option<NaiveDate>, i64),
    b: (bool, Option<NaiveDate>, i64),
) -> std::cmp::Ordering {
    b.0.cmp(&a.0)
        .then_with(|| match (a.1, b.1) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        })
        .then_with(|| b.2.cmp(&a.2))
}
