//! Opening the database: the one place for pragmas, migrations and the refusal of files that are
//! not ours, damaged, locked, or written by a newer Doudi. Nothing is written to such a file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, LazyLock, Mutex};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use rusqlite_migration::{Migrations, M};

use crate::error::{CmdError, CmdResult, ErrorCode};

/// 'DoUD': marks a file as a Doudi database.
const APPLICATION_ID: i64 = 0x446F_5544;

static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::new(vec![
        M::up(include_str!("../migrations/0001_init.sql")),
        M::up(include_str!("../migrations/0002_rules.sql")),
        M::up(include_str!("../migrations/0003_cases.sql")),
        M::up(include_str!("../migrations/0004_deliberation.sql")),
        M::up(include_str!("../migrations/0005_temp_aid.sql")),
        M::up(include_str!("../migrations/0006_payments.sql")),
        M::up(include_str!("../migrations/0007_stats.sql")),
        M::up(include_str!("../migrations/0008_payment_order.sql")),
        M::up(include_str!("../migrations/0009_password_change.sql")),
        M::up(include_str!("../migrations/0010_back_pay.sql")),
        M::up(include_str!("../migrations/0011_payment_accounts.sql")),
        M::up(include_str!("../migrations/0012_opinion_on_paper.sql")),
        M::up(include_str!("../migrations/0013_refusal_served.sql")),
        M::up(include_str!("../migrations/0014_notice_end.sql")),
        M::up(include_str!("../migrations/0015_payment_held.sql")),
        M::up(include_str!("../migrations/0016_concurrency.sql")),
        M::up(include_str!("../migrations/0017_recompute.sql")),
        M::up(include_str!("../migrations/0018_server_sessions.sql")),
    ])
});

/// The schema version this build writes: the number of migrations.
pub const SCHEMA_VERSION: i64 = 18;

/// Where the database lives when no `--db` is given: `%APPDATA%\\Doudi\\doudi.sqlite` on Windows,
/// `$XDG_DATA_HOME/Doudi/doudi.sqlite` (usually `~/.local/share`) on Linux.
pub fn default_path() -> std::path::PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| std::path::PathBuf::from("."))
        .join("Doudi")
        .join("doudi.sqlite")
}

/// Open (creating if absent) a database file and bring its schema up to date.
pub fn open(path: &Path) -> CmdResult<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            CmdError::internal(format!("无法创建数据库目录 {}：{e}", dir.display()))
        })?;
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| {
        CmdError::new(
            ErrorCode::Internal,
            format!("无法打开数据库文件 {}：{e}", path.display()),
        )
    })?;
    prepare(conn)
}

/// A fresh private database, for tests and benchmarks.
pub fn open_in_memory() -> CmdResult<Connection> {
    prepare(Connection::open_in_memory()?)
}

/// How long a command waits for another connection's write to finish before giving up with
/// `db_locked`. Every write takes the write lock at its start (`BEGIN IMMEDIATE`), so a writer
/// waits here in line rather than failing on upgrade; 10 s covers a busy county server's queue of
/// case steps, while a payment run or ledger import (longer) is refused up front by its claim.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

fn prepare(mut conn: Connection) -> CmdResult<Connection> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Read-only checks first: a file we must refuse is left exactly as it was.
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let app_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(CmdError::new(
            ErrorCode::DbTooNew,
            format!(
                "此数据库由更新版本的 Doudi 写入（数据库版本 {version}，本程序只支持到版本 {SCHEMA_VERSION}），请安装新版本后再打开；文件未被改动"
            ),
        ));
    }
    let tables: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
        [],
        |r| r.get(0),
    )?;
    if (app_id != 0 && app_id != APPLICATION_ID) || (app_id == 0 && tables > 0) {
        return Err(CmdError::new(
            ErrorCode::DbCorrupt,
            "这个文件不是 Doudi 数据库，未作任何改动；请选择正确的数据库文件",
        ));
    }
    if conn.path().is_some_and(|p| !p.is_empty()) {
        conn.pragma_update(None, "journal_mode", "WAL")?;
    }
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Up to 64 MiB of page cache (the default is 2 MiB): searches scan the name and initials
    // indexes of every person, and at county size those indexes alone outgrow the default.
    conn.pragma_update(None, "cache_size", -65536)?;
    // Temporary storage in memory, statement journals included: a statement whose trigger writes
    // another table (a membership opening sets the person's household) keeps a journal of every
    // page it changes, and on disk that is one write() per page (a sixth of the time a
    // 40,000-household ledger import spent writing).
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    MIGRATIONS.to_latest(&mut conn).map_err(|e| match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => CmdError::from(err),
        other => CmdError::internal(format!("数据库升级失败：{other}")),
    })?;
    if app_id == 0 {
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    }
    Ok(conn)
}

