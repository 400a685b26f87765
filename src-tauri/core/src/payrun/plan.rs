//! The plan of a month's run: every payment due in the month and not yet paid, from inputs the
//! command loaded in bulk. The payment table's UNIQUE key decides at insert what is new.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::types::{Adjustment, DatedAmounts, DueStage, Grant, PayableCase, Payee, Payment};
use crate::error::CmdResult;
use crate::month::{shift_text, Month};
use crate::rules::{self, Area, StandardRow, Standards};

use super::back_pay::{free_from, Held, Hold};
use super::grants::{grant_amount, parse_grant, BatchGrant};
use super::{kind_label, PaymentKind};

/// An adjustment recorded for the month, with its case and household as they are now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdjustmentDue {
    pub adjustment: Adjustment,
    pub case_id: i64,
    pub programme: String,
    pub number: String,
    pub pay_from: Option<String>,
    pub payee: Payee,
}

/// A failed payment of an earlier month not yet re-sent, with its household as it is now
/// (`None` when the household is gone: the payment's own copy is used).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resend {
    pub failed: Payment,
    pub payee_now: Option<Payee>,
}

/// Everything a run of `month` plans from, loaded by the command in one step.
#[derive(Debug, Clone, Default)]
pub struct PlanInput {
    /// The month run, `YYYY-MM`.
    pub month: String,
    /// The earliest month this run may pay for: the first month run in this system.
    pub since: String,
    /// The county's standards (every dated row); each month paid uses those of its time.
    pub standards: Vec<StandardRow>,
    /// 低保/特困 cases paying from `month` or before and not stopped before `since`.
    pub cases: Vec<PayableCase>,
    /// Each case's dated amounts, in (from_month, id) order.
    pub amounts: HashMap<i64, DatedAmounts>,
    /// The batch grants recorded for `month`, as stored.
    pub grants: Vec<Grant>,
    pub temp_aid: Vec<DueStage>,
    pub deliberation: Vec<DueStage>,
    pub adjustments: Vec<AdjustmentDue>,
    pub resends: Vec<Resend>,
    /// Back pay held by earlier runs and not yet paid, by case.
    pub holds: HashMap<i64, Vec<Hold>>,
}

fn area_of(code: &str) -> Area {
    Area::from_code(code).unwrap_or(Area::Rural)
}

/// The monthly standard a case's amount rests on, for the roster's 保障标准 column.
fn standard_fen(st: &Standards, programme: &str, area: Area) -> Option<i64> {
    let dibao = st.money("dibao.standard", Some(area)).ok()?.value;
    if programme != "tekun" {
        return Some(dibao);
    }
    match st.choice("tekun.basic.mode", None).ok()?.value.as_str() {
        "amount" => Some(st.money("tekun.basic.amount", Some(area)).ok()?.value),
        _ => {
            let r = st.ratio("tekun.basic.ratio", None).ok()?.value;
            Some(rules::money::round_fen(rules::money::yuan(dibao) * r))
        }
    }
}

/// The amount in force for `month` from a case's dated amounts: (amount, persons).
fn amount_for(amounts: &[(String, i64, i64)], month: &str) -> Option<(i64, i64)> {
    amounts
        .iter()
        .rev()
        .find(|(from, _, _)| from.as_str() <= month)
        .map(|(_, a, p)| (*a, *p))
}

fn case_payment(c: &PayableCase, month: &str, for_month: &str, kind: PaymentKind) -> Payment {
    Payment {
        month: month.to_owned(),
        for_month: for_month.to_owned(),
        kind: kind.code().to_owned(),
        case_id: Some(c.id),
        payee: c.payee.clone(),
        programme: c.programme.clone(),
        payee_name: c.payee.head_name.clone(),
        payee_id_number: c.payee.head_id_number.clone(),
        certificate: c.number.clone(),
        start_month: Some(c.pay_from.clone()),
        ..Payment::default()
    }
}

