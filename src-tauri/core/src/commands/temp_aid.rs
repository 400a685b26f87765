//! 临时救助 cases at the command boundary: `temp_aid.choices`, `temp_aid.create`, `temp_aid.get`,
//! `temp_aid.list`, `temp_aid.act`, and the items of the work queue.
//!
//! Every step goes through the pure [`crate::workflow::temp::transition`] with facts loaded inside
//! the step's IMMEDIATE transaction; the new state, the step, any reserve-fund entry and the audit
//! row are written together, or nothing is.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use serde_json::{json, Value};

use super::benefits::month_start;
use super::queue::QueueItem;
use super::{input, output, Session, Stamp};
use crate::auth::{Role, User};
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::rules::money::{fen_from_yuan, yuan_text};
use crate::rules::{self, Area, Standards};
use crate::store::temp_aid::{Filter, NewCase, TempCase};
use crate::store::{self};
use crate::workflow::temp::{
    self as wf, cause_label, kind_code, parse_kind, StageFact, StagePlan, TempAction,
    TempActionKind, TempDates, TempFacts, TempLimits, TempState, CAUSES,
};
use crate::workflow::{is_overdue, Actor, WorkCalendar};

/// Who may see 临时救助 cases (township staff only their township's).
const READ: &[Role] = &[
    Role::Caseworker,
    Role::Reviewer,
    Role::Approver,
    Role::Admin,
];

fn check_scope(user: &User, c: &TempCase) -> CmdResult<()> {
    if user.role.works_in_township() && user.area_id != c.township_id {
        return Err(CmdError::forbidden(format!(
            "此案件属于{}，您只能查看和办理本乡镇（街道）的案件",
            c.township_name
        )));
    }
    Ok(())
}

fn load_case(s: &Session, id: i64) -> CmdResult<TempCase> {
    let user = s.require(READ, "查看临时救助案件")?;
    let c = store::temp_aid::get(&s.conn, id)?
        .ok_or_else(|| CmdError::not_found(format!("临时救助案件 {id} 不存在")))?;
    check_scope(user, &c)?;
    Ok(c)
}

fn actor_of(user: &User) -> Actor {
    Actor {
        user_id: user.id,
        role: user.role,
        township_id: user.role.works_in_township().then_some(user.area_id),
        is_county: !user.role.works_in_township(),
    }
}

fn state_of(c: &TempCase) -> CmdResult<TempState> {
    TempState::parse(&c.state)
        .ok_or_else(|| CmdError::internal(format!("案件 {} 的状态“{}”无效", c.number, c.state)))
}

/// Quota, cap and emergency minimum as of the application date, for the household's 户籍.
fn limits(conn: &rusqlite::Connection, c: &TempCase) -> CmdResult<rules::TempAidLimits> {
    let h = store::registry::household(conn, c.household_id)?
        .ok_or_else(|| CmdError::not_found(format!("家庭 {} 不存在", c.household_id)))?;
    let st = Standards::as_of(&super::standards::engine_rows(conn)?, c.applied_on);
    rules::temp_aid_limits(&st, Area::from_code(&h.facts.hukou).unwrap_or(Area::Rural))
}

