//! The wire: TLS connections accepted, `POST /call` and `GET /health` answered, one log line per
//! call. Everything a command decides is the core's; this file only moves bytes, resumes the
//! caller from their token and refuses what no command should see (docs/server.md).

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use doudi_core::{CmdError, ErrorCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::guard::Guard;
use crate::pool::Pool;
use crate::{Config, LogSink};

pub(crate) struct App {
    pool: Arc<Pool>,
    guard: Guard,
    body_limit: usize,
    read_timeout: Duration,
    log: LogSink,
}

impl App {
    pub fn new(c: Config) -> App {
        App {
            pool: Arc::new(Pool::new(c.db, c.clock, c.pool_size)),
            guard: Guard::new(c.address_failures_allowed, c.address_window),
            body_limit: c.body_limit,
            read_timeout: c.read_timeout,
            log: c.log,
        }
    }
}

pub(crate) async fn accept_loop(
    app: Arc<App>,
    listener: std::net::TcpListener,
    tls: Arc<rustls::ServerConfig>,
    mut stopped: tokio::sync::oneshot::Receiver<()>,
) {
    let Ok(listener) = TcpListener::from_std(listener) else {
        return;
    };
    let acceptor = TlsAcceptor::from(tls);
    loop {
        let (tcp, peer) = tokio::select! {
            _ = &mut stopped => return,
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(_) => continue,
            },
        };
        let (app, acceptor) = (app.clone(), acceptor.clone());
        tokio::spawn(async move {
            // A client that does not finish its handshake in time is dropped.
            let Ok(Ok(stream)) = tokio::time::timeout(app.read_timeout, acceptor.accept(tcp)).await
            else {
                return;
            };
            let timeout = app.read_timeout;
            let service = hyper::service::service_fn(move |req| {
                let app = app.clone();
                async move { Ok::<_, Infallible>(handle(app, peer, req).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(timeout)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

type Reply = Response<Full<Bytes>>;

fn reply(status: StatusCode, v: &Value) -> Reply {
    let mut r = Response::new(Full::new(Bytes::from(v.to_string())));
    *r.status_mut() = status;
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    r
}

/// The HTTP status of a refusal.
pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::InvalidInput => StatusCode::BAD_REQUEST,
        ErrorCode::NotFound | ErrorCode::UnknownCommand => StatusCode::NOT_FOUND,
        ErrorCode::Conflict => StatusCode::CONFLICT,
        ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::DbLocked => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::DbTooNew | ErrorCode::DbCorrupt | ErrorCode::Internal => {
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

/// A size as the refusal names it: "64 MB", "4 KB".
fn size_text(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MB", bytes / (1024 * 1024))
    } else {
        format!("{} KB", bytes / 1024)
    }
}

fn refusal(status: StatusCode, code: ErrorCode, message: &str) -> (StatusCode, CmdError) {
    (status, CmdError::new(code, message))
}

async fn handle(app: Arc<App>, peer: SocketAddr, req: Request<Incoming>) -> Reply {
    match (req.method(), req.uri().path()) {
        (&Method::GET, "/health") => health(&app).await,
        (&Method::POST, "/call") => {
            let started = Instant::now();
            let (status, result, user, name) = call(&app, peer.ip(), req).await;
            let code = match &result {
                Ok(_) => "ok".to_owned(),
                Err(e) => e.to_json()["code"].as_str().unwrap_or("").to_owned(),
            };
            (app.log)(&format!(
                "{} {} user={} cmd={} ms={} status={} result={}",
                chrono::Local::now().format("%Y-%m-%dT%H:%M:%S"),
                peer.ip(),
                user.as_deref().unwrap_or("-"),
                name.as_deref().unwrap_or("-"),
                started.elapsed().as_millis(),
                status.as_u16(),
                code
            ));
            match result {
                Ok(v) => reply(status, &v),
                Err(e) => reply(status, &e.to_json()),
            }
        }
        _ => reply(
            StatusCode::NOT_FOUND,
            &CmdError::not_found("没有这个地址：Doudi 服务器只接受 POST /call 和 GET /health")
                .to_json(),
        ),
    }
}

async fn health(app: &Arc<App>) -> Reply {
    let readable = app
        .pool
        .run(|s| {
            s.connection()
                .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
                .map_err(CmdError::from)
        })
        .await;
    match readable {
        Ok(Ok(v)) => reply(StatusCode::OK, &json!({"ok": true, "schema_version": v})),
        Ok(Err(e)) | Err(e) => reply(
            StatusCode::SERVICE_UNAVAILABLE,
            &json!({"ok": false, "schema_version": doudi_core::db::SCHEMA_VERSION, "message": e.message}),
        ),
    }
}

type Outcome = (
    StatusCode,
    Result<Value, CmdError>,
    Option<String>,
    Option<String>,
);

async fn call(app: &Arc<App>, ip: IpAddr, req: Request<Incoming>) -> Outcome {
    let header = |name| {
        req.headers()
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .map(str::to_owned)
    };
    let token = header(AUTHORIZATION.as_str())
        .and_then(|v| v.strip_prefix("Bearer ").map(|t| t.trim().to_owned()));
    let request_id = header("x-doudi-request");
    let too_large = || {
        refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::InvalidInput,
            &format!(
                "请求内容超过服务器的上限（{}），已拒绝",
                size_text(app.body_limit)
            ),
        )
    };
    let declared = header(CONTENT_LENGTH.as_str()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > app.body_limit) {
        let (s, e) = too_large();
        return (s, Err(e), None, None);
    }
    let body = Limited::new(req.into_body(), app.body_limit);
    let bytes = match tokio::time::timeout(app.read_timeout, body.collect()).await {
        Err(_) => {
            let (s, e) = refusal(
                StatusCode::REQUEST_TIMEOUT,
                ErrorCode::InvalidInput,
                "请求发送太慢，服务器已超时断开；请检查网络后重试",
            );
            return (s, Err(e), None, None);
        }
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => {
            let (s, e) = too_large();
            return (s, Err(e), None, None);
        }
        Ok(Err(_)) => {
            let (s, e) = refusal(
                StatusCode::BAD_REQUEST,
                ErrorCode::InvalidInput,
                "请求未完整送达，未执行；请重试",
            );
            return (s, Err(e), None, None);
        }
        Ok(Ok(b)) => b.to_bytes(),
    };
    let Some((name, args)) = serde_json::from_slice::<Value>(&bytes)
        .ok()
        .and_then(|v| Some((v["name"].as_str()?.to_owned(), v["args"].clone())))
    else {
        let e = CmdError::invalid("name", "请求应为 JSON：{\"name\": 命令名, \"args\": 输入}");
        return (StatusCode::BAD_REQUEST, Err(e), None, None);
    };
    let (status, result, user) = run(app, ip, &name, args, token, request_id).await;
    (status, result, user, Some(name))
}

/// What the call's session did: the reply or refusal, and who was signed in.
type Ran = (StatusCode, Result<Value, CmdError>, Option<String>);

fn refused(e: CmdError) -> Ran {
    (status_of(e.code), Err(e), None)
}

async fn run(
    app: &Arc<App>,
    ip: IpAddr,
    name: &str,
    args: Value,
    token: Option<String>,
    request_id: Option<String>,
) -> Ran {
    if let Some(e) = crate::policy::refusal(name, &args) {
        return refused(e);
    }
    if name == "auth.sign_in" {
        return sign_in(app, ip, args).await;
    }
    let Some(token) = token else {
        if name == "auth.status" {
            return finish(
                app.pool
                    .run(move |s| doudi_core::call(s, "auth.status", args))
                    .await,
                None,
            );
        }
        return refused(CmdError::new(ErrorCode::Unauthenticated, "请先登录"));
    };
    let Some(id) = request_id.filter(|id| {
        (8..=128).contains(&id.len())
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    }) else {
        return refused(CmdError::invalid(
            "X-Doudi-Request",
            "请求缺少请求编号（X-Doudi-Request，8 到 128 位字母数字），未执行",
        ));
    };
    let app2 = app.clone();
    let (name, address) = (name.to_owned(), ip.to_string());
    let ran = app
        .pool
        .run(move |s| {
            s.resume(&token, &address).map_err(|e| (e, None))?;
            let user = s.user().ok().map(|u| u.username.clone());
            let key = doudi_core::server_session::token_hash(&token);
            if !app2.guard.first_use(&key, &id) {
                return Err((
                    CmdError::conflict(
                        "X-Doudi-Request",
                        "重复的请求（此请求编号已处理过），可能是被截获重放，已拒绝；请刷新后再操作",
                    ),
                    user,
                ));
            }
            doudi_core::call(s, &name, args).map(|v| (v, user.clone())).map_err(|e| (e, user))
        })
        .await;
    match ran {
        Err(e) => refused(e),
        Ok(Ok((v, user))) => (StatusCode::OK, Ok(v), user),
        Ok(Err((e, user))) => (status_of(e.code), Err(e), user),
    }
}

fn finish(r: Result<Result<Value, CmdError>, CmdError>, user: Option<String>) -> Ran {
    match r.and_then(|x| x) {
        Ok(v) => (StatusCode::OK, Ok(v), user),
        Err(e) => (status_of(e.code), Err(e), user),
    }
}

/// Sign in: the core checks the password (and its per-account throttle); the server throttles
/// the address, and on success issues the session's token, added to the reply as `token`.
async fn sign_in(app: &Arc<App>, ip: IpAddr, args: Value) -> Ran {
    if app.guard.address_blocked(ip) {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            Err(CmdError::new(
                ErrorCode::Unauthenticated,
                "此电脑登录失败次数过多，请 15 分钟后再试",
            )),
            None,
        );
    }
    let address = ip.to_string();
    let ran = app
        .pool
        .run(move |s| {
            let mut v = doudi_core::call(s, "auth.sign_in", args)?;
            let token = s.issue_token(&address)?;
            v["token"] = Value::String(token);
            Ok::<_, CmdError>((v, s.user().ok().map(|u| u.username.clone())))
        })
        .await;
    match ran.and_then(|x| x) {
        Ok((v, user)) => (StatusCode::OK, Ok(v), user),
        Err(e) => {
            if e.code == ErrorCode::Unauthenticated {
                app.guard.sign_in_failed(ip);
            }
            refused(e)
        }
    }
}
