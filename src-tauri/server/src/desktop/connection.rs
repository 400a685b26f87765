//! The per-desktop connection file, `connection.json` in the app's data folder: this desktop's
//! own database (`{"mode": "embedded"}`) or the county's server (`{"mode": "server", "address",
//! "fingerprint"}`). It holds no token and no password: a sign-in lives in memory only.
//!
//! A server is tested before it is saved ([`test`]): the pinned certificate must match (else
//! [`crate::client::WRONG_CERTIFICATE`]), `GET /health` must answer ok, and the server's schema
//! must be this program's.

use std::path::{Path, PathBuf};

use doudi_core::files::write_atomically;
use doudi_core::CmdError;
use serde::{Deserialize, Serialize};

use crate::Remote;

/// The connection file's name in the app's data folder.
pub const FILE: &str = "connection.json";

/// Where this desktop works.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(tag = "mode", rename_all = "snake_case", deny_unknown_fields)]
pub enum Connection {
    /// 本机数据库: the database file on this desktop.
    Embedded,
    /// 连接县级服务器: `host:port` and the SHA-256 fingerprint `doudi serve --init` printed.
    Server {
        address: String,
        fingerprint: String,
    },
}

impl Connection {
    /// The same connection with the address and fingerprint as they will be stored: trimmed,
    /// the fingerprint without spaces.
    pub fn tidy(self) -> Connection {
        match self {
            Connection::Embedded => Connection::Embedded,
            Connection::Server {
                address,
                fingerprint,
            } => Connection::Server {
                address: address.trim().to_owned(),
                fingerprint: fingerprint.split_whitespace().collect(),
            },
        }
    }
}

/// The connection file in `dir`.
pub fn path(dir: &Path) -> PathBuf {
    dir.join(FILE)
}

/// The saved connection; `None` when none was ever chosen (the first run). A file that cannot
/// be read is refused with its path, so the desktop never silently works on the wrong database.
pub fn load(dir: &Path) -> Result<Option<Connection>, CmdError> {
    let p = path(dir);
    let text = match std::fs::read_to_string(&p) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(CmdError::internal(format!(
                "无法读取连接设置 {}：{e}",
                p.display()
            )))
        }
    };
    serde_json::from_str(&text).map(Some).map_err(|e| {
        CmdError::internal(format!(
            "连接设置 {} 已损坏（{e}），请在“本机信息”重新选择本机数据库或县级服务器",
            p.display()
        ))
    })
}

/// Save the connection (atomically; the folder is made if need be).
pub fn save(dir: &Path, c: &Connection) -> Result<(), CmdError> {
    let refuse = |e: std::io::Error| {
        CmdError::internal(format!("无法保存连接设置 {}：{e}", path(dir).display()))
    };
    std::fs::create_dir_all(dir).map_err(refuse)?;
    let text = serde_json::to_vec_pretty(c).expect("a connection serializes");
    write_atomically(&path(dir), &text).map_err(refuse)
}

/// Connect to a server and check it answers as this program's server: the pinned certificate,
/// `GET /health` ok, the same schema version. Returns the (not yet signed in) connection.
pub fn test(address: &str, fingerprint: &str) -> Result<Remote, CmdError> {
    let remote = Remote::connect(address, fingerprint)?;
    let health = remote.health()?;
    if health["ok"] != true {
        let why = health["message"].as_str().unwrap_or("未说明原因");
        return Err(CmdError::invalid(
            "address",
            format!("县级服务器已连通，但其数据库不可用：{why}"),
        ));
    }
    let theirs = health["schema_version"].as_i64().unwrap_or(0);
    let ours = doudi_core::db::SCHEMA_VERSION;
    if theirs != ours {
        return Err(CmdError::invalid(
            "address",
            format!(
                "县级服务器的数据库版本为 {theirs}，本机程序为 {ours}：请将服务器与本机安装同一版本的 Doudi"
            ),
        ));
    }
    Ok(remote)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connection_round_trips_and_a_broken_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()).unwrap(), None);
        let c = Connection::Server {
            address: " 10.1.2.3:8443 ".into(),
            fingerprint: "AB CD\nEF".into(),
        }
        .tidy();
        save(&dir.path().join("Doudi"), &c).unwrap();
        assert_eq!(load(&dir.path().join("Doudi")).unwrap(), Some(c));
        let text = std::fs::read_to_string(path(&dir.path().join("Doudi"))).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"mode": "server", "address": "10.1.2.3:8443", "fingerprint": "ABCDEF"})
        );
        save(dir.path(), &Connection::Embedded).unwrap();
        assert_eq!(load(dir.path()).unwrap(), Some(Connection::Embedded));
        std::fs::write(path(dir.path()), "{\"mode\": \"cloud\"}").unwrap();
        let e = load(dir.path()).unwrap_err();
        assert!(
            e.message.contains("连接设置") && e.message.contains("已损坏"),
            "{}",
            e.message
        );
    }
}
