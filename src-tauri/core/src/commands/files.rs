//! Files across the network, decided once for every command that makes or reads a file.
//!
//! Where a made file goes ([`Dest`]): `"path": "…"` — saved on the machine that runs the core,
//! atomically (embedded mode, as always) — or `"deliver": "bytes"` — nothing is written there and
//! the reply carries `"file": {name, media_type, size, sha256, base64}` for the desktop to save
//! (connected mode). Where a read file comes from ([`Source`]): `"path"` or `"upload": {name,
//! base64}` (at most 50 MB); the file name's extension decides the format either way. In bytes
//! and upload mode the audit row records the file's name and SHA-256 instead of a path
//! ([`Where`]). The pure part (digest, base64, scratch folder, atomic write) is
//! [`crate::files`].

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{CmdError, CmdResult};
use crate::files::{self, FileBytes, Scratch};

/// `"deliver": "bytes"`: return the file's bytes instead of saving it.
#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Deliver {
    Bytes,
}

/// `"upload": {"name", "base64"}`: a file sent with the call.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Upload {
    name: String,
    base64: String,
}

/// Where a made file goes.
pub(crate) enum Dest {
    /// Saved here on the core's machine, written aside then renamed into place.
    Path(PathBuf),
    /// Returned in the reply's `file`.
    Bytes,
}

/// What the audit row says of a file: its path, or its name and SHA-256.
#[derive(Serialize, Default, Clone)]
pub(crate) struct Where {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// A made file: the path it was saved at, or its bytes for the reply.
pub(crate) struct Saved {
    pub path: Option<String>,
    pub file: Option<FileBytes>,
    pub size: u64,
}

impl Saved {
    pub fn audit(&self) -> Where {
        match &self.file {
            Some(f) => Where {
                file: Some(f.name.clone()),
                sha256: Some(f.sha256.clone()),
                ..Where::default()
            },
            None => Where {
                path: self.path.clone(),
                ..Where::default()
            },
        }
    }
}

fn trimmed(path: Option<&str>) -> Option<&str> {
    path.map(str::trim).filter(|p| !p.is_empty())
}

impl Dest {
    /// Exactly one of the path field (`field`: "path", "dest" …) and `deliver`. `what` names the
    /// file for the message ("花名册").
    pub fn choose(
        field: &str,
        path: Option<&str>,
        deliver: Option<Deliver>,
        what: &str,
    ) -> CmdResult<Dest> {
        Dest::optional(field, path, deliver)?.ok_or_else(|| {
            CmdError::invalid(
                field,
                format!("请填写保存{what}的文件路径 {field}，或以 deliver: \"bytes\" 取回文件内容"),
            )
        })
    }

    /// At most one of the path field and `deliver`; neither → `None`.
    pub fn optional(
        field: &str,
        path: Option<&str>,
        deliver: Option<Deliver>,
    ) -> CmdResult<Option<Dest>> {
        match (trimmed(path), deliver) {
            (Some(_), Some(_)) => Err(CmdError::invalid(
                "deliver",
                format!("{field} 与 deliver 只能填一个：保存到路径，或取回文件内容"),
            )),
            (Some(p), None) => Ok(Some(Dest::Path(PathBuf::from(p)))),
            (None, Some(Deliver::Bytes)) => Ok(Some(Dest::Bytes)),
            (None, None) => Ok(None),
        }
    }

    /// The extension of the path, lower case ("" in bytes mode or when it has none).
    pub fn path_ext(&self) -> String {
        match self {
            Dest::Path(p) => super::file_ext(p),
            Dest::Bytes => String::new(),
        }
    }

    /// Save `bytes` at the path atomically (errors name `field`), or return them as `name`.
    pub fn put(&self, field: &str, name: &str, bytes: &[u8]) -> CmdResult<Saved> {
        match self {
            Dest::Path(p) => {
                files::write_atomically(p, bytes).map_err(|e| {
                    CmdError::invalid(field, format!("无法保存文件 {}：{e}", p.display()))
                })?;
                Ok(Saved {
                    path: Some(p.display().to_string()),
                    file: None,
                    size: bytes.len() as u64,
                })
            }
            Dest::Bytes => Ok(Saved {
                path: None,
                file: Some(FileBytes::of(name, bytes)),
                size: bytes.len() as u64,
            }),
        }
    }

