//! 低保/特困 cases: application, the steps of the procedure, enrolment with dated amounts,
//! periodic review, change and exit. The pure [`workflow::transition`] decides whether a step is
//! allowed; this module loads its facts, records the step's data, the new state, the amount, the
//! timeline row and the audit row in one transaction.

use crate::month::month_text;
use crate::programme::Programme;
use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate};
use serde::Deserialize;
use serde_json::{json, Value};

use super::benefits::{engine_household, trail_json};
use super::queue::QueueItem;
use super::standards::engine_rows;
use super::{input, output, Session, Stamp};
use crate::auth::{Role, User};
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::rules::money::yuan_text;
use crate::rules::{self, CareSetting, Standards};
use crate::store::calendar::WorkflowSettings;
use crate::store::cases::{Amount, CaseRow, Filter, Step};
use crate::store::registry::Household;
use crate::store::{self};
use crate::workflow::{
    self, notice_end, Action, ActionKind, Actor, CaseFacts, CaseState, ExitReason, TransitionError,
    WorkCalendar,
};

fn support_mode_label(code: &str) -> &'static str {
    match code {
        "centralised" => "集中供养",
        _ => "分散供养",
    }
}

/// Review classes: months between periodic reviews (DOMAIN: stable families yearly, irregular
/// income half-yearly, C-class quarterly).
fn review_months(class: &str) -> Option<u32> {
    match class {
        "A" => Some(12),
        "B" => Some(6),
        "C" => Some(3),
        _ => None,
    }
}

fn check_review_class(v: Option<&str>) -> CmdResult<Option<String>> {
    match v.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(c) if review_months(c).is_some() => Ok(Some(c.to_owned())),
        Some(c) => Err(CmdError::invalid(
            "review_class",
            format!("核查类别“{c}”无效，应为 A（每年）、B（每半年）或 C（每季度）"),
        )),
    }
}

fn first_of_next_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = workflow::first_paid_month(d);
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(d)
}

fn last_day_of_month(first: NaiveDate) -> NaiveDate {
    first_of_next_month(first) - chrono::Duration::days(1)
}

pub(crate) fn actor(user: &User) -> Actor {
    Actor {
        user_id: user.id,
        role: user.role,
        township_id: user.role.works_in_township().then_some(user.area_id),
        is_county: !user.role.works_in_township(),
    }
}

/// Township staff see only their own township's cases.
fn check_scope(user: &User, c: &CaseRow) -> CmdResult<()> {
    if user.role.works_in_township() && user.area_id != c.township_id {
        return Err(CmdError::forbidden(
            "此案件不属于您所在的乡镇，只能查看和办理本乡镇（街道）的案件",
        ));
    }
    Ok(())
}

/// Everything a case view and its deadlines need that is not in the row.
struct Context {
    today: NaiveDate,
    settings: WorkflowSettings,
    calendar: WorkCalendar,
    max_work_grace_months: u8,
}

impl Context {
    fn load(s: &Session, today: NaiveDate) -> CmdResult<Context> {
        let st = Standards::as_of(&engine_rows(&s.conn)?, today);
        let max_work_grace_months = st
            .integer("exit.gradual_months", None)
            .map(|l| l.value.clamp(0, 60) as u8)
            .unwrap_or(0);
        Ok(Context {
            today,
            settings: store::calendar::workflow_settings(&s.conn)?,
            calendar: store::calendar::load(&s.conn)?,
            max_work_grace_months,
        })
    }

    fn facts(&self, s: &Session, c: &CaseRow) -> CmdResult<CaseFacts> {
        let m = store::near_relatives::match_household(&s.conn, c.household_id)?;
        Ok(CaseFacts {
            township_id: c.township_id,
            created_by: c.created_by,
            accepted_by: c.accepted_by,
            investigator_ids: c.investigator_ids.clone(),
            verification_recorded: c.verification_on.is_some(),
            reviewed_by: c.reviewed_by,
            near_relative_user_ids: m.user_ids,
            near_relative_filed: m.filed || c.near_relative_filed,
            county_home_check_recorded: c.county_check_on.is_some(),
            today: self.today,
            notice_start: c.notice_start,
            notice_days: c.notice_days.unwrap_or(self.settings.notice_days),
            max_work_grace_months: self.max_work_grace_months,
            phase_out_end: c.phase_out_end,
        })
    }

