//! `case.approval_preview`: what approving a case would enrol it with, as `case.act` approve
//! would work it out (the rules' amount for the first paid month), shown in the approve dialog
//! before the approver confirms. Nothing is stored.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{check_scope, load_case, rules_amount};
use crate::commands::{input, Session};
use crate::error::CmdResult;
use crate::rules::money::yuan_text;
use crate::workflow::first_paid_month;
use crate::workflow::step::{step_date, trail_summary};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PreviewIn {
    case_id: i64,
    /// The approval's date (default today): the amount is the one of the month after it.
    date: Option<NaiveDate>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct PreviewReply {
    case_id: i64,
    /// The first month paid.
    pay_from: String,
    /// Monthly amount in yuan; send it back as `expected_amount` when approving.
    amount: String,
    amount_fen: i64,
    persons: u32,
    /// Whether the amount is above zero (otherwise the case can only be refused).
    eligible: bool,
    /// The trail's key lines: standards, formulas, rounding.
    summary: Vec<String>,
    /// The whole calculation trail.
    trail: Value,
}

pub(crate) fn approval_preview(s: &mut Session, v: Value) -> CmdResult<PreviewReply> {
    let i: PreviewIn = input(v)?;
    let user = s.user()?.clone();
    let c = load_case(s, i.case_id)?;
    check_scope(&user, &c)?;
    let from = first_paid_month(step_date(i.date, &c, s.clock.today())?);
    let (amount_fen, persons, trail) = rules_amount(s, &c, from.first_day())?;
    Ok(PreviewReply {
        case_id: c.id,
        pay_from: from.to_string(),
        amount: yuan_text(amount_fen),
        amount_fen,
        persons,
        eligible: amount_fen > 0,
        summary: trail_summary(&trail),
        trail,
    })
}
