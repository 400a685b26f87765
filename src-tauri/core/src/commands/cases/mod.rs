//! 低保/特困 cases: application, the steps of the procedure, enrolment with dated amounts,
//! periodic review, change and exit. Each command loads, lets the pure `workflow` decide
//! (`workflow::step` for a step's data and dates, `workflow::transition` for whether it is
//! allowed, `rules::gradual_exit` for the 渐退期) and writes the case row, the timeline step, any
//! new dated amount and the audit row in one transaction. `read` shows a case, `list` the
//! list and its export, `act` changes them.

mod act;
mod list;
mod preview;
mod read;
mod review;

use std::collections::HashMap;

use chrono::NaiveDate;

pub(crate) use act::{act, create};
pub(crate) use list::{export, list};
pub(crate) use preview::approval_preview;
pub(crate) use read::get;
pub(crate) use review::review_batch;

use super::benefits::{engine_household, trail_json};
use super::queue::QueueItem;
use super::standards::engine_rows;
use super::Session;
use crate::auth::User;
use crate::error::{CmdError, CmdResult};
use crate::month::Month;
use crate::programme::Programme;
use crate::rules::{self, CareSetting, GraceLimits, Standards};
use crate::store::calendar::{NoticeDayKind, WorkflowSettings};
use crate::store::cases::{CaseRow, Filter};
use crate::store::registry::Household;
use crate::store::{self};
use crate::workflow::step::Priced;
use crate::workflow::{self, case_row, Actor, CaseFacts, CaseState, WorkCalendar};

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
}

impl Context {
    fn load(s: &Session, today: NaiveDate) -> CmdResult<Context> {
        Ok(Context {
            today,
            settings: store::calendar::workflow_settings(&s.conn)?,
            calendar: store::calendar::load(&s.conn)?,
        })
    }

    /// The case's facts; `limits` matter only to an exit (views pass the default).
    fn facts(&self, s: &Session, c: &CaseRow, limits: GraceLimits) -> CmdResult<CaseFacts> {
        let m = store::near_relatives::match_household(&s.conn, c.household_id)?;
        let days = (
            self.settings.notice_days,
            self.settings.notice_calendar(&self.calendar),
        );
        Ok(case_row::facts(
            c, m.user_ids, m.filed, self.today, days, limits,
        ))
    }

    fn deadline(&self, c: &CaseRow, state: CaseState) -> Option<NaiveDate> {
        let rules = self.settings.deadline_rules();
        let notice = (
            self.settings.notice_days,
            self.settings.notice_day_kind == NoticeDayKind::Workdays,
        );
        case_row::deadline(c, state, &self.calendar, &rules, notice)
    }
}

fn state_of(c: &CaseRow) -> CmdResult<CaseState> {
    CaseState::parse(&c.state)
        .ok_or_else(|| CmdError::internal(format!("案件 {} 的状态“{}”无法识别", c.id, c.state)))
}

fn load_case(s: &Session, id: i64) -> CmdResult<CaseRow> {
    store::cases::get(&s.conn, id)?.ok_or_else(|| CmdError::not_found(format!("案件 {id} 不存在")))
}

