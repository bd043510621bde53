//! HTTPS on the hall's LAN: `motcua tls init` makes the hall's own certificate authority and the hub's
//! certificate (rcgen); the hub serves with rustls; remote kiosks and boards trust that CA alone (pinned),
//! never the public roots. Keys are written owner-only. docs/deploy.md ("HTTPS") says how a counter PC's
//! browser comes to trust the CA.

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, PublicKeyData,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read {path}: {detail}")]
    Read { path: PathBuf, detail: String },
    #[error("cannot write {path}: {detail}")]
    Write { path: PathBuf, detail: String },
    #[error("cannot make the certificate: {0}")]
    Make(String),
    #[error("{path} holds no certificate; run `motcua tls init` on the hub and copy its ca.pem here")]
    NoCertificate { path: PathBuf },
    #[error("the TLS settings are refused: {0}")]
    Config(String),
}

/// The files in the TLS folder (`[tls] dir`).
#[derive(Debug, Clone)]
pub struct Files {
    pub ca: PathBuf,
    pub ca_key: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl Files {
    pub fn in_dir(dir: &Path) -> Files {
        Files {
            ca: dir.join("ca.pem"),
            ca_key: dir.join("ca-key.pem"),
            cert: dir.join("hub.pem"),
            key: dir.join("hub-key.pem"),
        }
    }
}

/// What `tls init` made.
#[derive(Debug, Clone)]
pub struct Made {
    /// The CA was made now (false: the existing one signed the new certificate).
    pub new_ca: bool,
    /// SHA-256 of the CA certificate, to compare by eye on a counter PC.
    pub ca_fingerprint: String,
    pub names: Vec<String>,
}

/// How long the hub's certificate lasts; the CA lasts twenty years.
pub const CERT_DAYS: i64 = 825;
const CA_DAYS: i64 = 20 * 365;

/// Makes the hall CA (unless `ca.pem` and `ca-key.pem` are already there: then it is kept, so that every
/// device that trusts it goes on doing so) and a new certificate for the hub valid for `names` (addresses
/// and host names phones and devices use to reach it).
pub fn init(files: &Files, names: &[String], now: time::OffsetDateTime) -> Result<Made, TlsError> {
    let make = |e: rcgen::Error| TlsError::Make(e.to_string());
    let (ca_key, new_ca) = match std::fs::read_to_string(&files.ca_key) {
        Ok(pem) if files.ca.exists() => (KeyPair::from_pem(&pem).map_err(make)?, false),
        _ => (KeyPair::generate().map_err(make)?, true),
    };
    let ca_params = ca_params(&ca_key, now);
    if new_ca {
        let ca = ca_params.self_signed(&ca_key).map_err(make)?;
        write(&files.ca_key, ca_key.serialize_pem().as_bytes(), 0o600)?;
        write(&files.ca, ca.pem().as_bytes(), 0o644)?;
    }
    let issuer = Issuer::new(ca_params, &ca_key);
    let mut params = CertificateParams::new(names.to_vec()).map_err(make)?;
    params.distinguished_name = DistinguishedName::new();
    params.distinguished_name.push(DnType::CommonName, names.first().cloned().unwrap_or_else(|| "motcua".into()));
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.not_before = now - time::Duration::days(1);
    params.not_after = now + time::Duration::days(CERT_DAYS);
    let key = KeyPair::generate().map_err(make)?;
    let cert = params.signed_by(&key, &issuer).map_err(make)?;
    write(&files.key, key.serialize_pem().as_bytes(), 0o600)?;
    write(&files.cert, cert.pem().as_bytes(), 0o644)?;
    let ca = first_certificate(&files.ca)?;
    Ok(Made { new_ca, ca_fingerprint: fingerprint(&ca), names: names.to_vec() })
}

/// The CA's parameters, the same each time for the same key: its name is made from its key alone (nothing
/// from the configuration, which may change), so a certificate issued later by the kept CA names exactly the
/// issuer that devices trust.
fn ca_params(key: &KeyPair, now: time::OffsetDateTime) -> CertificateParams {
    use sha2::Digest;
    let id: String =
        sha2::Sha256::digest(key.subject_public_key_info()).iter().take(4).map(|b| format!("{b:02x}")).collect();
    let mut params = CertificateParams::default();
    params.distinguished_name = DistinguishedName::new();
    params.distinguished_name.push(DnType::OrganizationName, "motcua");
    params.distinguished_name.push(DnType::CommonName, format!("motcua hall CA {id}"));
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    params.not_before = now - time::Duration::days(1);
    params.not_after = now + time::Duration::days(CA_DAYS);
    params
}

/// "AB:12:…": SHA-256 of a certificate, as browsers show it.
pub fn fingerprint(cert: &CertificateDer<'_>) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(cert.as_ref()).iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

fn write(path: &Path, bytes: &[u8], mode: u32) -> Result<(), TlsError> {
    let failed = |e: std::io::Error| TlsError::Write { path: path.to_owned(), detail: e.to_string() };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    let partial = path.with_extension("partial");
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(mode)
        .open(&partial)
        .map_err(failed)?;
    f.write_all(bytes).and_then(|()| f.sync_all()).map_err(failed)?;
    std::fs::rename(&partial, path).map_err(failed)
}

fn certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let read = |detail: String| TlsError::Read { path: path.to_owned(), detail };
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| read(e.to_string()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| read(e.to_string()))?;
    if certs.is_empty() {
        return Err(TlsError::NoCertificate { path: path.to_owned() });
    }
    Ok(certs)
}

fn first_certificate(path: &Path) -> Result<CertificateDer<'static>, TlsError> {
    Ok(certificates(path)?.remove(0))
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The hub's TLS settings: its certificate (then the CA's, so clients get the chain) and key.
pub fn server_config(files: &Files) -> Result<Arc<rustls::ServerConfig>, TlsError> {
    let mut chain = certificates(&files.cert)?;
    if let Ok(ca) = first_certificate(&files.ca) {
        chain.push(ca);
    }
    let key = PrivateKeyDer::from_pem_file(&files.key)
        .map_err(|e| TlsError::Read { path: files.key.clone(), detail: e.to_string() })?;
    let config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError::Config(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| TlsError::Config(e.to_string()))?;
    Ok(Arc::new(config))
}

