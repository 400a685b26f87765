//! What-if: "raise the rural 低保 standard from 660 to 700 from 2023-01-01" — which households'
//! 低保 amount changes for a month, by how much, and the monthly and annual budget change.
//! Nothing is stored; the table can be written as .xlsx (or returned as bytes, `deliver: "bytes"`).
//!
//! Until cases exist (the workflow), the caseload is every household with open members.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::benefits::{caseload, month_start};
use super::files::{Deliver, Dest};
use super::standards::{engine_rows, typed_row};
use super::{input, Session};
use crate::auth::Role;
use crate::error::{CmdError, CmdResult};
use crate::files::FileBytes;
use crate::rules;
use crate::rules::money::yuan_text;
use crate::what_if::{self, write_xlsx};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WhatIfIn {
    key: String,
    scope: String,
    value: String,
    effective_from: NaiveDate,
    month: String,
    /// Write the whole table to this .xlsx file too.
    xlsx: Option<String>,
    /// `"bytes"`: return the whole table's .xlsx in the reply's `file` instead.
    deliver: Option<Deliver>,
    /// How many changed households to return (all go to the xlsx); default 500.
    limit: Option<usize>,
}

/// One changed household as the reply shows it.
#[derive(Serialize, JsonSchema)]
pub(crate) struct ChangeReply {
    household_id: i64,
    head_name: String,
    township_name: String,
    village_name: String,
    old: String,
    new: String,
    change: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct WhatIfReply {
    standard: String,
    month: String,
    /// The first `limit` changed households.
    households: Vec<ChangeReply>,
    count: usize,
    failed: usize,
    monthly_change: String,
    annual_change: String,
    /// The .xlsx written, if asked for.
    xlsx: Option<String>,
    /// The .xlsx itself, with `deliver: "bytes"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<FileBytes>,
}

pub(crate) fn what_if(s: &mut Session, v: Value) -> CmdResult<WhatIfReply> {
    s.require(&[Role::Approver, Role::Admin], "做政策测算")?;
    let i: WhatIfIn = input(v)?;
    let dest = Dest::optional("xlsx", i.xlsx.as_deref(), i.deliver)?;
    let changed = typed_row("", &i.key, &i.scope, i.effective_from, &i.value)?;
    let month = month_start("month", &i.month)?;
    if i.effective_from > month {
        return Err(CmdError::invalid(
            "month",
            format!(
                "测算月份 {} 早于新标准生效日期 {}，新标准在该月不起作用",
                &i.month, i.effective_from
            ),
        ));
    }
    let label = rules::key_def(&changed.key)
        .map(|d| d.scoped_label(changed.scope))
        .unwrap_or_default();
    let (list, failed) = what_if::changes(
        &engine_rows(&s.conn)?,
        changed,
        month,
        caseload(&s.conn, month)?,
    )?;
    let monthly: i64 = list.iter().map(|c| c.new_fen - c.old_fen).sum();
    let saved = match dest {
        Some(dest) => {
            let name = format!("政策测算-{}.xlsx", i.month);
            Some(
                dest.make(&name, |p| write_xlsx(p, &label, &i.value, &i.month, &list))?
                    .1,
            )
        }
        None => None,
    };
    let (xlsx, file) = match saved {
        Some(s) => (s.path, s.file),
        None => (None, None),
    };
    let households = list
        .iter()
        .take(i.limit.unwrap_or(500))
        .map(|c| ChangeReply {
            household_id: c.household_id,
            head_name: c.head_name.clone(),
            township_name: c.township_name.clone(),
            village_name: c.village_name.clone(),
            old: yuan_text(c.old_fen),
            new: yuan_text(c.new_fen),
            change: yuan_text(c.new_fen - c.old_fen),
        })
        .collect();
    Ok(WhatIfReply {
        standard: label,
        month: i.month,
        households,
        count: list.len(),
        failed,
        monthly_change: yuan_text(monthly),
        annual_change: yuan_text(monthly * 12),
        xlsx,
        file,
    })
}
