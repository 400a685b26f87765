//! The county's certificate: made once by `doudi serve --init` (rcgen, self-signed), kept in the
//! TLS directory as `cert.pem` and `key.pem` (the key readable by its owner only), and known to
//! the desktops by its SHA-256 fingerprint, which they pin.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::{Digest, Sha256};

pub const CERT_FILE: &str = "cert.pem";
pub const KEY_FILE: &str = "key.pem";

/// The certificate's SHA-256 fingerprint as `AB:CD:…` (32 pairs), as `serve --init` prints it.
pub fn fingerprint(cert_der: &[u8]) -> String {
    Sha256::digest(cert_der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// A fingerprint as typed (`AB:CD:…`, `abcd…`, with or without colons or spaces) as 32 bytes.
pub fn parse_fingerprint(text: &str) -> Result<[u8; 32], String> {
    let hex_digits: String = text
        .chars()
        .filter(|c| !matches!(c, ':' | ' ' | '-'))
        .collect();
    let bytes = hex::decode(&hex_digits)
        .ok()
        .filter(|b| b.len() == 32)
        .ok_or_else(|| "证书指纹应为 64 位十六进制数（如 AB:CD:…，共 32 组）".to_owned())?;
    let mut out = [0u8; 32];
    out.copy_from_slice(&bytes);
    Ok(out)
}

/// Make the county's key and self-signed certificate in `dir` for `names` (DNS names or IP
/// addresses the desktops will use). Refuses to overwrite an existing key: the desktops have
/// pinned its certificate. Returns the fingerprint.
pub fn init(dir: &Path, names: &[String]) -> Result<String, String> {
    let (cert_path, key_path) = (dir.join(CERT_FILE), dir.join(KEY_FILE));
    if key_path.exists() || cert_path.exists() {
        return Err(format!(
            "{} 已有证书和密钥，未作改动（换证书后每台电脑都要重新登记指纹）；如确需更换，请先移走旧文件",
            dir.display()
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("无法建立目录 {}：{e}", dir.display()))?;
    let names = if names.is_empty() {
        vec!["localhost".to_owned(), "127.0.0.1".to_owned()]
    } else {
        names.to_vec()
    };
    let mut params =
        rcgen::CertificateParams::new(names).map_err(|e| format!("证书名称无效：{e}"))?;
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Doudi 县级服务器");
    params.not_before = rcgen::date_time_ymd(2024, 1, 1);
    params.not_after = rcgen::date_time_ymd(2045, 12, 31);
    let key = rcgen::KeyPair::generate().map_err(|e| format!("无法生成密钥：{e}"))?;
    let cert = params
        .self_signed(&key)
        .map_err(|e| format!("无法生成证书：{e}"))?;
    write_private(&key_path, key.serialize_pem().as_bytes())?;
    std::fs::write(&cert_path, cert.pem())
        .map_err(|e| format!("无法写入 {}：{e}", cert_path.display()))?;
    Ok(fingerprint(cert.der()))
}

/// Write the key readable and writable by its owner only (0600 on Unix).
fn write_private(path: &PathBuf, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options
        .open(path)
        .map_err(|e| format!("无法写入 {}：{e}", path.display()))?;
    f.write_all(bytes)
        .map_err(|e| format!("无法写入 {}：{e}", path.display()))
}

/// The certificate chain and key in `dir`.
pub fn load(dir: &Path) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), String> {
    let read = |name: &str| {
        std::fs::read(dir.join(name)).map_err(|e| {
            format!(
                "无法读取 {}：{e}（先运行 doudi serve --init --tls-dir {}）",
                dir.join(name).display(),
                dir.display()
            )
        })
    };
    let certs = rustls_pemfile::certs(&mut read(CERT_FILE)?.as_slice())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("证书文件无法读取：{e}"))?;
    if certs.is_empty() {
        return Err(format!("{} 中没有证书", dir.join(CERT_FILE).display()));
    }
    let key = rustls_pemfile::private_key(&mut read(KEY_FILE)?.as_slice())
        .map_err(|e| format!("密钥文件无法读取：{e}"))?
        .ok_or_else(|| format!("{} 中没有密钥", dir.join(KEY_FILE).display()))?;
    Ok((certs, key))
}

/// The fingerprint of the certificate in `dir` (`serve --fingerprint`).
pub fn fingerprint_of(dir: &Path) -> Result<String, String> {
    let (certs, _) = load(dir)?;
    Ok(fingerprint(&certs[0]))
}

/// The crypto of both ends: *ring*. rustls 0.23.48 deprecates its ring provider for lacking
/// post-quantum key exchange; the alternative (aws-lc-rs) needs cmake and NASM for the Windows
/// build. Both ends are Doudi's own, so switching later changes this one function.
#[allow(deprecated)]
pub(crate) fn provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::ring::default_provider()
}

/// The server's TLS configuration (TLS 1.2 and 1.3, ring).
pub fn server_config(dir: &Path) -> Result<Arc<rustls::ServerConfig>, String> {
    let (certs, key) = load(dir)?;
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS 配置失败：{e}"))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| format!("证书与密钥不匹配：{e}"))?;
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_as_typed() {
        let fp = fingerprint(b"x");
        assert_eq!(fp.len(), 32 * 3 - 1);
        let bytes = parse_fingerprint(&fp).unwrap();
        assert_eq!(
            parse_fingerprint(&fp.replace(':', "").to_lowercase()).unwrap(),
            bytes
        );
        assert!(parse_fingerprint("AB:CD").is_err());
    }
}
