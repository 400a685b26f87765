//! 乡镇备用金 at the command boundary: `reserve_fund.get` (balances and a township's ledger) and
//! `reserve_fund.top_up` / `reserve_fund.adjust` (county approver or administrator). Advances
//! are written by `temp_aid.act`.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{input, Session, Stamp};
use crate::auth::Role;
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::rules::money::yuan_text;
use crate::store::areas::Level;
use crate::store::reserve_fund::NewEntry;
use crate::store::{self};
use crate::workflow::temp::{self as wf, entry_kind_label, EntryKind};

const READ: &[Role] = &[
    Role::Caseworker,
    Role::Reviewer,
    Role::Approver,
    Role::Admin,
];
const WRITE: &[Role] = &[Role::Approver, Role::Admin];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GetIn {
    township_id: Option<i64>,
    limit: Option<i64>,
}

/// A township's balance.
#[derive(Serialize, JsonSchema)]
pub(crate) struct TownshipFund {
    township_id: i64,
    township_name: String,
    balance: String,
    entries: i64,
    last_entry_on: Option<NaiveDate>,
}

/// One line of a township's ledger.
#[derive(Serialize, JsonSchema)]
pub(crate) struct EntryReply {
    id: i64,
    kind: String,
    kind_label: &'static str,
    amount: String,
    entry_on: NaiveDate,
    reference: String,
    note: String,
    case_id: Option<i64>,
    case_number: Option<String>,
    recorded_by_name: String,
    recorded_at: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct FundReply {
    townships: Vec<TownshipFund>,
    /// The county's total.
    total: String,
    township_id: Option<i64>,
    entries: Vec<EntryReply>,
    can_top_up: bool,
}

/// The entry written and the township's balance after it.
#[derive(Serialize, JsonSchema)]
pub(crate) struct WrittenReply {
    id: i64,
    township_id: i64,
    balance: String,
}

pub(crate) fn get(s: &mut Session, v: Value) -> CmdResult<FundReply> {
    let i: GetIn = input(v)?;
    let user = s.require(READ, "查看乡镇备用金")?.clone();
    let own = user.role.works_in_township().then_some(user.area_id);
    if let (Some(own), Some(asked)) = (own, i.township_id) {
        if own != asked {
            return Err(CmdError::forbidden(
                "您只能查看本乡镇（街道）的备用金".to_owned(),
            ));
        }
    }
    let balances: Vec<_> = store::reserve_fund::balances(&s.conn)?
        .into_iter()
        .filter(|b| own.is_none_or(|t| t == b.township_id))
        .collect();
    let selected = own.or(i.township_id);
    if let Some(t) = selected {
        if !balances.iter().any(|b| b.township_id == t) {
            return Err(CmdError::invalid(
                "township_id",
                format!("没有编号为 {t} 的乡镇（街道）"),
            ));
        }
    }
    let entries = match selected {
        Some(t) => store::reserve_fund::entries(&s.conn, t, i.limit.unwrap_or(200))?
            .into_iter()
            .map(|e| EntryReply {
                kind_label: entry_kind_label(&e.kind),
                amount: yuan_text(e.amount_fen),
                id: e.id,
                kind: e.kind,
                entry_on: e.entry_on,
                reference: e.reference,
                note: e.note,
                case_id: e.case_id,
                case_number: e.case_number,
                recorded_by_name: e.recorded_by_name,
                recorded_at: e.recorded_at,
            })
            .collect(),
        None => vec![],
    };
    Ok(FundReply {
        total: yuan_text(balances.iter().map(|b| b.balance_fen).sum()),
        townships: balances
            .into_iter()
            .map(|b| TownshipFund {
                township_id: b.township_id,
                township_name: b.township_name,
                balance: yuan_text(b.balance_fen),
                entries: b.entries,
                last_entry_on: b.last_entry_on,
            })
            .collect(),
        township_id: selected,
        entries,
        can_top_up: WRITE.contains(&user.role),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TopUpIn {
    township_id: i64,
    amount: String,
    entry_on: Option<NaiveDate>,
    reference: String,
    note: Option<String>,
}

fn township(s: &Session, id: i64) -> CmdResult<store::areas::Area> {
    match store::areas::get(&s.conn, id)? {
        Some(a) if a.level == Level::Township => Ok(a),
        _ => Err(CmdError::invalid(
            "township_id",
            format!("没有编号为 {id} 的乡镇（街道）"),
        )),
    }
}

/// Write a line typed by the county (`recorded_by`, `recorded_at` are filled in here) with its
/// audit row; the reply carries the balance after it.
fn write_entry(s: &mut Session, command: &str, e: NewEntry<'_>) -> CmdResult<WrittenReply> {
    let user_id = s.user()?.id;
    let stamp = Stamp::of(s)?;
    let e = NewEntry {
        recorded_by: user_id,
        recorded_at: &stamp.at,
        ..e
    };
    let (id, balance) = with_tx(&mut s.conn, |tx| {
        let id = store::reserve_fund::insert_entry(tx, &e)?;
        let balance = store::reserve_fund::balance(tx, e.township_id)?;
        let after = json!({
            "township_id": e.township_id, "kind": e.kind, "amount": yuan_text(e.amount_fen),
            "entry_on": e.entry_on, "reference": e.reference, "note": e.note, "balance": yuan_text(balance),
        });
        stamp.record(
            tx,
            command,
            "reserve_fund_entry",
            Some(id),
            None,
            Some(&after),
        )?;
        Ok((id, balance))
    })?;
    Ok(WrittenReply {
        id,
        township_id: e.township_id,
        balance: yuan_text(balance),
    })
}

/// A line for `township_id`, not yet signed.
fn line<'a>(
    township_id: i64,
    kind: EntryKind,
    amount_fen: i64,
    entry_on: NaiveDate,
    reference: &'a str,
    note: &'a str,
) -> NewEntry<'a> {
    NewEntry {
        township_id,
        kind: kind.as_str(),
        amount_fen,
        entry_on,
        reference: reference.trim(),
        note: note.trim(),
        case_id: None,
        recorded_by: 0,
        recorded_at: "",
    }
}

pub(crate) fn top_up(s: &mut Session, v: Value) -> CmdResult<WrittenReply> {
    let i: TopUpIn = input(v)?;
    s.require(WRITE, "拨付乡镇备用金")?;
    let t = township(s, i.township_id)?;
    let amount_fen = wf::top_up_amount(&i.amount, &i.reference)?;
    let entry_on = wf::entry_date(i.entry_on, s.clock.today())?;
    let note = i.note.as_deref().unwrap_or("");
    let line = line(
        t.id,
        EntryKind::TopUp,
        amount_fen,
        entry_on,
        &i.reference,
        note,
    );
    write_entry(s, "reserve_fund.top_up", line)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdjustIn {
    township_id: i64,
    /// `refund` (money returned to the fund) or `adjustment`.
    kind: String,
    /// `in` or `out`, for an adjustment.
    direction: Option<String>,
    amount: String,
    entry_on: Option<NaiveDate>,
    reference: String,
    note: String,
}

pub(crate) fn adjust(s: &mut Session, v: Value) -> CmdResult<WrittenReply> {
    let i: AdjustIn = input(v)?;
    s.require(WRITE, "调整乡镇备用金")?;
    let t = township(s, i.township_id)?;
    let (kind, amount_fen) = wf::adjustment(
        &i.kind,
        i.direction.as_deref(),
        &i.amount,
        &i.reference,
        &i.note,
    )?;
    let entry_on = wf::entry_date(i.entry_on, s.clock.today())?;
    let line = line(t.id, kind, amount_fen, entry_on, &i.reference, &i.note);
    write_entry(s, "reserve_fund.adjust", line)
}
