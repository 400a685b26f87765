//! The data of one 低保/特困 case step, decided without the database: the step's date (not in
//! the future, not before the previous step), its texts, the review class and the next review
//! date, the month a new amount takes effect, the timeline data, and how a permitted step is
//! recorded on the case row. The caller loads, asks [`draft`], prices what the draft needs
//! ([`Needs`]), calls [`Draft::priced`], then [`super::transition`], then [`record`], and writes.

use chrono::{Months, NaiveDate};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{first_paid_month, notice_end, Action, ActionKind, ExitReason, WorkCalendar};
use crate::auth::{Role, User};
use crate::error::{CmdError, CmdResult};
use crate::month::Month;
use crate::rules::money::yuan_text;
use crate::rules::phase_out;
use crate::store::cases::CaseRow;

/// What the user typed for a step: `case.act`'s input.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepInput {
    pub case_id: i64,
    /// An [`ActionKind`] code.
    pub action: String,
    /// The day the step took place (default today): paper steps are often entered afterwards.
    pub date: Option<NaiveDate>,
    pub summary: Option<String>,
    pub findings: Option<String>,
    pub investigator_ids: Option<Vec<i64>>,
    pub opinion: Option<String>,
    pub start: Option<NaiveDate>,
    pub reasons: Option<String>,
    pub review_class: Option<String>,
    pub reason: Option<String>,
    pub grace_months: Option<u8>,
    pub note: Option<String>,
    /// 送达方式 of the 不予批准通知书.
    pub method: Option<String>,
}

/// How a 不予批准通知书 may be served (民事诉讼法's 送达 forms that apply).
pub const SERVICE_METHODS: [&str; 4] = ["直接送达", "邮寄送达", "留置送达", "委托送达"];

/// Review classes: months between periodic reviews (DOMAIN: stable families yearly, irregular
/// income half-yearly, C-class quarterly).
pub fn review_months(class: &str) -> Option<u32> {
    match class {
        "A" => Some(12),
        "B" => Some(6),
        "C" => Some(3),
        _ => None,
    }
}

/// A review class typed by the user: blank is none, anything but A/B/C is refused.
pub fn review_class(v: Option<&str>) -> CmdResult<Option<String>> {
    match v.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(c) if review_months(c).is_some() => Ok(Some(c.to_owned())),
        Some(c) => Err(CmdError::invalid(
            "review_class",
            format!("核查类别“{c}”无效，应为 A（每年）、B（每半年）或 C（每季度）"),
        )),
    }
}

/// The next periodic review after one on `on` (class A when none is set).
pub fn next_review_due(on: NaiveDate, class: Option<&str>) -> Option<NaiveDate> {
    let months = class.and_then(review_months).unwrap_or(12);
    on.checked_add_months(Months::new(months))
}

fn text(v: &Option<String>, field: &'static str, what: &str) -> CmdResult<String> {
    let t = v.as_deref().map(str::trim).unwrap_or("");
    if t.is_empty() {
        return Err(CmdError::invalid(field, format!("请填写{what}")));
    }
    if t.chars().count() > 2000 {
        return Err(CmdError::invalid(
            field,
            format!("{what}不能超过 2000 个字"),
        ));
    }
    Ok(t.to_owned())
}

/// The date a step took place: not in the future, not before the case's last step.
pub fn step_date(
    requested: Option<NaiveDate>,
    c: &CaseRow,
    today: NaiveDate,
) -> CmdResult<NaiveDate> {
    let d = requested.unwrap_or(today);
    if d > today {
        return Err(CmdError::invalid(
            "date",
            format!("办理日期 {d} 晚于今天，不能登记"),
        ));
    }
    let last = [
        Some(c.applied_on),
        c.accepted_on,
        c.verification_on,
        c.survey_on,
        c.appraisal_on,
        c.county_check_on,
        c.reviewed_on,
        c.notice_start,
        c.decided_on,
        c.exit_decided_on,
    ]
    .into_iter()
    .flatten()
    .max()
    .unwrap_or(c.applied_on);
    if d < last {
        return Err(CmdError::invalid(
            "date",
            format!("办理日期 {d} 早于此案件上一步的日期 {last}，请按实际顺序登记"),
        ));
    }
    Ok(d)
}

/// The amount a step needs before it can be decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    Nothing,
    /// The rules' amount for the household as it is, for this month (approval, change).
    RulesAmount(Month),
    /// The 渐退期 amount ([`crate::rules::phase_out_amount`]) from this month, for `months`.
    PhaseOutAmount {
        from: Month,
        months: u32,
    },
}

