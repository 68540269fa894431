//! The embedded backend: one SQLite file (rusqlite, bundled SQLite), no server to install.
//!
//! Opening checks that the file is an SQLite database and a mimamori one, switches it to WAL
//! (readers such as the dashboard do not block the ingest writer) with `synchronous=NORMAL`
//! (durable at each checkpoint, safe against corruption; a power cut may lose the last
//! transactions, which re-ingesting restores because ingest is idempotent), and applies any
//! pending schema migrations. The work itself is split by concern: `insert` (the ingest hot
//! path), `events` (reads), `stats`, `runs`, `findings`.

mod bulk;
mod dicts;
mod events;
mod findings;
mod insert;
pub(crate) mod migrations;
mod runs;
mod stats;

use std::path::{Path, PathBuf};
use std::time::Duration;

use model::{Event, EvidenceRef, Finding, Incident, RecordError};
use rusqlite::{Connection, ErrorCode};
use tracing::{debug, warn};

use crate::api::{
    EventFilter, EventSource, FindingFilter, InsertCounts, ReplaceCounts, RunId, RunInfo, Stats,
    Store,
};
use crate::error::{Error, Result};
use insert::{Interner, Scratch};
use migrations::{APPLICATION_ID, current_version, latest_version, migrate_to};

/// How long a writer waits for another connection's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// WAL pages before an automatic checkpoint (SQLite's default is 1,000). Index pages that a
/// large ingest dirties again and again are then copied back once per checkpoint instead of
/// many times; the WAL file grows to about this many pages times the page size.
const WAL_CHECKPOINT_PAGES: i64 = 8_192;

/// Settings of a [`SqliteStore`]; `Default` is what `mimamori` uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqliteOptions {
    /// LZ4-compress event bodies (typed JSON + raw text). Default on: about half the file size
    /// for a few per cent of insert time. Rows written either way stay readable.
    pub compress: bool,
    /// Page size for a new file, in bytes (a power of two, 512–65536). Ignored for an existing
    /// file. Default 16384: on the generated 1,000-user tenant (664k records) ingest CPU was
    /// within noise of 8192 (−3 % on average of four alternating runs), wall time −6 % and the
    /// file 2 % smaller (crates/store/README.md).
    pub page_size: u32,
    /// Page cache of this handle, in MiB. Default 64. A large ingest stays fast while the
    /// random-order indexes fit: the key index takes about 25 MiB per million events, the user
    /// index (dropped during large ingests, see `bulk_min_events`) about 40 MiB.
    pub cache_mib: u32,
    /// A handle that has stored this many events, and more than a quarter of the file, drops
    /// the per-user index until the run ends (`finish_run`, the next `begin_run`, or closing the
    /// handle rebuild it): a large ingest then runs much faster, small ones keep the index.
    /// Default 100,000; `u64::MAX` never drops it. See `bulk.rs`.
    pub bulk_min_events: u64,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        Self {
            compress: true,
            page_size: 16384,
            cache_mib: 64,
            bulk_min_events: bulk::BULK_MIN_EVENTS,
        }
    }
}

