//! Changing 低保/特困 cases: `case.create` (an application) and `case.act` (one step).

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{actor, check_scope, load_case, phase_out_amount, rules_amount, state_of, Context};
use crate::auth::Role;
use crate::commands::{input, Session, Stamp};
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::rules::GraceLimits;
use crate::store::cases::{Amount, CaseRow, Filter, Step};
use crate::store::timeline::Timeline;
use crate::store::{self};
use crate::workflow::application::{check_application, check_no_open_case};
use crate::workflow::conflict;
use crate::workflow::step::{self, Needs, Priced, StepInput};
use crate::workflow::{self, ActionKind, CaseState, TransitionError};

use super::read::CaseReply;

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

pub(crate) fn create(s: &mut Session, v: Value) -> CmdResult<CaseReply> {
    let user = s.require(&[Role::Caseworker], "登记低保/特困申请")?.clone();
    let i: CreateIn = input(v)?;
    let today = s.clock.today();
    let a = check_application(&i.programme, i.support_mode.as_deref(), i.applied_on, today)?;
    let (programme, applied_on) = (a.programme.code(), a.applied_on);
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
    let mine = Filter {
        household_id: Some(h.id),
        programme: Some(programme.to_owned()),
        ..Filter::default()
    };
    check_no_open_case(&store::cases::list(&s.conn, &mine)?, a.programme)?;
    let stamp = Stamp::of(s)?;
    let ctx = Context::load(s, today)?;
    let id = with_tx(&mut s.conn, |tx| {
        let mut c = CaseRow {
            number: store::cases::next_number(tx, programme, applied_on.year())?,
            programme: programme.to_owned(),
            household_id: h.id,
            township_id: h.township_id,
            state: CaseState::Applied.as_str().to_owned(),
            applied_on,
            application_note: i.application_note.trim().to_owned(),
            support_mode: a.support_mode.clone(),
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
    super::read::view(s, &c, &ctx)
}

/// The amount a drafted step needs, from the rules and the case's amounts.
fn price(s: &Session, c: &CaseRow, needs: Needs) -> CmdResult<Option<Priced>> {
    Ok(match needs {
        Needs::Nothing => None,
        Needs::RulesAmount(month) => {
            let (amount_fen, persons, trail) = rules_amount(s, c, month.first_day())?;
            Some(Priced {
                amount_fen,
                persons,
                trail,
            })
        }
        Needs::PhaseOutAmount { from, months } => phase_out_amount(s, c, from, months)?,
    })
}

/// A refused step: the conflict when another person just took this same step (the case is no
/// longer in the state it belongs to), else the rule's own refusal.
fn or_taken(s: &Session, c: &CaseRow, kind: ActionKind, e: TransitionError) -> CmdError {
    let wrong_state = matches!(e, TransitionError::WrongState { .. });
    match store::timeline::last_action(&s.conn, Timeline::Case, c.id) {
        Ok(last)
            if conflict::taken_by_another(
                wrong_state,
                last.as_ref().map(|(a, by)| (a.as_str(), *by)),
                kind.code(),
                s.user.as_ref().map_or(0, |u| u.id),
            ) =>
        {
            conflict::moved_on_error()
        }
        _ => e.into(),
    }
}

pub(crate) fn act(s: &mut Session, mut v: Value) -> CmdResult<CaseReply> {
    let user = s.user()?.clone();
    let expected = conflict::take_expected_version(&mut v)?;
    let i: StepInput = input(v)?;
    // Loaded under the command's write lock (commands::call): nobody moves it meanwhile.
    let mut c = load_case(s, i.case_id)?;
    check_scope(&user, &c)?;
    conflict::check_version(expected, c.version)?;
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
    let limits = if kind == ActionKind::Exit {
        let st = crate::rules::Standards::as_of(&super::engine_rows(&s.conn)?, today);
        GraceLimits::of(&st).unwrap_or_default()
    } else {
        GraceLimits::default()
    };
    let mut facts = ctx.facts(s, &c, limits)?;
    // Who may act at all comes first: an unknown date or blank text is not the news for a user
    // who may not take this step.
    workflow::check_actor(state, kind, &actor(&user), &facts)
        .map_err(|e| or_taken(s, &c, kind, e))?;
    let date = step::step_date(i.date, &c, today)?;
    facts.today = date;
    ctx.today = date;
    let investigators = match &i.investigator_ids {
        Some(ids) if kind == ActionKind::RecordSurvey => ids
            .iter()
            .filter_map(|id| store::users::get(&s.conn, *id).transpose())
            .collect::<CmdResult<Vec<_>>>()?,
        _ => vec![],
    };
    let notice_days = ctx.settings.notice_days;
    let notice_calendar = ctx.settings.notice_calendar(&ctx.calendar);
    let near = facts.near_relative_user_ids.clone();
    let draft = step::draft(
        kind,
        &i,
        &mut c,
        date,
        today,
        (notice_days, notice_calendar.as_ref()),
        &investigators,
        &near,
    )?;
    let needs = draft.needs;
    let (action, data, new_amount) = draft.priced(price(s, &c, needs)?)?;
    let next =
        workflow::transition(&state, &action, &actor(&user), &facts).map_err(|e| match e {
            TransitionError::AmountNotPositive => CmdError::invalid(
                "action",
                "按现行标准和家庭收入计算，保障金额为 0 元，不符合纳入条件；请审批不同意并写明理由",
            ),
            other => or_taken(s, &c, kind, other),
        })?;
    step::record(&mut c, &action, date, user.id, notice_days);
    c.state = next.as_str().to_owned();
    let stamp = Stamp::of(s)?;
    c.updated_at = stamp.at.clone();
    let before = json!({"state": state.as_str()});
    let after = json!({"state": c.state, "action": kind.code(), "data": data});
    with_tx(&mut s.conn, |tx| {
        store::cases::save(tx, &c)?;
        let step = Step {
            id: 0,
            case_id: c.id,
            action: kind.code().into(),
            from_state: state.as_str().into(),
            to_state: next.as_str().into(),
            user_id: user.id,
            at: stamp.at.clone(),
            data: data.to_string(),
        };
        let step_id = store::cases::add_step(tx, &step)?;
        if let Some(a) = &new_amount {
            let amount = Amount {
                case_id: c.id,
                from_month: a.from_month.to_string(),
                amount_fen: a.amount_fen,
                persons: a.persons,
                trail: a.trail.to_string(),
                step_id,
            };
            store::cases::add_amount(tx, &amount)?;
        }
        let (before, after) = (Some(&before), Some(&after));
        stamp.record(tx, "case.act", "case", Some(c.id), before, after)
    })?;
    let c = load_case(s, c.id)?;
    ctx.today = today;
    super::read::view(s, &c, &ctx)
}
