//! Window, state and the `call` adapter. The database path comes from `--db FILE`, else the
//! `DOUDI_DB` environment variable, else the user's data directory.
//!
//! `call` runs the core on a blocking thread, so the window stays responsive during a long
//! command (a ledger import); the command's progress reaches the window as `progress` events.
//! Commands still run one at a time: the session is behind a mutex.

use std::path::PathBuf;
use std::sync::Mutex;

use doudi_core::{CmdError, Progress, Session, SystemClock};
use serde_json::Value;
use tauri::{AppHandle, Emitter, Manager};

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

fn locked_state_error() -> Value {
    CmdError::internal("程序内部状态异常，请重新启动").to_json()
}

/// Run one named command; the error is `{code, message, field}`.
#[tauri::command]
async fn call(app: AppHandle, name: String, input: Value) -> Result<Value, Value> {
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        let mut guard = state.0.lock().map_err(|_| locked_state_error())?;
        match guard.as_mut() {
            Ok(session) => doudi_core::call(session, &name, input).map_err(|e| e.to_json()),
            Err(e) => Err(e.to_json()),
        }
    })
    .await
    .map_err(|e| CmdError::internal(format!("命令未能完成：{e}")).to_json())?
}

pub fn run() {
    let session = Session::open(&db_path(), Box::new(SystemClock));
    tauri::Builder::default()
        .manage(AppState(Mutex::new(session)))
        .setup(|app| {
            let handle = app.handle().clone();
            let state = app.state::<AppState>();
            if let Ok(Ok(session)) = state.0.lock().as_deref_mut() {
                session.set_progress(Box::new(move |p: Progress| {
                    // A window that is closing misses a progress report; nothing else to do.
                    let _ = handle.emit("progress", p);
                }));
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![call])
        .run(tauri::generate_context!())
        .expect("the Doudi window could not start");
}
