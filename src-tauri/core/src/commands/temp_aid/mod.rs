//! 临时救助 cases at the command boundary: `temp_aid.choices`, `temp_aid.create`, `temp_aid.get`,
//! `temp_aid.list`, `temp_aid.act`, and the items of the work queue.
//!
//! Every step goes through the pure [`crate::workflow::temp::transition`] with facts loaded inside
//! the step's IMMEDIATE transaction; the new state, the step, any reserve-fund entry and the audit
//! row are written together, or nothing is.

mod reply;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use serde_json::{json, Value};

use super::queue::QueueItem;
use super::{input, Session, Stamp};
use crate::auth::{Role, User};
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::rules::money::yuan_text;
use crate::rules::{self, Area, Standards};
use crate::store::temp_aid::{Clocking, Filter, NewCase, TempCase};
use crate::store::{self};
use crate::workflow::conflict;
use crate::workflow::temp::{
    self as wf, kind_code, kind_label, StepInput, TempActionKind, TempState, CAUSES,
};
use crate::workflow::{is_overdue, Actor};
use reply::{
    view, Choice, ChoicesReply, CreatedReply, ListReply, Listed, ListedCase, TempCaseReply,
};

/// Who may see 临时救助 cases (township staff only their township's).
const READ: &[Role] = &[
    Role::Caseworker,
    Role::Reviewer,
    Role::Approver,
    Role::Admin,
];

