//! Response headers every page carries, the loopback `Host` check and the language cookie.
//!
//! The pages use no JavaScript, so the Content-Security-Policy forbids scripts entirely
//! (`default-src 'none'`): even if an escaping mistake let markup through, nothing would run.
//! Styles come only from `/static/style.css`; SVG charts use presentation attributes, which CSP
//! does not treat as inline styles. Pages are `no-store` because they show incident evidence.
//!
//! Bound to loopback, the server also rejects requests whose `Host` is not a loopback name:
//! a web page the analyst visits could otherwise point its own host name at 127.0.0.1 (DNS
//! rebinding) and talk to the dashboard as a same-origin site.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::i18n::{LANG_COOKIE, query_lang};
use crate::state::AppState;

/// The Content-Security-Policy of every response.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Middleware adding the security headers (and the language cookie when `?lang=` was given).
pub async fn headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !state.allow_remote() && !host_is_loopback(req.headers().get(header::HOST)) {
        return (
            StatusCode::MISDIRECTED_REQUEST,
            "unknown host / 不明なホスト名です: open the dashboard at http://127.0.0.1:PORT/",
        )
            .into_response();
    }
    let lang = query_lang(req.uri().query());
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if let Some(lang) = lang {
        let cookie = format!(
            "{LANG_COOKIE}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000",
            lang.code()
        );
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            h.append(header::SET_COOKIE, v);
        }
    }
    res
}

/// True for a missing `Host` (HTTP/1.0, in-process tests) or a loopback host name.
fn host_is_loopback(host: Option<&HeaderValue>) -> bool {
    let Some(host) = host else { return true };
    let Ok(host) = host.to_str() else {
        return false;
    };
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(name, _)| name)
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        let ok = |s: &'static str| host_is_loopback(Some(&HeaderValue::from_static(s)));
        assert!(host_is_loopback(None));
        assert!(ok("127.0.0.1:8080"));
        assert!(ok("localhost:1"));
        assert!(ok("[::1]:8080"));
        assert!(ok("127.0.0.1"));
        assert!(!ok("evil.example:8080"));
        assert!(!ok("192.168.1.5:8080"));
    }
}
