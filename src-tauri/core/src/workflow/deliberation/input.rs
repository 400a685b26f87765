//! What a user types for 一事一议, read into the workflow's terms and checked: the 申报表
//! ([`check_filing`]), the settings' units and rules, the units invited to a meeting, attendance
//! and opinions, the meeting's decision ([`parse_outcome`]) and a visit. Pure: today is passed in.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::error::DelibError;
use super::meeting::{Opinion, Threshold};
use super::state::{DelibAction, DelibState, Outcome};
use crate::auth::{Role, User};
use crate::error::{CmdError, CmdResult, ErrorCode};
use crate::month::Month;
use crate::rules::money::fen_from_yuan;

/// A required text, trimmed; `what` names it in the message.
pub fn required(field: &str, text: &str, what: &str) -> CmdResult<String> {
    let t = text.trim();
    if t.is_empty() {
        Err(CmdError::invalid(field, format!("请填写{what}")))
    } else {
        Ok(t.to_owned())
    }
}

/// What a regular programme already gave the family, as stored in the case (JSON).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Received {
    pub programme: String,
    pub amount_fen: i64,
    pub note: String,
}

/// A regular programme's help as typed on the 申报表: the amount in yuan.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceivedInput {
    pub programme: String,
    pub amount: String,
    #[serde(default)]
    pub note: String,
}

/// The 申报表 as typed (the input of `deliberation.file`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilingInput {
    pub household_id: i64,
    pub family_situation: String,
    pub special_matter: String,
    #[serde(default)]
    pub received: Vec<ReceivedInput>,
    pub proposed_amount: String,
    pub proposed_measures: String,
    pub reporting_unit: String,
    pub township_opinion: String,
    pub filed_on: Option<NaiveDate>,
}

/// A 申报表 that may be filed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filing {
    pub family_situation: String,
    pub special_matter: String,
    pub received: Vec<Received>,
    pub proposed_amount_fen: i64,
    pub proposed_measures: String,
    pub reporting_unit: String,
    pub township_opinion: String,
    pub filed_on: NaiveDate,
}

/// Every required part given, the proposed amount above zero, not dated after `today`.
pub fn check_filing(i: &FilingInput, today: NaiveDate) -> CmdResult<Filing> {
    let family_situation = required("family_situation", &i.family_situation, "家庭基本情况")?;
    let special_matter = required("special_matter", &i.special_matter, "特殊困难事项")?;
    let mut received = Vec::new();
    for (n, r) in i.received.iter().enumerate() {
        let programme = required(
            &format!("received[{n}].programme"),
            &r.programme,
            "已享受的救助项目名称",
        )?;
        let amount_fen = fen_from_yuan(&format!("received[{n}].amount"), &r.amount)?;
        received.push(Received {
            programme,
            amount_fen,
            note: r.note.trim().to_owned(),
        });
    }
    let proposed_amount_fen = fen_from_yuan("proposed_amount", &i.proposed_amount)?;
    if proposed_amount_fen == 0 {
        return Err(CmdError::invalid("proposed_amount", "拟救助金额必须大于 0"));
    }
    let proposed_measures = required(
        "proposed_measures",
        &i.proposed_measures,
        "拟采取的救助措施",
    )?;
    let reporting_unit = required("reporting_unit", &i.reporting_unit, "申报单位")?;
    let township_opinion = required("township_opinion", &i.township_opinion, "申报单位意见")?;
    let filed_on = i.filed_on.unwrap_or(today);
    if filed_on > today {
        return Err(CmdError::invalid(
            "filed_on",
            format!("申报日期 {filed_on} 晚于今天，不能预先登记"),
        ));
    }
    Ok(Filing {
        family_situation,
        special_matter,
        received,
        proposed_amount_fen,
        proposed_measures,
        reporting_unit,
        township_opinion,
        filed_on,
    })
}

/// The member units as typed: named, each once, at least one.
pub fn check_units(units: &[String]) -> CmdResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for (n, u) in units.iter().enumerate() {
        let u = required(&format!("units[{n}]"), u, "成员单位名称")?;
        if out.contains(&u) {
            return Err(CmdError::invalid(
                &format!("units[{n}]"),
                format!("成员单位“{u}”重复"),
            ));
        }
        out.push(u);
    }
    if out.is_empty() {
        return Err(CmdError::invalid("units", "请至少填写一个成员单位"));
    }
    Ok(out)
}