/// An amount worked out for a step, with its persons and trail (JSON, as stored).
#[derive(Debug, Clone, PartialEq)]
pub struct Priced {
    pub amount_fen: i64,
    pub persons: u32,
    pub trail: Value,
}

/// A new dated amount of the case: the run pays it from `from_month`.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAmount {
    pub from_month: Month,
    pub amount_fen: i64,
    pub persons: u32,
    pub trail: Value,
}

/// A step whose data is checked, waiting for the amount it [`Needs`].
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub action: Action,
    /// The timeline row's data.
    pub data: Value,
    pub needs: Needs,
}

/// Who may be named on a home visit (入户调查) of a case in `township_id`: its active caseworkers
/// (the case page offers these; [`investigators`] says why anyone else is refused).
pub fn may_investigate(u: &User, township_id: i64) -> bool {
    u.active && u.role == Role::Caseworker && u.area_id == township_id
}

/// The people named as investigators: each must be an active caseworker (经办人) of the case's
/// township and not a declared near relative of the family. `users` holds the ids that exist.
/// The township's reviewer (审核人) may not be named: whoever investigated may not review
/// ([`super::rules::check_actor`]), so naming the reviewer would leave the case with nobody to
/// review it.
fn investigators(
    ids: &[i64],
    users: &[User],
    c: &CaseRow,
    near_relative_user_ids: &[i64],
) -> CmdResult<Vec<String>> {
    let mut names = vec![];
    for id in ids {
        let u = users
            .iter()
            .find(|u| u.id == *id && u.active)
            .ok_or_else(|| {
                CmdError::invalid("investigator_ids", format!("调查人员 {id} 不是有效用户"))
            })?;
        if !(u.role.works_in_township() && u.area_id == c.township_id) {
            return Err(CmdError::invalid(
                "investigator_ids",
                format!("调查人员“{}”不是本乡镇（街道）的工作人员", u.display_name),
            ));
        }
        if u.role == Role::Reviewer {
            return Err(CmdError::invalid(
                "investigator_ids",
                format!(
                    "“{}”是乡镇审核人，须审核此案件，不能作为入户调查人员（调查与审核须分离）；请改选本乡镇（街道）的经办人",
                    u.display_name
                ),
            ));
        }
        if near_relative_user_ids.contains(id) {
            return Err(CmdError::invalid(
                "investigator_ids",
                format!(
                    "调查人员“{}”已备案为此家庭成员的近亲属，须回避",
                    u.display_name
                ),
            ));
        }
        names.push(u.display_name.clone());
    }
    Ok(names)
}