/// The hall CA a client trusts for `https://` hubs, and nothing else.
#[derive(Clone)]
pub struct Trust {
    config: Arc<rustls::ClientConfig>,
    certs: Vec<CertificateDer<'static>>,
}

impl std::fmt::Debug for Trust {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trust").field("certificates", &self.certs.len()).finish()
    }
}

impl Trust {
    pub fn load(ca: &Path) -> Result<Trust, TlsError> {
        let certs = certificates(ca)?;
        let mut roots = rustls::RootCertStore::empty();
        for c in &certs {
            roots.add(c.clone()).map_err(|e| TlsError::Read { path: ca.to_owned(), detail: e.to_string() })?;
        }
        let config = rustls::ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsError::Config(e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(Trust { config: Arc::new(config), certs })
    }

    /// rustls client settings that accept only certificates from this CA.
    pub fn client_config(&self) -> Arc<rustls::ClientConfig> {
        self.config.clone()
    }

    /// The same, for ureq.
    pub fn ureq(&self) -> ureq::tls::TlsConfig {
        let certs: Vec<ureq::tls::Certificate<'static>> =
            self.certs.iter().map(|c| ureq::tls::Certificate::from_der(c.as_ref()).to_owned()).collect();
        ureq_trusting(certs)
    }

    /// ureq settings that trust no certificate at all: an `https://` address without the hall CA fails
    /// with a clear error instead of trusting the public roots.
    pub fn nothing() -> ureq::tls::TlsConfig {
        ureq_trusting(Vec::new())
    }
}

fn ureq_trusting(certs: Vec<ureq::tls::Certificate<'static>>) -> ureq::tls::TlsConfig {
    ureq::tls::TlsConfig::builder()
        .provider(ureq::tls::TlsProvider::Rustls)
        .unversioned_rustls_crypto_provider(provider())
        .root_certs(ureq::tls::RootCerts::Specific(Arc::new(certs)))
        .build()
}

/// The TLS folder: `[tls] dir`, or `tls/` in the data folder.
pub fn folder(config: &crate::config::Config, data_dir: &Path) -> PathBuf {
    match config.tls.dir.trim() {
        "" => data_dir.join("tls"),
        dir => PathBuf::from(dir),
    }
}

/// The CA a client trusts: `[tls] ca`, or `ca.pem` in the TLS folder.
pub fn ca_file(config: &crate::config::Config, data_dir: &Path) -> PathBuf {
    match config.tls.ca.trim() {
        "" => folder(config, data_dir).join("ca.pem"),
        ca => PathBuf::from(ca),
    }
}

/// What a client reaching `url` trusts: the hall CA for `https://`, nothing for `http://`.
pub fn trust_for(url: &str, config: &crate::config::Config, data_dir: &Path) -> Result<Option<Trust>, TlsError> {
    if !url.starts_with("https://") {
        return Ok(None);
    }
    Trust::load(&ca_file(config, data_dir)).map(Some)
}

/// The names a hub's certificate is made for when none are given: the hosts in `public_base_url` and
/// `listen` (unless a wildcard address), this machine's host name and `<host>.local`, and loopback.
pub fn default_names(config: &crate::config::Config) -> Vec<String> {
    let mut names = Vec::new();
    let host_of = |authority: &str| crate::domain::client::host_of(authority).to_string();
    let public = config.queue.public_base_url.trim();
    let public = public.strip_prefix("https://").or_else(|| public.strip_prefix("http://")).unwrap_or("");
    names.push(host_of(public));
    names.push(host_of(&config.hub.listen));
    if let Ok(host) = std::fs::read_to_string("/etc/hostname") {
        let host = host.trim();
        if !host.is_empty() {
            names.push(host.to_string());
            names.push(format!("{host}.local"));
        }
    }
    names.extend(["localhost", "127.0.0.1", "::1"].map(String::from));
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| !n.is_empty() && n != "0.0.0.0" && n != "::" && seen.insert(n.clone()));
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A TLS handshake in memory between a client with `client` settings and a server with `server`'s.
    fn handshake(
        client: Arc<rustls::ClientConfig>,
        server: Arc<rustls::ServerConfig>,
        name: &str,
    ) -> Result<(), String> {
        let name = rustls::pki_types::ServerName::try_from(name.to_string()).map_err(|e| e.to_string())?;
        let mut c = rustls::ClientConnection::new(client, name).map_err(|e| e.to_string())?;
        let mut s = rustls::ServerConnection::new(server).map_err(|e| e.to_string())?;
        for _ in 0..10 {
            let mut wire = Vec::new();
            while c.wants_write() {
                c.write_tls(&mut wire).map_err(|e| e.to_string())?;
            }
            s.read_tls(&mut &wire[..]).map_err(|e| e.to_string())?;
            s.process_new_packets().map_err(|e| e.to_string())?;
            wire.clear();
            while s.wants_write() {
                s.write_tls(&mut wire).map_err(|e| e.to_string())?;
            }
            c.read_tls(&mut &wire[..]).map_err(|e| e.to_string())?;
            c.process_new_packets().map_err(|e| e.to_string())?;
            if !c.is_handshaking() && !s.is_handshaking() {
                return Ok(());
            }
        }
        Err("the handshake did not finish".into())
    }

