//! Detect results: findings and incidents, replaced per tenant by each detect run.
//!
//! A detect run hands over its complete verdict for one tenant; the previous one is deleted and
//! the new one stored in the same transaction, so readers see either the old or the new result,
//! never a mix. Filter columns (time, severity, user, detection) are real columns; the rest is
//! the model's own JSON, so adding a field to `Finding` needs no migration.

use std::collections::HashSet;

use model::{Finding, Incident, Severity};
use rusqlite::types::Value;
use rusqlite::{Connection, params, params_from_iter};

use super::insert::Interner;
use super::{tenant_id, to_u64, to_us};
use crate::api::{FindingFilter, ReplaceCounts};
use crate::error::{Error, Result};

/// The stored rank of a severity (ordered like `Severity`).
fn rank(s: Severity) -> i64 {
    match s {
        Severity::Info => 0,
        Severity::Low => 1,
        Severity::Medium => 2,
        Severity::High => 3,
        Severity::Critical => 4,
    }
}

fn encode<T: serde::Serialize>(value: &T, what: &'static str) -> Result<String> {
    serde_json::to_string(value).map_err(|source| Error::Encode { what, source })
}

fn check_unique<'a>(what: &'static str, ids: impl Iterator<Item = &'a str>) -> Result<()> {
    let mut seen = HashSet::new();
    for id in ids {
        if !seen.insert(id) {
            return Err(Error::DuplicateId {
                what,
                id: id.to_string(),
            });
        }
    }
    Ok(())
}

fn check_tenant(what: &'static str, id: &str, found: &str, expected: &str) -> Result<()> {
    if found == expected {
        return Ok(());
    }
    Err(Error::TenantMismatch {
        what,
        id: id.to_string(),
        found: found.to_string(),
        expected: expected.to_string(),
    })
}

/// See [`crate::Store::replace_findings`].
pub(super) fn replace(
    conn: &mut Connection,
    interner: &mut Interner,
    tenant: &str,
    findings: &[Finding],
    incidents: &[Incident],
) -> Result<ReplaceCounts> {
    for f in findings {
        check_tenant("finding", &f.id, &f.tenant, tenant)?;
    }
    for i in incidents {
        check_tenant("incident", &i.id, &i.tenant, tenant)?;
    }
    check_unique("finding", findings.iter().map(|f| f.id.as_str()))?;
    check_unique("incident", incidents.iter().map(|i| i.id.as_str()))?;

    let tx = conn.transaction()?;
    let tenant_id = interner.tenant(&tx, tenant)?;
    let mut counts = ReplaceCounts {
        removed_findings: to_u64(
            i64::try_from(tx.execute("DELETE FROM findings WHERE tenant_id = ?1", [tenant_id])?)
                .unwrap_or(i64::MAX),
        ),
        removed_incidents: to_u64(
            i64::try_from(tx.execute("DELETE FROM incidents WHERE tenant_id = ?1", [tenant_id])?)
                .unwrap_or(i64::MAX),
        ),
        ..ReplaceCounts::default()
    };
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO findings \
             (tenant_id, id, incident_id, detection, severity, user, time_us, body) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for f in findings {
            stmt.execute(params![
                tenant_id,
                f.id,
                f.incident_id,
                f.detection,
                rank(f.severity),
                f.user.as_deref().map(str::to_lowercase),
                to_us(f.time),
                encode(f, "finding")?,
            ])?;
            counts.stored_findings += 1;
        }
        let mut stmt = tx.prepare_cached(
            "INSERT INTO incidents \
             (tenant_id, id, severity, user, first_seen_us, last_seen_us, body) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for i in incidents {
            stmt.execute(params![
                tenant_id,
                i.id,
                rank(i.severity),
                i.user.as_deref().map(str::to_lowercase),
                to_us(i.first_seen),
                to_us(i.last_seen),
                encode(i, "incident")?,
            ])?;
            counts.stored_incidents += 1;
        }
    }
    tx.commit()?;
    Ok(counts)
}

/// See [`crate::Store::findings`].
pub(super) fn list_findings(conn: &Connection, filter: &FindingFilter) -> Result<Vec<Finding>> {
    let mut clauses: Vec<&str> = Vec::new();
    let mut params: Vec<Value> = Vec::new();
    if let Some(name) = &filter.tenant {
        let Some(id) = tenant_id(conn, name)? else {
            return Ok(Vec::new());
        };
        clauses.push("tenant_id = ?");
        params.push(Value::Integer(id));
    }
    if let Some(since) = filter.since {
        clauses.push("time_us >= ?");
        params.push(Value::Integer(to_us(since)));
    }
    if let Some(until) = filter.until {
        clauses.push("time_us < ?");
        params.push(Value::Integer(to_us(until)));
    }
    if let Some(min) = filter.min_severity {
        clauses.push("severity >= ?");
        params.push(Value::Integer(rank(min)));
    }
    if let Some(user) = &filter.user {
        clauses.push("user = ?");
        params.push(Value::Text(user.to_lowercase()));
    }
    if let Some(detection) = &filter.detection {
        clauses.push("detection = ?");
        params.push(Value::Text(detection.clone()));
    }
    let cond = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let sql = format!("SELECT id, body FROM findings {cond} ORDER BY time_us, id");
    read_bodies(conn, &sql, params, "finding")
}

/// See [`crate::Store::incidents`].
pub(super) fn list_incidents(conn: &Connection, tenant: Option<&str>) -> Result<Vec<Incident>> {
    let (cond, params) = match tenant {
        Some(name) => match tenant_id(conn, name)? {
            Some(id) => ("WHERE tenant_id = ?", vec![Value::Integer(id)]),
            None => return Ok(Vec::new()),
        },
        None => ("", Vec::new()),
    };
    let sql =
        format!("SELECT id, body FROM incidents {cond} ORDER BY severity DESC, first_seen_us, id");
    read_bodies(conn, &sql, params, "incident")
}

fn read_bodies<T: serde::de::DeserializeOwned>(
    conn: &Connection,
    sql: &str,
    params: Vec<Value>,
    what: &'static str,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params_from_iter(params))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let id: String = row.get(0)?;
        let body: String = row.get(1)?;
        let value = serde_json::from_str(&body).map_err(|e| Error::Corrupt {
            what,
            id,
            reason: format!("JSON: {e}"),
        })?;
        out.push(value);
    }
    Ok(out)
}
