//! `deliberation.settings` and `deliberation.set_settings`: the member units, the quorum and
//! majority rules, and which unit each member-unit user speaks for.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::reply::user_name;
use crate::auth::Role;
use crate::commands::{input, Session, Stamp};
use crate::db::with_tx;
use crate::error::CmdResult;
use crate::store::deliberation::{self as st, DelibSettings};
use crate::store::{self};
use crate::workflow::deliberation::{self as wf, Threshold};

#[derive(Serialize, JsonSchema)]
pub(crate) struct ThresholdChoice {
    code: &'static str,
    label: &'static str,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct UserUnit {
    user_id: i64,
    display_name: String,
    unit: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct SettingsReply {
    units: Vec<String>,
    quorum: &'static str,
    quorum_label: &'static str,
    majority: &'static str,
    majority_label: &'static str,
    thresholds: Vec<ThresholdChoice>,
    user_units: Vec<UserUnit>,
    default_units: Vec<&'static str>,
}

fn settings_view(s: &Session, d: DelibSettings) -> CmdResult<SettingsReply> {
    let mut user_units = Vec::new();
    for (user_id, unit) in st::user_units(&s.conn)? {
        let display_name = user_name(s, Some(user_id))?.unwrap_or_default();
        user_units.push(UserUnit {
            user_id,
            display_name,
            unit,
        });
    }
    Ok(SettingsReply {
        units: d.units,
        quorum: d.quorum.as_str(),
        quorum_label: d.quorum.label(),
        majority: d.majority.as_str(),
        majority_label: d.majority.label(),
        thresholds: Threshold::ALL
            .iter()
            .map(|t| ThresholdChoice {
                code: t.as_str(),
                label: t.label(),
            })
            .collect(),
        user_units,
        default_units: st::DEFAULT_UNITS.to_vec(),
    })
}

pub(crate) fn settings(s: &mut Session, _: Value) -> CmdResult<SettingsReply> {
    s.user()?;
    let d = st::settings(&s.conn)?;
    settings_view(s, d)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UserUnitIn {
    user_id: i64,
    unit: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetSettingsIn {
    units: Vec<String>,
    quorum: String,
    majority: String,
    #[serde(default)]
    user_units: Vec<UserUnitIn>,
}

pub(crate) fn set_settings(s: &mut Session, v: Value) -> CmdResult<SettingsReply> {
    s.require(&[Role::Admin], "修改一事一议设置")?;
    let i: SetSettingsIn = input(v)?;
    let d = DelibSettings {
        units: wf::check_units(&i.units)?,
        quorum: wf::parse_threshold("quorum", &i.quorum)?,
        majority: wf::parse_threshold("majority", &i.majority)?,
    };
    let asked: Vec<(i64, String)> = i
        .user_units
        .into_iter()
        .map(|u| (u.user_id, u.unit))
        .collect();
    let mut users = Vec::new();
    for (id, _) in &asked {
        users.push(store::users::get(&s.conn, *id)?);
    }
    let pairs = wf::check_user_units(&asked, &users, &d.units)?;
    let old = st::settings(&s.conn)?;
    let old_pairs = st::user_units(&s.conn)?;
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        st::set_settings(tx, &d)?;
        st::set_user_units(tx, &pairs)?;
        stamp.record(
            tx,
            "deliberation.set_settings",
            "setting",
            None,
            Some(&json!({"units": old.units, "quorum": old.quorum.as_str(),
                "majority": old.majority.as_str(), "user_units": old_pairs})),
            Some(&json!({"units": d.units, "quorum": d.quorum.as_str(),
                "majority": d.majority.as_str(), "user_units": pairs})),
        )
    })?;
    settings_view(s, d)
}
