//! `case.review_batch`: 定期核查 "no change" for the cases a caseworker selected in the work
//! queue. Each case is checked on its own (`workflow::batch`, `check_actor`, its version): the
//! refused ones are listed with their reason, the rest get their own step and audit row, all in
//! one transaction.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use super::act::{write_step, Taken};
use super::{actor, check_scope, load_case, state_of, Context};
use crate::commands::{input, Session, Stamp};
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult, ErrorCode};
use crate::rules::GraceLimits;
use crate::store::cases::CaseRow;
use crate::workflow::batch::{check_batch, BatchInput};
use crate::workflow::step::{self, StepInput};
use crate::workflow::{self, conflict, ActionKind};

/// A case whose review was recorded.
#[derive(Serialize, JsonSchema)]
pub(crate) struct Reviewed {
    case_id: i64,
    number: String,
    next_review_due: Option<String>,
}

/// A case left as it was, and why.
#[derive(Serialize, JsonSchema)]
pub(crate) struct NotReviewed {
    case_id: i64,
    number: Option<String>,
    #[schemars(with = "String")]
    code: ErrorCode,
    message: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct BatchReply {
    date: String,
    findings: String,
    reviewed: Vec<Reviewed>,
    refused: Vec<NotReviewed>,
}

pub(crate) fn review_batch(s: &mut Session, v: Value) -> CmdResult<BatchReply> {
    let user = s
        .require(&[crate::auth::Role::Caseworker], "批量登记定期核查")?
        .clone();
    let i: BatchInput = input(v)?;
    let today = s.clock.today();
    let (cases, findings) = check_batch(&i, today)?;
    let ctx = Context::load(s, today)?;
    let kind = ActionKind::RecordPeriodicReview;
    let step_in = StepInput {
        action: kind.code().into(),
        date: i.date,
        findings: Some(findings.clone()),
        ..StepInput::default()
    };
    let (mut ready, mut refused) = (vec![], vec![]);
    for (case_id, expected) in cases {
        let mut number = None;
        let one = (|| -> CmdResult<(CaseRow, Taken)> {
            let mut c = load_case(s, case_id)?;
            number = Some(c.number.clone());
            check_scope(&user, &c)?;
            conflict::check_version(Some(expected), c.version)?;
            let state = state_of(&c)?;
            let mut facts = ctx.facts(s, &c, GraceLimits::default())?;
            workflow::check_actor(state, kind, &actor(&user), &facts)?;
            let date = step::step_date(i.date, &c, today)?;
            facts.today = date;
            let draft = step::draft(kind, &step_in, &mut c, date, today, (0, None), &[], &[])?;
            let (action, mut data, _) = draft.priced(None)?;
            data["batch"] = Value::Bool(true);
            let to = workflow::transition(&state, &action, &actor(&user), &facts)?;
            step::record(&mut c, &action, date, user.id, 0);
            Ok((
                c,
                Taken {
                    kind,
                    from: state,
                    to,
                    data,
                },
            ))
        })();
        match one {
            Ok(done) => ready.push(done),
            Err(e) => refused.push(not_reviewed(case_id, number, e)),
        }
    }
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        for (c, taken) in &mut ready {
            write_step(tx, &stamp, "case.review_batch", c, user.id, taken, None)?;
        }
        Ok(())
    })?;
    Ok(BatchReply {
        date: i.date.unwrap_or(today).to_string(),
        findings,
        reviewed: (ready.into_iter())
            .map(|(c, _)| Reviewed {
                case_id: c.id,
                number: c.number,
                next_review_due: c.next_review_due.map(|d| d.to_string()),
            })
            .collect(),
        refused,
    })
}

fn not_reviewed(case_id: i64, number: Option<String>, e: CmdError) -> NotReviewed {
    NotReviewed {
        case_id,
        number,
        code: e.code,
        message: e.message,
    }
}