fn load_case(s: &Session, id: i64) -> CmdResult<TempCase> {
    let user = s.require(READ, "查看临时救助案件")?;
    let c = store::temp_aid::get(&s.conn, id)?
        .ok_or_else(|| CmdError::not_found(format!("临时救助案件 {id} 不存在")))?;
    if user.role.works_in_township() && user.area_id != c.township_id {
        return Err(CmdError::forbidden(format!(
            "此案件属于{}，您只能查看和办理本乡镇（街道）的案件",
            c.township_name
        )));
    }
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

/// Quota, cap (the cause's own where lower) and emergency minimum as of the application date,
/// for the household's 户籍 (or where it lives, by the county's `temp.basis_area`).
fn limits(conn: &rusqlite::Connection, c: &TempCase) -> CmdResult<rules::TempAidLimits> {
    let h = store::registry::household(conn, c.household_id)?
        .ok_or_else(|| CmdError::not_found(format!("家庭 {} 不存在", c.household_id)))?;
    let st = Standards::as_of(&super::standards::engine_rows(conn)?, c.applied_on);
    let hukou = Area::from_code(&h.facts.hukou).unwrap_or(Area::Rural);
    let residence = h.urban_rural.as_deref().and_then(Area::from_code);
    let area = rules::temp_basis_area(&st, hukou, residence, &mut rules::Trail::default())?;
    rules::temp_aid_limits_for(&st, area, &c.cause)
}

/// The case page as the signed-in user sees it now.
fn page(s: &Session, c: &TempCase) -> CmdResult<TempCaseReply> {
    view(s, c, limits(&s.conn, c).map_err(|e| e.message))
}

// ---- temp_aid.choices ----

pub(crate) fn choices(s: &mut Session, _: Value) -> CmdResult<ChoicesReply> {
    s.require(READ, "查看临时救助")?;
    let pair = |code, label| Choice { code, label };
    Ok(ChoicesReply {
        kinds: [
            rules::TempAidKind::Emergency,
            rules::TempAidKind::Expenditure,
        ]
        .iter()
        .map(|k| pair(kind_code(*k), k.label()))
        .collect(),
        causes: CAUSES.iter().map(|(c, l)| pair(c, l)).collect(),
        states: TempState::ALL
            .iter()
            .map(|st| pair(st.as_str(), st.label()))
            .collect(),
        actions: TempActionKind::ALL
            .iter()
            .map(|k| pair(k.as_str(), k.label()))
            .collect(),
        max_stages: wf::MAX_STAGES,
    })
}

// ---- temp_aid.create ----

pub(crate) fn create(s: &mut Session, v: Value) -> CmdResult<CreatedReply> {
    let i: wf::ApplicationInput = input(v)?;
    let user = s.require(&[Role::Caseworker], "登记临时救助申请")?.clone();
    let a = wf::check_application(&i, s.clock.today())?;
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
        let number = store::temp_aid::next_number(tx, a.applied_on.year())?;
        let new = NewCase {
            number: &number,
            kind: kind_code(a.kind),
            cause: &a.cause,
            household_id: h.id,
            township_id: h.township_id,
            applied_on: a.applied_on,
            description: &a.description,
            requested_fen: a.requested_fen,
            created_by: user.id,
            created_at: &stamp.at,
        };
        let id = store::temp_aid::insert(tx, &new)?;
        let earlier =
            store::temp_aid::earlier_same_cause(tx, h.id, &a.cause, a.applied_on.year(), Some(id))?;
        let data = json!({
            "kind": new.kind, "cause": a.cause, "applied_on": a.applied_on,
            "description": a.description, "requested_amount": a.requested_fen.map(yuan_text),
            "repeat_of": earlier,
        });
        let text = data.to_string();
        store::timeline::append(
            tx,
            store::timeline::Timeline::TempAid,
            id,
            &store::timeline::NewStep {
                action: "register",
                from_state: "",
                to_state: "applied",
                user_id: user.id,
                at: &stamp.at,
                data: &text,
            },
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
    let case = page(s, &load_case(s, id)?)?;
    // The warning at registration: the same cause this calendar year.
    let warning = wf::repeat_warning(a.applied_on, &a.cause, case.earlier());
    Ok(CreatedReply { case, warning })
}

// ---- temp_aid.get ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IdIn {
    id: i64,
}

pub(crate) fn get(s: &mut Session, v: Value) -> CmdResult<TempCaseReply> {
    let i: IdIn = input(v)?;
    page(s, &load_case(s, i.id)?)
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

pub(crate) fn list(s: &mut Session, v: Value) -> CmdResult<ListReply> {
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
        let cases: Vec<Listed> = items.into_iter().map(Listed::Item).collect();
        return Ok(ListReply {
            count: cases.len(),
            cases,
        });
    }
    let filter = Filter {
        township_id: if user.role.works_in_township() {
            Some(user.area_id)
        } else {
            i.township_id
        },
        household_id: i.household_id,
        state: i.state,
        open_only: i.open_only,
    };
    let clocking = Clocking::load(&s.conn)?;
    let mut rows = Vec::new();
    for c in store::temp_aid::list(&s.conn, &filter)? {
        let deadline = clocking.deadline_of(&s.conn, &c, state_of(&c)?)?;
        rows.push((deadline.is_some_and(|d| is_overdue(d, today)), deadline, c));
    }
    rows.sort_by(|a, b| wf::list_order((a.0, a.1, a.2.id), (b.0, b.1, b.2.id)));
    let cases: Vec<Listed> = rows
        .into_iter()
        .map(|(overdue, deadline, c)| Listed::Case(ListedCase::of(c, deadline, overdue)))
        .collect();
    Ok(ListReply {
        count: cases.len(),
        cases,
    })
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
        let f = store::temp_aid::facts(&s.conn, &c, None, today)?;
        let actions = wf::available_actions(state, &actor, &f);
        if actions.is_empty() {
            continue;
        }
        let deadline = clocking.deadline_of(&s.conn, &c, state)?;
        items.push(QueueItem {
            kind: "temp_aid",
            kind_label: format!("临时救助（{}）", kind_label(&c.kind)),
            id: c.id,
            number: c.number,
            household_id: Some(c.household_id),
            head_name: c.head_name,
            township_name: c.township_name,
            village_name: c.village_name,
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

pub(crate) fn act(s: &mut Session, mut v: Value) -> CmdResult<TempCaseReply> {
    let expected = conflict::take_expected_version(&mut v)?;
    let i: StepInput = input(v)?;
    let action = wf::parse_step(&i)?;
    let id = load_case(s, i.case_id)?.id;
    let user = s.user()?.clone();
    let today = s.clock.today();
    let stamp = Stamp::of(s)?;
    let moves_money = matches!(
        action.kind(),
        TempActionKind::GrantAdvance
            | TempActionKind::ApproveTownship
            | TempActionKind::ApproveCounty
    );
    let code = action.kind().as_str();
    with_tx(&mut s.conn, |tx| {
        // Facts are read inside the transaction: nobody changes the case or the fund meanwhile.
        let mut c = store::temp_aid::get(tx, id)?
            .ok_or_else(|| CmdError::not_found(format!("临时救助案件 {id} 不存在")))?;
        conflict::check_version(expected, c.version)?;
        let from = state_of(&c)?;
        let lim = match limits(tx, &c) {
            Ok(l) => Some(l),
            Err(e) if moves_money => return Err(e),
            Err(_) => None,
        };
        let f = store::temp_aid::facts(tx, &c, lim, today)?;
        let next = wf::transition(&from, &action, &actor_of(&user), &f).map_err(|e| {
            let wrong_state = matches!(e, wf::TempError::WrongState { .. });
            let t = store::timeline::Timeline::TempAid;
            match store::timeline::last_action(tx, t, id) {
                Ok(last)
                    if conflict::taken_by_another(
                        wrong_state,
                        last.as_ref().map(|(a, by)| (a.as_str(), *by)),
                        code,
                        user.id,
                    ) =>
                {
                    conflict::moved_on_error()
                }
                _ => e.into(),
            }
        })?;
        store::temp_aid::record_action(tx, &mut c, &action, next, user.id, today, &stamp.at)?;
        let data = wf::step_data(&action);
        let (from, to) = (from.as_str(), next.as_str());
        store::timeline::append(
            tx,
            store::timeline::Timeline::TempAid,
            id,
            &store::timeline::NewStep {
                action: code,
                from_state: from,
                to_state: to,
                user_id: user.id,
                at: &stamp.at,
                data: &data.to_string(),
            },
        )?;
        let before = json!({"number": c.number, "state": from});
        let after = json!({"number": c.number, "state": to, "action": code, "data": data});
        stamp.record(
            tx,
            "temp_aid.act",
            "temp_aid_case",
            Some(id),
            Some(&before),
            Some(&after),
        )
    })?;
    page(s, &load_case(s, id)?)
}