/// A quorum or majority rule's code.
pub fn parse_threshold(field: &str, code: &str) -> CmdResult<Threshold> {
    Threshold::parse(code).ok_or_else(|| {
        let all: Vec<String> = Threshold::ALL
            .iter()
            .map(|t| format!("{}（{}）", t.as_str(), t.label()))
            .collect();
        CmdError::invalid(field, format!("规则“{code}”无效，可选：{}", all.join("、")))
    })
}

/// Which unit each member-unit user speaks for: `pairs` as typed (user id, unit), `users` the
/// user of each pair as found (`None`: no such user). Only member-unit users, each once, each to a
/// listed unit.
pub fn check_user_units(
    pairs: &[(i64, String)],
    users: &[Option<User>],
    units: &[String],
) -> CmdResult<Vec<(i64, String)>> {
    let mut out: Vec<(i64, String)> = Vec::new();
    for (n, ((user_id, unit), u)) in pairs.iter().zip(users).enumerate() {
        let field = format!("user_units[{n}]");
        let u = u.as_ref().ok_or_else(|| {
            CmdError::invalid(
                &format!("{field}.user_id"),
                format!("用户 {user_id} 不存在"),
            )
        })?;
        if u.role != Role::MemberUnit {
            return Err(CmdError::invalid(
                &format!("{field}.user_id"),
                format!(
                    "{}是{}，只有成员单位代表才能对应成员单位",
                    u.display_name,
                    u.role.label()
                ),
            ));
        }
        let unit = unit.trim().to_owned();
        if !units.contains(&unit) {
            return Err(CmdError::invalid(
                &format!("{field}.unit"),
                format!("“{unit}”不在成员单位名单中"),
            ));
        }
        if out.iter().any(|(id, _)| *id == u.id) {
            return Err(CmdError::invalid(
                &format!("{field}.user_id"),
                format!("{}已对应了一个成员单位", u.display_name),
            ));
        }
        out.push((u.id, unit));
    }
    Ok(out)
}

/// The units a meeting invites: all configured ones, or those asked for (each configured), in
/// the configured order.
pub fn invited_units(configured: &[String], asked: Option<&[String]>) -> CmdResult<Vec<String>> {
    let units: Vec<String> = match asked {
        None => configured.to_vec(),
        Some(list) => {
            for (n, u) in list.iter().enumerate() {
                if !configured.contains(u) {
                    return Err(CmdError::invalid(
                        &format!("units[{n}]"),
                        format!("“{u}”不在成员单位名单中"),
                    ));
                }
            }
            configured
                .iter()
                .filter(|u| list.contains(u))
                .cloned()
                .collect()
        }
    };
    if units.is_empty() {
        return Err(CmdError::invalid("units", "请至少邀请一个成员单位"));
    }
    Ok(units)
}

/// An attendance status: `present`, `absent` or `invited` (not yet known).
pub fn check_attendance(status: &str) -> CmdResult<()> {
    if ["present", "absent", "invited"].contains(&status) {
        Ok(())
    } else {
        Err(CmdError::invalid(
            "status",
            format!("出席情况“{status}”无效，可选 present（出席）、absent（缺席）"),
        ))
    }
}

/// A unit's opinion as typed.
pub fn parse_opinion(code: &str) -> CmdResult<Opinion> {
    Opinion::parse(code).ok_or_else(|| {
        CmdError::invalid(
            "opinion",
            format!(
                "意见“{code}”无效，可选 agree（同意）、disagree（不同意）、agree_with_changes（修改后同意）"
            ),
        )
    })
}

/// A payment stage as typed: month `YYYY-MM` and yuan.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageInput {
    pub month: String,
    pub amount: String,
}

/// The meeting's decision on a case as typed (the input of `meeting.decide`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    pub meeting_id: i64,
    pub case_id: i64,
    /// approve / reject / refer.
    pub decision: String,
    pub minutes: String,
    pub amount: Option<String>,
    #[serde(default)]
    pub measures: String,
    #[serde(default)]
    pub responsible_units: Vec<String>,
    /// Payment stages; one stage of the whole amount in the meeting's month when absent.
    #[serde(default)]
    pub stages: Vec<StageInput>,
    #[serde(default)]
    pub reasons: String,
    #[serde(default)]
    pub programme: String,
}

/// A stage's month, written `YYYY-MM`.
fn stage_month(field: &str, text: &str) -> CmdResult<Month> {
    let t = text.trim();
    match Month::parse(t).filter(|_| t.len() == 7) {
        Some(m) => Ok(m),
        None => Err(CmdError::invalid(
            field,
            format!("月份“{text}”无效，请按 年-月 填写，如 2026-12"),
        )),
    }
}

