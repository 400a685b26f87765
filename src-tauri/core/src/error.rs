//! The one error shape that crosses the command boundary: `{code, message, field}`.
//!
//! `code` is stable and consumers branch on it; `message` is Chinese and tells the user what to
//! fix; `field` names the input field at fault, when there is one.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Input broke a rule; `field` says which input.
    InvalidInput,
    /// The named record does not exist.
    NotFound,
    /// The change clashes with existing data (a duplicate, an active membership elsewhere).
    Conflict,
    /// No user is signed in, or the password is wrong.
    Unauthenticated,
    /// The signed-in user's role may not do this.
    Forbidden,
    /// No such command.
    UnknownCommand,
    /// The database file was written by a newer Doudi.
    DbTooNew,
    /// The file is not a Doudi database or is damaged.
    DbCorrupt,
    /// Another program holds the database.
    DbLocked,
    /// Anything else: a bug or an I/O failure.
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct CmdError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl CmdError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> CmdError {
        CmdError {
            code,
            message: message.into(),
            field: None,
        }
    }

    /// A rule broken by one input field.
    pub fn invalid(field: &str, message: impl Into<String>) -> CmdError {
        CmdError {
            code: ErrorCode::InvalidInput,
            message: message.into(),
            field: Some(field.to_owned()),
        }
    }

    pub fn not_found(message: impl Into<String>) -> CmdError {
        CmdError::new(ErrorCode::NotFound, message)
    }

    pub fn conflict(field: &str, message: impl Into<String>) -> CmdError {
        CmdError {
            code: ErrorCode::Conflict,
            message: message.into(),
            field: Some(field.to_owned()),
        }
    }

    pub fn forbidden(message: impl Into<String>) -> CmdError {
        CmdError::new(ErrorCode::Forbidden, message)
    }

    pub fn internal(message: impl Into<String>) -> CmdError {
        CmdError::new(ErrorCode::Internal, message)
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("CmdError always serializes")
    }
}

pub type CmdResult<T> = Result<T, CmdError>;

impl From<rusqlite::Error> for CmdError {
    fn from(e: rusqlite::Error) -> CmdError {
        use rusqlite::ffi::ErrorCode as Sq;
        match e.sqlite_error_code() {
            Some(Sq::DatabaseBusy) | Some(Sq::DatabaseLocked) => CmdError::new(
                ErrorCode::DbLocked,
                "数据库正被另一个程序或另一位用户占用（如正在月度发放、台账导入），请稍后再试",
            ),
            Some(Sq::NotADatabase) | Some(Sq::DatabaseCorrupt) => CmdError::new(
                ErrorCode::DbCorrupt,
                "数据库文件已损坏或不是 Doudi 数据库，请从备份恢复",
            ),
            Some(Sq::ReadOnly) | Some(Sq::CannotOpen) | Some(Sq::PermissionDenied) => {
                CmdError::new(ErrorCode::Internal, format!("无法写入数据库文件：{e}"))
            }
            _ => CmdError::internal(format!("数据库错误：{e}")),
        }
    }
}