/// The facts of a case as of `today`. Quota and cap are zero when `lim` is `None` (only the
/// money steps look at them).
fn facts_of(
    conn: &rusqlite::Connection,
    c: &TempCase,
    lim: Option<rules::TempAidLimits>,
    today: NaiveDate,
) -> CmdResult<TempFacts> {
    let near = store::near_relatives::match_household(conn, c.household_id)?;
    let stages = store::temp_aid::stages(conn, c.id)?
        .into_iter()
        .map(|st| StageFact {
            no: st.no,
            month: st.month,
            amount_fen: st.amount_fen,
            paid_on: st.paid_on,
        })
        .collect();
    Ok(TempFacts {
        kind: parse_kind(&c.kind)
            .ok_or_else(|| CmdError::internal(format!("案件 {} 的类型无效", c.number)))?,
        township_id: c.township_id,
        created_by: c.created_by,
        accepted_by: c.accepted_by,
        investigated_by: c.investigated_by,
        advance_by: c.advance_by,
        advance_fen: c.advance_fen,
        referred_by: c.referred_by,
        repeat_of: store::temp_aid::earlier_same_cause(
            conn,
            c.household_id,
            &c.cause,
            c.applied_on.year(),
            Some(c.id),
        )?,
        repeat_override_by: c.override_by,
        near_relative_user_ids: near.user_ids,
        near_relative_filed: near.filed,
        county_home_check_recorded: c.county_check_on.is_some(),
        township_quota_fen: lim.map_or(0, |l| l.township_quota_fen),
        cap_fen: lim.map_or(0, |l| l.cap_fen),
        reserve_balance_fen: store::reserve_fund::balance(conn, c.township_id)?,
        stages,
        today,
    })
}

/// The county's calendar and limits, loaded once per command.
struct Clocking {
    cal: WorkCalendar,
    limits: TempLimits,
}

impl Clocking {
    fn load(conn: &rusqlite::Connection) -> CmdResult<Clocking> {
        let w = store::calendar::workflow_settings(conn)?;
        Ok(Clocking {
            cal: store::calendar::load(conn)?,
            limits: TempLimits {
                procedure_workdays: w.temp_procedure_workdays,
                paperwork_workdays: w.temp_paperwork_workdays,
            },
        })
    }

    fn deadline(
        &self,
        c: &TempCase,
        state: TempState,
        next_stage: Option<NaiveDate>,
    ) -> Option<NaiveDate> {
        let dates = TempDates {
            applied_on: c.applied_on,
            accepted_on: c.accepted_on,
            advance_on: c.advance_on,
            next_stage_month: next_stage,
        };
        wf::step_deadline(&self.cal, state, &dates, &self.limits)
    }
}

fn next_unpaid_month(conn: &rusqlite::Connection, case_id: i64) -> CmdResult<Option<NaiveDate>> {
    Ok(store::temp_aid::stages(conn, case_id)?
        .into_iter()
        .find(|s| s.paid_on.is_none())
        .map(|s| s.month))
}

fn ym(d: NaiveDate) -> String {
    d.format("%Y-%m").to_string()
}

fn user_name(conn: &rusqlite::Connection, id: Option<i64>) -> CmdResult<Option<String>> {
    Ok(match id {
        Some(id) => store::users::get(conn, id)?.map(|u| u.display_name),
        None => None,
    })
}

fn kind_label(code: &str) -> &'static str {
    parse_kind(code).map_or("", |k| k.label())
}

fn state_label(code: &str) -> &'static str {
    TempState::parse(code).map_or("", |s| s.label())
}