fn load_household(s: &Session, id: i64) -> CmdResult<Household> {
    store::registry::household(&s.conn, id)?
        .ok_or_else(|| CmdError::not_found(format!("家庭 {id} 不存在")))
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

/// The monthly amount paid for `on`'s month, if the case pays that month.
pub(crate) fn current_amount(s: &Session, c: &CaseRow, on: NaiveDate) -> CmdResult<Option<i64>> {
    if c.pay_from.is_none() {
        return Ok(None);
    }
    let amounts = store::cases::amounts(&s.conn, c.id)?;
    Ok(case_row::amount_paid(c, &amounts, Month::of(on)))
}

/// The amount for the month starting `month_start`, from the rules and the household as it is.
pub(crate) fn rules_amount(
    s: &Session,
    c: &CaseRow,
    month_start: NaiveDate,
) -> CmdResult<(i64, u32, serde_json::Value)> {
    let h = load_household(s, c.household_id)?;
    let st = Standards::as_of(&engine_rows(&s.conn)?, month_start);
    let eh = engine_household(&s.conn, &h, month_start)?;
    let outcome = if c.programme == Programme::Tekun.code() {
        let setting = if c.support_mode.as_deref() == Some("centralised") {
            CareSetting::Institution
        } else {
            CareSetting::Home
        };
        rules::tekun(&st, &eh, setting)?
    } else {
        rules::dibao(&st, &eh)?
    };
    let persons = eh.members.len() as u32;
    Ok((outcome.amount_fen, persons, trail_json(&outcome.trail)))
}

/// The 渐退期 amount from `from` for `months`: the amount in force that month, capped by the one
/// rule (`rules::phase_out_amount`) with the standards of that month. None without an amount.
fn phase_out_amount(
    s: &Session,
    c: &CaseRow,
    from: Month,
    months: u32,
) -> CmdResult<Option<Priced>> {
    let amounts = store::cases::amounts(&s.conn, c.id)?;
    let Some(current) = case_row::amount_in(&amounts, from) else {
        return Ok(None);
    };
    let h = load_household(s, c.household_id)?;
    let st = Standards::as_of(&engine_rows(&s.conn)?, from.first_day());
    // As the calculator reads it (benefits::engine_facts): the hukou, rural when unknown.
    let area = rules::Area::from_code(&h.facts.hukou).unwrap_or(rules::Area::Rural);
    let programme = Programme::from_code(&c.programme).unwrap_or(Programme::Dibao);
    let o = rules::phase_out_amount(
        &st,
        programme,
        area,
        current.amount_fen,
        current.persons,
        months,
    )?;
    Ok(Some(Priced {
        amount_fen: o.amount_fen,
        persons: current.persons,
        trail: trail_json(&o.trail),
    }))
}

/// 低保/特困 cases the signed-in user can act on now.
pub(crate) fn queue_items(s: &Session, today: NaiveDate) -> CmdResult<Vec<QueueItem>> {
    let user = s.user()?;
    let ctx = Context::load(s, today)?;
    let township_id = user.role.works_in_township().then_some(user.area_id);
    let open = CaseState::ALL.iter().filter(|st| !st.is_final());
    let filter = Filter {
        township_id,
        states: Some(open.map(|st| st.as_str().to_owned()).collect()),
        ..Filter::default()
    };
    let me = actor(user);
    let mut items = vec![];
    for c in store::cases::list(&s.conn, &filter)? {
        let state = state_of(&c)?;
        // Enrolled cases wait only when their review is near; skip the rest before any query.
        if !case_row::may_wait(&c, state, today) {
            continue;
        }
        let facts = ctx.facts(s, &c, GraceLimits::default())?;
        let mine: Vec<workflow::ActionKind> = case_row::awaited(&c, state, &facts, today)
            .into_iter()
            .filter(|k| workflow::check_actor(state, *k, &me, &facts).is_ok())
            .collect();
        if mine.is_empty() {
            continue;
        }
        let h = load_household(s, c.household_id)?;
        let deadline = ctx.deadline(&c, state);
        items.push(QueueItem {
            kind: "case",
            kind_label: Programme::label_of(&c.programme).to_owned(),
            id: c.id,
            number: c.number.clone(),
            household_id: Some(c.household_id),
            head_name: head_name(s, &h)?,
            township_name: h.township_name.clone(),
            village_id: Some(h.facts.village_id),
            village_name: h.village_name.clone(),
            version: Some(c.version),
            batch_review: mine.contains(&workflow::ActionKind::RecordPeriodicReview),
            state_label: state.label().to_owned(),
            waiting_for: state.waiting_for().to_owned(),
            actions: mine.iter().map(|k| k.label().to_owned()).collect(),
            deadline,
            overdue: deadline.is_some_and(|d| workflow::is_overdue(d, today)),
        });
    }
    Ok(items)
}
