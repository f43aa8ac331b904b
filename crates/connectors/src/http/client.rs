//! The HTTP client of the `http` kind: per-request timeout, retries with
//! exponential backoff and jitter (connect errors, timeouts, 5xx, 429 with
//! `Retry-After`) under a cap on the total time, a response size limit, no
//! redirects, and error messages that name the URL without the token or
//! personal data.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use inzage_core::SourceError;
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_ENCODING, CONTENT_TYPE, LOCATION,
    RETRY_AFTER,
};
use reqwest::StatusCode;
use tracing::debug;
use url::Url;

/// Credentials sent with every request.
#[derive(Clone)]
pub struct Auth {
    /// `Authorization` or the API-key header.
    pub header: HeaderName,
    /// `Bearer <token>` or the key; marked sensitive.
    pub value: HeaderValue,
    /// The `${NAME}` the secret came from, for 401/403 messages.
    pub variable: Option<String>,
}

/// Retry and size limits.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Timeout of one request, body included.
    pub request_timeout: Duration,
    /// Retries after the first attempt.
    pub retries: u32,
    /// Cap on the time one request may take, retries and waits included.
    pub max_total: Duration,
    /// Largest response body accepted.
    pub max_bytes: u64,
}

/// A successful (2xx) or not-found (404) answer.
pub struct Answer {
    /// 200..299 or 404.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body, at most `max_bytes`.
    pub body: Vec<u8>,
}

/// The client of one connector.
pub struct Client {
    http: reqwest::Client,
    /// The base URL (`https://crm.example.org/api/data/v9.2`).
    pub base: Url,
    auth: Option<Auth>,
    limits: Limits,
    /// Query parameters whose values are safe to show (`$select`, `page`).
    safe_params: Vec<String>,
}

/// One failed attempt.
enum Failure {
    /// Worth another try (after the server's `Retry-After`, when it gave one).
    Retry {
        reason: String,
        retry_after: Option<Duration>,
    },
    /// Final.
    Fatal(SourceError),
}

impl Client {
    /// Builds the client.
    pub fn new(
        base: Url,
        auth: Option<Auth>,
        limits: Limits,
        safe_params: Vec<String>,
    ) -> Result<Client, SourceError> {
        let mut builder = reqwest::Client::builder()
            .timeout(limits.request_timeout)
            .connect_timeout(limits.request_timeout.min(Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("inzage/", env!("CARGO_PKG_VERSION")));
        if base.scheme() == "http" {
            // Plain http (loopback, or allowed explicitly) never goes through a
            // proxy from HTTP_PROXY: the proxy would read identifiers and the
            // token in the clear. Over https a proxy only sees a tunnel.
            builder = builder.no_proxy();
        }
        let http = builder.build().map_err(|e| {
            SourceError::Config(format!("cannot set up the HTTP client: {}", causes(&e)))
        })?;
        Ok(Client {
            http,
            base,
            auth,
            limits,
            safe_params,
        })
    }

    /// `base` + `/` + a relative path and query (`contactmomenten?$filter=..`).
    pub fn url(&self, relative: &str) -> Result<Url, SourceError> {
        let text = format!(
            "{}/{}",
            self.base.as_str().trim_end_matches('/'),
            relative.trim_start_matches('/')
        );
        Url::parse(&text).map_err(|e| {
            SourceError::Config(format!(
                "cannot form a URL from {} and the configured path: {e}",
                self.base
            ))
        })
    }

    /// A link the server gave (`@odata.nextLink`, `Link: rel=next`), resolved
    /// against `current`; only followed to the same scheme, host and port.
    pub fn follow(&self, current: &Url, link: &str, hide: &[&str]) -> Result<Url, SourceError> {
        let next = current.join(link).map_err(|e| {
            SourceError::Other(format!(
                "{}: the next-page link is not a URL: {e}",
                self.shown(current, hide)
            ))
        })?;
        if next.origin() != self.base.origin() {
            return Err(SourceError::Other(format!(
                "{}: the next-page link points to another server ({}); it is not followed, so that the token is not sent there",
                self.shown(current, hide),
                next.origin().ascii_serialization()
            )));
        }
        Ok(next)
    }

    /// The URL as it may be shown: the query values masked except paging
    /// and `$select`-like options, and any path segment that holds one of
    /// `hide` (identifier values) replaced by `***`.
    pub fn shown(&self, url: &Url, hide: &[&str]) -> String {
        let mut out = url.origin().ascii_serialization();
        for segment in url.path().split('/').skip(1) {
            out.push('/');
            let decoded = decode(segment);
            if hide.iter().any(|h| !h.is_empty() && decoded.contains(h)) {
                out.push_str("***");
            } else {
                out.push_str(segment);
            }
        }
        if let Some(query) = url.query() {
            let shown: Vec<String> = query
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|pair| {
                    let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                    let name = decode(k);
                    let safe = name.starts_with("$select")
                        || name.starts_with("$expand")
                        || name == "$top"
                        || self.safe_params.contains(&name);
                    if safe && !hide.iter().any(|h| !h.is_empty() && decode(v).contains(h)) {
                        format!("{k}={v}")
                    } else {
                        format!("{k}=***")
                    }
                })
                .collect();
            out.push('?');
            out.push_str(&shown.join("&"));
        }
        out
    }

