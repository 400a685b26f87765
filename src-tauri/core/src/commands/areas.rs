//! The area tree: county → township → village/community → group.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{input, Session, Stamp};
use crate::auth::Role;
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::registry::{check_area_name, check_child_code, check_urban_rural};
use crate::store::areas::{Area, Level};
use crate::store::{self};

#[derive(Serialize, JsonSchema)]
pub(crate) struct AreaDto {
    id: i64,
    parent_id: Option<i64>,
    level: &'static str,
    level_label: &'static str,
    code: String,
    name: String,
    urban_rural: Option<String>,
    active: bool,
}

impl From<&Area> for AreaDto {
    fn from(a: &Area) -> AreaDto {
        AreaDto {
            id: a.id,
            parent_id: a.parent_id,
            level: a.level.as_str(),
            level_label: a.level.label(),
            code: a.code.clone(),
            name: a.name.clone(),
            urban_rural: a.urban_rural.clone(),
            active: a.active,
        }
    }
}

/// All areas in code order (a parent always before its children). Any signed-in user.
#[derive(Serialize, JsonSchema)]
pub(crate) struct AreaList {
    areas: Vec<AreaDto>,
}

pub(crate) fn list(s: &mut Session, _: Value) -> CmdResult<AreaList> {
    s.user()?;
    let areas = store::areas::all(&s.conn)?
        .iter()
        .map(AreaDto::from)
        .collect();
    Ok(AreaList { areas })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateIn {
    parent_id: i64,
    name: String,
    code: Option<String>,
    urban_rural: Option<String>,
}

pub(crate) fn create(s: &mut Session, v: Value) -> CmdResult<AreaDto> {
    s.require(&[Role::Admin], "维护区划")?;
    let i: CreateIn = input(v)?;
    let parent = store::areas::get(&s.conn, i.parent_id)?.ok_or_else(|| {
        CmdError::invalid("parent_id", format!("上级区划 {} 不存在", i.parent_id))
    })?;
    let level = parent
        .level
        .child()
        .ok_or_else(|| CmdError::invalid("parent_id", "组以下不能再设下级区划"))?;
    let name = check_area_name(&i.name)?;
    // Townships say whether they are urban (街道) or rural (乡镇); below, the parent's value is the default.
    let urban_rural = check_urban_rural(i.urban_rural.as_deref())?.or(parent.urban_rural.clone());
    if urban_rural.is_none() {
        return Err(CmdError::invalid(
            "urban_rural",
            "请选择城乡属性：城市（街道/社区）或农村（乡镇/村）",
        ));
    }
    let code = match i.code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => check_child_code(level, &parent.code, c)?,
        None => store::areas::next_child_code(&s.conn, &parent)?,
    };
    let mut area = Area {
        id: 0,
        parent_id: Some(parent.id),
        level,
        code,
        name,
        urban_rural,
        active: true,
    };
    let stamp = Stamp::of(s)?;
    area.id = with_tx(&mut s.conn, |tx| {
        let id = store::areas::insert(tx, &area)?;
        stamp.record(
            tx,
            "area.create",
            "area",
            Some(id),
            None,
            Some(&json!({"name": area.name, "code": area.code, "level": level.as_str()})),
        )?;
        Ok(id)
    })?;
    Ok(AreaDto::from(&area))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateIn {
    id: i64,
    name: Option<String>,
    urban_rural: Option<String>,
    active: Option<bool>,
}

pub(crate) fn update(s: &mut Session, v: Value) -> CmdResult<AreaDto> {
    s.require(&[Role::Admin], "维护区划")?;
    let i: UpdateIn = input(v)?;
    let old = store::areas::get(&s.conn, i.id)?
        .ok_or_else(|| CmdError::not_found(format!("区划 {} 不存在", i.id)))?;
    let mut new = old.clone();
    if let Some(n) = &i.name {
        new.name = check_area_name(n)?;
    }
    if let Some(u) = check_urban_rural(i.urban_rural.as_deref())? {
        if old.level == Level::County {
            return Err(CmdError::invalid("urban_rural", "县级区划不设城乡属性"));
        }
        new.urban_rural = Some(u);
    }
    if let Some(a) = i.active {
        new.active = a;
    }
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        store::areas::update(tx, &new)?;
        let j =
            |a: &Area| json!({"name": a.name, "urban_rural": a.urban_rural, "active": a.active});
        stamp.record(
            tx,
            "area.update",
            "area",
            Some(new.id),
            Some(&j(&old)),
            Some(&j(&new)),
        )
    })?;
    Ok(AreaDto::from(&new))
}
