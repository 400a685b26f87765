//! A small pool of sessions over the one database file: each call borrows one, signed out, on a
//! blocking thread; at most `size` run at once.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use doudi_core::{CmdError, Session};
use tokio::sync::Semaphore;

use crate::ClockFactory;

pub(crate) struct Pool {
    db: PathBuf,
    clock: ClockFactory,
    idle: Mutex<Vec<Session>>,
    permits: Arc<Semaphore>,
}

impl Pool {
    pub fn new(db: PathBuf, clock: ClockFactory, size: usize) -> Pool {
        Pool {
            db,
            clock,
            idle: Mutex::new(Vec::new()),
            permits: Arc::new(Semaphore::new(size.max(1))),
        }
    }

    /// Run `f` on a pooled session that nobody is signed in to, and sign it out again after.
    pub async fn run<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Session) -> T + Send + 'static,
    ) -> Result<T, CmdError> {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| CmdError::internal("服务器正在停止"))?;
        let pool = self.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let pooled = pool.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
            let mut s = match pooled {
                Some(s) => s,
                None => Session::open(&pool.db, (pool.clock)())?,
            };
            s.sign_out_locally();
            let out = f(&mut s);
            s.sign_out_locally();
            pool.idle.lock().unwrap_or_else(|p| p.into_inner()).push(s);
            Ok(out)
        })
        .await
        .map_err(|_| CmdError::internal("服务器处理此请求时出错，未完成；请刷新后再试"))?
    }
}
