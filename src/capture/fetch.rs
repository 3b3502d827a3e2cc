//! Fetching a URL with ureq: fixed headers, the address guard in the
//! resolver, no proxies, at most 5 redirects, a connect and a total time
//! limit (covering a body that stalls), and the body capped after
//! decompression.

use super::guard::{GuardedResolver, Refused};
use super::CaptureError;
use crate::model::Validators;
use std::time::Duration;
use ureq::unversioned::transport::DefaultConnector;
use ureq::{Agent, ResponseExt};

/// Longest wait for a connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Most redirects followed.
pub const MAX_REDIRECTS: u32 = 5;
/// What redliner asks for.
const ACCEPT: &str =
    "text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.1";

/// How to fetch.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// `Accept-Language`.
    pub lang: String,
    /// Lift the address guard.
    pub allow_private: bool,
    /// The whole exchange, body included.
    pub timeout: Duration,
    /// Largest body, counted after decompression.
    pub max_bytes: u64,
}

/// A response: its body as received (after any content encoding is
/// undone), where it came from, and its declared type.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub body: Vec<u8>,
    pub final_url: String,
    pub content_type: Option<String>,
    /// `ETag` and `Last-Modified`, for the next conditional request.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// Whether `lang` can go in an `Accept-Language` header as it is.
pub fn valid_lang(lang: &str) -> bool {
    !lang.is_empty()
        && lang.len() <= 200
        && lang
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-,;=.* _".contains(&b))
}

fn agent(opts: &FetchOptions) -> Agent {
    let config = Agent::config_builder()
        // Proxy variables would bypass the guard: never read them.
        .proxy(None)
        .http_status_as_error(false)
        .max_redirects(MAX_REDIRECTS)
        .max_redirects_will_error(true)
        .user_agent(format!("redliner/{}", env!("CARGO_PKG_VERSION")))
        .accept(ACCEPT)
        .timeout_global(Some(opts.timeout))
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .build();
    if opts.allow_private {
        Agent::new_with_config(config)
    } else {
        Agent::with_parts(
            config,
            DefaultConnector::default(),
            GuardedResolver::default(),
        )
    }
}

/// Fetches `url`; a status other than 2xx is an error. With `known`
/// validators the request is conditional, and `None` means 304 Not Modified.
pub fn fetch(
    url: &str,
    opts: &FetchOptions,
    known: Option<&Validators>,
) -> Result<Option<Fetched>, CaptureError> {
    let map = |e: ureq::Error| map_error(url, opts, e);
    let mut req = agent(opts)
        .get(url)
        .header("Accept-Language", opts.lang.as_str());
    if let Some(v) = known {
        if let Some(etag) = &v.etag {
            req = req.header("If-None-Match", etag.as_str());
        }
        if let Some(date) = &v.last_modified {
            req = req.header("If-Modified-Since", date.as_str());
        }
    }
    let mut resp = req.call().map_err(map)?;
    let final_url = resp.get_uri().to_string();
    let status = resp.status();
    if status.as_u16() == 304 && known.is_some_and(|v| !v.is_empty()) {
        return Ok(None);
    }
    if !status.is_success() {
        return Err(CaptureError::Status {
            url: url.to_string(),
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or("").to_string(),
        });
    }
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let content_type = header("content-type");
    let etag = header("etag");
    let last_modified = header("last-modified");
    if let Some(n) = resp.body().content_length() {
        if n > opts.max_bytes {
            return Err(too_large(url, opts));
        }
    }
    let body = resp
        .body_mut()
        .with_config()
        .limit(opts.max_bytes)
        .read_to_vec()
        .map_err(map)?;
    Ok(Some(Fetched {
        body,
        final_url,
        content_type,
        etag,
        last_modified,
    }))
}

fn too_large(url: &str, opts: &FetchOptions) -> CaptureError {
    CaptureError::TooLarge {
        origin: url.to_string(),
        limit_mib: opts.max_bytes / (1024 * 1024),
    }
}

/// One clear error for each way a fetch fails.
fn map_error(url: &str, opts: &FetchOptions, e: ureq::Error) -> CaptureError {
    let fetch = |reason: String| CaptureError::Fetch {
        url: url.to_string(),
        reason,
    };
    match e {
        ureq::Error::Other(boxed) => match boxed.downcast::<Refused>() {
            Ok(r) => CaptureError::Guarded {
                url: url.to_string(),
                host: r.host,
                ip: r.ip.to_string(),
                class: r.class,
            },
            Err(other) => fetch(other.to_string()),
        },
        ureq::Error::Timeout(_) => CaptureError::Timeout {
            url: url.to_string(),
            secs: opts.timeout.as_secs(),
        },
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => CaptureError::Timeout {
            url: url.to_string(),
            secs: opts.timeout.as_secs(),
        },
        ureq::Error::BodyExceedsLimit(_) => too_large(url, opts),
        ureq::Error::TooManyRedirects => fetch(format!(
            "more than {MAX_REDIRECTS} redirects; record the final address instead"
        )),
        ureq::Error::HostNotFound => fetch("the host name does not resolve".into()),
        ureq::Error::ConnectionFailed => fetch("cannot connect".into()),
        ureq::Error::BadUri(reason) => CaptureError::BadUrl {
            url: url.to_string(),
            reason,
        },
        ureq::Error::Http(e) => CaptureError::BadUrl {
            url: url.to_string(),
            reason: e.to_string(),
        },
        ureq::Error::Decompress(kind, e) => {
            fetch(format!("the {kind} body cannot be decompressed ({e})"))
        }
        ureq::Error::Io(io) => fetch(match io.kind() {
            std::io::ErrorKind::ConnectionRefused => "connection refused".into(),
            std::io::ErrorKind::ConnectionReset => "connection reset".into(),
            std::io::ErrorKind::UnexpectedEof => "the connection closed early".into(),
            _ => io.to_string(),
        }),
        other => fetch(other.to_string()),
    }
}