/// Check a step's data and put its texts on the case row. `today` is the clock's day, `date` the
/// step's (from [`step_date`]); `users` are the named investigators that exist.
#[allow(clippy::too_many_arguments)]
pub fn draft(
    kind: ActionKind,
    i: &StepInput,
    c: &mut CaseRow,
    date: NaiveDate,
    today: NaiveDate,
    (notice_days, notice_calendar): (u32, Option<&WorkCalendar>),
    users: &[User],
    near_relative_user_ids: &[i64],
) -> CmdResult<Draft> {
    let mut data = json!({"date": date});
    let mut needs = Needs::Nothing;
    let action = match kind {
        ActionKind::Accept => Action::Accept,
        ActionKind::RecordVerification => {
            let summary = text(&i.summary, "summary", "核对报告摘要")?;
            data["summary"] = json!(summary);
            c.verification_summary = Some(summary);
            Action::RecordVerification
        }
        ActionKind::RecordSurvey => {
            let ids = i.investigator_ids.clone().unwrap_or_default();
            let findings = text(&i.findings, "findings", "入户调查情况")?;
            let names = investigators(&ids, users, c, near_relative_user_ids)?;
            data["investigators"] = json!(names);
            data["findings"] = json!(findings);
            c.survey_findings = Some(findings);
            Action::RecordSurvey {
                investigator_ids: ids,
            }
        }
        ActionKind::RecordAppraisal => {
            let summary = text(&i.summary, "summary", "民主评议情况（参加人员、表决结果）")?;
            data["summary"] = json!(summary);
            c.appraisal_summary = Some(summary);
            Action::RecordAppraisal
        }
        ActionKind::RecordCountyHomeCheck => {
            let findings = text(&i.findings, "findings", "县级入户核查情况")?;
            data["findings"] = json!(findings);
            c.county_check_findings = Some(findings);
            Action::RecordCountyHomeCheck
        }
        ActionKind::ReviewTownship => {
            let opinion = i.opinion.clone().unwrap_or_default();
            data["opinion"] = json!(opinion.trim());
            Action::ReviewTownship { opinion }
        }
        ActionKind::StartNotice => {
            let start = i.start.unwrap_or(date);
            if start > today {
                return Err(CmdError::invalid(
                    "start",
                    format!("公示开始日期 {start} 晚于今天；请在张贴当天或之后登记"),
                ));
            }
            if c.reviewed_on.is_some_and(|r| start < r) {
                return Err(CmdError::invalid(
                    "start",
                    format!("公示开始日期 {start} 早于乡镇审核日期，须审核后再公示"),
                ));
            }
            // The end is fixed now: a later change of the settings or the calendar does not
            // move a running notice.
            let end = notice_end(start, notice_days, notice_calendar);
            c.notice_end = Some(end);
            data["start"] = json!(start);
            data["end"] = json!(end);
            data["days"] = json!(notice_days);
            Action::StartNotice { start }
        }
        ActionKind::RecordObjection => {
            let summary = i.summary.clone().unwrap_or_default();
            data["summary"] = json!(summary.trim());
            Action::RecordObjection { summary }
        }
        ActionKind::Approve => {
            let class = review_class(i.review_class.as_deref())?.unwrap_or_else(|| "A".into());
            data["review_class"] = json!(class);
            c.review_class = Some(class);
            needs = Needs::RulesAmount(first_paid_month(date));
            Action::Approve {
                monthly_amount_fen: 0,
            }
        }
        ActionKind::Refuse => {
            let reasons = i.reasons.clone().unwrap_or_default();
            data["reasons"] = json!(reasons.trim());
            Action::Refuse { reasons }
        }
        ActionKind::ServeRefusal => {
            let method = i.method.as_deref().map(str::trim).unwrap_or("");
            if !SERVICE_METHODS.contains(&method) {
                return Err(CmdError::invalid(
                    "method",
                    format!("送达方式应为{}之一", SERVICE_METHODS.join("、")),
                ));
            }
            if c.decided_on.is_some_and(|d| date < d) {
                return Err(CmdError::invalid(
                    "date",
                    format!("送达日期 {date} 早于不予批准的日期"),
                ));
            }
            data["method"] = json!(method);
            Action::ServeRefusal {
                method: method.to_owned(),
            }
        }
        ActionKind::RecordPeriodicReview => {
            let findings = text(&i.findings, "findings", "核查情况")?;
            if let Some(class) = review_class(i.review_class.as_deref())? {
                c.review_class = Some(class);
            }
            data["findings"] = json!(findings);
            data["review_class"] = json!(c.review_class);
            Action::RecordPeriodicReview
        }
        ActionKind::RecordChange => {
            let summary = text(&i.summary, "summary", "变更情况（成员或收入的变化）")?;
            data["summary"] = json!(summary);
            needs = Needs::RulesAmount(first_paid_month(date));
            Action::RecordChange
        }
        ActionKind::Exit => {
            let code = i.reason.as_deref().unwrap_or("");
            let reason = ExitReason::parse(code).ok_or_else(|| {
                CmdError::invalid(
                    "reason",
                    "请选择退出原因：work_income（就业后收入超过标准）、voluntary（主动退出）或 other（其他）",
                )
            })?;
            let note = text(&i.note, "note", "退出情况说明")?;
            let grace = i.grace_months.unwrap_or(0);
            data["reason"] = json!(reason.code());
            data["reason_label"] = json!(reason.label());
            data["grace_months"] = json!(grace);
            data["note"] = json!(note);
            c.exit_note = Some(note);
            if grace > 0 {
                needs = Needs::PhaseOutAmount {
                    from: phase_out(date, u32::from(grace)).first_month,
                    months: u32::from(grace),
                };
            }
            Action::Exit {
                reason,
                grace_months: grace,
            }
        }
        ActionKind::EndPhaseOut => Action::EndPhaseOut,
    };
    Ok(Draft {
        action,
        data,
        needs,
    })
}

