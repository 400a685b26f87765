//! Users, roles and passwords. Passwords are hashed with Argon2id (PHC strings); the plain text
//! is never stored or logged.

use crate::error::{CmdError, CmdResult, ErrorCode};
use crate::store::areas::Level;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

/// A user's role; its code (`as_str`) is what is stored and what replies show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// 乡镇/街道 经办人
    Caseworker,
    /// 乡镇 审核人
    Reviewer,
    /// 县民政局 审批人
    Approver,
    /// 协调机制 成员单位 representative
    MemberUnit,
    /// 管理员
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Caseworker,
        Role::Reviewer,
        Role::Approver,
        Role::MemberUnit,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Caseworker => "caseworker",
            Role::Reviewer => "reviewer",
            Role::Approver => "approver",
            Role::MemberUnit => "member_unit",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Caseworker => "乡镇经办人",
            Role::Reviewer => "乡镇审核人",
            Role::Approver => "县级审批人",
            Role::MemberUnit => "成员单位代表",
            Role::Admin => "管理员",
        }
    }

    /// Township roles belong to a township; the others to the county.
    pub fn works_in_township(self) -> bool {
        match self {
            Role::Caseworker | Role::Reviewer => true,
            Role::Approver | Role::MemberUnit | Role::Admin => false,
        }
    }
}

/// The signed-in user, as every command sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// A township for township roles, the county otherwise.
    pub area_id: i64,
    pub active: bool,
    /// The password was set by the administrator (a reset or a new account): until the user sets
    /// their own, they may only read their status, change the password or sign out.
    pub must_change_password: bool,
}

pub const MIN_PASSWORD_CHARS: usize = 8;

pub fn check_password_rule(field: &str, password: &str) -> CmdResult<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(CmdError::invalid(
            field,
            format!("密码至少 {MIN_PASSWORD_CHARS} 位"),
        ));
    }
    if password.chars().all(|c| c.is_ascii_digit()) {
        return Err(CmdError::invalid(field, "密码不能全是数字，请加入字母"));
    }
    Ok(())
}

pub fn hash_password(password: &str) -> CmdResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| CmdError::internal(format!("密码加密失败：{e}")))
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Commands a user whose password was set by the administrator may still call.
pub const BEFORE_PASSWORD_CHANGE: [&str; 4] = [
    "auth.status",
    "auth.sign_in",
    "auth.change_password",
    "auth.sign_out",
];

/// Whether `user` may call `command` now: refused (`forbidden`, field `password`) while their
/// password is still the one the administrator set, except the commands that let them set it.
pub fn check_password_set(user: &User, command: &str) -> CmdResult<()> {
    if user.must_change_password && !BEFORE_PASSWORD_CHANGE.contains(&command) {
        return Err(CmdError {
            code: ErrorCode::Forbidden,
            message: "您的密码是管理员设定的临时密码，请先设置自己的新密码，再办理其他事项".into(),
            field: Some("password".into()),
        });
    }
    Ok(())
}

/// A new password must differ from the current one (field `new_password`).
pub fn check_new_password(old: &str, new: &str) -> CmdResult<()> {
    if old == new {
        return Err(CmdError::invalid(
            "new_password",
            "新密码不能与原密码相同，请设置一个只有您自己知道的新密码",
        ));
    }
    check_password_rule("new_password", new)
}

/// Failed sign-ins an account may have in [`SIGN_IN_WINDOW_MINUTES`] (since its last successful
/// sign-in) before further attempts are refused without looking at the password. Applies to the
/// desktop and the server alike; the server throttles each address on top of this.
pub const SIGN_IN_FAILURES_ALLOWED: i64 = 5;
/// The window, in minutes, in which [`SIGN_IN_FAILURES_ALLOWED`] failures lock an account.
pub const SIGN_IN_WINDOW_MINUTES: i64 = 15;

/// Refuse a sign-in to an account with `failures` failed attempts in the window.
pub fn check_sign_in_throttle(failures: i64) -> CmdResult<()> {
    if failures >= SIGN_IN_FAILURES_ALLOWED {
        return Err(CmdError {
            code: ErrorCode::Unauthenticated,
            message: format!("该账号登录失败次数过多，请 {SIGN_IN_WINDOW_MINUTES} 分钟后再试"),
            field: Some("username".into()),
        });
    }
    Ok(())
}

