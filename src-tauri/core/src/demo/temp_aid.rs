//! 临时救助 in the demo county: every township's reserve fund topped up by the county, and in the
//! first township (jbr1 / shr1) a handful of cases at different steps, taken through the command
//! layer by the staff who would take them, so the audit trail and timelines read right.

use serde_json::{json, Value};

use crate::commands::Session;
use crate::error::{CmdError, CmdResult};

/// Act as a demo user without a password round (Argon2 is slow in debug builds); the commands
/// still check the user's role and township.
fn act_as(session: &mut Session, username: &str) -> CmdResult<()> {
    let (user, _) = crate::store::users::by_username(&session.conn, username)?
        .ok_or_else(|| CmdError::internal(format!("demo user {username} missing")))?;
    session.user = Some(user);
    Ok(())
}

fn step(session: &mut Session, case: i64, action: &str, data: Value) -> CmdResult<Value> {
    let mut input = json!({"case_id": case, "action": action});
    if let (Some(o), Value::Object(m)) = (input.as_object_mut(), data) {
        o.extend(m);
    }
    crate::call(session, "temp_aid.act", input)
}

fn register(
    session: &mut Session,
    household: i64,
    kind: &str,
    cause: &str,
    description: &str,
) -> CmdResult<i64> {
    let v = crate::call(
        session,
        "temp_aid.create",
        json!({"household_id": household, "kind": kind, "cause": cause, "description": description}),
    )?;
    v["id"]
        .as_i64()
        .ok_or_else(|| CmdError::internal("temp_aid.create returned no id"))
}

/// Top up every township's fund, then seed cases in `township` (jbr1's). Leaves the session
/// signed in as `back_as`.
pub(super) fn seed(
    session: &mut Session,
    townships: &[i64],
    township: i64,
    back_as: &str,
) -> CmdResult<()> {
    act_as(session, "spr")?;
    for (i, t) in townships.iter().enumerate() {
        crate::call(
            session,
            "reserve_fund.top_up",
            json!({"township_id": t, "amount": "20000", "reference": format!("清民财〔2026〕{}号", 10 + i),
                   "note": "年度临时救助备用金"}),
        )?;
    }
    act_as(session, "jbr1")?;
    let found = crate::call(
        session,
        "household.search",
        json!({"township_id": township, "page_size": 20}),
    )?;
    // Families with a near-relative filing wait for the county home check; leave them out.
    let mut ids: Vec<i64> = vec![];
    for id in found["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|h| h["id"].as_i64())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    {
        if !crate::store::near_relatives::match_household(&session.conn, id)?.filed {
            ids.push(id);
        }
    }
    if ids.len() < 4 {
        act_as(session, back_as)?;
        return Ok(());
    }
    let (a, b, c, d) = (ids[0], ids[1], ids[2], ids[3]);

    // 急难型, fire: 先行救助, paperwork completed, the advance approved as the whole aid.
    let fire = register(
        session,
        a,
        "emergency",
        "fire",
        "夜间电线老化起火，房屋两间烧毁，衣物被褥全部损毁",
    )?;
    act_as(session, "shr1")?;
    step(session, fire, "grant_advance", json!({"amount": "1500"}))?;
    act_as(session, "jbr1")?;
    step(
        session,
        fire,
        "complete_paperwork",
        json!({"findings": "已补齐村委会证明、消防出警记录和家庭情况说明"}),
    )?;
    act_as(session, "shr1")?;
    step(session, fire, "approve_township", json!({"amount": "1500"}))?;

    // 急难型, traffic accident: 先行救助 granted, paperwork still owed.
    act_as(session, "jbr1")?;
    let traffic = register(
        session,
        b,
        "emergency",
        "traffic",
        "户主骑电动车被撞，住院治疗，肇事方暂未赔付",
    )?;
    act_as(session, "shr1")?;
    step(session, traffic, "grant_advance", json!({"amount": "1200"}))?;

    // 支出型, illness: approved within the quota, paid in three stages, the first paid.
    act_as(session, "jbr1")?;
    let illness = register(
        session,
        c,
        "expenditure",
        "illness",
        "子女患白血病，自付医疗费用约 4 万元",
    )?;
    step(session, illness, "accept", json!({}))?;
    step(
        session,
        illness,
        "record_survey",
        json!({"findings": "入户核实：住院票据属实，家庭无存款，主要劳动力在医院陪护"}),
    )?;
    act_as(session, "shr1")?;
    let today = session.clock.today();
    let month = |k: i32| crate::month::Month::of(today).shift(k).to_string();
    let stages = json!([
        {"month": month(0), "amount": "600"}, {"month": month(1), "amount": "600"}, {"month": month(2), "amount": "600"}
    ]);
    step(
        session,
        illness,
        "approve_township",
        json!({"amount": "1800", "stages": stages}),
    )?;
    act_as(session, "jbr1")?;
    step(session, illness, "pay_stage", json!({"stage_no": 1}))?;

    // 支出型, education: above the township quota, referred to the county.
    let school = register(
        session,
        d,
        "expenditure",
        "education",
        "两名子女同时上大学，学费住宿费合计 1.6 万元",
    )?;
    step(session, school, "accept", json!({}))?;
    step(
        session,
        school,
        "record_survey",
        json!({"findings": "入户核实：录取通知书和缴费单据属实"}),
    )?;
    act_as(session, "shr1")?;
    step(
        session,
        school,
        "refer_to_county",
        json!({"opinion": "所需金额超过乡镇审批额度，建议县级审批 5000 元"}),
    )?;

    // The illness family again for the same cause: registered with the same-cause warning.
    act_as(session, "jbr1")?;
    register(
        session,
        c,
        "expenditure",
        "illness",
        "复查发现复发，需再次住院化疗",
    )?;

    act_as(session, back_as)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use serde_json::json;

    use crate::demo::{generate, DemoOptions, PASSWORD};
    use crate::{call, FixedClock, Session};

    #[test]
    fn the_demo_county_has_cases_at_every_step_and_funded_townships() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 15).unwrap();
        let mut s = Session::in_memory(Box::new(FixedClock::on(day))).unwrap();
        generate(
            &mut s,
            &DemoOptions {
                households: 60,
                seed: 7,
            },
        )
        .unwrap();
        call(
            &mut s,
            "auth.sign_in",
            json!({"username": "jbr1", "password": PASSWORD}),
        )
        .unwrap();
        let list = call(&mut s, "temp_aid.list", json!({})).unwrap();
        let mut states: Vec<&str> = list["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["state"].as_str().unwrap())
            .collect();
        states.sort_unstable();
        assert_eq!(
            states,
            ["advanced", "applied", "approved", "closed", "referred"]
        );
        let fund = call(&mut s, "reserve_fund.get", json!({})).unwrap();
        assert_eq!(fund["townships"][0]["balance"], "17300.00", "{fund}");
        // The repeated illness case carries the warning; jbr1 owes the traffic case's paperwork.
        let repeat = list["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["state"] == "applied")
            .unwrap()["id"]
            .clone();
        let v = call(&mut s, "temp_aid.get", json!({"id": repeat})).unwrap();
        assert_eq!(v["repeat"]["earlier"].as_array().unwrap().len(), 1);
        let mine = call(&mut s, "temp_aid.list", json!({"mine": true})).unwrap();
        let actions: Vec<String> = mine["cases"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|c| c["actions"].as_array().unwrap().clone())
            .map(|a| a.as_str().unwrap().to_owned())
            .collect();
        assert!(actions.contains(&"补齐手续".to_owned()), "{actions:?}");
        assert!(actions.contains(&"登记发放".to_owned()), "{actions:?}");
    }
}
