//! Server-side sessions, CSRF tokens and the login gate.
//!
//! A session is a random 256-bit token in an `HttpOnly; SameSite=Strict` cookie that keys an
//! in-memory map (nothing about the user lives in the cookie). Every session, including the
//! anonymous one the login form gets, carries its own random CSRF token, which every POST form
//! repeats in a hidden field and the server compares in constant time. Logging in replaces the
//! session id (no fixation); logging out deletes it. Sessions expire after [`LOGIN_TTL`] or
//! [`IDLE_TTL`] without a request (anonymous ones after [`ANON_TTL`]), and the map is capped so a flood of login-page visits
//! cannot exhaust memory. Failed logins are throttled per user name.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use rand::RngCore as _;

use crate::error::{Error, Result};
use crate::i18n::cookie_value;
use crate::state::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "mimamori_session";
/// How long a logged-in session lasts.
pub const LOGIN_TTL: Duration = Duration::from_secs(8 * 3600);
/// A logged-in session unused this long ends before [`LOGIN_TTL`].
pub const IDLE_TTL: Duration = Duration::from_secs(3600);
/// How long an anonymous (login form) session lasts.
pub const ANON_TTL: Duration = Duration::from_secs(30 * 60);
/// The most sessions kept; beyond it the oldest anonymous ones are dropped.
const MAX_SESSIONS: usize = 10_000;
/// Failed logins allowed per user name inside [`FAILURE_WINDOW`] before the name is locked.
const MAX_FAILURES: u32 = 5;
/// Window and lock time for failed logins.
const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, Clone)]
struct Session {
    user: Option<String>,
    csrf: String,
    expires: Instant,
    idle_until: Instant,
}

/// The logged-in user of a request, put there by [`require_login`].
#[derive(Debug, Clone)]
pub struct Viewer {
    /// The account name.
    pub user: String,
    /// The session's CSRF token, for forms on the page.
    pub csrf: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> std::result::Result<Self, Response> {
        parts
            .extensions
            .get::<Viewer>()
            .cloned()
            .ok_or_else(|| Redirect::to("/login").into_response())
    }
}