    /// The deadline of the step the case waits for.
    fn deadline(&self, c: &CaseRow, state: CaseState) -> Option<NaiveDate> {
        let rules = self.settings.deadline_rules();
        let notice_end = c
            .notice_start
            .map(|st| notice_end(st, c.notice_days.unwrap_or(self.settings.notice_days)));
        match state {
            CaseState::Enrolled => c.next_review_due,
            CaseState::PhasingOut => c.phase_out_end,
            CaseState::Accepted if c.programme == "tekun" && c.survey_on.is_none() => c
                .accepted_on
                .map(|a| self.calendar.tekun_survey_deadline(a, &rules)),
            _ => self
                .calendar
                .step_deadline(state, c.accepted_on, notice_end, &rules),
        }
    }
}

fn state_of(c: &CaseRow) -> CmdResult<CaseState> {
    CaseState::parse(&c.state)
        .ok_or_else(|| CmdError::internal(format!("案件 {} 的状态“{}”无法识别", c.id, c.state)))
}

fn load_case(s: &Session, id: i64) -> CmdResult<CaseRow> {
    store::cases::get(&s.conn, id)?.ok_or_else(|| CmdError::not_found(format!("案件 {id} 不存在")))
}

fn user_names(s: &Session) -> CmdResult<HashMap<i64, String>> {
    Ok(store::users::all(&s.conn)?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

fn head_name(s: &Session, h: &Household) -> CmdResult<String> {
    Ok(match h.head_id {
        Some(pid) => store::registry::person(&s.conn, pid)?
            .map(|p| p.facts.name)
            .unwrap_or_default(),
        None => String::new(),
    })
}

/// The steps a case waits for in its state: what puts it in someone's work queue.
fn awaited(c: &CaseRow, state: CaseState, facts: &CaseFacts, today: NaiveDate) -> Vec<ActionKind> {
    let mut kinds = match state {
        CaseState::Applied => vec![ActionKind::Accept],
        CaseState::Accepted => {
            let mut k = vec![];
            if c.verification_on.is_none() {
                k.push(ActionKind::RecordVerification);
            }
            if c.survey_on.is_none() {
                k.push(ActionKind::RecordSurvey);
            }
            k
        }
        CaseState::Investigated => vec![ActionKind::ReviewTownship],
        CaseState::TownshipReviewed => vec![ActionKind::StartNotice],
        CaseState::OnNotice => match facts.notice_end() {
            Some(end) if today > end => vec![ActionKind::Approve, ActionKind::Refuse],
            _ => vec![],
        },
        CaseState::Enrolled => match c.next_review_due {
            Some(due) if due <= today + chrono::Duration::days(30) => {
                vec![ActionKind::RecordPeriodicReview]
            }
            _ => vec![],
        },
        CaseState::PhasingOut => match c.phase_out_end {
            Some(end) if today >= end => vec![ActionKind::EndPhaseOut],
            _ => vec![],
        },
        CaseState::Exited | CaseState::Refused => vec![],
    };
    let before_decision = matches!(
        state,
        CaseState::Accepted
            | CaseState::Investigated
            | CaseState::TownshipReviewed
            | CaseState::OnNotice
    );
    if before_decision && facts.near_relative_flagged() && !facts.county_home_check_recorded {
        kinds.push(ActionKind::RecordCountyHomeCheck);
    }
    kinds
}

fn action_json(kinds: &[ActionKind]) -> Vec<Value> {
    kinds
        .iter()
        .map(|k| json!({"code": k.code(), "label": k.label()}))
        .collect()
}

/// The whole case as the case page shows it, for the signed-in user.
fn view(s: &Session, c: &CaseRow, ctx: &Context) -> CmdResult<Value> {
    let user = s.user()?;
    let state = state_of(c)?;
    let facts = ctx.facts(s, c)?;
    let names = user_names(s)?;
    let name = |id: Option<i64>| id.and_then(|i| names.get(&i).cloned());
    let h = store::registry::household(&s.conn, c.household_id)?
        .ok_or_else(|| CmdError::not_found(format!("家庭 {} 不存在", c.household_id)))?;
    let deadline = ctx.deadline(c, state);
    let available = if facts.near_relative_user_ids.contains(&user.id) {
        vec![]
    } else {
        workflow::available_actions(state, &actor(user), &facts)
            .into_iter()
            // The county home check is offered only where a near relative is filed.
            .filter(|k| *k != ActionKind::RecordCountyHomeCheck || facts.near_relative_flagged())
            .collect()
    };
    let filings: Vec<Value> = store::near_relatives::matching_household(&s.conn, c.household_id)?
        .iter()
        .map(|f| {
            json!({"staff_name": f.staff_name, "staff_post": f.staff_post, "relative_name": f.relative_name, "relation": f.relation})
        })
        .collect();
    let amounts: Vec<Value> = store::cases::amounts(&s.conn, c.id)?
        .iter()
        .map(|a| {
            let trail: Value = serde_json::from_str(&a.trail).unwrap_or(Value::Null);
            json!({"from_month": a.from_month, "amount": yuan_text(a.amount_fen), "amount_fen": a.amount_fen, "persons": a.persons, "trail": trail})
        })
        .collect();
    let current_amount = current_amount(s, c, ctx.today)?;
    let timeline: Vec<Value> = store::cases::steps(&s.conn, c.id)?
        .iter()
        .map(|st| {
            let kind = ActionKind::parse(&st.action);
            let label = |code: &str| CaseState::parse(code).map(|x| x.label()).unwrap_or("—");
            json!({
                "at": st.at, "action": st.action,
                "action_label": kind.map(|k| k.label()).unwrap_or(match st.action.as_str() {
                    "apply" => "登记申请",
                    "import" => "由原台账转入",
                    "document" => "生成文书",
                    _ => "—",
                }),
                "from_state": st.from_state, "from_label": label(&st.from_state),
                "to_state": st.to_state, "to_label": label(&st.to_state),
                "user_name": names.get(&st.user_id).cloned().unwrap_or_default(),
                "data": serde_json::from_str::<Value>(&st.data).unwrap_or(Value::Null),
            })
        })
        .collect();
    // Who may sign the household survey: the township's active staff.
    let township_staff: Vec<Value> = store::users::all(&s.conn)?
        .into_iter()
        .filter(|u| u.active && u.role.works_in_township() && u.area_id == c.township_id)
        .map(|u| json!({"id": u.id, "name": u.display_name, "role_label": u.role.label()}))
        .collect();
    output(json!({
        "id": c.id, "number": c.number, "programme": c.programme,
        "township_staff": township_staff,
        "programme_label": Programme::full_name_of(&c.programme),
        "support_mode": c.support_mode, "support_mode_label": c.support_mode.as_deref().map(support_mode_label),
        "household": {
            "id": h.id, "head_name": head_name(s, &h)?, "township_name": h.township_name,
            "village_name": h.village_name, "group_name": h.group_name, "address": h.facts.address,
            "hukou": h.facts.hukou,
        },
        "state": c.state, "state_label": state.label(), "waiting_for": state.waiting_for(),
        "applied_on": c.applied_on, "application_note": c.application_note,
        "created_by": name(Some(c.created_by)), "created_at": c.created_at,
        "accepted": {"by": name(c.accepted_by), "on": c.accepted_on},
        "verification": {"on": c.verification_on, "summary": c.verification_summary},
        "survey": {
            "on": c.survey_on, "findings": c.survey_findings,
            "investigators": c.investigator_ids.iter().map(|i| names.get(i).cloned().unwrap_or_default()).collect::<Vec<_>>(),
        },
        "appraisal": {"on": c.appraisal_on, "summary": c.appraisal_summary},
        "near_relative": {
            "flagged": facts.near_relative_flagged(), "filings": filings,
            "county_check": {"on": c.county_check_on, "by": name(c.county_check_by), "findings": c.county_check_findings},
        },
        "review": {"by": name(c.reviewed_by), "on": c.reviewed_on, "opinion": c.review_opinion},
        "notice": {"start": c.notice_start, "end": facts.notice_end(), "days": c.notice_days},
        "decision": {"by": name(c.decided_by), "on": c.decided_on, "refusal_reasons": c.refusal_reasons},
        "pay_from": c.pay_from, "pay_until": c.pay_until,
        "review_class": c.review_class, "next_review_due": c.next_review_due,
        "exit": {
            "reason": c.exit_reason,
            "reason_label": c.exit_reason.as_deref().and_then(ExitReason::parse).map(|r| r.label()),
            "note": c.exit_note, "decided_on": c.exit_decided_on, "grace_months": c.grace_months,
            "phase_out_end": c.phase_out_end,
        },
        "amounts": amounts,
        "current_amount": current_amount.map(yuan_text),
        "deadline": deadline,
        "overdue": deadline.is_some_and(|d| workflow::is_overdue(d, ctx.today)),
        "available_actions": action_json(&available),
        "timeline": timeline,
    }))
}

/// The monthly amount paid for `on`'s month, if the case pays that month.
pub(crate) fn current_amount(s: &Session, c: &CaseRow, on: NaiveDate) -> CmdResult<Option<i64>> {
    let month = month_text(on);
    let (Some(from), state) = (c.pay_from.as_deref(), c.state.as_str()) else {
        return Ok(None);
    };
    if state == "refused" || month.as_str() < from {
        return Ok(None);
    }
    if c.pay_until.as_deref().is_some_and(|u| month.as_str() > u) {
        return Ok(None);
    }
    Ok(store::cases::amounts(&s.conn, c.id)?
        .iter()
        .rev()
        .find(|a| a.from_month.as_str() <= month.as_str())
        .map(|a| a.amount_fen))
}

// ---- case.create ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateIn {
    household_id: i64,
    programme: String,
    applied_on: Option<NaiveDate>,
    #[serde(default)]
    application_note: String,
    support_mode: Option<String>,
}

pub(crate) fn create(s: &mut Session, v: Value) -> CmdResult<Value> {
    let user = s.require(&[Role::Caseworker], "登记低保/特困申请")?.clone();
    let i: CreateIn = input(v)?;
    let today = s.clock.today();
    let programme = match i.programme.as_str() {
        p @ ("dibao" | "tekun") => p.to_owned(),
        other => {
            return Err(CmdError::invalid(
                "programme",
                format!("救助项目“{other}”无效，应为 dibao（低保）或 tekun（特困）"),
            ))
        }
    };
    let support_mode = match (programme.as_str(), i.support_mode.as_deref()) {
        ("tekun", Some(m @ ("centralised" | "dispersed"))) => Some(m.to_owned()),
        ("tekun", None) => {
            return Err(CmdError::invalid(
                "support_mode",
                "特困申请须选择供养方式：集中供养或分散供养",
            ))
        }
        ("tekun", Some(m)) => {
            return Err(CmdError::invalid(
                "support_mode",
                format!("供养方式“{m}”无效，应为 centralised（集中）或 dispersed（分散）"),
            ))
        }
        (_, Some(_)) => {
            return Err(CmdError::invalid(
                "support_mode",
                "只有特困申请需要填写供养方式",
            ))
        }
        (_, None) => None,
    };
    let applied_on = i.applied_on.unwrap_or(today);
    if applied_on > today {
        return Err(CmdError::invalid(
            "applied_on",
            format!("申请日期 {applied_on} 晚于今天，不能登记"),
        ));
    }
    let h = store::registry::household(&s.conn, i.household_id)?.ok_or_else(|| {
        CmdError::invalid("household_id", format!("家庭 {} 不存在", i.household_id))
    })?;
    if user.area_id != h.township_id {
        return Err(CmdError::forbidden(format!(
            "该户属于{}，您只能登记本乡镇（街道）家庭的申请",
            h.township_name
        )));
    }
    let open = store::registry::memberships(&s.conn, h.id)?
        .iter()
        .filter(|m| m.left_on.is_none())
        .count();
    if open == 0 {
        return Err(CmdError::invalid(
            "household_id",
            "该户没有在册成员，不能申请",
        ));
    }
    let m = store::near_relatives::match_household(&s.conn, h.id)?;
    if m.user_ids.contains(&user.id) {
        return Err(TransitionError::NearRelative.into());
    }
    let existing = store::cases::list(
        &s.conn,
        &Filter {
            household_id: Some(h.id),
            programme: Some(programme.clone()),
            ..Filter::default()
        },
    )?;
    if let Some(open_case) = existing
        .iter()
        .find(|c| c.state != "exited" && c.state != "refused")
    {
        return Err(CmdError::conflict(
            "household_id",
            format!(
                "该户已有未办结的{}案件 {}（{}），不能重复申请",
                Programme::full_name_of(&programme),
                open_case.number,
                CaseState::parse(&open_case.state)
                    .map(|x| x.label())
                    .unwrap_or("")
            ),
        ));
    }
    let stamp = Stamp::of(s)?;
    let ctx = Context::load(s, today)?;
    let id = with_tx(&mut s.conn, |tx| {
        let mut c = CaseRow {
            number: store::cases::next_number(tx, &programme, applied_on.year())?,
            programme: programme.clone(),
            household_id: h.id,
            township_id: h.township_id,
            state: CaseState::Applied.as_str().to_owned(),
            applied_on,
            application_note: i.application_note.trim().to_owned(),
            support_mode: support_mode.clone(),
            created_by: user.id,
            created_at: stamp.at.clone(),
            near_relative_filed: m.filed,
            updated_at: stamp.at.clone(),
            ..CaseRow::default()
        };
        c.id = store::cases::save(tx, &c)?;
        let data = json!({"applied_on": applied_on, "application_note": c.application_note, "near_relative_filed": m.filed});
        store::cases::add_step(
            tx,
            &Step {
                id: 0,
                case_id: c.id,
                action: "apply".into(),
                from_state: CaseState::Applied.as_str().into(),
                to_state: CaseState::Applied.as_str().into(),
                user_id: user.id,
                at: stamp.at.clone(),
                data: data.to_string(),
            },
        )?;
        let after = json!({"number": c.number, "programme": c.programme, "household_id": c.household_id, "state": c.state, "applied_on": applied_on, "near_relative_filed": m.filed});
        stamp.record(tx, "case.create", "case", Some(c.id), None, Some(&after))?;
        Ok(c.id)
    })?;
    let c = load_case(s, id)?;
    view(s, &c, &ctx)
}

// ---- case.get / case.list ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GetIn {
    case_id: i64,
}

