//! `deliberation.file`, `deliberation.get`, `deliberation.list`, `deliberation.act`, and the cases
//! waiting for the signed-in user.

use chrono::{Datelike, Duration, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{
    actor_of, case_view, check_version, facts, load_case, or_taken, state_of,
    take_expected_version, DelibCaseReply, Step,
};
use crate::auth::Role;
use crate::commands::queue::{self, QueueItem};
use crate::commands::{input, Session, Stamp};
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::rules::money::yuan_text;
use crate::store::deliberation::{self as st, CaseRow, VisitRow};
use crate::store::{self};
use crate::workflow::deliberation::{
    self as wf, available_actions, check_filer, state_label, transition, CaseStep, DelibState,
};

const FILERS: &[Role] = &[Role::Caseworker, Role::Reviewer, Role::Approver];

// ---- deliberation.file ----

pub(crate) fn file(s: &mut Session, v: Value) -> CmdResult<DelibCaseReply> {
    let user = s.require(FILERS, "申报一事一议")?.clone();
    let i: wf::FilingInput = input(v)?;
    let h = store::registry::household(&s.conn, i.household_id)?.ok_or_else(|| {
        CmdError::invalid("household_id", format!("家庭 {} 不存在", i.household_id))
    })?;
    let near = store::near_relatives::match_household(&s.conn, h.id)?;
    check_filer(&actor_of(s, &user)?, h.township_id, &near.user_ids)?;
    let f = wf::check_filing(&i, s.clock.today())?;
    let stamp = Stamp::of(s)?;
    let number = st::next_number(&s.conn, f.filed_on.year())?;
    let mut row = CaseRow::filed(f, number, h.id, h.township_id, user.id, &stamp.at);
    row.id = with_tx(&mut s.conn, |tx| {
        let id = st::insert_case(tx, &row)?;
        let data = json!({"number": row.number, "household_id": row.household_id,
            "special_matter": row.special_matter, "proposed_amount": yuan_text(row.proposed_amount_fen)});
        store::timeline::append(
            tx,
            store::timeline::Timeline::Deliberation,
            id,
            &store::timeline::NewStep {
                action: "file",
                from_state: "",
                to_state: "filed",
                user_id: user.id,
                at: &stamp.at,
                data: &data.to_string(),
            },
        )?;
        let after = json!({"state": "filed", "data": data});
        stamp.record(
            tx,
            "deliberation.file",
            "deliberation_case",
            Some(id),
            None,
            Some(&after),
        )?;
        Ok(id)
    })?;
    case_view(s, &row)
}

// ---- deliberation.get / list ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IdIn {
    id: i64,
}

