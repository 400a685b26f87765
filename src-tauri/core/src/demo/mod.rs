//! Synthetic demo county: townships, villages, groups, staff and plausible households.
//!
//! Deterministic for a seed and the session's date. Setup, areas and users go through the command
//! layer, as if typed, so the audit trail reads right. Households go through the same core function
//! as `household.create`, after the same validation, all in one transaction (a command call per
//! household would take minutes for a real-sized county).

mod cases;
mod county;
mod finances;
mod payments;
mod people;
mod temp_aid;

use std::fmt;

use rand::distributions::WeightedIndex;
use rand::Rng;
use serde_json::{json, Value};

use crate::auth::Role;
use crate::commands::households::insert_household;
use crate::commands::{Session, Stamp};
use crate::error::{CmdError, CmdResult};
use county::{words, Gen};

pub const COUNTY_NAME: &str = "清河县";
/// Also the region code of every generated ID number.
pub const COUNTY_CODE: &str = "410122";
/// Every demo account's password, the administrator's included.
pub const PASSWORD: &str = "doudi2026";

#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    pub households: usize,
    pub seed: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub county: String,
    pub townships: usize,
    pub villages: usize,
    pub groups: usize,
    pub households: usize,
    pub persons: usize,
    /// (username, role label)
    pub users: Vec<(String, String)>,
}

impl fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            county,
            townships: t,
            villages: v,
            groups: g,
            households: h,
            persons: p,
            ..
        } = self;
        writeln!(f, "演示县 {county}（{COUNTY_CODE}）：乡镇/街道 {t} 个，村/社区 {v} 个，组 {g} 个；家庭 {h} 户，成员 {p} 人")?;
        writeln!(f, "Demo county {county}: {t} townships, {v} villages/communities, {g} groups, {h} households, {p} persons")?;
        writeln!(f, "用户 Users（密码 password: {PASSWORD}）")?;
        let users: Vec<String> = self
            .users
            .iter()
            .map(|(name, role)| format!("  {name:<6} {role}"))
            .collect();
        write!(f, "{}", users.join("\n"))
    }
}

/// (username, display name, role, township index or None for the county)
const STAFF: &[(&str, &str, Role, Option<usize>)] = &[
    ("jbr1", "李静", Role::Caseworker, Some(0)),
    ("shr1", "王志刚", Role::Reviewer, Some(0)),
    ("jbr3", "刘洋", Role::Caseworker, Some(0)),
    ("jbr2", "张敏", Role::Caseworker, Some(1)),
    ("shr2", "陈国强", Role::Reviewer, Some(1)),
    ("spr", "赵红梅", Role::Approver, None),
    // A second county approver: 一事一议 decisions recorded by spr are signed off by another.
    ("spr2", "钱卫东", Role::Approver, None),
    ("cydw", "孙立新", Role::MemberUnit, None),
];

/// Build a demo county in an empty database. Leaves nobody signed in.
/// The demo county, with the eleven months before this one paid and locked (benchmarks that
/// build their own payment history call [`generate_keeping`], which makes none).
pub fn generate(session: &mut Session, opts: &DemoOptions) -> CmdResult<DemoSummary> {
    let (summary, _) = generate_keeping(session, opts, false)?;
    let today = session.clock.today();
    payments::history(session, today)?;
    Ok(summary)
}

/// A generated person as a benchmark needs them.
pub(crate) struct Sample {
    pub name: String,
    pub id_number: String,
}

