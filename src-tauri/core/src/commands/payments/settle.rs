//! At the lock of a month: the 临时救助 and 一事一议 stages its roster carries count as paid. Each
//! case gets a timeline step 「月度发放已支付」 (by the locker, at the lock) and moves on exactly
//! as when its last stage is recorded by hand (`workflow::temp::paid_by_run`,
//! `workflow::deliberation::paid_by_run`): a 临时救助 case with nothing left to pay is closed, a
//! 一事一议 case on notice moves to 发放中. Runs inside the lock's transaction.

use chrono::NaiveDate;
use rusqlite::Connection;
use serde_json::json;

use crate::commands::Stamp;
use crate::error::{CmdError, CmdResult};
use crate::month::Month;
use crate::rules::money::yuan_text;
use crate::store::{self, timeline};
use crate::workflow::{deliberation as delib, temp};

/// "第 1、2 阶段共 600.00 元已在 2026-11 月度发放中支付".
fn note(month: &str, unit: &str, stages: &[(u32, i64)]) -> String {
    let nos: Vec<String> = stages.iter().map(|(n, _)| n.to_string()).collect();
    let fen: i64 = stages.iter().map(|(_, f)| f).sum();
    let total = if stages.len() > 1 { "共 " } else { " " };
    format!(
        "第 {} {unit}{total}{} 元已在 {month} 月度发放中支付",
        nos.join("、"),
        yuan_text(fen)
    )
}

/// Settle every case with a stage on `month`'s roster; call after `store::payments::lock`.
pub(super) fn stages_paid_at_lock(
    tx: &Connection,
    month: &str,
    locker: i64,
    today: NaiveDate,
    stamp: &Stamp,
) -> CmdResult<()> {
    let this = Month::parse(month);
    for id in store::temp_aid::cases_on_roster(tx, month)? {
        let mut c = store::temp_aid::get(tx, id)?
            .ok_or_else(|| CmdError::internal(format!("临时救助案件 {id} 不存在")))?;
        let from = temp::TempState::parse(&c.state)
            .ok_or_else(|| CmdError::internal(format!("案件 {} 的状态无效", c.number)))?;
        let f = store::temp_aid::facts(tx, &c, None, today)?;
        let paid: Vec<(u32, i64)> = f
            .stages
            .iter()
            .filter(|s| s.roster_month == this)
            .map(|s| (s.no, s.amount_fen))
            .collect();
        let next = temp::paid_by_run(from, &f);
        if next != from {
            c.state = next.as_str().to_owned();
            c.closed_on = (next == temp::TempState::Closed).then_some(today);
            c.updated_at = stamp.at.clone();
            store::temp_aid::save(tx, &c)?;
        }
        let stage_nos: Vec<u32> = paid.iter().map(|p| p.0).collect();
        let data =
            json!({"month": month, "stage_nos": stage_nos, "note": note(month, "阶段", &paid)});
        timeline::append(
            tx,
            timeline::Timeline::TempAid,
            id,
            &timeline::NewStep {
                action: temp::PAID_IN_RUN,
                from_state: from.as_str(),
                to_state: next.as_str(),
                user_id: locker,
                at: &stamp.at,
                data: &data.to_string(),
            },
        )?;
        stamp.record(
            tx,
            "payment.lock",
            "temp_aid_case",
            Some(id),
            Some(&json!({"number": c.number, "state": from.as_str()})),
            Some(&json!({"number": c.number, "state": next.as_str(), "action": temp::PAID_IN_RUN, "data": data})),
        )?;
    }
    for id in store::deliberation::cases_on_roster(tx, month)? {
        let mut c = store::deliberation::get_case(tx, id)?
            .ok_or_else(|| CmdError::internal(format!("一事一议案件 {id} 不存在")))?;
        let from = delib::DelibState::parse(&c.state)
            .ok_or_else(|| CmdError::internal(format!("一事一议案件状态“{}”无法识别", c.state)))?;
        let rosters = store::deliberation::stage_rosters(tx, id)?;
        let paid: Vec<(u32, i64)> = store::deliberation::payments(tx, id)?
            .iter()
            .filter(|p| rosters.iter().any(|r| r.0 == p.stage && Some(r.1) == this))
            .map(|p| (p.stage, p.amount_fen))
            .collect();
        let next = delib::paid_by_run(from);
        let before = json!({"state": c.state});
        if next != from {
            c.state = next.as_str().to_owned();
            c.updated_at = stamp.at.clone();
            store::deliberation::update_case(tx, &c)?;
        }
        let stage_nos: Vec<u32> = paid.iter().map(|p| p.0).collect();
        let data =
            json!({"month": month, "stage_nos": stage_nos, "note": note(month, "期", &paid)});
        timeline::append(
            tx,
            timeline::Timeline::Deliberation,
            id,
            &timeline::NewStep {
                action: delib::PAID_IN_RUN,
                from_state: from.as_str(),
                to_state: next.as_str(),
                user_id: locker,
                at: &stamp.at,
                data: &data.to_string(),
            },
        )?;
        stamp.record(
            tx,
            "payment.lock",
            "deliberation_case",
            Some(id),
            Some(&before),
            Some(&json!({"state": c.state, "action": delib::PAID_IN_RUN, "data": data})),
        )?;
    }
    Ok(())
}
