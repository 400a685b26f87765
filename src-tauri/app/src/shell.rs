//! Window, state and the adapters: `call` (every named command) and the connection commands
//! (`connection_get`, `connection_test`, `connection_set`, `connection_health`).
//!
//! The desktop works on its own database (embedded, the default) or on the county's server
//! (`doudi_server::desktop::Backend`). Which one: `--server ADDR --fingerprint HEX` (or
//! `DOUDI_SERVER` and `DOUDI_FINGERPRINT`) for this run; else `--db FILE` (or `DOUDI_DB`) for this
//! run; else the desktop's `connection.json` in the app data folder. With none of these and no
//! database file yet, it is the first run: the window asks (本机数据库 or 连接县级服务器).
//!
//! `call` runs on a blocking thread, so the window stays responsive during a long command; an
//! embedded command's progress reaches the window as `progress` events. Embedded commands run one
//! at a time (the session is behind a mutex); remote calls run side by side. A sign-in's token
//! lives in the `Remote`, in memory, and nowhere else.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use doudi_core::{CmdError, ErrorCode, Progress, Session, SystemClock};
use doudi_server::desktop::connection::{self, Connection};
use doudi_server::desktop::Backend;
use doudi_server::Remote;
use serde_json::{json, Value};
use tauri::{AppHandle, Emitter, Manager};

/// How this run was told where to work.
enum Given {
    /// By the command line or environment: not changeable in the window.
    ThisRun(Connection),
    /// By the connection file (or not yet: the first run).
    File(Option<Connection>),
}

struct AppState {
    backend: Mutex<Arc<Backend>>,
    chosen: Mutex<Option<Connection>>,
    fixed: bool,
    db: PathBuf,
    data_dir: PathBuf,
}

fn arg(name: &str) -> Option<String> {
    let mut args = std::env::args().skip(1);
    let prefix = format!("{name}=");
    while let Some(a) = args.next() {
        if a == name {
            return args.next();
        } else if let Some(v) = a.strip_prefix(&prefix) {
            return Some(v.to_owned());
        }
    }
    None
}

fn arg_or_env(name: &str, env: &str) -> Option<String> {
    arg(name)
        .or_else(|| std::env::var(env).ok())
        .filter(|v| !v.trim().is_empty())
}

fn db_path() -> (PathBuf, bool) {
    match arg_or_env("--db", "DOUDI_DB") {
        Some(p) => (PathBuf::from(p), true),
        None => (doudi_core::db::default_path(), false),
    }
}

