//! Demo cases: the county's existing caseload as taken over from its paper ledger (enrolled,
//! paid since a past month), a handful of applications in progress in the first two townships,
//! taken step by step through the command layer by the demo staff, a near-relative filing, and
//! the 2026 holiday calendar.

use chrono::{Datelike, Duration, NaiveDate};
use rand::rngs::SmallRng;
use rand::Rng;
use serde_json::{json, Value};

use crate::commands::{Session, Stamp};
use crate::error::{CmdError, CmdResult};
use crate::rules::{self, CareSetting, Standards, Suggestion};
use crate::store::caseload::all as caseload;
use crate::store::cases::{Amount, CaseRow, Step};
use crate::store::standards::engine_rows;

/// The 2026 schedule as the State Council's notice gives it (weekday holidays and weekend
/// workdays only). A county checks it against the notice each year.
const CALENDAR_2026: &[(&str, &str, &str)] = &[
    ("2026-01-01", "holiday", "元旦"),
    ("2026-01-02", "holiday", "元旦"),
    ("2026-01-04", "workday", "元旦调休"),
    ("2026-02-14", "workday", "春节调休"),
    ("2026-02-16", "holiday", "春节"),
    ("2026-02-17", "holiday", "春节"),
    ("2026-02-18", "holiday", "春节"),
    ("2026-02-19", "holiday", "春节"),
    ("2026-02-20", "holiday", "春节"),
    ("2026-02-23", "holiday", "春节"),
    ("2026-02-28", "workday", "春节调休"),
    ("2026-04-06", "holiday", "清明节"),
    ("2026-05-01", "holiday", "劳动节"),
    ("2026-05-04", "holiday", "劳动节"),
    ("2026-05-05", "holiday", "劳动节"),
    ("2026-05-09", "workday", "劳动节调休"),
    ("2026-06-19", "holiday", "端午节"),
    ("2026-09-20", "workday", "国庆节调休"),
    ("2026-09-25", "holiday", "中秋节"),
    ("2026-10-01", "holiday", "国庆节"),
    ("2026-10-02", "holiday", "国庆节"),
    ("2026-10-05", "holiday", "国庆节"),
    ("2026-10-06", "holiday", "国庆节"),
    ("2026-10-07", "holiday", "国庆节"),
    ("2026-10-10", "workday", "国庆节调休"),
];

fn call(s: &mut Session, name: &str, input: Value) -> CmdResult<Value> {
    crate::call(s, name, input)
}

fn sign_in(s: &mut Session, user: &str) -> CmdResult<Value> {
    call(
        s,
        "auth.sign_in",
        json!({"username": user, "password": super::PASSWORD}),
    )
}

fn user_id(s: &Session, username: &str) -> CmdResult<i64> {
    crate::store::users::by_username(&s.conn, username)?
        .map(|(u, _)| u.id)
        .ok_or_else(|| CmdError::internal(format!("demo user {username} missing")))
}