impl Draft {
    /// The step with the amount it needed (`None` when it needed none, or when a 渐退期 finds no
    /// amount to keep): the action for the transition, the timeline data and the new amount.
    pub fn priced(self, p: Option<Priced>) -> CmdResult<(Action, Value, Option<NewAmount>)> {
        let Draft {
            mut action,
            mut data,
            needs,
        } = self;
        let (from, p) = match (needs, p) {
            (Needs::Nothing, _) | (Needs::PhaseOutAmount { .. }, None) => {
                return Ok((action, data, None))
            }
            (Needs::RulesAmount(_), None) => {
                return Err(CmdError::internal("办理此步骤须先按规则计算保障金额"))
            }
            (Needs::RulesAmount(from) | Needs::PhaseOutAmount { from, .. }, Some(p)) => (from, p),
        };
        match &mut action {
            Action::Approve { monthly_amount_fen } => {
                *monthly_amount_fen = p.amount_fen;
                data["pay_from"] = json!(from.to_string());
            }
            Action::RecordChange if p.amount_fen <= 0 => {
                return Err(CmdError::invalid(
                    "summary",
                    format!(
                        "按变更后的家庭情况和 {from} 的标准计算，保障金额为 0 元；请由县级办理退出"
                    ),
                ));
            }
            _ => data["from_month"] = json!(from.to_string()),
        }
        data["amount"] = json!(yuan_text(p.amount_fen));
        data["persons"] = json!(p.persons);
        let amount = NewAmount {
            from_month: from,
            amount_fen: p.amount_fen,
            persons: p.persons,
            trail: p.trail,
        };
        Ok((action, data, Some(amount)))
    }
}

/// Record a permitted step on the case row, taken on `date` by `user_id`.
pub fn record(c: &mut CaseRow, action: &Action, date: NaiveDate, user_id: i64, notice_days: u32) {
    match action {
        Action::Accept => {
            c.accepted_by = Some(user_id);
            c.accepted_on = Some(date);
        }
        Action::RecordVerification => c.verification_on = Some(date),
        Action::RecordSurvey { investigator_ids } => {
            let mut ids = investigator_ids.clone();
            ids.sort_unstable();
            ids.dedup();
            c.investigator_ids = ids;
            c.survey_on = Some(date);
        }
        Action::RecordAppraisal => c.appraisal_on = Some(date),
        Action::RecordCountyHomeCheck => {
            c.county_check_on = Some(date);
            c.county_check_by = Some(user_id);
        }
        Action::ReviewTownship { opinion } => {
            c.reviewed_by = Some(user_id);
            c.reviewed_on = Some(date);
            c.review_opinion = Some(opinion.trim().to_owned());
        }
        Action::StartNotice { start } => {
            c.notice_start = Some(*start);
            c.notice_days = Some(notice_days);
        }
        Action::RecordObjection { .. } => {
            // Back to re-investigation: the verification, survey, appraisal, review and notice
            // are done again; the timeline keeps the first round.
            c.verification_on = None;
            c.verification_summary = None;
            c.survey_on = None;
            c.survey_findings = None;
            c.investigator_ids.clear();
            c.appraisal_on = None;
            c.appraisal_summary = None;
            c.reviewed_by = None;
            c.reviewed_on = None;
            c.review_opinion = None;
            c.notice_start = None;
            c.notice_days = None;
            c.notice_end = None;
        }
        Action::Approve { .. } => {
            c.decided_by = Some(user_id);
            c.decided_on = Some(date);
            c.pay_from = Some(first_paid_month(date).to_string());
            c.next_review_due = next_review_due(date, c.review_class.as_deref());
        }
        Action::Refuse { reasons } => {
            c.decided_by = Some(user_id);
            c.decided_on = Some(date);
            c.refusal_reasons = Some(reasons.trim().to_owned());
        }
        Action::ServeRefusal { method } => {
            c.refusal_served_on = Some(date);
            c.refusal_served_method = Some(method.clone());
        }
        Action::RecordPeriodicReview => {
            c.next_review_due = next_review_due(date, c.review_class.as_deref());
        }
        Action::RecordChange => {}
        Action::Exit {
            reason,
            grace_months,
        } => {
            let p = phase_out(date, u32::from(*grace_months));
            c.exit_reason = Some(reason.code().to_owned());
            c.exit_decided_on = Some(date);
            c.grace_months = Some(u32::from(*grace_months));
            c.pay_until = Some(p.pay_until.to_string());
            c.phase_out_end = p.end;
            c.next_review_due = None;
        }
        Action::EndPhaseOut => {}
    }
}