    /// GET with retries. Returns 2xx and 404 answers; other statuses are errors.
    pub async fn get(
        &self,
        url: &Url,
        accept: &str,
        extra: &[(HeaderName, HeaderValue)],
        hide: &[&str],
    ) -> Result<Answer, SourceError> {
        let shown = self.shown(url, hide);
        let started = Instant::now();
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            // retry_max_secs caps the whole exchange, attempts included.
            let left = self.limits.max_total.saturating_sub(started.elapsed());
            let failure = match tokio::time::timeout(left, self.once(url, accept, extra, &shown)).await {
                Ok(Ok(answer)) => return Ok(answer),
                Ok(Err(failure)) => failure,
                Err(_) => {
                    return Err(SourceError::Other(format!(
                        "{shown}: no answer within retry_max_secs = {} (after {attempt} attempts); check the system, or raise retry_max_secs",
                        self.limits.max_total.as_secs()
                    )))
                }
            };
            let (reason, retry_after) = match failure {
                Failure::Fatal(e) => return Err(e),
                Failure::Retry {
                    reason,
                    retry_after,
                } => (reason, retry_after),
            };
            if attempt > self.limits.retries {
                return Err(SourceError::Other(format!(
                    "{shown}: {reason} (gave up after {attempt} attempts; check the system, or raise retries)"
                )));
            }
            let delay = retry_after.unwrap_or_else(|| backoff(attempt));
            let spent = started.elapsed();
            if spent + delay > self.limits.max_total {
                let wait = match retry_after {
                    Some(d) => format!("the server asks to wait {} s", d.as_secs()),
                    None => format!("the next try would be in {} ms", delay.as_millis()),
                };
                return Err(SourceError::Other(format!(
                    "{shown}: {reason}; {wait}, which would pass retry_max_secs = {} (after {attempt} attempts in {:.1} s)",
                    self.limits.max_total.as_secs(),
                    spent.as_secs_f64()
                )));
            }
            debug!(url = %shown, attempt, delay_ms = delay.as_millis() as u64, %reason, "retrying");
            tokio::time::sleep(delay).await;
        }
    }

    async fn once(
        &self,
        url: &Url,
        accept: &str,
        extra: &[(HeaderName, HeaderValue)],
        shown: &str,
    ) -> Result<Answer, Failure> {
        let mut request = self.http.get(url.clone()).header(ACCEPT, accept);
        if let Some(auth) = &self.auth {
            request = request.header(auth.header.clone(), auth.value.clone());
        }
        for (name, value) in extra {
            request = request.header(name.clone(), value.clone());
        }
        let mut response = request.send().await.map_err(|e| self.transport(&e))?;
        let status = response.status();
        let headers = response.headers().clone();
        if status.is_success() || status == StatusCode::NOT_FOUND {
            if let Some(length) = response.content_length() {
                if length > self.limits.max_bytes {
                    return Err(Failure::Fatal(self.too_large(shown)));
                }
            }
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(|e| self.transport(&e))? {
                if (body.len() + chunk.len()) as u64 > self.limits.max_bytes {
                    return Err(Failure::Fatal(self.too_large(shown)));
                }
                body.extend_from_slice(&chunk);
            }
            let body = self
                .decompressed(body, &headers, shown)
                .map_err(Failure::Fatal)?;
            return Ok(Answer {
                status,
                headers,
                body,
            });
        }
        let code = status.as_u16();
        let text = format!("HTTP {code} {}", status.canonical_reason().unwrap_or(""));
        let text = text.trim_end().to_string();
        if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            let retry_after = headers
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(retry_after);
            return Err(Failure::Retry {
                reason: text,
                retry_after,
            });
        }
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            let what = if status == StatusCode::UNAUTHORIZED {
                "the credentials were refused"
            } else {
                "access was denied"
            };
            let hint = match self.auth.as_ref().and_then(|a| a.variable.as_deref()) {
                Some(var) => format!(
                    "check the environment variable {var} (referenced as ${{{var}}} in connectors.toml): is it set to a valid, unexpired token or key with read access?"
                ),
                None => "this source has no token or API key configured; set bearer_token or api_key in connectors.toml to \"${NAME}\" and the environment variable NAME".to_string(),
            };
            return Err(Failure::Fatal(SourceError::Other(format!(
                "{shown}: {text}: {what}; {hint}"
            ))));
        }
        // The body of an error answer is not shown: it can echo identifiers
        // or other people's data, and this message reaches the manifest.
        let detail = if status.is_redirection() {
            // Only the target's scheme, host and port: its path and query
            // can hold identifiers.
            let target = headers
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|l| url.join(l).ok())
                .map(|t| {
                    let origin = t.origin().ascii_serialization();
                    if t.origin() == url.origin() {
                        format!("to another path on the same server ({origin})")
                    } else {
                        format!("to {origin}")
                    }
                })
                .unwrap_or_else(|| "without a usable Location header".to_string());
            format!(
                " (the server redirects {target}; redirects are not followed, so that the token is not sent elsewhere: point url at the final address)"
            )
        } else {
            String::new()
        };
        Err(Failure::Fatal(SourceError::Other(format!(
            "{shown}: {text}{detail}; check the path and options in connectors.toml"
        ))))
    }

    fn transport(&self, e: &reqwest::Error) -> Failure {
        let reason = if e.is_timeout() {
            format!(
                "no answer within {} s",
                self.limits.request_timeout.as_secs_f64()
            )
        } else if e.is_connect() {
            format!("cannot connect ({})", causes(e))
        } else {
            format!("the connection failed ({})", causes(e))
        };
        Failure::Retry {
            reason,
            retry_after: None,
        }
    }

    /// The body as the server meant it: a gzip or deflate body (sent even
    /// though inzage does not ask for one, or labelled wrongly) is inflated
    /// within `max_response_bytes`; other encodings are named as the cause.
    fn decompressed(
        &self,
        body: Vec<u8>,
        headers: &HeaderMap,
        shown: &str,
    ) -> Result<Vec<u8>, SourceError> {
        let declared = headers
            .get(CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let gzip_magic = body.starts_with(&[0x1f, 0x8b]);
        let decoder: Box<dyn std::io::Read + '_> = match declared.as_str() {
            "gzip" | "x-gzip" => Box::new(flate2::read::GzDecoder::new(&body[..])),
            "deflate" => Box::new(flate2::read::ZlibDecoder::new(&body[..])),
            "" | "identity" if gzip_magic => Box::new(flate2::read::GzDecoder::new(&body[..])),
            "" | "identity" => return Ok(body),
            other => {
                return Err(SourceError::Other(format!(
                    "{shown}: the response is compressed with `{}` (Content-Encoding), which inzage does not read; configure the server or proxy to answer uncompressed or with gzip",
                    crate::limits::excerpt(other, 40)
                )))
            }
        };
        let what = if declared.is_empty() || declared == "identity" {
            "gzip-compressed without saying so (no Content-Encoding)".to_string()
        } else {
            format!("compressed with {declared}")
        };
        let mut out = Vec::new();
        let limit = self.limits.max_bytes;
        match std::io::Read::read_to_end(&mut std::io::Read::take(decoder, limit + 1), &mut out) {
            Ok(_) if out.len() as u64 > limit => Err(SourceError::Other(format!(
                "{shown}: the response is {what} and inflates to more than max_response_bytes = {limit} (decompression limit; {} bytes compressed); raise it, or lower page_size",
                body.len()
            ))),
            Ok(_) => {
                debug!(url = %shown, compressed = body.len(), inflated = out.len(), "compressed response inflated");
                Ok(out)
            }
            Err(e) => Err(SourceError::Other(format!(
                "{shown}: the response is {what}, but the compressed data is damaged or cut off ({e}); check the system or a proxy in between"
            ))),
        }
    }

    fn too_large(&self, shown: &str) -> SourceError {
        SourceError::Other(format!(
            "{shown}: the response is larger than max_response_bytes = {}; raise it, or lower page_size",
            self.limits.max_bytes
        ))
    }
}

