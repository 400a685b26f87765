//! User administration (administrator only).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::auth::{Done, UserDto};
use super::{input, Session, Stamp};
use crate::auth::{self, Role, User};
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::store::{self};

const ADMIN: &[Role] = &[Role::Admin];

#[derive(Serialize, JsonSchema)]
pub(crate) struct UserList {
    users: Vec<UserDto>,
}

pub(crate) fn list(s: &mut Session, _: Value) -> CmdResult<UserList> {
    s.require(ADMIN, "查看用户")?;
    let users = store::users::all(&s.conn)?
        .iter()
        .map(|u| UserDto::of(&s.conn, u))
        .collect::<CmdResult<_>>()?;
    Ok(UserList { users })
}

/// The user's area must exist and be of the role's level.
fn check_role_area(conn: &rusqlite::Connection, role: Role, area_id: i64) -> CmdResult<()> {
    let area = store::areas::get(conn, area_id)?
        .ok_or_else(|| CmdError::invalid("area_id", format!("所属单位 {area_id} 不存在")))?;
    auth::check_role_level(role, area.level, &area.name)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateIn {
    username: String,
    display_name: String,
    role: String,
    area_id: i64,
    password: String,
}

pub(crate) fn create(s: &mut Session, v: Value) -> CmdResult<UserDto> {
    s.require(ADMIN, "创建用户")?;
    let i: CreateIn = input(v)?;
    auth::check_username(&i.username)?;
    let display_name = crate::registry::check_name("display_name", &i.display_name)?;
    let role = auth::parse_role(&i.role)?;
    check_role_area(&s.conn, role, i.area_id)?;
    auth::check_password_rule("password", &i.password)?;
    let hash = auth::hash_password(&i.password)?;
    let stamp = Stamp::of(s)?;
    let mut user = User {
        id: 0,
        username: i.username,
        display_name,
        role,
        area_id: i.area_id,
        active: true,
        // The administrator knows this password: it is for the first sign-in only.
        must_change_password: true,
    };
    user.id = with_tx(&mut s.conn, |tx| {
        let id = store::users::insert(tx, &user, &hash, &stamp.at)?;
        let after = json!({"username": user.username, "display_name": user.display_name, "role": role.as_str(), "area_id": user.area_id, "must_change_password": true});
        stamp.record(tx, "user.create", "user", Some(id), None, Some(&after))?;
        Ok(id)
    })?;
    UserDto::of(&s.conn, &user)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateIn {
    id: i64,
    display_name: Option<String>,
    role: Option<String>,
    area_id: Option<i64>,
    active: Option<bool>,
}

pub(crate) fn update(s: &mut Session, v: Value) -> CmdResult<UserDto> {
    let me = s.require(ADMIN, "修改用户")?.clone();
    let i: UpdateIn = input(v)?;
    let old = store::users::get(&s.conn, i.id)?
        .ok_or_else(|| CmdError::not_found(format!("用户 {} 不存在", i.id)))?;
    let mut new = old.clone();
    if let Some(n) = &i.display_name {
        new.display_name = crate::registry::check_name("display_name", n)?;
    }
    if let Some(r) = &i.role {
        new.role = auth::parse_role(r)?;
    }
    if let Some(a) = i.area_id {
        new.area_id = a;
    }
    if let Some(a) = i.active {
        new.active = a;
    }
    check_role_area(&s.conn, new.role, new.area_id)?;
    if me.id == new.id && (!new.active || new.role != Role::Admin) {
        return Err(CmdError::invalid(
            "role",
            "不能停用自己或取消自己的管理员角色，请由另一位管理员操作",
        ));
    }
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        store::users::update(tx, &new)?;
        if old.active && !new.active {
            // A deactivated user's desktops are signed out at once.
            store::tokens::revoke_user(tx, new.id, None, &stamp.at)?;
        }
        let j = |u: &User| json!({"display_name": u.display_name, "role": u.role.as_str(), "area_id": u.area_id, "active": u.active});
        stamp.record(
            tx,
            "user.update",
            "user",
            Some(new.id),
            Some(&j(&old)),
            Some(&j(&new)),
        )
    })?;
    UserDto::of(&s.conn, &new)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResetIn {
    id: i64,
    password: String,
}

/// The password the administrator sets is for one sign-in: the user must then set their own
/// (`must_change_password`), so the administrator cannot go on acting under their name.
pub(crate) fn reset_password(s: &mut Session, v: Value) -> CmdResult<Done> {
    s.require(ADMIN, "重置密码")?;
    let i: ResetIn = input(v)?;
    let user = store::users::get(&s.conn, i.id)?
        .ok_or_else(|| CmdError::not_found(format!("用户 {} 不存在", i.id)))?;
    auth::check_password_rule("password", &i.password)?;
    let hash = auth::hash_password(&i.password)?;
    let stamp = Stamp::of(s)?;
    with_tx(&mut s.conn, |tx| {
        store::users::set_password(tx, i.id, &hash, true)?;
        // Whoever is signed in as the user (perhaps with a stolen password) is signed out.
        store::tokens::revoke_user(tx, i.id, None, &stamp.at)?;
        stamp.record(
            tx,
            "user.reset_password",
            "user",
            Some(i.id),
            Some(&json!({"username": user.username, "must_change_password": user.must_change_password})),
            Some(&json!({"username": user.username, "must_change_password": true})),
        )
    })?;
    Ok(Done {
        reset: Some(true),
        ..Done::default()
    })
}
