//! The numbers `mimamori stats` prints.
//!
//! Every count comes from an index (kind, user and day from the three event indexes, source
//! formats from the per-file counters in `sources`), never from a scan of the wide events
//! table, so stats stay quick on millions of events.

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use super::{from_us, tenant_id, to_u64};
use crate::api::Stats;
use crate::error::Result;

const DAY_US: i64 = 86_400_000_000;

/// See [`crate::Store::stats`].
pub(super) fn stats(conn: &Connection, tenant: Option<&str>) -> Result<Stats> {
    let mut stats = Stats {
        tenant: tenant.map(str::to_string),
        ..Stats::default()
    };
    // `cond` restricts a query on a table with a `tenant_id` column; `params` binds it.
    let (cond, params): (&str, Vec<Value>) = match tenant {
        Some(name) => match tenant_id(conn, name)? {
            Some(id) => ("tenant_id = ?1", vec![Value::Integer(id)]),
            None => return Ok(stats),
        },
        None => ("1 = 1", Vec::new()),
    };
    let grouped = |sql: &str| -> Result<Vec<(Value, i64)>> {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt
            .query_map(params_from_iter(params.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    };

    for (kind, n) in grouped(&format!(
        "SELECT kind, count(*) FROM events WHERE {cond} GROUP BY kind"
    ))? {
        let n = to_u64(n);
        let Value::Text(kind) = kind else { continue };
        stats.events += n;
        match kind.as_str() {
            "sign_in" => stats.sign_ins += n,
            "audit" => stats.audit_records += n,
            "directory_audit" => stats.directory_audits += n,
            "message_trace" => stats.message_trace += n,
            "mail" => stats.mail += n,
            _ => {}
        }
        stats.by_kind.insert(kind, n);
    }

    for (format, n) in grouped(&format!(
        "SELECT format, sum(events) FROM sources WHERE {cond} GROUP BY format HAVING sum(events) > 0"
    ))? {
        if let Value::Text(format) = format {
            *stats.by_source.entry(format).or_default() += to_u64(n);
        }
    }

    for (user, n) in grouped(&format!(
        "SELECT user, count(*) FROM events WHERE {cond} GROUP BY user"
    ))? {
        match user {
            Value::Text(user) => {
                stats.by_user.insert(user, to_u64(n));
            }
            _ => stats.without_user += to_u64(n),
        }
    }

    for (day, n) in grouped(&format!(
        "SELECT time_us / {DAY_US} AS day, count(*) FROM events WHERE {cond} GROUP BY day"
    ))? {
        if let Value::Integer(day) = day
            && let Some(date) = day_to_date(day)
        {
            *stats.by_day.entry(date).or_default() += to_u64(n);
        }
    }

    let (first, last): (Option<i64>, Option<i64>) = conn
        .prepare_cached(&format!(
            "SELECT min(time_us), max(time_us) FROM events WHERE {cond}"
        ))?
        .query_row(params_from_iter(params.iter()), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    stats.first_event = first.map(|us| from_us(us, "event", "first")).transpose()?;
    stats.last_event = last.map(|us| from_us(us, "event", "last")).transpose()?;

    let count = |sql: &str| -> Result<u64> {
        let n: i64 = conn
            .prepare_cached(sql)?
            .query_row(params_from_iter(params.iter()), |r| r.get(0))?;
        Ok(to_u64(n))
    };
    stats.runs = count(&format!("SELECT count(*) FROM runs WHERE {cond}"))?;
    stats.rejects = count(&format!(
        "SELECT count(*) FROM rejects WHERE run_id IN (SELECT id FROM runs WHERE {cond})"
    ))?;
    stats.findings = count(&format!("SELECT count(*) FROM findings WHERE {cond}"))?;
    stats.incidents = count(&format!("SELECT count(*) FROM incidents WHERE {cond}"))?;
    Ok(stats)
}

/// The UTC calendar date of a day number (days since 1970-01-01).
fn day_to_date(day: i64) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp(day.checked_mul(86_400)?, 0).map(|t| t.date_naive())
}