/// All sessions and the failed-login counters.
#[derive(Debug, Default)]
pub struct Sessions {
    map: Mutex<HashMap<String, Session>>,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Sessions {
    /// Starts an anonymous session for the login form; returns (session id, CSRF token).
    pub fn start_anonymous(&self) -> Result<(String, String)> {
        self.insert(None, ANON_TTL)
    }

    /// The (user, CSRF token) of a live session.
    pub fn get(&self, id: &str) -> Result<Option<(Option<String>, String)>> {
        let mut map = self.map.lock().map_err(|_| Error::Poisoned)?;
        let now = Instant::now();
        match map.get_mut(id) {
            Some(s) if s.expires > now && s.idle_until > now => {
                s.idle_until = now + IDLE_TTL.min(s.expires - now);
                Ok(Some((s.user.clone(), s.csrf.clone())))
            }
            Some(_) => {
                map.remove(id);
                Ok(None)
            }
            None => Ok(None),
        }
    }

    /// Replaces session `old` by a fresh logged-in session for `user`; returns its id.
    pub fn login(&self, old: &str, user: &str) -> Result<String> {
        self.remove(old)?;
        Ok(self.insert(Some(user.to_string()), LOGIN_TTL)?.0)
    }

    /// Ends a session.
    pub fn remove(&self, id: &str) -> Result<()> {
        self.map.lock().map_err(|_| Error::Poisoned)?.remove(id);
        Ok(())
    }

    /// True while `user` is locked out after too many failures.
    pub fn locked_out(&self, user: &str) -> Result<bool> {
        let failures = self.failures.lock().map_err(|_| Error::Poisoned)?;
        Ok(failures
            .get(user)
            .is_some_and(|(n, since)| *n >= MAX_FAILURES && since.elapsed() < FAILURE_WINDOW))
    }

    /// Records a failed (`ok == false`) or successful login for `user`.
    pub fn record_attempt(&self, user: &str, ok: bool) -> Result<()> {
        let mut failures = self.failures.lock().map_err(|_| Error::Poisoned)?;
        if ok {
            failures.remove(user);
            return Ok(());
        }
        if failures.len() >= MAX_SESSIONS {
            failures.retain(|_, (_, since)| since.elapsed() < FAILURE_WINDOW);
        }
        let entry = failures
            .entry(user.to_string())
            .or_insert((0, Instant::now()));
        if entry.1.elapsed() >= FAILURE_WINDOW {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
        Ok(())
    }

    fn insert(&self, user: Option<String>, ttl: Duration) -> Result<(String, String)> {
        let id = random_token();
        let csrf = random_token();
        let now = Instant::now();
        let mut map = self.map.lock().map_err(|_| Error::Poisoned)?;
        if map.len() >= MAX_SESSIONS {
            map.retain(|_, s| s.expires > now && s.idle_until > now);
        }
        if map.len() >= MAX_SESSIONS {
            // Still full of live sessions: drop anonymous ones (logged-in users keep theirs).
            map.retain(|_, s| s.user.is_some());
        }
        map.insert(
            id.clone(),
            Session {
                user,
                csrf: csrf.clone(),
                expires: now + ttl,
                idle_until: now + ttl.min(IDLE_TTL),
            },
        );
        Ok((id, csrf))
    }
}

/// 32 bytes from the thread-local CSPRNG (ChaCha seeded by the OS), hex-encoded.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two tokens without an early exit.
pub fn tokens_equal(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The `Set-Cookie` value for a session id.
pub fn session_cookie(id: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={id}; Path=/; HttpOnly; SameSite=Strict{secure}")
}

/// The `Set-Cookie` value that deletes the session cookie.
pub fn clear_session_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}")
}

/// The session id a request presents.
pub fn session_id(headers: &axum::http::HeaderMap) -> Option<&str> {
    cookie_value(headers, SESSION_COOKIE).filter(|v| v.len() == 64)
}

/// Middleware: lets a request through only with a live logged-in session, else redirects to
/// the login form (303). Puts a [`Viewer`] into the request for the handlers.
pub async fn require_login(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let session = match session_id(req.headers()) {
        Some(id) => state.sessions().get(id),
        None => Ok(None),
    };
    match session {
        Ok(Some((Some(user), csrf))) => {
            req.extensions_mut().insert(Viewer { user, csrf });
            next.run(req).await
        }
        Ok(_) => Redirect::to("/login").into_response(),
        Err(e) => crate::pages::internal_error(&e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bit_and_distinct() {
        let a = random_token();
        let b = random_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(tokens_equal(&a, &a.clone()));
        assert!(!tokens_equal(&a, &b));
        assert!(!tokens_equal(&a, &a[..63]));
    }

    #[test]
    fn login_rotates_the_session_id() {
        let sessions = Sessions::default();
        let (anon, csrf) = sessions.start_anonymous().expect("start");
        assert_eq!(sessions.get(&anon).expect("get"), Some((None, csrf)));
        let id = sessions.login(&anon, "analyst").expect("login");
        assert_ne!(id, anon);
        assert_eq!(sessions.get(&anon).expect("get"), None);
        let (user, _) = sessions.get(&id).expect("get").expect("live");
        assert_eq!(user.as_deref(), Some("analyst"));
    }

    #[test]
    fn repeated_failures_lock_the_name() {
        let sessions = Sessions::default();
        for _ in 0..MAX_FAILURES {
            assert!(!sessions.locked_out("a").expect("lock"));
            sessions.record_attempt("a", false).expect("record");
        }
        assert!(sessions.locked_out("a").expect("lock"));
        assert!(!sessions.locked_out("b").expect("lock"));
    }
}