/// The outcome and, for an approval, the month of each payment stage: one stage of the whole
/// amount in the month of the meeting (`held_on`) when none are given.
pub fn parse_outcome(i: &DecisionInput, held_on: NaiveDate) -> CmdResult<(Outcome, Vec<Month>)> {
    let mut months = Vec::new();
    let outcome = match i.decision.as_str() {
        "approve" => {
            let amount_fen = match &i.amount {
                Some(a) => fen_from_yuan("amount", a)?,
                None => return Err(CmdError::invalid("amount", "请填写决定的救助金额（元）")),
            };
            let mut stages_fen = Vec::new();
            for (n, st) in i.stages.iter().enumerate() {
                months.push(stage_month(&format!("stages[{n}].month"), &st.month)?);
                stages_fen.push(fen_from_yuan(&format!("stages[{n}].amount"), &st.amount)?);
            }
            if stages_fen.is_empty() {
                months.push(Month::of(held_on));
                stages_fen.push(amount_fen);
            }
            Outcome::Approve {
                amount_fen,
                measures: i.measures.clone(),
                responsible_units: i.responsible_units.iter().map(|u| u.trim().to_owned()).collect(),
                stages_fen,
            }
        }
        "reject" => Outcome::Reject {
            reasons: i.reasons.clone(),
        },
        "refer" => Outcome::Refer {
            programme: i.programme.clone(),
        },
        other => {
            return Err(CmdError::invalid(
                "decision",
                format!("决定“{other}”无效，可选 approve（同意救助）、reject（不予救助）、refer（转介常规救助）"),
            ))
        }
    };
    Ok((outcome, months))
}

/// A follow-up visit: the visitor named, not dated after `today`.
pub fn check_visit(visitor: &str, visited_on: NaiveDate, today: NaiveDate) -> CmdResult<()> {
    required("visitor", visitor, "回访人员")?;
    if visited_on > today {
        return Err(CmdError::invalid(
            "visited_on",
            format!("回访日期 {visited_on} 晚于今天，不能预先登记"),
        ));
    }
    Ok(())
}

/// A step on the case page as typed (the input of `deliberation.act`), tagged by `action`.
/// What it records on the timeline is itself without `id` and `action`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum CaseStep {
    Review {
        id: i64,
        opinion: String,
    },
    Return {
        id: i64,
        reasons: String,
    },
    Resubmit {
        id: i64,
        note: String,
    },
    SignOff {
        id: i64,
        #[serde(default)]
        note: String,
    },
    StartNotice {
        id: i64,
        start: NaiveDate,
    },
    Pay {
        id: i64,
        stage: u32,
        paid_on: NaiveDate,
        /// Why a stage is paid before its planned month (required then).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        reason: String,
    },
    Visit {
        id: i64,
        visited_on: NaiveDate,
        visitor: String,
        findings: String,
    },
    Close {
        id: i64,
        outcome: String,
    },
}

/// The codes [`CaseStep`] takes; the meeting's steps are taken on the meeting page.
pub const CASE_STEPS: [&str; 8] = [
    "review",
    "return",
    "resubmit",
    "sign_off",
    "start_notice",
    "pay",
    "visit",
    "close",
];

/// Refuses an `action` code that is no case-page step, before the rest of the input is read.
pub fn check_case_step_code(code: &str) -> CmdResult<()> {
    if CASE_STEPS.contains(&code) {
        return Ok(());
    }
    let msg = if ["schedule", "decide", "defer"].contains(&code) {
        format!("“{}”须在会议页面办理", super::state::step_label(code))
    } else {
        format!("请指明要办理的步骤 action，可选：{}", CASE_STEPS.join("、"))
    };
    Err(CmdError::invalid("action", msg))
}

impl CaseStep {
    /// The case and the workflow's action.
    pub fn action(&self) -> (i64, DelibAction) {
        use DelibAction as A;
        match self {
            CaseStep::Review { id, opinion } => (
                *id,
                A::Review {
                    opinion: opinion.clone(),
                },
            ),
            CaseStep::Return { id, reasons } => (
                *id,
                A::Return {
                    reasons: reasons.clone(),
                },
            ),
            CaseStep::Resubmit { id, note } => (*id, A::Resubmit { note: note.clone() }),
            CaseStep::SignOff { id, .. } => (*id, A::SignOff),
            CaseStep::StartNotice { id, start } => (*id, A::StartNotice { start: *start }),
            CaseStep::Pay {
                id,
                stage,
                paid_on,
                reason,
            } => (
                *id,
                A::RecordPayment {
                    stage: *stage,
                    paid_on: *paid_on,
                    reason: reason.trim().to_owned(),
                },
            ),
            CaseStep::Visit { id, findings, .. } => (
                *id,
                A::RecordVisit {
                    findings: findings.clone(),
                },
            ),
            CaseStep::Close { id, outcome } => (
                *id,
                A::Close {
                    outcome: outcome.clone(),
                },
            ),
        }
    }