/// A [`Store`] in one SQLite file.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    interner: Interner,
    scratch: Scratch,
    bulk: bulk::Bulk,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens the database at `path`, creating it if missing and migrating it if old.
    ///
    /// Fails with [`Error::NotADatabase`] for a file that is not SQLite, with
    /// [`Error::ForeignDatabase`] for another program's database and with
    /// [`Error::SchemaTooNew`] for one written by a newer mimamori.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with(path, &SqliteOptions::default())
    }

    /// [`SqliteStore::open`] with explicit settings.
    pub fn open_with(path: impl AsRef<Path>, options: &SqliteOptions) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        // Handles opening a new file at the same moment can meet a lock SQLite will not wait
        // for (one holds a read lock and wants to write while another waits to write: SQLite
        // answers "busy" at once rather than deadlock). Starting over is then correct.
        let started = std::time::Instant::now();
        loop {
            let conn = Connection::open(&path).map_err(|source| Error::Open {
                path: path.clone(),
                source,
            })?;
            match Self::setup(conn, path.clone(), options) {
                Err(e) if is_busy(&e) && started.elapsed() < BUSY_TIMEOUT => {
                    debug!(path = %path.display(), error = %e, "database busy while opening; retrying");
                    std::thread::sleep(Duration::from_millis(20));
                }
                result => return result,
            }
        }
    }

    /// A private database in memory (tests, one-shot runs). Nothing is written to disk.
    pub fn open_in_memory() -> Result<Self> {
        let path = PathBuf::from(":memory:");
        let conn = Connection::open_in_memory().map_err(|source| Error::Open {
            path: path.clone(),
            source,
        })?;
        Self::setup(conn, path, &SqliteOptions::default())
    }

    /// The path it was opened with (`:memory:` for an in-memory store).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(current_version(&self.conn)?)
    }

    fn setup(mut conn: Connection, path: PathBuf, options: &SqliteOptions) -> Result<Self> {
        let on_open = |source: rusqlite::Error| match source.sqlite_error_code() {
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => Error::NotADatabase {
                path: path.clone(),
                source,
            },
            _ => Error::Open {
                path: path.clone(),
                source,
            },
        };
        conn.busy_timeout(BUSY_TIMEOUT).map_err(on_open)?;
        // The first statements read the file header: a file that is not SQLite fails here.
        // One read transaction, so the three answers come from one snapshot even while another
        // handle is creating the same file.
        conn.execute_batch("BEGIN").map_err(on_open)?;
        let app_id: i64 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(on_open)?;
        let version = current_version(&conn).map_err(on_open)?;
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(on_open)?;
        conn.execute_batch("COMMIT").map_err(on_open)?;
        check_ours(&path, app_id, version, tables)?;

        if version == 0 && tables == 0 {
            // A new file: the page size can still be chosen (it is fixed once a table exists).
            conn.execute_batch(&format!("PRAGMA page_size = {};", options.page_size))
                .map_err(on_open)?;
        }
        // journal_mode answers with a row; in-memory databases answer "memory".
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(on_open)?;
        if mode != "wal" && mode != "memory" {
            // E.g. a file system without shared memory: still correct, but readers block writers.
            warn!(path = %path.display(), journal_mode = %mode, "could not switch the database to WAL");
        }
        let cache_kib = i64::from(options.cache_mib) * 1024;
        conn.execute_batch(&format!(
            "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -{cache_kib}; PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES};"
        ))
        .map_err(on_open)?;
        let reached = migrate_to(&mut conn, latest_version())?;
        debug!(path = %path.display(), journal_mode = %mode, schema_version = reached, "opened store");
        Ok(Self {
            conn,
            path,
            interner: Interner::default(),
            scratch: Scratch::new(options.compress),
            bulk: bulk::Bulk::new(options.bulk_min_events),
        })
    }
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        self.bulk.restore_on_close(&self.conn);
    }
}

/// Whether opening failed only because another connection held a lock.
fn is_busy(e: &Error) -> bool {
    match e {
        Error::Open { source, .. } | Error::Migration { source, .. } => {
            source.sqlite_error_code() == Some(ErrorCode::DatabaseBusy)
        }
        _ => false,
    }
}

/// Refuses files that are SQLite but not ours, and ours from a newer build.
fn check_ours(path: &Path, app_id: i64, version: i64, tables: i64) -> Result<()> {
    let foreign = |detail: String| {
        Err(Error::ForeignDatabase {
            path: path.to_path_buf(),
            detail,
        })
    };
    if app_id != 0 && app_id != APPLICATION_ID {
        return foreign(format!("application id {app_id:#x}"));
    }
    if app_id == 0 && version != 0 {
        return foreign(format!("schema version {version} without mimamori's id"));
    }
    if app_id == 0 && tables != 0 {
        return foreign(format!("{tables} tables of another program"));
    }
    let supported = latest_version();
    if version > supported {
        return Err(Error::SchemaTooNew {
            path: path.to_path_buf(),
            found: version,
            supported,
        });
    }
    Ok(())
}