    /// Run a writer that wants a path (and writes it atomically itself): at the path, or at
    /// `name` in a scratch folder whose file is then read back as the reply's bytes.
    pub fn make<T>(
        &self,
        name: &str,
        write: impl FnOnce(&Path) -> CmdResult<T>,
    ) -> CmdResult<(T, Saved)> {
        match self {
            Dest::Path(p) => {
                let out = write(p)?;
                let size = std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
                Ok((
                    out,
                    Saved {
                        path: Some(p.display().to_string()),
                        file: None,
                        size,
                    },
                ))
            }
            Dest::Bytes => {
                let scratch = scratch()?;
                let tmp = scratch.join(name);
                let out = write(&tmp)?;
                let bytes = std::fs::read(&tmp)
                    .map_err(|e| CmdError::internal(format!("无法读回生成的文件 {name}：{e}")))?;
                Ok((out, self.put("deliver", name, &bytes)?))
            }
        }
    }
}

fn scratch() -> CmdResult<Scratch> {
    Scratch::new().map_err(|e| CmdError::internal(format!("无法创建临时文件夹：{e}")))
}

/// Where a read file comes from.
pub(crate) enum Source {
    Path(PathBuf),
    Upload { name: String, bytes: Vec<u8> },
}

impl Source {
    /// Exactly one of `path` and `upload`; `what` names the file for the message ("台账文件").
    pub fn choose(path: Option<&str>, upload: Option<Upload>, what: &str) -> CmdResult<Source> {
        match (trimmed(path), upload) {
            (Some(_), Some(_)) => Err(CmdError::invalid(
                "upload",
                "path 与 upload 只能填一个：读取路径上的文件，或读取上传的文件",
            )),
            (Some(p), None) => Ok(Source::Path(PathBuf::from(p))),
            (None, Some(u)) => {
                let refuse = |e: files::UploadError| {
                    let (field, message) = e.field_message();
                    CmdError::invalid(field, message)
                };
                let name = files::check_upload_name(&u.name)
                    .map_err(refuse)?
                    .to_owned();
                let bytes = files::decode_upload(&u.base64).map_err(refuse)?;
                Ok(Source::Upload { name, bytes })
            }
            (None, None) => Err(CmdError::invalid(
                "path",
                format!("请填写{what}的路径 path，或以 upload 上传文件"),
            )),
        }
    }

    /// The file's name (as the reply and the audit row show it).
    pub fn name(&self) -> String {
        match self {
            Source::Path(p) => crate::ledger::sheet::file_name(p),
            Source::Upload { name, .. } => name.clone(),
        }
    }

    /// The SHA-256 of the file's bytes ("" when a path cannot be read).
    pub fn sha256(&self) -> String {
        match self {
            Source::Path(p) => std::fs::read(p)
                .map(|b| files::sha256_hex(&b))
                .unwrap_or_default(),
            Source::Upload { bytes, .. } => files::sha256_hex(bytes),
        }
    }

    /// What the audit row says: the path, or the uploaded file's name and SHA-256.
    pub fn audit(&self) -> Where {
        match self {
            Source::Path(p) => Where {
                path: Some(p.display().to_string()),
                ..Where::default()
            },
            Source::Upload { name, bytes } => Where {
                file: Some(name.clone()),
                sha256: Some(files::sha256_hex(bytes)),
                ..Where::default()
            },
        }
    }