/// Run `f` in one IMMEDIATE transaction: all of it is written, or none of it. Inside a command's
/// write lock ([`begin_command`]) it is a savepoint of that transaction, just as atomic.
pub fn with_tx<T>(
    conn: &mut Connection,
    f: impl FnOnce(&Connection) -> CmdResult<T>,
) -> CmdResult<T> {
    if conn.is_autocommit() {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    } else {
        let sp = conn.savepoint()?;
        let value = f(&sp)?;
        sp.commit()?;
        Ok(value)
    }
}

/// Take the database's write lock for a whole command (`BEGIN IMMEDIATE`, waiting up to
/// [`BUSY_TIMEOUT`]), so what the command loads, decides on and writes is one serial step: no
/// other connection can change the case, the month or the audit chain's head in between. A
/// transaction left open by a command that panicked is rolled back first.
pub fn begin_command(conn: &Connection) -> CmdResult<()> {
    if !conn.is_autocommit() {
        conn.execute_batch("ROLLBACK")?;
    }
    conn.execute_batch("BEGIN IMMEDIATE")?;
    Ok(())
}

/// Take the write lock now or not at all: true when taken (the caller ends it with
/// [`end_command`]), false when another connection holds it.
pub fn try_begin_now(conn: &Connection) -> CmdResult<bool> {
    conn.busy_timeout(Duration::ZERO)?;
    let got = conn.execute_batch("BEGIN IMMEDIATE");
    conn.busy_timeout(BUSY_TIMEOUT)?;
    match got {
        Ok(()) => Ok(true),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// One queue per database file for the sessions of this process (a county server's pool): a
/// writer waits here, woken the moment the one before it finishes, instead of polling SQLite's
/// lock with growing sleeps; other processes still meet at SQLite's lock.
struct Gate {
    busy: Mutex<bool>,
    freed: Condvar,
}

static GATES: LazyLock<Mutex<HashMap<PathBuf, Arc<Gate>>>> = LazyLock::new(Default::default);

/// A place at the front of a file's queue of writers, given up when dropped.
pub struct GateGuard(Arc<Gate>);

impl Drop for GateGuard {
    fn drop(&mut self) {
        *self.0.busy.lock().unwrap_or_else(|e| e.into_inner()) = false;
        self.0.freed.notify_one();
    }
}

/// Wait (at most [`BUSY_TIMEOUT`]) for this process's other writers to the file at `path`;
/// `None` for an in-memory database, which nobody shares.
pub fn enter_gate(path: Option<&Path>) -> CmdResult<Option<GateGuard>> {
    let Some(path) = path else {
        return Ok(None);
    };
    let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let gate = GATES
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .entry(key)
        .or_insert_with(|| {
            Arc::new(Gate {
                busy: Mutex::new(false),
                freed: Condvar::new(),
            })
        })
        .clone();
    let deadline = Instant::now() + BUSY_TIMEOUT;
    let mut busy = gate.busy.lock().unwrap_or_else(|e| e.into_inner());
    while *busy {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(CmdError::from(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                None,
            )));
        }
        busy = gate
            .freed
            .wait_timeout(busy, left)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
    *busy = true;
    drop(busy);
    Ok(Some(GateGuard(gate)))
}

/// End a command's write lock. Committed whatever the command returned: its changes are each
/// one `with_tx` (a savepoint, rolled back on its own failure), so committing keeps exactly what
/// the command would have written without the lock (a refused sign-in's counter included).
pub fn end_command(conn: &Connection) -> CmdResult<()> {
    if conn.is_autocommit() {
        return Ok(());
    }
    if let Err(e) = conn.execute_batch("COMMIT") {
        let _ = conn.execute_batch("ROLLBACK");
        return Err(e.into());
    }
    Ok(())
}

/// Copy a live database to `dest` with SQLite's online backup (consistent even while in use).
pub fn backup(conn: &Connection, dest: &Path) -> CmdResult<()> {
    if dest.exists() {
        return Err(CmdError::invalid(
            "dest",
            format!("备份目标 {} 已存在，请换一个文件名", dest.display()),
        ));
    }
    conn.backup(rusqlite::MAIN_DB, dest, None)
        .map_err(|e| CmdError::internal(format!("备份失败：{e}")))
}

/// Check a backup just made: it opens read-only as an intact SQLite file (`quick_check`) and its
/// audit chain verifies. Used before a backup is handed over as bytes.
pub fn verify_backup(path: &Path) -> CmdResult<()> {
    let failed = |m: String| CmdError::internal(format!("备份文件校验失败：{m}"));
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| failed(e.to_string()))?;
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| failed(e.to_string()))?;
    if check != "ok" {
        return Err(failed(check));
    }
    match crate::store::audit::verify(&conn)? {
        crate::audit::Verdict::Intact { .. } => Ok(()),
        crate::audit::Verdict::Broken { message, .. } => {
            Err(failed(format!("审计链断裂：{message}")))
        }
    }
}