pub(crate) fn get(s: &mut Session, v: Value) -> CmdResult<Value> {
    let i: GetIn = input(v)?;
    let user = s.user()?.clone();
    let c = load_case(s, i.case_id)?;
    check_scope(&user, &c)?;
    let ctx = Context::load(s, s.clock.today())?;
    view(s, &c, &ctx)
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ListIn {
    household_id: Option<i64>,
    programme: Option<String>,
    state: Option<String>,
    township_id: Option<i64>,
}

pub(crate) fn list(s: &mut Session, v: Value) -> CmdResult<Value> {
    let i: ListIn = input(v)?;
    let user = s.user()?.clone();
    if let Some(st) = i.state.as_deref() {
        if CaseState::parse(st).is_none() {
            return Err(CmdError::invalid("state", format!("案件状态“{st}”无效")));
        }
    }
    let township_id = if user.role.works_in_township() {
        Some(user.area_id)
    } else {
        i.township_id
    };
    let rows = store::cases::list(
        &s.conn,
        &Filter {
            township_id,
            household_id: i.household_id,
            programme: i.programme,
            states: i.state.map(|st| vec![st]),
        },
    )?;
    let ctx = Context::load(s, s.clock.today())?;
    let mut out = Vec::with_capacity(rows.len());
    let mut households: HashMap<i64, (String, String, String)> = HashMap::new();
    for c in &rows {
        let state = state_of(c)?;
        if let std::collections::hash_map::Entry::Vacant(e) = households.entry(c.household_id) {
            if let Some(h) = store::registry::household(&s.conn, c.household_id)? {
                let head = head_name(s, &h)?;
                e.insert((head, h.township_name, h.village_name));
            }
        }
        let (head, township, village) =
            households.get(&c.household_id).cloned().unwrap_or_default();
        let deadline = ctx.deadline(c, state);
        out.push(json!({
            "id": c.id, "number": c.number, "programme": c.programme, "programme_label": Programme::full_name_of(&c.programme),
            "household_id": c.household_id, "head_name": head, "township_name": township, "village_name": village,
            "state": c.state, "state_label": state.label(), "applied_on": c.applied_on,
            "deadline": deadline, "overdue": deadline.is_some_and(|d| workflow::is_overdue(d, ctx.today)),
            "current_amount": current_amount(s, c, ctx.today)?.map(yuan_text),
        }));
    }
    output(json!({"cases": out}))
}

// ---- case.act ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActIn {
    case_id: i64,
    action: String,
    /// The day the step took place (default today): paper steps are often entered afterwards.
    date: Option<NaiveDate>,
    summary: Option<String>,
    findings: Option<String>,
    investigator_ids: Option<Vec<i64>>,
    opinion: Option<String>,
    start: Option<NaiveDate>,
    reasons: Option<String>,
    review_class: Option<String>,
    reason: Option<String>,
    grace_months: Option<u8>,
    note: Option<String>,
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
fn step_date(i: &ActIn, c: &CaseRow, today: NaiveDate) -> CmdResult<NaiveDate> {
    let d = i.date.unwrap_or(today);
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

/// The amount for the month starting `month_start`, from the rules and the household as it is.
pub(crate) fn rules_amount(
    s: &Session,
    c: &CaseRow,
    month_start: NaiveDate,
) -> CmdResult<(i64, u32, Value)> {
    let h = store::registry::household(&s.conn, c.household_id)?
        .ok_or_else(|| CmdError::not_found(format!("家庭 {} 不存在", c.household_id)))?;
    let st = Standards::as_of(&engine_rows(&s.conn)?, month_start);
    let eh = engine_household(&s.conn, &h, month_start)?;
    let outcome = if c.programme == "tekun" {
        let setting = if c.support_mode.as_deref() == Some("centralised") {
            CareSetting::Institution
        } else {
            CareSetting::Home
        };
        rules::tekun(&st, &eh, setting)?
    } else {
        rules::dibao(&st, &eh)?
    };
    Ok((
        outcome.amount_fen,
        eh.members.len() as u32,
        trail_json(&outcome.trail),
    ))
}

pub(crate) fn act(s: &mut Session, v: Value) -> CmdResult<Value> {
    let user = s.user()?.clone();
    let i: ActIn = input(v)?;
    let mut c = load_case(s, i.case_id)?;
    check_scope(&user, &c)?;
    let kind = ActionKind::parse(&i.action).ok_or_else(|| {
        let codes: Vec<&str> = ActionKind::ALL.iter().map(|k| k.code()).collect();
        CmdError::invalid(
            "action",
            format!("办理步骤“{}”无效，可选：{}", i.action, codes.join("、")),
        )
    })?;
    let today = s.clock.today();
    let mut ctx = Context::load(s, today)?;
    let state = state_of(&c)?;
    let mut facts = ctx.facts(s, &c)?;
    // Who may act at all comes first: an unknown date or blank text is not the news for a user
    // who may not take this step.
    workflow::check_actor(state, kind, &actor(&user), &facts)?;
    let date = step_date(&i, &c, today)?;
    facts.today = date;
    ctx.today = date;
    let before = json!({"state": c.state});
    let mut data = json!({"date": date});
    let mut new_amount: Option<(String, i64, u32, Value)> = None;
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
            let mut names = vec![];
            for id in &ids {
                let u = store::users::get(&s.conn, *id)?
                    .filter(|u| u.active)
                    .ok_or_else(|| {
                        CmdError::invalid("investigator_ids", format!("调查人员 {id} 不是有效用户"))
                    })?;
                if !(u.role.works_in_township() && u.area_id == c.township_id) {
                    return Err(CmdError::invalid(
                        "investigator_ids",
                        format!("调查人员“{}”不是本乡镇（街道）的工作人员", u.display_name),
                    ));
                }
                if facts.near_relative_user_ids.contains(id) {
                    return Err(CmdError::invalid(
                        "investigator_ids",
                        format!(
                            "调查人员“{}”已备案为此家庭成员的近亲属，须回避",
                            u.display_name
                        ),
                    ));
                }
                names.push(u.display_name);
            }
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
            let days = ctx.settings.notice_days;
            data["start"] = json!(start);
            data["end"] = json!(notice_end(start, days));
            data["days"] = json!(days);
            Action::StartNotice { start }
        }
        ActionKind::RecordObjection => {
            let summary = i.summary.clone().unwrap_or_default();
            data["summary"] = json!(summary.trim());
            Action::RecordObjection { summary }
        }
        ActionKind::Approve => {
            let class =
                check_review_class(i.review_class.as_deref())?.unwrap_or_else(|| "A".into());
            let pay_month = first_of_next_month(date);
            let (amount, persons, trail) = rules_amount(s, &c, pay_month)?;
            data["review_class"] = json!(class);
            data["pay_from"] = json!(month_text(pay_month));
            data["amount"] = json!(yuan_text(amount));
            data["persons"] = json!(persons);
            c.review_class = Some(class);
            new_amount = Some((month_text(pay_month), amount, persons, trail));
            Action::Approve {
                monthly_amount_fen: amount,
            }
        }
        ActionKind::Refuse => {
            let reasons = i.reasons.clone().unwrap_or_default();
            data["reasons"] = json!(reasons.trim());
            Action::Refuse { reasons }
        }
        ActionKind::RecordPeriodicReview => {
            let findings = text(&i.findings, "findings", "核查情况")?;
            if let Some(class) = check_review_class(i.review_class.as_deref())? {
                c.review_class = Some(class);
            }
            data["findings"] = json!(findings);
            data["review_class"] = json!(c.review_class);
            Action::RecordPeriodicReview
        }
        ActionKind::RecordChange => {
            let summary = text(&i.summary, "summary", "变更情况（成员或收入的变化）")?;
            let from = first_of_next_month(date);
            let (amount, persons, trail) = rules_amount(s, &c, from)?;
            if amount <= 0 {
                return Err(CmdError::invalid(
                    "summary",
                    format!(
                        "按变更后的家庭情况和 {} 的标准计算，保障金额为 0 元；请由县级办理退出",
                        month_text(from)
                    ),
                ));
            }
            data["summary"] = json!(summary);
            data["from_month"] = json!(month_text(from));
            data["amount"] = json!(yuan_text(amount));
            data["persons"] = json!(persons);
            new_amount = Some((month_text(from), amount, persons, trail));
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
            Action::Exit {
                reason,
                grace_months: grace,
            }
        }
        ActionKind::EndPhaseOut => Action::EndPhaseOut,
    };
    let next =
        workflow::transition(&state, &action, &actor(&user), &facts).map_err(|e| match e {
            TransitionError::AmountNotPositive => CmdError::invalid(
                "action",
                "按现行标准和家庭收入计算，保障金额为 0 元，不符合纳入条件；请审批不同意并写明理由",
            ),
            other => other.into(),
        })?;
    apply(&mut c, &action, date, &user, &ctx);
    c.state = next.as_str().to_owned();
    let stamp = Stamp::of(s)?;
    c.updated_at = stamp.at.clone();
    let after = json!({"state": c.state, "action": kind.code(), "data": data});
    with_tx(&mut s.conn, |tx| {
        store::cases::save(tx, &c)?;
        let step_id = store::cases::add_step(
            tx,
            &Step {
                id: 0,
                case_id: c.id,
                action: kind.code().into(),
                from_state: state.as_str().into(),
                to_state: next.as_str().into(),
                user_id: user.id,
                at: stamp.at.clone(),
                data: data.to_string(),
            },
        )?;
        if let Some((from_month, amount_fen, persons, trail)) = &new_amount {
            store::cases::add_amount(
                tx,
                &Amount {
                    case_id: c.id,
                    from_month: from_month.clone(),
                    amount_fen: *amount_fen,
                    persons: *persons,
                    trail: trail.to_string(),
                    step_id,
                },
            )?;
        }
        stamp.record(
            tx,
            "case.act",
            "case",
            Some(c.id),
            Some(&before),
            Some(&after),
        )
    })?;
    let c = load_case(s, c.id)?;
    ctx.today = today;
    view(s, &c, &ctx)
}