    /// The step's own data beyond the state machine's: a visit names its visitor and is not
    /// in the future.
    pub fn check(&self, today: NaiveDate) -> CmdResult<()> {
        match self {
            CaseStep::Visit {
                visited_on,
                visitor,
                ..
            } => check_visit(visitor, *visited_on, today),
            _ => Ok(()),
        }
    }

    /// What the step records on the timeline and in the audit row.
    pub fn data(&self) -> serde_json::Value {
        let mut data = serde_json::to_value(self).unwrap_or_default();
        if let Some(o) = data.as_object_mut() {
            o.remove("id");
            o.remove("action");
        }
        data
    }
}

/// What recording a unit's opinion on a case depends on, loaded for [`check_opinion`].
#[derive(Debug, Clone)]
pub struct OpinionFacts<'a> {
    pub user_id: i64,
    /// For a member-unit user: `Some(the unit they speak for, if any)`; `None` for the approver.
    pub my_unit: Option<Option<&'a str>>,
    pub near_relative_user_ids: &'a [i64],
    pub meeting_open: bool,
    /// The case is undecided on this meeting's agenda and in state `on_agenda`.
    pub on_agenda: bool,
    pub case_number: &'a str,
    /// The unit's attendance status; `None` when the meeting did not invite it.
    pub unit_status: Option<&'a str>,
}

/// A unit's opinion may be recorded: checked in order — near relative, who speaks for the unit
/// (its own member-unit user; or a county user, the meeting's secretary, only from the unit's
/// signed paper opinion noted in `paper_ref`), an open meeting, the case on the agenda, the unit
/// invited and present, the opinion's code. Returns the opinion and the paper note to store
/// (empty when the unit's own user recorded it).
pub fn check_opinion(
    f: &OpinionFacts<'_>,
    unit: &str,
    opinion: &str,
    paper_ref: &str,
) -> CmdResult<(Opinion, String)> {
    if f.near_relative_user_ids.contains(&f.user_id) {
        return Err(DelibError::NearRelative.into());
    }
    let paper_ref = match f.my_unit {
        Some(mine) => {
            let mine = mine.ok_or_else(|| {
                CmdError::forbidden("您还没有对应的成员单位，请管理员在一事一议设置中指定")
            })?;
            if mine != unit {
                return Err(CmdError::forbidden(format!(
                    "您代表{mine}，只能登记本单位的意见，不能登记{unit}的意见"
                )));
            }
            String::new()
        }
        None => required(
            "paper_opinion_ref",
            paper_ref,
            &format!(
                "已收到的{unit}签章书面意见（编号或说明）：成员单位意见由该单位自己登记，\
                 会议记录人代为录入须依据该单位签章的书面意见"
            ),
        )?,
    };
    if !f.meeting_open {
        return Err(DelibError::MeetingClosed.into());
    }
    if !f.on_agenda {
        return Err(CmdError::new(
            ErrorCode::Conflict,
            format!("案件 {} 不在这次会议待议的议程上", f.case_number),
        ));
    }
    match f.unit_status {
        None => Err(CmdError::invalid(
            "unit",
            format!("“{unit}”不是本次会议邀请的成员单位"),
        )),
        Some("present") => Ok((parse_opinion(opinion)?, paper_ref)),
        Some(_) => Err(CmdError::invalid(
            "unit",
            format!("{unit}未登记出席本次会议，请先登记出席再登记意见"),
        )),
    }
}

/// The state codes a list filter asks for: none (every case), `open` (the non-final states) or
/// one state's code.
pub fn listed_states(filter: Option<&str>) -> CmdResult<Vec<&'static str>> {
    Ok(match filter {
        None | Some("") => vec![],
        Some("open") => DelibState::ALL
            .iter()
            .filter(|st| !st.is_final())
            .map(|st| st.as_str())
            .collect(),
        Some(code) => match DelibState::parse(code) {
            Some(st) => vec![st.as_str()],
            None => {
                return Err(CmdError::invalid(
                    "state",
                    format!("状态“{code}”无效，可选 open 或某一案件状态"),
                ))
            }
        },
    })
}