fn stage_payment(d: &DueStage, month: &str, kind: PaymentKind) -> Payment {
    let kind = kind.code();
    Payment {
        month: month.to_owned(),
        for_month: month.to_owned(),
        kind: kind.to_owned(),
        source_kind: kind.to_owned(),
        source_id: d.source_id,
        payee: d.payee.clone(),
        programme: kind.to_owned(),
        persons: d.payee.members,
        amount_fen: d.amount_fen,
        payee_name: d.payee.head_name.clone(),
        payee_id_number: d.payee.head_id_number.clone(),
        certificate: d.number.clone(),
        ..Payment::default()
    }
}

/// The payment of an adjustment, paid in the month it is recorded for.
pub fn adjustment_payment(a: &AdjustmentDue) -> Payment {
    let payee = a.payee.clone();
    Payment {
        month: a.adjustment.month.clone(),
        for_month: a.adjustment.month.clone(),
        kind: PaymentKind::Adjustment.code().into(),
        source_kind: "adjustment".into(),
        source_id: a.adjustment.id,
        case_id: Some(a.case_id),
        programme: a.programme.clone(),
        persons: payee.members,
        amount_fen: a.adjustment.amount_fen,
        payee_name: payee.head_name.clone(),
        payee_id_number: payee.head_id_number.clone(),
        payee,
        certificate: a.number.clone(),
        start_month: a.pay_from.clone(),
        note: a.adjustment.reason.clone(),
        ..Payment::default()
    }
}

/// A failed payment re-sent this month, to the account the household has now: the failure is
/// often a closed account.
fn resend_payment(r: &Resend, month: &str) -> Payment {
    let f = &r.failed;
    let payee = r.payee_now.clone().unwrap_or(f.payee.clone());
    Payment {
        id: 0,
        month: month.to_owned(),
        kind: PaymentKind::Resend.code().into(),
        source_kind: "payment".into(),
        source_id: f.id,
        payee_name: payee.head_name.clone(),
        payee_id_number: payee.head_id_number.clone(),
        payee,
        note: if f.status == "held" {
            format!(
                "暂缓后补发 {} 的{}（暂缓原因：{}）",
                f.month,
                kind_label(&f.kind),
                f.failure_reason.clone().unwrap_or_default()
            )
        } else {
            format!(
                "重发 {} 发放失败的{}：{}",
                f.month,
                kind_label(&f.kind),
                f.failure_reason.clone().unwrap_or_default()
            )
        },
        status: String::new(),
        failure_reason: None,
        ..f.clone()
    }
}

/// Everything due in the month: see [`plan_with_holds`]; the back pay it holds is left out.
pub fn plan(input: &PlanInput) -> CmdResult<Vec<Payment>> {
    plan_with_holds(input).map(|(paid, _)| paid)
}

