//! The desktop's side of connected mode, testable without Tauri: [`Backend`] (the embedded
//! [`Session`] or a [`Remote`]), the file handling that makes every file command work across the
//! network ([`call_remote`]) and the per-desktop connection file ([`connection`]).
//!
//! The commands that make or read a file on the user's desktop take a local path, in both
//! modes, and answer alike. For a remote server the path never leaves the desktop:
//! - a made file (`Dest` in the core: documents, roster, statistics, what-if, standards export,
//!   backup): the call goes with `deliver: "bytes"` instead of the path, the reply's `file` is
//!   checked against its SHA-256 and saved at the path atomically, and the reply comes back with
//!   the path where the embedded reply has it (and no bytes);
//! - a read file (`Source`: ledger preview/import, bank return, standards import): the local
//!   file is read and sent as `upload: {name, base64}`; a refusal of `upload` is shown on `path`,
//!   the field the user typed;
//! - `document.open` and `document.folder` are about this desktop's files and run here.
//!
//! The extension checks the core would make of a path are made here first, so a file the desktop
//! could not save is refused before the server makes it (a document is a step on its case).

pub mod connection;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use base64::Engine;
use doudi_core::files::{sha256_hex, write_atomically, FileBytes, UPLOAD_LIMIT};
use doudi_core::{CmdError, ErrorCode, Session};
use serde_json::{json, Map, Value};

use crate::Remote;

/// Where this desktop's commands run.
pub enum Backend {
    /// The database file on this desktop (or why it could not be opened).
    Embedded(Mutex<Result<Session, CmdError>>),
    /// The county's server.
    Remote(Remote),
}

impl Backend {
    /// Run one named command here or on the server; files are handled as the module says.
    pub fn call(&self, name: &str, args: Value) -> Result<Value, CmdError> {
        match self {
            Backend::Embedded(session) => {
                let mut guard = session
                    .lock()
                    .map_err(|_| CmdError::internal("程序内部状态异常，请重新启动"))?;
                match guard.as_mut() {
                    Ok(s) => doudi_core::call(s, name, args),
                    Err(e) => Err(e.clone()),
                }
            }
            Backend::Remote(remote) => call_remote(remote, name, args),
        }
    }
}

/// What a command does with a file on the desktop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileUse {
    /// Makes a file at the path in argument (and reply) field `field`.
    Made {
        field: &'static str,
        /// The extensions the core accepts (empty: any).
        exts: &'static [&'static str],
        /// The file's format is the path's extension (`format` is sent when not given).
        format_from_ext: bool,
        /// With no path, the core saves in the documents folder under its own name.
        default_in_documents: bool,
    },
    /// Reads the file at `path` (or an `upload`).
    Read,
}

const DOCUMENT: FileUse = FileUse::Made {
    field: "path",
    exts: &["pdf"],
    format_from_ext: false,
    default_in_documents: true,
};

/// Every file command of the core and what it does with the file (commands/files.rs in the
/// core says which commands take a `Dest` or a `Source`).
fn file_use(name: &str) -> Option<FileUse> {
    let made = |field, exts, format_from_ext| FileUse::Made {
        field,
        exts,
        format_from_ext,
        default_in_documents: false,
    };
    Some(match name {
        "document.approval_form"
        | "document.temp_aid_form"
        | "document.refusal_notice"
        | "document.notice"
        | "document.deliberation_application"
        | "document.meeting_minutes" => DOCUMENT,
        "payment.roster" => made("path", &["xlsx", "csv"], true),
        "stats.export" => made("path", &["xlsx", "pdf"], true),
        "benefit.what_if" => made("xlsx", &["xlsx"], false),
        "standard.export" => made("path", &[], false),
        "system.backup" => made("dest", &[], false),
        "ledger.preview" | "ledger.import" | "payment.bank_return" | "standard.import" => {
            FileUse::Read
        }
        _ => return None,
    })
}

