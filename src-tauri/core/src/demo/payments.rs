//! The demo county's payment history: the eleven months before this one run, reviewed and locked
//! by the county approver through the command layer, with a 价格临时补贴 in one of them, so the
//! month page, the statistics and their twelve-month chart have something to show. This month is
//! left for the user to run.

use crate::month::month_text;
use chrono::{Datelike, Months, NaiveDate};
use serde_json::json;

use crate::commands::Session;
use crate::error::CmdResult;

pub(crate) const HISTORY_MONTHS: u32 = 11;

pub(super) fn history(s: &mut Session, today: NaiveDate) -> CmdResult<()> {
    let this = today.with_day(1).unwrap_or(today);
    crate::call(
        s,
        "auth.sign_in",
        json!({"username": "spr", "password": super::PASSWORD}),
    )?;
    for back in (1..=HISTORY_MONTHS).rev() {
        let Some(first) = this.checked_sub_months(Months::new(back)) else {
            continue;
        };
        let month = month_text(first);
        // The county's price index rose past the trigger five months ago.
        if back == 5 {
            crate::call(
                s,
                "payment.batch_grant",
                json!({"month": month, "kind": "price_subsidy", "cpi_rise": "3.6"}),
            )?;
        }
        crate::call(s, "payment.run", json!({"month": month}))?;
        crate::call(s, "payment.review", json!({"month": month}))?;
        crate::call(s, "payment.lock", json!({"month": month}))?;
    }
    crate::call(s, "auth.sign_out", serde_json::Value::Null)?;
    Ok(())
}
