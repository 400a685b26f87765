//! Opening files that must be refused: damaged, foreign, locked, or from a newer Doudi.
//! The file must be left byte-for-byte as it was.

use doudi_core::{ErrorCode, FixedClock, Session};

use crate::common::today;

fn open(path: &std::path::Path) -> Result<Session, doudi_core::CmdError> {
    Session::open(path, Box::new(FixedClock::on(today())))
}

#[test]
fn corrupt_file_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("junk.sqlite");
    let junk: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&path, &junk).unwrap();
    let e = open(&path).err().expect("junk must be refused");
    assert_eq!(e.code, ErrorCode::DbCorrupt);
    assert!(e.message.contains("已损坏"), "{}", e.message);
    assert_eq!(std::fs::read(&path).unwrap(), junk);
}

#[test]
fn newer_version_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.sqlite");
    drop(open(&path).unwrap());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let e = open(&path).err().expect("a newer database must be refused");
    assert_eq!(e.code, ErrorCode::DbTooNew);
    assert!(e.message.contains("数据库版本 99"), "{}", e.message);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn foreign_sqlite_file_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let e = open(&path)
        .err()
        .expect("a foreign database must be refused");
    assert_eq!(e.code, ErrorCode::DbCorrupt);
    assert!(e.message.contains("不是 Doudi 数据库"), "{}", e.message);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn locked_database_gives_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("locked.sqlite");
    drop(open(&path).unwrap());
    let holder = rusqlite::Connection::open(&path).unwrap();
    holder
        .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;")
        .unwrap();
    let started = std::time::Instant::now();
    let e = open(&path)
        .err()
        .expect("a locked database must be refused");
    assert_eq!(e.code, ErrorCode::DbLocked, "{e:?}");
    assert!(e.message.contains("另一个程序"), "{}", e.message);
    assert!(started.elapsed().as_secs() < 30);
}

#[test]
fn reopening_keeps_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keep.sqlite");
    {
        let mut s = open(&path).unwrap();
        doudi_core::call(
            &mut s,
            "auth.setup",
            serde_json::json!({"county_name": "清河县", "county_code": "410122", "username": "admin", "display_name": "管理员", "password": "test-pass-1"}),
        )
        .unwrap();
    }
    let mut s = open(&path).unwrap();
    let status = doudi_core::call(&mut s, "auth.status", serde_json::json!({})).unwrap();
    assert_eq!(status["has_users"], true);
    assert_eq!(status["county_name"], "清河县");
    assert!(
        status["user"].is_null(),
        "a fresh session starts signed out"
    );
}
