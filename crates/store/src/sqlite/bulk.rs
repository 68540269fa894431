//! Large ingests without the per-user index, rebuilt once at the end.
//!
//! The `(tenant_id, user, time_us)` index is the one index an ingest updates in random order
//! (users interleave), so every batch dirties a page of it per few events and the WAL writes
//! each such page in full: measured on 200k Graph sign-ins it cost a quarter of the insert CPU
//! and about 40 % of the wall time, and the share grows with the file. Building the same index
//! afterwards sorts once and is far cheaper. So once one handle has stored both more than
//! `SqliteOptions::bulk_min_events` (default [`BULK_MIN_EVENTS`]) events and more than a quarter of the events in the file, the index is
//! dropped, and it is built again by `finish_run`, at the next `begin_run` (after a crash), or
//! when the handle is dropped. Small incremental ingests never drop it; the rebuild cost is
//! bounded by four times the events the run stored. Meanwhile reads stay correct: a user
//! filter scans the time index instead.

use rusqlite::Connection;
use tracing::{debug, warn};

use crate::error::Result;

/// Default of `SqliteOptions::bulk_min_events`.
pub const BULK_MIN_EVENTS: u64 = 100_000;

const DROP_USER_INDEX: &str = "DROP INDEX IF EXISTS events_tenant_user_time";
const CREATE_USER_INDEX: &str =
    "CREATE INDEX IF NOT EXISTS events_tenant_user_time ON events (tenant_id, user, time_us)";

/// What this handle has stored and whether it dropped the user index.
#[derive(Debug)]
pub struct Bulk {
    min_events: u64,
    stored: u64,
    dropped: bool,
}

impl Bulk {
    /// Drops the index only after `min_events` stored events (`u64::MAX` = never).
    pub fn new(min_events: u64) -> Self {
        Self {
            min_events,
            stored: 0,
            dropped: false,
        }
    }

    /// Counts `stored` new events; drops the user index when the ingest has become large.
    pub fn after_insert(&mut self, conn: &Connection, stored: u64) -> Result<()> {
        self.stored += stored;
        if self.dropped || self.stored < self.min_events {
            return Ok(());
        }
        let total: i64 =
            conn.query_row("SELECT coalesce(sum(events), 0) FROM sources", [], |r| {
                r.get(0)
            })?;
        if self.stored.saturating_mul(4) >= u64::try_from(total).unwrap_or(0) {
            conn.execute_batch(DROP_USER_INDEX)?;
            self.dropped = true;
            debug!(
                stored = self.stored,
                total, "large ingest: dropped the user index until the run ends"
            );
        }
        Ok(())
    }

    /// Builds the user index again if it is missing (dropped by this handle, or by one that
    /// crashed) and starts counting afresh.
    pub fn restore(&mut self, conn: &Connection) -> Result<()> {
        conn.execute_batch(CREATE_USER_INDEX)?;
        self.stored = 0;
        self.dropped = false;
        Ok(())
    }

    /// [`Bulk::restore`] if this handle dropped the index; for `Drop`, so errors are logged.
    pub fn restore_on_close(&mut self, conn: &Connection) {
        if self.dropped
            && let Err(e) = self.restore(conn)
        {
            warn!(error = %e, "could not rebuild the user index; the next ingest run will");
        }
    }
}
