//! Files across the network: the bytes of a file the core made (a PDF, an .xlsx, a backup) as a
//! reply carries them (`deliver: "bytes"` → [`FileBytes`]), an uploaded file's bytes checked and
//! decoded ([`decode_upload`]), the atomic write every saved file goes through
//! ([`write_atomically`]) and a private scratch folder ([`Scratch`]) in which a writer that
//! wants a path makes its file before the bytes are read back, or an uploaded file is put for a
//! reader that wants a path. The command-side choice of path / deliver / upload is
//! `commands::files`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// `"deliver": "bytes"`: return the file's bytes instead of saving it.
#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Deliver {
    Bytes,
}

/// The largest file an `upload` may carry: 50 MB (a county's 40,000-row ledger is some 6 MB).
pub const UPLOAD_LIMIT: usize = 50 * 1024 * 1024;

/// A file made for the desktop to save: its suggested name, media type, size, SHA-256 and bytes.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FileBytes {
    /// The suggested file name ("2026-00001-审批表.pdf").
    pub name: String,
    pub media_type: String,
    pub size: u64,
    /// Lower-case hex SHA-256 of the bytes (as the audit row records it).
    pub sha256: String,
    /// The bytes, standard base64 with padding.
    pub base64: String,
}

impl FileBytes {
    pub fn of(name: &str, bytes: &[u8]) -> FileBytes {
        FileBytes {
            name: name.to_owned(),
            media_type: media_type(name).to_owned(),
            size: bytes.len() as u64,
            sha256: sha256_hex(bytes),
            base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        }
    }
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The media type of a file name, from its extension.
pub fn media_type(name: &str) -> &'static str {
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xls" => "application/vnd.ms-excel",
        "csv" => "text/csv",
        "json" => "application/json",
        "sqlite" | "db" => "application/vnd.sqlite3",
        _ => "application/octet-stream",
    }
}

/// Why an upload was refused (the command names the field `upload` or `upload.name`).
#[derive(Debug, PartialEq, Eq)]
pub enum UploadError {
    Name(String),
    TooBig,
    Base64(String),
}

impl UploadError {
    /// The field and the Chinese message.
    pub fn field_message(&self) -> (&'static str, String) {
        match self {
            UploadError::Name(m) => ("upload.name", m.clone()),
            UploadError::TooBig => (
                "upload",
                format!(
                    "上传的文件过大：上限 {} MB，请拆分后分批导入",
                    UPLOAD_LIMIT / 1024 / 1024
                ),
            ),
            UploadError::Base64(e) => (
                "upload",
                format!("上传的文件内容不是有效的 base64 编码：{e}"),
            ),
        }
    }
}

/// An uploaded file's name must be a plain file name with an extension: no folder, no "..".
pub fn check_upload_name(name: &str) -> Result<&str, UploadError> {
    let name = name.trim();
    let bad = |m: &str| Err(UploadError::Name(m.to_owned()));
    if name.is_empty() {
        return bad("请填写上传文件的文件名（含扩展名，如 台账.xlsx）");
    }
    if name.contains(['/', '\\', ':', '\0']) || name == "." || name == ".." {
        return bad("上传文件的文件名不能含文件夹（/ \\ :），只填文件名本身");
    }
    if Path::new(name).extension().is_none() {
        return bad("上传文件的文件名须带扩展名（如 .xlsx、.csv），格式由扩展名决定");
    }
    Ok(name)
}

/// Decode an upload's base64 (standard alphabet; whitespace such as line breaks is ignored),
/// refusing more than [`UPLOAD_LIMIT`] bytes before decoding anything.
pub fn decode_upload(text: &str) -> Result<Vec<u8>, UploadError> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if compact.len() / 4 * 3 > UPLOAD_LIMIT + 3 {
        return Err(UploadError::TooBig);
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| UploadError::Base64(e.to_string()))?;
    if bytes.len() > UPLOAD_LIMIT {
        return Err(UploadError::TooBig);
    }
    Ok(bytes)
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename, so a
/// reader sees either the old file or the whole new one. On any error the temporary file is
/// removed and `path` is untouched.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, "保存路径不是文件名")
    })?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = dir.join(tmp_name);
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A private folder under the system's temporary folder, removed with everything in it when
/// dropped: where a file to deliver is made, or an uploaded file is put for its reader.
pub struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    pub fn new() -> std::io::Result<Scratch> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!(
            "doudi-{}-{}-{nanos}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir)?;
        Ok(Scratch { dir })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// `name` inside the folder.
    pub fn join(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_bytes_carry_name_type_size_digest_and_base64() {
        let f = FileBytes::of("表.pdf", b"abc");
        assert_eq!(f.media_type, "application/pdf");
        assert_eq!(f.size, 3);
        assert_eq!(
            f.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(f.base64, "YWJj");
        assert_eq!(
            FileBytes::of("x.xlsx", b"").media_type,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert_eq!(media_type("回盘.CSV"), "text/csv");
        assert_eq!(media_type("x"), "application/octet-stream");
    }

    #[test]
    fn uploads_decode_or_are_refused() {
        assert_eq!(decode_upload("YWJj").unwrap(), b"abc");
        assert_eq!(decode_upload("YW\nJj\n").unwrap(), b"abc");
        assert_eq!(decode_upload("").unwrap(), b"");
        assert!(matches!(decode_upload("YWJ"), Err(UploadError::Base64(_))));
        assert!(matches!(decode_upload("Y!Jj"), Err(UploadError::Base64(_))));
        let huge = "A".repeat((UPLOAD_LIMIT / 3 + 2) * 4);
        assert_eq!(decode_upload(&huge), Err(UploadError::TooBig));
        let (field, message) = UploadError::TooBig.field_message();
        assert_eq!(field, "upload");
        assert!(message.contains("50 MB"), "{message}");
    }

    #[test]
    fn upload_names_are_plain_file_names_with_an_extension() {
        assert_eq!(check_upload_name(" 台账.xlsx ").unwrap(), "台账.xlsx");
        for bad in ["", "a/b.xlsx", "..\\b.csv", "C:x.csv", "台账", ".."] {
            assert!(
                matches!(check_upload_name(bad), Err(UploadError::Name(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_scratch_folder_goes_away_with_its_files() {
        let s = Scratch::new().unwrap();
        let dir = s.dir().to_owned();
        std::fs::write(s.join("a.pdf"), b"x").unwrap();
        let other = Scratch::new().unwrap();
        assert_ne!(other.dir(), dir);
        drop(s);
        assert!(!dir.exists());
    }
}
