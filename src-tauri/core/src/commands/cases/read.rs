//! Reading 低保/特困 cases: `case.get` (the whole case as the case page shows it) and `case.list`.

use std::collections::HashMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    actor, check_scope, current_amount, head_name, load_case, load_household, state_of, user_names,
    Context,
};
use crate::commands::{input, Session};
use crate::error::{CmdError, CmdResult};
use crate::programme::Programme;
use crate::rules::money::yuan_text;
use crate::rules::GraceLimits;
use crate::store::cases::{CaseRow, Filter};
use crate::store::timeline::Step;
use crate::store::{self};
use crate::workflow::application::support_mode_label;
use crate::workflow::{self, ActionKind, CaseState, ExitReason};

/// A date as the replies show it ("2026-11-23").
fn day(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// Who did something, and on which day.
#[derive(Serialize, JsonSchema)]
pub(crate) struct ByOn {
    by: Option<String>,
    on: Option<String>,
}

/// A step recorded with a text.
#[derive(Serialize, JsonSchema)]
pub(crate) struct OnText {
    on: Option<String>,
    summary: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct CaseHousehold {
    id: i64,
    head_name: String,
    township_name: String,
    village_name: String,
    group_name: Option<String>,
    address: String,
    hukou: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct Survey {
    on: Option<String>,
    findings: Option<String>,
    investigators: Vec<String>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct CaseFiling {
    staff_name: String,
    staff_post: String,
    relative_name: String,
    relation: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct CountyCheck {
    on: Option<String>,
    by: Option<String>,
    findings: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct NearRelative {
    flagged: bool,
    filings: Vec<CaseFiling>,
    county_check: CountyCheck,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct Review {
    by: Option<String>,
    on: Option<String>,
    opinion: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct Notice {
    start: Option<String>,
    end: Option<String>,
    days: Option<u32>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct Decision {
    by: Option<String>,
    on: Option<String>,
    refusal_reasons: Option<String>,
    /// When and how the 不予批准通知书 was served (until then `deadline` is the day it is due).
    refusal_served_on: Option<String>,
    refusal_served_method: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct Exit {
    reason: Option<String>,
    reason_label: Option<&'static str>,
    note: Option<String>,
    decided_on: Option<String>,
    grace_months: Option<u32>,
    phase_out_end: Option<String>,
}

/// A dated monthly amount with its calculation trail.
#[derive(Serialize, JsonSchema)]
pub(crate) struct CaseAmount {
    from_month: String,
    amount: String,
    amount_fen: i64,
    persons: u32,
    trail: Value,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct StepKind {
    code: &'static str,
    label: &'static str,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct TimelineRow {
    at: String,
    action: String,
    action_label: &'static str,
    from_state: String,
    from_label: &'static str,
    to_state: String,
    to_label: &'static str,
    user_name: String,
    data: Value,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct Staff {
    id: i64,
    name: String,
    role_label: &'static str,
}

/// The whole case as the case page shows it (`case.get`, and the reply of `case.create` and
/// `case.act`).
#[derive(Serialize, JsonSchema)]
pub(crate) struct CaseReply {
    id: i64,
    number: String,
    /// Bumped by every step; send it back as `expected_version` when acting.
    version: i64,
    programme: String,
    /// Who may sign the household survey: the township's active caseworkers (not its reviewer).
    township_staff: Vec<Staff>,
    programme_label: &'static str,
    support_mode: Option<String>,
    support_mode_label: Option<&'static str>,
    household: CaseHousehold,
    state: String,
    state_label: &'static str,
    waiting_for: &'static str,
    applied_on: String,
    application_note: String,
    created_by: Option<String>,
    created_at: String,
    accepted: ByOn,
    verification: OnText,
    survey: Survey,
    appraisal: OnText,
    near_relative: NearRelative,
    review: Review,
    notice: Notice,
    decision: Decision,
    pay_from: Option<String>,
    pay_until: Option<String>,
    review_class: Option<String>,
    next_review_due: Option<String>,
    exit: Exit,
    amounts: Vec<CaseAmount>,
    current_amount: Option<String>,
    deadline: Option<String>,
    overdue: bool,
    available_actions: Vec<StepKind>,
    timeline: Vec<TimelineRow>,
}

fn timeline_row(st: &Step, names: &HashMap<i64, String>) -> TimelineRow {
    let label = |code: &str| CaseState::parse(code).map(|x| x.label()).unwrap_or("—");
    let action_label = match ActionKind::parse(&st.action) {
        Some(k) => k.label(),
        None => match st.action.as_str() {
            "apply" => "登记申请",
            "import" => "由原台账转入",
            "recompute" => "调标",
            "document" => "生成文书",
            _ => "—",
        },
    };
    TimelineRow {
        at: st.at.clone(),
        action: st.action.clone(),
        action_label,
        from_state: st.from_state.clone(),
        from_label: label(&st.from_state),
        to_state: st.to_state.clone(),
        to_label: label(&st.to_state),
        user_name: names.get(&st.user_id).cloned().unwrap_or_default(),
        data: serde_json::from_str(&st.data).unwrap_or(Value::Null),
    }
}

/// The whole case as the case page shows it, for the signed-in user.
pub(super) fn view(s: &Session, c: &CaseRow, ctx: &Context) -> CmdResult<CaseReply> {
    let user = s.user()?;
    let state = state_of(c)?;
    let facts = ctx.facts(s, c, GraceLimits::default())?;
    let names = user_names(s)?;
    let name = |id: Option<i64>| id.and_then(|i| names.get(&i).cloned());
    let h = load_household(s, c.household_id)?;
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
    let filings = store::near_relatives::matching_household(&s.conn, c.household_id)?
        .into_iter()
        .map(|f| CaseFiling {
            staff_name: f.staff_name,
            staff_post: f.staff_post,
            relative_name: f.relative_name,
            relation: f.relation,
        })
        .collect();
    let amounts = store::cases::amounts(&s.conn, c.id)?
        .into_iter()
        .map(|a| CaseAmount {
            amount: yuan_text(a.amount_fen),
            trail: serde_json::from_str(&a.trail).unwrap_or(Value::Null),
            from_month: a.from_month,
            amount_fen: a.amount_fen,
            persons: a.persons,
        })
        .collect();
    let timeline = store::cases::steps(&s.conn, c.id)?
        .iter()
        .map(|st| timeline_row(st, &names))
        .collect();
    let township_staff = store::users::all(&s.conn)?
        .into_iter()
        .filter(|u| crate::workflow::step::may_investigate(u, c.township_id))
        .map(|u| Staff {
            id: u.id,
            name: u.display_name,
            role_label: u.role.label(),
        })
        .collect();
    let current_amount = current_amount(s, c, ctx.today)?.map(yuan_text);
    let c = c.clone();
    Ok(CaseReply {
        id: c.id,
        programme_label: Programme::full_name_of(&c.programme),
        support_mode_label: c.support_mode.as_deref().map(support_mode_label),
        household: CaseHousehold {
            id: h.id,
            head_name: head_name(s, &h)?,
            township_name: h.township_name,
            village_name: h.village_name,
            group_name: h.group_name,
            address: h.facts.address,
            hukou: h.facts.hukou,
        },
        state_label: state.label(),
        waiting_for: state.waiting_for(),
        applied_on: c.applied_on.to_string(),
        created_by: name(Some(c.created_by)),
        accepted: ByOn {
            by: name(c.accepted_by),
            on: day(c.accepted_on),
        },
        verification: OnText {
            on: day(c.verification_on),
            summary: c.verification_summary,
        },
        survey: Survey {
            on: day(c.survey_on),
            findings: c.survey_findings,
            investigators: (c.investigator_ids.iter())
                .map(|i| names.get(i).cloned().unwrap_or_default())
                .collect(),
        },
        appraisal: OnText {
            on: day(c.appraisal_on),
            summary: c.appraisal_summary,
        },
        near_relative: NearRelative {
            flagged: facts.near_relative_flagged(),
            filings,
            county_check: CountyCheck {
                on: day(c.county_check_on),
                by: name(c.county_check_by),
                findings: c.county_check_findings,
            },
        },
        review: Review {
            by: name(c.reviewed_by),
            on: day(c.reviewed_on),
            opinion: c.review_opinion,
        },
        notice: Notice {
            start: day(c.notice_start),
            end: day(facts.notice_end()),
            days: c.notice_days,
        },
        decision: Decision {
            by: name(c.decided_by),
            on: day(c.decided_on),
            refusal_reasons: c.refusal_reasons,
            refusal_served_on: day(c.refusal_served_on),
            refusal_served_method: c.refusal_served_method,
        },
        next_review_due: day(c.next_review_due),
        exit: Exit {
            reason_label: (c.exit_reason.as_deref())
                .and_then(ExitReason::parse)
                .map(|r| r.label()),
            reason: c.exit_reason,
            note: c.exit_note,
            decided_on: day(c.exit_decided_on),
            grace_months: c.grace_months,
            phase_out_end: day(c.phase_out_end),
        },
        amounts,
        current_amount,
        deadline: day(deadline),
        overdue: deadline.is_some_and(|d| workflow::is_overdue(d, ctx.today)),
        available_actions: (available.iter())
            .map(|k| StepKind {
                code: k.code(),
                label: k.label(),
            })
            .collect(),
        timeline,
        township_staff,
        version: c.version,
        number: c.number,
        programme: c.programme,
        support_mode: c.support_mode,
        state: c.state,
        application_note: c.application_note,
        created_at: c.created_at,
        pay_from: c.pay_from,
        pay_until: c.pay_until,
        review_class: c.review_class,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GetIn {
    case_id: i64,
}

pub(crate) fn get(s: &mut Session, v: Value) -> CmdResult<CaseReply> {
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

/// One case in a list.
#[derive(Serialize, JsonSchema)]
pub(crate) struct CaseLine {
    id: i64,
    number: String,
    /// Bumped by every step; send it back as `expected_version` when acting.
    version: i64,
    programme: String,
    programme_label: &'static str,
    household_id: i64,
    head_name: String,
    township_name: String,
    village_name: String,
    state: String,
    state_label: &'static str,
    applied_on: String,
    deadline: Option<String>,
    overdue: bool,
    current_amount: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct ListReply {
    cases: Vec<CaseLine>,
}

pub(crate) fn list(s: &mut Session, v: Value) -> CmdResult<ListReply> {
    let i: ListIn = input(v)?;
    let user = s.user()?.clone();
    if let Some(st) = i.state.as_deref() {
        if CaseState::parse(st).is_none() {
            return Err(CmdError::invalid("state", format!("案件状态“{st}”无效")));
        }
    }
    let own = user.role.works_in_township().then_some(user.area_id);
    let filter = Filter {
        township_id: own.or(i.township_id),
        household_id: i.household_id,
        programme: i.programme,
        states: i.state.map(|st| vec![st]),
    };
    let ctx = Context::load(s, s.clock.today())?;
    let mut cases = vec![];
    let mut households: HashMap<i64, (String, String, String)> = HashMap::new();
    for c in store::cases::list(&s.conn, &filter)? {
        let state = state_of(&c)?;
        if !households.contains_key(&c.household_id) {
            if let Some(h) = store::registry::household(&s.conn, c.household_id)? {
                let head = head_name(s, &h)?;
                households.insert(h.id, (head, h.township_name, h.village_name));
            }
        }
        let (head_name, township_name, village_name) =
            households.get(&c.household_id).cloned().unwrap_or_default();
        let deadline = ctx.deadline(&c, state);
        cases.push(CaseLine {
            programme_label: Programme::full_name_of(&c.programme),
            household_id: c.household_id,
            head_name,
            township_name,
            village_name,
            state_label: state.label(),
            applied_on: c.applied_on.to_string(),
            deadline: day(deadline),
            overdue: deadline.is_some_and(|d| workflow::is_overdue(d, ctx.today)),
            current_amount: current_amount(s, &c, ctx.today)?.map(yuan_text),
            id: c.id,
            version: c.version,
            number: c.number,
            programme: c.programme,
            state: c.state,
        });
    }
    Ok(ListReply { cases })
}