/// Called with the administrator signed in, after the households exist.
pub(super) fn generate(s: &mut Session, rng: &mut SmallRng, today: NaiveDate) -> CmdResult<()> {
    for (date, kind, note) in CALENDAR_2026 {
        call(
            s,
            "calendar.set",
            json!({"date": date, "kind": kind, "note": note}),
        )?;
    }
    // Households that may apply: 低保 or 特困 by the rules, this month.
    let month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
    let st = Standards::as_of(&engine_rows(&s.conn)?, month);
    let townships: Vec<i64> = crate::store::areas::all(&s.conn)?
        .into_iter()
        .filter(|a| a.level == crate::store::areas::Level::Township)
        .map(|a| a.id)
        .collect();
    let mut eligible = vec![];
    for (h, eh) in caseload(&s.conn, month)? {
        let programme = match rules::classify(&st, &eh).map(|c| c.suggestion) {
            Ok(Suggestion::Dibao) => "dibao",
            // 特困 in the demo only for one-person households (无法定赡养人); the rest apply for 低保.
            Ok(Suggestion::Tekun { .. }) if eh.members.len() == 1 => "tekun",
            Ok(Suggestion::Tekun { .. }) => "dibao",
            _ => continue,
        };
        let outcome = if programme == "tekun" {
            rules::tekun(&st, &eh, CareSetting::Home)
        } else {
            rules::dibao(&st, &eh)
        };
        let Ok(outcome) = outcome else { continue };
        if outcome.amount_fen <= 0 {
            continue;
        }
        eligible.push((h, eh.members.len() as u32, programme, outcome));
    }
    // Keep a few families of the first two townships for the applications in progress.
    let first_two = &townships[..townships.len().min(2)];
    let mut kept: Vec<(i64, i64)> = vec![];
    let mut ledger = vec![];
    for e in eligible {
        let t = e.0.township_id;
        let waiting = kept.iter().filter(|(tt, _)| *tt == t).count();
        if e.2 == "dibao"
            && first_two.contains(&t)
            && waiting < if t == first_two[0] { 6 } else { 2 }
        {
            kept.push((t, e.0.id));
        } else if rng.gen_bool(0.9) {
            ledger.push(e);
        }
    }
    take_over_ledger(s, rng, today, ledger)?;
    in_progress(s, today, &kept, first_two)?;
    if let Some(&(_, h)) = kept.iter().find(|(t, _)| Some(t) == first_two.first()) {
        deliberation(s, today, h)?;
    }
    sign_in(s, "admin")?;
    Ok(())
}

/// The caseload taken over from the ledger: enrolled cases with one step "import".
fn take_over_ledger(
    s: &mut Session,
    rng: &mut SmallRng,
    today: NaiveDate,
    ledger: Vec<(
        crate::store::registry::Household,
        u32,
        &'static str,
        rules::Outcome,
    )>,
) -> CmdResult<()> {
    let admin = user_id(s, "admin")?;
    let stamp = Stamp::of(s)?;
    let start = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap_or(today);
    let span = (today - start).num_days().max(60) - 45;
    crate::db::with_tx(&mut s.conn, |tx| {
        for (h, persons, programme, outcome) in ledger {
            let approved = start + Duration::days(rng.gen_range(0..span));
            let applied = approved - Duration::days(rng.gen_range(20..40));
            let pay_from = crate::month::month_text(
                approved
                    .checked_add_months(chrono::Months::new(1))
                    .unwrap_or(approved),
            );
            let class = ["A", "A", "A", "B", "B", "C"][rng.gen_range(0..6)];
            let months = match class {
                "A" => 12,
                "B" => 6,
                _ => 3,
            };
            // The next review: the first due date after today less up to a period ago.
            let mut due = approved;
            while due <= today - Duration::days(20) {
                due = due
                    .checked_add_months(chrono::Months::new(months))
                    .unwrap_or(today);
            }
            let mut c = CaseRow {
                number: crate::store::cases::next_number(tx, programme, applied.year())?,
                programme: programme.into(),
                household_id: h.id,
                township_id: h.township_id,
                state: "enrolled".into(),
                applied_on: applied,
                application_note: "由原纸质台账转入".into(),
                support_mode: (programme == "tekun").then(|| "dispersed".to_owned()),
                created_by: admin,
                created_at: stamp.at.clone(),
                decided_on: Some(approved),
                pay_from: Some(pay_from.clone()),
                review_class: Some(class.into()),
                next_review_due: Some(due),
                updated_at: stamp.at.clone(),
                ..CaseRow::default()
            };
            c.id = crate::store::cases::save(tx, &c)?;
            let data = json!({"source": "原纸质台账", "approved_on": approved, "pay_from": pay_from,
                "amount": crate::rules::money::yuan_text(outcome.amount_fen), "persons": persons});
            let step_id = crate::store::cases::add_step(
                tx,
                &Step {
                    id: 0,
                    case_id: c.id,
                    action: "import".into(),
                    from_state: "enrolled".into(),
                    to_state: "enrolled".into(),
                    user_id: admin,
                    at: stamp.at.clone(),
                    data: data.to_string(),
                },
            )?;
            crate::store::cases::add_amount(
                tx,
                &Amount {
                    case_id: c.id,
                    from_month: pay_from,
                    amount_fen: outcome.amount_fen,
                    persons,
                    trail: crate::commands::benefits::trail_json(&outcome.trail).to_string(),
                    step_id,
                },
            )?;
            stamp.record(tx, "case.import", "case", Some(c.id), None, Some(&data))?;
        }
        Ok(())
    })
}