/// The case page: the record, limits, plan, what this user may do now, and the timeline.
fn view(s: &Session, id: i64) -> CmdResult<Value> {
    let c = load_case(s, id)?;
    let user = s.user()?.clone();
    let today = s.clock.today();
    let state = state_of(&c)?;
    let conn = &s.conn;
    let (lim, limits_error) = match limits(conn, &c) {
        Ok(l) => (Some(l), None),
        Err(e) => (None, Some(e.message)),
    };
    let f = facts_of(conn, &c, lim, today)?;
    let clocking = Clocking::load(conn)?;
    let stages = store::temp_aid::stages(conn, c.id)?;
    let next_stage = stages.iter().find(|s| s.paid_on.is_none()).map(|s| s.month);
    let deadline = clocking.deadline(&c, state, next_stage);
    let actions: Vec<Value> = wf::available_actions(state, &actor_of(&user), &f)
        .into_iter()
        .map(|k| json!({"action": k.as_str(), "label": k.label()}))
        .collect();
    let paid_fen: i64 = stages
        .iter()
        .filter(|s| s.paid_on.is_some())
        .map(|s| s.amount_fen)
        .sum();
    let planned_fen: i64 = stages.iter().map(|s| s.amount_fen).sum();
    let timeline: Vec<Value> = store::temp_aid::steps(conn, c.id)?
        .into_iter()
        .map(|st| {
            let label = if st.action == "register" {
                "登记申请"
            } else if st.action == "document" {
                "生成文书"
            } else {
                TempActionKind::parse(&st.action).map_or("", |k| k.label())
            };
            json!({
                "at": st.at, "user_name": st.user_name, "action": st.action, "label": label,
                "from_state": st.from_state, "from_label": state_label(&st.from_state),
                "to_state": st.to_state, "to_label": state_label(&st.to_state),
                "data": serde_json::from_str::<Value>(&st.data).unwrap_or(Value::Null),
            })
        })
        .collect();
    let repeat = if f.repeat_of.is_empty() {
        Value::Null
    } else {
        json!({
            "earlier": f.repeat_of,
            "override": c.override_on.map(|on| json!({
                "on": on, "reason": c.override_reason, "by_name": user_name(conn, c.override_by).ok().flatten(),
            })),
        })
    };
    let mut out = json!({
        "id": c.id, "number": c.number,
        "kind": c.kind, "kind_label": kind_label(&c.kind),
        "cause": c.cause, "cause_label": cause_label(&c.cause).unwrap_or(""),
        "household_id": c.household_id, "head_name": c.head_name,
        "township_id": c.township_id, "township_name": c.township_name, "village_name": c.village_name,
        "state": c.state, "state_label": state.label(), "waiting_for": state.waiting_for(),
        "applied_on": c.applied_on, "description": c.description,
        "requested_amount": c.requested_fen.map(yuan_text),
        "created_by_name": user_name(conn, Some(c.created_by))?,
        "accepted_on": c.accepted_on, "accepted_by_name": user_name(conn, c.accepted_by)?,
        "investigated_on": c.investigated_on, "investigated_by_name": user_name(conn, c.investigated_by)?,
        "findings": c.findings,
        "advance": c.advance_on.map(|on| json!({
            "amount": yuan_text(c.advance_fen), "on": on,
            "by_name": user_name(conn, c.advance_by).ok().flatten(),
        })),
    });
    let more = json!({
        "near_relative_flagged": f.near_relative_flagged(),
        "county_check": c.county_check_on.map(|on| json!({
            "on": on, "findings": c.county_check_findings,
            "by_name": user_name(conn, c.county_check_by).ok().flatten(),
        })),
        "repeat": repeat,
        "referral": c.referred_on.map(|on| json!({
            "on": on, "opinion": c.referral_opinion,
            "by_name": user_name(conn, c.referred_by).ok().flatten(),
        })),
        "decision": c.decided_on.map(|on| json!({
            "on": on, "level": c.decision_level,
            "approved_amount": c.approved_fen.map(yuan_text),
            "refusal_reasons": c.refusal_reasons,
            "by_name": user_name(conn, c.decided_by).ok().flatten(),
        })),
        "township_quota": lim.map(|l| yuan_text(l.township_quota_fen)),
        "cap": lim.map(|l| yuan_text(l.cap_fen)),
        "emergency_min": lim.map(|l| yuan_text(l.emergency_min_fen)),
        "limits_error": limits_error,
        "reserve_balance": yuan_text(f.reserve_balance_fen),
        "stages": stages.iter().map(|st| json!({
            "no": st.no, "month": ym(st.month), "amount": yuan_text(st.amount_fen),
            "paid_on": st.paid_on, "paid_by_name": st.paid_by_name,
        })).collect::<Vec<_>>(),
        "paid_amount": yuan_text(c.advance_fen + paid_fen),
        "unpaid_amount": yuan_text(planned_fen - paid_fen),
        "closed_on": c.closed_on,
        "deadline": deadline,
        "overdue": deadline.is_some_and(|d| is_overdue(d, today)),
        "available_actions": actions,
        "timeline": timeline,
    });
    if let (Some(o), Value::Object(m)) = (out.as_object_mut(), more) {
        o.extend(m);
    }
    output(out)
}

