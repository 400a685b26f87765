//! `doudi serve`: the command layer over HTTPS for a whole county, and [`client::Remote`], the
//! desktop's side of it. The protocol is in docs/server.md.
//!
//! One endpoint, `POST /call`, takes `{name, args}` and answers exactly what
//! `doudi_core::call` answers; `GET /health` says the server is up. Each call takes a
//! [`doudi_core::Session`] from a small pool over the one database file, resumes the caller from
//! their token ([`doudi_core::Session::resume`]) and runs the core: every role and scope check is
//! the core's, the server trusts the client for nothing. Around it the server keeps only what
//! is about the network: TLS (rustls, the county's own certificate), the body limit and read
//! timeouts, the refusal of a replayed request id, the per-address sign-in throttle, one log line
//! per call, and the scheduled verified backups.

pub mod backup;
pub mod bench;
pub mod client;
pub mod desktop;
mod guard;
mod http;
mod policy;
mod pool;
pub mod tls;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use doudi_core::Clock;

pub use backup::BackupPlan;
pub use client::Remote;
pub use policy::PATH_ON_SERVER;

/// Makes the clock of each pooled session (the system's in service; a movable one in tests).
pub type ClockFactory = Arc<dyn Fn() -> Box<dyn Clock> + Send + Sync>;
/// Where log lines go (stderr in service; captured in tests).
pub type LogSink = Arc<dyn Fn(&str) + Send + Sync>;

/// How to serve.
pub struct Config {
    /// The county's database file.
    pub db: PathBuf,
    /// Address to listen on (`0.0.0.0:8443`; port 0 picks a free one).
    pub listen: SocketAddr,
    /// Holds `cert.pem` and `key.pem` (made by `doudi serve --init`).
    pub tls_dir: PathBuf,
    /// Largest request body accepted, in bytes (default 72 MB: a 50 MB upload in base64 is
    /// 66.7 MB, plus its JSON).
    pub body_limit: usize,
    /// How long a client may take to send the TLS handshake, the headers, or the body.
    pub read_timeout: Duration,
    /// Sessions (database connections) working at once.
    pub pool_size: usize,
    /// Failed sign-ins one address may make in `address_window` before it must wait.
    pub address_failures_allowed: usize,
    pub address_window: Duration,
    pub clock: ClockFactory,
    pub log: LogSink,
    pub backup: Option<BackupPlan>,
}

impl Config {
    /// The defaults: 72 MB bodies, 30 s to send a request, 8 sessions, 20 failed sign-ins per
    /// address in 15 minutes, the system clock, log lines on stderr, no scheduled backups.
    pub fn new(db: PathBuf, listen: SocketAddr, tls_dir: PathBuf) -> Config {
        Config {
            db,
            listen,
            tls_dir,
            body_limit: 72 * 1024 * 1024,
            read_timeout: Duration::from_secs(30),
            pool_size: 8,
            address_failures_allowed: 20,
            address_window: Duration::from_secs(15 * 60),
            clock: Arc::new(|| Box::new(doudi_core::SystemClock)),
            log: Arc::new(|line: &str| eprintln!("{line}")),
            backup: None,
        }
    }
}

/// A server running on its own threads; dropping it stops it.
pub struct Running {
    /// The address it listens on (the port chosen when `listen` had port 0).
    pub address: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    backups: Option<(Arc<AtomicBool>, std::thread::JoinHandle<()>)>,
}

impl Running {
    /// Serve until the process ends.
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    /// Stop listening and end the threads.
    pub fn stop(self) {
        drop(self)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        if let Some((flag, t)) = self.backups.take() {
            flag.store(true, Ordering::SeqCst);
            let _ = t.join();
        }
    }
}

/// Start serving on threads of its own; returns once the address is bound. Refuses (with a
/// Chinese message) a missing certificate, an unopenable database or a taken address.
pub fn start(config: Config) -> Result<Running, String> {
    let tls = tls::server_config(&config.tls_dir)?;
    // Open the database once here, so a file we must refuse stops the start, not the first call.
    doudi_core::Session::open(&config.db, (config.clock)()).map_err(|e| e.message)?;
    let listener = std::net::TcpListener::bind(config.listen)
        .map_err(|e| format!("无法监听 {}：{e}", config.listen))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("无法监听 {}：{e}", config.listen))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let backups = config.backup.clone().map(|plan| {
        let flag = Arc::new(AtomicBool::new(false));
        let thread = backup::schedule(config.db.clone(), plan, config.log.clone(), flag.clone());
        (flag, thread)
    });
    let (stop, stopped) = tokio::sync::oneshot::channel();
    let app = Arc::new(http::App::new(config));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("无法启动服务线程：{e}"))?;
    let thread = std::thread::spawn(move || {
        runtime.block_on(http::accept_loop(app, listener, tls, stopped));
        runtime.shutdown_timeout(Duration::from_secs(2));
    });
    Ok(Running {
        address,
        stop: Some(stop),
        thread: Some(thread),
        backups,
    })
}

/// Serve until the process ends (`doudi serve`).
pub fn serve(config: Config) -> Result<(), String> {
    let running = start(config)?;
    running.wait();
    Ok(())
}