/// Everything due in the month: for each case its months from `pay_from` (or the month after
/// the last paid, or `since`) to the month or its `pay_until` (regular for the month itself,
/// back pay before), the batch grants for cases paid this month, the stages due, adjustments and
/// re-sends, in that order; and the back pay held (months before the case's
/// [`free_from`] not confirmed, including those held by earlier runs), which is not paid. Back
/// pay held earlier and since confirmed is paid, its note saying who confirmed it and why.
/// Errors: a grant whose parameters or standards fail (`kind`, `cpi_rise`, `food_rise`, `for`,
/// `standards`).
pub fn plan_with_holds(input: &PlanInput) -> CmdResult<(Vec<Payment>, Vec<Held>)> {
    let month = input.month.as_str();
    let since = input.since.as_str();
    let mut standards: HashMap<String, Standards> = HashMap::new();
    let mut st_of = |m: &str| -> Standards {
        standards
            .entry(m.to_owned())
            .or_insert_with(|| {
                let day = Month::parse(m).map_or(NaiveDate::MIN, Month::first_day);
                Standards::as_of(&input.standards, day)
            })
            .clone()
    };
    let st_month = st_of(month);
    let grants: Vec<BatchGrant> = input
        .grants
        .iter()
        .map(|g| {
            parse_grant(
                &g.kind,
                &serde_json::from_str(&g.params).unwrap_or(serde_json::Value::Null),
            )
        })
        .collect::<CmdResult<_>>()?;
    let mut out = Vec::new();
    let mut held = Vec::new();
    let mut standard_cache: HashMap<(String, String, String), Option<i64>> = HashMap::new();
    for c in &input.cases {
        let Some(list) = input.amounts.get(&c.id) else {
            continue;
        };
        let area = area_of(&c.payee.urban_rural);
        let until = c
            .pay_until
            .as_deref()
            .map_or(month, |u| u.min(month))
            .to_owned();
        let mut m = c.pay_from.clone().max(since.to_owned());
        if let Some(done) = &c.paid_through {
            m = m.max(shift_text(done, 1));
        }
        let holds = input.holds.get(&c.id).map_or(&[][..], Vec::as_slice);
        let limit = free_from(c.approved_at.as_deref(), &input.standards).map(|f| f.to_string());
        // Months held by earlier runs come first (the payments since moved `paid_through` on).
        let earlier: Vec<String> = holds
            .iter()
            .filter(|h| h.for_month < m)
            .map(|h| h.for_month.clone())
            .collect();
        let months = earlier.into_iter().chain(std::iter::from_fn(|| {
            let this = m.clone();
            m = shift_text(&m, 1);
            (this <= until).then_some(this)
        }));
        for m in months {
            if let Some((amount, persons)) = amount_for(list, &m).filter(|(a, _)| *a > 0) {
                let kind = if m == month {
                    PaymentKind::Regular
                } else {
                    PaymentKind::BackPay
                };
                let hold = holds.iter().find(|h| h.for_month == m);
                let confirmed = hold.and_then(|h| h.confirmed.clone());
                let beyond = limit.as_deref().is_some_and(|f| m.as_str() < f);
                if kind == PaymentKind::BackPay && (beyond || hold.is_some()) && confirmed.is_none()
                {
                    held.push(Held {
                        case_id: c.id,
                        for_month: m.clone(),
                        amount_fen: amount,
                        payee: c.payee.clone(),
                        pay_from: c.pay_from.clone(),
                        entered: c.approved_at.clone().unwrap_or_default(),
                        free_from: limit.clone().unwrap_or_default(),
                    });
                    continue;
                }
                let key = (m.clone(), c.programme.clone(), c.payee.urban_rural.clone());
                let standard = *standard_cache
                    .entry(key)
                    .or_insert_with(|| standard_fen(&st_of(&m), &c.programme, area));
                let mut p = case_payment(c, month, &m, kind);
                p.source_kind = "case".into();
                p.source_id = c.id;
                p.persons = persons;
                p.amount_fen = amount;
                p.standard_fen = standard;
                if let Some(note) = confirmed {
                    p.note = format!("补发经确认（{note}）");
                }
                out.push(p);
            }
        }
        // Batch grants go to every case paid for this month.
        let in_month = c.pay_until.as_deref().is_none_or(|u| u >= month);
        if let (true, Some((amount, persons))) = (in_month, amount_for(list, month)) {
            if amount <= 0 {
                continue;
            }
            for g in &grants {
                let fen = grant_amount(g, &st_month, &c.programme, area, persons as u32)?;
                if fen > 0 {
                    let mut p = case_payment(c, month, month, g.kind());
                    p.source_kind = "grant".into();
                    p.source_id = c.id;
                    p.persons = persons;
                    p.amount_fen = fen;
                    p.standard_fen = standard_fen(&st_month, &c.programme, area);
                    out.push(p);
                }
            }
        }
    }
    for d in &input.temp_aid {
        out.push(stage_payment(d, month, PaymentKind::TempAid));
    }
    for d in &input.deliberation {
        out.push(stage_payment(d, month, PaymentKind::Deliberation));
    }
    for a in &input.adjustments {
        out.push(adjustment_payment(a));
    }
    for r in &input.resends {
        out.push(resend_payment(r, month));
    }
    Ok((out, held))
}