// ---- temp_aid.choices ----

pub(crate) fn choices(s: &mut Session, _: Value) -> CmdResult<Value> {
    s.require(READ, "查看临时救助")?;
    let pair = |code: &str, label: &str| json!({"code": code, "label": label});
    let kinds: Vec<Value> = [
        rules::TempAidKind::Emergency,
        rules::TempAidKind::Expenditure,
    ]
    .iter()
    .map(|k| pair(kind_code(*k), k.label()))
    .collect();
    let causes: Vec<Value> = CAUSES.iter().map(|(c, l)| pair(c, l)).collect();
    let states: Vec<Value> = TempState::ALL
        .iter()
        .map(|st| pair(st.as_str(), st.label()))
        .collect();
    let actions: Vec<Value> = TempActionKind::ALL
        .iter()
        .map(|k| pair(k.as_str(), k.label()))
        .collect();
    output(json!({
        "kinds": kinds, "causes": causes, "states": states, "actions": actions,
        "max_stages": wf::MAX_STAGES,
    }))
}

// ---- temp_aid.create ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateIn {
    household_id: i64,
    kind: String,
    cause: String,
    applied_on: Option<NaiveDate>,
    description: String,
    requested_amount: Option<String>,
}

pub(crate) fn create(s: &mut Session, v: Value) -> CmdResult<Value> {
    let i: CreateIn = input(v)?;
    let user = s.require(&[Role::Caseworker], "登记临时救助申请")?.clone();
    let today = s.clock.today();
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
    let h = store::registry::household(&s.conn, i.household_id)?.ok_or_else(|| {
        CmdError::invalid("household_id", format!("家庭 {} 不存在", i.household_id))
    })?;
    if user.area_id != h.township_id {
        return Err(CmdError::forbidden(format!(
            "该户属于{}，您只能为本乡镇（街道）的家庭登记申请",
            h.township_name
        )));
    }
    let stamp = Stamp::of(s)?;
    let id = with_tx(&mut s.conn, |tx| {
        let number = store::temp_aid::next_number(tx, applied_on.year())?;
        let id = store::temp_aid::insert(
            tx,
            &NewCase {
                number: &number,
                kind: kind_code(kind),
                cause: &i.cause,
                household_id: h.id,
                township_id: h.township_id,
                applied_on,
                description,
                requested_fen,
                created_by: user.id,
                created_at: &stamp.at,
            },
        )?;
        let earlier =
            store::temp_aid::earlier_same_cause(tx, h.id, &i.cause, applied_on.year(), Some(id))?;
        let data = json!({
            "kind": kind_code(kind), "cause": i.cause, "applied_on": applied_on,
            "description": description, "requested_amount": requested_fen.map(yuan_text),
            "repeat_of": earlier,
        });
        store::temp_aid::insert_step(
            tx,
            id,
            "register",
            "",
            "applied",
            user.id,
            &stamp.at,
            &data.to_string(),
        )?;
        let after =
            json!({"number": number, "household_id": h.id, "state": "applied", "data": data});
        stamp.record(
            tx,
            "temp_aid.create",
            "temp_aid_case",
            Some(id),
            None,
            Some(&after),
        )?;
        Ok(id)
    })?;
    let mut out = view(s, id)?;
    // The warning at registration: the same cause this calendar year.
    out["warning"] = match out["repeat"]["earlier"].as_array() {
        Some(earlier) if !earlier.is_empty() => {
            let numbers: Vec<&str> = earlier.iter().filter_map(Value::as_str).collect();
            json!(format!(
                "此户 {} 年已因同一事由（{}）申请过临时救助（案件 {}）。同一事由每年只救助一次，须由乡镇审核人登记特批理由后才能救助",
                applied_on.year(),
                cause_label(&i.cause).unwrap_or(""),
                numbers.join("、")
            ))
        }
        _ => Value::Null,
    };
    Ok(out)
}

