//! Versioned schema migrations.
//!
//! The schema version lives in `PRAGMA user_version` (0 = empty file). Each migration is a
//! numbered SQL file under `migrations/`, compiled in, and applied in order, each in its own
//! transaction together with the version bump, so a failure leaves the database at the last
//! good version. Migrations are append-only: never edit one that has shipped; add the next.
//! `PRAGMA application_id` marks the file as mimamori's so another program's SQLite database is
//! refused instead of being written into.

use rusqlite::{Connection, TransactionBehavior};
use tracing::info;

use crate::error::{Error, Result};

/// `PRAGMA application_id` of a mimamori database: "mima" in ASCII.
pub const APPLICATION_ID: i64 = 0x6d69_6d61;

/// One schema step.
pub struct Migration {
    /// Its version: the `user_version` after it is applied (1-based, no gaps).
    pub version: i64,
    /// A short name for messages.
    pub name: &'static str,
    /// The SQL.
    pub sql: &'static str,
    /// Work SQL cannot do (e.g. computing hashes of existing rows), run after `sql` in the
    /// same transaction.
    pub then: Option<fn(&Connection) -> rusqlite::Result<()>>,
}

/// Every migration, in order.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "events",
        sql: include_str!("migrations/0001_events.sql"),
        then: None,
    },
    Migration {
        version: 2,
        name: "runs",
        sql: include_str!("migrations/0002_runs.sql"),
        then: None,
    },
    Migration {
        version: 3,
        name: "findings",
        sql: include_str!("migrations/0003_findings.sql"),
        then: None,
    },
    Migration {
        version: 4,
        name: "event key",
        sql: include_str!("migrations/0004_event_key.sql"),
        then: Some(fill_event_keys),
    },
    Migration {
        version: 5,
        name: "body dictionaries",
        sql: include_str!("migrations/0005_dicts.sql"),
        then: None,
    },
    Migration {
        version: 6,
        name: "derived bodies",
        sql: include_str!("migrations/0006_derived_bodies.sql"),
        then: None,
    },
];

/// Migration 4, Rust part: computes the key of every existing event, then builds the indexes.
fn fill_event_keys(conn: &Connection) -> rusqlite::Result<()> {
    // Keys first (16 bytes per event), then the updates: no writes under an open scan.
    let mut keys: Vec<(i64, i64)> = Vec::new();
    {
        let mut read = conn.prepare("SELECT id, kind, natural_id FROM events")?;
        let mut rows = read.query([])?;
        while let Some(row) = rows.next()? {
            let kind = row.get_ref(1)?.as_str()?;
            let natural_id = row.get_ref(2)?.as_str()?;
            keys.push((row.get(0)?, crate::key::event_key(kind, natural_id)));
        }
    }
    let mut write = conn.prepare("UPDATE events SET key = ?2 WHERE id = ?1")?;
    for (id, key) in keys {
        write.execute([id, key])?;
    }
    conn.execute_batch(include_str!("migrations/0004_event_key_indexes.sql"))
}

/// The newest schema version this build knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// The schema version recorded in the file.
pub fn current_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Applies every migration above the current version, up to `target`. Returns the version
/// reached. The caller has already checked that the file is not newer than this build.
pub fn migrate_to(conn: &mut Connection, target: i64) -> Result<i64> {
    let start = current_version(conn)?;
    let mut version = start;
    for m in MIGRATIONS
        .iter()
        .filter(|m| m.version > start && m.version <= target)
    {
        let fail = |source| Error::Migration {
            version: m.version,
            name: m.name,
            source,
        };
        // IMMEDIATE takes the write lock first; then the version is read again, because another
        // process opening the same new file at the same moment may have applied it meanwhile.
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        if current_version(&tx).map_err(fail)? >= m.version {
            tx.commit().map_err(fail)?;
            version = m.version;
            continue;
        }
        tx.execute_batch(m.sql).map_err(fail)?;
        if let Some(then) = m.then {
            then(&tx).map_err(fail)?;
        }
        // Both pragmas live in the file header and roll back with the transaction.
        tx.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {};",
            m.version
        ))
        .map_err(fail)?;
        tx.commit().map_err(fail)?;
        info!(
            version = m.version,
            name = m.name,
            "applied schema migration"
        );
        version = m.version;
    }
    Ok(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_consecutive_from_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1, "migration {}", m.name);
        }
    }

    #[test]
    fn two_handles_opening_a_new_file_together_both_succeed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("race.db");
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let path = path.clone();
                std::thread::spawn(move || crate::SqliteStore::open(&path).map(|_| ()))
            })
            .collect();
        for h in handles {
            h.join().expect("thread").expect("open");
        }
        let conn = Connection::open(&path).expect("open");
        assert_eq!(current_version(&conn).expect("version"), latest_version());
    }

    #[test]
    fn a_broken_migration_leaves_the_previous_version() {
        let mut conn = Connection::open_in_memory().expect("open");
        migrate_to(&mut conn, 1).expect("first");
        // Simulate a half-applied later step: a table migration 2 would create already exists.
        conn.execute_batch("CREATE TABLE runs (x INTEGER)")
            .expect("make conflict");
        let err = migrate_to(&mut conn, latest_version()).expect_err("must fail");
        assert!(matches!(err, Error::Migration { version: 2, .. }), "{err}");
        assert_eq!(current_version(&conn).expect("version"), 1);
        // Nothing of migration 2 stayed behind.
        let rejects: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'rejects'",
                [],
                |r| r.get(0),
            )
            .expect("query");
        assert_eq!(rejects, 0);
    }
}