pub(crate) fn get(s: &mut Session, v: Value) -> CmdResult<DelibCaseReply> {
    s.user()?;
    let i: IdIn = input(v)?;
    let c = load_case(s, i.id)?;
    case_view(s, &c)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListIn {
    #[serde(default)]
    state: Option<String>,
    /// Only the cases waiting for the signed-in user, as 待我处理 items.
    #[serde(default)]
    mine: bool,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct ListedCase {
    id: i64,
    number: String,
    /// Bumped by every step; send it back as `expected_version` when acting.
    version: i64,
    state: String,
    state_label: &'static str,
    household_id: i64,
    head_name: String,
    township_name: String,
    village_name: String,
    special_matter: String,
    proposed_amount: String,
    approved_amount: Option<String>,
    filed_on: NaiveDate,
    meeting_id: Option<i64>,
}

/// The cases, or with `mine` the 待我处理 items.
#[derive(Serialize, JsonSchema)]
#[serde(untagged)]
pub(crate) enum ListReply {
    Cases { cases: Vec<ListedCase> },
    Items { items: Vec<QueueItem> },
}

pub(crate) fn list(s: &mut Session, v: Value) -> CmdResult<ListReply> {
    let user = s.user()?.clone();
    let i: ListIn = input(v)?;
    if i.mine {
        let items = queue_items(s, s.clock.today())?;
        return Ok(ListReply::Items { items });
    }
    let states = wf::listed_states(i.state.as_deref())?;
    let township = user.role.works_in_township().then_some(user.area_id);
    let cases = st::list_cases(&s.conn, township, &states)?
        .into_iter()
        .map(|l| ListedCase {
            state_label: state_label(&l.case.state),
            proposed_amount: yuan_text(l.case.proposed_amount_fen),
            approved_amount: l.case.approved_amount_fen.map(yuan_text),
            id: l.case.id,
            version: l.case.version,
            number: l.case.number,
            state: l.case.state,
            household_id: l.case.household_id,
            head_name: l.head_name,
            township_name: l.township_name,
            village_name: l.village_name,
            special_matter: l.case.special_matter,
            filed_on: l.case.filed_on,
            meeting_id: l.case.meeting_id,
        })
        .collect();
    Ok(ListReply::Cases { cases })
}

// ---- deliberation.act ----

pub(crate) fn act(s: &mut Session, mut v: Value) -> CmdResult<DelibCaseReply> {
    let user = s.user()?.clone();
    wf::check_case_step_code(v.get("action").and_then(Value::as_str).unwrap_or(""))?;
    let expected = take_expected_version(&mut v)?;
    let i: CaseStep = input(v)?;
    let (id, action) = i.action();
    // Loaded under the command's write lock (commands::call): nobody moves it meanwhile.
    let before = load_case(s, id)?;
    check_version(expected, before.version)?;
    let f = facts(s, &before, None)?;
    let next = transition(&state_of(&before)?, &action, &actor_of(s, &user)?, &f)
        .map_err(|e| or_taken(s, id, action.kind(), e))?;
    let today = s.clock.today();
    i.check(today)?;
    let stamp = Stamp::of(s)?;
    let mut after = before.clone();
    after.state = next.as_str().into();
    after.updated_at = stamp.at.clone();
    st::record_action(&mut after, &action, user.id, today, &f);
    let data = i.data();
    let step = Step {
        command: "deliberation.act",
        user_id: user.id,
        kind: action.kind(),
        data: &data,
    };
    with_tx(&mut s.conn, |tx| {
        match &i {
            CaseStep::Pay { stage, paid_on, .. } => {
                st::mark_paid(tx, id, *stage, *paid_on, user.id)?
            }
            CaseStep::Visit {
                visited_on,
                visitor,
                findings,
                ..
            } => {
                let visit = VisitRow {
                    id: 0,
                    visited_on: *visited_on,
                    visitor: visitor.trim().to_owned(),
                    findings: findings.trim().to_owned(),
                    recorded_by: user.id,
                    recorded_at: stamp.at.clone(),
                };
                st::insert_visit(tx, id, &visit)?;
            }
            _ => {}
        }
        step.record(tx, &stamp, &before, &after)
    })?;
    case_view(s, &load_case(s, id)?)
}

// ---- 待我处理 ----

/// The 一事一议 cases the signed-in user can act on now, for `work.queue`.
pub(crate) fn queue_items(s: &Session, today: NaiveDate) -> CmdResult<Vec<QueueItem>> {
    let user = s.user()?;
    let actor = actor_of(s, user)?;
    let township = user.role.works_in_township().then_some(user.area_id);
    let open = wf::listed_states(Some("open"))?;
    let mut items = Vec::new();
    for l in st::list_cases(&s.conn, township, &open)? {
        let state = state_of(&l.case)?;
        let f = st::case_facts(&s.conn, &l.case, None, today)?;
        let actions = available_actions(state, &actor, &f);
        if actions.is_empty() {
            continue;
        }
        // Payment may start the day after the 公示 ends.
        let deadline = match state {
            DelibState::OnNotice => f.notice_end().map(|e| e + Duration::days(1)),
            _ => None,
        };
        items.push(QueueItem {
            kind: "deliberation",
            kind_label: "一事一议".into(),
            id: l.case.id,
            number: l.case.number,
            household_id: Some(l.case.household_id),
            head_name: l.head_name,
            township_name: l.township_name,
            village_name: l.village_name,
            state_label: state.label().into(),
            waiting_for: state.waiting_for().into(),
            actions: actions.iter().map(|k| k.label().to_owned()).collect(),
            deadline,
            overdue: false,
        });
    }
    queue::sort(&mut items);
    Ok(items)
}