// ---- temp_aid.get ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IdIn {
    id: i64,
}

pub(crate) fn get(s: &mut Session, v: Value) -> CmdResult<Value> {
    let i: IdIn = input(v)?;
    view(s, i.id)
}

// ---- temp_aid.list ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListIn {
    township_id: Option<i64>,
    household_id: Option<i64>,
    state: Option<String>,
    #[serde(default)]
    open_only: bool,
    /// Only the cases the signed-in user can act on now (待我处理).
    #[serde(default)]
    mine: bool,
}

pub(crate) fn list(s: &mut Session, v: Value) -> CmdResult<Value> {
    let i: ListIn = input(v)?;
    let user = s.require(READ, "查看临时救助案件")?.clone();
    let today = s.clock.today();
    if let Some(st) = &i.state {
        if TempState::parse(st).is_none() {
            return Err(CmdError::invalid("state", format!("案件状态“{st}”无效")));
        }
    }
    if i.mine {
        let mut items = queue_items(s, today)?;
        super::queue::sort(&mut items);
        return output(json!({"cases": items, "count": items.len()}));
    }
    let township_id = if user.role.works_in_township() {
        Some(user.area_id)
    } else {
        i.township_id
    };
    let filter = Filter {
        township_id,
        household_id: i.household_id,
        state: i.state,
        open_only: i.open_only,
    };
    let clocking = Clocking::load(&s.conn)?;
    let mut rows = Vec::new();
    for c in store::temp_aid::list(&s.conn, &filter)? {
        let state = state_of(&c)?;
        let deadline = clocking.deadline(&c, state, next_unpaid_month(&s.conn, c.id)?);
        let overdue = deadline.is_some_and(|d| is_overdue(d, today));
        rows.push((overdue, deadline, c, state));
    }
    // Overdue first, then the nearest deadline, then the newest.
    rows.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| match (a.1, b.1) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| b.2.id.cmp(&a.2.id))
    });
    let cases: Vec<Value> = rows
        .into_iter()
        .map(|(overdue, deadline, c, state)| {
            json!({
                "id": c.id, "number": c.number, "kind": c.kind, "kind_label": kind_label(&c.kind),
                "cause": c.cause, "cause_label": cause_label(&c.cause).unwrap_or(""),
                "household_id": c.household_id, "head_name": c.head_name,
                "township_name": c.township_name, "village_name": c.village_name,
                "state": c.state, "state_label": state.label(), "applied_on": c.applied_on,
                "advance_amount": (c.advance_fen > 0).then(|| yuan_text(c.advance_fen)),
                "approved_amount": c.approved_fen.map(yuan_text),
                "deadline": deadline, "overdue": overdue,
            })
        })
        .collect();
    output(json!({"count": cases.len(), "cases": cases}))
}

/// The 临时救助 cases the signed-in user can act on now, with their deadlines, for 待我处理.
pub(crate) fn queue_items(s: &Session, today: NaiveDate) -> CmdResult<Vec<QueueItem>> {
    let user = s.user()?;
    if !READ.contains(&user.role) {
        return Ok(vec![]);
    }
    let actor = actor_of(user);
    let filter = Filter {
        township_id: user.role.works_in_township().then_some(user.area_id),
        open_only: true,
        ..Filter::default()
    };
    let clocking = Clocking::load(&s.conn)?;
    let mut items = Vec::new();
    for c in store::temp_aid::list(&s.conn, &filter)? {
        let state = state_of(&c)?;
        let f = facts_of(&s.conn, &c, None, today)?;
        let actions = wf::available_actions(state, &actor, &f);
        if actions.is_empty() {
            continue;
        }
        let deadline = clocking.deadline(&c, state, next_unpaid_month(&s.conn, c.id)?);
        items.push(QueueItem {
            kind: "temp_aid",
            kind_label: format!("临时救助（{}）", kind_label(&c.kind)),
            id: c.id,
            number: c.number.clone(),
            household_id: Some(c.household_id),
            head_name: c.head_name.clone(),
            township_name: c.township_name.clone(),
            village_name: c.village_name.clone(),
            state_label: state.label().to_owned(),
            waiting_for: state.waiting_for().to_owned(),
            actions: actions.iter().map(|k| k.label().to_owned()).collect(),
            deadline,
            overdue: deadline.is_some_and(|d| is_overdue(d, today)),
        });
    }
    Ok(items)
}