/// As [`generate`]; with `keep`, also every generated person's name and ID number.
pub(crate) fn generate_keeping(
    session: &mut Session,
    opts: &DemoOptions,
    keep: bool,
) -> CmdResult<(DemoSummary, Vec<Sample>)> {
    if crate::store::users::count(&session.conn)? > 0 {
        return Err(CmdError::invalid(
            "db",
            "数据库不是空的（已有用户和数据），演示县只能生成在新建的空数据库中；请换一个新的文件名",
        ));
    }
    let today = session.clock.today();
    let mut g = Gen::new(opts.seed, today);
    crate::call(
        session,
        "auth.setup",
        json!({"county_name": COUNTY_NAME, "county_code": COUNTY_CODE, "username": "admin",
               "display_name": "刘晓东", "password": PASSWORD}),
    )?;
    let county_id = crate::store::areas::county(&session.conn)?
        .map(|a| a.id)
        .unwrap_or_default();
    let (townships, mut villages) = g.areas(session, county_id, opts.households)?;
    let mut users = vec![("admin".to_owned(), Role::Admin.label().to_owned())];
    for (username, display_name, role, township) in STAFF {
        let area_id = township.map_or(county_id, |i| townships[i.min(townships.len() - 1)]);
        crate::call(
            session,
            "user.create",
            json!({"username": username, "display_name": display_name, "role": role.as_str(),
                   "area_id": area_id, "password": PASSWORD}),
        )?;
        // The demo county's accounts share the published demo password and are not asked to set
        // their own (the end-to-end tests sign in with it); a real county's accounts are.
        if let Some((u, _)) = crate::store::users::by_username(&session.conn, username)? {
            crate::store::users::set_must_change_password(&session.conn, u.id, false)?;
        }
        users.push((username.to_string(), role.label().to_owned()));
    }
    // The member-unit representative speaks for 医保局 at 一事一议 meetings.
    if let Some((cydw, _)) = crate::store::users::by_username(&session.conn, "cydw")? {
        let defaults = crate::store::deliberation::DelibSettings::default();
        crate::call(
            session,
            "deliberation.set_settings",
            json!({"units": defaults.units, "quorum": defaults.quorum.as_str(),
                   "majority": defaults.majority.as_str(),
                   "user_units": [{"user_id": cydw.id, "unit": "医保局"}]}),
        )?;
    }

    // The example county's standards, through the same import an administrator uses.
    let standards: Vec<Value> = crate::rules::demo_rows()
        .iter()
        .map(crate::commands::standards::export_row)
        .collect();
    crate::call(
        session,
        "standard.import",
        json!({"format": crate::commands::standards::EXPORT_FORMAT, "rows": standards}),
    )?;

    let stamp = Stamp {
        user_name: "admin".into(),
        at: session.now_text(),
    };
    let weights = WeightedIndex::new(villages.iter().map(|v| v.weight))
        .map_err(|e| CmdError::internal(e.to_string()))?;
    let mut samples = Vec::new();
    let persons = crate::db::with_tx(&mut session.conn, |tx| {
        let mut persons = 0;
        for _ in 0..opts.households {
            let v = &mut villages[g.rng.sample(&weights)];
            let (facts, people) = g.household(v)?;
            persons += people.len();
            if keep {
                samples.extend(people.iter().map(|(_, p)| Sample {
                    name: p.name.clone(),
                    id_number: p.id_number.clone(),
                }));
            }
            let (head, members) = people.split_first().expect("a household has a head");
            let hid = insert_household(tx, &stamp, &facts, &head.1, members, today)?;
            let ids = people
                .iter()
                .map(|(_, p)| {
                    crate::store::registry::person_by_id_number(tx, &p.id_number)?
                        .map(|x| x.id)
                        .ok_or_else(|| CmdError::internal("demo person vanished"))
                })
                .collect::<CmdResult<Vec<i64>>>()?;
            let fin = g.finances(&people, &ids, facts.hukou == "urban");
            crate::store::finances::replace(tx, hid, &fin)?;
            let after =
                crate::commands::output(crate::commands::finances::Statement::of(tx, hid, &fin)?)?;
            stamp.record(
                tx,
                "finances.set",
                "household",
                Some(hid),
                None,
                Some(&after),
            )?;
        }
        Ok(persons)
    })?;
    cases::generate(session, &mut g.rng, today)?;
    if let Some(first) = townships.first() {
        temp_aid::seed(session, &townships, *first, "admin")?;
    }
    crate::call(session, "auth.sign_out", Value::Null)?;
    let summary = DemoSummary {
        county: COUNTY_NAME.to_owned(),
        townships: townships.len(),
        villages: villages.len(),
        groups: villages.iter().map(|v| v.groups.len()).sum(),
        households: opts.households,
        persons,
        users,
    };
    Ok((summary, samples))
}

#[cfg(test)]
mod tests;
