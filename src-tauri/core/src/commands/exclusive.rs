//! Long jobs exclusive for their month or file — `payment.run` and `payment.lock` of a month,
//! `ledger.import` — claimed before the job takes the write lock, so a second desktop asking for
//! the same job is refused at once with who is running it (the job holds the write lock for
//! minutes on a county; waiting for it would end in a timeout that names nobody). Correctness does
//! not rest on the claim: every job runs under the command's write lock and checks the month's
//! state there; the claim is what lets the refusal be immediate and say who.
//!
//! A claim whose holder holds no write lock was left by a process that died (the holder keeps
//! the lock from just after claiming until just before releasing), and is taken over.

use serde_json::Value;

use super::Session;
use crate::db;
use crate::error::{CmdError, CmdResult};
use crate::month::Month;
use crate::store::claims::{self, Holder};

/// A claim taken: released when the job ends.
pub(crate) struct Claim {
    job: String,
    user_id: i64,
    at: String,
}

/// The job a command's input claims, with the field a refusal names and what it is called.
fn job_of(name: &str, input: &Value) -> Option<(String, &'static str, String)> {
    match name {
        "payment.run" | "payment.lock" => {
            let month = Month::parse(input.get("month")?.as_str()?.trim())?;
            Some((
                format!("payment:{month}"),
                "month",
                format!("{month} 的月度发放（执行或锁定）"),
            ))
        }
        "ledger.import" => Some(("ledger.import".into(), "path", "台账导入".into())),
        _ => None,
    }
}

fn refusal(field: &str, what: &str, h: &Holder) -> CmdError {
    CmdError::conflict(
        field,
        format!(
            "{what}正由{}办理中（{} 开始），请等其完成后再试",
            h.name, h.started_at
        ),
    )
}

/// Claim the job `name` with `input` would run, if it is an exclusive one; refused (code
/// `conflict`, field `month` or `path`) when another session is running it.
pub(crate) fn claim(s: &mut Session, name: &str, input: &Value) -> CmdResult<Option<Claim>> {
    let Some((job, field, what)) = job_of(name, input) else {
        return Ok(None);
    };
    // Without a user the command itself refuses; nothing to claim for it.
    let Some(user_id) = s.user.as_ref().map(|u| u.id) else {
        return Ok(None);
    };
    let at = s.now_text();
    if let Some(h) = claims::holder(&s.conn, &job)? {
        if !db::try_begin_now(&s.conn)? {
            return Err(refusal(field, &what, &h));
        }
        // Nobody holds the lock: the claim was left behind. Take it over.
        let put = claims::put(&s.conn, &job, user_id, &at);
        db::end_command(&s.conn)?;
        put?;
    } else {
        db::with_tx(&mut s.conn, |tx| match claims::holder(tx, &job)? {
            // Claimed between the look and the lock: that session runs it.
            Some(h) => Err(refusal(field, &what, &h)),
            None => claims::put(tx, &job, user_id, &at),
        })?;
    }
    Ok(Some(Claim { job, user_id, at }))
}

/// Give the claim back. A failure here is not the job's: the claim, holding no lock, is taken
/// over by the next claimant.
pub(crate) fn release(s: &mut Session, c: Claim) {
    let _ = db::with_tx(&mut s.conn, |tx| {
        claims::release(tx, &c.job, c.user_id, &c.at)
    });
}