// ---- temp_aid.act ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StageIn {
    month: String,
    amount: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActIn {
    case_id: i64,
    action: String,
    findings: Option<String>,
    amount: Option<String>,
    stages: Option<Vec<StageIn>>,
    reason: Option<String>,
    opinion: Option<String>,
    reasons: Option<String>,
    stage_no: Option<u32>,
}

fn text(v: &Option<String>) -> String {
    v.as_deref().unwrap_or("").trim().to_owned()
}

fn amount(i: &ActIn) -> CmdResult<i64> {
    match i.amount.as_deref() {
        None => Err(CmdError::invalid("amount", "请填写救助金额（元）")),
        Some(t) => fen_from_yuan("amount", t),
    }
}

fn plan(i: &ActIn) -> CmdResult<Vec<StagePlan>> {
    let Some(stages) = &i.stages else {
        return Ok(vec![]);
    };
    stages
        .iter()
        .enumerate()
        .map(|(n, st)| {
            Ok(StagePlan {
                month: month_start(&format!("stages[{n}].month"), &st.month)?,
                amount_fen: fen_from_yuan(&format!("stages[{n}].amount"), &st.amount)?,
            })
        })
        .collect()
}

/// The action with its data, parsed from the input; the state machine judges it.
fn action_of(i: &ActIn) -> CmdResult<TempAction> {
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
        },
    })
}

/// What the step records, for the timeline and the audit row.
fn step_data(action: &TempAction) -> Value {
    let stages = |stages: &[StagePlan]| -> Vec<Value> {
        stages
            .iter()
            .enumerate()
            .map(|(n, st)| json!({"no": n + 1, "month": ym(st.month), "amount": yuan_text(st.amount_fen)}))
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
        } => {
            json!({"amount": yuan_text(*total_fen), "stages": stages(st)})
        }
        TempAction::ReferToCounty { opinion } => json!({"opinion": opinion}),
        TempAction::RefuseTownship { reasons } | TempAction::RefuseCounty { reasons } => {
            json!({"reasons": reasons})
        }
        TempAction::PayStage { stage_no } => json!({"stage_no": stage_no}),
    }
}

