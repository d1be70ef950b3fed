//! The one HTTP client shelf has: GET with JSON back, to one configured server, with the
//! token in a header (never in a URL), timeouts on connect and read, no redirects (a
//! redirect could carry the token elsewhere), no proxy from the environment, and a bound on
//! the size of a response.

use std::time::Duration;

use serde_json::Value;

use super::ServerError;

/// Larger than any listing page shelf asks for by far (a page of 200 items with their
/// media is well under 2 MiB); a larger answer is not a media server's.
pub(crate) const MAX_BODY: u64 = 64 << 20;

pub(crate) struct Http {
    agent: ureq::Agent,
    /// `scheme://host[:port][/path]`, no trailing `/`.
    base: String,
    /// The header that carries the token, and its value; `None` before one is known.
    auth: Option<(&'static str, String)>,
}

impl Http {
    /// A client for `base` (checked to be an http or https URL). `ca`: PEM certificates to
    /// trust instead of the public roots (a home server's own certificate).
    pub(crate) fn new(
        base: &str,
        auth: Option<(&'static str, String)>,
        ca: Option<&str>,
    ) -> Result<Self, ServerError> {
        let base = base.trim().trim_end_matches('/').to_owned();
        let rest = base
            .strip_prefix("http://")
            .or_else(|| base.strip_prefix("https://"))
            .ok_or_else(|| {
                ServerError::BadUrl(format!("{base:?} is not an http:// or https:// URL"))
            })?;
        if rest.is_empty() || rest.starts_with('/') || rest.contains(['?', '#', '@', ' ']) {
            return Err(ServerError::BadUrl(format!(
                "{base:?} has no host, or has a query, a fragment or credentials"
            )));
        }
        let mut tls = ureq::tls::TlsConfig::builder();
        if let Some(pem) = ca {
            let certs: Vec<ureq::tls::Certificate<'static>> = ureq::tls::parse_pem(pem.as_bytes())
                .filter_map(|item| match item {
                    Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                    _ => None,
                })
                .collect();
            if certs.is_empty() {
                return Err(ServerError::BadUrl(
                    "the CA file holds no PEM certificate".into(),
                ));
            }
            tls = tls.root_certs(ureq::tls::RootCerts::new_with_certs(&certs));
        }
        let config = ureq::Agent::config_builder()
            .tls_config(tls.build())
            .timeout_connect(Some(Duration::from_secs(5)))
            .timeout_per_read(Some(Duration::from_secs(30)))
            .timeout_global(Some(Duration::from_secs(120)))
            .http_status_as_error(false)
            .max_redirects(0)
            .proxy(None)
            .user_agent(concat!("shelf/", env!("CARGO_PKG_VERSION")))
            .build();
        Ok(Self {
            agent: config.into(),
            base,
            auth,
        })
    }

    pub(crate) fn base(&self) -> &str {
        &self.base
    }

    /// GET `path` (with its query) and parse the JSON answer. A 401 or 403 is
    /// `Unauthorized`, other non-2xx statuses are `Status`; the body of an error is never read
    /// (servers answer them in HTML).
    pub(crate) fn get_json(&self, path: &str) -> Result<Value, ServerError> {
        let url = format!("{}{path}", self.base);
        let mut req = self.agent.get(&url).header("Accept", "application/json");
        if let Some((name, value)) = &self.auth {
            req = req.header(*name, value.as_str());
        }
        let mut resp = req
            .call()
            .map_err(|e| ServerError::Unreachable(describe(&e)))?;
        let status = resp.status().as_u16();
        match status {
            200..=299 => {}
            401 | 403 => return Err(ServerError::Unauthorized(status)),
            _ => {
                return Err(ServerError::Status {
                    status,
                    path: path_only(path),
                });
            }
        }
        let body = resp
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => ServerError::Bad(format!(
                    "{} answered more than {} MiB",
                    path_only(path),
                    MAX_BODY >> 20
                )),
                e => ServerError::Unreachable(describe(&e)),
            })?;
        serde_json::from_slice(&body)
            .map_err(|e| ServerError::Bad(format!("{} is not JSON: {e}", path_only(path))))
    }
}

/// The path of a request without its query, for messages.
fn path_only(path: &str) -> String {
    path.split('?').next().unwrap_or(path).to_owned()
}

/// A transport error in words, without the URL (which never holds the token, but keep
/// messages short).
fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(t) => format!("timed out ({t})"),
        ureq::Error::Io(io) => io.to_string(),
        ureq::Error::HostNotFound => "host not found".into(),
        ureq::Error::ConnectionFailed => "connection failed".into(),
        ureq::Error::TooManyRedirects => "the server redirected (not followed)".into(),
        e => e.to_string(),
    }
}
