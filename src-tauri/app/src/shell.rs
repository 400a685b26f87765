//! Window, state and the `call` adapter. The database path comes from `--db FILE`, else the
//! `DOUDI_DB` environment variable, else the user's data directory.

use std::path::PathBuf;
use std::sync::Mutex;

use doudi_core::{CmdError, Session, SystemClock};
use serde_json::Value;

/// The open database, or why it could not be opened (shown by the UI instead of crashing).
struct AppState(Mutex<Result<Session, CmdError>>);

fn db_path() -> PathBuf {
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--db" {
            if let Some(p) = args.next() {
                return PathBuf::from(p);
            }
        } else if let Some(p) = a.strip_prefix("--db=") {
            return PathBuf::from(p);
        }
    }
    match std::env::var_os("DOUDI_DB") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => doudi_core::db::default_path(),
    }
}

/// Run one named command; the error is `{code, message, field}`.
#[tauri::command]
fn call(state: tauri::State<'_, AppState>, name: String, input: Value) -> Result<Value, Value> {
    let mut guard = state
        .0
        .lock()
        .map_err(|_| CmdError::internal("程序内部状态异常，请重新启动").to_json())?;
    match guard.as_mut() {
        Ok(session) => doudi_core::call(session, &name, input).map_err(|e| e.to_json()),
        Err(e) => Err(e.to_json()),
    }
}

pub fn run() {
    let session = Session::open(&db_path(), Box::new(SystemClock));
    tauri::Builder::default()
        .manage(AppState(Mutex::new(session)))
        .invoke_handler(tauri::generate_handler![call])
        .run(tauri::generate_context!())
        .expect("the Doudi window could not start");
}
