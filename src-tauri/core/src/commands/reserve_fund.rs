//! 乡镇备用金 at the command boundary: `reserve_fund.get` (balances and a township's ledger) and
//! `reserve_fund.top_up` / `reserve_fund.adjust` (county approver or administrator). Advances
//! are written by `temp_aid.act`.

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{input, output, Session, Stamp};
use crate::auth::Role;
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::rules::money::{fen_from_yuan, yuan_text};
use crate::store::areas::Level;
use crate::store::{self};

const READ: &[Role] = &[
    Role::Caseworker,
    Role::Reviewer,
    Role::Approver,
    Role::Admin,
];
const WRITE: &[Role] = &[Role::Approver, Role::Admin];

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "top_up" => "拨付补充",
        "advance" => "先行救助支出",
        "refund" => "退回",
        "adjustment" => "调整",
        _ => "",
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GetIn {
    township_id: Option<i64>,
    limit: Option<i64>,
}

pub(crate) fn get(s: &mut Session, v: Value) -> CmdResult<Value> {
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
            .map(|e| {
                json!({
                    "id": e.id, "kind": e.kind, "kind_label": kind_label(&e.kind),
                    "amount": yuan_text(e.amount_fen), "entry_on": e.entry_on,
                    "reference": e.reference, "note": e.note,
                    "case_id": e.case_id, "case_number": e.case_number,
                    "recorded_by_name": e.recorded_by_name, "recorded_at": e.recorded_at,
                })
            })
            .collect::<Vec<_>>(),
        None => vec![],
    };
    let total: i64 = balances.iter().map(|b| b.balance_fen).sum();
    output(json!({
        "townships": balances.iter().map(|b| json!({
            "township_id": b.township_id, "township_name": b.township_name,
            "balance": yuan_text(b.balance_fen), "entries": b.entries, "last_entry_on": b.last_entry_on,
        })).collect::<Vec<_>>(),
        "total": yuan_text(total),
        "township_id": selected,
        "entries": entries,
        "can_top_up": WRITE.contains(&user.role),
    }))
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

fn entry_date(s: &Session, on: Option<NaiveDate>) -> CmdResult<NaiveDate> {
    let today = s.clock.today();
    let on = on.unwrap_or(today);
    if on > today {
        return Err(CmdError::invalid(
            "entry_on",
            format!("日期 {on} 晚于今天，请填写实际到账日期"),
        ));
    }
    Ok(on)
}

/// One ledger line typed by the county, before it is written.
struct Line<'a> {
    township_id: i64,
    kind: &'a str,
    amount_fen: i64,
    entry_on: NaiveDate,
    reference: &'a str,
    note: &'a str,
}

fn write_entry(s: &mut Session, command: &str, line: Line<'_>) -> CmdResult<Value> {
    let Line {
        township_id,
        kind,
        amount_fen,
        entry_on,
        reference,
        note,
    } = line;
    let user_id = s.user()?.id;
    let stamp = Stamp::of(s)?;
    let (id, balance) = with_tx(&mut s.conn, |tx| {
        let id = store::reserve_fund::insert_entry(
            tx,
            &store::reserve_fund::NewEntry {
                township_id,
                kind,
                amount_fen,
                entry_on,
                reference,
                note,
                case_id: None,
                recorded_by: user_id,
                recorded_at: &stamp.at,
            },
        )?;
        let balance = store::reserve_fund::balance(tx, township_id)?;
        let after = json!({
            "township_id": township_id, "kind": kind, "amount": yuan_text(amount_fen),
            "entry_on": entry_on, "reference": reference, "note": note, "balance": yuan_text(balance),
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
    output(json!({"id": id, "township_id": township_id, "balance": yuan_text(balance)}))
}

pub(crate) fn top_up(s: &mut Session, v: Value) -> CmdResult<Value> {
    let i: TopUpIn = input(v)?;
    s.require(WRITE, "拨付乡镇备用金")?;
    let t = township(s, i.township_id)?;
    let amount_fen = fen_from_yuan("amount", &i.amount)?;
    if amount_fen == 0 {
        return Err(CmdError::invalid("amount", "拨付金额必须大于 0"));
    }
    let reference = i.reference.trim();
    if reference.is_empty() {
        return Err(CmdError::invalid("reference", "请填写拨付凭证号或文号"));
    }
    let on = entry_date(s, i.entry_on)?;
    let note = i.note.as_deref().unwrap_or("").trim();
    write_entry(
        s,
        "reserve_fund.top_up",
        Line {
            township_id: t.id,
            kind: "top_up",
            amount_fen,
            entry_on: on,
            reference,
            note,
        },
    )
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

pub(crate) fn adjust(s: &mut Session, v: Value) -> CmdResult<Value> {
    let i: AdjustIn = input(v)?;
    s.require(WRITE, "调整乡镇备用金")?;
    let t = township(s, i.township_id)?;
    let fen = fen_from_yuan("amount", &i.amount)?;
    if fen == 0 {
        return Err(CmdError::invalid("amount", "金额必须大于 0"));
    }
    let amount_fen = match (i.kind.as_str(), i.direction.as_deref()) {
        ("refund", None | Some("in")) => fen,
        ("adjustment", Some("in")) => fen,
        ("adjustment", Some("out")) => -fen,
        ("adjustment", _) => {
            return Err(CmdError::invalid(
                "direction",
                "请选择调整方向：in（调增）或 out（调减）",
            ))
        }
        ("refund", Some(_)) => {
            return Err(CmdError::invalid("direction", "退回只能是调入备用金（in）"))
        }
        (other, _) => {
            return Err(CmdError::invalid(
                "kind",
                format!("“{other}”无效，应为 refund（退回）或 adjustment（调整）"),
            ))
        }
    };
    let reference = i.reference.trim();
    if reference.is_empty() {
        return Err(CmdError::invalid("reference", "请填写凭证号或文号"));
    }
    let note = i.note.trim();
    if note.is_empty() {
        return Err(CmdError::invalid("note", "请填写退回或调整的原因"));
    }
    let on = entry_date(s, i.entry_on)?;
    write_entry(
        s,
        "reserve_fund.adjust",
        Line {
            township_id: t.id,
            kind: &i.kind,
            amount_fen,
            entry_on: on,
            reference,
            note,
        },
    )
}