/// Record a permitted step's data on the case row.
fn apply(c: &mut CaseRow, action: &Action, date: NaiveDate, user: &User, ctx: &Context) {
    match action {
        Action::Accept => {
            c.accepted_by = Some(user.id);
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
            c.county_check_by = Some(user.id);
        }
        Action::ReviewTownship { opinion } => {
            c.reviewed_by = Some(user.id);
            c.reviewed_on = Some(date);
            c.review_opinion = Some(opinion.trim().to_owned());
        }
        Action::StartNotice { start } => {
            c.notice_start = Some(*start);
            c.notice_days = Some(ctx.settings.notice_days);
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
        }
        Action::Approve { .. } => {
            c.decided_by = Some(user.id);
            c.decided_on = Some(date);
            let pay_from = first_of_next_month(date);
            c.pay_from = Some(month_text(pay_from));
            let months = c
                .review_class
                .as_deref()
                .and_then(review_months)
                .unwrap_or(12);
            c.next_review_due = date.checked_add_months(Months::new(months));
        }
        Action::Refuse { reasons } => {
            c.decided_by = Some(user.id);
            c.decided_on = Some(date);
            c.refusal_reasons = Some(reasons.trim().to_owned());
        }
        Action::RecordPeriodicReview => {
            let months = c
                .review_class
                .as_deref()
                .and_then(review_months)
                .unwrap_or(12);
            c.next_review_due = date.checked_add_months(Months::new(months));
        }
        Action::RecordChange => {}
        Action::Exit {
            reason,
            grace_months,
        } => {
            c.exit_reason = Some(reason.code().to_owned());
            c.exit_decided_on = Some(date);
            c.grace_months = Some(u32::from(*grace_months));
            // Paid through the month of the decision, and then the granted months.
            let this_month = NaiveDate::from_ymd_opt(date.year(), date.month(), 1).unwrap_or(date);
            let last = this_month
                .checked_add_months(Months::new(u32::from(*grace_months)))
                .unwrap_or(this_month);
            c.pay_until = Some(month_text(last));
            c.phase_out_end = (*grace_months > 0).then(|| last_day_of_month(last));
            c.next_review_due = None;
        }
        Action::EndPhaseOut => {}
    }
}