/// Tests' smallest county, valid at schema 7 and after: the county (area 1), a township (2) and a
/// village (3), an approver (user 1) and one rural household (1).
#[cfg(test)]
pub(crate) const TEST_HOUSEHOLD: &str = "
    INSERT INTO area (id, parent_id, level, code, name) VALUES
      (1, NULL, 'county', '410122', '清河县'), (2, 1, 'township', '410122001', '城关镇'),
      (3, 2, 'village', '410122001001', '李庄村');
    INSERT INTO user (id, username, display_name, role, area_id, password_hash, created_at)
      VALUES (1, 'spr', '审批人', 'approver', 1, 'x', '2026-01-01');
    INSERT INTO household (id, village_id, address, hukou, created_at, updated_at)
      VALUES (1, 3, '李庄村1号', 'rural', '2026-01-01', '2026-01-01');";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_writer_waits_at_the_gate_until_the_one_before_it_is_done() {
        use std::sync::mpsc;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gate.sqlite");
        let first = enter_gate(Some(&path)).unwrap().unwrap();
        let (done, arrived) = mpsc::channel();
        let p = path.clone();
        let second = std::thread::spawn(move || {
            let _g = enter_gate(Some(&p)).unwrap();
            done.send(()).unwrap();
        });
        assert!(
            arrived.recv_timeout(Duration::from_millis(200)).is_err(),
            "the second writer waits"
        );
        drop(first);
        arrived.recv_timeout(Duration::from_secs(5)).unwrap();
        second.join().unwrap();
        // Nobody shares an in-memory database.
        assert!(enter_gate(None).unwrap().is_none());
    }

    #[test]
    fn migrations_are_valid() {
        MIGRATIONS.validate().unwrap();
        // Every migration file is registered, and the version is their number.
        let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "sql")
            })
            .count();
        assert_eq!(SCHEMA_VERSION as usize, files);
    }

    #[test]
    fn version_1_database_upgrades_and_keeps_its_data() {
        let mut conn = Connection::open_in_memory().unwrap();
        MIGRATIONS.to_version(&mut conn, 1).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        conn.execute(
            "INSERT INTO area (level, code, name) VALUES ('county', '410122', '清河县')",
            [],
        )
        .unwrap();
        let conn = prepare(conn).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let name: String = conn
            .query_row("SELECT name FROM area", [], |r| r.get(0))
            .unwrap();
        assert_eq!(name, "清河县");
        let n: i64 = conn
            .query_row("SELECT count(*) FROM standard", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }

    #[test]
    fn empty_database_migrates_to_latest() {
        let conn = open_in_memory().unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let n: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master WHERE name IN ('person','household','membership','audit')", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 4);
    }

    #[test]
    fn version_14_held_payments_get_their_own_status() {
        let mut conn = Connection::open_in_memory().unwrap();
        MIGRATIONS.to_version(&mut conn, 14).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        conn.execute_batch(TEST_HOUSEHOLD).unwrap();
        conn.execute_batch(
            "INSERT INTO payment_run (month, state, run_at, run_by) VALUES ('2026-03', 'open', 'x', 1);
             INSERT INTO payment (id, month, for_month, kind, source_kind, source_id, household_id,
                 township_id, village_id, urban_rural, programme, persons, amount_fen, head_name,
                 head_id_number, payee_name, payee_id_number, bank_name, bank_account, certificate,
                 status, failure_reason)
               VALUES
               (5, '2026-03', '2026-03', 'temp_aid', 'temp_aid', 1, 1, 2, 3, 'rural', 'temp_aid', 1, 30000, '张三', '', '张三', '', '', '', '', 'failed', '暂缓发放：未登记开户银行和银行账号'),
               (6, '2026-03', '2026-03', 'temp_aid', 'temp_aid', 2, 1, 2, 3, 'rural', 'temp_aid', 1, 30000, '张三', '', '张三', '', '', '', '', 'failed', '户名与账户不符');
             INSERT INTO payment_hold (payment_id, month, reason, held_at, held_by)
               VALUES (5, '2026-03', '未登记开户银行和银行账号', 'x', 1);
             UPDATE payment_run SET state = 'locked', locked_at = 'x', locked_by = 1;",
        )
        .unwrap();
        let conn = prepare(conn).unwrap();
        let rows: Vec<(i64, String, String)> = conn
            .prepare("SELECT id, status, failure_reason FROM payment ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            rows,
            [
                (5, "held".into(), "未登记开户银行和银行账号".into()),
                (6, "failed".into(), "户名与账户不符".into())
            ]
        );
        assert!(conn.execute("DELETE FROM payment", []).is_err());
    }

    #[test]
    fn version_7_payments_move_to_the_month_major_key_and_keep_everything() {
        let mut conn = Connection::open_in_memory().unwrap();
        MIGRATIONS.to_version(&mut conn, 7).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        conn.execute_batch(TEST_HOUSEHOLD).unwrap();
        conn.execute_batch(
            "INSERT INTO aid_case (id, number, programme, household_id, township_id, state, applied_on,
                 created_by, created_at, pay_from, updated_at)
               VALUES (7, 'DB2026-1', 'dibao', 1, 2, 'enrolled', '2026-01-01', 1, '2026-01-01', '2026-02', '2026-01-01');
             INSERT INTO payment_run (month, state, run_at, run_by) VALUES
               ('2026-02', 'open', 'x', 1), ('2026-03', 'open', 'x', 1);
             INSERT INTO payment (month, for_month, kind, source_kind, source_id, case_id, household_id,
                 township_id, village_id, urban_rural, programme, persons, amount_fen, head_name,
                 head_id_number, payee_name, payee_id_number, bank_name, bank_account, certificate, status)
               VALUES
               ('2026-02', '2026-02', 'regular', 'case', 7, 7, 1, 2, 3, 'rural', 'dibao', 2, 66000, '张三', '', '张三', '', '', '', 'DB2026-1', 'paid'),
               ('2026-03', '2026-03', 'regular', 'case', 7, 7, 1, 2, 3, 'rural', 'dibao', 2, 66000, '张三', '', '张三', '', '', '', 'DB2026-1', 'failed');
             UPDATE payment_run SET state = 'locked', locked_at = 'x', locked_by = 1;",
        )
        .unwrap();
        let conn = prepare(conn).unwrap();
        let one = |sql: &str| -> Option<String> { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(
            one("SELECT paid_through FROM aid_case WHERE id = 7").as_deref(),
            Some("2026-03")
        );
        assert_eq!(
            one("SELECT group_concat(total_fen) FROM payment_run").as_deref(),
            Some("66000,66000")
        );
        assert_eq!(
            one("SELECT group_concat(status) FROM payment ORDER BY id").as_deref(),
            Some("paid,failed")
        );
        // The key still refuses a second payment of the same case for the same month …
        let again = conn.execute(
            "INSERT INTO payment SELECT NULL, '2026-04', for_month, kind, source_kind, source_id, case_id,
                household_id, township_id, village_id, group_id, urban_rural, programme, persons,
                standard_fen, amount_fen, head_name, head_id_number, payee_name, payee_id_number,
                bank_name, bank_account, certificate, start_month, note, 'pending', NULL
             FROM payment WHERE month = '2026-03'",
            [],
        );
        assert!(again.unwrap_err().to_string().contains("UNIQUE"));
        // … the triggers are back, and a new month's case payment moves paid_through on.
        assert!(conn.execute("DELETE FROM payment", []).is_err());
        conn.execute(
            "INSERT INTO payment SELECT NULL, '2026-04', '2026-04', kind, source_kind, source_id, case_id,
                household_id, township_id, village_id, group_id, urban_rural, programme, persons,
                standard_fen, amount_fen, head_name, head_id_number, payee_name, payee_id_number,
                bank_name, bank_account, certificate, start_month, note, 'pending', NULL
             FROM payment WHERE month = '2026-03'",
            [],
        )
        .unwrap();
        assert_eq!(
            one("SELECT paid_through FROM aid_case WHERE id = 7").as_deref(),
            Some("2026-04")
        );
        assert_eq!(
            one("SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE tbl_name = 'payment' AND type = 'trigger' ORDER BY name)").as_deref(),
            Some("back_pay_hold_paid,payment_case_paid_through,payment_content_fixed,payment_locked_insert,payment_no_delete")
        );
    }
}