impl Store for SqliteStore {
    fn insert_events(&mut self, batch: &[Event]) -> Result<InsertCounts> {
        let result = insert::insert(&mut self.conn, &mut self.interner, &mut self.scratch, batch);
        match &result {
            Ok(counts) => self.bulk.after_insert(&self.conn, counts.stored)?,
            // Ids interned inside the rolled-back transaction no longer exist.
            Err(_) => self.interner.clear(),
        }
        result
    }

    fn begin_run(&mut self, tenant: &str, command_line: &str, inputs: &[String]) -> Result<RunId> {
        // A run that crashed may have left the user index dropped.
        self.bulk.restore(&self.conn)?;
        let result = runs::begin(
            &mut self.conn,
            &mut self.interner,
            tenant,
            command_line,
            inputs,
        );
        if result.is_err() {
            self.interner.clear();
        }
        result
    }

    fn record_rejects(&mut self, run: RunId, rejects: &[RecordError]) -> Result<()> {
        runs::record_rejects(&mut self.conn, run, rejects)
    }

    fn finish_run(&mut self, run: RunId, summary: &serde_json::Value) -> Result<()> {
        self.bulk.restore(&self.conn)?;
        runs::finish(&self.conn, run, summary)
    }

    fn runs(&self, tenant: Option<&str>) -> Result<Vec<RunInfo>> {
        runs::list(&self.conn, tenant)
    }

    fn rejects(&self, run: RunId) -> Result<Vec<RecordError>> {
        runs::rejects(&self.conn, run)
    }

    fn tenants(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name FROM tenants ORDER BY name")?;
        let names = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(names)
    }

    fn stats(&self, tenant: Option<&str>) -> Result<Stats> {
        stats::stats(&self.conn, tenant)
    }

    fn count_events(&self, filter: &EventFilter) -> Result<u64> {
        events::count(&self.conn, filter)
    }

    fn for_each_event(
        &self,
        filter: &EventFilter,
        f: &mut dyn FnMut(Event) -> Result<()>,
    ) -> Result<u64> {
        events::for_each(&self.conn, filter, f)
    }

    fn events_by_ref(&self, tenant: &str, refs: &[EvidenceRef]) -> Result<Vec<Option<Event>>> {
        events::by_ref(&self.conn, tenant, refs)
    }

    fn event_sources(&self, tenant: &str, evidence: &EvidenceRef) -> Result<Vec<EventSource>> {
        events::sources(&self.conn, tenant, evidence)
    }

    fn replace_findings(
        &mut self,
        tenant: &str,
        findings: &[Finding],
        incidents: &[Incident],
    ) -> Result<ReplaceCounts> {
        let result = findings::replace(
            &mut self.conn,
            &mut self.interner,
            tenant,
            findings,
            incidents,
        );
        if result.is_err() {
            self.interner.clear();
        }
        result
    }

    fn findings(&self, filter: &FindingFilter) -> Result<Vec<Finding>> {
        findings::list_findings(&self.conn, filter)
    }

    fn incidents(&self, tenant: Option<&str>) -> Result<Vec<Incident>> {
        findings::list_incidents(&self.conn, tenant)
    }
}

/// Looks a tenant's id up without creating it; `None` if the store has never seen it.
fn tenant_id(conn: &Connection, name: &str) -> Result<Option<i64>> {
    use rusqlite::OptionalExtension;
    let mut stmt = conn.prepare_cached("SELECT id FROM tenants WHERE name = ?1")?;
    Ok(stmt.query_row([name], |r| r.get(0)).optional()?)
}

/// Microseconds since the epoch, as stored.
fn to_us(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp_micros()
}

/// Back from stored microseconds; `what`/`id` name the row for the error.
fn from_us(us: i64, what: &'static str, id: &str) -> Result<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::from_timestamp_micros(us).ok_or_else(|| Error::Corrupt {
        what,
        id: id.to_string(),
        reason: format!("time {us} µs is out of range"),
    })
}

/// Stored form of a count or line number (SQLite integers are signed).
fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Back from a stored count.
fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}