/// Write a permitted step into the case record (and the fund or the plan where it moves money).
fn apply(
    tx: &rusqlite::Transaction<'_>,
    c: &mut TempCase,
    action: &TempAction,
    next: TempState,
    user: &User,
    today: NaiveDate,
    at: &str,
) -> CmdResult<()> {
    let me = Some(user.id);
    let on = Some(today);
    match action {
        TempAction::Accept => {
            c.accepted_by = me;
            c.accepted_on = on;
        }
        TempAction::RecordSurvey { findings } | TempAction::CompletePaperwork { findings } => {
            c.investigated_by = me;
            c.investigated_on = on;
            c.findings = Some(findings.clone());
        }
        TempAction::GrantAdvance { amount_fen } => {
            c.advance_by = me;
            c.advance_on = on;
            c.advance_fen = *amount_fen;
            store::reserve_fund::insert_entry(
                tx,
                &store::reserve_fund::NewEntry {
                    township_id: c.township_id,
                    kind: "advance",
                    amount_fen: -amount_fen,
                    entry_on: today,
                    reference: &c.number,
                    note: &format!("先行救助：{}户", c.head_name),
                    case_id: Some(c.id),
                    recorded_by: user.id,
                    recorded_at: at,
                },
            )?;
        }
        TempAction::RecordCountyHomeCheck { findings } => {
            c.county_check_by = me;
            c.county_check_on = on;
            c.county_check_findings = Some(findings.clone());
        }
        TempAction::OverrideRepeat { reason } => {
            c.override_by = me;
            c.override_on = on;
            c.override_reason = Some(reason.clone());
        }
        TempAction::ApproveTownship { total_fen, stages }
        | TempAction::ApproveCounty { total_fen, stages } => {
            c.decided_by = me;
            c.decided_on = on;
            c.decision_level = Some(
                if matches!(action, TempAction::ApproveTownship { .. }) {
                    "township"
                } else {
                    "county"
                }
                .to_owned(),
            );
            c.approved_fen = Some(*total_fen);
            let plan: Vec<(NaiveDate, i64)> =
                stages.iter().map(|s| (s.month, s.amount_fen)).collect();
            store::temp_aid::insert_stages(tx, c.id, &plan)?;
        }
        TempAction::ReferToCounty { opinion } => {
            c.referred_by = me;
            c.referred_on = on;
            c.referral_opinion = Some(opinion.clone());
        }
        TempAction::RefuseTownship { reasons } | TempAction::RefuseCounty { reasons } => {
            c.decided_by = me;
            c.decided_on = on;
            c.decision_level = Some(
                if matches!(action, TempAction::RefuseTownship { .. }) {
                    "township"
                } else {
                    "county"
                }
                .to_owned(),
            );
            c.refusal_reasons = Some(reasons.clone());
        }
        TempAction::PayStage { stage_no } => {
            store::temp_aid::pay_stage(tx, c.id, *stage_no, today, user.id)?;
        }
    }
    if next == TempState::Closed {
        c.closed_on = on;
    }
    c.state = next.as_str().to_owned();
    c.updated_at = at.to_owned();
    Ok(())
}

pub(crate) fn act(s: &mut Session, v: Value) -> CmdResult<Value> {
    let i: ActIn = input(v)?;
    let action = action_of(&i)?;
    let mut c = load_case(s, i.case_id)?;
    let user = s.user()?.clone();
    let today = s.clock.today();
    let stamp = Stamp::of(s)?;
    let moves_money = matches!(
        action.kind(),
        TempActionKind::GrantAdvance
            | TempActionKind::ApproveTownship
            | TempActionKind::ApproveCounty
    );
    with_tx(&mut s.conn, |tx| {
        // Facts are read inside the transaction: nobody changes the case or the fund meanwhile.
        c = store::temp_aid::get(tx, c.id)?
            .ok_or_else(|| CmdError::not_found(format!("临时救助案件 {} 不存在", c.id)))?;
        let from = state_of(&c)?;
        let lim = match limits(tx, &c) {
            Ok(l) => Some(l),
            Err(e) if moves_money => return Err(e),
            Err(_) => None,
        };
        let f = facts_of(tx, &c, lim, today)?;
        let next = wf::transition(&from, &action, &actor_of(&user), &f)?;
        apply(tx, &mut c, &action, next, &user, today, &stamp.at)?;
        store::temp_aid::save(tx, &c)?;
        let data = step_data(&action);
        let code = action.kind().as_str();
        store::temp_aid::insert_step(
            tx,
            c.id,
            code,
            from.as_str(),
            next.as_str(),
            user.id,
            &stamp.at,
            &data.to_string(),
        )?;
        let before = json!({"number": c.number, "state": from.as_str()});
        let after =
            json!({"number": c.number, "state": next.as_str(), "action": code, "data": data});
        stamp.record(
            tx,
            "temp_aid.act",
            "temp_aid_case",
            Some(c.id),
            Some(&before),
            Some(&after),
        )
    })?;
    view(s, c.id)
}