    /// Run a reader that wants a path: the path, or the upload put under its name in a scratch
    /// folder. A reader's refusal of the field `path` is then the field `upload`, naming the
    /// file rather than the scratch path.
    pub fn read<T>(&self, read: impl FnOnce(&Path) -> CmdResult<T>) -> CmdResult<T> {
        match self {
            Source::Path(p) => read(p),
            Source::Upload { name, bytes } => {
                let scratch = scratch()?;
                let tmp = scratch.join(name);
                std::fs::write(&tmp, bytes)
                    .map_err(|e| CmdError::internal(format!("无法暂存上传的文件 {name}：{e}")))?;
                read(&tmp).map_err(|mut e| {
                    if e.field.as_deref() == Some("path") {
                        e.field = Some("upload".into());
                    }
                    e.message = e.message.replace(&tmp.display().to_string(), name);
                    e
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> Scratch {
        Scratch::new().unwrap()
    }

    #[test]
    fn exactly_one_of_path_and_deliver() {
        let e = Dest::choose("path", None, None, "花名册").err().unwrap();
        assert_eq!(e.field.as_deref(), Some("path"));
        assert!(
            e.message.contains("请填写保存花名册的文件路径"),
            "{}",
            e.message
        );
        let e = Dest::choose("dest", Some("a.sqlite"), Some(Deliver::Bytes), "备份")
            .err()
            .unwrap();
        assert_eq!(e.field.as_deref(), Some("deliver"));
        assert!(matches!(Dest::optional("xlsx", Some("  "), None), Ok(None)));
        assert!(matches!(
            Dest::choose("path", None, Some(Deliver::Bytes), "x"),
            Ok(Dest::Bytes)
        ));
    }

    #[test]
    fn the_bytes_delivered_are_the_bytes_saved() {
        let d = dir();
        let at = d.join("表.pdf");
        let saved = Dest::Path(at.clone())
            .put("path", "表.pdf", b"%PDF-1.7 x")
            .unwrap();
        assert_eq!(saved.path.as_deref(), Some(at.to_str().unwrap()));
        assert!(saved.file.is_none());
        let sent = Dest::Bytes.put("path", "表.pdf", b"%PDF-1.7 x").unwrap();
        let f = sent.file.as_ref().unwrap();
        assert_eq!(f.sha256, files::sha256_hex(&std::fs::read(&at).unwrap()));
        assert_eq!((f.name.as_str(), f.size), ("表.pdf", 10));
        // A writer that wants a path: the scratch file's bytes, and the scratch folder is gone.
        let mut made_at = PathBuf::new();
        let ((), made) = Dest::Bytes
            .make("花名册.csv", |p| {
                made_at = p.to_owned();
                std::fs::write(p, "序号\r\n").map_err(|e| CmdError::internal(e.to_string()))
            })
            .unwrap();
        assert_eq!(made.file.unwrap().base64, "5bqP5Y+3DQo=");
        assert!(!made_at.exists() && !made_at.parent().unwrap().exists());
        let audit = serde_json::to_value(sent.audit()).unwrap();
        assert_eq!(
            audit,
            serde_json::json!({"file": "表.pdf", "sha256": files::sha256_hex(b"%PDF-1.7 x")})
        );
    }

    #[test]
    fn an_upload_is_read_as_its_file_and_refusals_name_upload() {
        let u = Upload {
            name: "回盘.csv".into(),
            base64: "YSxi".into(),
        };
        let s = Source::choose(None, Some(u), "回盘").unwrap();
        assert_eq!(s.name(), "回盘.csv");
        let text = s
            .read(|p| {
                assert!(p.ends_with("回盘.csv"));
                std::fs::read_to_string(p).map_err(|e| CmdError::internal(e.to_string()))
            })
            .unwrap();
        assert_eq!(text, "a,b");
        let e = s
            .read(|p| -> CmdResult<()> {
                Err(CmdError::invalid(
                    "path",
                    format!("无法读取 {}：坏了", p.display()),
                ))
            })
            .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("upload"));
        assert_eq!(e.message, "无法读取 回盘.csv：坏了");
        let e = Source::choose(
            Some("a.csv"),
            Some(Upload {
                name: "a.csv".into(),
                base64: String::new(),
            }),
            "x",
        )
        .err()
        .unwrap();
        assert_eq!(e.field.as_deref(), Some("upload"));
        let e = Source::choose(None, None, "台账文件").err().unwrap();
        assert_eq!(e.field.as_deref(), Some("path"));
    }
}
