//! Sign-in, sign-out, first-run setup and one's own password.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{input, Session, Stamp};
use crate::auth::{self, Role, User};
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::store::areas::{Area, Level};
use crate::store::{self};

#[derive(Serialize, JsonSchema)]
pub(crate) struct UserDto {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: &'static str,
    pub role_label: &'static str,
    pub area_id: i64,
    pub area_name: String,
    pub active: bool,
    /// The password was set by the administrator: the user must set their own before anything
    /// else (every other command is refused with `forbidden`, field `password`).
    pub must_change_password: bool,
}

impl UserDto {
    pub fn of(conn: &rusqlite::Connection, u: &User) -> CmdResult<UserDto> {
        let area_name = store::areas::get(conn, u.area_id)?
            .map(|a| a.name)
            .unwrap_or_default();
        Ok(UserDto {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            role: u.role.as_str(),
            role_label: u.role.label(),
            area_id: u.area_id,
            area_name,
            active: u.active,
            must_change_password: u.must_change_password,
        })
    }
}

/// Whether the database has users, the county's name, and who is signed in.
#[derive(Serialize, JsonSchema)]
pub(crate) struct StatusReply {
    has_users: bool,
    county_name: Option<String>,
    user: Option<UserDto>,
}

/// `{"signed_out": true}`, `{"changed": true}`, `{"reset": true}`, `{"withdrawn": true}`: a
/// step that has nothing more to say than that it was done.
#[derive(Serialize, JsonSchema, Default)]
pub(crate) struct Done {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed_out: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reset: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<bool>,
}

pub(crate) fn status(s: &mut Session, _: Value) -> CmdResult<StatusReply> {
    let user = s
        .user
        .as_ref()
        .map(|u| UserDto::of(&s.conn, u))
        .transpose()?;
    Ok(StatusReply {
        has_users: store::users::count(&s.conn)? > 0,
        county_name: store::areas::county(&s.conn)?.map(|a| a.name),
        user,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetupIn {
    county_name: String,
    county_code: String,
    username: String,
    display_name: String,
    password: String,
}

/// Only on an empty database: the county area and the first administrator, who is signed in.
pub(crate) fn setup(s: &mut Session, v: Value) -> CmdResult<StatusReply> {
    let i: SetupIn = input(v)?;
    if store::users::count(&s.conn)? > 0 {
        return Err(CmdError::forbidden(
            "系统已经初始化，不能再次创建管理员；请用管理员账号登录",
        ));
    }
    let county_name = &crate::registry::check_county(&i.county_name, &i.county_code)?;
    auth::check_username(&i.username)?;
    let display_name = crate::registry::check_name("display_name", &i.display_name)?;
    auth::check_password_rule("password", &i.password)?;
    let hash = auth::hash_password(&i.password)?;
    let at = s.now_text();
    let user = with_tx(&mut s.conn, |tx| {
        let county = Area {
            id: 0,
            parent_id: None,
            level: Level::County,
            code: i.county_code.clone(),
            name: county_name.to_owned(),
            urban_rural: None,
            active: true,
        };
        let county_id = store::areas::insert(tx, &county)?;
        let mut user = User {
            id: 0,
            username: i.username.clone(),
            display_name: display_name.clone(),
            role: Role::Admin,
            area_id: county_id,
            active: true,
            // The first administrator chose this password themselves.
            must_change_password: false,
        };
        user.id = store::users::insert(tx, &user, &hash, &at)?;
        let stamp = Stamp {
            user_name: user.username.clone(),
            at: at.clone(),
        };
        stamp.record(
            tx,
            "auth.setup",
            "area",
            Some(county_id),
            None,
            Some(&json!({"name": county_name, "code": i.county_code})),
        )?;
        stamp.record(
            tx,
            "auth.setup",
            "user",
            Some(user.id),
            None,
            Some(&json!({"username": user.username, "role": "admin"})),
        )?;
        Ok(user)
    })?;
    s.user = Some(user);
    status(s, Value::Null)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignInIn {
    username: String,
    password: String,
}

pub(crate) fn sign_in(s: &mut Session, v: Value) -> CmdResult<StatusReply> {
    let i: SignInIn = input(v)?;
    if i.username.trim().is_empty() {
        return Err(CmdError::invalid("username", "请填写用户名"));
    }
    // Too many recent failures: refused before the password is even looked at.
    let window_start = s.clock.now() - chrono::Duration::minutes(auth::SIGN_IN_WINDOW_MINUTES);
    let since = window_start.format("%Y-%m-%d %H:%M:%S").to_string();
    auth::check_sign_in_throttle(store::tokens::failures_since(
        &s.conn,
        i.username.trim(),
        &since,
    )?)?;
    let found = store::users::by_username(&s.conn, i.username.trim())?;
    let at = s.now_text();
    match found {
        Some((user, hash)) if user.active && auth::verify_password(&i.password, &hash) => {
            let stamp = Stamp {
                user_name: user.username.clone(),
                at,
            };
            with_tx(&mut s.conn, |tx| {
                stamp.record(tx, "auth.sign_in", "user", Some(user.id), None, None)
            })?;
            s.user = Some(user);
            status(s, Value::Null)
        }
        Some((user, _)) if !user.active => Err(CmdError::new(
            crate::error::ErrorCode::Unauthenticated,
            "此账号已停用，请联系管理员",
        )),
        _ => {
            // Failed attempts are part of the record an auditor reads.
            let stamp = Stamp {
                user_name: i.username.trim().to_owned(),
                at,
            };
            with_tx(&mut s.conn, |tx| {
                stamp.record(tx, "auth.sign_in_failed", "user", None, None, None)
            })?;
            Err(auth::wrong_credentials())
        }
    }
}

/// Signs out; over the network the call's token is revoked too.
pub(crate) fn sign_out(s: &mut Session, _: Value) -> CmdResult<Done> {
    if let Some(id) = s.token_id.take() {
        let at = s.now_text();
        with_tx(&mut s.conn, |tx| store::tokens::revoke(tx, id, &at))?;
    }
    s.user = None;
    Ok(Done {
        signed_out: Some(true),
        ..Done::default()
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChangePasswordIn {
    old_password: String,
    new_password: String,
}

pub(crate) fn change_password(s: &mut Session, v: Value) -> CmdResult<Done> {
    let i: ChangePasswordIn = input(v)?;
    let user = s.user()?.clone();
    let (_, hash) = store::users::by_username(&s.conn, &user.username)?
        .ok_or_else(|| CmdError::not_found("用户不存在"))?;
    if !auth::verify_password(&i.old_password, &hash) {
        return Err(CmdError::invalid("old_password", "原密码不正确"));
    }
    auth::check_new_password(&i.old_password, &i.new_password)?;
    let new_hash = auth::hash_password(&i.new_password)?;
    let stamp = Stamp::of(s)?;
    let keep = s.token_id;
    with_tx(&mut s.conn, |tx| {
        store::users::set_password(tx, user.id, &new_hash, false)?;
        // Signed in elsewhere with the old password: those sessions end (not this one).
        store::tokens::revoke_user(tx, user.id, keep, &stamp.at)?;
        stamp.record(
            tx,
            "auth.change_password",
            "user",
            Some(user.id),
            Some(&json!({"must_change_password": user.must_change_password})),
            Some(&json!({"must_change_password": false})),
        )
    })?;
    if let Some(u) = s.user.as_mut() {
        u.must_change_password = false;
    }
    Ok(Done {
        changed: Some(true),
        ..Done::default()
    })
}
