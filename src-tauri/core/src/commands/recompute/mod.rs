//! 调标: `recompute.preview` (which open 低保/特困 cases a standard change reaches from a month,
//! old and new amounts, reasons, the back pay of months already paid), `recompute.submit` (the
//! list frozen as a pending batch), `recompute.confirm` (a second county approver: each case
//! gets its new dated amount and a 调标 step; the back pay of months already paid becomes one
//! 「调标补发」 adjustment per case, paid by the next run), `recompute.cancel`, `recompute.list`.
//! The decisions are `crate::recompute`'s.

use std::collections::{BTreeMap, HashMap};

use rusqlite::Connection;
use serde::Deserialize;
use serde_json::{json, Value};

use super::benefits::trail_json;
use super::standards::engine_rows;
use super::{input, Session, Stamp};
use crate::auth::Role;
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::month::{shift_text, Month};
use crate::programme::Programme;
use crate::recompute::{self, back_pay, back_pay_note, Change, Dated, Recompute};
use crate::rules::money::{fmt_yuan, yuan_text};
use crate::store::cases::{Amount, Step};
use crate::store::payments::{self as store_pay, Adjustment};
use crate::store::recompute::{self as store_rc, Batch, Item};
use crate::store::{self};
use crate::workflow::CaseState;

mod reply;
use reply::{batch_reply, change_row, state_label, MonthBackPay, SkippedRow};
pub(crate) use reply::{BatchReply, ListReply, PreviewReply};

