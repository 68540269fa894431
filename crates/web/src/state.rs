//! What every request handler shares: the store, the accounts, the sessions and the options.
//!
//! The store is one handle behind a mutex (SQLite connections are not `Sync`); reads run on
//! tokio's blocking pool through [`AppState::query`] so a slow query never stalls the async
//! workers. The dashboard only reads: it never writes events or findings.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono_tz::Tz;
use store::Store;

use crate::error::{Error, Result};
use crate::session::Sessions;
use crate::users::UserDb;

/// The display time zone when the tenant names none.
pub const DEFAULT_TZ: Tz = chrono_tz::Asia::Tokyo;

/// Shared state of the dashboard. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Mutex<Box<dyn Store>>,
    users: UserDb,
    sessions: Sessions,
    case_dir: Option<PathBuf>,
    tenant: Option<String>,
    time_zone: Tz,
    allow_remote: bool,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("users", &self.inner.users.len())
            .field("case_dir", &self.inner.case_dir)
            .field("tenant", &self.inner.tenant)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// State over an open store. `tenant` = `None` shows every tenant of the store;
    /// `case_dir` is the folder of the reports and `scope.json` offered on the pages.
    pub fn new(
        store: Box<dyn Store>,
        users: UserDb,
        case_dir: Option<PathBuf>,
        tenant: Option<String>,
    ) -> Self {
        Self::with_options(store, users, case_dir, tenant, DEFAULT_TZ, false)
    }

    /// Like [`AppState::new`] with the display time zone and the remote flag (which marks the
    /// session cookie `Secure` and turns off the loopback `Host` check).
    pub fn with_options(
        store: Box<dyn Store>,
        users: UserDb,
        case_dir: Option<PathBuf>,
        tenant: Option<String>,
        time_zone: Tz,
        allow_remote: bool,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                store: Mutex::new(store),
                users,
                sessions: Sessions::default(),
                case_dir,
                tenant,
                time_zone,
                allow_remote,
            }),
        }
    }

    /// Runs a read against the store on the blocking pool.
    pub async fn query<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store) -> store::Result<T> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let guard = inner.store.lock().map_err(|_| Error::Poisoned)?;
            f(guard.as_ref()).map_err(Error::from)
        })
        .await
        .map_err(|e| Error::Task(e.to_string()))?
    }

    /// Checks a login on the blocking pool (Argon2 takes tens of milliseconds).
    pub async fn verify_login(&self, user: String, password: String) -> Result<bool> {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || inner.users.verify(&user, &password))
            .await
            .map_err(|e| Error::Task(e.to_string()))
    }

    /// The sessions.
    pub fn sessions(&self) -> &Sessions {
        &self.inner.sessions
    }

    /// The case folder, if one was given.
    pub fn case_dir(&self) -> Option<&std::path::Path> {
        self.inner.case_dir.as_deref()
    }

    /// The tenant shown (`None` = all).
    pub fn tenant(&self) -> Option<&str> {
        self.inner.tenant.as_deref()
    }

    /// The display time zone.
    pub fn time_zone(&self) -> Tz {
        self.inner.time_zone
    }

    /// True when remote access was allowed.
    pub fn allow_remote(&self) -> bool {
        self.inner.allow_remote
    }
}
