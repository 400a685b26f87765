//! The desktop's side of `doudi serve`: [`Remote`] calls the county's server as `call` calls the
//! core, over HTTPS with the server's certificate pinned by its SHA-256 fingerprint (the one
//! `doudi serve --init` printed). A different certificate is refused before anything is sent.
//!
//! Blocking on purpose: the app already runs each call on a blocking thread.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use doudi_core::{CmdError, ErrorCode};
use rand::RngCore;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// The refusal of a server whose certificate is not the registered one.
pub const WRONG_CERTIFICATE: &str = "服务器证书与登记的指纹不符，可能被冒充，已拒绝连接";

/// Accepts exactly one certificate: the one whose SHA-256 is `pin`. Names and dates do not
/// matter (the county's certificate is its own, self-signed); the handshake's signatures are
/// still checked, so only the holder of the key can pass.
#[derive(Debug)]
struct Pinned {
    pin: [u8; 32],
    mismatch: Arc<AtomicBool>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if Sha256::digest(end_entity.as_ref()).as_slice() == self.pin {
            Ok(ServerCertVerified::assertion())
        } else {
            self.mismatch.store(true, Ordering::SeqCst);
            Err(rustls::Error::General(WRONG_CERTIFICATE.into()))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// A connection to the county's server: its address, the pinned certificate and, once signed
/// in, the session's token.
pub struct Remote {
    agent: ureq::Agent,
    base: String,
    token: Mutex<Option<String>>,
    mismatch: Arc<AtomicBool>,
}

impl Remote {
    /// `address`: `host:port` (or `https://host:port`); `fingerprint_hex`: as `serve --init`
    /// printed it. Nothing is sent until the first call.
    pub fn connect(address: &str, fingerprint_hex: &str) -> Result<Remote, CmdError> {
        let pin = crate::tls::parse_fingerprint(fingerprint_hex)
            .map_err(|m| CmdError::invalid("fingerprint", m))?;
        let address = address.trim().trim_end_matches('/');
        if address.is_empty() {
            return Err(CmdError::invalid(
                "address",
                "请填写县级服务器的地址（如 10.1.2.3:8443）",
            ));
        }
        let base = if address.starts_with("https://") {
            address.to_owned()
        } else if address.contains("://") {
            return Err(CmdError::invalid("address", "县级服务器只能用 https 连接"));
        } else {
            format!("https://{address}")
        };
        let provider = Arc::new(crate::tls::provider());
        let mismatch = Arc::new(AtomicBool::new(false));
        let verifier = Pinned {
            pin,
            mismatch: mismatch.clone(),
            provider: provider.clone(),
        };
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| CmdError::internal(format!("TLS 配置失败：{e}")))?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        let agent = ureq::AgentBuilder::new()
            .tls_config(Arc::new(tls))
            .timeout_connect(Duration::from_secs(10))
            .timeout(Duration::from_secs(600))
            .build();
        Ok(Remote {
            agent,
            base,
            token: Mutex::new(None),
            mismatch,
        })
    }

    /// Run one named command on the server: the reply `call` returns, or its `{code, message,
    /// field}`. `auth.sign_in` keeps the token it returns; `auth.sign_out` forgets it.
    pub fn call(&self, name: &str, args: Value) -> Result<Value, CmdError> {
        let mut id = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut id);
        self.call_with_request_id(name, args, &hex::encode(id))
    }

    /// [`Remote::call`] with a given request id (`X-Doudi-Request`): the server refuses an id it
    /// has seen on the session before, so a captured request cannot be replayed.
    pub fn call_with_request_id(
        &self,
        name: &str,
        args: Value,
        request_id: &str,
    ) -> Result<Value, CmdError> {
        let mut req = self
            .agent
            .post(&format!("{}/call", self.base))
            .set("X-Doudi-Request", request_id);
        if let Some(t) = self.token() {
            req = req.set("Authorization", &format!("Bearer {t}"));
        }
        let reply = self.read(req.send_json(json!({"name": name, "args": args})))?;
        match name {
            "auth.sign_in" => {
                let token = reply["token"].as_str().map(str::to_owned);
                *self.token.lock().unwrap() = token;
            }
            "auth.sign_out" => *self.token.lock().unwrap() = None,
            _ => {}
        }
        Ok(reply)
    }

    /// `GET /health`: `{ok, schema_version}`.
    pub fn health(&self) -> Result<Value, CmdError> {
        self.read(self.agent.get(&format!("{}/health", self.base)).call())
    }

    /// The session's token (none before sign-in).
    pub fn token(&self) -> Option<String> {
        self.token.lock().unwrap().clone()
    }

    /// Use this token from now on (a desktop resuming a saved session; tests forging one).
    pub fn set_token(&self, token: Option<String>) {
        *self.token.lock().unwrap() = token;
    }

    fn read(&self, r: Result<ureq::Response, ureq::Error>) -> Result<Value, CmdError> {
        match r {
            Ok(resp) => resp.into_json::<Value>().map_err(|e| unreachable_error(&e)),
            Err(ureq::Error::Status(_, resp)) => {
                let v: Value = resp.into_json().map_err(|e| unreachable_error(&e))?;
                Err(error_of(&v))
            }
            Err(ureq::Error::Transport(t)) => {
                if self.mismatch.swap(false, Ordering::SeqCst) {
                    Err(CmdError::new(ErrorCode::Unauthenticated, WRONG_CERTIFICATE))
                } else {
                    Err(unreachable_error(&t))
                }
            }
        }
    }
}

fn unreachable_error(e: &dyn std::fmt::Display) -> CmdError {
    CmdError::internal(format!(
        "无法连接县级服务器或连接中断（{e}）；刚才的操作可能没有完成，请检查网络后刷新再试"
    ))
}

/// The server's `{code, message, field}` as the core's error.
fn error_of(v: &Value) -> CmdError {
    let code = match v["code"].as_str().unwrap_or("") {
        "invalid_input" => ErrorCode::InvalidInput,
        "not_found" => ErrorCode::NotFound,
        "conflict" => ErrorCode::Conflict,
        "unauthenticated" => ErrorCode::Unauthenticated,
        "forbidden" => ErrorCode::Forbidden,
        "unknown_command" => ErrorCode::UnknownCommand,
        "db_too_new" => ErrorCode::DbTooNew,
        "db_corrupt" => ErrorCode::DbCorrupt,
        "db_locked" => ErrorCode::DbLocked,
        _ => ErrorCode::Internal,
    };
    CmdError {
        code,
        message: v["message"]
            .as_str()
            .unwrap_or("服务器返回了无法识别的错误")
            .to_owned(),
        field: v["field"].as_str().map(str::to_owned),
    }
}
