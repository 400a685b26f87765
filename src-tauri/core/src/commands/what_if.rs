//! What-if (政策测算): "raise the rural 低保 standard from 660 to 700 from 2023-01-01" — for a
//! month, what every open 低保/特困 case is paid now (its amount in force) against what it would
//! be paid under the proposed standards, the households without an open case whom the proposal
//! would newly qualify, and the totals by programme and township. Nothing is stored; the tables
//! can be written as .xlsx (or returned as bytes, `deliver: "bytes"`). The decisions are
//! `crate::what_if`'s.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::benefits::month_start;
use super::files::{Deliver, Dest};
use super::standards::{engine_rows, typed_row};
use super::{input, Session};
use crate::auth::Role;
use crate::error::{CmdError, CmdResult};
use crate::files::FileBytes;
use crate::month::Month;
use crate::rules::money::yuan_text;
use crate::rules::{self, Standards};
use crate::store::recompute::caseload;
use crate::store::registry::Household;
use crate::what_if::{self, write_xlsx, Candidate, CaseLine, Newly, Place, Sheets, Total};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WhatIfIn {
    key: String,
    scope: String,
    value: String,
    effective_from: NaiveDate,
    month: String,
    /// Write the whole tables to this .xlsx file too.
    xlsx: Option<String>,
    /// `"bytes"`: return the whole tables' .xlsx in the reply's `file` instead.
    deliver: Option<Deliver>,
    /// How many changed cases and newly qualifying households to return (all go to the xlsx);
    /// default 500 each.
    limit: Option<usize>,
}

/// An open case whose amount would change.
#[derive(Serialize, JsonSchema)]
pub(crate) struct CaseReply {
    case_id: i64,
    number: String,
    programme: String,
    programme_label: String,
    household_id: i64,
    head_name: String,
    township_name: String,
    village_name: String,
    /// The amount in force in the month.
    paid_now: String,
    /// Under the proposed standards ("0.00": would no longer qualify).
    proposed: String,
    change: String,
    reasons: Vec<String>,
}

/// A household without an open case whom the proposal would qualify.
#[derive(Serialize, JsonSchema)]
pub(crate) struct NewlyReply {
    household_id: i64,
    head_name: String,
    township_name: String,
    village_name: String,
    programme: String,
    /// 低保, 单人保 or 特困.
    form: String,
    persons: u32,
    amount: String,
    /// The number of its 低保/特困 application in progress, if any.
    pending_case: Option<String>,
    reasons: Vec<String>,
}

/// An open case not counted, and why.
#[derive(Serialize, JsonSchema)]
pub(crate) struct LeftReply {
    case_id: i64,
    number: String,
    head_name: String,
    why: String,
}

