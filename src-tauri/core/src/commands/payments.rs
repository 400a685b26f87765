//! 月度发放: the monthly payment run, batch grants, adjustments, the differences from last month,
//! their review and the lock. A locked month is immutable; a later correction is an adjustment
//! paid in a later month. The roster and the bank's return file are in `payment_files`.

use crate::month::{month_text, shift_text};
use crate::programme::Programme;
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, Months, NaiveDate};
use serde::Deserialize;
use serde_json::{json, Value};

use super::benefits::month_start;
use super::standards::engine_rows;
use super::{input, output, Session, Stamp};
use crate::auth::Role;
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::rules::money::{fen_from_yuan, yuan_text};
use crate::rules::{self, Area, OneTimeFor, PriceIndex, StandardRow, Standards};
use crate::store::payments::{self as store_pay, Difference, PayableCase, Payment};
use crate::store::{self};

pub(crate) fn kind_label(kind: &str) -> &'static str {
    match kind {
        "regular" => "按月发放",
        "back_pay" => "补发",
        "price_subsidy" => "价格临时补贴",
        "one_time" => "一次性生活补贴",
        "temp_aid" => "临时救助",
        "deliberation" => "一事一议",
        "adjustment" => "调整",
        "resend" => "重发",
        _ => "—",
    }
}

fn difference_label(kind: &str) -> &'static str {
    match kind {
        "new" => "新增",
        "stopped" => "停发",
        "changed" => "金额变化",
        "back_pay" => "补发",
        "adjustment" => "调整",
        "resend" => "重发",
        _ => "—",
    }
}

fn status_label(s: &str) -> &'static str {
    match s {
        "pending" => "待发送",
        "sent" => "已发送银行",
        "paid" => "已到账",
        "failed" => "发放失败",
        _ => "—",
    }
}

