//! Ingest runs and the records they could not read.
//!
//! A run is one `mimamori ingest` invocation: its tenant, command line, inputs, start and end,
//! and the per-file summaries the pipeline hands over at the end. Rejected records are kept
//! against their run, so "one bad record is counted and reported, never silently dropped" can
//! be checked after the fact.

use model::RecordError;
use rusqlite::{Connection, OptionalExtension, params};

use super::insert::Interner;
use super::{from_us, tenant_id, to_i64, to_u64, to_us};
use crate::api::{RunId, RunInfo};
use crate::error::{Error, Result};

fn to_json<T: serde::Serialize + ?Sized>(value: &T, what: &'static str) -> Result<String> {
    serde_json::to_string(value).map_err(|source| Error::Encode { what, source })
}

/// See [`crate::Store::begin_run`].
pub(super) fn begin(
    conn: &mut Connection,
    interner: &mut Interner,
    tenant: &str,
    command_line: &str,
    inputs: &[String],
) -> Result<RunId> {
    let tx = conn.transaction()?;
    let tenant = interner.tenant(&tx, tenant)?;
    tx.execute(
        "INSERT INTO runs (tenant_id, started_us, command_line, inputs) VALUES (?1, ?2, ?3, ?4)",
        params![
            tenant,
            to_us(chrono::Utc::now()),
            command_line,
            to_json(inputs, "run inputs")?
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.commit()?;
    Ok(RunId(id))
}

fn check_run(conn: &Connection, run: RunId) -> Result<()> {
    let found: Option<i64> = conn
        .prepare_cached("SELECT id FROM runs WHERE id = ?1")?
        .query_row([run.0], |r| r.get(0))
        .optional()?;
    found.map(|_| ()).ok_or(Error::UnknownRun(run.0))
}

/// See [`crate::Store::record_rejects`].
pub(super) fn record_rejects(
    conn: &mut Connection,
    run: RunId,
    rejects: &[RecordError],
) -> Result<()> {
    check_run(conn, run)?;
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO rejects (run_id, file, record, reason) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for r in rejects {
            stmt.execute(params![run.0, r.file, to_i64(r.record), r.reason])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// See [`crate::Store::finish_run`].
pub(super) fn finish(conn: &Connection, run: RunId, summary: &serde_json::Value) -> Result<()> {
    let changed = conn.execute(
        "UPDATE runs SET finished_us = ?2, summary = ?3 WHERE id = ?1",
        params![
            run.0,
            to_us(chrono::Utc::now()),
            to_json(summary, "run summary")?
        ],
    )?;
    if changed == 0 {
        return Err(Error::UnknownRun(run.0));
    }
    Ok(())
}

/// See [`crate::Store::runs`].
pub(super) fn list(conn: &Connection, tenant: Option<&str>) -> Result<Vec<RunInfo>> {
    let tenant_filter = match tenant {
        Some(name) => match tenant_id(conn, name)? {
            Some(id) => Some(id),
            None => return Ok(Vec::new()),
        },
        None => None,
    };
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, t.name, r.started_us, r.finished_us, r.command_line, r.inputs, r.summary, \
                (SELECT count(*) FROM rejects x WHERE x.run_id = r.id) \
         FROM runs r JOIN tenants t ON t.id = r.tenant_id \
         WHERE ?1 IS NULL OR r.tenant_id = ?1 ORDER BY r.id DESC",
    )?;
    let mut rows = stmt.query([tenant_filter])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let key = id.to_string();
        let corrupt = |reason: String| Error::Corrupt {
            what: "run",
            id: key.clone(),
            reason,
        };
        let inputs: String = row.get(5)?;
        let summary: Option<String> = row.get(6)?;
        out.push(RunInfo {
            id: RunId(id),
            tenant: row.get(1)?,
            started: from_us(row.get(2)?, "run", &key)?,
            finished: row
                .get::<_, Option<i64>>(3)?
                .map(|us| from_us(us, "run", &key))
                .transpose()?,
            command_line: row.get(4)?,
            inputs: serde_json::from_str(&inputs)
                .map_err(|e| corrupt(format!("inputs JSON: {e}")))?,
            summary: summary
                .map(|s| serde_json::from_str(&s))
                .transpose()
                .map_err(|e| corrupt(format!("summary JSON: {e}")))?,
            rejects: to_u64(row.get(7)?),
        });
    }
    Ok(out)
}

/// See [`crate::Store::rejects`].
pub(super) fn rejects(conn: &Connection, run: RunId) -> Result<Vec<RecordError>> {
    check_run(conn, run)?;
    let mut stmt = conn
        .prepare_cached("SELECT file, record, reason FROM rejects WHERE run_id = ?1 ORDER BY id")?;
    let rows = stmt
        .query_map([run.0], |r| {
            Ok(RecordError {
                file: r.get(0)?,
                record: to_u64(r.get(1)?),
                reason: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