/// Totals of a programme in a township (`township_name` 全县: the programme's county total;
/// `programme` null: everything).
#[derive(Serialize, JsonSchema)]
pub(crate) struct TotalReply {
    programme: Option<String>,
    programme_label: String,
    township_name: String,
    cases: usize,
    changed: usize,
    paid_now: String,
    proposed: String,
    change: String,
    newly: usize,
    newly_amount: String,
    /// The change of the enrolled cases plus the newly qualifying, a month.
    monthly_change: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct WhatIfReply {
    standard: String,
    month: String,
    /// The open cases whose amount would change (the first `limit`).
    cases: Vec<CaseReply>,
    /// How many: open cases counted, whose amount would change, in their 渐退期 (unchanged).
    enrolled: usize,
    count: usize,
    phasing_out: usize,
    /// Paid now and under the proposal to the open cases, a month, and the difference.
    paid_now: String,
    proposed: String,
    enrolled_change: String,
    /// Open cases not counted (not paid in the month, or facts the rules refuse).
    left_out: Vec<LeftReply>,
    /// Households without an open case whom the proposal would qualify (the first `limit`).
    newly: Vec<NewlyReply>,
    newly_count: usize,
    newly_amount: String,
    /// Households without an open case who qualify under the standards in force already.
    already_eligible: usize,
    /// Households without a case whose facts the rules refuse.
    failed: usize,
    totals: Vec<TotalReply>,
    /// `enrolled_change` + `newly_amount`, and twelve times that.
    monthly_change: String,
    annual_change: String,
    /// The .xlsx written, if asked for.
    xlsx: Option<String>,
    /// The .xlsx itself, with `deliver: "bytes"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<FileBytes>,
}

fn place(h: &Household) -> Place {
    Place {
        household_id: h.id,
        township_id: h.township_id,
        township_name: h.township_name.clone(),
        village_name: h.village_name.clone(),
    }
}

fn case_reply(c: &CaseLine) -> CaseReply {
    CaseReply {
        case_id: c.case_id,
        number: c.number.clone(),
        programme: c.programme.code().to_owned(),
        programme_label: c.programme.label().to_owned(),
        household_id: c.place.household_id,
        head_name: c.head_name.clone(),
        township_name: c.place.township_name.clone(),
        village_name: c.place.village_name.clone(),
        paid_now: yuan_text(c.now_fen),
        proposed: yuan_text(c.proposed_fen),
        change: yuan_text(c.proposed_fen - c.now_fen),
        reasons: c.reasons.clone(),
    }
}

fn newly_reply(n: &Newly) -> NewlyReply {
    NewlyReply {
        household_id: n.place.household_id,
        head_name: n.head_name.clone(),
        township_name: n.place.township_name.clone(),
        village_name: n.place.village_name.clone(),
        programme: n.programme.code().to_owned(),
        form: n.form.to_owned(),
        persons: n.persons,
        amount: yuan_text(n.amount_fen),
        pending_case: n.pending.clone(),
        reasons: n.reasons.clone(),
    }
}

fn total_reply(t: &Total) -> TotalReply {
    TotalReply {
        programme: t.programme.map(|p| p.code().to_owned()),
        programme_label: t.programme.map_or("合计", |p| p.label()).to_owned(),
        township_name: t.township_name.clone(),
        cases: t.cases,
        changed: t.changed,
        paid_now: yuan_text(t.now_fen),
        proposed: yuan_text(t.proposed_fen),
        change: yuan_text(t.proposed_fen - t.now_fen),
        newly: t.newly,
        newly_amount: yuan_text(t.newly_fen),
        monthly_change: yuan_text(t.proposed_fen - t.now_fen + t.newly_fen),
    }
}

pub(crate) fn what_if(s: &mut Session, v: Value) -> CmdResult<WhatIfReply> {
    s.require(&[Role::Approver, Role::Admin], "做政策测算")?;
    let i: WhatIfIn = input(v)?;
    let dest = Dest::optional("xlsx", i.xlsx.as_deref(), i.deliver)?;
    let changed = typed_row("", &i.key, &i.scope, i.effective_from, &i.value)?;
    let first = month_start("month", &i.month)?;
    let month = Month::of(first);
    if i.effective_from > first {
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
    // Load.
    let rows = engine_rows(&s.conn)?;
    let new_rows = what_if::proposed_rows(&rows, changed);
    let loaded = caseload(&s.conn, month)?;
    // Decide.
    let now = Standards::as_of(&rows, first);
    let proposed = Standards::as_of(&new_rows, first);
    let cases = (loaded.cases.into_iter())
        .map(|(c, h)| (c, place(&h)))
        .collect();
    let (lines, left) = what_if::enrolled(&now, &proposed, month, cases)?;
    let candidates = (loaded.others.into_iter())
        .map(|(h, household, pending)| Candidate {
            place: place(&h),
            household,
            pending,
        })
        .collect();
    let outside = what_if::newly(&now, &proposed, candidates)?;
    let totals = what_if::totals(&lines, &outside.newly);
    let changed: Vec<CaseLine> = lines.iter().filter(|l| l.changes()).cloned().collect();
    let sum = |f: fn(&CaseLine) -> i64| -> i64 { lines.iter().map(f).sum() };
    let (now_fen, proposed_fen) = (sum(|l| l.now_fen), sum(|l| l.proposed_fen));
    let newly_fen: i64 = outside.newly.iter().map(|n| n.amount_fen).sum();
    let monthly = proposed_fen - now_fen + newly_fen;
    // Write the file, if asked for.
    let saved = match dest {
        Some(dest) => {
            let sheets = Sheets {
                title: format!(
                    "政策测算：{label}自 {} 起调整为 {}，{} 月",
                    i.effective_from, i.value, i.month
                ),
                changed: &changed,
                left: &left,
                newly: &outside.newly,
                already: outside.already,
                totals: &totals,
                made_on: s.clock.today(),
            };
            let name = format!("政策测算-{}.xlsx", i.month);
            Some(dest.make(&name, |p| write_xlsx(p, &sheets))?.1)
        }
        None => None,
    };
    let (xlsx, file) = match saved {
        Some(s) => (s.path, s.file),
        None => (None, None),
    };
    let limit = i.limit.unwrap_or(500);
    Ok(WhatIfReply {
        standard: label,
        month: month.to_string(),
        cases: changed.iter().take(limit).map(case_reply).collect(),
        enrolled: lines.len(),
        count: changed.len(),
        phasing_out: lines.iter().filter(|l| l.phasing_out).count(),
        paid_now: yuan_text(now_fen),
        proposed: yuan_text(proposed_fen),
        enrolled_change: yuan_text(proposed_fen - now_fen),
        left_out: (left.iter())
            .map(|l| LeftReply {
                case_id: l.case_id,
                number: l.number.clone(),
                head_name: l.head_name.clone(),
                why: l.why.clone(),
            })
            .collect(),
        newly: outside.newly.iter().take(limit).map(newly_reply).collect(),
        newly_count: outside.newly.len(),
        newly_amount: yuan_text(newly_fen),
        already_eligible: outside.already,
        failed: outside.failed,
        totals: totals.iter().map(total_reply).collect(),
        monthly_change: yuan_text(monthly),
        annual_change: yuan_text(monthly * 12),
        xlsx,
        file,
    })
}