pub fn wrong_credentials() -> CmdError {
    CmdError {
        code: ErrorCode::Unauthenticated,
        message: "用户名或密码不正确".into(),
        field: Some("password".into()),
    }
}

pub fn check_username(username: &str) -> CmdResult<()> {
    let ok = (2..=32).contains(&username.chars().count())
        && username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-');
    if ok {
        Ok(())
    } else {
        Err(CmdError::invalid(
            "username",
            "用户名应为 2–32 位字母、数字、下划线、点或连字符",
        ))
    }
}

/// A role by its code (field `role`).
pub fn parse_role(s: &str) -> CmdResult<Role> {
    Role::parse(s).ok_or_else(|| {
        let all: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        CmdError::invalid("role", format!("角色“{s}”无效，可选：{}", all.join("、")))
    })
}

/// A township role must sit in a township, a county role in the county (field `area_id`).
pub fn check_role_level(role: Role, level: Level, area_name: &str) -> CmdResult<()> {
    let want = if role.works_in_township() {
        Level::Township
    } else {
        Level::County
    };
    if level != want {
        return Err(CmdError::invalid(
            "area_id",
            format!(
                "{}应属于{}，而“{area_name}”是{}",
                role.label(),
                want.label(),
                level.label()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fifth_failure_locks_the_account() {
        for (failures, refused) in [(0, false), (4, false), (5, true), (9, true)] {
            let r = check_sign_in_throttle(failures);
            assert_eq!(r.is_err(), refused, "{failures}");
            if let Err(e) = r {
                assert_eq!(e.message, "该账号登录失败次数过多，请 15 分钟后再试");
                assert_eq!(e.field.as_deref(), Some("username"));
            }
        }
    }

    #[test]
    fn password_round_trip() {
        let h = hash_password("secret-123").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("secret-123", &h));
        assert!(!verify_password("secret-124", &h));
        assert!(!verify_password("secret-123", "not a hash"));
    }

    #[test]
    fn roles_sit_at_their_level() {
        assert!(check_role_level(Role::Caseworker, Level::Township, "城关镇").is_ok());
        assert!(check_role_level(Role::Approver, Level::County, "清河县").is_ok());
        let e = check_role_level(Role::Reviewer, Level::County, "清河县").unwrap_err();
        assert_eq!(e.message, "乡镇审核人应属于乡镇/街道，而“清河县”是县（区）");
        assert_eq!(parse_role("admin").unwrap(), Role::Admin);
        assert_eq!(
            parse_role("boss").unwrap_err().field.as_deref(),
            Some("role")
        );
    }

    #[test]
    fn a_password_set_by_the_administrator_allows_only_setting_ones_own() {
        let mut u = User {
            id: 1,
            username: "jbr1".into(),
            display_name: "王经办".into(),
            role: Role::Caseworker,
            area_id: 2,
            active: true,
            must_change_password: true,
        };
        // (command, allowed while the password is the administrator's)
        let table = [
            ("auth.status", true),
            ("auth.sign_in", true),
            ("auth.change_password", true),
            ("auth.sign_out", true),
            ("household.list", false),
            ("case.act", false),
            ("user.reset_password", false),
        ];
        for (command, allowed) in table {
            let r = check_password_set(&u, command);
            assert_eq!(r.is_ok(), allowed, "{command}");
            if let Err(e) = r {
                assert_eq!(e.code, ErrorCode::Forbidden);
                assert_eq!(e.field.as_deref(), Some("password"));
            }
        }
        u.must_change_password = false;
        assert!(check_password_set(&u, "case.act").is_ok());
    }

    #[test]
    fn a_new_password_differs_from_the_old_one() {
        let e = check_new_password("test-pass-1", "test-pass-1").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("new_password"));
        assert_eq!(
            check_new_password("a", "1234567890").unwrap_err().message,
            "密码不能全是数字，请加入字母"
        );
        assert!(check_new_password("test-pass-1", "my-own-pass-2").is_ok());
    }

    #[test]
    fn password_rules() {
        assert_eq!(
            check_password_rule("password", "short")
                .unwrap_err()
                .message,
            "密码至少 8 位"
        );
        assert!(check_password_rule("password", "12345678").is_err());
        assert!(check_password_rule("password", "abcd1234").is_ok());
    }
}
