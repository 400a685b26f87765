//! Scheduled online backups: every few hours the core's backup (SQLite's online backup, safe
//! while desktops work) copies the database into the backup folder; each copy is then opened and
//! its audit chain verified, the result logged, and copies older than the days to keep deleted.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDateTime, TimeDelta};
use doudi_core::{Session, SystemClock};

use crate::LogSink;

/// `--backup-dir`, `--backup-every-hours`, `--keep-days`.
#[derive(Clone, Debug)]
pub struct BackupPlan {
    pub dir: PathBuf,
    pub every: Duration,
    pub keep_days: u32,
}

/// One backup made and verified.
#[derive(Debug, Clone, PartialEq)]
pub struct BackupReport {
    pub file: PathBuf,
    /// Audit rows in the copy, all of them in one intact chain.
    pub audit_rows: i64,
    /// The chain's head hash (to note down: cutting rows off the end is not detectable otherwise).
    pub head: String,
    /// Older backups deleted.
    pub deleted: Vec<PathBuf>,
}

const PREFIX: &str = "doudi-";
const STAMP: &str = "%Y%m%d-%H%M%S";

/// Back `db` up into `dir` as `doudi-YYYYMMDD-HHMMSS.sqlite` (at `now`), verify the copy, and
/// delete copies older than `keep_days` days. A copy that fails its check is kept (to be
/// examined) and reported as an error; nothing is pruned then.
pub fn backup_once(
    db: &Path,
    dir: &Path,
    keep_days: u32,
    now: NaiveDateTime,
) -> Result<BackupReport, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("无法建立备份目录 {}：{e}", dir.display()))?;
    let file = dir.join(format!("{PREFIX}{}.sqlite", now.format(STAMP)));
    let live = Session::open(db, Box::new(SystemClock)).map_err(|e| e.message)?;
    doudi_core::db::backup(live.connection(), &file).map_err(|e| e.message)?;
    drop(live);
    // Opened read-only (nothing written into the copy), checked, its chain verified.
    let (audit_rows, head) = doudi_core::db::verify_backup(&file)
        .map_err(|e| format!("备份 {}：{}", file.display(), e.message))?;
    let deleted = prune(dir, keep_days, now)?;
    Ok(BackupReport {
        file,
        audit_rows,
        head,
        deleted,
    })
}

/// Delete `doudi-*.sqlite` copies made more than `keep_days` days before `now` (by the time in
/// their name; other files in the folder are left alone).
fn prune(dir: &Path, keep_days: u32, now: NaiveDateTime) -> Result<Vec<PathBuf>, String> {
    let oldest = now - TimeDelta::days(i64::from(keep_days));
    let mut deleted = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("无法读取备份目录：{e}"))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(made) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| {
                n.strip_prefix(PREFIX)?
                    .strip_suffix(".sqlite")
                    .map(str::to_owned)
            })
            .and_then(|t| NaiveDateTime::parse_from_str(&t, STAMP).ok())
        else {
            continue;
        };
        if made < oldest {
            std::fs::remove_file(&path)
                .map_err(|e| format!("无法删除旧备份 {}：{e}", path.display()))?;
            deleted.push(path);
        }
    }
    deleted.sort();
    Ok(deleted)
}

/// Run [`backup_once`] every `plan.every` on a thread of its own until `stop`, logging each.
pub(crate) fn schedule(
    db: PathBuf,
    plan: BackupPlan,
    log: LogSink,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || loop {
        let mut waited = Duration::ZERO;
        while waited < plan.every {
            if stop.load(Ordering::SeqCst) {
                return;
            }
            let step = Duration::from_millis(200).min(plan.every - waited);
            std::thread::sleep(step);
            waited += step;
        }
        let now = chrono::Local::now().naive_local();
        let line = match backup_once(&db, &plan.dir, plan.keep_days, now) {
            Ok(r) => format!(
                "{} backup ok file={} audit_rows={} head={} deleted={}",
                now.format("%Y-%m-%dT%H:%M:%S"),
                r.file.display(),
                r.audit_rows,
                r.head,
                r.deleted.len()
            ),
            Err(m) => format!("{} backup FAILED {m}", now.format("%Y-%m-%dT%H:%M:%S")),
        };
        log(&line);
    })
}