/// One call to the county's server with the desktop's files handled (see the module).
pub fn call_remote(remote: &Remote, name: &str, args: Value) -> Result<Value, CmdError> {
    match name {
        "document.open" => return open_here(remote, &args),
        "document.folder" => {
            signed_in(remote)?;
            return Ok(
                json!({"folder": doudi_core::documents::default_dir().display().to_string()}),
            );
        }
        _ => {}
    }
    let Value::Object(mut args) = args else {
        return remote.call(name, args);
    };
    match file_use(name) {
        None => remote.call(name, Value::Object(args)),
        Some(FileUse::Read) => match local_path(&args, "path") {
            Some(path) if !args.contains_key("upload") => {
                args.remove("path");
                args.insert("upload".into(), upload_of(&path)?);
                remote
                    .call(name, Value::Object(args))
                    .map_err(upload_refusal_on_path)
            }
            _ => remote.call(name, Value::Object(args)),
        },
        Some(FileUse::Made {
            field,
            exts,
            format_from_ext,
            default_in_documents,
        }) => {
            if args.contains_key("deliver") {
                return remote.call(name, Value::Object(args));
            }
            let path = match local_path(&args, field) {
                Some(p) => Some(p),
                None if default_in_documents => None,
                // No path: the server refuses or answers without a file, as embedded.
                None => return remote.call(name, Value::Object(args)),
            };
            let ext = match &path {
                Some(p) => check_ext(field, p, exts)?,
                None => String::new(),
            };
            if let Some(p) = &path {
                ready_folder(field, p, default_in_documents)?;
            }
            args.remove(field);
            args.insert("deliver".into(), json!("bytes"));
            if format_from_ext && !args.contains_key("format") {
                args.insert("format".into(), json!(ext));
            }
            let reply = remote.call(name, Value::Object(args))?;
            let at = match path {
                Some(p) => p,
                None => doudi_core::documents::default_dir().join(file_name(&reply)?),
            };
            save_reply(field, reply, &at, default_in_documents)
        }
    }
}

fn signed_in(remote: &Remote) -> Result<(), CmdError> {
    match remote.token() {
        Some(_) => Ok(()),
        None => Err(CmdError::new(ErrorCode::Unauthenticated, "请先登录")),
    }
}

/// `document.open` on this desktop: the file is here, so is the viewer.
fn open_here(remote: &Remote, args: &Value) -> Result<Value, CmdError> {
    signed_in(remote)?;
    let Some(path) = args.get("path").and_then(Value::as_str) else {
        return Err(CmdError::invalid("path", "缺少必填项 path（要打开的文件）"));
    };
    let opened = doudi_core::documents::open_in_viewer(Path::new(path.trim()))
        .map_err(|e| CmdError::invalid(&e.field, e.message))?;
    Ok(json!({"opened": opened.display().to_string()}))
}

/// The non-empty path in `field`, if there is one.
fn local_path(args: &Map<String, Value>, field: &str) -> Option<PathBuf> {
    args.get(field)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
}

/// The path's extension, lower case, if the core would accept it (field `field`).
fn check_ext(field: &str, path: &Path, exts: &[&str]) -> Result<String, CmdError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    if exts.is_empty() || exts.contains(&ext.as_str()) {
        return Ok(ext);
    }
    let wanted: Vec<String> = exts.iter().map(|e| format!(".{e}")).collect();
    Err(CmdError::invalid(
        field,
        format!("文件名须以 {} 结尾", wanted.join(" 或 ")),
    ))
}

/// The folder the file goes in: created for a document (as embedded), else it must exist —
/// checked before the server is asked, so nothing is made that cannot be saved.
fn ready_folder(field: &str, path: &Path, create: bool) -> Result<(), CmdError> {
    let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) else {
        return Ok(());
    };
    if create {
        std::fs::create_dir_all(dir)
            .map_err(|e| CmdError::invalid(field, format!("无法创建文件夹 {}：{e}", dir.display())))
    } else if dir.is_dir() {
        Ok(())
    } else {
        Err(CmdError::invalid(
            field,
            format!(
                "文件夹 {} 不存在，请先建好文件夹或换一个保存位置",
                dir.display()
            ),
        ))
    }
}

/// A local file as the core's `upload`; refusals name `path`.
fn upload_of(path: &Path) -> Result<Value, CmdError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| CmdError::invalid("path", format!("无法读取 {}：{e}", path.display())))?;
    if meta.len() > UPLOAD_LIMIT as u64 {
        return Err(CmdError::invalid(
            "path",
            format!(
                "文件 {} 有 {} MB，超过上传上限 50 MB，请拆分后再导入",
                path.display(),
                meta.len() / (1024 * 1024)
            ),
        ));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| CmdError::invalid("path", format!("无法读取 {}：{e}", path.display())))?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| CmdError::invalid("path", "路径没有文件名"))?;
    let file = FileBytes::of(name, &bytes);
    Ok(json!({"name": file.name, "base64": file.base64}))
}

/// The server names `upload`; the user typed `path`.
fn upload_refusal_on_path(mut e: CmdError) -> CmdError {
    if e.field.as_deref() == Some("upload") || e.field.as_deref() == Some("upload.name") {
        e.field = Some("path".into());
    }
    e
}