/// County roles that see amounts.
const READERS: [Role; 2] = [Role::Approver, Role::Admin];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PreviewIn {
    from_month: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SubmitIn {
    from_month: String,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DecideIn {
    batch_id: i64,
    #[serde(default)]
    note: String,
}

/// Everything a preview or a submission decides from, and the result.
struct Computed {
    from: Month,
    result: Recompute,
    townships: HashMap<i64, String>,
    /// Per changed case: its months of back pay.
    back: HashMap<i64, Vec<(Month, i64)>>,
}

fn compute(s: &Session, from: Month) -> CmdResult<Computed> {
    let (cases, townships) = store_rc::open_cases(&s.conn, from)?;
    let amounts: HashMap<i64, Vec<Dated>> = cases
        .iter()
        .map(|c| (c.case_id, c.amounts.clone()))
        .collect();
    let result = recompute::recompute(&engine_rows(&s.conn)?, from, cases)?;
    let paid = store_rc::paid_months(&s.conn, &from.to_string())?;
    let back = result
        .changes
        .iter()
        .map(|c| {
            let months: Vec<Month> = (paid.get(&c.case_id).into_iter().flatten())
                .filter_map(|m| Month::parse(m))
                .collect();
            let list = amounts.get(&c.case_id).map_or(&[][..], Vec::as_slice);
            (c.case_id, back_pay(c, list, &months))
        })
        .collect();
    Ok(Computed {
        from,
        result,
        townships,
        back,
    })
}

fn monthly_change(r: &Recompute) -> i64 {
    r.changes.iter().map(|c| c.new_fen - c.old_fen).sum()
}

fn back_total(back: &HashMap<i64, Vec<(Month, i64)>>) -> i64 {
    back.values().flatten().map(|(_, f)| f).sum()
}

pub(crate) fn preview(s: &mut Session, v: Value) -> CmdResult<PreviewReply> {
    s.require(&READERS, "预览调标")?;
    let i: PreviewIn = input(v)?;
    let from = Month::parse_field("from_month", &i.from_month)?;
    let c = compute(s, from)?;
    let mut by_month: BTreeMap<Month, i64> = BTreeMap::new();
    for (m, fen) in c.back.values().flatten() {
        *by_month.entry(*m).or_default() += fen;
    }
    let total = back_total(&c.back);
    let warning = (total > 0).then(|| {
        format!(
            "起始月份早于已发放月份，将产生补发 {} 元（确认后由下一次月度发放作为「调标补发」支付）",
            fmt_yuan(total)
        )
    });
    let r = &c.result;
    Ok(PreviewReply {
        from_month: from.to_string(),
        changes: (r.changes.iter())
            .map(|x| change_row(x, c.townships.get(&x.case_id).map_or("", String::as_str)))
            .collect(),
        count: r.changes.len(),
        unchanged: r.unchanged,
        skipped: (r.skipped.iter())
            .map(|x| SkippedRow {
                case_id: x.case_id,
                number: x.number.clone(),
                head_name: x.head_name.clone(),
                why: x.why.clone(),
            })
            .collect(),
        monthly_change: yuan_text(monthly_change(r)),
        back_pay: (by_month.into_iter())
            .map(|(m, f)| MonthBackPay {
                month: m.to_string(),
                amount: yuan_text(f),
            })
            .collect(),
        back_pay_total: yuan_text(total),
        warning,
        pending_batch_id: store_rc::pending_for(&s.conn, &from.to_string())?,
    })
}

fn load_batch(s: &Session, id: i64) -> CmdResult<Batch> {
    store_rc::batch(&s.conn, id)?
        .ok_or_else(|| CmdError::invalid("batch_id", format!("调标批次 {id} 不存在")))
}

fn pending(b: &Batch) -> CmdResult<()> {
    if b.state != "pending" {
        return Err(CmdError::conflict(
            "batch_id",
            format!(
                "调标批次 {} {}，不能再确认或取消",
                b.id,
                state_label(&b.state)
            ),
        ));
    }
    Ok(())
}

/// Another user confirmed or cancelled the batch between loading it and writing.
fn decided_meanwhile(id: i64) -> CmdError {
    CmdError::conflict(
        "batch_id",
        format!("调标批次 {id} 刚由其他用户确认或取消，请刷新后查看"),
    )
}

pub(crate) fn submit(s: &mut Session, v: Value) -> CmdResult<BatchReply> {
    let user = s
        .require(&[Role::Approver, Role::Admin], "提交调标")?
        .clone();
    let i: SubmitIn = input(v)?;
    let from = Month::parse_field("from_month", &i.from_month)?;
    let reason = i.reason.trim().to_owned();
    if reason.is_empty() {
        return Err(CmdError::invalid(
            "reason",
            "请写明调标原因（如：县政府文件调整城市低保标准）",
        ));
    }
    if let Some(id) = store_rc::pending_for(&s.conn, &from.to_string())? {
        return Err(CmdError::conflict(
            "from_month",
            format!("{from} 起的调标批次 {id} 尚待确认：请先确认或取消该批次"),
        ));
    }
    let c = compute(s, from)?;
    if c.result.changes.is_empty() {
        return Err(CmdError::invalid(
            "from_month",
            format!("按 {from} 起执行的标准，没有案件的金额需要调整"),
        ));
    }
    let steps = store_rc::last_steps(&s.conn)?;
    let items: Vec<Item> = (c.result.changes.iter())
        .map(|x| Item {
            case_id: x.case_id,
            number: x.number.clone(),
            programme: x.programme.code().to_owned(),
            head_name: x.head_name.clone(),
            township_name: c.townships.get(&x.case_id).cloned().unwrap_or_default(),
            from_month: x.from.to_string(),
            old_fen: x.old_fen,
            new_fen: x.new_fen,
            persons: x.persons,
            reason: x.reasons.join("；"),
            trail: trail_json(&x.trail).to_string(),
            last_step_id: steps.get(&x.case_id).copied().unwrap_or(0),
            ..Item::default()
        })
        .collect();
    let stamp = Stamp::of(s)?;
    let batch = Batch {
        from_month: c.from.to_string(),
        reason: reason.clone(),
        submitted_by: user.id,
        submitted_at: stamp.at.clone(),
        monthly_change_fen: monthly_change(&c.result),
        back_pay_fen: back_total(&c.back),
        ..Batch::default()
    };
    let id = with_tx(&mut s.conn, |tx| {
        let id = store_rc::add_batch(tx, &batch, &items)?;
        let after = json!({"from_month": batch.from_month, "reason": reason, "cases": items.len(), "monthly_change": yuan_text(batch.monthly_change_fen), "back_pay": yuan_text(batch.back_pay_fen)});
        stamp.record(
            tx,
            "recompute.submit",
            "recompute_batch",
            Some(id),
            None,
            Some(&after),
        )?;
        Ok(id)
    })?;
    batch_reply(s, load_batch(s, id)?)
}

/// What confirming writes for one case: its step and amount, and its back pay.
struct Apply {
    item: Item,
    state: String,
    back: Vec<(Month, i64)>,
}

/// Which items of `b` take their new amount and the back pay of each, read inside the
/// confirmation's transaction so that no step slips in between the check and the write.
fn plan_confirm(
    conn: &Connection,
    b: &Batch,
) -> CmdResult<(Vec<Apply>, Vec<(Item, &'static str)>)> {
    let steps = store_rc::last_steps(conn)?;
    let paid = store_rc::paid_months(conn, &b.from_month)?;
    let mut applied = Vec::new();
    let mut skipped = Vec::new();
    for item in store_rc::items(conn, b.id)? {
        let state = store::cases::get(conn, item.case_id)?
            .map(|c| c.state)
            .unwrap_or_default();
        let enrolled = state == CaseState::Enrolled.as_str();
        let last = steps.get(&item.case_id).copied();
        let from = Month::parse(&item.from_month);
        let why = recompute::still_as_submitted(item.last_step_id, last, enrolled);
        let (None, Some(from)) = (why, from) else {
            skipped.push((item, why.unwrap_or("起始月份无法识别，未调整")));
            continue;
        };
        let amounts: Vec<Dated> = (store::cases::amounts(conn, item.case_id)?.into_iter())
            .filter_map(|a| {
                Some(Dated {
                    from: Month::parse(&a.from_month)?,
                    amount_fen: a.amount_fen,
                    persons: a.persons,
                })
            })
            .collect();
        let months: Vec<Month> = (paid.get(&item.case_id).into_iter().flatten())
            .filter_map(|m| Month::parse(m))
            .collect();
        let change = Change {
            case_id: item.case_id,
            number: item.number.clone(),
            programme: Programme::from_code(&item.programme).unwrap_or(Programme::Dibao),
            head_name: item.head_name.clone(),
            township_id: 0,
            from,
            old_fen: item.old_fen,
            new_fen: item.new_fen,
            persons: item.persons,
            reasons: vec![],
            trail: Default::default(),
        };
        let back = back_pay(&change, &amounts, &months);
        applied.push(Apply { item, state, back });
    }
    Ok((applied, skipped))
}

pub(crate) fn confirm(s: &mut Session, v: Value) -> CmdResult<BatchReply> {
    let user = s.require(&[Role::Approver], "确认调标")?.clone();
    let i: DecideIn = input(v)?;
    let b = load_batch(s, i.batch_id)?;
    pending(&b)?;
    recompute::check_confirmer(b.submitted_by, user.id)?;
    let stamp = Stamp::of(s)?;
    let note = i.note.trim().to_owned();
    with_tx(&mut s.conn, |tx| {
        let (applied, skipped) = plan_confirm(tx, &b)?;
        // The back pay is paid by the month after the last one run (never a month already run).
        let pay_in = store_rc::last_run_month(tx)?.map(|m| shift_text(&m, 1));
        let back_fen: i64 = applied.iter().flat_map(|a| &a.back).map(|(_, f)| f).sum();
        for a in &applied {
            let it = &a.item;
            let data = json!({"batch_id": b.id, "from_month": it.from_month, "old_amount": yuan_text(it.old_fen), "amount": yuan_text(it.new_fen), "summary": it.reason, "submitted_by": b.submitted_by_name});
            let step_id = store::cases::add_step(
                tx,
                &Step {
                    id: 0,
                    case_id: it.case_id,
                    action: "recompute".into(),
                    from_state: a.state.clone(),
                    to_state: a.state.clone(),
                    user_id: user.id,
                    at: stamp.at.clone(),
                    data: data.to_string(),
                },
            )?;
            store::cases::add_amount(
                tx,
                &Amount {
                    case_id: it.case_id,
                    from_month: it.from_month.clone(),
                    amount_fen: it.new_fen,
                    persons: it.persons,
                    trail: it.trail.clone(),
                    step_id,
                },
            )?;
            if let (Some(month), false) = (&pay_in, a.back.is_empty()) {
                let why = format!("调标批次 {}：{}", b.id, it.reason);
                store_pay::add_adjustment(
                    tx,
                    &Adjustment {
                        id: 0,
                        case_id: it.case_id,
                        month: month.clone(),
                        amount_fen: a.back.iter().map(|(_, f)| f).sum(),
                        reason: back_pay_note(&a.back, &why),
                    },
                    user.id,
                    &stamp.at,
                )?;
            }
            store_rc::set_outcome(tx, it.id, "已调整")?;
        }
        for (it, why) in &skipped {
            store_rc::set_outcome(tx, it.id, why)?;
        }
        let mine = (user.id, stamp.at.as_str(), note.as_str());
        if !store_rc::decide(tx, b.id, "confirmed", mine, Some(back_fen))? {
            return Err(decided_meanwhile(b.id));
        }
        let after = json!({"from_month": b.from_month, "cases": applied.len(), "skipped": skipped.iter().map(|(it, why)| json!({"case_id": it.case_id, "why": why})).collect::<Vec<_>>(), "monthly_change": yuan_text(applied.iter().map(|a| a.item.new_fen - a.item.old_fen).sum()), "back_pay": yuan_text(back_fen), "back_pay_in": pay_in, "note": note});
        stamp.record(
            tx,
            "recompute.confirm",
            "recompute_batch",
            Some(b.id),
            Some(&json!({"state": "pending"})),
            Some(&after),
        )
    })?;
    batch_reply(s, load_batch(s, b.id)?)
}

pub(crate) fn cancel(s: &mut Session, v: Value) -> CmdResult<BatchReply> {
    let user = s
        .require(&[Role::Approver, Role::Admin], "取消调标")?
        .clone();
    let i: DecideIn = input(v)?;
    let b = load_batch(s, i.batch_id)?;
    pending(&b)?;
    let stamp = Stamp::of(s)?;
    let note = i.note.trim().to_owned();
    with_tx(&mut s.conn, |tx| {
        if !store_rc::decide(tx, b.id, "cancelled", (user.id, &stamp.at, &note), None)? {
            return Err(decided_meanwhile(b.id));
        }
        stamp.record(
            tx,
            "recompute.cancel",
            "recompute_batch",
            Some(b.id),
            Some(&json!({"state": "pending"})),
            Some(&json!({"state": "cancelled", "note": note})),
        )
    })?;
    batch_reply(s, load_batch(s, b.id)?)
}

pub(crate) fn list(s: &mut Session, _: Value) -> CmdResult<ListReply> {
    s.require(&READERS, "查看调标批次")?;
    let batches = store_rc::batches(&s.conn)?
        .into_iter()
        .map(|b| batch_reply(s, b))
        .collect::<CmdResult<_>>()?;
    Ok(ListReply { batches })
}