/// The JSON body of an answer, checked to be JSON by its content type when
/// it declares one.
pub fn expect_json(answer: &Answer, shown: &str) -> Result<(), SourceError> {
    let content_type = answer
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.is_empty() && !content_type.contains("json") {
        return Err(SourceError::Other(format!(
            "{shown}: expected JSON, got `{content_type}` at JSON path `$`; check url (a login page or proxy may answer instead)"
        )));
    }
    Ok(())
}

/// Exponential backoff with jitter: 250 ms, 500 ms, 1 s, ... up to 8 s,
/// each between half and all of that.
fn backoff(attempt: u32) -> Duration {
    let full = 250u64
        .saturating_mul(1 << attempt.saturating_sub(1).min(5))
        .min(8_000);
    Duration::from_millis(full / 2 + fastrand::u64(0..=full / 2))
}

/// An error and its causes, without the URL (which may hold personal data).
fn causes(e: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        source = s.source();
    }
    if parts.is_empty() {
        parts.push(
            e.to_string()
                .split(" for url")
                .next()
                .unwrap_or_default()
                .to_string(),
        );
    }
    parts.join(": ")
}

/// Percent-decodes (for comparing, never for sending).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes everything but RFC 3986 unreserved characters: safe in a
/// path segment and in a query value.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A Retry-After value: delay-seconds, or an HTTP date (a date in the past
/// means now).
fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// True when plain http to this URL is acceptable: its host is loopback
/// (127.0.0.0/8, ::1 or `localhost`).
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Checks scheme and host: https anywhere, http only to loopback unless
/// allowed. The message names the URL.
pub fn check_scheme(url: &Url, allow_insecure_http: bool) -> Result<(), String> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if allow_insecure_http || is_loopback(url) => Ok(()),
        "http" => Err(format!(
            "url `{}` uses plain http to a host that is not loopback: the token and the data would cross the network unencrypted; use https, or set allow_insecure_http = true",
            url.origin().ascii_serialization()
        )),
        other => Err(format!(
            "url `{}` has scheme `{other}`; use https:// (or http:// to localhost)",
            url.origin().ascii_serialization()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        assert_eq!(retry_after(" 7 "), Some(Duration::from_secs(7)));
        let later = std::time::SystemTime::now() + Duration::from_secs(120);
        let wait = retry_after(&httpdate::fmt_http_date(later)).unwrap();
        assert!(
            wait > Duration::from_secs(100) && wait <= Duration::from_secs(120),
            "{wait:?}"
        );
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon"), None);
    }

    #[test]
    fn loopback_hosts_are_recognised() {
        for ok in [
            "http://127.0.0.1:8080/x",
            "http://127.5.6.7/x",
            "http://[::1]:80/",
            "http://localhost/",
            "https://crm.example.org/",
        ] {
            assert!(
                check_scheme(&Url::parse(ok).unwrap(), false).is_ok(),
                "{ok}"
            );
        }
        let err =
            check_scheme(&Url::parse("http://crm.example.org/api").unwrap(), false).unwrap_err();
        assert!(
            err.contains("http://crm.example.org") && err.contains("allow_insecure_http"),
            "{err}"
        );
        assert!(check_scheme(&Url::parse("http://10.0.0.1/").unwrap(), true).is_ok());
        assert!(check_scheme(&Url::parse("ftp://h/").unwrap(), true).is_err());
    }

    #[test]
    fn shown_urls_mask_query_values_and_identifier_segments() {
        let c = Client::new(
            Url::parse("http://127.0.0.1:1/api").unwrap(),
            None,
            Limits {
                request_timeout: Duration::from_secs(1),
                retries: 0,
                max_total: Duration::from_secs(1),
                max_bytes: 10,
            },
            vec!["page".into()],
        )
        .unwrap();
        let url = Url::parse("http://127.0.0.1:1/api/inschrijvingen/469095494?registratienummer=469095494&page=2&%24filter=klantnummer%20eq%20%27001011%27&$select=a,b").unwrap();
        let shown = c.shown(&url, &["469095494"]);
        assert_eq!(
            shown,
            "http://127.0.0.1:1/api/inschrijvingen/***?registratienummer=***&page=2&%24filter=***&$select=a,b"
        );
        assert_eq!(encode("a b/'&é"), "a%20b%2F%27%26%C3%A9");
        assert_eq!(decode("a%20b%2F"), "a b/");
    }

    #[test]
    fn backoff_grows_with_jitter_and_is_capped() {
        for attempt in 1..20 {
            let d = backoff(attempt);
            assert!(d <= Duration::from_secs(8));
            assert!(d >= Duration::from_millis(125));
        }
        assert!(backoff(4) >= Duration::from_millis(1000));
    }
}