fn file_name(reply: &Value) -> Result<String, CmdError> {
    let name = reply["file"]["name"]
        .as_str()
        .ok_or_else(|| CmdError::internal("服务器没有返回文件内容，文件未保存"))?;
    // The name is the server's: only its last part, never a path.
    Path::new(name)
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.starts_with('.'))
        .map(str::to_owned)
        .ok_or_else(|| CmdError::internal(format!("服务器返回的文件名 {name} 不可用，文件未保存")))
}

/// Save the reply's `file` at `at` and answer as embedded mode: the path in `field`, no bytes.
fn save_reply(field: &str, mut reply: Value, at: &Path, create: bool) -> Result<Value, CmdError> {
    let Some(file) = reply.as_object_mut().and_then(|o| o.remove("file")) else {
        return Err(CmdError::internal("服务器没有返回文件内容，文件未保存"));
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(file["base64"].as_str().unwrap_or(""))
        .map_err(|e| CmdError::internal(format!("服务器返回的文件无法解码（{e}），文件未保存")))?;
    if file["sha256"].as_str() != Some(sha256_hex(&bytes).as_str()) {
        return Err(CmdError::internal(
            "服务器返回的文件在传输中损坏（SHA-256 不符），文件未保存，请重试",
        ));
    }
    if create {
        ready_folder(field, at, true)?;
    }
    write_atomically(at, &bytes).map_err(|e| {
        CmdError::invalid(
            field,
            format!(
                "服务器已生成文件，但无法保存到 {}：{e}；请换一个保存位置再试",
                at.display()
            ),
        )
    })?;
    reply[field] = json!(at.display().to_string());
    Ok(reply)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_command_of_the_core_is_known() {
        for name in [
            "document.approval_form",
            "document.meeting_minutes",
            "payment.roster",
            "stats.export",
            "benefit.what_if",
            "standard.export",
            "system.backup",
        ] {
            assert!(
                matches!(file_use(name), Some(FileUse::Made { .. })),
                "{name}"
            );
        }
        for name in [
            "ledger.preview",
            "ledger.import",
            "payment.bank_return",
            "standard.import",
        ] {
            assert_eq!(file_use(name), Some(FileUse::Read), "{name}");
        }
        assert_eq!(file_use("case.act"), None);
    }

    #[test]
    fn extensions_are_refused_before_anything_is_sent() {
        let e = check_ext("path", Path::new("/tmp/a.docx"), &["pdf"]).unwrap_err();
        assert_eq!(
            (e.field.as_deref(), e.message.as_str()),
            (Some("path"), "文件名须以 .pdf 结尾")
        );
        let e = check_ext("path", Path::new("r"), &["xlsx", "csv"]).unwrap_err();
        assert_eq!(e.message, "文件名须以 .xlsx 或 .csv 结尾");
        assert_eq!(
            check_ext("path", Path::new("a.CSV"), &["xlsx", "csv"]).unwrap(),
            "csv"
        );
        assert_eq!(check_ext("dest", Path::new("a.bak"), &[]).unwrap(), "bak");
    }

    #[test]
    fn a_file_whose_digest_differs_is_not_saved() {
        let dir = tempfile::tempdir().unwrap();
        let at = dir.path().join("a.pdf");
        let mut file = serde_json::to_value(FileBytes::of("a.pdf", b"%PDF-1.7")).unwrap();
        file["sha256"] = json!(sha256_hex(b"other"));
        let e = save_reply("path", json!({"bytes": 8, "file": file}), &at, false).unwrap_err();
        assert!(e.message.contains("SHA-256 不符"), "{}", e.message);
        assert!(!at.exists());
        let file = serde_json::to_value(FileBytes::of("a.pdf", b"%PDF-1.7")).unwrap();
        let r = save_reply("path", json!({"bytes": 8, "file": file}), &at, false).unwrap();
        assert_eq!(r, json!({"bytes": 8, "path": at.display().to_string()}));
        assert_eq!(std::fs::read(&at).unwrap(), b"%PDF-1.7");
    }

    #[test]
    fn a_server_file_name_is_only_a_name() {
        let ok = json!({"file": {"name": "2026-00001-审批表.pdf"}});
        assert_eq!(file_name(&ok).unwrap(), "2026-00001-审批表.pdf");
        let sneaky = json!({"file": {"name": "../../.bashrc"}});
        assert!(file_name(&sneaky).is_err());
    }
}