/// The app data folder, where `connection.json` lives (beside the default database).
fn data_dir() -> PathBuf {
    doudi_core::db::default_path()
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn given(
    db: &std::path::Path,
    db_given: bool,
    data_dir: &std::path::Path,
) -> Result<Given, CmdError> {
    if let Some(address) = arg_or_env("--server", "DOUDI_SERVER") {
        let fingerprint = arg_or_env("--fingerprint", "DOUDI_FINGERPRINT").unwrap_or_default();
        return Ok(Given::ThisRun(Connection::Server {
            address,
            fingerprint,
        }));
    }
    if db_given {
        return Ok(Given::ThisRun(Connection::Embedded));
    }
    Ok(Given::File(match connection::load(data_dir)? {
        Some(c) => Some(c),
        // A desktop that already has its database keeps it without asking.
        None if db.exists() => Some(Connection::Embedded),
        None => None,
    }))
}

fn embedded(app: &AppHandle, db: &std::path::Path) -> Backend {
    let mut session = Session::open(db, Box::new(SystemClock));
    if let Ok(s) = session.as_mut() {
        let handle = app.clone();
        s.set_progress(Box::new(move |p: Progress| {
            // A window that is closing misses a progress report; nothing else to do.
            let _ = handle.emit("progress", p);
        }));
    }
    Backend::Embedded(Mutex::new(session))
}

fn backend_of(app: &AppHandle, db: &std::path::Path, c: Option<&Connection>) -> Backend {
    let refused = |e: CmdError| Backend::Embedded(Mutex::new(Err(e)));
    match c {
        Some(Connection::Embedded) => embedded(app, db),
        Some(Connection::Server {
            address,
            fingerprint,
        }) => match Remote::connect(address, fingerprint) {
            Ok(r) => Backend::Remote(r),
            Err(e) => refused(e),
        },
        None => refused(CmdError::new(
            ErrorCode::Unauthenticated,
            "请先选择本机数据库或连接县级服务器",
        )),
    }
}

fn internal(e: impl std::fmt::Display) -> Value {
    CmdError::internal(format!("命令未能完成：{e}")).to_json()
}

fn backend(app: &AppHandle) -> Result<Arc<Backend>, Value> {
    let state = app.state::<AppState>();
    let guard = state
        .backend
        .lock()
        .map_err(|_| internal("程序内部状态异常，请重新启动"))?;
    Ok(guard.clone())
}

/// Run one named command; the error is `{code, message, field}`.
#[tauri::command]
async fn call(app: AppHandle, name: String, input: Value) -> Result<Value, Value> {
    let backend = backend(&app)?;
    tauri::async_runtime::spawn_blocking(move || {
        backend.call(&name, input).map_err(|e| e.to_json())
    })
    .await
    .map_err(internal)?
}

/// Where this desktop works: `{chosen, fixed, mode, address, fingerprint, db}` (`mode` null
/// before the first choice; `fixed` when the command line chose it for this run).
#[tauri::command]
fn connection_get(app: AppHandle) -> Result<Value, Value> {
    let state = app.state::<AppState>();
    let chosen = state.chosen.lock().map_err(internal)?.clone();
    Ok(describe(chosen.as_ref(), state.fixed, &state.db))
}

fn describe(c: Option<&Connection>, fixed: bool, db: &std::path::Path) -> Value {
    let db = db.display().to_string();
    match c {
        None => json!({"chosen": false, "fixed": fixed, "mode": null, "db": db}),
        Some(Connection::Embedded) => {
            json!({"chosen": true, "fixed": fixed, "mode": "embedded", "db": db})
        }
        Some(Connection::Server {
            address,
            fingerprint,
        }) => json!({"chosen": true, "fixed": fixed,
            "mode": "server", "address": address, "fingerprint": fingerprint, "db": db}),
    }
}

/// Try a server without keeping it: the pinned certificate, `GET /health`, the schema version.
#[tauri::command]
async fn connection_test(address: String, fingerprint: String) -> Result<Value, Value> {
    tauri::async_runtime::spawn_blocking(move || {
        connection::test(&address, &fingerprint)
            .map(|_| json!({"ok": true}))
            .map_err(|e| e.to_json())
    })
    .await
    .map_err(internal)?
}

/// Choose where this desktop works (tested first when it is a server), save it in
/// `connection.json` and switch: the window starts again, signed out.
#[tauri::command]
async fn connection_set(app: AppHandle, connection: Connection) -> Result<Value, Value> {
    let connection = connection.tidy();
    let handle = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let state = handle.state::<AppState>();
        if state.fixed {
            return Err(CmdError::invalid(
                "mode",
                "本次启动已由启动参数指定了数据库或服务器，不能在此更改；请去掉启动参数后重新打开",
            )
            .to_json());
        }
        let next = match &connection {
            Connection::Server {
                address,
                fingerprint,
            } => Backend::Remote(connection::test(address, fingerprint).map_err(|e| e.to_json())?),
            Connection::Embedded => embedded(&handle, &state.db),
        };
        connection::save(&state.data_dir, &connection).map_err(|e| e.to_json())?;
        *state.backend.lock().map_err(internal)? = Arc::new(next);
        *state.chosen.lock().map_err(internal)? = Some(connection.clone());
        Ok(describe(Some(&connection), false, &state.db))
    })
    .await
    .map_err(internal)?
}

/// Is the server reachable now? `{ok, mode}` (always ok on the desktop's own database).
#[tauri::command]
async fn connection_health(app: AppHandle) -> Result<Value, Value> {
    let backend = backend(&app)?;
    tauri::async_runtime::spawn_blocking(move || match backend.as_ref() {
        Backend::Embedded(_) => Ok(json!({"ok": true, "mode": "embedded"})),
        Backend::Remote(r) => r
            .health()
            .map(|h| json!({"ok": h["ok"] == true, "mode": "server"}))
            .map_err(|e| e.to_json()),
    })
    .await
    .map_err(internal)?
}

pub fn run() {
    let (db, db_given) = db_path();
    let data_dir = data_dir();
    tauri::Builder::default()
        .setup(move |app| {
            let handle = app.handle().clone();
            let (chosen, fixed, backend) = match given(&db, db_given, &data_dir) {
                Ok(Given::ThisRun(c)) => {
                    let b = backend_of(&handle, &db, Some(&c));
                    (Some(c), true, b)
                }
                Ok(Given::File(c)) => {
                    let b = backend_of(&handle, &db, c.as_ref());
                    (c, false, b)
                }
                // A connection file that cannot be read: shown on every call; 本机信息 can
                // choose again.
                Err(e) => (None, false, Backend::Embedded(Mutex::new(Err(e)))),
            };
            app.manage(AppState {
                backend: Mutex::new(Arc::new(backend)),
                chosen: Mutex::new(chosen),
                fixed,
                db: db.clone(),
                data_dir: data_dir.clone(),
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            call,
            connection_get,
            connection_test,
            connection_set,
            connection_health
        ])
        .run(tauri::generate_context!())
        .expect("the Doudi window could not start");
}
