//! The mimamori dashboard (ダッシュボード): incident pages for the analyst, served by the same
//! binary (`mimamori serve`) from the store the pipeline fills.
//!
//! Server-rendered HTML with no JavaScript: the incidents list, one page per incident with its
//! chain of findings and evidence, a per-user timeline, an offline sign-in world map, the
//! outbound mail volume chart that shows the SMTP AUTH burst, the scope page (`scope.json`,
//! personal data as counts only) and the case folder's reports for download. Japanese by
//! default, English with `?lang=en`.
//!
//! The page content is evidence an attacker wrote (user agents, subjects, display names), so
//! every dynamic string goes through one escaping function ([`html::escape`]) by construction,
//! and the Content-Security-Policy forbids scripts anyway. Every page but the login form and the
//! stylesheet requires a login (Argon2id hashes, server-side sessions, CSRF tokens on every
//! form); the server binds to loopback unless remote access is allowed explicitly.
//!
//! ```no_run
//! # async fn run() -> web::Result<()> {
//! let mut opts = web::ServeOptions::new("mimamori.db".into());
//! opts.case_dir = Some("case".into());
//! web::serve(opts).await
//! # }
//! ```

pub mod error;
mod event_row;
pub mod html;
pub mod i18n;
mod layout;
mod pages;
mod security;
mod sendchart;
pub mod session;
mod state;
mod users;
mod worldmap;

#[cfg(test)]
mod tests;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::middleware;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono_tz::Tz;

pub use error::{Error, Result};
pub use security::CSP;
pub use state::{AppState, DEFAULT_TZ};
pub use users::{MIN_PASSWORD_LEN, UserDb, add_user, default_users_file};

/// The environment variable that adds an in-memory `admin` user at start-up.
pub const ADMIN_PASSWORD_ENV: &str = "MIMAMORI_ADMIN_PASSWORD";
/// The default port.
pub const DEFAULT_PORT: u16 = 8080;

/// The stylesheet, the only static file.
const STYLE_CSS: &str = include_str!("../static/style.css");

/// How `mimamori serve` runs the dashboard.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The store's database file (must exist).
    pub db: PathBuf,
    /// Where to listen; loopback unless `allow_remote`.
    pub listen: SocketAddr,
    /// The case folder with `scope.json` and the reports, if any.
    pub case_dir: Option<PathBuf>,
    /// The users file (see [`add_user`]); [`default_users_file`] puts it beside the database.
    pub users_file: PathBuf,
    /// Allow a non-loopback `listen` address. Then the session cookie is marked `Secure`, so
    /// the dashboard must be reached through an HTTPS reverse proxy.
    pub allow_remote: bool,
    /// Show only this tenant; `None` shows every tenant in the store.
    pub tenant: Option<String>,
    /// The zone times are shown in (the tenant's `time_zone`; Asia/Tokyo by default).
    pub time_zone: Tz,
}

impl ServeOptions {
    /// Defaults for a database: `127.0.0.1:8080`, users file beside it, Asia/Tokyo, all tenants.
    pub fn new(db: PathBuf) -> Self {
        Self {
            users_file: default_users_file(&db),
            db,
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, DEFAULT_PORT)),
            case_dir: None,
            allow_remote: false,
            tenant: None,
            time_zone: DEFAULT_TZ,
        }
    }
}

/// Opens the store and the users, binds and serves until Ctrl-C.
///
/// Refuses a non-loopback address without `allow_remote`, a missing database, and a start with
/// no user (neither the users file nor `MIMAMORI_ADMIN_PASSWORD` names one).
pub async fn serve(opts: ServeOptions) -> Result<()> {
    if !opts.listen.ip().is_loopback() && !opts.allow_remote {
        return Err(Error::NonLoopback(opts.listen));
    }
    if !opts.db.is_file() {
        return Err(Error::NoDatabase(opts.db.clone()));
    }
    let mut users = UserDb::load(&opts.users_file)?;
    if let Ok(password) = std::env::var(ADMIN_PASSWORD_ENV)
        && !password.is_empty()
    {
        users.insert_password("admin", &password)?;
        tracing::info!("user `admin` added from {ADMIN_PASSWORD_ENV}");
    }
    if users.is_empty() {
        return Err(Error::NoUsers {
            path: opts.users_file.clone(),
        });
    }
    let db = opts.db.clone();
    let store = tokio::task::spawn_blocking(move || store::SqliteStore::open(&db))
        .await
        .map_err(|e| Error::Task(e.to_string()))??;
    let state = AppState::with_options(
        Box::new(store),
        users,
        opts.case_dir.clone(),
        opts.tenant.clone(),
        opts.time_zone,
        opts.allow_remote,
    );
    let listener = tokio::net::TcpListener::bind(opts.listen)
        .await
        .map_err(|source| Error::Serve {
            addr: opts.listen,
            source,
        })?;
    let addr = listener.local_addr().unwrap_or(opts.listen);
    tracing::info!(%addr, db = %opts.db.display(), "dashboard listening on http://{addr}/");
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|source| Error::Serve { addr, source })
}

/// The dashboard's routes over `state` (used by [`serve`] and by request tests).
pub fn router(state: AppState) -> Router {
    let protected = Router::new()
        .route("/", get(|| async { Redirect::to("/incidents") }))
        .route("/incidents", get(pages::incidents::list))
        .route("/incidents/{id}", get(pages::incident::show))
        .route("/users/{user}", get(pages::timeline::show))
        .route("/map", get(pages::map::show))
        .route("/scope", get(pages::scope::show))
        .route("/reports", get(pages::reports::list))
        .route("/reports/{name}", get(pages::reports::download))
        .route("/logout", post(pages::login::logout))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            session::require_login,
        ));
    Router::new()
        .route("/login", get(pages::login::form).post(pages::login::submit))
        .route("/static/style.css", get(style_css))
        .merge(protected)
        .fallback(fallback)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .with_state(state)
}

async fn style_css() -> Response {
    let mut res = STYLE_CSS.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    res
}

/// Unknown paths: to the login form (which sends logged-in users on to the incidents), so the
/// response does not tell an anonymous visitor which paths exist.
async fn fallback() -> Redirect {
    Redirect::to("/login")
}