/// A 'YYYY-MM' month from input, normalised.
pub(crate) fn month_in(field: &str, text: &str) -> CmdResult<(String, NaiveDate)> {
    let d = month_start(field, text)?;
    Ok((month_text(d), d))
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

fn ratio_pct(field: &str, text: &str) -> CmdResult<rust_decimal::Decimal> {
    let t = text.trim().trim_end_matches('%');
    let d: rust_decimal::Decimal = t
        .parse()
        .map_err(|_| CmdError::invalid(field, format!("“{text}”不是有效的百分数，如 3.6")))?;
    Ok(d / rust_decimal::Decimal::from(100))
}

/// A recorded batch grant, parsed.
enum BatchGrant {
    Price(PriceIndex),
    OneTime { dibao: bool, tekun: bool },
}

fn parse_grant(kind: &str, params: &Value) -> CmdResult<BatchGrant> {
    let text = |k: &str| params[k].as_str().map(str::trim).filter(|t| !t.is_empty());
    match kind {
        "price_subsidy" => {
            let cpi = text("cpi_rise")
                .ok_or_else(|| CmdError::invalid("cpi_rise", "请填写本月 CPI 同比涨幅（%），如 3.6"))?;
            Ok(BatchGrant::Price(PriceIndex {
                cpi_rise: ratio_pct("cpi_rise", cpi)?,
                food_rise: text("food_rise").map(|t| ratio_pct("food_rise", t)).transpose()?,
            }))
        }
        "one_time" => match text("for").unwrap_or("") {
            "dibao" => Ok(BatchGrant::OneTime { dibao: true, tekun: false }),
            "tekun" => Ok(BatchGrant::OneTime { dibao: false, tekun: true }),
            "all" => Ok(BatchGrant::OneTime { dibao: true, tekun: true }),
            other => Err(CmdError::invalid(
                "for",
                format!("发放对象“{other}”无效，应为 dibao（低保）、tekun（特困）或 all（两者）"),
            )),
        },
        other => Err(CmdError::invalid(
            "kind",
            format!("批量补贴类别“{other}”无效，应为 price_subsidy（价格临时补贴）或 one_time（一次性生活补贴）"),
        )),
    }
}

/// A batch grant's amount for one case this month (0 when not due).
fn grant_amount(
    g: &BatchGrant,
    st: &Standards,
    programme: &str,
    area: Area,
    persons: u32,
) -> CmdResult<i64> {
    Ok(match g {
        BatchGrant::Price(index) => rules::price_subsidy(st, area, persons, index)?.amount_fen,
        BatchGrant::OneTime { dibao, tekun } => {
            let who = match programme {
                "tekun" if *tekun => OneTimeFor::Tekun,
                "dibao" if *dibao => OneTimeFor::Dibao,
                _ => return Ok(0),
            };
            rules::one_time_subsidy(st, who, persons)?.amount_fen
        }
    })
}

fn case_payment(c: &PayableCase, month: &str, for_month: &str, kind: &str) -> Payment {
    Payment {
        month: month.to_owned(),
        for_month: for_month.to_owned(),
        kind: kind.to_owned(),
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

fn stage_payment(d: &store_pay::DueStage, month: &str, kind: &str) -> Payment {
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

/// Everything due in `month` that is not yet paid. Reads only; the UNIQUE key decides at insert.
fn plan(
    conn: &rusqlite::Connection,
    rows: &[StandardRow],
    month: &str,
    since: &str,
) -> CmdResult<Vec<Payment>> {
    let mut standards: HashMap<String, Standards> = HashMap::new();
    let mut st_of = |m: &str| -> Standards {
        standards
            .entry(m.to_owned())
            .or_insert_with(|| {
                Standards::as_of(rows, month_start("month", m).unwrap_or(NaiveDate::MIN))
            })
            .clone()
    };
    let st_month = st_of(month);
    let amounts = store_pay::all_amounts(conn)?;
    let grants: Vec<BatchGrant> = store_pay::grants(conn, month)?
        .iter()
        .map(|g| {
            parse_grant(
                &g.kind,
                &serde_json::from_str(&g.params).unwrap_or(Value::Null),
            )
        })
        .collect::<CmdResult<_>>()?;
    let grant_kinds: Vec<&'static str> = grants
        .iter()
        .map(|g| match g {
            BatchGrant::Price(_) => "price_subsidy",
            BatchGrant::OneTime { .. } => "one_time",
        })
        .collect();
    let mut out = Vec::new();
    let mut standard_cache: HashMap<(String, String, String), Option<i64>> = HashMap::new();
    for c in store_pay::payable_cases(conn, month, since)? {
        let Some(list) = amounts.get(&c.id) else {
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
        while m <= until {
            if let Some((amount, persons)) = amount_for(list, &m).filter(|(a, _)| *a > 0) {
                let kind = if m == month { "regular" } else { "back_pay" };
                let key = (m.clone(), c.programme.clone(), c.payee.urban_rural.clone());
                let standard = *standard_cache
                    .entry(key)
                    .or_insert_with(|| standard_fen(&st_of(&m), &c.programme, area));
                let mut p = case_payment(&c, month, &m, kind);
                p.source_kind = "case".into();
                p.source_id = c.id;
                p.persons = persons;
                p.amount_fen = amount;
                p.standard_fen = standard;
                out.push(p);
            }
            m = shift_text(&m, 1);
        }
        // Batch grants go to every case paid for this month.
        let in_month = c.pay_until.as_deref().is_none_or(|u| u >= month);
        if let (true, Some((amount, persons))) = (in_month, amount_for(list, month)) {
            if amount <= 0 {
                continue;
            }
            for (g, kind) in grants.iter().zip(&grant_kinds) {
                let fen = grant_amount(g, &st_month, &c.programme, area, persons as u32)?;
                if fen > 0 {
                    let mut p = case_payment(&c, month, month, kind);
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
    for d in store_pay::temp_aid_due(conn, month)? {
        out.push(stage_payment(&d, month, "temp_aid"));
    }
    for d in store_pay::deliberation_due(conn, month)? {
        out.push(stage_payment(&d, month, "deliberation"));
    }
    for a in store_pay::adjustments(conn, month)? {
        out.push(adjustment_payment(conn, &a)?);
    }
    for f in store_pay::failed_unsent(conn, month)? {
        // Re-sent to the account the household has now: the failure is often a closed account.
        let payee = store_pay::payee(conn, f.payee.household_id)?.unwrap_or(f.payee.clone());
        out.push(Payment {
            id: 0,
            month: month.to_owned(),
            kind: "resend".into(),
            source_kind: "payment".into(),
            source_id: f.id,
            payee_name: payee.head_name.clone(),
            payee_id_number: payee.head_id_number.clone(),
            payee,
            note: format!(
                "重发 {} 发放失败的{}：{}",
                f.month,
                kind_label(&f.kind),
                f.failure_reason.clone().unwrap_or_default()
            ),
            status: String::new(),
            failure_reason: None,
            ..f
        });
    }
    Ok(out)
}

fn adjustment_payment(
    conn: &rusqlite::Connection,
    a: &store_pay::Adjustment,
) -> CmdResult<Payment> {
    let c = store::cases::get(conn, a.case_id)?
        .ok_or_else(|| CmdError::not_found(format!("救助案件 {} 不存在", a.case_id)))?;
    let payee = store_pay::payee(conn, c.household_id)?
        .ok_or_else(|| CmdError::not_found(format!("家庭 {} 不存在", c.household_id)))?;
    Ok(Payment {
        month: a.month.clone(),
        for_month: a.month.clone(),
        kind: "adjustment".into(),
        source_kind: "adjustment".into(),
        source_id: a.id,
        case_id: Some(c.id),
        programme: c.programme.clone(),
        persons: payee.members,
        amount_fen: a.amount_fen,
        payee_name: payee.head_name.clone(),
        payee_id_number: payee.head_id_number.clone(),
        payee,
        certificate: c.number.clone(),
        start_month: c.pay_from.clone(),
        note: a.reason.clone(),
        ..Payment::default()
    })
}

fn exit_label(code: &str) -> &'static str {
    match code {
        "work_income" => "就业后收入超过标准",
        "voluntary" => "主动退出",
        _ => "其他原因",
    }
}

/// The differences a run leaves to review, each with its reason from the case timeline.
fn differences(
    tx: &rusqlite::Connection,
    month: &str,
    inserted: &[Payment],
) -> CmdResult<Vec<Difference>> {
    let this = store_pay::regular_by_case(tx, month)?;
    let prev_month = shift_text(month, -1);
    let prev_run = store_pay::run(tx, &prev_month)?.is_some();
    let prev = store_pay::regular_by_case(tx, &prev_month)?;
    let mut back: BTreeMap<i64, Vec<&Payment>> = BTreeMap::new();
    for p in inserted.iter().filter(|p| p.kind == "back_pay") {
        back.entry(p.source_id).or_default().push(p);
    }
    let mut out = Vec::new();
    let mut ids: Vec<i64> = this
        .keys()
        .chain(prev.keys())
        .copied()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    ids.sort_unstable();
    for id in ids {
        let (old, new) = (prev.get(&id).map(|x| x.0), this.get(&id).map(|x| x.0));
        let kind = match (old, new) {
            (None, Some(_)) => "new",
            (Some(_), None) => "stopped",
            (Some(o), Some(n)) if o != n => "changed",
            _ => continue,
        };
        let Some(c) = store::cases::get(tx, id)? else {
            continue;
        };
        let pay_from = c.pay_from.clone().unwrap_or_default();
        let decided = c.decided_on.map(|d| d.to_string()).unwrap_or_default();
        let reason = match kind {
            "new" if back.contains_key(&id) => format!(
                "{decided} 审批同意，自 {pay_from} 起享受；审批晚于起始月，本月补发 {} 个月",
                back[&id].len()
            ),
            "new" if pay_from == month => format!("{decided} 审批同意，自 {month} 起发放"),
            "new" if !prev_run => format!("本系统首次发放（{pay_from} 起享受）"),
            "new" => "上月未发放，本月恢复发放".to_owned(),
            "stopped" => match (&c.pay_until, c.grace_months.unwrap_or(0)) {
                (Some(until), g) if g > 0 => format!(
                    "渐退期结束：{} 决定退出（{}），渐退期 {g} 个月，发放至 {until}",
                    c.exit_decided_on.map(|d| d.to_string()).unwrap_or_default(),
                    exit_label(c.exit_reason.as_deref().unwrap_or("")),
                ),
                (Some(until), _) => format!(
                    "{} 决定退出（{}）：{}，发放至 {until}",
                    c.exit_decided_on.map(|d| d.to_string()).unwrap_or_default(),
                    exit_label(c.exit_reason.as_deref().unwrap_or("")),
                    c.exit_note.clone().unwrap_or_default(),
                ),
                _ => "本月无应发金额".to_owned(),
            },
            _ => match store_pay::amount_step(tx, id, month)? {
                Some((action, data)) if action == "record_change" => {
                    let d: Value = serde_json::from_str(&data).unwrap_or(Value::Null);
                    format!(
                        "{} 变更：{}，{} 起每月 {} 元",
                        d["date"].as_str().unwrap_or(""),
                        d["summary"].as_str().unwrap_or(""),
                        d["from_month"].as_str().unwrap_or(""),
                        d["amount"].as_str().unwrap_or(""),
                    )
                }
                _ => "核定金额变化".to_owned(),
            },
        };
        let township_id = this
            .get(&id)
            .map(|_| c.township_id)
            .unwrap_or(c.township_id);
        out.push(Difference {
            month: month.to_owned(),
            kind: kind.to_owned(),
            key: format!("case:{id}"),
            case_id: Some(id),
            household_id: c.household_id,
            township_id,
            old_fen: old.unwrap_or(0),
            new_fen: new.unwrap_or(0),
            reason,
            ..Difference::default()
        });
    }
    for (id, list) in &back {
        let total: i64 = list.iter().map(|p| p.amount_fen).sum();
        let first = &list[0];
        let last = &list[list.len() - 1];
        let decided = store::cases::get(tx, *id)?
            .and_then(|c| c.decided_on)
            .map(|d| d.to_string())
            .unwrap_or_default();
        out.push(Difference {
            month: month.to_owned(),
            kind: "back_pay".into(),
            key: format!("case:{id}:{}", first.for_month),
            case_id: Some(*id),
            household_id: first.payee.household_id,
            township_id: first.payee.township_id,
            old_fen: 0,
            new_fen: total,
            reason: format!(
                "审批日期 {decided} 晚于起始发放月 {}，补发 {}–{} 共 {} 个月，合计 {} 元",
                first.start_month.clone().unwrap_or_default(),
                first.for_month,
                last.for_month,
                list.len(),
                yuan_text(total)
            ),
            ..Difference::default()
        });
    }
    for p in inserted
        .iter()
        .filter(|p| matches!(p.kind.as_str(), "adjustment" | "resend"))
    {
        out.push(Difference {
            month: month.to_owned(),
            kind: p.kind.clone(),
            key: format!("{}:{}", p.source_kind, p.source_id),
            case_id: p.case_id,
            household_id: p.payee.household_id,
            township_id: p.payee.township_id,
            old_fen: 0,
            new_fen: p.amount_fen,
            reason: if p.kind == "adjustment" {
                format!("调整（{}）：{}", p.for_month, p.note)
            } else {
                p.note.clone()
            },
            ..Difference::default()
        });
    }
    Ok(out)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MonthIn {
    month: String,
}

/// Which months may be run: not a locked one, not before a later run, not after an open one.
fn check_order(conn: &rusqlite::Connection, month: &str) -> CmdResult<String> {
    let runs = store_pay::runs(conn)?;
    if runs.iter().any(|r| r.month == month && r.state == "locked") {
        return Err(CmdError::conflict(
            "month",
            format!("{month} 的发放已锁定，不能再改动；更正请在以后的月份登记调整"),
        ));
    }
    if let Some(r) = runs.iter().find(|r| r.month.as_str() > month) {
        return Err(CmdError::invalid(
            "month",
            format!("已有 {} 的发放，不能再发放更早的 {month}", r.month),
        ));
    }
    if let Some(r) = runs
        .iter()
        .find(|r| r.month.as_str() < month && r.state == "open")
    {
        return Err(CmdError::conflict(
            "month",
            format!(
                "{} 的发放尚未锁定，请先审核并锁定该月，再发放 {month}",
                r.month
            ),
        ));
    }
    Ok(runs
        .iter()
        .map(|r| r.month.clone())
        .chain([month.to_owned()])
        .min()
        .unwrap_or_else(|| month.to_owned()))
}

pub(crate) fn run(s: &mut Session, v: Value) -> CmdResult<Value> {
    let user = s
        .require(&[Role::Approver, Role::Admin], "执行月度发放")?
        .clone();
    let i: MonthIn = input(v)?;
    let (month, date) = month_in("month", &i.month)?;
    let today = s.clock.today();
    let latest = today.with_day(1).unwrap_or(today) + Months::new(1);
    if date > latest {
        return Err(CmdError::invalid(
            "month",
            format!("最多只能提前发放下个月（{}）", month_text(latest)),
        ));
    }
    let rows = engine_rows(&s.conn)?;
    let st = Standards::as_of(&rows, date);
    st.money("dibao.standard", Some(Area::Rural))?;
    st.money("dibao.standard", Some(Area::Urban))?;
    let since = check_order(&s.conn, &month)?;
    let planned = plan(&s.conn, &rows, &month, &since)?;
    let stamp = Stamp::of(s)?;
    let (added, amount, diffs) = with_tx(&mut s.conn, |tx| {
        store_pay::record_run(tx, &month, &stamp.at, user.id)?;
        let went_in = store_pay::insert_all(tx, &planned)?;
        let inserted: Vec<Payment> = planned
            .into_iter()
            .zip(went_in)
            .filter_map(|(p, new)| new.then_some(p))
            .collect();
        let mut diffs = 0;
        for d in differences(tx, &month, &inserted)? {
            diffs += usize::from(store_pay::add_difference(tx, &d)?);
        }
        let amount: i64 = inserted.iter().map(|p| p.amount_fen).sum();
        stamp.record(
            tx,
            "payment.run",
            "payment_run",
            None,
            None,
            Some(&json!({"month": month, "added": inserted.len(), "amount": yuan_text(amount), "differences": diffs})),
        )?;
        Ok((inserted.len(), amount, diffs))
    })?;
    let mut out = view(s, &month)?;
    out["added"] = json!(added);
    out["added_amount"] = json!(yuan_text(amount));
    out["added_differences"] = json!(diffs);
    output(out)
}

pub(crate) fn get(s: &mut Session, v: Value) -> CmdResult<Value> {
    s.require(&[Role::Approver, Role::Admin], "查看月度发放")?;
    let i: MonthIn = input(v)?;
    let (month, _) = month_in("month", &i.month)?;
    output(view(s, &month)?)
}

/// A month: its run, totals by township × programme and by kind, differences, failures.
pub(crate) fn view(s: &Session, month: &str) -> CmdResult<Value> {
    let conn = &s.conn;
    let names = store_pay::area_names(conn)?;
    let name = |id: i64| names.get(&id).cloned().unwrap_or_default();
    let run = store_pay::run(conn, month)?;
    let payments = store_pay::month_lines(conn, month)?;
    // (township, programme) → (rows, households, persons, amount)
    type Totals = (usize, HashSet<i64>, i64, i64);
    let mut by_tp: BTreeMap<(i64, String), Totals> = BTreeMap::new();
    let mut by_kind: BTreeMap<String, (usize, i64)> = BTreeMap::new();
    let mut by_status: BTreeMap<String, (usize, i64)> = BTreeMap::new();
    let mut total = 0;
    for p in &payments {
        let e = by_tp
            .entry((p.township_id, p.programme.clone()))
            .or_default();
        e.0 += 1;
        e.1.insert(p.household_id);
        if p.kind == "regular" {
            e.2 += p.persons;
        }
        e.3 += p.amount_fen;
        let k = by_kind.entry(p.kind.clone()).or_default();
        k.0 += 1;
        k.1 += p.amount_fen;
        let st = by_status.entry(p.status.clone()).or_default();
        st.0 += 1;
        st.1 += p.amount_fen;
        total += p.amount_fen;
    }
    let totals: Vec<Value> = by_tp
        .iter()
        .map(|((t, prog), (rows, hh, persons, amount))| {
            json!({"township_id": t, "township_name": name(*t), "programme": prog,
                   "programme_label": Programme::label_of(prog), "payments": rows, "households": hh.len(),
                   "persons": persons, "amount": yuan_text(*amount), "amount_fen": amount})
        })
        .collect();
    let kinds: Vec<Value> = by_kind
        .iter()
        .map(|(k, (n, a))| json!({"kind": k, "label": kind_label(k), "payments": n, "amount": yuan_text(*a)}))
        .collect();
    let statuses: Vec<Value> = by_status
        .iter()
        .map(|(k, (n, a))| json!({"status": k, "label": status_label(k), "payments": n, "amount": yuan_text(*a)}))
        .collect();
    let diffs = store_pay::differences(conn, month)?;
    let unreviewed = diffs.iter().filter(|d| d.reviewed_at.is_none()).count();
    let differences: Vec<Value> = diffs
        .iter()
        .map(|d| {
            json!({"id": d.id, "kind": d.kind, "label": difference_label(&d.kind), "case_id": d.case_id,
                   "certificate": d.certificate, "household_id": d.household_id, "head_name": d.head_name,
                   "township_name": name(d.township_id), "old": yuan_text(d.old_fen), "new": yuan_text(d.new_fen),
                   "change": yuan_text(d.new_fen - d.old_fen), "reason": d.reason,
                   "reviewed": d.reviewed_at.is_some(), "reviewed_at": d.reviewed_at, "reviewer": d.reviewer})
        })
        .collect();
    let failed: Vec<Value> = store_pay::month_failed(conn, month)?
        .iter()
        .map(|p| {
            json!({"id": p.id, "payee_name": p.payee_name, "bank_account": p.payee.bank_account,
                   "amount": yuan_text(p.amount_fen), "kind_label": kind_label(&p.kind), "reason": p.failure_reason})
        })
        .collect();
    let grants: Vec<Value> = store_pay::grants(conn, month)?
        .iter()
        .map(|g| {
            json!({"kind": g.kind, "label": kind_label(&g.kind),
                        "params": serde_json::from_str::<Value>(&g.params).unwrap_or(Value::Null),
                        "recorded_at": g.recorded_at})
        })
        .collect();
    let runs: Vec<Value> = store_pay::runs(conn)?
        .iter()
        .take(24)
        .map(|r| json!({"month": r.month, "state": r.state, "locked_at": r.locked_at}))
        .collect();
    Ok(json!({
        "month": month,
        "run": run.as_ref().map(|r| json!({"state": r.state, "state_label": if r.state == "locked" {"已锁定"} else {"待审核锁定"},
            "runs": r.runs, "run_at": r.run_at, "locked_at": r.locked_at, "roster_at": r.roster_at})),
        "total": yuan_text(total), "total_fen": total, "payments": payments.len(),
        "households": payments.iter().map(|p| p.household_id).collect::<HashSet<_>>().len(),
        "totals": totals, "kinds": kinds, "statuses": statuses,
        "differences": differences, "unreviewed": unreviewed,
        "failed": failed, "grants": grants, "runs": runs,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewIn {
    month: String,
    /// Only these differences; all unreviewed ones when absent.
    ids: Option<Vec<i64>>,
}

/// An open run of `month`, or why not.
fn open_run(conn: &rusqlite::Connection, month: &str) -> CmdResult<store_pay::Run> {
    let run = store_pay::run(conn, month)?
        .ok_or_else(|| CmdError::invalid("month", format!("{month} 还没有发放，请先执行发放")))?;
    if run.state == "locked" {
        return Err(CmdError::conflict(
            "month",
            format!("{month} 的发放已锁定，不能再改动；更正请在以后的月份登记调整"),
        ));
    }
    Ok(run)
}

pub(crate) fn review(s: &mut Session, v: Value) -> CmdResult<Value> {
    let user = s.require(&[Role::Approver], "审核发放变化")?.clone();
    let i: ReviewIn = input(v)?;
    let (month, _) = month_in("month", &i.month)?;
    open_run(&s.conn, &month)?;
    if let Some(ids) = &i.ids {
        let known: HashSet<i64> = store_pay::differences(&s.conn, &month)?
            .iter()
            .map(|d| d.id)
            .collect();
        if let Some(bad) = ids.iter().find(|id| !known.contains(id)) {
            return Err(CmdError::invalid(
                "ids",
                format!("变化 {bad} 不属于 {month} 的发放"),
            ));
        }
    }
    let stamp = Stamp::of(s)?;
    let n = with_tx(&mut s.conn, |tx| {
        let n = store_pay::review(tx, &month, i.ids.as_deref(), user.id, &stamp.at)?;
        stamp.record(
            tx,
            "payment.review",
            "payment_run",
            None,
            None,
            Some(&json!({"month": month, "reviewed": n})),
        )?;
        Ok(n)
    })?;
    let mut out = view(s, &month)?;
    out["reviewed"] = json!(n);
    output(out)
}

pub(crate) fn lock(s: &mut Session, v: Value) -> CmdResult<Value> {
    let user = s.require(&[Role::Approver], "锁定月度发放")?.clone();
    let i: MonthIn = input(v)?;
    let (month, _) = month_in("month", &i.month)?;
    open_run(&s.conn, &month)?;
    let n = store_pay::unreviewed(&s.conn, &month)?;
    if n > 0 {
        return Err(CmdError::conflict(
            "month",
            format!("尚有 {n} 条变化未审核，请逐条核对原因并审核后再锁定 {month} 的发放"),
        ));
    }
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        store_pay::lock(tx, &month, &stamp.at, user.id)?;
        super::stats::keep_at_lock(tx, &month)?;
        stamp.record(
            tx,
            "payment.lock",
            "payment_run",
            None,
            None,
            Some(&json!({"month": month, "state": "locked"})),
        )
    })?;
    output(view(s, &month)?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdjustIn {
    case_id: i64,
    month: String,
    amount: String,
    reason: String,
}

pub(crate) fn adjust(s: &mut Session, v: Value) -> CmdResult<Value> {
    let user = s.require(&[Role::Approver], "登记发放调整")?.clone();
    let i: AdjustIn = input(v)?;
    let (month, _) = month_in("month", &i.month)?;
    let c = store::cases::get(&s.conn, i.case_id)?
        .ok_or_else(|| CmdError::invalid("case_id", format!("救助案件 {} 不存在", i.case_id)))?;
    if c.pay_from.is_none() {
        return Err(CmdError::invalid(
            "case_id",
            format!("案件 {} 尚未批准发放，不能登记调整", c.number),
        ));
    }
    let amount = fen_from_yuan("amount", &i.amount)?;
    if amount == 0 {
        return Err(CmdError::invalid("amount", "调整金额应大于 0 元"));
    }
    let reason = i.reason.trim().to_owned();
    if reason.is_empty() {
        return Err(CmdError::invalid(
            "reason",
            "请写明调整原因（更正哪个月、为什么）",
        ));
    }
    let runs = store_pay::runs(&s.conn)?;
    if let Some(r) = runs
        .iter()
        .find(|r| r.month == month && r.state == "locked")
    {
        return Err(CmdError::conflict(
            "month",
            format!(
                "{} 的发放已锁定，不能再改动；调整请登记在以后的月份",
                r.month
            ),
        ));
    }
    if let Some(r) = runs.iter().find(|r| r.month > month) {
        return Err(CmdError::invalid(
            "month",
            format!("已有 {} 的发放，调整应登记在尚未锁定的月份", r.month),
        ));
    }
    let has_run = runs.iter().any(|r| r.month == month);
    let stamp = Stamp::of(s)?;
    let id = with_tx(&mut s.conn, |tx| {
        let a = store_pay::Adjustment {
            id: 0,
            case_id: c.id,
            month: month.clone(),
            amount_fen: amount,
            reason: reason.clone(),
        };
        let id = store_pay::add_adjustment(tx, &a, user.id, &stamp.at)?;
        // A month already run gets the row now, to be reviewed before the lock.
        if has_run {
            let p = adjustment_payment(tx, &store_pay::Adjustment { id, ..a })?;
            if store_pay::insert(tx, &p)? {
                for d in differences(tx, &month, std::slice::from_ref(&p))?
                    .into_iter()
                    .filter(|d| d.kind == "adjustment")
                {
                    store_pay::add_difference(tx, &d)?;
                }
            }
        }
        stamp.record(
            tx,
            "payment.adjust",
            "payment_adjustment",
            Some(id),
            None,
            Some(
                &json!({"case_id": c.id, "month": month, "amount": yuan_text(amount), "reason": reason}),
            ),
        )?;
        Ok(id)
    })?;
    output(
        json!({"id": id, "case_id": c.id, "month": month, "amount": yuan_text(amount), "reason": reason, "paid_in_run": has_run}),
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GrantIn {
    month: String,
    kind: String,
    cpi_rise: Option<String>,
    food_rise: Option<String>,
    #[serde(rename = "for")]
    for_: Option<String>,
}

pub(crate) fn batch_grant(s: &mut Session, v: Value) -> CmdResult<Value> {
    let user = s
        .require(&[Role::Admin, Role::Approver], "登记批量补贴")?
        .clone();
    let i: GrantIn = input(v)?;
    let (month, date) = month_in("month", &i.month)?;
    let params = match i.kind.as_str() {
        "price_subsidy" => json!({"cpi_rise": i.cpi_rise, "food_rise": i.food_rise}),
        _ => json!({"for": i.for_}),
    };
    let grant = parse_grant(&i.kind, &params)?;
    if let Some(r) = store_pay::run(&s.conn, &month)?.filter(|r| r.state == "locked") {
        return Err(CmdError::conflict(
            "month",
            format!("{} 的发放已锁定，不能再登记批量补贴", r.month),
        ));
    }
    // What one person gets, which also proves the standards it needs are in force.
    let st = Standards::as_of(&engine_rows(&s.conn)?, date);
    let mut per_person = serde_json::Map::new();
    for (code, programme, area) in [
        ("dibao_rural", "dibao", Area::Rural),
        ("dibao_urban", "dibao", Area::Urban),
        ("tekun_rural", "tekun", Area::Rural),
        ("tekun_urban", "tekun", Area::Urban),
    ] {
        per_person.insert(
            code.into(),
            json!(yuan_text(grant_amount(&grant, &st, programme, area, 1)?)),
        );
    }
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        store_pay::set_grant(tx, &month, &i.kind, &params.to_string(), user.id, &stamp.at)?;
        stamp.record(
            tx,
            "payment.batch_grant",
            "payment_grant",
            None,
            None,
            Some(&json!({"month": month, "kind": i.kind, "params": params})),
        )
    })?;
    output(
        json!({"month": month, "kind": i.kind, "label": kind_label(&i.kind), "params": params, "per_person": per_person}),
    )
}