fn act(s: &mut Session, case: i64, action: &str, date: NaiveDate, extra: Value) -> CmdResult<()> {
    let mut input = json!({"case_id": case, "action": action, "date": date});
    if let Some(o) = extra.as_object() {
        for (k, v) in o {
            input[k] = v.clone();
        }
    }
    call(s, "case.act", input).map(drop)
}

/// Applications at every step, so each demo user finds work in 待我处理.
fn in_progress(
    s: &mut Session,
    today: NaiveDate,
    kept: &[(i64, i64)],
    townships: &[i64],
) -> CmdResult<()> {
    let day = |n: i64| today - Duration::days(n);
    let of = |t: i64| -> Vec<i64> {
        kept.iter()
            .filter(|(tt, _)| *tt == t)
            .map(|(_, h)| *h)
            .collect()
    };
    let (jbr1, jbr3) = (user_id(s, "jbr1")?, user_id(s, "jbr3")?);
    let first = of(townships[0]);
    let create = |s: &mut Session, h: i64, applied: NaiveDate, note: &str| -> CmdResult<i64> {
        let v = call(
            s,
            "case.create",
            json!({"household_id": h, "programme": "dibao", "applied_on": applied, "application_note": note}),
        )?;
        v["id"]
            .as_i64()
            .ok_or_else(|| CmdError::internal("case id"))
    };
    let survey = json!({"investigator_ids": [jbr1, jbr3], "findings": "入户查看住房和生活情况，与申请材料相符"});
    let verification = json!({"summary": "经核对，无机动车辆、无工商登记，存款低于限额"});
    // A village cadre's mother is in the fifth family: flagged for the county home check.
    if let Some(&h) = first.get(4) {
        sign_in(s, "shr1")?;
        let head = crate::store::registry::household(&s.conn, h)?
            .and_then(|x| x.head_id)
            .and_then(|p| crate::store::registry::person(&s.conn, p).ok().flatten());
        if let (Some(p), Some(v)) = (head, crate::store::registry::household(&s.conn, h)?) {
            let village = crate::store::areas::all(&s.conn)?
                .into_iter()
                .find(|a| a.name == v.village_name && a.parent_id == Some(v.township_id))
                .map(|a| a.id)
                .unwrap_or(townships[0]);
            call(
                s,
                "near_relative.file",
                json!({"staff_name": "周建国", "staff_post": "村委会主任", "area_id": village,
                       "relative_id_number": p.facts.id_number, "relative_name": p.facts.name, "relation": "父母"}),
            )?;
        }
    }
    sign_in(s, "jbr1")?;
    let mut ids = vec![];
    for (i, h) in first.iter().enumerate() {
        let applied = match i {
            0 => day(1),
            1 => day(60),
            2 => day(12),
            3 | 4 => day(30),
            _ => day(8),
        };
        ids.push(create(
            s,
            *h,
            applied,
            "家庭收入低于当地低保标准，申请纳入低保",
        )?);
        if i > 0 {
            act(s, ids[i], "accept", applied, json!({}))?;
        }
        if i >= 2 {
            act(
                s,
                ids[i],
                "record_verification",
                applied + Duration::days(2),
                verification.clone(),
            )?;
            act(
                s,
                ids[i],
                "record_survey",
                applied + Duration::days(3),
                survey.clone(),
            )?;
        }
    }
    sign_in(s, "shr1")?;
    for (i, id) in ids.iter().enumerate().skip(3).take(2) {
        act(
            s,
            *id,
            "review_township",
            day(24),
            json!({"opinion": "经审核，情况属实，同意公示后上报"}),
        )?;
        let _ = i;
    }
    sign_in(s, "jbr1")?;
    for id in ids.iter().skip(3).take(2) {
        act(s, *id, "start_notice", day(23), json!({}))?;
    }
    // Township two: one application accepted, one waiting.
    if let Some(&t2) = townships.get(1) {
        sign_in(s, "jbr2")?;
        for (i, h) in of(t2).iter().enumerate() {
            let id = create(s, *h, day(5 + i as i64), "因病致贫，申请低保")?;
            if i == 0 {
                act(s, id, "accept", day(4), json!({}))?;
            }
        }
    }
    Ok(())
}

