//! `payment.confirm_back_pay`: a second person confirms the back pay a run held beyond the
//! county's limit, with a reason; it is paid in that run if the month is still open, otherwise
//! in the next run. The rule (who may, what is held) is `payrun::back_pay`'s.

use std::collections::{HashMap, HashSet};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::super::standards::engine_rows;
use super::super::{input, Session, Stamp};
use super::reply::{view, MonthReply};
use crate::auth::Role;
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::month::Month;
use crate::payrun::{self, DifferenceInput, Hold, PaymentKind, PlanInput};
use crate::rules::money::yuan_text;
use crate::store::{self, payments as store_pay};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfirmIn {
    month: String,
    case_id: i64,
    reason: String,
}

/// `payment.confirm_back_pay`: the month, and what was confirmed.
#[derive(Serialize, JsonSchema)]
pub(crate) struct ConfirmReply {
    #[serde(flatten)]
    pub month: MonthReply,
    pub case_id: i64,
    /// The months confirmed, `YYYY-MM`.
    pub months: Vec<String>,
    pub reason: String,
    /// Whether they were paid now (the month still open); otherwise the next run pays them.
    pub paid_in_run: bool,
    pub paid_amount: String,
}

pub(crate) fn confirm_back_pay(s: &mut Session, v: Value) -> CmdResult<ConfirmReply> {
    let user = s.require(&[Role::Approver], "确认补发")?.clone();
    let i: ConfirmIn = input(v)?;
    let month = Month::parse_field("month", &i.month)?.to_string();
    let run = store_pay::run(&s.conn, &month)?
        .ok_or_else(|| CmdError::invalid("month", format!("{month} 还没有发放")))?;
    let c = store::cases::get(&s.conn, i.case_id)?
        .ok_or_else(|| CmdError::invalid("case_id", format!("救助案件 {} 不存在", i.case_id)))?;
    let held: Vec<Hold> = store_pay::open_holds(&s.conn, Some(c.id))?
        .remove(&c.id)
        .unwrap_or_default()
        .into_iter()
        .filter(|h| h.confirmed.is_none())
        .collect();
    let run_by = store_pay::run_by(&s.conn, &month)?;
    let reason = payrun::confirm(user.id, c.decided_by, run_by, held.len(), &i.reason)?;
    let months: Vec<String> = held.iter().map(|h| h.for_month.clone()).collect();
    // An open month pays them now: the case planned alone, its holds confirmed.
    let open = run.state == "open";
    let mut payments = Vec::new();
    if open {
        let note = format!("{}：{reason}", user.display_name);
        let mut input = PlanInput {
            month: month.clone(),
            standards: engine_rows(&s.conn)?,
            cases: store_pay::payable_case(&s.conn, c.id, &month)?
                .into_iter()
                .collect(),
            amounts: HashMap::from([(
                c.id,
                store::cases::amounts(&s.conn, c.id)?
                    .into_iter()
                    .map(|a| (a.from_month, a.amount_fen, i64::from(a.persons)))
                    .collect(),
            )]),
            ..PlanInput::default()
        };
        let confirmed = held.iter().map(|h| Hold {
            confirmed: Some(note.clone()),
            ..h.clone()
        });
        input.holds.insert(c.id, confirmed.collect());
        let wanted: HashSet<&String> = months.iter().collect();
        payments = payrun::plan(&input)?
            .into_iter()
            .filter(|p| p.kind == PaymentKind::BackPay.code() && wanted.contains(&p.for_month))
            .collect();
    }
    let amount: i64 = payments.iter().map(|p| p.amount_fen).sum();
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        store_pay::confirm_holds(tx, c.id, &month, user.id, &stamp.at, &reason)?;
        if open {
            let went_in = store_pay::insert_all(tx, &payments)?;
            let inserted = payments
                .iter()
                .zip(went_in)
                .filter(|(_, new)| *new)
                .map(|(p, _)| p.clone())
                .collect();
            let input = DifferenceInput {
                month: month.clone(),
                inserted,
                ..DifferenceInput::default()
            };
            for d in payrun::differences(&input) {
                store_pay::add_difference(tx, &d)?;
            }
            store_pay::review_key(tx, &month, &payrun::held_key(c.id), user.id, &stamp.at)?;
        }
        stamp.record(
            tx,
            "payment.confirm_back_pay",
            "aid_case",
            Some(c.id),
            None,
            Some(&json!({"month": month, "months": months, "reason": reason, "paid_in_run": open, "amount": yuan_text(amount)})),
        )
    })?;
    Ok(ConfirmReply {
        month: view(&s.conn, &month)?,
        case_id: c.id,
        months,
        reason,
        paid_in_run: open,
        paid_amount: yuan_text(amount),
    })
}