    #[test]
    fn a_certificate_issued_again_by_the_kept_ca_is_trusted_and_no_other_is() {
        let now = time::OffsetDateTime::now_utc();
        let dir = tempfile::tempdir().unwrap();
        let files = Files::in_dir(dir.path());
        let first = init(&files, &["127.0.0.1".into()], now).unwrap();
        let trust = Trust::load(&files.ca).unwrap();
        // The hub moves: a new certificate for its new name, from the same CA, which devices already trust.
        let again = init(&files, &["hub.lan".into(), "192.168.1.10".into()], now).unwrap();
        assert!(first.new_ca && !again.new_ca);
        assert_eq!(first.ca_fingerprint, again.ca_fingerprint);
        let server = server_config(&files).unwrap();
        handshake(trust.client_config(), server.clone(), "hub.lan").unwrap();
        handshake(trust.client_config(), server.clone(), "192.168.1.10").unwrap();
        let wrong_name = handshake(trust.client_config(), server.clone(), "127.0.0.1").unwrap_err();
        assert!(wrong_name.contains("not valid for name"), "{wrong_name}");
        // Another hall's CA is not trusted.
        let other = tempfile::tempdir().unwrap();
        let other_files = Files::in_dir(other.path());
        init(&other_files, &["hub.lan".into()], now).unwrap();
        let stranger = Trust::load(&other_files.ca).unwrap();
        let refused = handshake(stranger.client_config(), server, "hub.lan").unwrap_err();
        assert!(refused.to_lowercase().replace(' ', "").contains("unknownissuer"), "{refused}");
    }
}