/// A 一事一议 case on the agenda of a coordination meeting that is under way: seven of the
/// eleven member units present, three opinions recorded, the decision still to take.
fn deliberation(s: &mut Session, today: NaiveDate, household: i64) -> CmdResult<()> {
    let township = crate::store::registry::household(&s.conn, household)?
        .map(|h| h.township_name)
        .unwrap_or_default();
    let office = if township.ends_with("街道") {
        "办事处"
    } else {
        "人民政府"
    };
    sign_in(s, "jbr1")?;
    let v = call(
        s,
        "deliberation.file",
        json!({"household_id": household,
               "family_situation": "户主突发脑出血住院，配偶无固定收入，两个子女在读",
               "special_matter": "住院费用经基本医保、大病保险和医疗救助后自付仍有 6.3 万元",
               "received": [{"programme": "临时救助", "amount": "5226", "note": "急难型"}],
               "proposed_amount": "15000",
               "proposed_measures": "一次性救助 1.5 万元；医保局二次报销；教育局资助子女学费",
               "reporting_unit": format!("{township}{office}"),
               "township_opinion": "情况属实，拟纳入一事一议决策范围"}),
    )?;
    let case = v["id"]
        .as_i64()
        .ok_or_else(|| CmdError::internal("deliberation id"))?;
    sign_in(s, "spr")?;
    call(
        s,
        "deliberation.act",
        json!({"id": case, "action": "review", "opinion": "情况属实，提请协调会议研究"}),
    )?;
    let m = call(
        s,
        "meeting.create",
        json!({"held_on": today, "place": "县民政局三楼会议室", "chair": "副县长 刘明", "recorder": "赵红梅"}),
    )?;
    let mid = m["id"]
        .as_i64()
        .ok_or_else(|| CmdError::internal("meeting id"))?;
    call(
        s,
        "meeting.add_item",
        json!({"meeting_id": mid, "case_id": case}),
    )?;
    for unit in [
        "民政局",
        "财政局",
        "人社局",
        "卫健委",
        "医保局",
        "教育局",
        "残联",
    ] {
        call(
            s,
            "meeting.attendance",
            json!({"meeting_id": mid, "unit": unit, "status": "present", "representative": "分管负责人"}),
        )?;
    }
    for (unit, opinion, commitment) in [
        ("民政局", "agree", "发放一次性救助金"),
        ("医保局", "agree", "二次报销住院费用"),
        (
            "教育局",
            "agree_with_changes",
            "资助两个子女学费，按学期发放",
        ),
    ] {
        // 医保局's own user (cydw) records its opinion; the secretary enters the others from the
        // units' signed paper opinions.
        let mut v = json!({"meeting_id": mid, "case_id": case, "unit": unit, "opinion": opinion, "commitment": commitment});
        if unit == "医保局" {
            sign_in(s, "cydw")?;
        } else {
            sign_in(s, "spr")?;
            v["paper_opinion_ref"] = json!(format!("{unit}签章书面意见（会前送达）"));
        }
        call(s, "meeting.opinion", v)?;
    }
    sign_in(s, "spr")?;
    Ok(())
}