// ---- the work queue ----

/// 低保/特困 cases the signed-in user can act on now.
pub(crate) fn queue_items(s: &Session, today: NaiveDate) -> CmdResult<Vec<QueueItem>> {
    let user = s.user()?;
    let ctx = Context::load(s, today)?;
    let township_id = user.role.works_in_township().then_some(user.area_id);
    let rows = store::cases::list(
        &s.conn,
        &Filter {
            township_id,
            states: Some(
                CaseState::ALL
                    .iter()
                    .filter(|st| !st.is_final())
                    .map(|st| st.as_str().to_owned())
                    .collect(),
            ),
            ..Filter::default()
        },
    )?;
    let me = actor(user);
    let mut items = vec![];
    for c in rows {
        let state = state_of(&c)?;
        // Enrolled cases wait only when their review is near; skip the rest before any query.
        if state == CaseState::Enrolled
            && c.next_review_due
                .is_none_or(|d| d > today + chrono::Duration::days(30))
        {
            continue;
        }
        if state == CaseState::PhasingOut && c.phase_out_end.is_none_or(|d| today < d) {
            continue;
        }
        let facts = ctx.facts(s, &c)?;
        let mine: Vec<ActionKind> = awaited(&c, state, &facts, today)
            .into_iter()
            .filter(|k| workflow::check_actor(state, *k, &me, &facts).is_ok())
            .collect();
        if mine.is_empty() {
            continue;
        }
        let h = store::registry::household(&s.conn, c.household_id)?
            .ok_or_else(|| CmdError::not_found(format!("家庭 {} 不存在", c.household_id)))?;
        let deadline = ctx.deadline(&c, state);
        items.push(QueueItem {
            kind: "case",
            kind_label: if c.programme == "tekun" {
                "特困"
            } else {
                "低保"
            }
            .to_owned(),
            id: c.id,
            number: c.number.clone(),
            household_id: Some(c.household_id),
            head_name: head_name(s, &h)?,
            township_name: h.township_name.clone(),
            village_name: h.village_name.clone(),
            state_label: state.label().to_owned(),
            waiting_for: state.waiting_for().to_owned(),
            actions: mine.iter().map(|k| k.label().to_owned()).collect(),
            deadline,
            overdue: deadline.is_some_and(|d| workflow::is_overdue(d, today)),
        });
    }
    Ok(items)
}
