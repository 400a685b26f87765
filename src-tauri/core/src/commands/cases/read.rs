//! Reading 低保/特困 cases: `case.get` (the whole case as the case page shows it) and `case.list`.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::{json, Value};

use super::{
    actor, check_scope, current_amount, head_name, load_case, load_household, state_of, user_names,
    Context,
};
use crate::commands::{input, output, Session};
use crate::error::{CmdError, CmdResult};
use crate::programme::Programme;
use crate::rules::money::yuan_text;
use crate::rules::GraceLimits;
use crate::store::cases::{CaseRow, Filter};
use crate::store::{self};
use crate::workflow::{self, ActionKind, CaseState, ExitReason};

fn support_mode_label(code: &str) -> &'static str {
    match code {
        "centralised" => "集中供养",
        _ => "分散供养",
    }
}

fn action_json(kinds: &[ActionKind]) -> Vec<Value> {
    kinds
        .iter()
        .map(|k| json!({"code": k.code(), "label": k.label()}))
        .collect()
}

/// The whole case as the case page shows it, for the signed-in user.
pub(super) fn view(s: &Session, c: &CaseRow, ctx: &Context) -> CmdResult<Value> {
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
